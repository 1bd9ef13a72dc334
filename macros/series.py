"""Ranks across editions: every published or derived rank of every city, and the moves between
them. Pure; no MkDocs, no pages.
"""

from __future__ import annotations

import pandas as pd


def rank_history(site) -> pd.DataFrame:
    """One row per (city, edition) with a published or derived rank, oldest edition first."""
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


def movements(site) -> pd.DataFrame:
    """Each pair of consecutive published ranks of a city (editions between them may lack one):
    from, to, and places moved up (positive) or down."""
    history = rank_history(site).sort_values(["city", "order"])
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
                }
            )
    columns = ["city", "name", "from_edition", "from_rank", "from_basis", "to_edition", "to_rank", "to_basis", "moved"]
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
    for city in site.cities:
        full, initials = pinyin_keys(city.name_zh)
        editions, cells, profiles = [], {}, {}
        for e in reversed(list(site.editions.values())):
            row = next((r for r in e.ranking if r.city == city.id), None)
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
                "ranks": sorted({r.rank for e in site.editions.values() for r in e.ranked if r.city == city.id}),
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
