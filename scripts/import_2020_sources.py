"""Import the 2020 sources: write data/cities.csv and data/editions/2020/ranking.csv.

Input is the confirmed ranking as received (data/sources/ranking-2020-confirmed.csv: rank, Chinese
city name, province, source address) plus the report's case cities that have no confirmed rank.
Administrative codes and coordinates are facts, so they are read from the table that the `cpca`
package ships, never typed by hand. Ids are pinyin slugs made by `pypinyin`. Run from the
repository root:

    python scripts/import_2020_sources.py

The output is deterministic: running it twice gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import importlib.resources
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "data/sources/ranking-2020-confirmed.csv"
REGIONS = "data/regions.yaml"
CITIES_OUT = "data/cities.csv"
RANKING_OUT = "data/editions/2020/ranking.csv"

# Case cities of the 2020 report that have no confirmed rank (shared/brief/facts-2020.yaml).
CASE_CITIES_WITHOUT_RANK = ["郑州市", "贵阳市", "晋城市", "呼和浩特市", "攀枝花市"]

# Ranks that an independent, first-hand report also states, with its address: China Daily,
# 2021-01-18, names the top 10 in order. These rows cite it instead of the reprinted table.
INDEPENDENT_SOURCES = {
    rank: "https://enapp.chinadaily.com.cn/a/202101/18/AP6004bcc6a310f03332f93cc6.html" for rank in range(1, 11)
}

# Conventional English names where they differ from plain pinyin.
ENGLISH_EXONYMS = {"呼和浩特市": "Hohhot", "哈尔滨市": "Harbin", "西安市": "Xi'an"}

FIELDS = ["id", "name_zh", "name_en", "province_zh", "region", "adcode", "lon", "lat"]


def read_adcodes() -> dict[str, dict[str, str]]:
    """cpca's table: 12-digit adcode, name, longitude, latitude."""
    table = importlib.resources.files("cpca.resources").joinpath("adcodes.csv")
    with table.open(encoding="utf-8") as fh:
        return {row["adcode"]: row for row in csv.DictReader(fh)}


def city_row(name: str, adcodes: dict, by_name: dict, region_of: dict) -> dict[str, str]:
    matches = by_name.get(name, [])
    # Prefecture-level cities end in 00 at the county digits; municipalities are province-level.
    matches = [m for m in matches if m["adcode"][4:] == "00000000"]
    if len(matches) != 1:
        raise SystemExit(f"{name}: expected one prefecture-level entry in cpca, found {len(matches)}")
    entry = matches[0]
    province = adcodes[entry["adcode"][:2] + "0" * 10]["name"]
    bare = name.removesuffix("市")
    slug = "".join(lazy_pinyin(bare))
    return {
        "id": slug,
        "name_zh": name,
        "name_en": ENGLISH_EXONYMS.get(name, slug.capitalize()),
        "province_zh": province,
        "region": region_of[province],
        "adcode": entry["adcode"][:6],
        "lon": f"{float(entry['longitude']):.4f}",
        "lat": f"{float(entry['latitude']):.4f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this checkout)")
    root = parser.parse_args().root.resolve()
    adcodes = read_adcodes()
    by_name: dict[str, list] = {}
    for row in adcodes.values():
        by_name.setdefault(row["name"], []).append(row)
    regions = yaml.safe_load((root / REGIONS).read_text(encoding="utf-8"))["regions"]
    region_of = {p: r["id"] for r in regions for p in r["provinces"]}

    with (root / SOURCE).open(encoding="utf-8") as fh:
        ranking = list(csv.DictReader(fh))
    ranked = [row["city"] for row in ranking]
    names = ranked + [n for n in CASE_CITIES_WITHOUT_RANK if n not in ranked]
    rows = [city_row(n, adcodes, by_name, region_of) for n in names]
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise SystemExit(f"pinyin ids collide: {sorted(i for i in ids if ids.count(i) > 1)}")
    for row, source in zip(rows, ranking):
        if row["province_zh"] != source["province"]:
            raise SystemExit(f"{row['name_zh']}: cpca says {row['province_zh']}, source says {source['province']}")
    id_of = {r["name_zh"]: r["id"] for r in rows}

    rows.sort(key=lambda r: r["adcode"])
    write_csv(root / CITIES_OUT, FIELDS, rows)
    write_csv(
        root / RANKING_OUT,
        ["rank", "city", "source"],
        [
            {
                "rank": r["rank"],
                "city": id_of[r["city"]],
                "source": INDEPENDENT_SOURCES.get(int(r["rank"]), r["source_url"]),
            }
            for r in ranking
        ],
    )
    print(f"wrote {len(rows)} cities and {len(ranking)} confirmed ranks")


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
