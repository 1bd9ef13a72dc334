"""What readers see (issue: nothing unknown shown as zero, moves that say what changed, no
membership implied): the core's answers, checked directly on the real data."""

from __future__ import annotations

import json

import pytest

from macros import render
from macros.charts import RANK_SPAN, build_city_rank_chart
from macros.labels import MEMBER, UNLISTED
from macros.provinces import province_counts
from macros.series import method_changes, movements
from macros.site import Site
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


def test_a_province_count_is_the_reports_own_where_it_states_one(site):
    e = site.editions["2023"]
    shandong = province_counts(e, ["山东省"])["山东省"]
    assert shandong.stated == 15 and shandong.count == 15  # not the 1 city the site knows
    assert shandong.known < 15 and shandong.partial
    assert province_counts(site.editions["2024"], ["山东省"])["山东省"].count == 14


def test_a_province_with_nothing_known_is_unknown_never_zero(site):
    e = site.editions["2025"]
    assert len(e.ranking) < e.meta.size  # the site does not know the whole list
    for province in ("北京市", "广东省", "江苏省"):
        c = province_counts(e, [province])[province]
        assert c.count is None and c.known == 0, c
    tiles = render.province_tiles(site.results["2025"], lambda src: src)
    for short in ("北京", "广东", "江苏"):
        tile = tiles[tiles.index(f"<span>{short}</span>") :]
        assert tile.split("</strong>")[0].endswith("<strong>未知"), tile[:120]
    assert "<strong>0</strong>" not in tiles


def test_a_tile_says_known_and_stated_when_they_differ(site):
    tiles = render.province_tiles(site.results["2023"], lambda src: src)
    shandong = tiles[tiles.index("<span>山东</span>") :]
    assert shandong.startswith("<span>山东</span><strong>15</strong><small>已知 ")


def test_a_move_across_a_method_change_says_so(site):
    eds = site.editions
    changes = method_changes(eds["2020"], eds["2023"], eds.values())
    assert {"domains", "stages", "gap"} <= set(changes)  # renamed domains, new stages, no 2021
    moves = movements(site)
    dongguan = moves[(moves["city"] == "dongguan") & (moves["from_edition"] == "2020")]
    assert len(dongguan) == 1 and dongguan.iloc[0]["changes"]
    same = [
        (a, b) for a, b in zip(list(eds.values()), list(eds.values())[1:]) if not method_changes(a, b, eds.values())
    ]
    assert all(a.meta.size == b.meta.size for a, b in same)  # the control: "no change" is possible


def test_rank_axes_are_whole_numbers_over_at_least_ten_places(site):
    figure = build_city_rank_chart(site, "shenzhen")
    spec = json.dumps(figure.spec)
    assert '"format": "d"' in spec and '"tickMinStep": 1' in spec
    assert f'"domain": [1, {RANK_SPAN}]' in spec
    assert "strokeDash" in spec  # the editions whose method changed are marked


def test_a_city_no_source_lists_is_not_said_to_be_in_the_list(site):
    e = site.editions["2020"]
    listed = {r.city for r in e.ranking}
    assert "jincheng" not in listed and "panzhihua" not in listed
    assert render.listing(e, "jincheng") == UNLISTED
    member = next((r.city for r in site.editions["2025"].ranking if r.rank is None), None)
    assert member and render.listing(site.editions["2025"], member) == MEMBER


def test_the_stages_table_counts_no_city_outside_the_list():
    on = Site.load(ROOT, simulated_layer=True)  # its table holds cities no source lists (晋城, 攀枝花)
    results = on.results["2020"]
    listed = {r.city for r in results.edition.ranking}
    assert not set(results.table["city"]) <= listed  # the case the row would have counted
    table = render.tier_table(results)
    assert "| 未核实 |" not in table and "未核实" not in table.split("\n\n")[0], table


def test_a_value_cites_only_the_sources_that_state_it(site):
    from macros.series_pages import SeriesPages
    from macros.site import Here

    pages = SeriesPages(site, Here("cities/changsha.md", "cities/changsha/"))
    facts = pages.city_facts("changsha")
    row = next(line for line in facts.splitlines() if "数字经济分榜名次" in line)
    assert "xhyb.net.cn" in row and "zsnews.cn" not in row, row


def test_the_simulated_layer_is_off_unless_asked_for():
    from macros import simulated_layer_on

    assert simulated_layer_on({}) is False and simulated_layer_on({"simulated_layer": "on"}) is True
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'simulated_layer: !ENV [SIMULATED_LAYER, "off"]' in text
    assert Site.load.__defaults__[0] is False
