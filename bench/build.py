"""Benchmarks: build time, page weight and scale. Prints figures; asserts nothing.

    python -m bench.build                 # everything (make bench)
    python -m bench.build --only real     # the 2020 site: with/without figures, floor, page weight
    python -m bench.build --only scale --sizes 50 300

Sections
- serve: one case file edited while `mkdocs serve` runs: seconds until the page shows it.
- real:  the 2020 site built cold (no .cache: every figure drawn with Altair, the Vega runtime
         made) and warm (figures and runtime read from .cache, as on a second build); the floor
         (the same pages as plain Markdown with the same theme and plugins but no macros and no
         figures); the size of every page, what it loads, the Vega runtime and the search index.
- scale: synthetic editions of N cities (a case page for one city in ten): cold and warm build
         wall time and peak memory, floor, ratio, time per page, site size, search index, largest
         and median page, largest data file.
- editions: the real site with K more synthetic editions (ranks and members only, like the
         editions from 2022 on): pages, cold and warm build, time per page.

Wall times on a shared machine wander by a second or more; warm and floor builds are repeated
(alternately) and the best and the median are shown. The ratio uses the best of each.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.synthetic import ROOT, copy_project, write_series_project, write_synthetic_project

# A hook that runs after every plugin and saves each page's final Markdown: the floor's input.
DUMP_HOOK = """
import os
from pathlib import Path
from mkdocs.plugins import event_priority

@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    out = Path(os.environ["DCO_DUMP_DIR"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")
    return markdown
"""
FIGURE = re.compile(r'<figure class="dco-figure".*?</figure>\n?', re.S)


def timed_build(project: Path, env: dict | None = None) -> dict:
    """Build once in a child process; its wall time and its own peak resident memory."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
        _, status, usage = os.wait4(child.pid, 0)  # the rusage of this child alone
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise SystemExit(f"build failed in {project}:\n{err.read().decode('utf-8', 'replace')[-3000:]}")
    return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024}


def repeated(projects: dict[str, Path], times: int) -> dict[str, dict]:
    """Build each project `times` times, alternating, so that a slow spell hits all alike."""
    runs: dict[str, list[dict]] = {name: [] for name in projects}
    for _ in range(times):
        for name, project in projects.items():
            runs[name].append(timed_build(project))
    return {
        name: {
            "best": min(r["wall"] for r in rs),
            "median": statistics.median(r["wall"] for r in rs),
            "peak_mb": max(r["peak_mb"] for r in rs),
        }
        for name, rs in runs.items()
    }


def floor_project(project: Path, dumped: Path, dest: Path) -> Path:
    """The same pages as plain Markdown (figures removed), same theme and plugins, no macros."""
    shutil.copytree(project / "docs", dest / "docs", ignore=shutil.ignore_patterns("*.md"))
    for md in dumped.rglob("*.md"):
        target = dest / "docs" / md.relative_to(dumped)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = FIGURE.sub("", md.read_text(encoding="utf-8"))
        target.write_text("---\nrender_macros: false\n---\n" + text, encoding="utf-8")
    shutil.copytree(project / "overrides", dest / "overrides")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\n  - macros:\n(?:      .*\n)+", "\n", config)  # no macros
    config = re.sub(r"\nhooks:\n(?:  - .*\n)+", "\n", config)  # no hooks
    config = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", config)  # nothing to watch
    config = re.sub(r"\nnav:\n(?:  .*\n)+", "\n", config)  # nav from the files
    config = config.replace("    omitted_files: warn", "    omitted_files: info")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def add_dump_hook(project: Path, dump_dir: Path) -> dict:
    (project / "hooks" / "bench_dump.py").write_text(DUMP_HOOK, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "  - hooks/observatory_hooks.py\n", "  - hooks/observatory_hooks.py\n  - hooks/bench_dump.py\n"
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return {"DCO_DUMP_DIR": str(dump_dir)}


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def size(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    return len(raw), len(gzip.compress(raw, 9))


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def loaded_assets(site: Path, page: Path) -> list[Path]:
    """Stylesheets and scripts a page loads from the site (the Vega runtime if it has a figure)."""
    html = page.read_text(encoding="utf-8")
    found = []
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"#?]+\.(?:js|css))"', html):
        target = (page.parent / url).resolve()
        if target.is_file():
            found.append(target)
    if "dco-chart" in html:
        found.append(site / "assets/vega/vega-bundle.js")
    return found


def report_pages(site: Path) -> None:
    print("\nPage weight (HTML; + what it loads from the site, raw / gzipped):")
    print(f"  {'page':44} {'HTML':>10} {'HTML gz':>10} {'total':>11} {'total gz':>11}")
    for page in pages(site):
        html_raw, html_gz = size(page)
        assets = loaded_assets(site, page)
        total = html_raw + sum(size(a)[0] for a in assets)
        total_gz = html_gz + sum(size(a)[1] for a in assets)
        name = str(page.relative_to(site).parent) if page.name == "index.html" else str(page.relative_to(site))
        print(f"  {name:44} {kb(html_raw):>10} {kb(html_gz):>10} {kb(total):>11} {kb(total_gz):>11}")
    bundle = site / "assets/vega/vega-bundle.js"
    if bundle.exists():
        raw, gz = size(bundle)
        print(
            f"  Vega runtime (assets/vega/vega-bundle.js): {kb(raw)} raw, {kb(gz)} gzipped; "
            f"loaded only by pages with a figure"
        )
    index = site / "search/search_index.json"
    raw, gz = size(index)
    print(f"  search index: {kb(raw)} raw, {kb(gz)} gzipped")


def run_real(times: int) -> None:
    print("== The 2020 site")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = copy_project(tmp / "real")  # no .cache: the first build is cold
        cold = timed_build(project)
        site = project / "site"
        print(
            f"  cold build (every figure drawn, Vega runtime made): {cold['wall']:.2f} s, "
            f"peak {cold['peak_mb']:.0f} MB, {len(pages(site))} pages"
        )
        report_pages(site)

        dump = tmp / "dump"
        dumping = copy_project(tmp / "dumping")
        timed_build(dumping, add_dump_hook(dumping, dump))
        floor_site = floor_project(dumping, dump, tmp / "floor")
        timed_build(floor_site)  # warm the floor's bytecode and jieba cache too
        runs = repeated({"warm": project, "floor": floor_site}, times)
        warm, floor = runs["warm"], runs["floor"]
        print(
            f"\n  warm build (figures and runtime from .cache), best of {times}: "
            f"{warm['best']:.2f} s (median {warm['median']:.2f} s), peak {warm['peak_mb']:.0f} MB"
        )
        print(
            f"  floor (same pages as plain Markdown, no macros, no figures), best of {times}: "
            f"{floor['best']:.2f} s (median {floor['median']:.2f} s), peak {floor['peak_mb']:.0f} MB"
        )
        ratio = warm["best"] / floor["best"]
        print(
            f"  ratio warm / floor: {ratio:.2f}  (target: within 1.2: {'met' if ratio <= 1.2 else 'NOT met'}); "
            f"cold / floor: {cold['wall'] / floor['best']:.2f}"
        )
        print(f"  warm build per page: {1000 * warm['best'] / len(pages(site)):.0f} ms over {len(pages(site))} pages")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def run_serve() -> None:
    """Edit one case file while `mkdocs serve` runs; time until the served page shows the edit.
    Full rebuilds (`make serve`) and --dirty rebuilds (only the edited page) are both timed."""
    for label, flags in [("full rebuild (make serve)", []), ("--dirty (only the edited page)", ["--dirty"])]:
        print(f"\n== mkdocs serve, {label}: editing one case file")
        time_serve_edits(flags)


def time_serve_edits(flags: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "serve")
        port = free_port()
        url = f"http://127.0.0.1:{port}/cases/shenzhen-government/"
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *flags, "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        try:
            deadline = time.time() + 120
            while "深圳" not in fetch(url):
                if time.time() > deadline:
                    raise SystemExit("mkdocs serve did not come up")
                time.sleep(0.2)
            case = project / "docs/cases/shenzhen-government.md"
            for attempt in range(3):
                marker = f"基准测试修改{attempt}"
                started = time.perf_counter()
                case.write_text(
                    case.read_text(encoding="utf-8").replace("## 看点", f"{marker}\n\n## 看点", 1), encoding="utf-8"
                )
                while marker not in fetch(url):
                    if time.perf_counter() - started > 60:
                        raise SystemExit("the edit never showed")
                    time.sleep(0.05)
                print(f"  edit {attempt + 1}: shown after {time.perf_counter() - started:.2f} s  (target: under 3 s)")
        finally:
            server.terminate()
            server.wait(timeout=30)


def run_scale(sizes: list[int]) -> None:
    print("\n== Synthetic editions (cold: first build, every figure drawn; warm: the second)")
    print(
        f"  {'cities':>7} {'pages':>6} {'cold s':>7} {'warm s':>7} {'peak MB':>8} "
        f"{'floor s':>8} {'ratio':>6} {'ms/page':>8} "
        f"{'site MB':>8} {'index MB':>9} {'largest page':>24} {'median page':>12} {'largest data file':>30}"
    )
    done = []  # (pages, cold, warm, floor) per size, for the cost of each added page
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            project = write_synthetic_project(ROOT, tmp / "synthetic", n)
            dump = tmp / "dump"
            env = add_dump_hook(project, dump)
            cold = timed_build(project, env)
            warm = timed_build(project, env)
            site = project / "site"
            floor = timed_build(floor_project(project, dump, tmp / "floor"))
            html = pages(site)
            sizes_ = sorted((p.stat().st_size, p) for p in html)
            largest, largest_page = sizes_[-1]
            median = statistics.median(s for s, _ in sizes_)
            data_files = sorted((p.stat().st_size, p) for p in (site / "assets/tables").glob("*.js"))
            data_file = f"{kb(data_files[-1][0])} {data_files[-1][1].name}" if data_files else "—"
            site_mb = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20
            index_mb = (site / "search/search_index.json").stat().st_size / 2**20
            name = str(largest_page.relative_to(site).parent)
            print(
                f"  {n:>7} {len(html):>6} {cold['wall']:>7.1f} {warm['wall']:>7.1f} "
                f"{max(cold['peak_mb'], warm['peak_mb']):>8.0f} "
                f"{floor['wall']:>8.1f} "
                f"{warm['wall'] / floor['wall']:>6.2f} {1000 * cold['wall'] / len(html):>8.0f} "
                f"{site_mb:>8.1f} {index_mb:>9.2f} "
                f"{kb(largest):>12} {name[:11]:>11} {kb(median):>12} {data_file:>30}"
            )
            done.append((len(html), cold["wall"], warm["wall"], floor["wall"]))
    # Fixed costs (imports, loading, the theme) dominate small sites, so whole-build time per page
    # falls as sites grow; the cost of each added page is what must stay flat.
    for (p0, *t0), (p1, *t1) in zip(done, done[1:]):
        cold, warm, floor = (1000 * (b - a) / (p1 - p0) for a, b in zip(t0, t1))
        print(
            f"  each page added from {p0} to {p1} pages: cold {cold:.0f} ms, warm {warm:.0f} ms, floor {floor:.0f} ms"
        )


def run_editions(counts: list[int], n: int) -> None:
    print(f"\n== The real site with more synthetic editions ({n} ranked cities each, the rest as members)")
    print(f"  {'editions':>9} {'pages':>6} {'cold s':>7} {'warm s':>7} {'warm ms/page':>13} {'peak MB':>8}")
    for k in counts:
        with tempfile.TemporaryDirectory() as tmp:
            project = write_series_project(ROOT, Path(tmp) / "series", k, n)
            cold = timed_build(project)
            warm = timed_build(project)
            html = pages(project / "site")
            total = len(list((project / "data/editions").iterdir()))
            print(
                f"  {total:>9} {len(html):>6} {cold['wall']:>7.1f} {warm['wall']:>7.1f} "
                f"{1000 * warm['wall'] / len(html):>13.0f} {max(cold['peak_mb'], warm['peak_mb']):>8.0f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["real", "serve", "scale", "editions"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 300, 3000])
    parser.add_argument(
        "--times", type=int, default=5, help="warm and floor builds of the 2020 site (best and median shown)"
    )
    args = parser.parse_args()
    if args.only in (None, "real"):
        run_real(args.times)
    if args.only in (None, "serve"):
        run_serve()
    if args.only in (None, "scale"):
        run_scale(args.sizes)
    if args.only in (None, "editions"):
        run_editions([0, 5, 20], 60)


if __name__ == "__main__":
    main()
