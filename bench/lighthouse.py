"""Lighthouse on the built site, served compressed as GitHub Pages serves it. A report: asserts nothing.

    python -m bench.lighthouse                 # make lighthouse: the hosted build, 7 pages, 3 runs each
    python -m bench.lighthouse --runs 5
    python -m bench.lighthouse --site-dir site # audit a folder built beforehand, as it is

Issue 15's targets, Lighthouse mobile with its default (simulated) throttling, median of the runs:
performance >= 95, accessibility 100, best practices 100, SEO 100.

- Lighthouse is pinned in bench/lighthouse/package-lock.json (12.2.3: the last line that runs on
  Node 20) and installed with `npm ci` into bench/lighthouse/node_modules when missing or stale.
- Without --site-dir the hosted configuration is built (SIMULATED_LAYER=off, SITE_URL the local
  server's address) into build/lighthouse-site/, again only when a source is newer than it.
- The server gzips text responses (html, css, js, json, svg, xml, txt) when the browser accepts
  gzip, sends ETag, Last-Modified and `Cache-Control: max-age=600` as GitHub Pages does, answers
  unknown paths with 404.html and a directory without its slash with a redirect.
- Pages: home, a domain page, the ranking, the stages page, a case page, a city page and the data
  page of one edition (default: the oldest with all of them), found in the built folder; where
  there are several (domains, cases, cities) the heaviest HTML is taken, the worst case.
- Runs are sequential (one Chromium at a time). Per category the median score is shown and, for a
  category under its target, the failing audits of that category's median run; LCP, TBT, CLS and
  the bytes transferred come from the median performance run.

Exit status 0 whether or not the targets are met; 1 when the build or Lighthouse itself failed.
"""

from __future__ import annotations

import argparse
import email.utils
import fcntl
import gzip
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.record import recorded, scratch

ROOT = Path(__file__).resolve().parent.parent
LH_DIR = ROOT / "bench" / "lighthouse"
LH_BIN = LH_DIR / "node_modules" / ".bin" / "lighthouse"
LH_VERSION = "12.2.3"
HOSTED_DIR = ROOT / "build" / "lighthouse-site"
STAMP = ROOT / "build" / "lighthouse-site.json"
LOCK = ROOT / "build" / ".lighthouse.lock"
# What a build reads: a file here newer than the built folder means it is stale.
SOURCES = ["docs", "data", "overrides", "hooks", "macros", "mkdocs.yml", "requirements.txt", "scripts/build_site.py"]

CATEGORIES = [  # id, column, target (0-100)
    ("performance", "perf", 95),
    ("accessibility", "a11y", 100),
    ("best-practices", "BP", 100),
    ("seo", "SEO", 100),
]
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".webmanifest"}
CACHE_CONTROL = "max-age=600"  # what GitHub Pages sends for every file
ITEMS_SHOWN = 6  # elements or resources listed per failing audit (all pages together)
BEHIND = {"total-blocking-time": "long-tasks", "max-potential-fid": "long-tasks"}
NOTES = {
    "uses-long-cache-ttl": "the hosting's doing (GitHub Pages sends max-age=600 for every file), not the site's",
}


# --- Lighthouse itself ------------------------------------------------------------------------


def ensure_lighthouse() -> None:
    """`npm ci` the pinned Lighthouse unless node_modules already matches the lock file."""
    lock = LH_DIR / "package-lock.json"
    installed = LH_DIR / "node_modules" / ".package-lock.json"
    package = LH_DIR / "node_modules" / "lighthouse" / "package.json"
    if (
        LH_BIN.exists()
        and installed.exists()
        and installed.stat().st_mtime >= lock.stat().st_mtime
        and json.loads(package.read_text(encoding="utf-8")).get("version") == LH_VERSION
    ):
        return
    npm = shutil.which("npm")
    if not npm:
        raise SystemExit("make lighthouse needs Node.js 18+ and npm (Debian: sudo apt-get install nodejs npm).")
    print(f"installing Lighthouse {LH_VERSION} into bench/lighthouse/node_modules (npm ci) ...", flush=True)
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=LH_DIR)
    if done.returncode != 0 or not LH_BIN.exists():
        raise SystemExit("npm ci failed in bench/lighthouse/")


def find_chrome(given: str | None) -> str:
    for candidate in [given, os.environ.get("CHROME_PATH"), "/usr/bin/chromium", shutil.which("chromium")]:
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("no Chromium found: run `make browser` (Debian's chromium) or pass --chrome-path")


# --- the site ---------------------------------------------------------------------------------


def newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for file in path.rglob("*"):
                if file.is_file() and "__pycache__" not in file.parts:
                    newest = max(newest, file.stat().st_mtime)
    return newest


def hosted_build(site_url: str, simulated: bool, force: bool) -> Path:
    """The site as CI publishes it, built into build/lighthouse-site/ unless that one is current."""
    settings = {"SITE_URL": site_url, "SIMULATED_LAYER": "on" if simulated else "off"}
    if not force and HOSTED_DIR.joinpath("index.html").exists() and STAMP.exists():
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
        if stamp.get("settings") == settings and stamp.get("built", 0) >= newest_source():
            print(f"using {HOSTED_DIR.relative_to(ROOT)}/ (current; --rebuild to build again)")
            return HOSTED_DIR
    print(f"building the hosted site into {HOSTED_DIR.relative_to(ROOT)}/ ({settings}) ...", flush=True)
    started = time.time()
    done = subprocess.run(
        [sys.executable, "scripts/build_site.py", "--site-dir", str(HOSTED_DIR)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "OFFLINE": "false", **settings},
    )
    if done.returncode != 0:
        raise SystemExit("the site did not build; nothing was measured")
    STAMP.write_text(json.dumps({"settings": settings, "built": started}), encoding="utf-8")
    print(f"built in {time.time() - started:.1f} s")
    return HOSTED_DIR


def pick_pages(site: Path, edition: str | None) -> list[tuple[str, str]]:
    """(label, path) of the pages to audit, all found in the built folder."""

    def has(rel: str) -> bool:
        return (site / rel / "index.html").is_file()

    def heaviest(rel: str) -> str | None:
        pages = [p for p in (site / rel).glob("*/index.html")]
        if not pages:
            return None
        best = max(pages, key=lambda p: (p.stat().st_size, p.parent.name))
        return f"/{best.parent.relative_to(site).as_posix()}/"

    needed = ["domains", "ranking", "stages", "data"]
    editions = sorted(p.name for p in site.iterdir() if p.is_dir() and p.name.isdigit())
    complete = [e for e in editions if all(has(f"{e}/{part}") for part in needed)]
    if edition is None:
        if not complete:
            raise SystemExit(f"no edition folder in {site} has {', '.join(needed)} pages")
        edition = complete[0]
    elif edition not in complete:
        raise SystemExit(f"edition {edition} not found with {', '.join(needed)} pages in {site}: {complete}")
    stage = heaviest(f"{edition}/stages") or f"/{edition}/stages/"
    case = heaviest("cases") or heaviest(f"{edition}/cases")
    pages = [
        ("home", "/"),
        ("domain", heaviest(f"{edition}/domains")),
        ("ranking", f"/{edition}/ranking/"),
        ("stage", stage),
        ("case", case),
        ("city", heaviest("cities")),
        ("data", f"/{edition}/data/"),
    ]
    missing = [label for label, path in pages if path is None]
    if missing:
        raise SystemExit(f"no {', '.join(missing)} page found in {site}")
    return pages


# --- the server -------------------------------------------------------------------------------


class PagesHandler(http.server.BaseHTTPRequestHandler):
    """A static server that answers like GitHub Pages: gzip for text, validators, max-age=600."""

    protocol_version = "HTTP/1.1"
    server_version = "bench-pages"
    root: Path
    cache: dict[tuple[str, float], bytes] = {}
    lock = threading.Lock()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def resolve(self, path: str) -> tuple[int, Path | None, str | None]:
        rel = unquote(urlsplit(path).path).lstrip("/")
        target = (self.root / rel).resolve()
        if self.root not in target.parents and target != self.root:
            return 404, self.root / "404.html", None
        if target.is_dir():
            if not path.split("?")[0].endswith("/"):
                return 301, None, urlsplit(path).path + "/"
            target = target / "index.html"
        if target.is_file():
            return 200, target, None
        return 404, self.root / "404.html", None

    def answer(self, body: bool) -> None:
        status, file, location = self.resolve(self.path)
        if status == 301:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if file is None or not file.is_file():
            self.send_error(404)
            return
        stat = file.stat()
        etag = f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", CACHE_CONTROL)
            self.end_headers()
            return
        data = file.read_bytes()
        compress = file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            key = (str(file), stat.st_mtime)
            with self.lock:
                packed = self.cache.get(key)
                if packed is None:
                    packed = self.cache[key] = gzip.compress(data, compresslevel=6, mtime=0)
            data = packed
        self.send_response(status)
        self.send_header("Content-Type", content_type(file))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", CACHE_CONTROL)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        if file.suffix in COMPRESSED:
            self.send_header("Vary", "Accept-Encoding")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if body:
            self.wfile.write(data)


TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".gz": "application/gzip",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


def content_type(file: Path) -> str:
    return TYPES.get(file.suffix.lower(), "application/octet-stream")


def free_port(preferred: int | None) -> int:
    for port in [preferred, 0]:
        if port is None:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise SystemExit("no free port")


def serve(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (PagesHandler,), {"root": site.resolve(), "cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- runs and report --------------------------------------------------------------------------


def run_lighthouse(url: str, out: Path, chrome: str) -> dict:
    cmd = [
        str(LH_BIN),
        url,
        f"--chrome-path={chrome}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    done = subprocess.run(cmd, cwd=LH_DIR, capture_output=True, text=True)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url} (exit {done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse failed on {url}: {report['runtimeError']}")
    for category, _, _ in CATEGORIES:
        if report["categories"][category]["score"] is None:
            raise RuntimeError(f"lighthouse gave no {category} score on {url}")
    return report


def score(report: dict, category: str) -> int:
    return round(report["categories"][category]["score"] * 100)


def median_run(reports: list[dict], category: str) -> tuple[int, dict]:
    """The median score and the run that scored it (the upper median for an even count)."""
    scores = sorted((score(r, category), i) for i, r in enumerate(reports))
    value, index = scores[len(scores) // 2]
    return value, reports[index]


def failing_audits(report: dict, category: str) -> list[dict]:
    """What keeps a category under 100: scored audits that failed (for performance, the metrics
    and opportunities Lighthouse shows as not passed, score < 0.9, weighted or not)."""
    failed = []
    limit = 0.9 if category == "performance" else 1
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if audit.get("score") is None or audit["scoreDisplayMode"] in {"manual", "notApplicable", "informative"}:
            continue
        if audit["score"] < limit:
            failed.append({"id": ref["id"], "weight": ref.get("weight", 0), **audit})
    return failed


def audit_items(audit: dict) -> list[tuple[str, str]]:
    """The audit's offending elements or resources as (key, text) pairs, to know where to look."""
    items = [item for item in (audit.get("details") or {}).get("items") or [] if isinstance(item, dict)]
    shown = []
    for item in items:
        node = item.get("node")
        if node:
            block = f"{node.get('selector', '')}  {(node.get('snippet') or '')[:110]}"
            why = (node.get("explanation") or "").splitlines()
            if len(why) > 1:  # "Fix any of the following:" then the reason
                block += f"\n  {why[1].strip()[:200]}"
            shown.append((f"{node.get('selector')} {node.get('snippet')}", block))
        elif item.get("url") and item.get("duration"):  # a long task
            shown.append((item["url"], f"{item['url']}  {item['duration']:.0f} ms task"))
        elif item.get("url"):
            size = item.get("wastedBytes") or item.get("totalBytes") or item.get("transferSize")
            shown.append((item["url"], f"{item['url']}" + (f"  ({size / 1024:.0f} KiB)" if size else "")))
        elif item.get("groupLabel"):
            shown.append((item["groupLabel"], f"{item['groupLabel']}: {item.get('duration', 0):.0f} ms"))
        elif item.get("description"):
            shown.append((str(item["description"]), str(item["description"])[:160]))
    return shown


def metric(report: dict, audit_id: str) -> float:
    return report["audits"][audit_id].get("numericValue") or 0.0


def main_thread(report: dict, limit: int = 3) -> str:
    """Where the main thread's time went: the scripts that took the most of it."""
    items = (report["audits"].get("bootup-time", {}).get("details") or {}).get("items") or []
    top = sorted(items, key=lambda item: -item.get("total", 0))[:limit]
    return ", ".join(f"{item['url'].rsplit('/', 1)[-1] or '(page)'} {item.get('total', 0):.0f} ms" for item in top)


def report(results: list[tuple[str, str, list[dict]]], runs: int) -> None:
    print()
    print(f"Lighthouse {LH_VERSION}, mobile, default throttling; median of {runs} run(s) per page; {date.today()}")
    bench = sorted(r["environment"]["benchmarkIndex"] for _, _, rs in results for r in rs)
    print(
        f"machine: {os.cpu_count()} cores, Lighthouse benchmarkIndex {bench[0]:.0f}-{bench[-1]:.0f} over the runs"
        " (a busy machine scores lower and inflates TBT)"
    )
    header = f"{'page':<8} {'path':<34}" + "".join(f" {col:>5}" for _, col, _ in CATEGORIES)
    print(header)
    print("-" * len(header))
    medians: dict[str, list[int]] = {cat: [] for cat, _, _ in CATEGORIES}
    for label, path, reports in results:
        row = f"{label:<8} {path:<34}"
        for cat, _, _ in CATEGORIES:
            value, _ = median_run(reports, cat)
            medians[cat].append(value)
            row += f" {value:>5}"
        print(row)
    print("-" * len(header))
    print(f"{'target':<43}" + "".join(f" {t:>5}" for _, _, t in CATEGORIES))
    print()
    for cat, col, target in CATEGORIES:
        below = [label for (label, _, _), v in zip(results, medians[cat]) if v < target]
        verdict = "met" if not below else f"NOT met on {', '.join(below)}"
        print(f"{col:<5} >= {target:>3}: {verdict} (lowest {min(medians[cat])})")

    print()
    print("Median performance run per page (perf scores of every run; main-thread time by script):")
    print(f"{'page':<8} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} {'FCP s':>6} {'SI s':>5} {'KiB':>5}  runs        scripts")
    for label, _, reports in results:
        _, mid = median_run(reports, "performance")
        spread = ", ".join(str(score(r, "performance")) for r in reports)
        print(
            f"{label:<8} {metric(mid, 'largest-contentful-paint') / 1000:>6.2f}"
            f" {metric(mid, 'total-blocking-time'):>7.0f}"
            f" {metric(mid, 'cumulative-layout-shift'):>6.3f}"
            f" {metric(mid, 'first-contentful-paint') / 1000:>6.2f}"
            f" {metric(mid, 'speed-index') / 1000:>5.1f}"
            f" {metric(mid, 'total-byte-weight') / 1024:>5.0f}"
            f"  {spread:<11} {main_thread(mid)}"
        )

    # Failing audits, grouped across pages: the same fix usually serves every page.
    print()
    any_below = False
    for cat, col, target in CATEGORIES:
        by_audit: dict[str, dict] = {}
        for label, _, reports in results:
            value, mid = median_run(reports, cat)
            if value >= target:
                continue
            for audit in failing_audits(mid, cat):
                entry = by_audit.setdefault(audit["id"], {"audit": audit, "pages": [], "items": [], "keys": set()})
                entry["pages"].append(f"{label}" + (f" {audit['displayValue']}" if audit.get("displayValue") else ""))
                base = "/".join(mid["finalDisplayedUrl"].split("/", 3)[:3])
                # A metric has no items of its own: show what stands behind it (long tasks for TBT).
                source = mid["audits"].get(BEHIND.get(audit["id"], ""), audit)
                for key, block in audit_items(source):
                    if key not in entry["keys"]:  # the first page's figure stands for the others
                        entry["keys"].add(key)
                        entry["items"].append(block.replace(base, ""))  # the server's address says nothing
        if not by_audit:
            continue
        any_below = True
        print(f"{col} under {target} — failing audits (median run of each page under target):")
        ordered = sorted(by_audit.values(), key=lambda e: (-e["audit"]["weight"], -len(e["pages"]), e["audit"]["id"]))
        for entry in ordered:
            audit = entry["audit"]
            weight = f"weight {audit['weight']}" if audit["weight"] else "not scored"
            pages = "all pages" if len(entry["pages"]) == len(results) and not audit.get("displayValue") else ""
            print(f"  {audit['id']} ({weight}): {audit['title']}")
            print(f"      on: {pages or '; '.join(entry['pages'])}")
            if audit["id"] in NOTES:
                print(f"      note: {NOTES[audit['id']]}")
            for block in entry["items"][:ITEMS_SHOWN]:
                print("        " + block.replace("\n", "\n        "))
            if len(entry["items"]) > ITEMS_SHOWN:
                print(f"        … {len(entry['items']) - ITEMS_SHOWN} more")
    if not any_below:
        print("Every page meets every target.")

    errored = sorted({k for _, _, rs in results for r in rs for k, a in r["audits"].items() if a.get("errorMessage")})
    if errored:
        weights = {
            ref["id"]: ref.get("weight", 0)
            for cat in results[0][2][0]["categories"].values()
            for ref in cat["auditRefs"]
            if ref.get("weight")
        }
        scored = [k for k in errored if weights.get(k)]
        print()
        print(f"Audits Lighthouse could not compute in some run: {', '.join(errored)}")
        print("  " + (f"scored ones among them: {', '.join(scored)}" if scored else "none of them counts in a score"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median taken); default 3")
    parser.add_argument("--site-dir", type=Path, help="audit this built folder as it is (default: the hosted build)")
    parser.add_argument("--simulated-layer", action="store_true", help="build with the simulated layer on")
    parser.add_argument("--rebuild", action="store_true", help="build the hosted site even if it is current")
    parser.add_argument("--edition", help="the edition whose pages are audited (default: the oldest complete one)")
    parser.add_argument("--pages", nargs="+", metavar="PATH", help="audit these paths instead (e.g. / /2020/ranking/)")
    parser.add_argument("--chrome-path", help="Chromium to run (default /usr/bin/chromium)")
    parser.add_argument("--port", type=int, help="port for the local server (default: the last one, else a free one)")
    parser.add_argument("--keep", type=Path, help="copy every JSON report into this folder")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    ensure_lighthouse()
    chrome = find_chrome(args.chrome_path)
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another Lighthouse run holds build/.lighthouse.lock; waiting for it (one Chromium at a time)")
            fcntl.flock(lock, fcntl.LOCK_EX)
        with scratch("dco-lighthouse-"), recorded("lighthouse", "make lighthouse"):
            return measure(args, chrome)


def measure(args: argparse.Namespace, chrome: str) -> int:
    if args.site_dir:
        site = args.site_dir.resolve()
        if not (site / "index.html").is_file():
            raise SystemExit(f"{args.site_dir} holds no built site: run `make build` first")
        port = free_port(args.port)
    else:
        last = None
        if STAMP.exists():
            last = urlsplit(json.loads(STAMP.read_text(encoding="utf-8"))["settings"]["SITE_URL"]).port
        port = free_port(args.port or last or 8765)
        site = hosted_build(f"http://127.0.0.1:{port}/", args.simulated_layer, args.rebuild)

    pages = [(f"page{i + 1}", p) for i, p in enumerate(args.pages)] if args.pages else pick_pages(site, args.edition)
    server = serve(site, port)
    base = f"http://127.0.0.1:{port}"
    print(f"serving {site} on {base}/ (gzip, {CACHE_CONTROL}); Lighthouse {LH_VERSION}, {chrome}")
    results = []
    started = time.time()
    try:
        with tempfile.TemporaryDirectory(prefix="dco-lighthouse-") as tmp:
            for label, path in pages:
                reports = []
                for run in range(args.runs):
                    name = hashlib.sha1(path.encode()).hexdigest()[:8]
                    out = Path(tmp) / f"{label}-{name}-{run + 1}.json"
                    t0 = time.time()
                    try:
                        reports.append(run_lighthouse(base + path, out, chrome))
                    except RuntimeError as error:  # Chromium under load sometimes times out: once more
                        print(f"{error}\n  trying once more", file=sys.stderr)
                        try:
                            reports.append(run_lighthouse(base + path, out, chrome))
                        except RuntimeError as again:
                            print(again, file=sys.stderr)
                            return 1
                    print(
                        f"  {label:<8} {path:<34} run {run + 1}/{args.runs}: "
                        + " ".join(f"{col} {score(reports[-1], cat)}" for cat, col, _ in CATEGORIES)
                        + f"  ({time.time() - t0:.0f} s)",
                        flush=True,
                    )
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(out, args.keep / out.name)
                results.append((label, path, reports))
    finally:
        server.shutdown()
    report(results, args.runs)
    print(f"\n{len(pages) * args.runs} Lighthouse runs in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
