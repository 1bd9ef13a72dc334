"""Generate the illustrative scores of an edition whose scores were never published.

The 2020 study published ranks (some), stage bands and counts, and findings about the domains,
but no score. The site still needs scores to draw and compute with, so this script makes an
illustrative set that agrees with every published fact, and the site labels it as such.

How the numbers are made (seeded, so the file is reproducible):
1. Composite. A piecewise-linear curve maps rank to composite through anchors set by the
   published stage counts: the top rank near 93, the 85-point edge between the last
   生态创新 rank and the next, the 70-point edge after the 能力协同 ranks, and 60 just below the
   last rank of the list. A city with a confirmed rank gets the curve at that rank. A city without
   one gets the curve at a free rank drawn at random from the gaps in the confirmed ranking, so it
   never takes a confirmed city's place.
2. Domains. Each domain score is the composite plus a domain offset, plus a domain slope times the
   city's distance from the mean composite, plus noise that sums to zero across the city's domains.
   Offsets and slopes sum to zero, so the weighted mean of a city's domain scores is its composite.
   Offsets order the domain means as the report found (政务 > 基础 > 治理 > ... > 民生 last);
   the largest slopes make 创新, 经济 and 政务 the domains where cities differ most.
3. Exemplars. Each case city the report names (a case file citing the report) must stand in
   the top quarter of its case domain among the site's cities. Where it does not, its score in
   that domain is raised to just above the quarter mark and its other domains lowered by the
   same weighted amount, so that its composite (and so every rank and stage) is unchanged.
4. Scores are rounded to one decimal. The script then loads the edition with the site's own core
   and runs its consistency checks; it exits non-zero if any published fact is contradicted.

Run from the repository root:  python scripts/generate_illustrative_scores.py [--edition 2020]
"""

from __future__ import annotations

import argparse
import csv
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import yaml

from macros.consistency import check_consistency
from macros.contrib import split_front_matter
from macros.editions import load_edition
from macros.problems import DataError
from macros.scoring import compute_results

ROOT = Path(__file__).resolve().parents[1]
TOP_SCORE = 91.5
EDGE_MARGIN = 0.5  # a rank's place on the curve sits half a rank from the band edge

# Domain offsets (points above the composite) and slopes (extra distance from the mean composite).
OFFSETS = {
    "government": 3.5,
    "infrastructure": 2.5,
    "governance": 1.5,
    "economy": 0.5,
    "innovation": -2.5,
    "livelihood": -5.5,
}
SLOPES = {
    "innovation": 0.5,
    "economy": 0.3,
    "government": 0.15,
    "infrastructure": -0.2,
    "governance": -0.25,
    "livelihood": -0.5,
}
NOISE_SD = 1.0
NOISE_LIMIT = 2.0  # clipped, so that no score leaves 0-100 at the top of the list


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def rank_curve(tiers: list[dict], size: int):
    """rank -> composite, piecewise linear through the stage edges implied by the counts."""
    xs, ys, rank = [1.0], [TOP_SCORE], 0
    for tier in reversed(tiers):  # from the top stage down
        rank += tier["published_count"]
        xs.append(rank + EDGE_MARGIN)
        ys.append(float(tier["min"]))
    if rank != size:
        raise SystemExit(f"stage counts add up to {rank}, not the list size {size}")
    return lambda r: float(np.interp(r, xs, ys))


def free_ranks(confirmed: set[int], size: int) -> list[int]:
    return [r for r in range(1, size + 1) if r not in confirmed]


EXEMPLAR_MARGIN = 0.6  # points above the quarter mark, so that rounding keeps the city inside


def report_exemplars(root: Path, report_title: str, edition_id: str) -> list[tuple[str, str]]:
    """(city, domain) of every case file of the edition that cites its report: the exemplars it names."""
    pairs = []
    for path in sorted((root / "docs/cases").glob("*.md")):
        front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(front) if front else None
        if not isinstance(meta, dict) or "city" not in meta or str(meta.get("edition")) != edition_id:
            continue
        if any(report_title in str(source.get("title", "")) for source in meta.get("sources", [])):
            pairs += [(meta["city"], d) for d in meta.get("domains", [])]
    return pairs


def lift_exemplars(scores, cities, domains, weights, pairs) -> None:
    """Raise each exemplar's case-domain score into the top quarter, lowering its other domains
    by the same weighted amount (its composite stays as it was). In place; a few rounds, since
    one city's lift moves the quarter mark for the next."""
    quarter = -(-len(cities) // 4)
    row = {c: i for i, c in enumerate(cities)}
    for _ in range(5):
        moved = False
        for city, domain in pairs:
            i, d = row[city], domains.index(domain)
            others = np.delete(scores[:, d], i)
            mark = np.sort(others)[::-1][quarter - 1]  # the score a city must beat to be in the quarter
            target = mark + EXEMPLAR_MARGIN
            if scores[i, d] >= target:
                continue
            delta = target - scores[i, d]
            rest = [j for j in range(len(domains)) if j != d]
            share = weights[d] * delta / sum(weights[j] for j in rest)
            scores[i, d] += delta
            scores[i, rest] -= share
            moved = True
        if not moved:
            return
    raise SystemExit("could not place every exemplar in the top quarter of its domain")


def generate(folder: Path, cities: list[str], seed: int, exemplars: list[tuple[str, str]] = ()) -> list[dict]:
    edition = yaml.safe_load((folder / "edition.yaml").read_text(encoding="utf-8"))
    tiers = yaml.safe_load((folder / "tiers.yaml").read_text(encoding="utf-8"))["tiers"]
    domains = [d["id"] for d in yaml.safe_load((folder / "domains.yaml").read_text(encoding="utf-8"))["domains"]]
    if set(domains) != set(OFFSETS):
        raise SystemExit(f"this generator knows the domains {sorted(OFFSETS)}, the edition has {sorted(domains)}")
    ranking = {row["city"]: int(row["rank"]) for row in read_csv(folder / "ranking.csv") if row["rank"].strip()}
    size = int(edition["size"])
    curve = rank_curve(tiers, size)
    rng = np.random.default_rng(seed)

    unranked = sorted(c for c in cities if c not in ranking)
    drawn = rng.choice(free_ranks(set(ranking.values()), size), size=len(unranked), replace=False)
    place = {**ranking, **{c: int(r) for c, r in zip(unranked, drawn)}}
    ordered = sorted(cities, key=lambda c: place[c])
    composite = np.array([curve(place[c]) for c in ordered])

    offsets = np.array([OFFSETS[d] for d in domains])
    slopes = np.array([SLOPES[d] for d in domains])
    noise = np.clip(rng.normal(0, NOISE_SD, size=(len(ordered), len(domains))), -NOISE_LIMIT, NOISE_LIMIT)
    noise -= noise.mean(axis=1, keepdims=True)
    distance = (composite - composite.mean())[:, None]
    scores = composite[:, None] + offsets + slopes * distance + noise
    weights = {
        d["id"]: float(Fraction(str(d["weight"])))
        for d in yaml.safe_load((folder / "domains.yaml").read_text(encoding="utf-8"))["domains"]
    }
    lift_exemplars(scores, ordered, domains, [weights[d] for d in domains], [p for p in exemplars if p[0] in ordered])
    if scores.min() < 0 or scores.max() > 100:
        raise SystemExit(
            f"scores leave 0-100 ({scores.min():.1f} to {scores.max():.1f}): lower TOP_SCORE or the slopes"
        )
    return [{"city": c, **{d: f"{v:.1f}" for d, v in zip(domains, row)}} for c, row in zip(ordered, scores)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edition", default="2020")
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this checkout)")
    args = parser.parse_args()
    root = args.root.resolve()
    folder = root / "data" / "editions" / args.edition
    meta = yaml.safe_load((folder / "edition.yaml").read_text(encoding="utf-8"))
    if meta.get("basis") != "illustrative":
        raise SystemExit(
            f"edition {args.edition} has basis {meta.get('basis')!r}: its scores are real; not overwriting"
        )
    # The edition's cities: its ranked ones and its report's case cities (the cities file holds
    # every edition's; a city the edition never named gets no score).
    exemplars = report_exemplars(root, meta["title"], args.edition)
    named = {row["city"] for row in read_csv(folder / "ranking.csv")} | {city for city, _ in exemplars}
    cities = [row["id"] for row in read_csv(root / "data" / "cities.csv") if row["id"] in named]
    rows = generate(folder, cities, int(meta["illustrative"]["seed"]), exemplars)
    with (folder / "scores.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    try:
        problems = check_consistency(compute_results(load_edition(root, args.edition)), exemplars)
    except DataError as err:
        print(err.report(), file=sys.stderr)
        return 1
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print(f"wrote {len(rows)} rows to {folder.relative_to(root)}/scores.csv; {len(problems)} inconsistencies")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
