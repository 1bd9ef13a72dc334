"""Long tables: the page carries the first rows, the data file every row, and both agree."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from macros import render
from macros.editions import load_edition
from macros.scoring import compute_results
from tests.conftest import ROOT, many_cities, with_published_ranks


def case_src(city_id: str) -> str | None:
    return "cases/x-governance.md" if city_id in {"shenzhen", "city0007", "city0150"} else None


def link(src: str) -> str:
    return "../" + src


def url(src: str) -> str:
    path, _, anchor = src.partition("#")
    return path.removesuffix(".md") + "/" + (f"#{anchor}" if anchor else "")


def markdown_rows(markdown: str) -> list[str]:
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    return lines[2:]  # header and alignment rows first


def data_rows(script: str) -> list[list]:
    prefix = re.match(r'\(window\.dcoTables=window\.dcoTables\|\|\{\}\)\["(\w+)"\]=', script)
    assert prefix and script.endswith(";\n")
    return json.loads(script[prefix.end() : -2])["rows"]


@pytest.fixture(scope="module")
def results_2020():
    return compute_results(load_edition(ROOT, "2020"))


def test_a_short_table_is_all_in_the_page(results_2020):
    table = render.score_table(results_2020, case_src)
    assert len(table.rows) == len(results_2020.table) <= render.ROWS_IN_PAGE and not table.truncated
    markdown = render.long_table_markdown(table, link, "t.js", "d.csv", "d.csv")
    assert len(markdown_rows(markdown)) == len(results_2020.table)
    assert "data-src" not in markdown and 'data-table="scores"' in markdown
    assert "| [深圳](../cases/x-governance.md) | 广东省 | 1 |" in markdown


def test_a_long_table_pages_itself_and_its_data_holds_every_row():
    results = many_cities(1500)
    table = render.score_table(results, case_src)
    assert table.truncated
    markdown = render.long_table_markdown(table, link, "../assets/tables/scores.js", "../downloads/r.csv", "r.csv")
    shown = markdown_rows(markdown)
    assert len(shown) == render.ROWS_IN_PAGE
    assert 'data-src="../assets/tables/scores.js"' in markdown and 'data-total="1500"' in markdown
    assert "共 1500 行" in markdown and 'href="../downloads/r.csv"' in markdown
    rows = data_rows(render.long_table_data(table, url))
    assert len(rows) == 1500
    names = [row[0][0] for row in rows]
    assert names == [n.removesuffix("市") for n in results.table["name_zh"]]  # by composite, like the page
    for line, row in zip(shown, rows):  # the page's rows are the data's first rows
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        texts = [re.sub(r"^\[(.*)\]\(.*\)$", r"\1", c) for c in cells]
        assert texts == [cell[0] for cell in row]
    linked = {row[0][0]: row[0][1] for row in rows if len(row[0]) > 1}
    assert linked == {"测试7": "cases/x-governance/", "测试150": "cases/x-governance/"}


def test_emphasis_and_external_links_survive_into_the_data():
    table = render.LongTable(
        "t",
        ["a", "b"],
        "ll",
        [(render.Cell("未核实", em=True), render.Cell("来源", "https://example.org/x"))] * (render.ROWS_IN_PAGE + 1),
    )
    rows = data_rows(render.long_table_data(table, url))
    assert rows[0] == [["未核实", None, 1], ["来源", "https://example.org/x"]]
    # a source address is written as escaped HTML, never as Markdown link syntax
    assert (
        '| *未核实* | <a href="https://example.org/x" rel="noopener noreferrer nofollow">来源</a> |'
        in render.long_table_markdown(table, link, "t.js", "d.csv", "d.csv")
    )


def test_ranking_table_marks_every_gap_and_reads_ranks_smallest_first(results_2020):
    table = render.ranking_table(results_2020, case_src, "contribute.md#x")
    first = [row[0].text for row in table.rows]
    assert first[0] == "1" and "21–50" in first and "70–100" in first
    gap = table.rows[first.index("21–50")]
    assert gap[1].em and gap[3].target == "contribute.md#x"
    assert table.ascending == (0,)


def stages_page(results) -> str:
    """The Markdown of an edition's stages page, as the site writes it, for these results."""
    from macros.edition_pages import EditionPages
    from macros.site import Here, Site

    site = Site.load(ROOT)
    site.results[results.edition.id] = results
    site.editions[results.edition.id] = results.edition
    here = Here(f"{results.edition.id}/stages.md", f"{results.edition.id}/stages/")
    return EditionPages(site, results.edition, here).page("stages")


def stage_lines(text: str, results) -> dict[str, str]:
    members = text[text.index("## 本站收录城市的阶段") :]
    return {
        t.id: next(line for line in members.splitlines() if line.startswith(f"**{t.zh}**"))
        for t in results.edition.tiers
    }


def test_stage_lists_stop_at_the_limit_and_link_to_the_filtered_table():
    """The stages page of a large edition names the first cities of each stage, says how many
    there are, and links to the ranking page's full table filtered to that stage."""
    results = with_published_ranks(many_cities(3000), 2400, {"ecosystem": 150, "synergy": 990, "unit": 1860})
    text = stages_page(results)
    lines = stage_lines(text, results)
    for tier in results.edition.tiers:
        count = int((results.table["stage"] == tier.id).sum())
        assert f"共 {count} 个城市" in lines[tier.id], tier.id
        stage = f"({re.escape(quote(tier.zh))}|{re.escape(tier.zh)})"
        assert re.search(rf"\(ranking\.md\?stage={stage}[#)]", lines[tier.id]), tier.id
        assert lines[tier.id].count("](../cities/") == render.MEMBERS_LISTED, tier.id


def test_short_stage_lists_name_every_city(results_2020):
    """The 2020 stages page names every city whose stage is known, each under its stage and
    linked to its page, and needs no link to a filtered table."""
    text = stages_page(results_2020)
    lines = stage_lines(text, results_2020)
    assert "?stage=" not in text
    named = sum(line.count("](../cities/") for line in lines.values())
    assert named == int(results_2020.table["stage"].notna().sum()) > 0
