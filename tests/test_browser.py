"""The built site as readers meet it, in Debian's Chromium driven by Playwright.

Served on 127.0.0.1 by a local server; the offline copy opened from file:// after unzipping.
Screenshots at phone width go to test-artifacts/ for reviewers (not committed).
"""

from __future__ import annotations

import functools
import http.server
import threading
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, build_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

NAV_PAGES = ["", "domains/", "domains/economy/", "domains/governance/", "domains/government/", "domains/livelihood/", "domains/innovation/", "domains/infrastructure/", "tiers/", "ranking/", "cases/", "cases/shenzhen-government/", "cases/hangzhou-governance/", "trends/", "methodology/", "data/", "tags/", "contribute/"]
FIGURE_PAGES = ["", "domains/government/", "domains/economy/", "tiers/", "ranking/", "cases/shenzhen-government/", "cases/jincheng-government/"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The site built for the address it is served from: instant navigation only follows links
    within site_url, so the port is chosen first and the build is told."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    site = tmp_path_factory.mktemp("served")
    done = build_site(ROOT, site, {"SITE_URL": url})
    assert done.returncode == 0, done.stderr[-2000:]
    httpd.RequestHandlerClass = functools.partial(QuietHandler, directory=str(site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield url, site
    httpd.shutdown()


@pytest.fixture(scope="session")
def server(served_site) -> str:
    return served_site[0]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or scripts/install-browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


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


def new_page(browser, viewport=DESKTOP, scheme: str | None = None):
    context = browser.new_context(viewport=viewport, color_scheme=scheme or "light", locale="zh-CN")
    return context, context.new_page()


def wait_for_figures(page, count: int | None = None):
    """Every chart container has drawn an SVG."""
    page.wait_for_function(
        "() => { const c = document.querySelectorAll('.dco-chart'); return c.length > 0 && [...c].every(e => e.querySelector('svg')); }",
        timeout=20_000,
    )
    drawn = page.eval_on_selector_all(".dco-chart", "els => els.map(e => !!e.querySelector('svg .mark-rect, svg .mark-symbol, svg .mark-rule, svg path'))")
    assert all(drawn), drawn
    if count is not None:
        assert len(drawn) == count


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
def test_figures_draw_on_direct_load(browser, server, path, scheme, viewport):
    context, page = new_page(browser, viewport, scheme)
    watch = Watch(page, server)
    page.goto(server + path, wait_until="networkidle")
    wait_for_figures(page)
    # the chart fits the content width: no horizontal overflow of the page
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, overflow
    watch.assert_clean(path)
    context.close()


def test_figures_draw_after_instant_navigation_and_palette_flip(browser, server):
    context, page = new_page(browser)
    watch = Watch(page, server)
    page.goto(server + "trends/", wait_until="networkidle")
    assert not page.query_selector(".dco-chart")
    assert not page.evaluate("() => !!window.vegaEmbed"), "Vega loaded on a page without figures"
    marker = page.evaluate("() => (window.__instant_marker = Math.random())")
    page.click("nav.md-tabs a[href$='tiers/']")
    page.wait_for_url("**/tiers/")
    wait_for_figures(page, 2)
    assert page.evaluate("() => window.__instant_marker") == marker, "page reloaded: instant navigation is off"
    page.click("nav.md-tabs a[href$='domains/']")
    page.wait_for_url("**/domains/")
    page.click("article a[href$='government/']")
    page.wait_for_url("**/domains/government/")
    wait_for_figures(page, 2)
    before = page.eval_on_selector(".dco-chart svg", "e => e.outerHTML")
    page.click("form[data-md-component=palette] label:not([hidden])")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_function("before => { const s = document.querySelector('.dco-chart svg'); return s && s.outerHTML !== before; }", arg=before)
    wait_for_figures(page, 2)
    watch.assert_clean("instant navigation")
    context.close()


# ---------------------------------------------------------------------------------- search

SEARCHES = [
    ("一网统管", "cases/shanghai-governance/"),
    ("秒报秒批", "cases/shenzhen-government/"),
    ("城市大脑", "cases/hangzhou-governance/"),
    ("城市大脑", "cases/zhengzhou-governance/"),
    ("数字孪生", "cases/guiyang-innovation/"),
    ("云长制", "cases/chongqing-infrastructure/"),
    ("生态创新", "tiers/"),
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
    wait_for_figures(page, 3)
    page.click("nav.md-tabs a[href$='tiers.html']")
    page.wait_for_url("**/tiers.html")
    wait_for_figures(page, 2)
    hits = search(page, "云长制")
    assert any("chongqing-infrastructure.html" in h for h in hits), hits
    assert not errors, errors
    assert not foreign, foreign
    context.close()


# ------------------------------------------------------------------------ links and anchors


def test_every_internal_link_and_anchor_resolves(served_site):
    built_site = served_site[1]
    broken = []
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(file: Path) -> set[str]:
        if file not in ids_cache:
            soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
            ids_cache[file] = {t["id"] for t in soup.select("[id]")}
        return ids_cache[file]

    for html in built_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("a[href], link[href], script[src], img[src]"):
            url = tag.get("href") or tag.get("src")
            parsed = urlparse(url)
            if parsed.scheme or url.startswith("//") or url.startswith("mailto:"):
                continue
            if parsed.path.startswith("/"):  # 404.html links from the site root
                target = (built_site / parsed.path.lstrip("/")).resolve()
            else:
                target = (html.parent / parsed.path).resolve() if parsed.path else html
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{html.relative_to(built_site)} -> {url}")
                continue
            if parsed.fragment and target.suffix == ".html":
                if unquote(parsed.fragment) not in ids_of(target):
                    broken.append(f"{html.relative_to(built_site)} -> {url} (no anchor)")
    assert not broken, broken[:20]


# ------------------------------------------------------------------------------ screenshots


@pytest.mark.parametrize("name, path", [("overview", ""), ("domain-government", "domains/government/"), ("case-shenzhen", "cases/shenzhen-government/")])
def test_phone_screenshots_for_reviewers(browser, server, name, path):
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ["light", "dark"]:
        context, page = new_page(browser, PHONE, scheme)
        page.goto(server + path, wait_until="networkidle")
        wait_for_figures(page)
        out = ARTIFACTS / f"phone-{name}-{scheme}.png"
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 10_000
        context.close()
