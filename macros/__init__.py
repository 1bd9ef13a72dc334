"""数字城市观察: the mkdocs-macros adapter. It only wires the core (macros/site.py) into MkDocs.

`define_env` loads the whole site once per build (a DataError stops the build with its report
and no traceback), sets the generated navigation, and registers the macros of `site.MACROS`,
each called with the page being written. Case pages are filled here; downloads, figure data
and table rows are written after the build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from . import contrib
from .downloads import csv_bytes
from .drawing import Drawer, fill_placeholders
from .figures import vega_runtime
from .problems import DataError
from .site import FIGURES_DIR, MACROS, TABLES_DIR, VEGA_BUNDLE, Here, Site


def cache_dir(root: Path) -> Path:
    """Where builds keep what depends only on data and code (figures, the Vega runtime)."""
    return root / ".cache"


def simulated_layer_on(extra: dict) -> bool:
    """mkdocs.yml `extra.simulated_layer` (SIMULATED_LAYER=on/off): whether a simulated score
    file is published. Off, the site shows published and derived values only."""
    return str(extra.get("simulated_layer", "on")).strip().lower() not in ("off", "false", "0", "no")


def load_site(root: Path, simulated_layer: bool = True) -> Site:
    try:
        return Site.load(root, simulated_layer, cache_dir(root), Drawer())
    except DataError as err:
        raise PluginError("\n" + err.report()) from None


def define_env(env):
    site = load_site(Path(env.project_dir), simulated_layer_on(env.conf["extra"]))
    env.variables["dco"] = site
    env.conf["nav"] = site.nav()

    def here() -> Here:
        return Here(env.page.file.src_uri, env.page.url or "")

    def call(name: str, *args):
        try:
            return getattr(site, name)(here(), *args)
        except DataError as err:  # a page asks for what the data lacks: the hooks stop the build
            site.page_problems += err.problems  # with its message (no traceback) once the page is read
            return ""

    for name in MACROS:
        env.macro(lambda *args, _name=name: call(_name, *args), name)


def on_pre_page_macros(env):
    """Only the site's own pages are templates (mkdocs.yml: render_by_default: false). A case
    page's front matter is replaced by validated values; its body, rendered and sanitised by
    macros.contrib, is put in place after Markdown by hooks/observatory_hooks.py."""
    page, site = env.page, env.variables["dco"]
    if not contrib.is_contributed(page.file.src_uri):
        page.meta.setdefault("render_macros", True)
        if page.file.src_uri in site.page_titles:
            page.meta["title"] = site.page_titles[page.file.src_uri]
        return
    case = site.case_by_src.get(page.file.src_uri)
    page.meta.clear()
    page.meta["render_macros"] = False
    if case is None:  # contrib.check_tree refuses such files; never render one all the same
        return
    page.meta.update(site.case_meta(case))
    page.dco_case_body = case.body


def on_post_page_macros(env):
    """A case page's Markdown is built by the core; the contributor's own text is never
    Markdown to MkDocs (an unexpected contributed page, which the loader refuses, is empty)."""
    site, src = env.variables["dco"], env.page.file.src_uri
    case = site.case_by_src.get(src)
    if case is not None:
        env.markdown = site.case_page(Here(src, env.page.url or ""), case)
    elif contrib.is_contributed(src):
        env.markdown = ""


def fill_drawings(site: Site, site_dir: Path) -> None:
    """Put the figures drawn in worker processes during this build into the pages written with
    their placeholders (a build whose figures all came from the cache has none)."""
    drawings = site.finish_drawings()
    if not drawings:
        return
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "<!--dco-drawing:" in text:
            path.write_text(fill_placeholders(text, drawings), encoding="utf-8")


def on_post_build(env):
    """Write the downloads, each figure's CSV, the rows of long tables, the Vega runtime and the
    redirects from old addresses beside the pages."""
    site, conf = env.variables["dco"], env.conf
    fill_drawings(site, Path(conf["site_dir"]))

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
        files[VEGA_BUNDLE] = vega_runtime(cache_dir(Path(env.project_dir))).encode("utf-8")
    for old, new in site.redirects().items():
        old_url, new_url = url_for(old), url_for(new)
        path = old_url + "index.html" if old_url.endswith("/") or not old_url else old_url
        files[path] = site.redirect_page(old_url, new_url).encode("utf-8")
    for name, content in files.items():
        path = Path(conf["site_dir"]) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


__all__ = ["TABLES_DIR", "define_env", "on_post_build", "on_post_page_macros", "on_pre_page_macros"]
