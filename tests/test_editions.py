"""Editions as data: every folder of data/editions/ is built into complete pages, with no change
to Python or Markdown; unknown ids stop cleanly; the core runs without MkDocs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from macros import contrib, labels
from macros.editions import load_all
from macros.problems import DataError
from macros.site import MACROS, Here, Site, edition_src, gather
from tests.conftest import ROOT, article, build_site, edit, read_page

NEW_EDITION = {
    "edition.yaml": """id: "2026"
title: 2026测试城市研究报告
short_title: 2026测试百强
publisher: 测试机构
size: 50
sources:
  - {id: wire, title: 测试报道, publisher: 测试网, url: "https://example.org/2026"}
facts:
  - id: mean
    statement: 平均得分为 {value}。
    measure: 百强平均得分
    value: 61.5
    sources: [wire]
  - id: north
    statement: 北方城市表现突出。
    cities: [beijing, tianjin]
    domains: [grid]
    sources: [wire]
""",
    "domains.yaml": """basis: published
sources: [wire]
domains:
  - {id: grid, zh: 数字电网}
  - {id: water, zh: 数字水务}
  - {id: farm, zh: 数字农业, change: added, change_source: wire}
  - {id: trade, zh: 数字商贸}
  - {id: health, zh: 数字健康, about: 医疗服务的数字化。}
""",
    "tiers.yaml": """sources: [wire]
tiers:
  - {id: low, zh: 起步, color: "#78909c"}
  - {id: mid, zh: 成长, color: "#00897b"}
  - {id: high, zh: 领先, color: "#3f51b5"}
""",
    "ranking.csv": """rank,city,source,basis,rule
1,beijing,https://example.org/2026,published,
2,tianjin,https://example.org/2026,published,
,wuhan,https://example.org/2026,published,
""",
}

NEW_CASE = """---
edition: 2026
city: tianjin
domains: [water]
title: 海河水务一张图
summary: 一个测试用的新版本案例。
sources:
  - {title: 测试报道, publisher: 测试网, date: 2026-01, url: "https://example.org/2026"}
---

## 做法

把全市的水务数据接到一张图上。
"""


def add_edition(project: Path) -> None:
    folder = project / "data/editions/2026"
    folder.mkdir()
    for name, text in NEW_EDITION.items():
        (folder / name).write_text(text, encoding="utf-8")
    (project / "docs/cases/tianjin-water.md").write_text(NEW_CASE, encoding="utf-8")


def code_digest(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in [*root.glob("macros/**/*.py"), *root.glob("docs/**/*.md"), *root.glob("hooks/*.py")]
    }


@pytest.mark.build
def test_an_edition_no_page_knows_gets_complete_pages(project):
    before = code_digest(project)
    add_edition(project)
    done = build_site(project)
    assert done.returncode == 0, done.stderr[-3000:]
    assert {k: v for k, v in code_digest(project).items() if k != "docs/cases/tianjin-water.md"} == before
    site = project / "site"

    overview = article(read_page(site, "2026/"))
    assert overview.h1.get_text(strip=True).rstrip("¶") == "2026测试百强"
    text = overview.get_text(" ", strip=True)
    assert "平均得分为 61.5" in text and "测试网" in text
    assert "各领域的权重" in text and "各阶段的分数区间" in text  # said as not published
    for d, zh in [
        ("grid", "数字电网"),
        ("water", "数字水务"),
        ("farm", "数字农业"),
        ("trade", "数字商贸"),
        ("health", "数字健康"),
    ]:
        page = article(read_page(site, f"2026/domains/{d}/"))
        assert page.h1.get_text(strip=True).rstrip("¶") == zh
        assert "没有公布分数" in page.get_text(" ", strip=True)
    grid = article(read_page(site, "2026/domains/grid/")).get_text(" ", strip=True)
    assert "北方城市表现突出" in grid  # the fact naming the domain is on its page
    stages = article(read_page(site, "2026/stages/")).get_text(" ", strip=True)
    assert all(s in stages for s in ("起步", "成长", "领先")) and "未公布" in stages
    ranking = article(read_page(site, "2026/ranking/"))
    cells = [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in ranking.select("table tbody tr")]
    assert ["1", "北京"] == cells[0][:2] and ["2", "天津"] == cells[1][:2]
    assert any(row[0] == "3–50" for row in cells)  # the places no source states
    assert any(row[0] == labels.MEMBER and row[1] == "武汉" for row in cells)
    case = article(read_page(site, "cases/tianjin-water/"))
    assert case.h1.get_text(strip=True).rstrip("¶") == "海河水务一张图"
    assert "2026测试百强" in case.get_text(" ", strip=True)
    assert "海河水务一张图" in article(read_page(site, "2026/cases/")).get_text(" ", strip=True)
    # The newest edition leads the home page and the navigation; every edition switches to it.
    home = read_page(site, "")
    assert "2026测试百强" in article(home).find("h2").get_text()
    assert home.find("a", string="2026测试百强") is not None
    switch = read_page(site, "2020/ranking/").select_one("nav.dco-editions")
    assert switch.find("a", string="2026")["href"] == "../../2026/ranking/"
    # A domain the other edition lacks switches to that edition's domains page.
    switch = read_page(site, "2026/domains/grid/").select_one("nav.dco-editions")
    assert switch.find("a", string="2020")["href"] == "../../../2020/domains/"


def test_a_case_naming_a_domain_its_edition_lacks_is_refused(project):
    text = (project / "docs/cases/shenzhen-government.md").read_text(encoding="utf-8")
    (project / "docs/cases/shenzhen-government.md").write_text(text.replace("edition: 2020", "edition: 2023"))
    _, _, problems = gather(project)
    found = [p.format() for p in problems]
    assert any(
        "shenzhen-government.md" in f and "government" in f and "不是 2023 年版本的领域编号" in f and "economy" in f
        for f in found
    ), found


def test_a_case_naming_an_edition_that_does_not_exist_is_refused(project):
    path = project / "docs/cases/shenzhen-government.md"
    path.write_text(path.read_text(encoding="utf-8").replace("edition: 2020", "edition: 2021"))
    _, _, problems = gather(project)
    found = [p.format() for p in problems]
    assert any("edition" in f and "2021" in f and "不是已有的版本" in f and "2023" in f for f in found), found


def test_an_edition_folder_without_a_required_file_stops_cleanly(project):
    (project / "data/editions/2024/domains.yaml").unlink()
    with pytest.raises(DataError) as caught:
        load_all(project)
    report = caught.value.report()
    assert "data/editions/2024/domains.yaml" in report and "缺少必需的文件" in report and "edition.yaml" in report
    done = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "缺少必需的文件" in done.stderr


def test_a_renamed_domain_must_name_a_domain_of_the_edition_before(project):
    path = project / "data/editions/2023/domains.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("previous: [industry]", "previous: [industri]"))
    with pytest.raises(DataError) as caught:
        load_all(project)
    report = caught.value.report()
    assert "industri" in report and "不是 2022 年版本的领域编号" in report and "industry" in report


def test_narrative_for_a_domain_the_edition_lacks_is_refused(project):
    folder = project / "data/editions/2023/pages/domains"
    folder.mkdir(parents=True)
    (folder / "government.md").write_text("说明文字。\n", encoding="utf-8")
    _, _, problems = gather(project)
    found = [p.format() for p in problems]
    assert any("government.md" in f and "不是 2023 年版本的领域" in f and "economy" in f for f in found), found


@pytest.mark.parametrize(
    "line, message",
    [
        ("<script>alert(1)</script>", "HTML"),
        ("{{ 7*7 }}", "模板"),
        ("![x](https://example.org/x.png)", "图片"),
        ("[点我](javascript:alert(1))", "链接"),
        ("[点我][1]\n\n[1]: javascript:alert(1)", "链接"),
        ('## 标题 {: onclick="alert(1)" }', "属性"),
    ],
)
def test_narrative_is_prose_only(project, line, message):
    path = project / "data/editions/2020/pages/stages.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    _, _, problems = gather(project)
    found = [p.format() for p in problems]
    assert any("stages.md" in f and message in f for f in found), found


# ------------------------------------------------------------------- core, without MkDocs


@pytest.fixture(scope="module")
def site() -> Site:
    return Site.load(ROOT)


def test_pages_are_generated_for_every_edition_and_city(site):
    pages = site.pages()
    for e in site.editions.values():
        for kind in ("overview", "domains", "stages", "ranking", "cases", "methodology", "data"):
            assert edition_src(e.id, kind) in pages
        for d in e.domains:
            assert pages[edition_src(e.id, "domain", d.id)] == f'{{{{ edition_page("{e.id}", "domain", "{d.id}") }}}}\n'
    assert {f"cities/{c.id}.md" for c in site.cities} <= set(pages)
    assert "2020/trends.md" in pages  # a narrative page of its own


def test_the_navigation_lists_editions_newest_first_with_their_cases(site):
    nav = site.nav()
    editions = next(item for item in nav if "历年报告" in item)["历年报告"]
    titles = [next(iter(x)) for x in editions]
    assert titles == [e.meta.short_title for e in reversed(site.editions.values())]
    first = editions[-1][site.first.meta.short_title]
    cases = next(x for x in first if isinstance(x, dict) and "案例" in x)["案例"]
    listed = [c for c in site.cases_of("2020") if c.src_uri in site.cases_in_nav]
    assert cases[0] == "2020/cases.md"
    assert sorted(next(iter(x.values())) if isinstance(x, dict) else x for x in cases[1:]) == sorted(
        c.src_uri for c in listed
    )


def test_old_addresses_redirect_to_the_first_edition(site):
    redirects = site.redirects()
    assert redirects["ranking.md"] == "2020/ranking.md" and redirects["tiers.md"] == "2020/stages.md"
    assert redirects["domains/economy.md"] == "2020/domains/economy.md"
    page = site.redirect_page("ranking/", "2020/ranking/")
    assert 'url=../2020/ranking/"' in page and 'lang="zh-CN"' in page and "<script" not in page
    assert site.redirect_page("ranking.html", "2020/ranking.html").count('href="2020/ranking.html"') == 2


def test_links_are_relative_to_the_page(site):
    here = Here("2020/domains/economy.md", "2020/domains/economy/")
    assert here.link("cities/wuhan.md") == "../../cities/wuhan.md"
    assert here.file("downloads/2020-results.csv") == "../../../downloads/2020-results.csv"
    offline = Here("2020/domains/economy.md", "2020/domains/economy.html")
    assert offline.file("downloads/2020-results.csv") == "../../downloads/2020-results.csv"


def test_the_case_page_layout_is_built_without_mkdocs(site):
    case = site.case_by_src["cases/shenzhen-government.md"]
    text = site.case_page(Here(case.src_uri, "cases/shenzhen-government/"), case)
    assert text.startswith("# 领军城市数字政务创新“标杆”")
    assert "../2020/domains/government.md" in text and "../cities/shenzhen.md" in text
    assert text.index("概况") < text.index(contrib.BODY_PLACEHOLDER) < text.index("## 来源")
    assert site.case_meta(case)["title"].startswith("深圳 · ")


def test_every_macro_is_documented_and_every_label_exists():
    assert MACROS and all(labels.t(f"macro.{name}") for name in MACROS)
    used = set()
    for path in (ROOT / "macros").glob("*.py"):
        used |= set(re.findall(r"\bt\(\s*[\"']([a-z_]+(?:\.[a-z_]+)+)[\"']", path.read_text(encoding="utf-8")))
    assert used and used <= set(labels.catalog()), sorted(used - set(labels.catalog()))
    with pytest.raises(KeyError, match="no label"):
        labels.t("no.such.label")


def test_a_derived_rank_says_how_it_was_derived(site):
    changsha = next(r for r in site.editions["2022"].ranking if r.city == "changsha")
    assert changsha.basis == "derived" and "17" in changsha.rule
    table = site.results["2022"].table.set_index("city")
    assert table.loc["changsha", "rank_basis"] == "derived"


@pytest.mark.build
def test_a_page_naming_a_domain_its_edition_lacks_stops_the_build_with_a_message(project):
    page = project / "docs/changes.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{ edition_page("2023", "domain", "government") }}\n')
    done = build_site(project)
    assert done.returncode != 0
    assert "changes.md" in done.stderr and "2023 年版本没有这一页" in done.stderr and "domain economy" in done.stderr
    assert "Traceback" not in done.stderr


def guangdong_statement(project, statement: str) -> None:
    """Replace a 2023 fact's statement with `statement` (a YAML double-quoted string)."""
    edit(
        project / "data/editions/2023/edition.yaml",
        "statement: 广东的优势领域是数字治理、数字创新和数字低碳。",
        f'statement: "{statement}"',
    )


def test_markup_in_free_text_of_a_data_file_is_refused(project):
    guangdong_statement(project, "广东的优势领域 [点我](javascript:alert(1)) <b>x</b> {: onclick=y }")
    with pytest.raises(DataError) as caught:
        Site.load(project)
    assert "facts.statement：不能含" in caught.value.report()


def test_free_text_of_a_data_file_is_inert_on_the_page(project):
    """What validation lets through (ordinary punctuation) is still written inert."""
    guangdong_statement(project, "广东的优势领域 *强调* _下划线_ (javascript:alert(1)) & 100%")
    from macros.edition_pages import EditionPages

    site = Site.load(project)
    text = EditionPages(site, site.editions["2023"], Here("2023/index.md", "2023/")).page("overview")
    assert "广东的优势领域" in text
    assert "*强调*" not in text and "_下划线_" not in text and "(javascript:" not in text


def ranked(size: int, published: list[int]):
    """An edition as `render.unverified_ranks` reads it: its size and its published ranks."""
    from types import SimpleNamespace

    return SimpleNamespace(ranked=[SimpleNamespace(rank=r) for r in published], meta=SimpleNamespace(size=size))


def test_unverified_ranks_are_named_in_full_or_bounded_for_every_city_page():
    from macros.render import RUNS_LISTED, RUNS_SHOWN, unverified_ranks

    few = ranked(100, [*range(1, 21), *range(51, 70)])
    assert unverified_ranks(few) == unverified_ranks(few, bounded=True) == "第 21–50 名和第 70–100 名"
    many = ranked(4 * RUNS_LISTED, list(range(2, 4 * RUNS_LISTED + 1, 2)))  # every odd rank unknown
    full, bounded = unverified_ranks(many), unverified_ranks(many, bounded=True)
    assert full.count("第") == 2 * RUNS_LISTED  # the control: every run named
    assert bounded.count("第") == RUNS_SHOWN and bounded.endswith(f"等 {2 * RUNS_LISTED} 个")
