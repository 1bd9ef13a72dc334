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


def test_home_opens_on_who_leads_from_the_newest_edition_with_first_places(site):
    from macros.series_pages import SeriesPages
    from macros.site import Here

    home = SeriesPages(site, Here("index.md", "")).home()
    first = home.split("\n## ")[0]
    assert first.startswith("## 谁领先：2023数字百强市"), first[:80]  # not 2025, which published no rank
    assert "\n1. " in first and "北京" in first.split("\n1. ")[1].split("\n")[0]
    assert "2024 年只读到 3 个公开名次" in first and "2025 年没有读到任何名次" in first


def test_the_citation_file_is_what_the_data_gives():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "scripts/write_citation.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_pages_cite_themselves_in_three_formats(site):
    import datetime as dt

    from macros.citation import citation_block, formats
    from macros.series_pages import SeriesPages
    from macros.site import Here

    cites = formats("深圳", "https://example.org/cities/shenzhen/", "cities/shenzhen/", dt.date(2026, 12, 8))
    assert cites["gbt"] == (
        "数字城市观察贡献者. 深圳[EB/OL]. 数字城市观察, (2026-12-08)[2026-12-08]. https://example.org/cities/shenzhen/."
    )
    assert cites["apa"].startswith("Digital City Observatory contributors. (2026, December 8). 深圳.")
    assert (
        cites["bibtex"].startswith("@misc{dco-cities-shenzhen,")
        and "url = {https://example.org/cities/shenzhen/}" in cites["bibtex"]
    )
    assert citation_block("x", None, "x/", dt.date(2026, 1, 1)) == ""  # offline: no address to cite
    site.site_url, site.data_date = "https://example.org/", dt.date(2026, 12, 8)
    try:
        page = SeriesPages(site, Here("cities/shenzhen.md", "cities/shenzhen/")).city_page("shenzhen")
    finally:
        site.site_url = site.data_date = None
    assert '??? quote "引用本页"' in page and "https://example.org/cities/shenzhen/" in page
