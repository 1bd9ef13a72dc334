"""Chart specs: valid, deterministic, encoding only fields their data has, drawing the results."""

from __future__ import annotations

import math

import pytest

from macros import charts
from macros.editions import load_edition
from macros.scoring import compute_results
from tests.conftest import ROOT


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


def test_tier_distribution_draws_published_and_data_counts(results):
    figure = charts.build_tier_distribution_chart(results)
    counts = {(r["tier"], r["source"]): r["count"] for r in figure.data.to_dict("records")}
    assert counts[("生态创新", charts.PUBLISHED)] == 5
    assert counts[("能力协同", charts.PUBLISHED)] == 33
    assert counts[("单元数字化", charts.PUBLISHED)] == 62
    for tier_id, zh in [("ecosystem", "生态创新"), ("synergy", "能力协同"), ("unit", "单元数字化")]:
        assert counts[(zh, charts.DATA)] == results.tier_counts.loc[tier_id, "data"]


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
    means = results.tier_means.loc["ecosystem"]
    rows = figure.data.to_dict("records")
    city = {r["domain"]: r["score"] for r in rows if r["series"] == "深圳"}
    tier = {r["domain"]: r["score"] for r in rows if r["series"] != "深圳"}
    assert city["数字经济"] == results.city("shenzhen")["economy"]
    assert math.isclose(tier["数字经济"], means["economy"])


def test_the_vega_runtime_bundle_is_local(results):
    bundle = charts.vega_bundle(charts.vegalite_version())
    assert "vegaEmbed" in bundle and len(bundle) > 100_000
    assert "cdn.jsdelivr" not in bundle
