"""Make a contributor's HTML safe, and say what was removed.

Case files are untrusted. After Markdown turns a case body into HTML, `sanitize_html` keeps the
tags and attributes that Markdown itself produces and drops everything executable: scripts,
iframes, event handlers, `javascript:` links, styles, and images from other hosts (the site
loads nothing from another host). Uses nh3 (ammonia). Pure; no MkDocs.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
DROPPED_WHOLE = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}


def _is_external(url: str) -> bool:
    return url.strip().lower().startswith(("http:", "https:", "//"))


def _filter(tag: str, attribute: str, value: str):
    if tag == "img" and attribute == "src" and _is_external(value):
        return None
    return value


class _Inventory(HTMLParser):
    """Tags and attributes in a fragment, to compare before and after cleaning."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.items.append(f"<{tag}>")
        if tag not in ALLOWED_TAGS:
            return  # the tag's removal says it all
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name in ("href", "src") and value.startswith("javascript:"):
                self.items.append("javascript: 链接")
            elif tag == "img" and name == "src" and _is_external(value):
                self.items.append("外部图片")
            elif name != "rel":  # nh3 sets rel on every link itself
                self.items.append(f"<{tag} {name}>")


def _inventory(html: str) -> list[str]:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items


def describe_removed(before: list[str], after: list[str]) -> list[str]:
    """Human-readable names of what cleaning removed, each once, in the order first met."""
    remaining = list(after)
    removed: list[str] = []
    for item in before:
        if item in remaining:
            remaining.remove(item)
            continue
        if item.startswith("<") and " " in item:
            tag, attr = item[1:-1].split(" ", 1)
            label = f"{attr} 属性（<{tag}>）" if not attr.startswith("on") else f"事件属性 {attr}（<{tag}>）"
        else:
            label = f"{item} 标签" if item.startswith("<") else item
        if label not in removed:
            removed.append(label)
    return removed


def sanitize_html(html: str) -> tuple[str, list[str]]:
    """(clean HTML, what was removed, in Chinese)."""
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WHOLE,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return clean, describe_removed(_inventory(html), _inventory(clean))
