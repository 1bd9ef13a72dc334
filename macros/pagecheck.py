"""The last line of defence on every page: an allow-list gate on its content, and its
Content-Security-Policy.

Every string from a data or case file is validated and written escaped before it reaches a
page; this module does not trust that. `markup_problems` reads a page's content HTML (what the
theme puts inside the article) and names every tag, attribute or address outside the allow-list:
the build stops on any (nothing is rewritten, so a page that passes is published byte for byte).
`with_csp` gives a whole page a policy that lets it load nothing from another host and run no
inline script but the theme's own, by hash, so that an escape missed by both layers still
cannot load or run anything. Pure; no I/O, no MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

TAGS = frozenset(
    "a abbr b blockquote br caption code dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i "
    "input ins kbd label li mark nav ol p pre s small span strong sub summary sup table tbody td tfoot th "
    "thead tr u ul "
    # the figures drawn at build time (inline SVG)
    "svg g path line rect circle ellipse polygon polyline text tspan title desc defs clippath".split()
)
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "role", "hidden", "tabindex", "style"})
PREFIXES = ("aria-", "data-")
ATTRIBUTES = {
    "a": {"href", "rel", "download"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
    "input": {"type", "name", "checked"},
    "label": {"for"},
}
SVG_ATTRIBUTES = frozenset(
    "d x y x1 x2 y1 y2 dx dy r cx cy rx ry points width height viewbox xmlns focusable fill fill-opacity "
    "stroke stroke-width stroke-opacity stroke-dasharray stroke-miterlimit stroke-linecap stroke-linejoin "
    "opacity transform pointer-events display font-family font-size font-weight font-style text-anchor "
    "dominant-baseline clip-path preserveaspectratio version".split()
)
SVG_TAGS = frozenset("svg g path line rect circle ellipse polygon polyline text tspan title desc defs clippath".split())
# Ids the theme and the site's scripts read (Material: __config, __search, __drawer, ...):
# content may not take one. Content tabs (pymdownx.tabbed) write __tabbed_ ids of their own.
THEME_ID = re.compile(r"^__(?!tabbed_)")
# Inline styles are allow-listed: the properties the site writes (the province tiles' grid
# places), each a plain value (no parentheses: no url(), image-set(), var() or expression()).
STYLE_DECLARATION = re.compile(r"\s*(grid-row|grid-column|width|height)\s*:\s*[a-z0-9#.%/ -]+\s*")


def _style_ok(value: str) -> bool:
    return all(STYLE_DECLARATION.fullmatch(d) for d in value.split(";") if d.strip())


SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def _address_problem(value: str, external_ok: bool) -> str | None:
    url = re.sub(r"[\x00-\x20]", "", value or "")
    scheme = SCHEME.match(url)
    if scheme:
        if scheme.group(1).lower() in ("http", "https") and external_ok:
            return None
        return f"地址“{value[:60]}”的协议不允许"
    if url.startswith("//") or url.startswith("/\\"):
        return f"地址“{value[:60]}”指向其他网站"
    return None


class _Gate(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.problems.append(f"标签 <{tag}> 不在允许的范围内")
            return
        allowed = GLOBAL_ATTRIBUTES | ATTRIBUTES.get(tag, set()) | (SVG_ATTRIBUTES if tag in SVG_TAGS else set())
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or not (name in allowed or name.startswith(PREFIXES)):
                self.problems.append(f"<{tag}> 的属性 {name} 不在允许的范围内")
            elif name == "href":
                found = _address_problem(value, external_ok=True)
                if found:
                    self.problems.append(found)
            elif name == "data-src":
                found = _address_problem(value, external_ok=False)
                if found:
                    self.problems.append(found)
            elif name == "style" and not _style_ok(value):
                self.problems.append(f"<{tag}> 的 style 属性含有不允许的内容")
            elif name in ("id", "for", "name") and THEME_ID.match(value):
                self.problems.append(f"<{tag}> 的 {name}“{value[:40]}”与主题自己使用的名字冲突")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_pi(self, data):
        self.problems.append("含有处理指令 <?…>")

    def unknown_decl(self, data):
        self.problems.append("含有未知的声明 <!…>")


def markup_problems(html: str) -> list[str]:
    """What in a page's content HTML is outside the allow-list (one entry each, in Chinese)."""
    gate = _Gate()
    gate.feed(html)
    gate.close()
    return list(dict.fromkeys(gate.problems))


# ------------------------------------------------------------------------------------- CSP

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
# Vega compiles chart expressions with Function(): the runtime (served by this site, loaded
# when a reader points at a figure) needs 'unsafe-eval'. Inline scripts still need a hash.
POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


def inline_script_hashes(page: str) -> list[str]:
    """The CSP hashes of the page's inline scripts (those with no src and not data)."""
    hashes = []
    for m in _SCRIPT.finditer(page):
        attrs = m.group("attrs").lower()
        if "src=" in attrs or "application/json" in attrs:
            continue
        digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(set(hashes))


def with_csp(page: str) -> str:
    """The page with a Content-Security-Policy meta element first in its head. The inline
    scripts it allows are those of the page's template: content reaching this point has passed
    `markup_problems`, which admits no script."""
    policy = POLICY.format(hashes=" ".join(inline_script_hashes(page)))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head = re.search(r"<meta charset=[^>]*>", page, re.I) or re.search(r"<head[^>]*>", page, re.I)
    if head is None:
        return page
    return page[: head.end()] + "\n    " + meta + page[head.end() :]
