"""Chart specs: valid, deterministic, encoding only fields their data has, drawing the results."""

from __future__ import annotations

import math

import altair as alt
import jsonschema
import pandas as pd
import pytest

from macros import charts
from macros.editions import load_edition
from macros.figures import vega_runtime
from macros.labels import SIMULATED_LONG
from macros.scoring import compute_results
from tests.conftest import ROOT, many_cities, with_published_ranks


@pytest.fixture(scope="module")
def results():
    return compute_results(load_edition(ROOT, "2020"))


def all_figures(results):
    yield charts.build_domain_capability_chart(results)
    yield charts.build_tier_distribution_chart(results)
    yield charts.build_province_chart(results)
    for d in results.domain_ids:
        yield charts.build_domain_distribution_chart(results, d, {"shenzhen"})
        yield charts.build_domain_top_chart(results, d)
    yield charts.build_tier_bands_chart(results)
    yield charts.build_rank_chart(results)
    yield charts.build_case_profile_chart(results, "shenzhen")
    yield charts.build_case_profile_chart(results, "jincheng")


def layers(spec: dict):
    if "layer" in spec:
        for layer in spec["layer"]:
            yield from layers(layer)
    else:
        yield spec


def fields(encoding: dict):
    for channel in encoding.values():
        for item in channel if isinstance(channel, list) else [channel]:
            if isinstance(item, dict) and "field" in item:
                yield item["field"]


def test_every_figure_is_complete(results):
    for figure in all_figures(results):
        assert figure.title and figure.caption and figure.alt, figure.id
        assert set(figure.columns) <= set(figure.data.columns), figure.id
        assert len(figure.table_frame()) == len(figure.data) > 0, figure.id
        assert "$schema" not in figure.spec and "http" not in figure.spec_json(), figure.id


def test_encoded_fields_exist_in_the_data_each_layer_draws(results):
    for figure in all_figures(results):
        for layer in layers(figure.spec):
            values = layer.get("data", figure.spec.get("data", {})).get("values")
            assert values, (figure.id, "layer without inline data")
            for field in fields(layer.get("encoding", {})):
                assert field in values[0], (figure.id, field)


def test_specs_are_deterministic(results):
    first = [f.spec_json() for f in all_figures(results)]
    second = [f.spec_json() for f in all_figures(compute_results(load_edition(ROOT, "2020")))]
    assert first == second


def test_figure_ids_are_unique(results):
    ids = [f.id for f in all_figures(results)]
    assert len(ids) == len(set(ids))


def test_domain_capability_draws_the_domain_statistics(results):
    figure = charts.build_domain_capability_chart(results)
    stats = results.domain_stats
    zh = {d.id: d.zh for d in results.edition.domains}
    drawn = {r["domain"]: r for r in figure.spec["data"]["values"]}  # the layers share the data
    for domain_id, row in stats.iterrows():
        assert math.isclose(drawn[zh[domain_id]]["mean"], row["mean"], abs_tol=1e-3)
        assert math.isclose(drawn[zh[domain_id]]["min"], row["min"], abs_tol=1e-3)
        assert math.isclose(drawn[zh[domain_id]]["max"], row["max"], abs_tol=1e-3)
    assert list(figure.data["domain"])[:3] == ["数字政务", "数字基础", "数字治理"]


def test_tier_distribution_draws_published_and_derived_counts(results):
    figure = charts.build_tier_distribution_chart(results)
    counts = {(r["tier"], r["source"]): r["count"] for r in figure.data.to_dict("records")}
    assert counts[("生态创新", charts.PUBLISHED)] == 5
    assert counts[("能力协同", charts.PUBLISHED)] == 33
    assert counts[("单元数字化", charts.PUBLISHED)] == 62
    for tier_id, zh in [("ecosystem", "生态创新"), ("synergy", "能力协同"), ("unit", "单元数字化")]:
        ranked = [r for r in results.edition.ranking if results.city(r.city) is not None]
        expected = sum(1 for r in ranked if stage_of(r.rank) == tier_id)
        assert counts[(zh, charts.DATA)] == results.tier_counts.loc[tier_id, "derived"] == expected
    assert not figure.simulated and SIMULATED_LONG not in figure.spec_json()  # no score in it


def stage_of(rank: int) -> str:
    """The published counts 5 / 33 / 62, read off by hand: the rule the core must follow."""
    return "ecosystem" if rank <= 5 else "synergy" if rank <= 38 else "unit"


def test_domain_distribution_marks_every_city_and_the_case_cities(results):
    figure = charts.build_domain_distribution_chart(results, "government", {"shenzhen", "jinan"})
    assert len(figure.data) == len(results.table)
    marked = set(figure.data.loc[figure.data["case"] == "案例城市", "city"])
    assert marked == {"深圳", "济南"}


def test_rank_chart_draws_only_confirmed_ranks(results):
    figure = charts.build_rank_chart(results)
    assert list(figure.data["rank"]) == sorted(r.rank for r in results.edition.ranking)


def test_case_profile_compares_the_city_with_its_tier_mean(results):
    figure = charts.build_case_profile_chart(results, "shenzhen")
    means = results.table[results.table["stage"] == "ecosystem"][results.domain_ids].mean()
    rows = figure.data.to_dict("records")
    city = {r["domain"]: r["score"] for r in rows if r["series"] == "深圳"}
    tier = {r["domain"]: r["score"] for r in rows if r["series"] != "深圳"}
    assert city["数字经济"] == results.city("shenzhen")["economy"]
    assert math.isclose(tier["数字经济"], means["economy"])


def test_every_spec_is_valid_vega_lite(results):
    """The build skips Altair's validation (it costs a third of a build); this is where it runs."""
    validate = alt.vegalite.v6.schema.core.Root.validate
    large = many_cities(charts.CITY_MARKS_LIMIT + 1)
    figures = [
        *all_figures(results),
        charts.build_domain_distribution_chart(large, "economy", {"city0001"}),
        charts.build_tier_bands_chart(large),
        charts.build_rank_chart(with_published_ranks(large, charts.CITY_MARKS_LIMIT + 1)),
    ]
    for figure in figures:
        validate(figure.spec)
    broken = dict(figures[0].spec, mark="no-such-mark", layer=None)
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_the_vega_runtime_bundle_is_local():
    bundle = vega_runtime()
    assert "vegaEmbed" in bundle and len(bundle) > 100_000
    assert "cdn.jsdelivr" not in bundle


# ------------------------------------------------------------------------------- at scale


def test_score_bins_are_half_open_like_the_tiers():
    values = pd.Series([59.9999, 60.0, 62.4, 62.5, 70.0, 99.9, 100.0])
    bins = charts.score_bins(values, pd.Series(["a"] * len(values)), ["a"])
    counts = dict(zip(bins["band"], bins["count"]))
    assert counts == {"57.5–60": 1, "60–62.5": 2, "62.5–65": 1, "70–72.5": 1, "97.5–100": 2}  # 100 is in the last band
    assert bins["count"].sum() == len(values)


def test_per_city_charts_switch_to_histograms_above_the_limit():
    limit = charts.CITY_MARKS_LIMIT
    at_limit = with_published_ranks(many_cities(limit), limit, {"ecosystem": 10, "synergy": 66, "unit": limit - 76})
    above = with_published_ranks(
        many_cities(limit + 1), limit + 1, {"ecosystem": 10, "synergy": 66, "unit": limit - 75}
    )
    assert len(charts.build_domain_distribution_chart(at_limit, "economy", set()).data) == limit
    assert len(charts.build_tier_bands_chart(at_limit).data) == limit
    assert "band" in charts.build_domain_distribution_chart(above, "economy", set()).data
    assert "band" in charts.build_tier_bands_chart(above).data


def test_domain_histogram_counts_every_city_and_the_case_cities_in_their_band():
    results = many_cities(3000)
    cases = {f"city{i:04d}" for i in range(0, 3000, 10)}
    figure = charts.build_domain_distribution_chart(results, "innovation", cases)
    data = figure.data
    assert data["count"].sum() == 3000
    assert data.loc[data["group"] == "案例城市", "count"].sum() == len(cases)
    table = results.table
    for row in data.itertuples():
        below_end = (table["innovation"] < row.end) | ((row.end == charts.SCORE_MAX) & (table["innovation"] == row.end))
        in_band = table[(table["innovation"] >= row.start) & below_end]
        is_case = in_band["city"].isin(cases)
        assert row.count == int(is_case.sum() if row.group == "案例城市" else (~is_case).sum()), row.band
    drawn = sum(len(layer.get("data", {}).get("values", [])) for layer in layers(figure.spec))
    assert drawn == len(data) + 1 < 100  # bands and the mean: a page carries bands, not cities
    assert "等 300 个" in figure.alt


def test_tier_histogram_counts_the_derived_stages_of_ranked_cities_only():
    results = with_published_ranks(many_cities(3000), 2400, counts={"ecosystem": 150, "synergy": 990, "unit": 1860})
    figure = charts.build_tier_bands_chart(results)
    drawn = figure.data.groupby("group")["count"].sum()
    for tier in results.edition.tiers:
        assert drawn.get(tier.zh, 0) == results.tier_counts.loc[tier.id, "derived"] > 0
    assert drawn.sum() == 2400 < len(results.table)  # the 600 cities without a rank are not drawn
    assert "未核实" not in set(figure.data["group"])


def test_rank_chart_groups_many_confirmed_ranks():
    results = with_published_ranks(many_cities(3000), 2000)
    figure = charts.build_rank_chart(results)
    data = figure.data
    assert data["cities"].sum() == 2000 and len(data) <= charts.RANK_BANDS
    assert data.loc[0, "band"] == "1–60" and data.loc[0, "cities"] == int((results.table["published_rank"] <= 60).sum())
    top = results.table[results.table["published_rank"] <= 60]["composite"]
    assert math.isclose(data.loc[0, "mean"], top.mean()) and data.loc[0, "max"] == top.max()
    assert figure.alt.startswith("2000 个有公开名次的城市") and "第 1 名" in figure.alt
