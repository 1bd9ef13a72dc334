"""Import the sources: write data/cities.csv and data/editions/<year>/ranking.csv.

Inputs, as received, in data/sources/:

- ranking-2020-confirmed.csv: the 2020 confirmed ranking (rank, Chinese city name, province,
  source address), plus the 2020 report's case cities that have no confirmed rank;
- ranking-2022-2024-confirmed.csv: the ranks of the later editions that a public text states or
  that follow from one by arithmetic (edition, rank, Chinese name, status, source id);
- facts-2022-2025.yaml: the later editions' facts, the addresses of the source ids, and the cities
  known to be in a top 100 without a published rank.

Administrative codes and coordinates are facts, so they are read from the table that the `cpca`
package ships, never typed by hand. Ids are pinyin slugs made by `pypinyin`. Run from the
repository root:

    python scripts/import_sources.py

The output is deterministic: running it twice gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import importlib.resources
import re
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
SOURCE_2020 = "data/sources/ranking-2020-confirmed.csv"
SOURCE_LATER = "data/sources/ranking-2022-2024-confirmed.csv"
FACTS_LATER = "data/sources/facts-2022-2025.yaml"
REGIONS = "data/regions.yaml"
CITIES_OUT = "data/cities.csv"
RANKING_OUT = "data/editions/{year}/ranking.csv"
LATER_EDITIONS = ["2022", "2023", "2024", "2025"]

# Case cities of the 2020 report that have no confirmed rank (shared/brief/facts-2020.yaml).
CASE_CITIES_WITHOUT_RANK = ["郑州市", "贵阳市", "晋城市", "呼和浩特市", "攀枝花市"]

# Cities named only inside the sentences of facts-2022-2025.yaml (`facts[].fact`), which are prose and
# not parsed. Each is checked to occur in a fact of the edition it is listed under. Today every one of
# them is also in a structured list (members_without_published_rank or the ranking table); they are
# listed here so that the city list does not depend on that.
CITIES_IN_FACT_TEXT = {
    "2024": ["日照", "南充", "海口", "聊城", "汕头", "德阳", "成都", "绵阳", "宜宾"],  # GDP-gap and Sichuan facts
    "2025": ["东营", "枣庄"],  # "东营 and 枣庄 are new"
}

# Ranks that an independent, first-hand report also states, with its address: China Daily,
# 2021-01-18, names the top 10 in order. These rows cite it instead of the reprinted table.
INDEPENDENT_SOURCES = {
    rank: "https://enapp.chinadaily.com.cn/a/202101/18/AP6004bcc6a310f03332f93cc6.html" for rank in range(1, 11)
}

# A derived rank's status: `derived: <later year> rank <later rank> "<quoted phrase>"`.
DERIVED_STATUS = re.compile(r'^derived: (?P<year>\d{4}) rank (?P<rank>\d+) "(?P<quote>[^"]+)"$')
# Places moved up from the derived edition to the later one, as the quoted phrase says it.
QUOTED_MOVES = {"比2022年前进4个名次": 4, "较去年前进一位": 1}

# Conventional English names where they differ from plain pinyin.
ENGLISH_EXONYMS = {"呼和浩特市": "Hohhot", "哈尔滨市": "Harbin", "西安市": "Xi'an"}

FIELDS = ["id", "name_zh", "name_en", "province_zh", "region", "adcode", "lon", "lat"]
RANKING_FIELDS = ["rank", "city", "source", "basis", "rule"]


def read_adcodes() -> dict[str, dict[str, str]]:
    """cpca's table: 12-digit adcode, name, longitude, latitude."""
    table = importlib.resources.files("cpca.resources").joinpath("adcodes.csv")
    with table.open(encoding="utf-8") as fh:
        return {row["adcode"]: row for row in csv.DictReader(fh)}


def english_name(name: str, syllables: list[str]) -> str:
    """Pinyin with an apostrophe before a syllable that starts with a, o or e (泰安 Tai'an)."""
    if name in ENGLISH_EXONYMS:
        return ENGLISH_EXONYMS[name]
    parts = syllables[:1] + [("'" if s[0] in "aoe" else "") + s for s in syllables[1:]]
    return "".join(parts).capitalize()


def city_row(name: str, adcodes: dict, by_name: dict, region_of: dict) -> dict[str, str]:
    matches = by_name.get(name, [])
    # Prefecture-level cities end in 00 at the county digits; municipalities are province-level.
    matches = [m for m in matches if m["adcode"][4:] == "00000000"]
    if len(matches) != 1:
        raise SystemExit(f"{name}: expected one prefecture-level entry in cpca, found {len(matches)}")
    entry = matches[0]
    province = adcodes[entry["adcode"][:2] + "0" * 10]["name"]
    syllables = lazy_pinyin(name.removesuffix("市"))
    slug = "".join(syllables)
    return {
        "id": slug,
        "name_zh": name,
        "name_en": english_name(name, syllables),
        "province_zh": province,
        "region": region_of[province],
        "adcode": entry["adcode"][:6],
        "lon": f"{float(entry['longitude']):.4f}",
        "lat": f"{float(entry['latitude']):.4f}",
    }


def full_name(bare: str) -> str:
    """The brief's names lack 市; cpca's carry it (municipalities included: 北京市)."""
    return bare if bare.endswith("市") else bare + "市"


def later_city_names(ranking: list[dict], facts: dict) -> list[str]:
    """Every city the later sources name, in first-seen order, as bare names (no 市)."""
    names = [row["city_zh"] for row in ranking]
    editions = facts["editions"]
    for members in editions["2023"]["stage_members"].values():
        names += members
    names += [entry["city"] for entry in editions["2023"]["digital_economy_subranking"]]
    for year in LATER_EDITIONS:
        for entry in editions[year].get("members_without_published_rank", []):
            names += entry["cities"]
    for year, cities in CITIES_IN_FACT_TEXT.items():
        text = " ".join(f["fact"] for f in editions[year]["facts"])
        missing = [c for c in cities if c not in text]
        if missing:
            raise SystemExit(f"{year}: {missing} listed in CITIES_IN_FACT_TEXT but not named in its facts")
        names += cities
    return list(dict.fromkeys(names))


def derivation_rule(row: dict, stated: dict[tuple[str, str], int]) -> str:
    """The sentence saying how a derived rank follows from a stated one; checks the arithmetic."""
    match = DERIVED_STATUS.match(row["status"])
    if not match:
        raise SystemExit(f"{row['edition']} {row['city_zh']}: unreadable status {row['status']!r}")
    year, later_rank, quote = match["year"], int(match["rank"]), match["quote"]
    if quote not in QUOTED_MOVES:
        raise SystemExit(f"{row['edition']} {row['city_zh']}: add {quote!r} to QUOTED_MOVES")
    if int(year) != int(row["edition"]) + 1 or stated.get((year, row["city_zh"])) != later_rank:
        raise SystemExit(f"{row['edition']} {row['city_zh']}: {year} rank {later_rank} is not a stated rank")
    if later_rank + QUOTED_MOVES[quote] != int(row["rank"]):
        raise SystemExit(f"{row['edition']} {row['city_zh']}: {later_rank} + {QUOTED_MOVES[quote]} != {row['rank']}")
    return f"由 {year} 年第 {later_rank} 名和报道中“{quote}”推算"


def later_rankings(ranking: list[dict], facts: dict, id_of: dict[str, str]) -> dict[str, list[dict]]:
    """The ranking.csv rows of each later edition: ranked rows by rank, then memberships by city id."""
    url = {key: source["url"] for key, source in facts["sources"].items()}
    stated = {(r["edition"], r["city_zh"]): int(r["rank"]) for r in ranking if r["status"] == "stated"}
    out: dict[str, list[dict]] = {}
    for year in LATER_EDITIONS:
        ranked = []
        for row in (r for r in ranking if r["edition"] == year):
            if row["status"] == "stated":
                basis, rule = "published", ""
            elif row["status"].startswith("derived"):
                basis, rule = "derived", derivation_rule(row, stated)
            else:
                raise SystemExit(f"{year} {row['city_zh']}: unknown status {row['status']!r}")
            ranked.append(
                {
                    "rank": int(row["rank"]),
                    "city": id_of[full_name(row["city_zh"])],
                    "source": url[row["source"]],
                    "basis": basis,
                    "rule": rule,
                }
            )
        ranked.sort(key=lambda r: r["rank"])
        ranks = [r["rank"] for r in ranked]
        cities = [r["city"] for r in ranked]
        if len(set(ranks)) != len(ranks) or len(set(cities)) != len(cities):
            raise SystemExit(f"{year}: a rank or a city appears twice in {SOURCE_LATER}")
        members: dict[str, dict] = {}
        for entry in facts["editions"][year].get("members_without_published_rank", []):
            for name in entry["cities"]:
                city = id_of[full_name(name)]
                if city not in cities and city not in members:
                    source = url[entry["source"]]
                    members[city] = {"rank": "", "city": city, "source": source, "basis": "published", "rule": ""}
        out[year] = ranked + [members[c] for c in sorted(members)]
    return out


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

    with (root / SOURCE_2020).open(encoding="utf-8") as fh:
        ranking = list(csv.DictReader(fh))
    with (root / SOURCE_LATER).open(encoding="utf-8") as fh:
        ranking_later = list(csv.DictReader(fh))
    facts = yaml.safe_load((root / FACTS_LATER).read_text(encoding="utf-8"))

    ranked = [row["city"] for row in ranking]
    names = ranked + [n for n in CASE_CITIES_WITHOUT_RANK if n not in ranked]
    rows = [city_row(n, adcodes, by_name, region_of) for n in names]
    for row, source in zip(rows, ranking):
        if row["province_zh"] != source["province"]:
            raise SystemExit(f"{row['name_zh']}: cpca says {row['province_zh']}, source says {source['province']}")
    later = [full_name(n) for n in later_city_names(ranking_later, facts)]
    rows += [city_row(n, adcodes, by_name, region_of) for n in later if n not in names]
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        clashes = sorted({f"{r['id']} ({r['name_zh']})" for r in rows if ids.count(r["id"]) > 1})
        raise SystemExit(f"pinyin ids collide: {clashes}")
    id_of = {r["name_zh"]: r["id"] for r in rows}

    rows.sort(key=lambda r: r["adcode"])
    write_csv(root / CITIES_OUT, FIELDS, rows)
    rankings = {
        "2020": [
            {
                "rank": r["rank"],
                "city": id_of[r["city"]],
                "source": INDEPENDENT_SOURCES.get(int(r["rank"]), r["source_url"]),
                "basis": "published",
                "rule": "",
            }
            for r in ranking
        ],
        **later_rankings(ranking_later, facts, id_of),
    }
    for year, edition_rows in rankings.items():
        path = root / RANKING_OUT.format(year=year)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(path, RANKING_FIELDS, edition_rows)
    counts = ", ".join(f"{year}: {len(r)}" for year, r in rankings.items())
    print(f"wrote {len(rows)} cities and the ranking rows of each edition ({counts})")


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
