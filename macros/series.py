"""Ranks across editions: every published or derived rank of every city, and the moves between
them. Pure; no MkDocs, no pages.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CityIndex:
    """What the pages ask of every city, looked up once per site instead of searched for each
    city's page (a site of N cities would otherwise cost N searches of N rows)."""

    history: pd.DataFrame  # rank_history(site)
    history_rows: dict  # city -> its number of rows in `history`
    ranking: dict  # edition -> city -> the city's first row in the edition's ranking
    ranked: dict  # edition -> cities with a published or derived rank in it
    ranks: dict  # city -> every rank it has in any edition
    table: dict  # edition -> city -> the city's row of the results table (a dict)
    cases: dict  # city -> its cases, in the site's order
    unverified: dict  # edition -> the ranks no source states, as a city page names them


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def city_index(site) -> CityIndex:
    """The site's CityIndex, made on first use (a site's editions and cases do not change)."""
    from .render import unverified_ranks

    index = _INDEXES.get(site)
    if index is None:
        history = _rank_history(site)
        ranking, ranked, ranks, table = {}, {}, {}, {}
        for e in site.editions.values():
            first = ranking[e.id] = {}
            for r in e.ranking:
                first.setdefault(r.city, r)
            ranked[e.id] = {r.city for r in e.ranking if r.rank is not None}
            for r in e.ranked:
                ranks.setdefault(r.city, set()).add(r.rank)
            rows = table[e.id] = {}
            for row in site.results[e.id].table.to_dict("records"):
                rows.setdefault(row["city"], row)
        cases: dict = {}
        for case in site.cases:
            cases.setdefault(case.meta.city, []).append(case)
        unverified = {e.id: unverified_ranks(e, bounded=True) for e in site.editions.values()}
        counts = history["city"].value_counts().to_dict()
        index = CityIndex(history, counts, ranking, ranked, ranks, table, cases, unverified)
        _INDEXES[site] = index
    return index


def rank_history(site) -> pd.DataFrame:
    """One row per (city, edition) with a published or derived rank, oldest edition first (a
    copy: the caller may change it)."""
    return city_index(site).history.copy()


def _rank_history(site) -> pd.DataFrame:
    rows = []
    for order, e in enumerate(site.editions.values()):
        for r in e.ranked:
            rows.append(
                {
                    "city": r.city,
                    "name": site.city_by_id[r.city].short_zh,
                    "edition": e.id,
                    "order": order,
                    "rank": r.rank,
                    "basis": r.basis,
                    "rule": r.rule or "",
                    "source": str(r.source),
                }
            )
    columns = ["city", "name", "edition", "order", "rank", "basis", "rule", "source"]
    return pd.DataFrame(rows, columns=columns)


# What can change between two editions so that their ranks do not measure the same thing.
CHANGES = ("domains", "stages", "size", "gap")


def method_changes(a, b, editions) -> tuple[str, ...]:
    """Why ranks in editions `a` and `b` (a older) are not directly comparable, as CHANGES keys:
    the domains were renamed, merged or added; the stage scheme changed; the list's size
    changed; or years lie between them with no edition on the site (their ranks are not known,
    so the move is not the sum of known steps). Empty when nothing is known to have changed."""
    found = []
    if [d.id for d in a.domains] != [d.id for d in b.domains]:
        found.append("domains")
    if [(x.id, x.zh, x.min, x.max) for x in a.tiers] != [(x.id, x.zh, x.min, x.max) for x in b.tiers]:
        found.append("stages")
    if a.meta.size != b.meta.size:
        found.append("size")
    years = {int(e.id) for e in editions}
    if any(y not in years for y in range(int(a.id) + 1, int(b.id))):
        found.append("gap")
    return tuple(found)


def missing_years(a, b, editions) -> list[int]:
    """The years between editions `a` and `b` that have no edition on the site."""
    years = {int(e.id) for e in editions}
    return [y for y in range(int(a.id) + 1, int(b.id)) if y not in years]


def movements(site) -> pd.DataFrame:
    """Each pair of consecutive published ranks of a city (editions between them may lack one):
    from, to, places moved up (positive) or down, and what changed in the method between them
    (`changes`: CHANGES keys; a move across a change is not a like-for-like comparison)."""
    history = rank_history(site).sort_values(["city", "order"])
    editions = list(site.editions.values())
    by_id = site.editions
    rows = []
    for city, group in history.groupby("city", sort=True):
        records = group.to_dict("records")
        for a, b in zip(records, records[1:]):
            rows.append(
                {
                    "city": city,
                    "name": a["name"],
                    "from_edition": a["edition"],
                    "from_rank": a["rank"],
                    "from_basis": a["basis"],
                    "to_edition": b["edition"],
                    "to_rank": b["rank"],
                    "to_basis": b["basis"],
                    "moved": a["rank"] - b["rank"],
                    "changes": method_changes(by_id[a["edition"]], by_id[b["edition"]], editions),
                }
            )
    columns = [
        "city",
        "name",
        "from_edition",
        "from_rank",
        "from_basis",
        "to_edition",
        "to_rank",
        "to_basis",
        "moved",
        "changes",
    ]
    return pd.DataFrame(rows, columns=columns)


def pinyin_keys(name: str) -> tuple[str, str]:
    """成都市 -> ("chengdu", "cd"): the name without 市 as pinyin without tones, and its initials."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name.removesuffix("市"), style=Style.NORMAL)
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


def finder_records(site, url_for) -> list[dict]:
    """What the city finder searches: every city with its names, pinyin, initials, province,
    region and what each edition says of its rank (published, derived, in the list)."""
    from .labels import t

    regions = {r.id: r.zh for r in site.latest.regions}
    records = []
    index = city_index(site)
    for city in site.cities:
        full, initials = pinyin_keys(city.name_zh)
        editions, cells, profiles = [], {}, {}
        for e in reversed(list(site.editions.values())):
            row = index.ranking[e.id].get(city.id)
            if row is not None and row.rank is None:
                editions.append(t("finder.member", year=e.id))
                cells[e.id] = t("basis.member")
            elif row is not None:
                key = "finder.derived" if row.basis == "derived" else "finder.rank"
                editions.append(t(key, year=e.id, rank=row.rank))
                cells[e.id] = t(key, year="", rank=row.rank).strip()
            results = site.results[e.id]
            scored = results.city(city.id) if results.has_scores else None
            if scored is not None:
                profiles[e.id] = [[d.zh, round(float(scored[d.id]), 1)] for d in e.domains]
        records.append(
            {
                "id": city.id,
                "name": city.short_zh,
                "full": city.name_zh,
                "py": full,
                "ini": initials,
                "en": city.name_en.lower().replace(" ", "").replace("'", ""),
                "province": city.province_zh,
                "region": regions[city.region],
                "ranks": sorted(index.ranks.get(city.id, ())),
                "editions": editions,
                "cells": cells,
                "profiles": profiles,
                "url": url_for(f"cities/{city.id}.md"),
            }
        )
    return records


def unverified_runs(site) -> list[dict]:
    """Per edition with published ranks, the runs of ranks no source states: where a rank
    number a reader types may lie."""
    from .render import _rank_runs

    out = []
    for e in site.editions.values():
        if e.ranked:
            for a, b in _rank_runs([r.rank for r in e.ranked], e.meta.size):
                out.append({"year": e.id, "from": a, "to": b})
    return out


SERIES_COLUMNS = [
    "city",
    "name_zh",
    "name_en",
    "province_zh",
    "edition",
    "edition_title",
    "rank",
    "rank_basis",
    "rank_rule",
    "rank_source",
    "rank_source_host",
    "stage",
    "stage_zh",
    "stage_basis",
    "stage_source",
    "method_changed",
]


def series_frame(site) -> pd.DataFrame:
    """The long-format series a reader downloads: one row per city and edition in which a source
    lists the city (ranked, or in the list without a rank), each value beside its basis and
    source. A city an edition does not list has no row for it: not known, not "out". A stage
    without a basis is left empty (no rank, no stated stage). `method_changed` says what
    changed since the edition before (CHANGES keys joined with +; empty for the first)."""
    from .addresses import host

    editions = list(site.editions.values())
    rows = []
    for i, e in enumerate(editions):
        changed = "+".join(method_changes(editions[i - 1], e, editions)) if i else ""
        table = {row["city"]: row for row in site.results[e.id].table.to_dict("records")}
        seen = set()
        for r in e.ranking:
            if r.city in seen:
                continue
            seen.add(r.city)
            city = site.city_by_id[r.city]
            row = table.get(r.city, {})
            stage = row.get("stage") if isinstance(row.get("stage"), str) else ""
            rows.append(
                {
                    "city": city.id,
                    "name_zh": city.name_zh,
                    "name_en": city.name_en,
                    "province_zh": city.province_zh,
                    "edition": e.id,
                    "edition_title": e.meta.short_title,
                    "rank": "" if r.rank is None else str(r.rank),
                    "rank_basis": r.basis if r.rank is not None else "listed",
                    "rank_rule": r.rule or "",
                    "rank_source": str(r.source),
                    "rank_source_host": host(r.source),
                    "stage": stage,
                    "stage_zh": e.tier_by_id[stage].zh if stage else "",
                    "stage_basis": row.get("stage_basis", "") if stage else "",
                    "stage_source": row["stage_source"] if stage and isinstance(row.get("stage_source"), str) else "",
                    "method_changed": changed,
                }
            )
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)
