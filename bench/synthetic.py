"""Synthetic editions for the scale benchmark: N cities, a case page for one city in ten.

Made in a temporary copy of the project: same pages, theme, plugins and macros; the data and the
case files are replaced. The edition's basis is `published` with no published domain findings,
so the consistency checks have nothing to hold the random scores to. Seeded: deterministic.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
COPIED = ["data", "docs", "mkdocs.yml", "overrides", "hooks", "macros", "CONTRIBUTING.md"]
DOMAINS = ["economy", "governance", "government", "livelihood", "innovation", "infrastructure"]
CHARS = "安北昌成德东丰福广海和华江金京丽林宁平青庆山盛泰天文武西祥新兴阳永云长中州嘉临南清松桂梅兰河湖泉溪"


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


def city_name(i: int) -> str:
    base = len(CHARS)
    name = CHARS[i // base % base] + CHARS[i % base]
    if i >= base * base:
        name = CHARS[i // (base * base) % base] + name
    return name + "市"


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_synthetic_project(root: Path, dest: Path, n: int, seed: int = 7) -> Path:
    project = copy_project(dest)
    rng = np.random.default_rng(seed)
    data = project / "data"
    edition = data / "editions" / "2020"
    regions = yaml.safe_load((data / "regions.yaml").read_text(encoding="utf-8"))["regions"]
    provinces = [(p, r["id"]) for r in regions for p in r["provinces"]]

    cities = []
    for i in range(n):
        province, region = provinces[i % len(provinces)]
        cities.append(
            {
                "id": f"city{i:04d}",
                "name_zh": city_name(i),
                "name_en": f"City {i}",
                "province_zh": province,
                "region": region,
                "adcode": f"{100000 + i:06d}",
                "lon": f"{rng.uniform(100, 125):.4f}",
                "lat": f"{rng.uniform(20, 45):.4f}",
            }
        )
    write_csv(data / "cities.csv", list(cities[0]), cities)

    level = rng.normal(68, 9, size=n)
    scores = np.clip(level[:, None] + rng.normal(0, 6, size=(n, len(DOMAINS))), 0, 100).round(1)
    # Every city in the list is in a stage, as in the report: lift a composite below the lowest
    # band edge just above it.
    low = scores.mean(axis=1) < 60.05
    scores[low] = np.clip(scores[low] + (60.1 - scores[low].mean(axis=1))[:, None], 0, 100).round(1)
    write_csv(
        edition / "scores.csv",
        ["city", *DOMAINS],
        [{"city": c["id"], **dict(zip(DOMAINS, row))} for c, row in zip(cities, scores)],
    )

    # Every city's place by composite is "published", except cities tied with another (a tie
    # would need a shared rank, which this benchmark does not need); the stage counts are the
    # cities per band, so each rank implies the stage its composite is in.
    composite = scores.mean(axis=1).round(6)
    order = np.argsort(-composite, kind="stable")
    values = list(composite[order])
    distinct = [i for k, i in enumerate(order) if values.count(values[k]) == 1]
    rank_of = {i: int((composite > composite[i]).sum()) + 1 for i in distinct}
    write_csv(
        edition / "ranking.csv",
        ["rank", "city", "source", "basis", "rule"],
        [
            {"rank": rank_of[i], "city": cities[i]["id"], "source": "https://example.org/ranking", "basis": "published"}
            for i in distinct
        ],
    )
    # One edition only: the later editions name real cities, which this project does not have.
    for other in (data / "editions").iterdir():
        if other.name != "2020":
            shutil.rmtree(other)

    meta = yaml.safe_load((edition / "edition.yaml").read_text(encoding="utf-8"))
    # The facts that name no city and hold the random scores to nothing.
    facts = [f for f in meta["facts"] if not f.get("cities") and not f.get("check")]
    # synthetic scores "published" by the edition's first source (a published score needs one)
    meta.update(basis="published", scores_source=meta["sources"][0]["id"], size=n, facts=facts)
    meta.pop("illustrative", None)
    (edition / "edition.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tiers = yaml.safe_load((edition / "tiers.yaml").read_text(encoding="utf-8"))
    for t in tiers["tiers"]:
        upper = t.get("max", 1000)
        t["published_count"] = int(((composite >= t["min"]) & (composite < upper)).sum())
    (edition / "tiers.yaml").write_text(yaml.safe_dump(tiers, allow_unicode=True, sort_keys=False), encoding="utf-8")

    cases = project / "docs" / "cases"
    for md in cases.glob("*.md"):
        md.unlink()
    for i in range(0, n, 10):
        domain = DOMAINS[(i // 10) % len(DOMAINS)]
        c = cities[i]
        (cases / f"{c['id']}-{domain}.md").write_text(
            f"---\nedition: 2020\ncity: {c['id']}\ndomains: [{domain}]\ntitle: {c['name_zh']}的做法\n"
            "summary: 用于基准测试的案例。\n"
            f"sources:\n  - {{title: 基准测试来源, publisher: 测试, date: 2020-12}}\n---\n\n"
            f"## 做法\n\n- 第一条做法。\n- 第二条做法。\n",
            encoding="utf-8",
        )
    return project


def write_series_project(root: Path, dest: Path, editions: int, n: int, seed: int = 11) -> Path:
    """The real project with `editions` more synthetic editions after the real ones, each like
    the later real ones (no scores, stages without bands): `n` ranked cities out of the real
    cities file, the rest of the list as members without a rank, and a case per edition."""
    project = copy_project(dest)
    rng = np.random.default_rng(seed)
    data = project / "data"
    with (data / "cities.csv").open(encoding="utf-8") as fh:
        city_ids = [row["id"] for row in csv.DictReader(fh)]
    template = data / "editions" / "2024"
    last = max(int(p.name) for p in (data / "editions").iterdir())
    for k in range(editions):
        year = str(last + 1 + k)
        folder = data / "editions" / year
        shutil.copytree(template, folder, ignore=shutil.ignore_patterns("ranking.csv", "pages"))
        meta = yaml.safe_load((folder / "edition.yaml").read_text(encoding="utf-8"))
        meta.update(id=year, title=f"{year}基准测试报告", short_title=f"{year}基准测试", size=max(100, n))
        (folder / "edition.yaml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        domains = yaml.safe_load((folder / "domains.yaml").read_text(encoding="utf-8"))
        for d in domains["domains"]:
            d.pop("previous", None), d.pop("change", None), d.pop("change_source", None)
        (folder / "domains.yaml").write_text(
            yaml.safe_dump(domains, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        chosen = rng.permutation(city_ids)
        ranked, members = chosen[: min(n, len(chosen))], chosen[min(n, len(chosen)) :]
        ranks = rng.permutation(np.arange(1, max(100, n) + 1))[: len(ranked)]
        rows = [
            {"rank": int(r), "city": c, "source": "https://example.org/ranking", "basis": "published", "rule": ""}
            for c, r in sorted(zip(ranked, ranks), key=lambda x: x[1])
        ]
        rows += [
            {"rank": "", "city": c, "source": "https://example.org/members", "basis": "published", "rule": ""}
            for c in sorted(members)
        ]
        write_csv(folder / "ranking.csv", ["rank", "city", "source", "basis", "rule"], rows)
        domain = domains["domains"][0]["id"]
        city = ranked[0]
        (project / "docs" / "cases" / f"{city}-{domain}-{year}.md").write_text(
            f"---\nedition: {year}\ncity: {city}\ndomains: [{domain}]\n"
            "title: 基准测试案例\n"
            "summary: 用于基准测试的案例。\n"
            f"sources:\n  - {{title: 基准测试来源, publisher: 测试, date: {year}-01}}\n---\n\n"
            "## 做法\n\n- 一条做法。\n",
            encoding="utf-8",
        )
    return project
