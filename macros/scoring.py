"""Scores, tiers, ranks and statistics, computed once per build from a validated edition.

Pure functions on data: no I/O, no MkDocs, no charts. The rules (also stated on the methodology
page, which renders them from the same data):
- composite = sum of weight x domain score, unrounded (only pages round, to one decimal);
- tier = the band whose [min, max) holds the composite; the top band has no max; below all: none;
- rank = by composite, descending; ties share the best rank (1, 2, 2, 4);
- statistics across cities use the population standard deviation (the cities are all there is).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from .editions import Edition
from .models import Tier

# Composites are rounded to this many decimals before comparisons, so that float noise
# (6 x 70/6 = 69.99999999999999) never moves a city across a band edge or breaks a tie.
COMPARE_DECIMALS = 9

STAT_COLUMNS = ["mean", "median", "min", "max", "spread", "std"]

UNVERIFIED_ZH = "未核实"  # how pages name what was not published: a rank, and so a stage


def stage_of_rank(rank, tiers: Sequence[Tier]) -> str | None:
    """The stage a published rank implies under the published stage counts, counting from the
    top stage down (2020: ranks 1-5, 6-38, 39-100). None when the rank is unknown, lies beyond
    the counts, or a count was not published: then nothing can be derived."""
    if not tiers or rank is None or pd.isna(rank) or any(t.published_count is None for t in tiers):
        return None
    upper = 0
    for tier in reversed(tiers):
        upper += tier.published_count
        if rank <= upper:
            return tier.id
    return None


def compute_composite(scores: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Weighted sum of the domain columns named in `weights`."""
    total = sum(scores[d] * float(w) for d, w in weights.items())
    return total.round(COMPARE_DECIMALS).rename("composite")


def assign_tier(composite: float, tiers: Sequence[Tier]) -> str | None:
    """The id of the tier whose half-open band holds `composite`, or None below every band."""
    value = round(float(composite), COMPARE_DECIMALS)
    for tier in tiers:
        if value >= tier.min and (tier.max is None or value < tier.max):
            return tier.id
    return None


def rank_descending(values: pd.Series) -> pd.Series:
    """Competition ranking: the highest value is 1, ties share the best rank."""
    return values.rank(method="min", ascending=False).astype("Int64")


def describe(values: pd.Series) -> dict[str, float]:
    return {
        "mean": values.mean(),
        "median": values.median(),
        "min": values.min(),
        "max": values.max(),
        "spread": values.max() - values.min(),
        "std": values.std(ddof=0),
    }


def compute_domain_statistics(table: pd.DataFrame, domain_ids: Sequence[str]) -> pd.DataFrame:
    """One row per domain: mean, median, min, max, spread, std, and the rank of mean and spread."""
    stats = pd.DataFrame([{"domain": d, **describe(table[d])} for d in domain_ids]).set_index("domain")
    stats["mean_rank"] = rank_descending(stats["mean"].round(COMPARE_DECIMALS))
    stats["spread_rank"] = rank_descending(stats["spread"].round(COMPARE_DECIMALS))
    stats["std_rank"] = rank_descending(stats["std"].round(COMPARE_DECIMALS))
    return stats


def aggregate(table: pd.DataFrame, by: str, tier_ids: Sequence[str]) -> pd.DataFrame:
    """Cities, mean composite, best composite and cities per tier, per value of column `by`."""
    grouped = table.groupby(by, sort=False)
    out = pd.DataFrame(
        {
            "cities": grouped.size(),
            "mean": grouped["composite"].mean(),
            "best": grouped["composite"].max(),
        }
    )
    for tier_id in tier_ids:
        out[tier_id] = grouped["stage"].apply(lambda s, t=tier_id: int((s == t).sum()))
    out["share"] = out["cities"] / out["cities"].sum()
    return out.sort_values(["cities", "mean"], ascending=False)


@dataclass(frozen=True)
class Results:
    """Everything the pages show, computed once from one edition."""

    edition: Edition
    table: pd.DataFrame  # one row per scored city, by published rank (unranked last, by id)
    domain_stats: pd.DataFrame  # index: domain id
    tier_counts: pd.DataFrame  # index: tier id; published, derived (site cities whose rank implies it)
    tier_means: pd.DataFrame  # index: tier id; mean of each domain over the cities of that derived stage
    by_province: pd.DataFrame
    by_region: pd.DataFrame

    @property
    def domain_ids(self) -> list[str]:
        return [d.id for d in self.edition.domains]

    @property
    def has_scores(self) -> bool:
        """Whether any score is shown: false for an edition without a score file, and for a
        simulated one built with the simulated layer off (`without_scores`)."""
        return bool(self.table["composite"].notna().any())

    @cached_property
    def _rows(self) -> dict[str, pd.Series]:
        return {row["city"]: row for _, row in self.table.iterrows()}

    def city(self, city_id: str) -> pd.Series | None:
        """The city's row of the table, or None if it has no scores."""
        return self._rows.get(city_id)


def without_scores(edition: Edition) -> Edition:
    """The edition with its cities kept and every score left out: the site built with the
    simulated layer off publishes no simulated value (ranks and derived stages remain)."""
    return dataclasses.replace(edition, scores=tuple({"city": row["city"]} for row in edition.scores))


def build_city_table(edition: Edition) -> pd.DataFrame:
    """One row per city the edition says anything about: scored, ranked, listed without a rank,
    or given a stage by a source. Each value has its basis beside it."""
    domain_ids = [d.id for d in edition.domains]
    scores = pd.DataFrame(list(edition.scores), columns=["city", *domain_ids])
    named = [r.city for r in edition.ranking] + [s.city for s in edition.stages]
    extra = [c for c in dict.fromkeys(named) if c not in set(scores["city"])]
    if extra:
        scores = pd.concat([scores, pd.DataFrame({"city": extra})], ignore_index=True)
    scores[domain_ids] = scores[domain_ids].astype(float)
    cities = pd.DataFrame([c.model_dump() for c in edition.cities])
    cities = cities.rename(columns={"id": "city"})[["city", "name_zh", "name_en", "province_zh", "region"]]
    table = scores.merge(cities, on="city", how="left", validate="one_to_one")
    if edition.scores and edition.weighted:
        table["composite"] = compute_composite(table, {d.id: d.weight for d in edition.domains})
    else:
        table["composite"] = float("nan")
    # The band of the composite: what the score file implies. Only the consistency check reads
    # it (a simulated file must put each ranked city in its derived stage); pages show `stage`.
    banded = edition.banded and edition.scores
    table["simulated_tier"] = table["composite"].map(lambda v: assign_tier(v, edition.tiers) if banded else None)
    rows = {r.city: r for r in edition.ranking}
    table["listed"] = table["city"].isin(rows)
    table["published_rank"] = table["city"].map({c: r.rank for c, r in rows.items()}).astype("Int64")
    table["rank_basis"] = table["city"].map({c: r.basis for c, r in rows.items() if r.rank is not None})
    table["rank_rule"] = table["city"].map({c: r.rule for c, r in rows.items() if r.rank is not None})
    table["rank_source"] = table["city"].map({c: str(r.source) for c, r in rows.items()})
    stated = {s.city: s for s in edition.stages}
    derived = table["published_rank"].map(lambda r: stage_of_rank(r, edition.tiers))
    table["stage"] = [stated[c].stage if c in stated else d for c, d in zip(table["city"], derived, strict=True)]
    table["stage"] = table["stage"].astype(object).where(table["stage"].notna(), None)
    table["stage_basis"] = [
        "published" if c in stated else ("derived" if st is not None else None)
        for c, st in zip(table["city"], table["stage"], strict=True)
    ]
    table["stage_source"] = table["city"].map({c: str(s.source) for c, s in stated.items()})
    # No order by score: a city without a published rank must not get an implied place.
    return table.sort_values(["published_rank", "city"], na_position="last").reset_index(drop=True)


def count_tiers(table: pd.DataFrame, tiers: Sequence[Tier]) -> pd.DataFrame:
    derived = table.loc[table["stage_basis"] == "derived", "stage"].value_counts()
    stated = table.loc[table["stage_basis"] == "published", "stage"].value_counts()
    return pd.DataFrame(
        {
            "published": [t.published_count for t in tiers],
            "derived": [int(derived.get(t.id, 0)) for t in tiers],
            "stated": [int(stated.get(t.id, 0)) for t in tiers],
        },
        index=[t.id for t in tiers],
    ).astype("Int64")


def compute_results(edition: Edition) -> Results:
    table = build_city_table(edition)
    tier_ids = [t.id for t in edition.tiers]
    domain_ids = [d.id for d in edition.domains]
    return Results(
        edition=edition,
        table=table,
        domain_stats=compute_domain_statistics(table, domain_ids),
        tier_counts=count_tiers(table, edition.tiers),
        tier_means=table.groupby("stage")[domain_ids].mean(),
        by_province=aggregate(table, "province_zh", tier_ids),
        by_region=aggregate(table, "region", tier_ids),
    )
