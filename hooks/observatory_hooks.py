"""MkDocs hooks: settings that depend on where the site is built, and the case bodies.

- Offline copy (OFFLINE=true): no site address (so no canonical link) and no instant
  navigation (it fetches pages with XHR, which browsers refuse on file:// URLs). The offline
  plugin keeps search working there, through the iframe-worker shim, which is served from this
  site (the plugin would load it from a public CDN).
- Generated pages: every edition's pages and one page per city (macros/site.py), added to the
  files here; the macros adapter sets the navigation that lists them. What the core gives a
  build (pages, words, generated files) comes from the adapter's `Build`, computed or replayed.
- Quiet builds: jieba (Chinese word segmentation for search) and mkdocs-macros report only problems.
- No repository address (REPO_URL unset, as on a contributor's machine): no edit link, rather
  than a link to nowhere.
- Case pages: the contributor's body, already rendered and sanitised by macros.contrib (the
  macros adapter hangs it on the page as `dco_case_body`), replaces its placeholder after
  Markdown, so MkDocs never reads contributed Markdown; its headings join the page's table of
  contents. What the sanitiser removed is said on the page and in the build log.
- The last line of defence (macros/pagecheck.py): every computed page's content passes the
  allow-list gate or the build stops, and every page (but the offline copy's) carries a
  Content-Security-Policy that hashes its template's inline scripts.
- Theme templates: `dco_label(key, **values)` gives the overrides in overrides/ the label
  catalog's words (macros/catalog/zh.yaml, keys under `theme.`), like the core's.
- Rebuilds under `mkdocs serve` (`Reuse`): every rebuild is a full one, but a page whose every
  input is unchanged since the last rebuild gets what MkDocs made of it then (its HTML from its
  Markdown, its search entries, the whole page from its content, title, navigation and theme),
  so that an edit shows in well under a second; the server polls for changes every 0.05 s.
"""

import copy
import hashlib
import json
import logging
import os
import sys
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import AnchorLink

log = logging.getLogger("mkdocs.hooks.observatory")
# mkdocs-macros lists every macro and filter at INFO on each build (set here, at import, because
# its configuration runs before any hook's): keep its warnings and errors only.
logging.getLogger("mkdocs.plugins.mkdocs_macros").setLevel(logging.WARNING)
# The search plugin's word segmenter announces its dictionary on every build (in the plugin's
# configuration, before any hook's, and jieba sets its own level when imported, before this).
logging.getLogger("jieba").setLevel(logging.WARNING)
IFRAME_WORKER = "javascripts/vendor/iframe-worker-shim.js"
PALETTE_CSS = "stylesheets/palette.css"  # the drawn figures' colours per scheme (mkdocs.yml lists it)
LABELS_JS = "javascripts/labels.js"  # the scripts' words, from the label catalog (mkdocs.yml lists it)


def _rebuilds() -> dict:
    """What `Reuse` keeps across rebuilds (macros.REBUILDS). MkDocs calls on_startup before the
    macros plugin puts the project on the import path: put it there first, so that this is the
    project's own macros package, the one the plugin then loads."""
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    from macros import REBUILDS

    return REBUILDS


def on_startup(command, dirty):
    rebuilds = _rebuilds()
    rebuilds.clear()
    rebuilds["serving"] = command == "serve"
    if rebuilds["serving"]:
        rebuilds["jieba"] = _segmenter()


def on_config(config):
    if os.environ.get("OFFLINE", "").lower() in ("1", "true", "yes"):
        features = config.theme.get("features", [])
        config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
        polyfills = config.extra.get("polyfills", [])
        config.extra["polyfills"] = [IFRAME_WORKER if "iframe-worker" in p else p for p in polyfills]
        # A copy opened from disk has no address: no canonical link to the SITE_URL fallback.
        config.site_url = None
    if not config.repo_url:
        config.edit_uri = None
    REUSE.start(config)
    return config


def on_env(env, config, files):
    from macros.labels import t

    env.globals["dco_label"] = t
    REUSE.templates(env, config, files)
    return env


def _build(config):
    """What the core gives this build (macros/__init__.py `Build`): set up by the macros
    plugin, whose configuration runs before any hook's."""
    return config.plugins["macros"].variables["dco"]


def on_files(files, config):
    """The pages generated from the data (macros/site.py `Site.pages`: every edition's pages,
    one page per city), each a single macro call; the navigation lists them, but for the city
    pages and the cases of an edition with many (listed on its cases page instead)."""
    build = _build(config)
    _teach_search(build.search_words)
    files.append(File.generated(config, LABELS_JS, content=build.labels_js()))
    files.append(File.generated(config, PALETTE_CSS, content=build.palette_css()))
    for file in files.documentation_pages():
        if file.src_uri in build.not_in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV
    for src, content in build.generated.items():
        inclusion = InclusionLevel.NOT_IN_NAV if src in build.not_in_nav else InclusionLevel.INCLUDED
        files.append(File.generated(config, src, content=content, inclusion=inclusion))
    REUSE.words(build.search_words, config)
    return files


def on_nav(nav, config, files):
    REUSE.files(nav, files)
    return nav


def _teach_search(names: list[str]) -> None:
    """Every city name, with and without 市, as one word for the search index's segmenter, so
    that 成都 is found as a city and not inside 整理成都. (jieba, which the search plugin uses,
    keeps one dictionary per process; pages are segmented after this runs.)"""
    try:
        import jieba
    except ImportError:  # search without Chinese segmentation: nothing to teach
        return
    for name in names:
        for word in {name, name.removesuffix("市")}:
            jieba.add_word(word, freq=100_000)


def _anchor(entry) -> AnchorLink:
    level, id_, title, children = entry
    link = AnchorLink(title, id_, level)
    link.children = [_anchor(child) for child in children]
    return link


def on_page_markdown(markdown, page, config, files):
    """A page that named what the data lacks (a domain its edition does not have, an edition
    that does not exist) stops the build with the core's Chinese message, not a traceback."""
    problems = _build(config).page_problems
    if problems:
        from macros.problems import DataError

        raise PluginError("\n" + DataError(problems).report())
    REUSE.render(page)
    return markdown


def on_page_content(html, page, config, files):
    body = getattr(page, "dco_case_body", None)
    if body is not None:
        html = _case_content(html, page, body)
    if body is not None or _build(config).output is None:  # a replayed page was checked when made
        _gate(html, page)
    return html


def _gate(html, page) -> None:
    """The page's content passes the allow-list (macros/pagecheck.py), or the build stops."""
    from macros.pagecheck import markup_problems
    from macros.problems import inert

    problems = markup_problems(html)
    if problems:
        shown = "；".join(problems[:5])
        raise PluginError(inert(f"{page.file.src_path}：页面内容含有不允许的标记，已停止（{shown}）"))


def _case_content(html, page, body):
    if body.removed:
        from macros.problems import inert

        log.info(inert(f"{page.file.src_path}: removed from the contributed text: {'、'.join(body.removed)}"))
    if page.toc.items:  # the body's sections come first under the page title
        page.toc.items[0].children[:0] = [_anchor(e) for e in body.toc]
    return body.fill(html)


def on_serve(server, config, builder):
    """The server looks for changed files every 0.05 s (MkDocs: 0.5 s) and starts the rebuild
    0.05 s after the last change it saw (MkDocs: 0.1 s), so that an edit shows at once;
    polling the few watched folders costs next to nothing."""
    if isinstance(getattr(server, "build_delay", None), float):
        server.build_delay = POLL_SECONDS
    observer = getattr(server, "observer", None)
    if observer is not None and hasattr(observer, "_timeout"):
        observer._timeout = POLL_SECONDS  # folders watched from now on
        for emitter in getattr(observer, "emitters", ()):  # and those watched already
            if hasattr(emitter, "_timeout"):
                emitter._timeout = POLL_SECONDS
    return server


def on_post_page(output, page, config):
    return REUSE.page(_policy(output, config), page)


def on_post_template(output_content, template_name, config):
    return _policy(output_content, config)


def _policy(output, config):
    """Each page carries its Content-Security-Policy (macros/pagecheck.py); the offline copy,
    opened from disk, has no origin for 'self' to name and loads nothing from a host anyway."""
    if os.environ.get("OFFLINE", "").lower() in ("1", "true", "yes"):
        return output
    from macros.pagecheck import with_csp

    return with_csp(output)


def on_post_build(config):
    REUSE.finish()


def on_build_error(error):
    REUSE.finish(failed=True)


# ---------------------------------------------------------------- rebuilds under mkdocs serve

POLL_SECONDS = 0.05
REUSED_TEMPLATE = "dco-reused.html"  # the template of a page whose HTML is reused: empty, see `Reuse.page`


def _digest(*parts) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0\1")
    return digest.hexdigest()


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _toc(items) -> list:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


def _nav(items) -> list:
    out = []
    for item in items:
        kind = type(item).__name__
        out.append((kind, item.title, getattr(item, "url", None), _nav(getattr(item, "children", None) or [])))
    return out


def _tree(folder: Path) -> list:
    """Every file under `folder` (but Python's caches) with its content."""
    if not folder.is_dir():
        return []
    files = (p for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
    return [(p.relative_to(folder).as_posix(), p.read_bytes()) for p in files]


class Reuse:
    """Under `mkdocs serve`: what the last rebuild made of every page, reused when everything it
    was made from is unchanged. Kept in `macros.REBUILDS`, since MkDocs loads this file anew for
    every rebuild while the macros package stays imported. Three things are reused:

    - a page's HTML, table of contents and anchors (`Page.render`), made from its final
      Markdown, its address, the address of every file (links), the configuration and the
      environment; never if rendering it logged a warning (which would then not be repeated);
    - its search entries, from its HTML, title, address, table of contents, front matter, the
      words taught to the segmenter and the configuration;
    - the whole page, from all of that, its front matter, the navigation with every title,
      the theme's own templates (overrides/), these hooks and the site's address.

    What a rebuild does not use is dropped after it. `mkdocs build` reuses nothing."""

    def __init__(self):
        self.on = False

    def start(self, config):
        self.state = _rebuilds()
        self.on = bool(self.state.get("serving")) and config.config_file_path is not None
        if not self.on:
            return
        self.used = {name: set() for name in ("render", "search", "page")}
        for name in (*self.used, "bytecode"):
            self.state.setdefault(name, {})
        root = Path(config.config_file_path).parent
        environment = {k: os.environ.get(k) for k in ("OFFLINE", "SIMULATED_LAYER", "SITE_URL", "REPO_URL")}
        self.config = _digest(
            Path(config.config_file_path).read_bytes(),
            _json(environment),
            config.site_url,
            _tree(root / "overrides"),
            _tree(Path(__file__).parent),
        )
        search = config.plugins.get("material/search")
        if search is not None and getattr(search, "search_index", None) is not None:
            self._search(search.search_index)
        if search is not None and search.config.get("jieba_dict"):
            self.state["jieba"] = None  # a dictionary of its own: not the one read at startup
        self._theme_files(config.theme)

    def _theme_files(self, theme):
        """The theme's files are listed once (MkDocs walks the theme's folders on every build,
        thousands of icons among them); a change under overrides/ lists them again."""
        get_env, listed = theme.get_env, self.state.setdefault("theme_files", {})

        def get_env_listing_once():
            env = get_env()
            list_templates = env.list_templates

            def listing(extensions=None, filter_func=None):
                key = _digest(self.config, theme.dirs, extensions, filter_func is None)
                if key not in listed:
                    listed.clear()
                    listed[key] = list_templates(extensions, filter_func)
                return list(listed[key])

            env.list_templates = listing
            return env

        theme.get_env = get_env_listing_once

    def words(self, words, config):
        if self.on:
            search = config.plugins.get("material/search")
            dictionary = search.config.get("jieba_dict_user") if search is not None else None
            extra = Path(dictionary).read_bytes() if dictionary and Path(dictionary).is_file() else b""
            self.words_key = _digest(self.config, "\n".join(words), extra)

    def files(self, nav, files):
        if self.on:
            self.nav = nav
            self.files_key = _digest(self.config, [(f.src_uri, f.url, f.inclusion.name) for f in files])

    def render(self, page):
        """Reuse the page's HTML when its final Markdown (the tags plugin changes it after this
        hook) and everything else it is made from are unchanged."""
        if not self.on:
            return
        original = page.render

        def render(config, files):
            key = _digest(self.files_key, page.file.src_uri, page.url, page.markdown)
            stored = self.state["render"].get(key)
            if stored is not None:
                content, toc, title, anchors, links = stored
                page.content, page.toc, page._title_from_render = content, copy.deepcopy(toc), title
                page.present_anchor_ids = set(anchors)
                if links is not None:
                    page.links_to_anchors = {
                        files.get_file_from_path(src): dict(anchors_) for src, anchors_ in links.items()
                    }
                self.used["render"].add(key)
                return
            from macros import WarningCount  # on the import path since on_startup (`_rebuilds`)

            counter = WarningCount()
            loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
            for logger in loggers:
                logger.addHandler(counter)
            try:
                original(config, files)
            finally:
                for logger in loggers:
                    logger.removeHandler(counter)
            if counter.count or any(f is None for f in (page.links_to_anchors or {})):
                return
            links = page.links_to_anchors
            if links is not None:
                links = {f.src_uri: dict(anchors_) for f, anchors_ in links.items()}
            anchors = set(page.present_anchor_ids)
            self.state["render"][key] = (page.content, copy.deepcopy(page.toc), page._title_from_render, anchors, links)
            self.used["render"].add(key)

        page.render = render

    def _search(self, index):
        original = index.add_entry_from_context

        def add_entry_from_context(page):
            key = getattr(page, "dco_search_key", None) or self._search_key(page, _digest(page.content))
            stored = self.state["search"].get(key)
            if stored is None:
                before = len(index.entries)
                original(page)
                stored = self.state["search"][key] = [dict(e) for e in index.entries[before:]]
            else:
                index.entries.extend(dict(e) for e in stored)  # the index only reads them
            self.used["search"].add(key)

        index.add_entry_from_context = add_entry_from_context

    def _search_key(self, page, content: str) -> str:
        meta = page.meta
        fields = _json([meta.get("title"), meta.get("tags"), meta.get("search")])
        return _digest(self.words_key, page.url, page.title, fields, content, _json(_toc(page.toc)))

    def templates(self, env, config, files):
        """Before the pages are written: the theme's compiled templates are kept, and a page
        whose whole HTML and search entries can be reused gets an empty template and no
        content to index (`page` puts the HTML back)."""
        if not self.on:
            return
        env.bytecode_cache = _Bytecode(self.state["bytecode"])
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({REUSED_TEMPLATE: ""}), env.loader])
        nav = _json(_nav(self.nav.items))
        for file in files.documentation_pages():
            page = file.page
            if page is None or page.content is None or "template" in page.meta:
                continue
            content = _digest(page.content)
            page.dco_search_key = self._search_key(page, content)
            page.dco_page_key = _digest(
                self.files_key,
                nav,
                page.file.src_uri,
                page.url,
                page.title,
                page.canonical_url,
                page.edit_url,
                _json(page.meta),
                content,
                _json(_toc(page.toc)),
            )
            if page.dco_page_key in self.state["page"] and page.dco_search_key in self.state["search"]:
                page.meta["template"] = REUSED_TEMPLATE
                page.content = ""  # nothing left to read: the search plugin would still scan it

    def page(self, output, page):
        key = getattr(page, "dco_page_key", None)
        if not self.on or key is None:
            return output
        if page.meta.get("template") == REUSED_TEMPLATE:
            output = self.state["page"][key]
        else:
            self.state["page"][key] = output
        self.used["page"].add(key)
        return output

    def finish(self, failed: bool = False):
        """Drop what this rebuild did not use, and give the search segmenter back the words it
        had before the rebuild taught it (else every rebuild would shift its word
        frequencies and split some text differently from a fresh build)."""
        if not self.on:
            return
        if self.state.get("jieba") is not None:
            _segmenter(self.state["jieba"])
        if failed:
            return
        for name, used in self.used.items():
            memo = self.state[name]
            for key in [k for k in memo if k not in used]:
                del memo[key]


def _segmenter(state=None):
    """jieba's dictionary (word frequencies, their total, user tags): read, or set to `state`."""
    try:
        import jieba
    except ImportError:
        return None
    if state is None:
        jieba.dt.check_initialized()
        return dict(jieba.dt.FREQ), jieba.dt.total, dict(jieba.dt.user_word_tag_tab)
    freq, total, tags = state
    jieba.dt.FREQ, jieba.dt.total, jieba.dt.user_word_tag_tab = dict(freq), total, dict(tags)
    return state


class _Bytecode(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory across rebuilds (by template; Jinja checks
    each against its source)."""

    def __init__(self, store: dict):
        self.store = store

    def load_bytecode(self, bucket):
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


REUSE = Reuse()
