"""The illustrative 2020 scores agree with every fact the report published.

Each fact is asserted directly from the data here, independently of macros.consistency; then
the consistency check itself is shown to catch a broken edition.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys

import pytest

from macros.consistency import check_consistency, report_exemplars
from macros.contrib import load_cases
from macros.editions import load_edition
from macros.scoring import compute_results
from tests.conftest import ROOT, edit, editions


@pytest.fixture(scope="module")
def results():
    return compute_results(load_edition(ROOT, "2020"))


def composites(results) -> dict[str, float]:
    return dict(zip(results.table["city"], results.table["composite"]))


def confirmed(results) -> list[tuple[int, str]]:
    return sorted((r.rank, r.city) for r in results.edition.ranking)


def test_the_edition_says_it_is_illustrative(results):
    assert results.edition.meta.basis == "illustrative"
    assert results.edition.meta.illustrative.script == "scripts/generate_illustrative_scores.py"
    assert (ROOT / results.edition.meta.illustrative.script).is_file()


def test_ranking_holds_the_39_confirmed_rows(results):
    ranks = [rank for rank, _ in confirmed(results)]
    assert ranks == list(range(1, 21)) + list(range(51, 70))
    top5 = [results.edition.city_by_id[c].short_zh for _, c in confirmed(results)[:5]]
    assert top5 == ["深圳", "上海", "北京", "广州", "杭州"]


def test_composite_order_reproduces_the_confirmed_ranks(results):
    value = composites(results)
    order = [city for _, city in confirmed(results)]
    assert [value[c] for c in order] == sorted((value[c] for c in order), reverse=True)
    assert len({value[c] for c in order}) == len(order)  # strictly, no ties


@pytest.mark.parametrize(
    "ranks, tier", [(range(1, 6), "ecosystem"), (range(6, 21), "synergy"), (range(51, 70), "unit")]
)
def test_confirmed_ranks_land_in_the_stage_they_imply(results, ranks, tier):
    tier_of = dict(zip(results.table["city"], results.table["simulated_tier"]))  # the band of the score
    for rank, city in confirmed(results):
        if rank in ranks:
            assert tier_of[city] == tier, (rank, city)


def test_unranked_cities_never_take_a_confirmed_place(results):
    value = composites(results)
    by_rank = {rank: city for rank, city in confirmed(results)}
    ranked = set(by_rank.values())
    unranked = [c for c in value if c not in ranked]
    assert sorted(unranked) == sorted(["zhengzhou", "guiyang", "jincheng", "huhehaote", "panzhihua"])
    for city in unranked:
        between_20_and_51 = value[by_rank[51]] < value[city] < value[by_rank[20]]
        below_69 = value[city] < value[by_rank[69]]
        assert between_20_and_51 or below_69, city


def test_domain_means_put_government_infrastructure_governance_on_top_and_livelihood_last(results):
    means = results.domain_stats["mean"].sort_values(ascending=False)
    assert list(means.index[:3]) == ["government", "infrastructure", "governance"]
    assert means.index[-1] == "livelihood"


@pytest.mark.parametrize("measure", ["spread", "std"])
def test_spread_is_widest_in_innovation_government_economy(results, measure):
    widest = results.domain_stats[measure].sort_values(ascending=False).index[:3]
    assert set(widest) == {"innovation", "government", "economy"}


def test_no_stage_holds_more_cities_than_the_report_counted(results):
    counts = results.tier_counts
    assert list(counts["published"]) == [62, 33, 5]
    simulated = results.table["simulated_tier"].value_counts()
    assert all(simulated.get(t, 0) <= counts.loc[t, "published"] for t in counts.index)
    assert (counts["derived"] <= counts["published"]).all()


def test_every_exemplar_the_report_names_is_in_the_top_quarter_of_its_domain(results):
    """The report names each case city as an exemplar of its domain: its simulated score there
    is among the best quarter of the site's cities (ties counted in the city's favour)."""
    cases = load_cases(ROOT, editions(ROOT))
    exemplars = report_exemplars(cases, results.edition)
    assert len(exemplars) >= len(cases) > 0  # every case of the report cites it
    quarter = -(-len(results.table) // 4)
    table = results.table.set_index("city")
    for city, domain in exemplars:
        place = int((table[domain] > table.loc[city, domain]).sum()) + 1
        assert place <= quarter, (city, domain, place)


def test_an_exemplar_outside_the_top_quarter_stops_the_build_check(results):
    """The negative control: the same check with one exemplar's score pushed to the bottom."""
    import dataclasses

    edition = results.edition
    low = tuple({**row, "government": 0.0} if row["city"] == "jincheng" else row for row in edition.scores)
    worse = compute_results(dataclasses.replace(edition, scores=low))
    problems = check_consistency(worse, [("jincheng", "government")])
    assert any("晋城的数字政务得分只排在本站城市的第 44 位" in p.message for p in problems)


def test_every_score_is_within_0_and_100(results):
    scores = results.table[results.domain_ids]
    assert scores.min().min() >= 0 and scores.max().max() <= 100


def test_the_consistency_check_passes_on_the_edition(results):
    assert check_consistency(results) == []


def test_the_consistency_check_catches_a_swapped_pair(project):
    edit(project / "data/editions/2020/scores.csv", "shenzhen,97.3,", "shenzhen,10.0,")
    found = [p.format() for p in check_consistency(compute_results(load_edition(project, "2020")))]
    assert any("综合得分的顺序与公开排名不符：第 1 名深圳" in m for m in found)
    assert any(
        "第 1 名深圳的综合得分" in m
        and "属于“能力协同”" in m
        and "应为：按公布的各阶段城市数，第 1 名属于“生态创新”" in m
        for m in found
    )


def test_the_generator_is_seeded_and_reproducible(project):
    scores = project / "data/editions/2020/scores.csv"
    scores.unlink()
    done = subprocess.run(
        [sys.executable, "scripts/generate_illustrative_scores.py", "--root", str(project)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "0 inconsistencies" in done.stdout
    assert filecmp.cmp(scores, ROOT / "data/editions/2020/scores.csv", shallow=False)


def test_cities_and_ranking_are_reproduced_from_the_sources(project):
    generated = ["data/cities.csv"] + [f"data/editions/{year}/ranking.csv" for year in (2020, 2022, 2023, 2024, 2025)]
    for name in generated:
        (project / name).unlink()
    done = subprocess.run(
        [sys.executable, "scripts/import_sources.py", "--root", str(project)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for name in generated:
        assert filecmp.cmp(project / name, ROOT / name, shallow=False), name
