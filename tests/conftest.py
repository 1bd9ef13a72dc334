"""Shared fixtures and helpers: throw-away project copies and site builds."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
COPIED = ["data", "docs", "mkdocs.yml", "overrides", "hooks", "macros", "scripts", "CONTRIBUTING.md"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the data, pages and site config in a temporary folder, free to break."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` with `new` in a text file; fail loudly if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def build_site(
    project: Path, site_dir: Path | None = None, extra_env: dict | None = None
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` on a project folder; returns the finished process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("REPO_URL", None)
    # The tests build with the simulated layer on, to test it, unless they say otherwise; the
    # default everywhere else is the hosted site's, off (test_build checks that default).
    env.setdefault("SIMULATED_LAYER", "on")
    env.update(extra_env or {})
    env = {k: v for k, v in env.items() if v is not None}  # None: unset it
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir or project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )


def read_page(site: Path, path: str) -> BeautifulSoup:
    """The built page for a URL path such as 'domains/economy/' ('' is the home page)."""
    file = site / path / "index.html" if not path.endswith(".html") else site / path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def article(soup: BeautifulSoup):
    """The page's own content, without the navigation and header."""
    return soup.select_one("article.md-content__inner")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real project, built once for all read-only build tests."""
    site = tmp_path_factory.mktemp("site")
    done = build_site(ROOT, site)
    assert done.returncode == 0, done.stderr[-3000:]
    return site


def editions(root: Path) -> dict:
    """Every edition of a project folder, by id (what the case loader checks cases against)."""
    from macros.editions import load_all

    return {e.id: e for e in load_all(root)}


def many_cities(n: int, seed: int = 1):
    """Results of the 2020 edition grown to `n` cities with random scores (no published ranks):
    for what only shows at scale, without building a site."""
    import dataclasses

    import numpy as np

    from macros.editions import load_edition
    from macros.scoring import compute_results

    edition = load_edition(ROOT, "2020")
    rng = np.random.default_rng(seed)
    template = edition.cities[0]
    cities = tuple(
        template.model_copy(
            update={
                "id": f"city{i:04d}",
                "name_zh": f"测试{i}市",
                "province_zh": edition.cities[i % len(edition.cities)].province_zh,
            }
        )
        for i in range(n)
    )
    level = rng.normal(68, 9, size=n)
    scores = tuple(
        {"city": c.id, **{d.id: float(np.clip(round(level[i] + rng.normal(0, 6), 1), 0, 100)) for d in edition.domains}}
        for i, c in enumerate(cities)
    )
    return compute_results(dataclasses.replace(edition, cities=cities, scores=scores, ranking=()))


def with_published_ranks(results, ranked: int, counts: dict[str, int] | None = None):
    """The same cities with their composite order 1..`ranked` published, as a large published
    edition would have them; `counts` replaces the published stage counts."""
    import dataclasses

    from macros.models import RankRow
    from macros.scoring import compute_results, rank_descending

    order = rank_descending(results.table["composite"])
    ranking = tuple(
        RankRow.model_construct(rank=int(rank), city=city, source="https://example.org/")
        for city, rank in zip(results.table["city"], order)
        if rank <= ranked
    )
    size = len(results.table)
    tiers_file = results.edition.tiers_file
    if counts:
        tiers = tuple(t.model_copy(update={"published_count": counts[t.id]}) for t in tiers_file.tiers)
        tiers_file = tiers_file.model_copy(update={"tiers": tiers})
    return compute_results(
        dataclasses.replace(
            results.edition,
            ranking=ranking,
            tiers_file=tiers_file,
            meta=results.edition.meta.model_copy(update={"size": size}),
        )
    )


# ------------------------------------------------------------------ the served site and the browser
# For the browser tests (tests/test_browser.py, tests/test_accessibility.py): one build of the real
# site served on 127.0.0.1, one Chromium, for the whole session.

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build_and_serve(project: Path, site: Path):
    """The site built for the address it is served from: instant navigation only follows links
    within site_url, so the port is chosen first and the build is told."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    done = build_site(project, site, {"SITE_URL": url})
    assert done.returncode == 0, done.stderr[-2000:]
    httpd.RequestHandlerClass = functools.partial(QuietHandler, directory=str(site))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, url


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("served")
    httpd, url = build_and_serve(ROOT, site)
    yield url, site
    httpd.shutdown()


@pytest.fixture(scope="session")
def server(served_site) -> str:
    return served_site[0]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is not installed: run `make test` (it installs it) or scripts/install-browser.sh"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def new_page(browser, viewport=DESKTOP, scheme: str | None = None):
    context = browser.new_context(viewport=viewport, color_scheme=scheme or "light", locale="zh-CN")
    return context, context.new_page()
