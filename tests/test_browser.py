"""The built site as readers meet it, in Debian's Chromium driven by Playwright.

Served on 127.0.0.1 by a local server; the offline copy opened from file:// after unzipping.
Screenshots at phone width go to test-artifacts/ for reviewers (not committed). The served site
and the browser are fixtures of tests/conftest.py, shared with tests/test_accessibility.py.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from macros.editions import load_all
from tests.conftest import DESKTOP, PHONE, ROOT, build_and_serve, build_site, new_page

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"

NAV_PAGES = [
    "",
    "2025/",
    "2024/",
    "2024/ranking/",
    "2023/",
    "2023/stages/",
    "2023/domains/",
    "2022/",
    "2020/",
    "2020/domains/",
    "2020/domains/economy/",
    "2020/domains/governance/",
    "2020/domains/government/",
    "2020/domains/livelihood/",
    "2020/domains/innovation/",
    "2020/domains/infrastructure/",
    "2020/stages/",
    "2020/ranking/",
    "2020/cases/",
    "cases/shenzhen-government/",
    "cases/hangzhou-governance/",
    "cities/",
    "cities/zhengzhou/",
    "cities/changsha/",
    "provinces/",
    "changes/",
    "movements/",
    "2020/trends/",
    "2020/methodology/",
    "2020/data/",
    "tags/",
    "contribute/",
]
FIGURE_PAGES = [
    "2020/",
    "2020/domains/government/",
    "2020/domains/economy/",
    "2020/stages/",
    "2020/ranking/",
    "cases/shenzhen-government/",
    "cases/jincheng-government/",
    "cities/shenzhen/",
    "movements/",
]
# Addresses of the site when it had one edition -> (the 2020 page they send readers to, its H1).
OLD_ADDRESSES = {
    "domains/": ("2020/domains/", "领域"),
    "domains/economy/": ("2020/domains/economy/", "数字经济"),
    "domains/governance/": ("2020/domains/governance/", "数字治理"),
    "domains/government/": ("2020/domains/government/", "数字政务"),
    "domains/livelihood/": ("2020/domains/livelihood/", "数字民生"),
    "domains/innovation/": ("2020/domains/innovation/", "数字创新"),
    "domains/infrastructure/": ("2020/domains/infrastructure/", "数字基础"),
    "tiers/": ("2020/stages/", "发展阶段"),
    "ranking/": ("2020/ranking/", "排名"),
    "cases/": ("2020/cases/", "案例"),
    "trends/": ("2020/trends/", "发展趋势"),
    "methodology/": ("2020/methodology/", "方法与来源"),
    "data/": ("2020/data/", "数据下载"),
}


class Watch:
    """Console errors, failed requests and requests to other hosts, for one page."""

    def __init__(self, page, origin: str):
        self.errors, self.failed, self.foreign = [], [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("request", lambda r: self._check(r.url, origin))

    def _check(self, url: str, origin: str):
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.scheme == "file":
            return
        if f"{parsed.scheme}://{parsed.netloc}" != origin.rstrip("/"):
            self.foreign.append(url)

    def assert_clean(self, where: str):
        assert not self.errors, (where, self.errors)
        assert not self.failed, (where, self.failed)
        assert not self.foreign, (where, self.foreign)


def h1(page) -> str:
    """The page's heading as readers see it (without the ¶ of its permalink)."""
    return page.locator("article h1").first.text_content().strip().removesuffix("¶").strip()


SHOWN_DRAWINGS = """els => els.map(e => {
    const svg = [...e.querySelectorAll('svg')].find(s => s.getBoundingClientRect().width > 0);
    return svg ? {
        marks: svg.querySelectorAll('path, line, circle, rect').length,
        label: svg.getAttribute('aria-label'),
        role: svg.getAttribute('role'),
        want: e.dataset.label,
        width: svg.getBoundingClientRect().width,
    } : null;
})"""


def wait_for_figures(page, count: int | None = None):
    """Every figure shows a drawing with marks, named in Chinese for assistive technology (the
    drawings are in the page as built: no script is needed to see them)."""
    page.wait_for_function(
        "() => { const c = document.querySelectorAll('.dco-chart');"
        " return c.length > 0 && [...c].every(e => [...e.querySelectorAll('svg')]"
        ".some(s => s.getBoundingClientRect().width > 0)); }",
        timeout=20_000,
    )
    shown = page.eval_on_selector_all(".dco-chart", SHOWN_DRAWINGS)
    for drawing in shown:
        assert drawing and drawing["marks"] > 0, shown
        assert drawing["role"] == "img" and drawing["want"] and drawing["label"] == drawing["want"], drawing
        assert re.search(r"[\u4e00-\u9fff]", drawing["label"]), drawing  # a Chinese name
    if count is not None:
        assert len(shown) == count


def make_live(page, index: int = 0):
    """Point at a figure: the chart runtime loads on demand and draws the interactive figure,
    which keeps the figure's Chinese name."""
    chart = page.locator(".dco-chart").nth(index)
    chart.scroll_into_view_if_needed()
    chart.hover()
    expect(chart).to_have_attribute("data-live", "yes", timeout=20_000)
    live = chart.evaluate(
        "e => { const s = e.querySelector('.vega-embed svg');"
        " return s && [s.getAttribute('role'), s.getAttribute('aria-label'), e.dataset.label]; }"
    )
    assert live and live[0] == "img" and live[1] == live[2], live
    return chart


# ------------------------------------------------------------------------------ every page


@pytest.mark.parametrize("path", NAV_PAGES)
def test_page_loads_cleanly_and_only_from_this_host(browser, server, path):
    context, page = new_page(browser)
    watch = Watch(page, server)
    page.goto(server + path, wait_until="networkidle")
    if page.query_selector(".dco-chart"):
        wait_for_figures(page)
    assert page.title()
    watch.assert_clean(path)
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_figures_show_on_direct_load_without_the_chart_runtime(browser, server, path, scheme, viewport):
    context, page = new_page(browser, viewport, scheme)
    watch = Watch(page, server)
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + path, wait_until="networkidle")
    wait_for_figures(page)
    assert not any("vega" in url for url in requested), "the chart runtime loaded before anyone asked for it"
    # the figure fits the content width: no horizontal overflow of the page
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, overflow
    # at phone width every figure shows its phone drawing (readable labels), else the wide one
    variant = "narrow" if viewport is PHONE else "wide"
    classes = page.eval_on_selector_all(
        ".dco-chart svg",
        "els => els.filter(s => s.getBoundingClientRect().width > 0).map(s => s.getAttribute('class'))",
    )
    assert classes and all(f"dco-svg--{variant}" in c for c in classes), classes
    watch.assert_clean(path)
    context.close()


def test_figures_show_with_scripts_off(browser, server):
    """A figure is in the HTML as built: with JavaScript disabled it is there all the same."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    for path in FIGURE_PAGES:
        page.goto(server + path)
        wait = page.eval_on_selector_all(".dco-chart", SHOWN_DRAWINGS)
        assert wait and all(d and d["marks"] and d["label"] == d["want"] for d in wait), (path, wait)
    context.close()


FILL_OF_FIRST_MARK = (
    "() => { const s = [...document.querySelectorAll('.dco-chart svg')].find(x => x.getBoundingClientRect().width);"
    " const m = s.querySelector('.mark-rect path, .mark-symbol path'); return getComputedStyle(m).fill; }"
)


def test_figures_follow_the_colour_scheme_and_become_interactive_on_demand(browser, server):
    context, page = new_page(browser)
    watch = Watch(page, server)
    page.goto(server + "2020/stages/", wait_until="networkidle")
    wait_for_figures(page, 2)
    light = page.evaluate(FILL_OF_FIRST_MARK)
    page.click("form[data-md-component=palette] label:not([hidden])")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = page.evaluate(FILL_OF_FIRST_MARK)
    assert light != dark, "the drawing keeps its light colours in the dark scheme"
    assert not page.evaluate("() => !!window.vegaEmbed")
    make_live(page)
    assert page.locator(".dco-chart").first.locator(".dco-svg").count() == 0  # replaced, not doubled
    page.locator(".dco-chart .vega-embed svg .mark-rect path").first.hover(force=True)
    expect(page.locator("#vg-tooltip-element")).to_be_visible()
    watch.assert_clean("scheme flip and interactive figure")
    context.close()


def section_indexes(page, server: str) -> list[str]:
    """The top-level sections (the tabs) and every edition's index, as paths."""
    page.goto(server, wait_until="networkidle")
    hrefs = page.eval_on_selector_all(
        "nav.md-tabs a.md-tabs__link, nav.md-nav--primary > ul > li > nav > ul > li > a",
        "els => els.map(e => e.href)",
    )
    paths = {urlparse(h).path.removeprefix(urlparse(server).path) for h in hrefs if h.startswith(server)}
    paths |= {f"{e.id}/" for e in load_all(ROOT)}
    return sorted(paths | {""})


CHART_PAGES_AT_EACH_DEPTH = ["movements/", "cities/shenzhen/", "2020/domains/economy/"]


def test_figures_show_and_come_alive_after_instant_navigation_from_every_section_index(browser, server):
    """From each section's index to a figure page at another depth, without a reload: every
    figure is there, and the runtime (loaded on demand) comes from the site root."""
    context, page = new_page(browser)
    watch = Watch(page, server)
    indexes = section_indexes(page, server)
    assert len(indexes) >= 5, indexes
    for index in indexes:
        for target in CHART_PAGES_AT_EACH_DEPTH:
            if target.count("/") == index.count("/"):
                continue
            page.goto(server + index, wait_until="networkidle")
            marker = page.evaluate("() => (window.__instant_marker = Math.random())")
            # a link like any in the text; Material's instant navigation takes the click
            page.evaluate(
                "href => { const a = document.createElement('a'); a.href = href; a.id = 'go';"
                " a.textContent = 'go'; document.querySelector('article').append(a); }",
                server + target,
            )
            page.click("#go")
            page.wait_for_url("**/" + target)
            page.wait_for_function(
                "t => document.querySelector('article h1') && location.pathname.endsWith(t)", arg=target
            )
            wait_for_figures(page)
            assert page.evaluate("() => window.__instant_marker") == marker, (index, target, "page reloaded")
            make_live(page)
    watch.assert_clean("instant navigation from every section index")
    context.close()


# ---------------------------------------------------------------------------------- search

SEARCHES = [
    ("一网统管", "cases/shanghai-governance/"),
    ("秒报秒批", "cases/shenzhen-government/"),
    ("城市大脑", "cases/hangzhou-governance/"),
    ("城市大脑", "cases/zhengzhou-governance/"),
    ("数字孪生", "cases/guiyang-innovation/"),
    ("云长制", "cases/chongqing-infrastructure/"),
    ("生态创新", "2020/stages/"),
]


def search(page, term: str) -> list[str]:
    """Type a term into the search box (desktop layout) and return the result links."""
    box = "input.md-search__input"
    page.click(box)
    page.fill(box, term)
    # An input method finishes with a key event; Material's search listens for it.
    page.press(box, "End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")


@pytest.mark.parametrize("term, expected", SEARCHES)
def test_search_finds_chinese_terms(browser, server, term, expected):
    context, page = new_page(browser)
    page.goto(server, wait_until="networkidle")
    hits = search(page, term)
    assert any(urlparse(h).path.rstrip("/").endswith(expected.rstrip("/")) for h in hits), (term, hits[:8])
    context.close()


def test_the_search_index_loads_when_a_reader_turns_to_search(browser, server):
    """Not on page load (it is the largest file a page would fetch, and Material parses it on
    the main thread), but as soon as the search box gets focus; then search works."""
    context, page = new_page(browser)
    requested = []
    page.on("request", lambda r: requested.append(urlparse(r.url).path))
    page.goto(server + "2020/ranking/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert "/search/search_index.json" not in requested
    assert requested  # the control: the page's own requests were seen
    with page.expect_request(lambda r: r.url.endswith("/search/search_index.json")):
        page.click("input.md-search__input")
    assert any(urlparse(h).path.endswith("/cases/chongqing-infrastructure/") for h in search(page, "云长制"))
    context.close()


def test_a_shared_search_address_loads_the_index_at_once(browser, server):
    context, page = new_page(browser)
    with page.expect_request(lambda r: r.url.endswith("/search/search_index.json")):
        page.goto(server + "?q=" + quote("云长制"))
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    context.close()


# ---------------------------------------------------------------------------- long tables


def wait_for_rows(page, index: int, status: str):
    """Until the index-th long table's status line matches the regular expression `status`."""
    page.wait_for_function(
        "([i, re]) => { const s = document.querySelectorAll('.dco-table-tools__status')[i];"
        " return !!s && new RegExp(re).test(s.textContent); }",
        arg=[index, status],
    )


def table_status(page, index: int) -> str:
    return page.locator(".dco-table-tools__status").nth(index).text_content()


def body_texts(page, index: int) -> list[str]:
    return (
        page.locator(".dco-table-tools")
        .nth(index)
        .evaluate(
            """tools => {
                let el = tools.nextElementSibling;
                while (el && !el.querySelector('table')) el = el.nextElementSibling;
                return [...el.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(td => td.textContent.trim()));
            }"""
        )
    )


def test_score_table_filters_sorts_and_keeps_every_row(browser, server):
    context, page = new_page(browser, PHONE)
    watch = Watch(page, server)
    page.goto(server + "2020/ranking/", wait_until="networkidle")
    scores = 1  # the second long table on the page: every city's scores
    total = len(body_texts(page, scores))
    assert table_status(page, scores) == f"共 {total} 行"
    page.locator(".dco-table-tools input").nth(scores).fill("深圳")
    assert [row[0] for row in body_texts(page, scores)] == ["深圳"]
    page.locator(".dco-table-tools input").nth(scores).fill("广东省")
    assert {row[1] for row in body_texts(page, scores)} == {"广东省"}
    page.locator(".dco-table-tools input").nth(scores).fill("")
    page.locator(".dco-table-tools select").nth(scores).select_option("能力协同")
    rows = body_texts(page, scores)
    assert rows and {row[3] for row in rows} == {"能力协同"}
    assert table_status(page, scores) == f"筛选出 {len(rows)} 行，共 {total} 行"
    page.locator(".dco-table-tools select").nth(scores).select_option("")
    header = page.locator("table").nth(2).locator("th", has_text="数字经济")
    header.click()  # scores: largest first
    economy = [float(row[5]) for row in body_texts(page, scores)]
    assert economy == sorted(economy, reverse=True) and len(economy) == total
    header.click()
    assert [float(row[5]) for row in body_texts(page, scores)] == sorted(economy)
    watch.assert_clean("2020/ranking/")
    context.close()


@pytest.fixture(scope="session")
def large_site(tmp_path_factory):
    """A synthetic edition of 300 cities: its tables outgrow their pages."""
    from bench.synthetic import write_synthetic_project

    folder = tmp_path_factory.mktemp("large")
    project = write_synthetic_project(ROOT, folder / "project", 300)
    httpd, url = build_and_serve(project, folder / "site")
    yield url, folder / "site", project
    httpd.shutdown()


def test_a_long_table_loads_all_its_rows_from_its_data_file(browser, large_site):
    url, site, _ = large_site
    page_html = (site / "2020/ranking/index.html").read_text(encoding="utf-8")
    tables = [t for t in BeautifulSoup(page_html, "html.parser").select("table") if not t.find_parent("figure")]
    assert len(tables[-1].select("tbody tr")) == 100  # the first rows of 300
    context, page = new_page(browser)
    watch = Watch(page, url)
    page.goto(url + "2020/ranking/", wait_until="networkidle")
    wait_for_rows(page, 1, "^共 300 行$")
    assert len(body_texts(page, 1)) == 50
    assert page.locator(".dco-table-tools__pager span").nth(1).text_content() == "第 1 / 6 页"
    # every synthetic city has an English name, which the table does not show: no match
    page.locator(".dco-table-tools input").nth(1).fill("City")
    assert table_status(page, 1) == "筛选出 0 行，共 300 行"
    # the weakest city is only in the data file, not among the rows the page carries
    weakest = page.evaluate("() => window.dcoTables['2020-scores'].rows.at(-1)[0][0]")
    in_page = {
        tr.select_one("td").get_text()
        for tr in BeautifulSoup(page_html, "html.parser").select("table")[-1].select("tbody tr")
    }
    assert len(in_page) == 100 and weakest not in in_page
    page.locator(".dco-table-tools input").nth(1).fill(weakest)
    assert [row[0] for row in body_texts(page, 1)] == [weakest]
    page.locator(".dco-table-tools input").nth(1).fill("")
    page.locator(".dco-table-tools__pager").nth(1).get_by_text("下一页").click()
    assert page.locator(".dco-table-tools__pager span").nth(1).text_content() == "第 2 / 6 页"
    # every link in the data resolves to a page of the site
    hrefs = page.evaluate("() => window.dcoTables['2020-scores'].rows.flatMap(r => r.map(c => c[1]).filter(Boolean))")
    assert hrefs
    for href in hrefs:
        assert (site / href.split("#")[0] / "index.html").is_file(), href
    watch.assert_clean("2020/ranking/")
    context.close()


def test_a_stage_link_opens_the_table_filtered_to_that_stage(browser, large_site):
    url = large_site[0]
    context, page = new_page(browser)
    watch = Watch(page, url)
    page.goto(url + "2020/stages/", wait_until="networkidle")
    # the lowest stage: none of its cities is among the first rows the page carries
    link = page.locator(f"a[href*='stage={quote('单元数字化')}']")
    link.click()  # instant navigation
    page.wait_for_url("**/ranking/?stage=*")
    wait_for_rows(page, 1, "共 300 行$")
    stage = page.locator(".dco-table-tools select").nth(1).input_value()
    assert stage == "单元数字化"
    rows = body_texts(page, 1)
    assert rows and {row[3] for row in rows} == {stage}
    watch.assert_clean("2020/stages/ -> 2020/ranking/")
    context.close()


def test_a_long_table_loads_its_rows_from_disk_too(browser, large_site, tmp_path):
    """The offline copy, opened from file://, where a page may load a script but not fetch JSON."""
    done = build_site(large_site[2], tmp_path / "offline", {"OFFLINE": "true"})
    assert done.returncode == 0, done.stderr[-2000:]
    context, page = new_page(browser)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "offline/2020/ranking.html").as_uri())
    wait_for_rows(page, 1, "^共 300 行$")
    href = page.evaluate("() => document.querySelector('tbody a[href*=\"cities/\"]').href")
    assert href.startswith("file://") and href.endswith(".html") and Path(unquote(urlparse(href).path)).is_file(), href
    assert not errors, errors
    context.close()


# --------------------------------------------------------------------------------- offline


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    done = build_site(ROOT, folder / "site-offline", {"OFFLINE": "true"})
    assert done.returncode == 0, done.stderr[-2000:]
    archive = folder / "site-offline.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for file in (folder / "site-offline").rglob("*"):
            z.write(file, file.relative_to(folder))
    unpacked = folder / "unpacked"
    with zipfile.ZipFile(archive) as z:
        z.extractall(unpacked)
    return unpacked / "site-offline"


def test_offline_copy_works_from_file_urls(browser, offline_site):
    context, page = new_page(browser)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    foreign = []
    page.on("request", lambda r: urlparse(r.url).scheme in ("http", "https") and foreign.append(r.url))
    page.goto((offline_site / "index.html").as_uri())
    assert "数字城市观察" in page.title()
    page.click("article a[href$='2020/index.html']")  # the home page lists every edition
    page.wait_for_url("**/2020/index.html")
    wait_for_figures(page, 3)
    page.click("article a[href$='stages.html']")
    page.wait_for_url("**/2020/stages.html")
    wait_for_figures(page, 2)
    hits = search(page, "云长制")
    assert any("chongqing-infrastructure.html" in h for h in hits), hits
    assert not errors, errors
    assert not foreign, foreign
    context.close()


# ------------------------------------------------------------------------ links and anchors


def broken_links(built_site: Path) -> list[str]:
    """Every link, stylesheet, script and image of every page that points at no file or anchor."""
    broken = []
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(file: Path) -> set[str]:
        if file not in ids_cache:
            soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
            ids_cache[file] = {t["id"] for t in soup.select("[id]")}
        return ids_cache[file]

    for html in built_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("a[href], link[href], script[src], img[src], [data-src]"):
            url = tag.get("href") or tag.get("src") or tag.get("data-src")
            parsed = urlparse(url)
            if parsed.scheme or url.startswith("//") or url.startswith("mailto:"):
                continue
            if parsed.path.startswith("/"):  # 404.html links from the site root
                target = (built_site / parsed.path.lstrip("/")).resolve()
            else:
                target = (html.parent / unquote(parsed.path)).resolve() if parsed.path else html
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{html.relative_to(built_site)} -> {url}")
                continue
            if parsed.fragment and target.suffix == ".html":
                if unquote(parsed.fragment) not in ids_of(target):
                    broken.append(f"{html.relative_to(built_site)} -> {url} (no anchor)")
    return broken


def test_every_internal_link_and_anchor_resolves(served_site):
    broken = broken_links(served_site[1])
    assert not broken, broken[:20]


def internal_targets(html: Path, soup, site: Path) -> list[tuple[object, Path]]:
    """(link, page file) of every link of a page to a page of the same site."""
    out = []
    for a in soup.select("a[href]"):
        parsed = urlparse(a["href"])
        if parsed.scheme or a["href"].startswith("//") or not parsed.path:
            continue
        base = site if parsed.path.startswith("/") else html.parent
        target = (base / unquote(parsed.path).lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html":
            out.append((a, target))
    return out


def test_every_page_is_reached_by_following_links_from_the_home_page(served_site):
    """A crawl from the home page, following links as a reader would, reaches every page the
    site builds: every edition's pages, every city, every case, the pages across editions."""
    site = served_site[1]
    seen, queue = set(), [(site / "index.html").resolve()]
    while queue:
        html = queue.pop()
        if html in seen or not html.is_file():
            continue
        seen.add(html)
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        queue += [target for _, target in internal_targets(html, soup, site) if target not in seen]
    pages = {p.resolve() for p in site.rglob("index.html")}
    redirects = {(site / old / "index.html").resolve() for old in OLD_ADDRESSES}
    assert redirects <= pages  # the old addresses exist, but nothing on the site links to them
    assert not redirects & seen, sorted(str(p.relative_to(site)) for p in redirects & seen)
    missed = sorted(str(p.relative_to(site)) for p in pages - redirects - seen)
    assert not missed, missed[:20]
    from macros.editions import load_all

    editions = load_all(ROOT)
    for path in [f"{e.id}/{part}" for e in editions for part in ("", "ranking/", "stages/", "domains/")] + [
        f"cities/{c.id}/" for c in editions[-1].cities
    ]:
        assert (site / path / "index.html").resolve() in seen, path


def test_every_city_name_links_to_that_citys_page(served_site):
    """Wherever a city's name is a link (rankings, stages, indexes, provinces, cases), it leads to
    the page of that very city, which exists and is headed by its name."""
    from macros.editions import load_edition

    site = served_site[1]
    cities = load_edition(ROOT, "2020").cities  # data/cities.csv: every edition's cities
    by_name = {c.short_zh: c for c in cities} | {c.name_zh: c for c in cities}
    heading: dict[Path, str] = {}
    checked, wrong = 0, []
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for a, target in internal_targets(html, soup, site):
            city = by_name.get(a.get_text(strip=True))
            if city is None or not a.find_parent("article"):
                continue
            checked += 1
            where = f"{html.relative_to(site)}: {a.get_text(strip=True)} -> {a['href']}"
            if target != (site / "cities" / city.id / "index.html").resolve() or not target.is_file():
                wrong.append(where)
                continue
            if target not in heading:
                page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                heading[target] = page.select_one("article h1").get_text(strip=True)
            if not heading[target].startswith(city.short_zh):
                wrong.append(f"{where} ({heading[target]})")
    assert not wrong, wrong[:20]
    assert checked > 300 and len(heading) == len(cities)  # every city is named by a link somewhere


def test_clicking_a_city_in_a_ranking_or_the_city_index_opens_its_page(browser, server):
    from playwright.sync_api import expect

    from macros.editions import load_all

    context, page = new_page(browser)
    watch = Watch(page, server)
    for e in load_all(ROOT):
        if not e.ranking:
            continue
        page.goto(server + f"{e.id}/ranking/", wait_until="networkidle")
        link = page.locator("article table tbody a[href*='cities/']").first
        name = link.text_content().strip()
        link.click()  # instant navigation: the address changes, then the content
        page.wait_for_url("**/cities/*/")
        expect(page.locator("article h1").first).to_contain_text(name)
        assert h1(page).startswith(name), (e.id, name, page.url)
        if page.query_selector(".dco-chart"):
            wait_for_figures(page)  # drawn before the next page is opened
    page.goto(server + "cities/", wait_until="networkidle")
    link = page.locator("article tbody a[href]").first
    name = link.text_content().strip()
    link.click()
    page.wait_for_url("**/cities/*/")
    expect(page.locator("article h1").first).to_contain_text(name)
    assert h1(page).startswith(name), (name, page.url)
    watch.assert_clean("city links")
    context.close()


@pytest.mark.parametrize("old", OLD_ADDRESSES)
def test_an_old_address_sends_the_reader_to_the_2020_page(browser, server, old):
    new, title = OLD_ADDRESSES[old]
    context, page = new_page(browser)
    # the redirect page names no icon, so a browser may ask for /favicon.ico on its way: not a
    # resource of the site; anything else that fails, any script error or other host is
    failed, errors, foreign = [], [], []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and failed.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: not r.url.startswith((server, "data:")) and foreign.append(r.url))
    response = page.goto(server + old)
    assert response.ok
    page.wait_for_url(server + new)
    page.wait_for_load_state("networkidle")
    assert h1(page) == title, (old, page.url)
    assert page.locator("nav.md-nav--primary .md-nav__link--active").count()  # a page of the site, in its nav
    assert not failed and not errors and not foreign, (old, failed, errors, foreign)
    context.close()


def test_every_link_of_the_offline_copy_resolves(offline_site):
    """Page URLs end in .html there, so every relative link to a download or asset differs."""
    broken = broken_links(offline_site)
    assert not broken, broken[:20]


def test_every_link_of_a_large_edition_resolves(large_site):
    broken = broken_links(large_site[1])
    assert not broken, broken[:20]


# ------------------------------------------------------------------------------ screenshots


@pytest.mark.parametrize(
    "name, path",
    [
        ("home", ""),
        ("overview-2020", "2020/"),
        ("domain-government", "2020/domains/government/"),
        ("case-shenzhen", "cases/shenzhen-government/"),
        ("city-shenzhen", "cities/shenzhen/"),
        ("provinces", "provinces/"),
    ],
)
def test_phone_screenshots_for_reviewers(browser, server, name, path):
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ["light", "dark"]:
        context, page = new_page(browser, PHONE, scheme)
        page.goto(server + path, wait_until="networkidle")
        if page.query_selector(".dco-chart"):
            wait_for_figures(page)
        out = ARTIFACTS / f"phone-{name}-{scheme}.png"
        page.screenshot(path=str(out), full_page=True)
        png = out.read_bytes()
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        # the whole page at phone width: nothing wider than the screen, more than one screen tall
        assert png.startswith(b"\x89PNG") and width == PHONE["width"] and height > PHONE["height"], (width, height)
        context.close()


# --------------------------------------------------------------------- hostile contributions


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    """The real site with every hostile case that passes validation (tests/hostile.py) added,
    and hostile data text and edition prose beside them: built, sanitised, served."""
    from bench.synthetic import copy_project
    from tests import hostile

    folder = tmp_path_factory.mktemp("hostile")
    project = copy_project(folder / "project")
    files = hostile.publishable()
    for name, text in files.items():
        (project / "docs/cases" / name).write_text(text, encoding="utf-8")
    hostile.plant_beside_cases(project)
    httpd, url = build_and_serve(project, folder / "site")
    yield url, [f"cases/{name.removesuffix('.md')}/" for name in files], folder / "site"
    httpd.shutdown()


# Pages that show the hostile data text and edition prose (tests/hostile.py DATA_TEXT, PROSE)
BESIDE_CASES = ["2023/", "2023/methodology/", "2023/notes/", "provinces/", "changes/", "cities/shijiazhuang/"]
PAGE_BYTES = 3_000_000  # "no page over a few MB": the largest real page is far below it


def test_no_page_of_the_hostile_site_is_bloated(hostile_site):
    _, _, site = hostile_site
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    assert sizes and max(sizes.values()) < PAGE_BYTES, max(sizes.items(), key=lambda kv: kv[1])


def test_hostile_cases_run_no_script_and_load_nothing_from_another_host(browser, hostile_site):
    url, case_pages, _ = hostile_site
    listings = ["2020/cases/", "2020/domains/livelihood/", "tags/", "cases/guangzhou-livelihood/", "2020/ranking/"]
    for path in case_pages + listings + BESIDE_CASES:
        context, page = new_page(browser, PHONE)
        dialogs = []
        page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
        watch = Watch(page, url)
        page.goto(url + path, wait_until="networkidle")
        if page.query_selector(".dco-chart"):
            wait_for_figures(page)  # the site's own scripts still work: nothing was clobbered
        page.mouse.move(100, 300)
        page.mouse.wheel(0, 2000)
        assert page.evaluate("() => window.__pwned") is None, path
        assert not dialogs, (path, dialogs)
        assert page.evaluate("() => JSON.parse(document.querySelector('#__config').textContent).base") in (
            ".",
            "..",
            "../..",
            "../../..",
        )
        assert not page.query_selector(
            "article .mermaid, article img[src*='evil'], article [onerror], article script"
        ), path
        if path in ("2020/cases/", "2020/domains/livelihood/"):  # Markdown-looking front matter shows as written
            assert "**粗** _斜_ [方括号] 和 (圆括号)" in page.inner_text("article"), path
        if path == "2023/":  # so does Markdown-looking data text
            assert "*强调* _下划线_ | 竖线 & 'x' #号 !感叹 javascript:x &lt;script&gt;" in page.inner_text("article")
            assert not page.query_selector("article [onmouseover]")
        watch.assert_clean(path)
        context.close()


def test_the_offline_copy_names_no_address(offline_site):
    """Opened from disk it has no address: no canonical link to the SITE_URL fallback. (A page
    left at an old address names the page it moved to, relative to itself.)"""
    pages = list(offline_site.rglob("*.html"))
    assert pages
    for html in pages:
        canonical = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select('link[rel="canonical"]')
        old = html.relative_to(offline_site).as_posix().removesuffix(".html").removesuffix("/index") + "/"
        if old in OLD_ADDRESSES:
            new = OLD_ADDRESSES[old][0]
            assert len(canonical) == 1 and not urlparse(canonical[0]["href"]).scheme, html
            target = (html.parent / canonical[0]["href"]).resolve()
            assert target.is_file() and target.relative_to(offline_site.resolve()).as_posix() in (
                new.rstrip("/") + ".html",
                new + "index.html",
            ), (html, canonical[0]["href"])
        else:
            assert not canonical, html


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_every_chart_of_simulated_values_carries_the_label_inside_its_drawing(browser, server, path):
    """A screenshot or an exported image of a chart keeps the label: it is text in the SVG."""
    from macros.labels import SIMULATED_LONG

    context, page = new_page(browser, PHONE)
    page.goto(server + path, wait_until="networkidle")
    wait_for_figures(page)
    charts = page.eval_on_selector_all(
        ".dco-chart", "els => els.map(e => [e.dataset.basis, e.querySelector('svg').textContent])"
    )
    assert charts
    for basis, drawn in charts:
        assert (SIMULATED_LONG in drawn) == (basis == "simulated"), (path, basis)
    context.close()


CITY_SEARCHES = ["深圳", "上海", "杭州", "东莞", "青岛", "郑州", "攀枝花", "呼和浩特", "龙岩", "衡阳", "遵义"]


@pytest.mark.parametrize("name", CITY_SEARCHES)
def test_a_search_for_a_city_name_finds_its_city_page_first(browser, server, name):
    from macros.editions import load_edition

    city = next(c for c in load_edition(ROOT, "2020").cities if c.short_zh == name)
    context, page = new_page(browser)
    page.goto(server, wait_until="networkidle")
    hits = search(page, name)
    assert urlparse(hits[0]).path.rstrip("/").endswith(f"cities/{city.id}"), (name, hits[:5])
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_city_not_on_the_site_gets_an_answer_and_a_rank_finds_its_unverified_range(browser, server, viewport):
    context, page = new_page(browser, viewport)
    watch = Watch(page, server)
    page.goto(server + "2020/ranking/", wait_until="networkidle")
    box = page.locator(".dco-table-tools input").nth(0)
    box.fill("长沙")  # not among the published 2020 ranks
    answer = " ".join(" ".join(r) for r in body_texts(page, 0))
    assert "21–50" in answer and "70–100" in answer and "参与贡献" in answer, answer
    box.fill("30")  # rank 30 is one of the places no source publishes
    assert [row[0] for row in body_texts(page, 0)] == ["21–50"]
    box.fill("15")  # a published rank finds its row
    assert [row[0] for row in body_texts(page, 0)][0] == "15"
    watch.assert_clean("2020/ranking/")
    context.close()


# ---------------------------------------------------------------------- finder and compare


def wait_for_heading(page, text: str) -> None:
    page.wait_for_function(
        "t => { const h = document.querySelector('article h1'); return h && h.textContent.includes(t); }", arg=text
    )


def finder_answer(page, query: str) -> tuple[list[str], str]:
    page.fill(".dco-finder input", query)
    names = page.locator(".dco-finder__results li a").all_text_contents()
    return names, page.locator(".dco-finder__status").text_content()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["cities/", "2023/ranking/"])
def test_the_city_finder_answers_names_pinyin_initials_ranks_and_misses(browser, server, viewport, path):
    from macros.editions import load_all
    from macros.series import pinyin_keys

    editions = load_all(ROOT)
    cities = editions[-1].cities
    chengdu = next(c for c in cities if c.id == "chengdu")
    full, initials = pinyin_keys(chengdu.name_zh)
    context, page = new_page(browser, viewport)
    watch = Watch(page, server)
    page.goto(server + path, wait_until="networkidle")
    page.wait_for_selector(".dco-finder input")
    for query in [chengdu.short_zh, chengdu.name_zh, full, " ".join(full[:5]) + full[5:], initials.upper()]:
        names, _ = finder_answer(page, query)
        assert chengdu.short_zh in names, (query, names)
    names, status = finder_answer(page, "成都")
    assert names == [chengdu.short_zh]
    ranked = [e for e in editions if any(r.city == "chengdu" for r in e.ranking)]
    about = page.locator(".dco-finder__results li").first.text_content()
    assert all(e.id in about for e in ranked), about
    page.locator(".dco-finder__results li a").first.click()
    page.wait_for_url("**/cities/chengdu/")
    wait_for_heading(page, chengdu.short_zh)  # instant navigation: the address changes first
    assert h1(page) == chengdu.short_zh
    page.go_back()
    page.wait_for_selector(".dco-finder input")
    names, status = finder_answer(page, "拉萨")  # a city no edition's sources rank
    assert names == [] and "可能" in status and "参与贡献" in status, status
    names, status = finder_answer(page, "30")  # a place no 2020 source publishes
    assert "2020 年第 21–50 名" in status, status
    rank_one = [c.short_zh for e in editions for r in e.ranked if r.rank == 1 for c in cities if c.id == r.city]
    names, _ = finder_answer(page, "1")
    assert sorted(names) == sorted(set(rank_one)), names
    region = page.locator(".dco-finder select")
    region.select_option(label="西部")
    page.fill(".dco-finder input", "")
    names = page.locator(".dco-finder__results li a").all_text_contents()
    west = {c.short_zh for c in cities if c.region == "west"}
    assert names and set(names) <= west and chengdu.short_zh in names
    watch.assert_clean(path)
    context.close()


def compare_table(page) -> list[list[str]]:
    rows = page.locator(".dco-compare table").first.locator("tr")
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_text_contents()] for i in range(rows.count())]


def check_comparison(page, editions) -> None:
    table = compare_table(page)
    assert table[0][1:] == ["上海", "济南"], table[0]
    by_title = {row[0]: row[1:] for row in table[1:]}
    for e in editions:
        for column, city in enumerate(["shanghai", "jinan"]):
            row = next((r for r in e.ranking if r.city == city), None)
            cell = by_title[e.meta.short_title][column]
            if row is None:
                assert cell == "—", (e.id, city, cell)
            elif row.rank is None:
                assert cell == "在榜，名次未公布", (e.id, city, cell)
            else:
                assert str(row.rank) in cell and (("推算" in cell) == (row.basis == "derived")), (e.id, city, cell)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_shared_comparison_address_shows_those_cities(browser, server, viewport):
    from macros.editions import load_all

    editions = load_all(ROOT)
    context, page = new_page(browser, viewport)
    watch = Watch(page, server)
    page.goto(server + "compare/?c=shanghai,jinan", wait_until="networkidle")
    page.wait_for_selector(".dco-compare table")
    check_comparison(page, editions)
    page.fill(".dco-compare input", "cd")  # 常德 and 成都: the page asks which
    page.click(".dco-compare button.md-button")
    status = page.locator(".dco-compare .dco-finder__status").text_content()
    assert "常德" in status and "成都" in status, status
    page.fill(".dco-compare input", "chengdu")
    page.click(".dco-compare button.md-button")
    page.wait_for_function("() => location.search.includes('chengdu')")
    assert "c=shanghai%2Cjinan%2Cchengdu" in page.url or "c=shanghai,jinan,chengdu" in page.url
    assert compare_table(page)[0][1:] == ["上海", "济南", "成都"]
    page.click(".dco-compare__chips button[aria-label='移除成都']")
    assert compare_table(page)[0][1:] == ["上海", "济南"]
    if viewport is PHONE:  # the comparison scrolls inside its box, not the page sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    watch.assert_clean("compare/")
    context.close()


def test_a_comparison_works_from_the_offline_copy(browser, offline_site):
    from macros.editions import load_all

    context, page = new_page(browser)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((offline_site / "compare.html").as_uri() + "?c=shanghai,jinan")
    page.wait_for_selector(".dco-compare table")
    check_comparison(page, load_all(ROOT))
    assert not errors, errors
    context.close()


@pytest.mark.parametrize("path", ["movements/", "2020/ranking/"])
def test_a_click_on_a_city_mark_opens_that_citys_page(browser, server, path):
    context, page = new_page(browser)
    page.goto(server + path, wait_until="networkidle")
    wait_for_figures(page)
    index = page.eval_on_selector_all(".dco-chart", "els => els.findIndex(e => e.dataset.cityHref)")
    assert index >= 0
    figure = page.locator("figure.dco-figure").nth(index)
    cities = set(figure.locator(".dco-figure__data td").all_text_contents())
    make_live(page, index)
    mark = figure.locator(".vega-embed svg .mark-symbol path").first
    mark.wait_for()
    mark.click(force=True)
    page.wait_for_url("**/cities/*/")
    page.wait_for_load_state("load")  # a chart's click loads the city's page in full
    assert h1(page) in cities, (page.url, h1(page))
    context.close()


# --------------------------------------------------------------------- reader view (issue 24)


@pytest.mark.parametrize("term, city", [("changsha", "changsha"), ("chengdu", "chengdu"), ("Shenzhen", "shenzhen")])
def test_a_search_in_pinyin_finds_the_city_page_first(browser, server, term, city):
    context, page = new_page(browser)
    page.goto(server, wait_until="networkidle")
    hits = search(page, term)
    assert urlparse(hits[0]).path.rstrip("/").endswith(f"cities/{city}"), (term, hits[:5])
    context.close()


@pytest.mark.parametrize(
    "query, names, said",
    [
        ("长沙,深圳,成都", ["长沙", "深圳", "成都"], None),
        ("changsha，shenzhen", ["长沙", "深圳"], None),  # a Chinese comma too
        ("长沙,火星市", ["长沙"], "火星市"),  # an unknown name is said, not dropped in silence
        ("cd,shanghai", ["上海"], "常德"),  # initials that name two cities: the page asks which
    ],
)
def test_a_comparison_address_takes_names_pinyin_and_initials(browser, server, query, names, said):
    context, page = new_page(browser)
    page.goto(server + "compare/?c=" + query, wait_until="networkidle")
    page.wait_for_selector(".dco-compare__chips li")
    chips = page.eval_on_selector_all(".dco-compare__chips li span", "els => els.map(e => e.textContent)")
    assert chips == names, chips
    status = page.locator(".dco-compare .dco-finder__status").text_content()
    if said:
        assert said in status, status
    context.close()


def test_on_a_phone_the_ranking_shows_rank_city_and_stage_without_scrolling_sideways(browser, server):
    context, page = new_page(browser, PHONE)
    page.goto(server + "2023/ranking/", wait_until="networkidle")
    header = page.eval_on_selector_all(
        "article table thead th", "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().right])"
    )
    assert [h[0].split()[0] for h in header[:3]] == ["名次", "城市", "阶段"], header
    assert header[2][1] <= PHONE["width"], header  # the stage column ends on screen
    rows = page.eval_on_selector_all(
        "article table tbody tr",
        "rows => rows.slice(0, 20).map(r => Array.from(r.cells).slice(0, 3).map(c => c.getBoundingClientRect().right))",
    )
    assert rows and all(right <= PHONE["width"] for row in rows for right in row), rows[:3]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page scrolls as one
    context.close()
