"""Composite, tiers at every band edge, ranks with ties, statistics and aggregates."""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest

from macros.editions import load_edition
from macros.models import Tier
from macros.scoring import (
    aggregate,
    assign_tier,
    compute_composite,
    compute_domain_statistics,
    compute_results,
    rank_descending,
    stage_of_rank,
)
from tests.conftest import ROOT

TIERS = [
    Tier(id="unit", zh="单元数字化", en="Unit", color="#78909c", min=60, max=70, about="."),
    Tier(id="synergy", zh="能力协同", en="Synergy", color="#78909c", min=70, max=85, about="."),
    Tier(id="ecosystem", zh="生态创新", en="Ecosystem", color="#78909c", min=85, about="."),
]


@pytest.mark.parametrize(
    "score, tier",
    [
        (0, None),
        (59.99, None),
        (60, "unit"),
        (69.99, "unit"),
        (70, "synergy"),
        (84.99, "synergy"),
        (85, "ecosystem"),
        (100, "ecosystem"),
    ],
)
def test_tier_band_edges(score, tier):
    assert assign_tier(score, TIERS) == tier


def test_composite_is_the_weighted_sum():
    scores = pd.DataFrame({"a": [80.0, 60.0], "b": [40.0, 100.0]})
    composite = compute_composite(scores, {"a": Fraction(3, 4), "b": Fraction(1, 4)})
    assert composite.tolist() == [70.0, 70.0]


def test_composite_keeps_precision_beyond_one_decimal():
    scores = pd.DataFrame({"a": [70.1], "b": [70.0], "c": [70.0]})
    third = Fraction(1, 3)
    (value,) = compute_composite(scores, {"a": third, "b": third, "c": third})
    assert math.isclose(value, 70.0333333333, abs_tol=1e-9)


def test_float_noise_never_moves_a_city_across_a_band_edge():
    # 6 x (70 x 1/6) is 69.99999999999999 in floating point; the city is still at 70.
    scores = pd.DataFrame({d: [70.0] for d in "abcdef"})
    (value,) = compute_composite(scores, {d: Fraction(1, 6) for d in "abcdef"})
    assert assign_tier(value, TIERS) == "synergy"


def test_ties_share_the_best_rank():
    ranks = rank_descending(pd.Series([80.0, 90.0, 80.0, 70.0]))
    assert ranks.tolist() == [2, 1, 2, 4]


def test_domain_statistics():
    table = pd.DataFrame({"x": [60.0, 70.0, 80.0, 90.0], "y": [75.0, 75.0, 75.0, 75.0]})
    stats = compute_domain_statistics(table, ["x", "y"])
    assert stats.loc["x", "mean"] == 75
    assert stats.loc["x", "median"] == 75
    assert stats.loc["x", "min"] == 60 and stats.loc["x", "max"] == 90
    assert stats.loc["x", "spread"] == 30
    assert math.isclose(stats.loc["x", "std"], math.sqrt(125))  # population standard deviation
    assert stats.loc["y", "spread"] == 0 and stats.loc["y", "std"] == 0
    assert stats.loc["x", "spread_rank"] == 1 and stats.loc["y", "spread_rank"] == 2


def test_aggregate_counts_cities_and_tiers_per_group():
    table = pd.DataFrame(
        {
            "region": ["east", "east", "west"],
            "composite": [90.0, 65.0, 72.0],
            "stage": ["ecosystem", "unit", "synergy"],
        }
    )
    out = aggregate(table, "region", ["unit", "synergy", "ecosystem"])
    assert out.loc["east", "cities"] == 2
    assert out.loc["east", "mean"] == 77.5
    assert out.loc["east", "best"] == 90
    assert out.loc["east", ["unit", "synergy", "ecosystem"]].tolist() == [1, 0, 1]
    assert math.isclose(out["share"].sum(), 1)


def test_results_of_the_2020_edition_are_whole():
    edition = load_edition(ROOT, "2020")
    results = compute_results(edition)
    table = results.table
    # one row per city the edition names (every ranked city has simulated scores), no other city
    named = {row["city"] for row in edition.scores} | {r.city for r in edition.ranking}
    assert len(table) == len(edition.scores) == len(named) and set(table["city"]) == named
    assert table["name_zh"].notna().all() and len(edition.cities) > len(table)  # cities.csv spans editions
    ranks = table["published_rank"].dropna().astype(int).tolist()
    assert ranks == sorted(ranks) and table["published_rank"].isna().tolist() == sorted(table["published_rank"].isna())
    assert "rank" not in table  # no place among the site's cities: a score gives none
    expected = {r.city: stage_of_rank(r.rank, edition.tiers) for r in edition.ranking}
    assert dict(zip(table["city"], table["stage"])) == {c: expected.get(c) for c in table["city"]}
    assert results.tier_counts["derived"].sum() == table["stage"].notna().sum() == len(edition.ranking)
    assert results.by_region["cities"].sum() == len(table)
    assert results.by_province["cities"].sum() == len(table)
    # every published rank reaches the table
    published = {r.city: r.rank for r in edition.ranking}
    for _, row in table.iterrows():
        expected = published.get(row["city"])
        assert pd.isna(row["published_rank"]) if expected is None else row["published_rank"] == expected


@pytest.mark.parametrize(
    "rank, stage",
    [
        (1, "ecosystem"),
        (5, "ecosystem"),
        (6, "synergy"),
        (38, "synergy"),
        (39, "unit"),
        (100, "unit"),
        (101, None),
        (None, None),
    ],
)
def test_a_published_rank_gives_its_stage_under_the_published_counts(rank, stage):
    counted = [t.model_copy(update={"published_count": n}) for t, n in zip(TIERS, (62, 33, 5))]
    assert stage_of_rank(rank, counted) == stage


def test_no_stage_is_derived_without_every_count():
    counted = [t.model_copy(update={"published_count": n}) for t, n in zip(TIERS, (None, 33, 5))]
    assert stage_of_rank(1, counted) is None
