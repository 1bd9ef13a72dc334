"""MkDocs hooks: settings that depend on where the site is built, and the case bodies.

- Offline copy (OFFLINE=true): no site address (so no canonical link) and no instant
  navigation (it fetches pages with XHR, which browsers refuse on file:// URLs). The offline
  plugin keeps search working there, through the iframe-worker shim, which is served from this
  site (the plugin would load it from a public CDN).
- Generated pages: every edition's pages and one page per city (macros/site.py), added to the
  files here; the macros adapter sets the navigation that lists them.
- Quiet builds: jieba (Chinese word segmentation for search) and mkdocs-macros report only problems.
- No repository address (REPO_URL unset, as on a contributor's machine): no edit link, rather
  than a link to nowhere.
- Case pages: the contributor's body, already rendered and sanitised by macros.contrib (the
  macros adapter hangs it on the page as `dco_case_body`), replaces its placeholder after
  Markdown, so MkDocs never reads contributed Markdown; its headings join the page's table of
  contents. What the sanitiser removed is said on the page and in the build log.
- Theme templates: `dco_label(key, **values)` gives the overrides in overrides/ the label
  catalog's words (macros/catalog/zh.yaml, keys under `theme.`), like the core's.
"""

import logging
import os

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
    return config


def on_env(env, config, files):
    from macros.labels import t

    env.globals["dco_label"] = t
    return env


def on_files(files, config):
    """The pages generated from the data (macros/site.py `Site.pages`: every edition's pages,
    one page per city), each a single macro call; the navigation lists them. The site was
    loaded and checked by the macros plugin, whose configuration runs before this."""
    site = config.plugins["macros"].variables["dco"]
    _teach_search([c.name_zh for c in site.cities])
    files.append(File.generated(config, LABELS_JS, content=site.script_labels_js()))
    files.append(File.generated(config, PALETTE_CSS, content=site.palette_css()))
    for file in files.documentation_pages():
        if file.src_uri in site.case_by_src and file.src_uri not in site.cases_in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV  # listed on its edition's cases page instead
    for src, content in site.pages().items():
        inclusion = InclusionLevel.NOT_IN_NAV if src.startswith("cities/") else InclusionLevel.INCLUDED
        files.append(File.generated(config, src, content=content, inclusion=inclusion))
    return files


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
    link = AnchorLink(entry.title, entry.id, entry.level)
    link.children = [_anchor(child) for child in entry.children]
    return link


def on_page_markdown(markdown, page, config, files):
    """A page that named what the data lacks (a domain its edition does not have, an edition
    that does not exist) stops the build with the core's Chinese message, not a traceback."""
    site = config.plugins["macros"].variables["dco"]
    if site.page_problems:
        from macros.problems import DataError

        raise PluginError("\n" + DataError(site.page_problems).report())
    return markdown


def on_page_content(html, page, config, files):
    body = getattr(page, "dco_case_body", None)
    if body is None:
        return html
    if body.removed:
        log.info(
            "%s: removed from the contributed text: %s", page.file.src_path, "、".join(r.label for r in body.removed)
        )
    if page.toc.items:  # the body's sections come first under the page title
        page.toc.items[0].children[:0] = [_anchor(e) for e in body.toc]
    return body.fill(html)
