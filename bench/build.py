"""Benchmarks: build time against the floor, serve, page weight, scale and the cost of hostile input.

    python -m bench.build                 # everything (make bench)
    python -m bench.build --only site     # the whole site: cold, warm against the floor, page weight
    python -m bench.build --only serve    # `mkdocs serve`: seconds until an edited case shows
    python -m bench.build --only scale --sizes 50 300 3000

The floor (bench/floor.py) is the same site with the macros' output pasted in as plain Markdown:
the same front matter, navigation, theme, plugins but macros, hooks and generated files, built
by MkDocs alone; the bench checks that its pages are byte-identical to the real ones.

Sections
- site: the whole site (every edition). Cold: a fresh copy without .cache (every figure drawn,
        the Vega runtime made, every page computed). Warm: the next build, which the cache
        lets replay all of that. Warm and floor builds alternate (paired runs); best and median.
- serve: `mkdocs serve` (what `make serve` runs: full rebuilds) while a case file's text is
        edited: seconds from the write until the served page shows it.
- scale: synthetic editions of N cities (a case page for one city in ten): cold, warm and floor
        (paired), the cost of each added page, site size, search index, largest page.
- editions: the real site with K more synthetic editions (informational).

Every target is printed with "met" or "NOT met", and again together at the end. Wall times on
a shared machine wander; the ratios use the best of the paired runs and show the median too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.floor import compare_sites, dump_hook, floor_project
from bench.record import recorded, scratch
from bench.synthetic import ROOT, copy_project, write_series_project, write_synthetic_project

RATIO = 1.2  # target: a warm build within 1.2x of the floor
SERVE_SECONDS = 1.0  # target: an edited case shows in under 1 s under `make serve`
LINEAR = 1.25  # each page added costs (time, bytes) at most this much more at 3,000 cities than at 300
TARGETS: list[tuple[str, bool, str]] = []  # (target, met, figures), printed together at the end


def target(name: str, met: bool, figures: str) -> None:
    TARGETS.append((name, met, figures))
    print(f"  TARGET {name}: {'met' if met else 'NOT met'} ({figures})")


def timed_build(project: Path, env: dict | None = None, stats: bool = False) -> dict:
    """Build once in a child process: its wall time, its own peak resident memory and (with
    `stats`) what the macros computed and what they replayed (macros/__init__.py)."""
    extra = dict(env or {})
    stats_file = None
    if stats:
        fd, stats_file = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        extra["DCO_BUILD_STATS"] = stats_file
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra},
        )
        _, status, usage = os.wait4(child.pid, 0)  # the rusage of this child alone
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"build failed in {project}:\n{err.read().decode('utf-8', 'replace')[-3000:]}")
    out = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}
    if stats_file:
        text = Path(stats_file).read_text(encoding="utf-8")
        out["stats"] = json.loads(text) if text else {}
        os.unlink(stats_file)
    return out


def paired(projects: dict[str, Path], times: int) -> dict[str, dict]:
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
            "cpu": statistics.median(r["cpu"] for r in rs),
            "all": [r["wall"] for r in rs],
        }
        for name, rs in runs.items()
    }


def make_floor(project: Path, work: Path) -> tuple[Path, dict]:
    """The floor of `project` (bench/floor.py), built once, and how its site compares with the
    real one (`project`'s last build)."""
    dumping = work / "dumping"
    shutil.copytree(project, dumping, ignore=shutil.ignore_patterns("site"), symlinks=True)
    dump_hook(dumping)
    dumped = work / "dumped"
    timed_build(dumping, {"DCO_DUMP_DIR": str(dumped)})
    floor = floor_project(dumping, dumped, work / "floor")
    timed_build(floor)
    return floor, compare_sites(project / "site", floor / "site")


def report_closeness(diff: dict) -> bool:
    same = not (diff["pages_differ"] or diff["files_differ"] or diff["only_real"] or diff["only_floor"])
    print(
        f"  floor against the real site: {diff['pages'] - len(diff['pages_differ'])} of {diff['pages']} pages "
        f"byte-identical; other files differing: {len(diff['files_differ'])}; only in the real site: "
        f"{len(diff['only_real'])}; only in the floor: {len(diff['only_floor'])}"
    )
    for rel, lines in diff["samples"]:
        print(f"    {rel}: " + " | ".join(lines))
    for name in ("files_differ", "only_real", "only_floor"):
        if diff[name]:
            print(f"    {name}: {', '.join(diff[name][:8])}")
    return same


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
        target_ = (page.parent / url).resolve()
        if target_.is_file():
            found.append(target_)
    if "dco-chart" in html:
        found.append(site / "assets/vega/vega-bundle.js")
    return found


def report_pages(site: Path) -> None:
    print("\n  Page weight (HTML; + the stylesheets and scripts it loads, raw / gzipped; a page with a figure")
    print("  counts the Vega runtime too, which loads only when a reader points at a figure):")
    print(f"    {'page':44} {'HTML':>10} {'HTML gz':>10} {'total':>11} {'total gz':>11}")
    for page in pages(site):
        if page.parent.parent.name == "cities" and page.parent.name not in ("shenzhen", "beijing"):
            continue  # one city page is like another
        html_raw, html_gz = size(page)
        assets = loaded_assets(site, page)
        total = html_raw + sum(size(a)[0] for a in assets)
        total_gz = html_gz + sum(size(a)[1] for a in assets)
        name = str(page.relative_to(site).parent) if page.name == "index.html" else str(page.relative_to(site))
        print(f"    {name:44} {kb(html_raw):>10} {kb(html_gz):>10} {kb(total):>11} {kb(total_gz):>11}")
    bundle = site / "assets/vega/vega-bundle.js"
    if bundle.exists():
        raw, gz = size(bundle)
        print(f"    Vega runtime: {kb(raw)} raw, {kb(gz)} gzipped; loaded only when a reader points at a figure")
    raw, gz = size(site / "search/search_index.json")
    print(f"    search index: {kb(raw)} raw, {kb(gz)} gzipped")


def describe(stats: dict) -> str:
    if stats.get("site_cache") == "hit":
        return f"replayed from .cache (pages computed: 0, case bodies rendered: {stats.get('bodies_rendered', 0)})"
    runtime = "made" if stats.get("runtime_made") else "from .cache"
    return (
        f"pages computed: {stats.get('pages_computed')}, figures built: {stats.get('figures_built')}, "
        f"drawn: {stats.get('figures_drawn')} ({drawing(stats)}), Vega runtime: {runtime}"
    )


def drawing(stats: dict) -> str:
    """What drawing the figures cost a build: the workers' time, and how long the build waited
    for them after its pages were written (the rest overlapped with the build)."""
    if not stats.get("figures_drawn"):
        return "none drawn"
    return (
        f"{stats.get('drawing_seconds', 0):.1f} s of drawing in the workers, "
        f"{1000 * stats.get('drawing_seconds', 0) / stats['figures_drawn']:.0f} ms a figure; "
        f"the build waited {stats.get('drawing_waited', 0):.1f} s for them at the end"
    )


def replays(stats: dict) -> bool:
    """Whether a build did none of the one-time work (it replayed the cached output)."""
    return stats.get("site_cache") == "hit" and not stats.get("pages_computed") and not stats.get("runtime_made")


def run_site(times: int) -> None:
    print("== The whole site (every edition)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = copy_project(tmp / "real")  # no .cache: the first build is cold
        cold = timed_build(project, stats=True)
        warm1 = timed_build(project, stats=True)
        site = project / "site"
        n = len(pages(site))
        print(
            f"  cold build: {cold['wall']:.2f} s, peak {cold['peak_mb']:.0f} MB, {n} pages; {describe(cold['stats'])}"
        )
        print(f"  the build after it: {warm1['wall']:.2f} s; {describe(warm1['stats'])}")
        floor, diff = make_floor(project, tmp)
        report_closeness(diff)
        runs = paired({"warm": project, "floor": floor}, times)
        warm, fl = runs["warm"], runs["floor"]
        print(f"  paired runs ({times} each, alternated):")
        for name, r in (("warm", warm), ("floor", fl)):
            print(
                f"    {name + ':':6} best {r['best']:.2f} s, median {r['median']:.2f} s "
                f"(CPU {r['cpu']:.2f} s, median), peak {r['peak_mb']:.0f} MB"
            )
        ratio, ratio_median = warm["best"] / fl["best"], warm["median"] / fl["median"]
        target(
            f"whole site ({n} pages): warm within {RATIO}x of the floor",
            ratio <= RATIO,
            f"{ratio:.2f}x best, {ratio_median:.2f}x median, {warm['cpu'] / fl['cpu']:.2f}x CPU",
        )
        shutil.rmtree(project / ".cache" / "site")  # the pages computed again, the figures from .cache
        pages_only = timed_build(project, stats=True)
        one_time = cold["wall"] - warm["median"]
        print(
            f"  cold = warm + one-time work: {cold['wall']:.2f} s = {warm['median']:.2f} s + {one_time:.2f} s "
            f"(of which computing the pages, figures cached: {pages_only['wall'] - warm['median']:.2f} s; "
            "the rest: drawing the figures, making the Vega runtime)"
        )
        target(
            "cold build = warm + only the one-time work cached afterwards",
            replays(warm1["stats"]) and not replays(cold["stats"]),
            f"cold {cold['wall']:.2f} s, warm median {warm['median']:.2f} s; the build after a cold one "
            + ("redid none of it" if replays(warm1["stats"]) else "redid some of it"),
        )
        report_pages(site)


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


def run_serve(edits: int) -> None:
    """Edit one case file while `mkdocs serve` runs (full rebuilds, as `make serve`); time from
    the write until the served page shows the edit."""
    print("\n== mkdocs serve (make serve): editing a case")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "serve")
        if (ROOT / ".cache").is_dir():
            shutil.copytree(ROOT / ".cache", project / ".cache")
        timed_build(project)  # as on a contributor's machine: the site was built before
        port = free_port()
        url = f"http://127.0.0.1:{port}/cases/shenzhen-government/"
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        try:
            deadline = time.time() + 300
            while "深圳" not in fetch(url):
                if time.time() > deadline:
                    raise SystemExit("mkdocs serve did not come up")
                time.sleep(0.2)
            case = project / "docs/cases/shenzhen-government.md"
            shown = []
            for attempt in range(edits):
                time.sleep(1.0)  # the server settles
                marker = f"基准测试修改{attempt}"
                text = case.read_text(encoding="utf-8").replace("## 看点", f"{marker}\n\n## 看点", 1)
                started = time.perf_counter()
                case.write_text(text, encoding="utf-8")
                while marker not in fetch(url):
                    if time.perf_counter() - started > 120:
                        raise SystemExit("the edit never showed")
                    time.sleep(0.02)
                shown.append(time.perf_counter() - started)
                print(f"  edit {attempt + 1} of the case's text: shown after {shown[-1]:.2f} s")
            best, median = min(shown), statistics.median(shown)
            target(
                f"serve: an edited case shows in under {SERVE_SECONDS:g} s",
                median < SERVE_SECONDS,
                f"{edits} edits: best {best:.2f} s, median {median:.2f} s",
            )
            # Not a target: a new title changes the navigation on every page, so the core computes
            # the whole site again (and imports what a replayed build does without).
            time.sleep(1.0)
            text = case.read_text(encoding="utf-8")
            title = re.search(r"^title: (.*)$", text, re.M).group(1)
            started = time.perf_counter()
            case.write_text(text.replace(f"title: {title}", f"title: {title}改", 1), encoding="utf-8")
            while f"{title}改" not in fetch(url):
                if time.perf_counter() - started > 300:
                    raise SystemExit("the new title never showed")
                time.sleep(0.05)
            print(
                f"  (not a target) an edit of the case's title, which every page's navigation shows: "
                f"shown after {time.perf_counter() - started:.2f} s"
            )
        finally:
            stop(server)


CHECK_SECONDS = 10.0  # target: `make check` of the worst a pull request can send


def run_hostile() -> None:
    """`make check` on the real project with the hostile corpus added (tests/hostile.py): every
    hostile case, data text and edition prose, and a body at the size cap made of the pattern
    Python-Markdown handles worst. Each must be refused or passed within seconds."""
    from macros.contrib import MAX_FILE_BYTES
    from tests import hostile

    print("\n== make check on hostile input")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "hostile")
        for name, text in hostile.publishable().items():
            (project / "docs/cases" / name).write_text(text, encoding="utf-8")
        hostile.plant_beside_cases(project)
        worst = "正文。\n\n" + "[" * (MAX_FILE_BYTES - 1000) + "\n"
        (project / "docs/cases/zhuhai-livelihood.md").write_text(
            hostile.case("zhuhai", "livelihood", worst), encoding="utf-8"
        )
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    reported = done.stderr.count("\n  - ")
    print(
        f"  {len(hostile.publishable()) + 1} hostile case files, data text and prose: "
        f"{seconds:.1f} s, {reported} problems"
    )
    target(
        f"check: the worst input is refused in under {CHECK_SECONDS:g} s",
        seconds < CHECK_SECONDS and done.returncode == 1 and "Traceback" not in done.stderr,
        f"{seconds:.1f} s",
    )


def stop(server: subprocess.Popen) -> None:
    """Stop `mkdocs serve` as Ctrl+C does, so that it removes its own temporary site."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def site_figures(site: Path) -> dict:
    html = pages(site)
    sizes = sorted((p.stat().st_size, p) for p in html)
    data_files = sorted((p.stat().st_size, p) for p in (site / "assets/tables").glob("*.js"))
    return {
        "pages": len(html),
        "bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        "index": (site / "search/search_index.json").stat().st_size,
        "largest": sizes[-1],
        "median": statistics.median(s for s, _ in sizes),
        "data_file": data_files[-1] if data_files else None,
    }


def run_scale(sizes: list[int], times: int) -> None:
    print("\n== Synthetic editions (cold: first build, every figure drawn; warm and floor: paired runs)")
    print(
        f"  {'cities':>7} {'pages':>6} {'cold s':>7} {'warm s':>13} {'floor s':>13} {'ratio':>11} "
        f"{'peak MB':>8} {'site MB':>8} {'index MB':>9} {'largest page':>24} {'median page':>12} "
        f"{'largest data file':>30}"
    )
    done = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            project = write_synthetic_project(ROOT, tmp / "synthetic", n)
            cold = timed_build(project, stats=True)
            floor, diff = make_floor(project, tmp)
            runs = paired({"warm": project, "floor": floor}, times)
            warm, fl = runs["warm"], runs["floor"]
            f = site_figures(project / "site")
            largest, largest_page = f["largest"]
            name = str(largest_page.relative_to(project / "site").parent)
            data = f"{kb(f['data_file'][0])} {f['data_file'][1].name}" if f["data_file"] else "—"
            ratio = warm["best"] / fl["best"]
            print(
                f"  {n:>7} {f['pages']:>6} {cold['wall']:>7.1f} "
                f"{warm['best']:>6.1f} ({warm['median']:>4.1f}) {fl['best']:>6.1f} ({fl['median']:>4.1f}) "
                f"{ratio:>5.2f} ({warm['median'] / fl['median']:.2f}) "
                f"{max(cold['peak_mb'], warm['peak_mb']):>8.0f} {f['bytes'] / 2**20:>8.1f} {f['index'] / 2**20:>9.2f} "
                f"{kb(largest):>12} {name[:11]:>11} {kb(f['median']):>12} {data:>30}"
            )
            if diff["pages_differ"] or diff["only_real"] or diff["only_floor"]:
                report_closeness(diff)
            print(f"          cold build: {describe(cold['stats'])}")
            done.append({"n": n, "cold": cold["wall"], "warm": warm, "floor": fl, "ratio": ratio, **f})
    # Fixed costs (imports, loading, the theme) dominate small sites; the cost of each added page
    # is what must stay flat as the site grows.
    steps = []
    for a, b in zip(done, done[1:]):
        added = b["pages"] - a["pages"]
        step = {
            "cold": 1000 * (b["cold"] - a["cold"]) / added,
            "warm": 1000 * (b["warm"]["best"] - a["warm"]["best"]) / added,
            "floor": 1000 * (b["floor"]["best"] - a["floor"]["best"]) / added,
            "bytes": (b["bytes"] - a["bytes"]) / added,
        }
        steps.append(step)
        print(
            f"  each page added from {a['pages']} to {b['pages']} pages: cold {step['cold']:.0f} ms, "
            f"warm {step['warm']:.0f} ms, floor {step['floor']:.0f} ms, {kb(step['bytes'])}"
        )
    big = [d for d in done if d["n"] >= 3000]
    for d in big:
        target(
            f"{d['n']:,} cities ({d['pages']:,} pages): warm within {RATIO}x of the floor",
            d["ratio"] <= RATIO,
            f"{d['ratio']:.2f}x best, {d['warm']['median'] / d['floor']['median']:.2f}x median, "
            f"{d['warm']['cpu'] / d['floor']['cpu']:.2f}x CPU",
        )
    if len(steps) >= 2:
        first, last = steps[-2], steps[-1]
        time_ok = last["warm"] <= LINEAR * max(first["warm"], last["floor"])
        bytes_ok = last["bytes"] <= LINEAR * first["bytes"]
        target(
            "output and time linear in the number of cases",
            time_ok and bytes_ok,
            f"each page added last: warm {last['warm']:.0f} ms (before: {first['warm']:.0f} ms; floor "
            f"{last['floor']:.0f} ms), {kb(last['bytes'])} (before: {kb(first['bytes'])}); "
            f"allowed: {LINEAR}x",
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
    parser.add_argument("--only", choices=["site", "serve", "scale", "editions", "hostile"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 300, 3000])
    parser.add_argument("--times", type=int, default=5, help="paired warm and floor builds of the whole site")
    parser.add_argument("--scale-times", type=int, default=3, help="paired warm and floor builds per synthetic size")
    parser.add_argument("--edits", type=int, default=5, help="case edits timed under mkdocs serve")
    args = parser.parse_args()
    name = f"bench-{args.only}" if args.only else "bench"
    command = f"python -m bench.build --only {args.only}" if args.only else "make bench"
    with scratch("dco-bench-"), recorded(name, command):
        run(args)


def run(args: argparse.Namespace) -> None:
    started = time.time()
    print(f"make bench, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    if args.only in (None, "site"):
        run_site(args.times)
    if args.only in (None, "serve"):
        run_serve(args.edits)
    if args.only in (None, "scale"):
        run_scale(args.sizes, args.scale_times)
    if args.only in (None, "editions"):
        run_editions([0, 5, 20], 60)
    if args.only in (None, "hostile"):
        run_hostile()
    if TARGETS:
        print("\n== Targets")
        for name, met, figures in TARGETS:
            print(f"  {'met    ' if met else 'NOT met'}  {name}: {figures}")
        print(
            f"  ({'every target met' if all(m for _, m, _ in TARGETS) else 'NOT every target met'}; "
            f"{(time.time() - started) / 60:.0f} min, load {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
