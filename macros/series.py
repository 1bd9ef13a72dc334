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
