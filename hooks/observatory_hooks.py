"""MkDocs hooks: settings that depend on where the site is built, and case-page sanitising.

- Offline copy (OFFLINE=true): drop instant navigation. It fetches pages with XHR, which
  browsers refuse on file:// URLs; the offline plugin keeps search working there, through the
  iframe-worker shim, which is served from this site (the plugin would load it from a public CDN).
- No repository address (REPO_URL unset, as on a contributor's machine): no edit link, rather
  than a link to nowhere.
- Case pages: the contributor's part of the HTML (between the markers the macros put around it)
  is sanitised with macros.sanitize; what was removed is said on the page and in the build log.
"""

import html as html_lib
import logging
import os

from macros.render import CASE_BODY_END, CASE_BODY_START
from macros.sanitize import sanitize_html

log = logging.getLogger("mkdocs.hooks.observatory")
IFRAME_WORKER = "javascripts/vendor/iframe-worker-shim.js"


def on_config(config):
    if os.environ.get("OFFLINE", "").lower() in ("1", "true", "yes"):
        features = config.theme.get("features", [])
        config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
        polyfills = config.extra.get("polyfills", [])
        config.extra["polyfills"] = [IFRAME_WORKER if "iframe-worker" in p else p for p in polyfills]
    if not config.repo_url:
        config.edit_uri = None
    return config


def on_page_content(html, page, config, files):
    start = html.find(CASE_BODY_START)
    end = html.rfind(CASE_BODY_END)
    if start < 0 or end < start:
        return html
    body = html[start + len(CASE_BODY_START) : end]
    clean, removed = sanitize_html(body)
    if removed:
        what = html_lib.escape("、".join(removed))
        log.info("%s: removed from the contributed text: %s", page.file.src_path, what)
        clean += (
            '<div class="admonition note"><p class="admonition-title">已移除的内容</p>'
            f"<p>为安全起见，本页正文中的以下内容没有发布：{what}。</p></div>"
        )
    return html[:start] + clean + html[end + len(CASE_BODY_END) :]
