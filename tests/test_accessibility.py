"""Accessibility of the built site (WCAG 2.2 AA), in Debian's Chromium driven by Playwright.

axe-core (bundled with axe-playwright-python, no network) checks every built page: the pages of
the sitemap, the 404 page and the old addresses that send readers on, in the dark scheme at phone
width (the layout the scripts change most, the site's own dark colours), one browser page sent
from page to page (about 2 minutes on two cores). One page of each kind (every template and
macro) is checked in the other three combinations of scheme and width, and the open widgets
(search, navigation drawer, a sorted and filtered table, the city finder, a comparison, another
content tab) in both schemes. AXE_EVERY_COMBINATION=1 checks every page in all four combinations
instead (about 8 minutes): what differs between them is the colour or the layout of the same
templates, which the pages of each kind cover.

Beyond axe: links in text are underlined (recognisable without colour), the keyboard reaches
and operates what the mouse does (sort buttons, tables that scroll, the navigation drawer), and
the focus is always visible. A failure names the page, the rule, its impact and the elements.
"""

from __future__ import annotations

import os
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from urllib.parse import urlparse

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.conftest import DESKTOP, PHONE, new_page

pytestmark = pytest.mark.browser

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, headings, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# Parts of the page axe leaves out (CSS selectors): none. (Were a figure's drawing to need an
# exception while it is being redrawn, ".dco-chart" would go here, and the report would say so.)
AXE_EXCLUDE: list[str] = []

SCHEMES = {"light": "default", "dark": "slate"}  # the browser's preference -> Material's scheme
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
COMBINATIONS = [("dark", "phone"), ("light", "phone"), ("light", "desktop"), ("dark", "desktop")]
EVERY_COMBINATION = os.environ.get("AXE_EVERY_COMBINATION") == "1"
EVERY_PAGE = COMBINATIONS if EVERY_COMBINATION else COMBINATIONS[:1]
OTHER_COMBINATIONS = [] if EVERY_COMBINATION else COMBINATIONS[1:]
# One page of each kind (every template and macro of the site), for the other combinations.
PAGE_KINDS = [
    "",  # home
    "2020/",  # an edition with the simulated layer: figures, cards
    "2023/",  # an edition with ranks only
    "2020/domains/",
    "2020/domains/economy/",  # a domain: figures, the top of the simulated scores
    "2023/domains/",
    "2020/stages/",
    "2020/ranking/",  # long tables: filter, sort, pager
    "2024/ranking/",
    "2020/cases/",
    "cases/shenzhen-government/",
    "2020/methodology/",
    "2020/data/",
    "2020/trends/",  # an edition's own extra page
    "cities/",  # the city index and finder
    "cities/changsha/",
    "compare/",
    "provinces/",  # content tabs, the tile map
    "changes/",
    "movements/",
    "tags/",
    "contribute/",  # code blocks, the schema tables
    "404.html",
    "ranking/",  # an old address
]

# Links in text must be recognisable without their colour (WCAG 1.4.1): underlined. Not links
# that are not in running text: buttons, headings' anchors, tiles, tags, tab labels, drawings.
NOT_UNDERLINED = """() => [...document.querySelectorAll('.md-content a[href], .md-footer-meta a[href]')]
    .filter(a => !a.closest('.md-button, .headerlink, .dco-tile, svg, h1, h2, h3, h4, .md-tags, .tabbed-labels'))
    .filter(a => a.getBoundingClientRect().width > 0)
    .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline'))
    .map(a => a.outerHTML.slice(0, 120))"""

# No transition or animation running (a drawer sliding in, search results fading in).
SETTLED = "() => document.getAnimations().every(a => a.playState !== 'running')"

# Scripts that change the page have run: long tables, the finder, the comparison.
ENHANCED = """() => !document.querySelector(
    '.dco-table-tools:not([data-enhanced]), .dco-finder:not([data-ready]), .dco-compare:not([data-ready])')"""


def site_pages(site) -> tuple[list[str], list[str]]:
    """(pages, old addresses) as paths below the site root: every page of the sitemap and every
    other HTML file the build wrote. An old address is a page whose only job is to send readers
    on (a meta refresh)."""
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    listed = {urlparse(loc.text).path.lstrip("/") for loc in sitemap.iter() if loc.tag.endswith("loc")}
    pages, redirects = set(), set()
    for html in site.rglob("*.html"):
        path = html.relative_to(site).as_posix().removesuffix("index.html")
        moved = 'http-equiv="refresh"' in html.read_text(encoding="utf-8")
        (redirects if moved else pages).add(path)
    assert listed <= pages, sorted(listed - pages)[:10]
    return sorted(pages), sorted(redirects)


class Audit:
    """One browser page for one colour scheme and width, sent from page to page; axe and the
    checks above run on each, and every finding is kept for one report."""

    def __init__(self, browser, server: str, scheme: str, width: str):
        self.server, self.where = server, f"{scheme}, {width}"
        self.scheme = scheme
        self.context, self.page = new_page(browser, WIDTHS[width], scheme)
        self.context.add_init_script(script=AXE_SCRIPT)  # every document gets axe-core, from disk
        self.findings: list[str] = []
        self.checked = 0

    def open(self, path: str, stay: bool = False):
        """Load a page. `stay`: an old address, served with its onward refresh switched off, so
        that the page itself is checked and no navigation races axe (that it sends readers on
        is test_browser.py's test_an_old_address_sends_the_reader_to_the_2020_page)."""
        if stay:
            target = self.server + path

            def without_refresh(route):
                response = route.fetch()
                body = response.text().replace('http-equiv="refresh"', 'http-equiv="x-refresh-checked-elsewhere"')
                assert body != response.text(), f"/{path} is no old address: it has no refresh"
                route.fulfill(response=response, body=body)

            self.page.route(target, without_refresh)
            self.page.goto(target, wait_until="load")
            self.page.unroute(target)
            return
        self.page.goto(self.server + path, wait_until="load")
        scheme = self.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        assert scheme == SCHEMES[self.scheme], (path, scheme)
        self.page.wait_for_function(ENHANCED)

    def check(self, path: str, what: str = ""):
        """axe and the underline check on the page as it is now, once nothing moves (a colour
        measured while a box fades in is not the colour readers read)."""
        self.page.wait_for_function(SETTLED, timeout=5_000)
        result = self.page.evaluate(
            "([exclude, options]) => axe.run(exclude.length ? {exclude: exclude.map(s => [s])} : document, options)",
            [AXE_EXCLUDE, AXE_OPTIONS],
        )
        label = f"/{path} [{self.where}{', ' + what if what else ''}]"
        for v in result["violations"]:
            nodes = v["nodes"]
            lines = [f"{label} {v['id']} ({v['impact']}): {v['help']} — {len(nodes)} element(s)"]
            for node in nodes[:6]:
                target = " ".join(str(t) for t in node["target"])
                why = (node.get("failureSummary") or "").replace("\n", " ").replace("Fix any of the following:", "")
                lines.append(f"    {target}  {why.strip()[:220]}")
            self.findings.append("\n".join(lines))
        bare = self.page.evaluate(NOT_UNDERLINED)
        if bare:
            self.findings.append(
                f"{label} link-not-underlined (serious): links in text must be recognisable without colour"
                + "".join(f"\n    {html}" for html in bare[:6])
            )
        self.checked += 1

    def close(self):
        self.context.close()


def report(audits: list[Audit]) -> str:
    findings = [f for a in audits for f in a.findings]
    rules = defaultdict(int)
    for f in findings:
        rules[re.search(r"\] (\S+) \(", f).group(1)] += 1
    head = f"{len(findings)} finding(s) on {sum(a.checked for a in audits)} checked pages: " + ", ".join(
        f"{rule} ×{n}" for rule, n in sorted(rules.items())
    )
    return head + "\n\n" + "\n\n".join(findings[:60])


# --------------------------------------------------------------------------------- every page


@pytest.mark.parametrize("scheme, width", EVERY_PAGE, ids=[f"{s}-{w}" for s, w in EVERY_PAGE])
def test_every_page_passes_axe(browser, served_site, scheme, width):
    server, site = served_site
    pages, redirects = site_pages(site)
    assert len(pages) > 150 and "404.html" in pages and redirects, (len(pages), redirects)
    audit = Audit(browser, server, scheme, width)
    started = time.monotonic()
    for path in pages:
        audit.open(path)
        audit.check(path)
    for path in redirects:
        audit.open(path, stay=True)
        audit.check(path)
    audit.close()
    print(f"axe: {audit.checked} pages, {scheme} at {width} width, {time.monotonic() - started:.0f} s")
    assert not audit.findings, report([audit])


@pytest.mark.parametrize("scheme, width", OTHER_COMBINATIONS, ids=[f"{s}-{w}" for s, w in OTHER_COMBINATIONS])
def test_each_kind_of_page_passes_axe_in_the_other_combinations(browser, served_site, scheme, width):
    server, site = served_site
    pages, redirects = site_pages(site)
    assert set(PAGE_KINDS) <= set(pages) | set(redirects), set(PAGE_KINDS) - set(pages) - set(redirects)
    audit = Audit(browser, server, scheme, width)
    for path in PAGE_KINDS:
        audit.open(path, stay=path in redirects)
        audit.check(path)
    audit.close()
    assert not audit.findings, report([audit])


# ------------------------------------------------------------------------------- open widgets


def open_search(page, width: str) -> None:
    if width == "phone":
        page.click("label.md-header__button[for='__search']")
    page.click("input.md-search__input")
    page.fill("input.md-search__input", "深圳")
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_widgets_pass_axe(browser, server, scheme):
    """What only shows after a reader acts: the search with its results, the navigation drawer,
    a filtered and sorted table, the finder's answers, a comparison, another content tab."""
    audits = []
    for width in ["desktop", "phone"]:
        audit = Audit(browser, server, scheme, width)
        audits.append(audit)
        page = audit.page
        audit.open("")
        open_search(page, width)
        audit.check("", "search open with results")
        if width == "phone":
            audit.open("2020/")
            page.click(".dco-drawer-button")
            page.wait_for_function(
                "() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'visible'"
            )
            page.wait_for_timeout(300)  # the drawer slides in
            audit.check("2020/", "navigation drawer open")
        audit.open("2020/ranking/")
        page.locator(".dco-table-tools input").first.fill("广东")
        page.locator("button.dco-sort").nth(1).click()
        audit.check("2020/ranking/", "table filtered and sorted")
        audit.open("cities/")
        page.fill(".dco-finder input", "cd")
        page.wait_for_selector(".dco-finder__results li")
        audit.check("cities/", "finder answering")
        audit.open("compare/?c=shanghai,jinan,chengdu")
        page.wait_for_selector(".dco-compare table")
        audit.check("compare/?c=shanghai,jinan,chengdu", "three cities compared")
        audit.open("provinces/")
        page.locator(".tabbed-labels label").nth(1).click()
        audit.check("provinces/", "second tab")
        audit.close()
    assert not any(a.findings for a in audits), report(audits)


# --------------------------------------------------------------------------------- keyboard


def test_sort_headers_are_buttons_and_the_sorted_column_says_how(browser, server):
    context, page = new_page(browser, DESKTOP)
    page.goto(server + "2020/ranking/", wait_until="load")
    page.wait_for_function(ENHANCED)
    button = page.locator("th > button.dco-sort", has_text="数字经济").first  # every city's scores
    header = button.locator("xpath=..")
    table = header.locator("xpath=ancestor::table")
    heads = table.locator("thead th")
    assert heads.count() == table.locator("thead th > button.dco-sort").count() > 3
    assert table.locator("thead th[aria-sort]").count() == 0  # nothing sorted yet, nothing said
    button.focus()
    page.keyboard.press("Enter")  # a button: Enter and Space sort, as a click does
    assert header.get_attribute("aria-sort") == "descending"
    assert table.locator("thead th[aria-sort]").count() == 1
    page.keyboard.press(" ")
    assert header.get_attribute("aria-sort") == "ascending"
    assert button.evaluate("b => b === document.activeElement")
    assert "↕" not in page.evaluate("b => b.textContent", button.element_handle())  # the arrows are decoration
    context.close()


def scroll_wrappers(page) -> list[dict]:
    return page.eval_on_selector_all(
        "article .md-typeset__scrollwrap",
        """els => els.map(w => ({
            scrolls: w.scrollWidth > w.clientWidth + 1 || w.scrollHeight > w.clientHeight + 1,
            tabindex: w.getAttribute('tabindex'), role: w.getAttribute('role'), name: w.getAttribute('aria-label'),
        }))""",
    )


@pytest.mark.parametrize("path", ["2020/ranking/", "contribute/", "cities/changsha/"])
def test_a_table_that_scrolls_takes_the_focus_and_has_a_name(browser, server, path):
    """A table wider (or, on a phone, taller) than its box can be scrolled from the keyboard: the
    box takes the focus and is a region named after the table's heading, each name its own. A
    table that fits is no stop for the keyboard."""
    for viewport in [PHONE, DESKTOP]:
        context, page = new_page(browser, viewport)
        page.goto(server + path, wait_until="load")
        page.wait_for_function(ENHANCED)
        page.wait_for_timeout(100)  # the script looks again after the layout settles
        wrappers = scroll_wrappers(page)
        assert wrappers, path
        names = [w["name"] for w in wrappers if w["scrolls"]]
        for w in wrappers:
            if w["scrolls"]:
                assert w["tabindex"] == "0" and w["role"] == "region" and w["name"].startswith("表格"), (path, w)
            else:
                assert w["tabindex"] is None and w["role"] is None, (path, w)
        assert len(names) == len(set(names)), (path, names)
        if viewport is PHONE:
            assert names, path  # on a phone these tables scroll
            box = page.locator("article .md-typeset__scrollwrap[tabindex='0'] >> visible=true").first
            box.focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowDown")
            page.wait_for_function("b => b.scrollLeft > 0 || b.scrollTop > 0", arg=box.element_handle(), timeout=5_000)
        context.close()


def test_a_long_table_keeps_its_header_row_and_first_column_in_view_on_a_phone(browser, server):
    context, page = new_page(browser, PHONE)
    page.goto(server + "2020/ranking/", wait_until="load")
    page.wait_for_function(ENHANCED)
    box = page.locator("article .md-typeset__scrollwrap").nth(1)  # every city's scores: long and wide
    box.scroll_into_view_if_needed()
    place = """b => {
        const r = b.getBoundingClientRect(), th = b.querySelector('thead th:nth-child(3)'),
              first = b.querySelector('tbody tr:nth-child(20) td:first-child');
        return {top: r.top, left: r.left, bottom: r.bottom, head: th.getBoundingClientRect().top,
                first: first.getBoundingClientRect().left, height: innerHeight};
    }"""
    before = box.evaluate(place)
    assert before["bottom"] - before["top"] < before["height"]  # the box fits the screen
    box.evaluate("b => { b.scrollTop = 800; b.scrollLeft = 300; }")
    after = box.evaluate(place)
    assert abs(after["head"] - after["top"]) <= 2, after  # the header row is still at the top of the box
    assert abs(after["first"] - after["left"]) <= 2, after  # and the first column at its left
    assert page.locator("header.md-header").bounding_box()["height"] <= after["top"] + 1  # below the theme's header
    context.close()


def active(page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement, r = e.getBoundingClientRect();
            return {tag: e.tagName, name: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 20),
                    inDrawer: !!e.closest('.md-sidebar--primary'), left: r.left, width: r.width};
        }"""
    )


def test_the_navigation_drawer_opens_and_closes_from_the_keyboard(browser, server):
    context, page = new_page(browser, PHONE)
    page.goto(server + "2020/domains/economy/", wait_until="load")
    drawer_links = "() => [...document.querySelectorAll('.md-sidebar--primary a[href]')]"
    # closed, its links are hidden, not only moved off the screen: the keyboard skips them
    assert page.evaluate(f"() => ({drawer_links})().every(a => getComputedStyle(a).visibility === 'hidden')")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    assert active(page)["name"] == "导航菜单"
    button = page.locator(".dco-drawer-button")
    assert button.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    page.wait_for_timeout(300)  # the drawer slides in
    now = active(page)
    assert now["inDrawer"] and now["left"] >= 0, now  # the focus went into the drawer, on the screen
    for _ in range(4):
        page.keyboard.press("Tab")
        now = active(page)
        assert now["inDrawer"] and now["left"] >= 0 and now["width"] > 0, now
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and active(page)["name"] == "导航菜单"
    page.keyboard.press(" ")
    assert button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Shift+Tab")  # leaving the drawer closes it
    assert button.get_attribute("aria-expanded") == "false"
    context.close()


FOCUS = """() => {
    let e = document.activeElement;
    if (!e || e === document.body) return null;
    // a visually hidden control shows its focus on what stands for it
    if (e.matches('input.md-option')) e = e.nextElementSibling;
    else if (e.matches('.tabbed-set > input')) e = e.parentElement.querySelector('.tabbed-labels');
    else if (e.matches('input.md-search__input')) return {skip: 'the search box opens the search'};
    const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
    const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
    return {what: e.outerHTML.slice(0, 100), ring,
            shown: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0
                   && r.left < innerWidth && cs.visibility !== 'hidden'};
}"""


@pytest.mark.parametrize(
    "path, viewport",
    [("2020/ranking/", PHONE), ("provinces/", PHONE), ("2020/domains/economy/", DESKTOP), ("cities/", DESKTOP)],
    ids=["ranking-phone", "provinces-phone", "domain-desktop", "cities-desktop"],
)
def test_the_focus_is_always_visible(browser, server, path, viewport):
    """Tab through the page: every stop is on the screen and drawn with a focus ring (WCAG
    2.4.7, 2.4.11), the theme's header, tabs, navigation and search included."""
    context, page = new_page(browser, viewport)
    page.goto(server + path, wait_until="load")
    page.wait_for_function(ENHANCED)
    stops = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        page.wait_for_timeout(30)
        focus = page.evaluate(FOCUS)
        if focus is None:
            break
        if "skip" in focus:
            continue
        stops += 1
        assert focus["shown"] and focus["ring"], (path, stops, focus)
    assert stops > 10, (path, stops)
    context.close()
