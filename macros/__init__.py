"""数字城市观察: the mkdocs-macros adapter. It only wires the core (macros/site.py) into MkDocs.

`define_env` looks up the core's output for this build's inputs (macros/site_cache.py: the data,
the pages and cases, the code, the settings). Found, the build replays it: the navigation, the
generated pages, every page's Markdown, the case bodies and the files written beside the pages,
with nothing loaded, checked, computed or rendered, and neither pandas nor pydantic imported.
Not found, it loads the whole site once (a DataError stops the build with its report and no
traceback), sets the generated navigation and registers the macros of `site.MACROS`, each
called with the page being written; it records what every page became and stores it all once
the build is done. Case pages are filled here; downloads, figure data and table rows are written
after the build. `hooks/observatory_hooks.py` takes what it needs from `Build`.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import os
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from . import site_cache
from .boundary import is_contributed, may_render
from .problems import inert
from .site_cache import CaseBody, Output

log = logging.getLogger("mkdocs.plugins.observatory")


class WarningCount(logging.Handler):
    """Counts the warnings logged while it is attached. `WARNINGS` counts a whole build's: an
    output computed by a build that warned is not stored, or the next build would replay it
    without the warning (and a strict build would pass). hooks/observatory_hooks.py counts a
    page's the same way."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


WARNINGS = WarningCount()

STATS_ENV = "DCO_BUILD_STATS"  # a file to write what this build computed and what it replayed (bench/)
# Kept across `mkdocs serve` rebuilds for hooks/observatory_hooks.py (`Reuse`), which MkDocs loads
# anew for every rebuild while this package stays imported: what the last rebuild made of each page.
REBUILDS: dict = {}


CACHE = ".cache"
# Project folders whose .cache/ this process does not read or write: Git could not tell whether
# the checkout brought files into it (refuse_tracked_cache).
_UNTOLD: set[Path] = set()


def cache_dir(root: Path) -> Path | None:
    """Where builds keep what depends only on data and code (figures, the Vega runtime, the
    core's output); None when it may not be used (every figure is then drawn anew)."""
    return None if Path(root) in _UNTOLD else Path(root) / CACHE


def refuse_tracked_cache(root: Path) -> None:
    """Stop the build if the checkout brought files into the cache: what is there is published
    as it stands (pages, drawings, the Vega runtime), so only this machine's builds may write
    it. If Git cannot tell, this build neither reads nor writes the cache."""
    found = site_cache.tracked(root, CACHE)
    if found is None:
        log.info("Git could not list the files it tracks: this build does not use .cache/")
        _UNTOLD.add(Path(root))
        return
    _UNTOLD.discard(Path(root))
    if found:
        # file names come with the pull request: written inert (no newline can start a log line)
        shown = "、".join(inert(name) for name in found[:5]) + (f" 等 {len(found)} 个文件" if len(found) > 5 else "")
        raise PluginError(
            f"\n{CACHE}/ 中有文件被 Git 跟踪：{shown}。\n"
            f"{CACHE}/ 是本机构建时生成的缓存，构建会把其中内容原样发布，因此不能随代码提交。"
            f"请执行 git rm -r --cached {CACHE} 并提交，然后重新构建。"
        )


def simulated_layer_on(extra: dict) -> bool:
    """mkdocs.yml `extra.simulated_layer` (SIMULATED_LAYER=on/off): whether a simulated score
    file is published. Off, the site shows published and derived values only."""
    return str(extra.get("simulated_layer", "off")).strip().lower() in ("on", "true", "1", "yes")


def load_site(root: Path, simulated_layer: bool = False):
    from .drawing import Drawer
    from .problems import DataError
    from .site import Site

    try:
        return Site.load(root, simulated_layer, cache_dir(root), Drawer())
    except DataError as err:
        raise PluginError("\n" + err.report()) from None


def _offline(conf) -> bool:
    offline = [p.config.get("enabled") for name, p in conf.plugins.items() if name.split("/")[-1] == "offline"]
    return bool(offline and offline[0])


def data_date(root: Path):
    """The date of the data the site is built from: the last commit that changed data/ or a
    case (Git's committer date), else today (a copy outside Git)."""
    import datetime as dt
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-c", "safe.directory=*", "-C", str(root), "log", "-1", "--format=%cs", "--", "data", "docs/cases"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        return dt.date.fromisoformat(done.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        return dt.date.today()


def configure(site, root: Path, conf):
    """What pages say of where and when they were built: the address they cite (none offline)."""
    site.site_url = None if _offline(conf) else conf.get("site_url")
    site.data_date = data_date(root)
    return site


def settings(conf, include_dir: str | None) -> str:
    """What the core's output depends on in the configuration: the simulated layer, how page
    addresses are written (the offline plugin turns directory URLs off), the address pages
    cite and the date of the data."""
    return json.dumps(
        {
            "simulated_layer": simulated_layer_on(conf["extra"]),
            "use_directory_urls": conf["use_directory_urls"],
            "offline": _offline(conf),
            "include_dir": include_dir,
            "site_url": None if _offline(conf) else conf.get("site_url"),
            "data_date": data_date(Path(conf["config_file_path"]).parent).isoformat(),
        },
        sort_keys=True,
    )


class Build:
    """What this build takes from the core: a stored output replayed (`output`), or the site
    loaded and computed (`site`), whose output is recorded as the pages are written."""

    def __init__(self, root: Path, conf, inputs: site_cache.Inputs, output: Output | None):
        self.root, self.conf, self.inputs = root, conf, inputs
        self.output = output
        self.site = None
        self.pages: dict[str, tuple[str, str]] = {}  # recorded: page source -> (URL, Markdown)
        self.stats = {"site_cache": "hit" if output else "miss", "pages_computed": 0, "bodies_rendered": 0}
        if output is None:
            self.site = configure(load_site(root, simulated_layer_on(conf["extra"])), root, conf)
            self.nav = self.site.nav()
            self.titles = self.site.page_titles
            self.generated = self.site.pages()
            self.cases = {c.src_uri: c for c in self.site.cases}
            in_nav = self.site.cases_in_nav
            self.not_in_nav = {src for src in self.generated if src.startswith("cities/")}
            self.not_in_nav |= {src for src in self.cases if src not in in_nav}
            self.search_words = [c.name_zh for c in self.site.cities]
            self.bodies = {src: site_cache.body_from(c.body) for src, c in self.cases.items()}
        else:
            self.nav = copy.deepcopy(output.nav)
            self.titles = output.titles
            self.generated = output.generated
            self.cases = output.case_meta
            self.not_in_nav = output.not_in_nav
            self.search_words = output.search_words
            self.bodies = {src: output.bodies[digest] for src, digest in output.case_files.items()}

    @classmethod
    def start(cls, root: Path, conf, include_dir: str | None) -> Build:
        inputs = site_cache.digest(root, settings(conf, include_dir), Path(include_dir) if include_dir else None)
        output, rendered = site_cache.load(cache_dir(root), inputs.key), 0
        if output is not None:
            output, rendered = cls._with_bodies(root, output, inputs)
        build = cls(root, conf, inputs, output)
        build.stats["bodies_rendered"] = rendered
        return build

    @staticmethod
    def _with_bodies(root: Path, output: Output, inputs: site_cache.Inputs) -> tuple[Output | None, int]:
        """The output with the body of every case file as it is now: a body edited since it
        was stored is checked and rendered alone (None if it has a problem: the whole site is
        then loaded, which reports it)."""
        new = {src: digest for src, digest in inputs.case_files.items() if digest not in output.bodies}
        if not new:
            return dataclasses.replace(output, case_files=inputs.case_files), 0
        from . import contrib

        bodies = dict(output.bodies)
        for src, digest in new.items():
            rendered = contrib.case_body(root, root / "docs" / src)
            if rendered is None:
                return None, 0
            bodies[digest] = site_cache.body_from(rendered)
        live = set(inputs.case_files.values())
        bodies = {digest: body for digest, body in bodies.items() if digest in live}
        output = dataclasses.replace(output, case_files=inputs.case_files, bodies=bodies)
        if not site_cache.code_changed():
            site_cache.store(cache_dir(root), output)
        return output, len(new)

    # ---------------------------------------------------------------- what the hooks read

    @property
    def page_problems(self) -> list:
        """What pages asked for that the data lacks (stops the build)."""
        return self.site.page_problems if self.site is not None else []

    def labels_js(self) -> str:
        return self.output.labels_js if self.output else self.site.script_labels_js()

    def palette_css(self) -> str:
        return self.output.palette_css if self.output else self.site.palette_css()

    # ------------------------------------------------------------------------- the macros

    def live_site(self):
        """The site, loaded when a replayed build is asked to render a macro after all."""
        if self.site is None:
            self.site = configure(load_site(self.root, simulated_layer_on(self.conf["extra"])), self.root, self.conf)
        return self.site

    def macro_names(self) -> list[str]:
        if self.output is not None:
            return self.output.macros
        from .site import MACROS

        return list(MACROS)

    # -------------------------------------------------------------------------- recording

    def record(self, src: str, url: str, markdown: str) -> None:
        self.pages[src] = (url, markdown)
        self.stats["pages_computed"] += 1

    def finish(self, files: dict[str, bytes], drawings: dict) -> None:
        """Store what this computed build gave every page, with the figures drawn in it."""
        from .drawing import fill_placeholders

        pages = {
            src: (url, fill_placeholders(md, drawings) if "<!--dco-drawing:" in md else md)
            for src, (url, md) in self.pages.items()
        }
        site = self.site
        output = Output(
            key=self.inputs.key,
            nav=copy.deepcopy(self.nav),
            macros=self.macro_names(),
            search_words=list(self.search_words),
            labels_js=site.script_labels_js(),
            palette_css=site.palette_css(),
            generated=dict(self.generated),
            not_in_nav=set(self.not_in_nav),
            titles=dict(self.titles),
            case_meta={src: site.case_meta(case) for src, case in self.cases.items()},
            case_files=dict(self.inputs.case_files),
            bodies={self.inputs.case_files[src]: body for src, body in self.bodies.items()},
            pages=pages,
            files=dict(files),
        )
        if WARNINGS.count:
            self.stats["not_stored"] = "the build logged warnings"
        elif site_cache.code_changed():
            self.stats["not_stored"] = "the code changed on disk while this process ran"
        else:
            site_cache.store(cache_dir(self.root), output)


def define_env(env):
    root = Path(env.project_dir)
    WARNINGS.count = 0
    mkdocs_log = logging.getLogger("mkdocs")
    if WARNINGS not in mkdocs_log.handlers:
        mkdocs_log.addHandler(WARNINGS)
    refuse_tracked_cache(root)
    build = Build.start(root, env.conf, env.config.get("include_dir") or None)
    env.variables["dco"] = build
    env.conf["nav"] = build.nav

    def call(name: str, *args):
        from .problems import DataError
        from .site import Here

        site = build.live_site()
        try:
            return getattr(site, name)(Here(env.page.file.src_uri, env.page.url or ""), *args)
        except DataError as err:  # a page asks for what the data lacks: the hooks stop the build
            site.page_problems += err.problems  # with its message (no traceback) once the page is read
            return ""

    for name in build.macro_names():
        env.macro(lambda *args, _name=name: call(_name, *args), name)


def sandbox(env) -> None:
    """Templates run in Jinja's sandboxed environment (the plugin makes a plain one): even a
    site page cannot reach Python's internals (`__class__`, `__globals__`, ...) through them."""
    current = env.env
    if isinstance(current, SandboxedEnvironment):
        return
    safe = SandboxedEnvironment(loader=current.loader, undefined=current.undefined)
    safe.globals.update(current.globals)
    safe.filters.update(current.filters)
    env._env = safe


def on_pre_page_macros(env):
    """Only the site's own pages are templates (mkdocs.yml: render_by_default: false). A case
    page's front matter is replaced by validated values; its body, rendered and sanitised by
    macros.contrib, is put in place after Markdown by hooks/observatory_hooks.py. A replayed
    page is not rendered: its Markdown is the stored one."""
    sandbox(env)
    page, build = env.page, env.variables["dco"]
    src = page.file.src_uri
    if may_render(src, build.generated):
        if build.output is not None:
            page.meta["render_macros"] = False
        else:
            page.meta.setdefault("render_macros", True)
        if src in build.titles:
            page.meta["title"] = build.titles[src]
        return
    if not is_contributed(src):  # contrib.check_tree refuses it: never a template all the same
        page.meta.clear()
        page.meta["render_macros"] = False
        env.markdown = ""
        return
    case = build.cases.get(src)
    page.meta.clear()
    page.meta["render_macros"] = False
    if case is None:  # contrib.check_tree refuses such files; never render one all the same
        return
    if build.output is not None:
        page.meta.update(copy.deepcopy(case))
    else:
        page.meta.update(build.site.case_meta(case))
    page.dco_case_body = build.bodies[src]


def on_post_page_macros(env):
    """A case page's Markdown is built by the core; the contributor's own text is never
    Markdown to MkDocs (an unexpected contributed page, which the loader refuses, is empty).
    A replayed build gives every page its stored Markdown; a computed one records it."""
    build, src, url = env.variables["dco"], env.page.file.src_uri, env.page.url or ""
    if build.output is not None:
        stored = build.output.pages.get(src)
        if stored is None or stored[0] != url:
            raise PluginError(
                f"{src}: the stored site output (.cache/site/) does not have this page at {url!r}; "
                "delete .cache/site and build again"
            )
        env.markdown = stored[1]
        return
    case = build.cases.get(src)
    if case is not None:
        from .site import Here

        env.markdown = build.site.case_page(Here(src, url), case)
    elif is_contributed(src):
        env.markdown = ""
    build.record(src, url, env.markdown)


def fill_drawings(site_dir: Path, drawings: dict) -> None:
    """Put the figures drawn in worker processes during this build into the pages written with
    their placeholders (a build whose figures all came from the cache has none)."""
    if not drawings:
        return
    from .drawing import fill_placeholders

    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "<!--dco-drawing:" in text:
            path.write_text(fill_placeholders(text, drawings), encoding="utf-8")


def site_files(build: Build, conf, project_dir: Path) -> dict[str, bytes]:
    """The downloads, each figure's CSV, the rows of long tables, the city finder's data, the
    Vega runtime and the redirects from old addresses: what is written beside the pages."""
    from .downloads import csv_bytes
    from .figures import vega_runtime
    from .site import FIGURES_DIR, VEGA_BUNDLE

    site = build.site

    def url_for(src: str) -> str:
        """A page's URL from the site root, from its source path (and #anchor)."""
        path, _, anchor = src.partition("#")
        url = File(path, conf["docs_dir"], conf["site_dir"], conf["use_directory_urls"]).url
        return url + (f"#{anchor}" if anchor else "")

    files = site.download_files()
    files.update(site.table_files(url_for))
    files.update(site.finder_file(url_for))
    for figure in site.figures.values():
        files[f"{FIGURES_DIR}/{figure.id}.csv"] = csv_bytes(figure.table_frame())
    if site.figures:
        runtime = cache_dir(project_dir)
        build.stats["runtime_made"] = runtime is None or not any(runtime.glob("vega-bundle-*.js"))
        files[VEGA_BUNDLE] = vega_runtime(runtime).encode("utf-8")
    for old, new in site.redirects().items():
        old_url, new_url = url_for(old), url_for(new)
        path = old_url + "index.html" if old_url.endswith("/") or not old_url else old_url
        files[path] = site.redirect_page(old_url, new_url).encode("utf-8")
    return files


def on_post_build(env):
    """Write the files beside the pages: replayed, or made now (then the build's output is
    stored, its figures drawn in)."""
    build, conf = env.variables["dco"], env.conf
    site_dir = Path(conf["site_dir"])
    if build.output is not None:
        files = build.output.files
    else:
        drawings = build.site.finish_drawings()
        fill_drawings(site_dir, drawings)
        files = site_files(build, conf, Path(env.project_dir))
        build.stats["figures_built"] = sum(s.built for s in [*build.site.stores.values(), build.site.series_store])
        build.stats["figures_drawn"] = len(drawings)
        if build.site.drawer is not None:
            build.stats["drawing_seconds"] = round(build.site.drawer.drawing_seconds, 2)
            build.stats["drawing_waited"] = round(build.site.drawer.waited_seconds, 2)
        build.finish(files, drawings)
    for name, content in files.items():
        path = site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if os.environ.get(STATS_ENV):
        Path(os.environ[STATS_ENV]).write_text(json.dumps(build.stats), encoding="utf-8")


__all__ = ["Build", "CaseBody", "define_env", "on_post_build", "on_post_page_macros", "on_pre_page_macros"]
