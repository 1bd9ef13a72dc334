"""The one boundary for contributed content: case files under `docs/cases/`.

A case file is written by a contributor and is untrusted, front matter included. Everything it
holds reaches a page only through this module, in four steps:

- read: `docs/cases/` may hold regular `.md` files only (no symlinks, other files or folders),
  each under a size limit; YAML front matter may not use anchors or aliases (an alias bomb would
  hang the build) and is parsed with the safe loader.
- validate: the front matter against `CaseMeta` (every problem with file, line and field, in
  Chinese); text fields are plain text, tags a short word, source addresses http(s) only.
- render: the body is turned into HTML here, with a fixed set of Markdown extensions, never by
  MkDocs and never as a template. Front-matter text is written into pages with `text()`, which
  makes every ASCII punctuation mark a character reference: inert as Markdown and as HTML.
- sanitise: the body's HTML keeps an allow-list of tags, attributes and classes; links must be
  http(s) after normalising them as a browser would; images are dropped (the site loads nothing
  from another host, and the folder holds no image files); ids are prefixed so that nothing can
  clobber an element the theme or the site's scripts read.

`python -m macros check` reports everything the sanitiser would remove, so a contributor sees it
before a build; the build publishes the sanitised page with a note of what was removed. No MkDocs.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import string
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Annotated

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from .addresses import OFFICIAL_NAMES, check_address, host, imitated  # noqa: F401 (host: re-exported)
from .boundary import is_contributed, unexpected_files  # noqa: F401 (re-exported)
from .editions import Edition, nearest
from .files import parse_yaml, problems_from_validation, yaml_strings
from .limits import CPU_SECONDS, Exceeded, run_limited
from .problems import DataError, Problem
from .site_cache import BODY_PLACEHOLDER, CASES_DIR, FRONT_MATTER  # noqa: F401 (re-exported)
from .textcheck import char_name, character_problems, check_strings, read_text, refused_char

DOCS_DIR = "docs"
MAX_FILE_BYTES = 100_000  # a case of several thousand characters is a few KB
MAX_FRONT_MATTER_BYTES = 10_000
COMMENT = re.compile(r"<!--.*?-->", re.S)
# Text that `python -m macros new-case` writes for the contributor to replace: the start of a
# longer placeholder, or a whole short one.
PLACEHOLDERS = ("在这里写", "在这里用", "来源标题", "数字说明")
PLACEHOLDER_WORDS = {"发布者", "单位"}

# ------------------------------------------------------------------------------ plain text

# Markup, template and control characters, and the invisible characters that reorder or hide
# text (bidirectional overrides, zero-width marks). Chinese text needs none of them.
NOT_PLAIN = re.compile(r'[<>&"`{}\\\x00-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]')
TAG = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 ·-]{0,19}$")


# Link syntax and script addresses: harmless once written with `text()`, but never meant.
LINK_LIKE = re.compile(r"\]\s*\(|javascript\s*:|data\s*:\s*text", re.I)


def _plain(value: str) -> str:
    refused = refused_char(value)
    if refused:
        raise ValueError(
            f"含有不允许的字符 {char_name(refused[1])}：只能是一行纯文本，不能有换行、不可见字符或方向控制符"
        )
    found = NOT_PLAIN.search(value)
    if found:
        shown = repr(found.group())[1:-1] if not found.group().isprintable() else found.group()
        raise ValueError(f'只能是一行纯文本，不能含 {shown}（以及 < > & " ` {{ }} \\、换行和不可见字符）')
    if LINK_LIKE.search(value):
        raise ValueError("只能是纯文本，不能写链接；来源的网址写在 sources 的 url 里")
    return value


def _tag(value: str) -> str:
    if not TAG.fullmatch(value):
        raise ValueError("标签只能由汉字、字母、数字、空格、· 和 - 组成，不超过 20 个字")
    if BASIS_WORDS.search(value):
        raise ValueError("公布、推算、模拟是本站标注数据性质的用词，不能用作案例的标签")
    return value


# The site's own voice: the words that mark a value's basis, and rank claims. A case states what
# a city did; ranks come only from the data, where each carries its source and quotation.
BASIS_WORDS = re.compile(r"公布|推算|模拟|官方认证|本站")
RANK_CLAIM = re.compile(
    r"第\s*[0-9０-９一二三四五六七八九十百零〇两]+\s*[名位]|[排位名]列|排名|排行|名次|榜首|夺冠|冠军|首位|居首|之首|"
    r"(?:全国|全省|国内|全球|世界|百强)\S{0,4}第[一二三1-3](?![0-9个批次期])|"
    r"(?:前|top\s*)[0-9０-９一二三四五六七八九十百]+\s*(?:名|位|强)?(?![0-9])|\bno\.?\s*1\b|\brank",
    re.I,
)
# A figure counted in places is a rank, whatever its label says.
RANK_UNITS = frozenset({"名", "位", "强"})


def _no_rank(value: str) -> str:
    if RANK_CLAIM.search(value):
        raise ValueError("案例不能自己写名次或排名：名次只来自本站的数据，每个名次都注明来源；请写这座城市做了什么")
    return value


PlainText = Annotated[str, AfterValidator(_plain)]
TagText = Annotated[str, AfterValidator(_tag)]
ClaimFreeText = Annotated[str, AfterValidator(_plain), AfterValidator(_no_rank)]


class CaseFigure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: ClaimFreeText = Field(min_length=1, max_length=40, description="数字说明，如 秒报秒批事项；不能是名次")
    value: float = Field(allow_inf_nan=False, description="一个数字，如 54")
    unit: PlainText = Field("", max_length=10, description="单位，如 项、%、公里；不能是名、位")

    @field_validator("unit")
    @classmethod
    def not_a_place(cls, value):
        if value.strip() in RANK_UNITS:
            raise ValueError("以“名”“位”为单位的数字是名次：名次只来自本站的数据，每个名次都注明来源")
        return _no_rank(value)


class CaseSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: PlainText = Field(min_length=1, max_length=100, description="来源标题，如 2020中国数字城市百强研究白皮书")
    publisher: PlainText | None = Field(None, max_length=60, description="发布者")
    date: str | None = Field(None, pattern=r"^[0-9]{4}(-[0-9]{2}){0,2}$", description="日期，如 2020-12")
    url: HttpUrl | None = Field(None, description="以 http:// 或 https:// 开头的网址")

    @field_validator("date", mode="before")
    @classmethod
    def date_as_text(cls, value):
        return value.isoformat() if isinstance(value, dt.date) else value

    @field_validator("url", mode="before")
    @classmethod
    def no_script(cls, value):
        if isinstance(value, str) and LINK_LIKE.search(value):
            raise ValueError("网址里不能含 javascript: 或 Markdown 链接语法")
        return check_address(value)

    @field_validator("url")
    @classmethod
    def http_only(cls, value):
        if value is not None and safe_url(str(value)) is None:
            raise ValueError("网址必须以 http:// 或 https:// 开头")
        if value is not None and imitated(value):
            token = imitated(value)
            real = "、".join(OFFICIAL_NAMES[token])
            raise ValueError(f"网址 {host(value)} 看起来像官方网站，但不在 {real} 之下；请用来源的真实网址")
        return value


class CaseMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    edition: str = Field(pattern=r"^[0-9]{4}$", description="案例所属的版本（年份），如 2020；领域编号以这一版本为准")
    city: str = Field(description="data/cities.csv 中的城市编号，如 shenzhen")
    domains: tuple[str, ...] = Field(min_length=1, description="一个或多个领域编号，如 [government]")
    title: ClaimFreeText = Field(min_length=1, max_length=60, description="案例标题，一行纯文本，不写名次")
    summary: ClaimFreeText = Field(min_length=1, max_length=200, description="一句话概括，纯文本，不写名次")
    figures: tuple[CaseFigure, ...] = Field((), max_length=20, description="来源中给出的数字（可选）")
    sources: tuple[CaseSource, ...] = Field(min_length=1, max_length=20, description="至少一个来源，每个来源要有 title")
    tags: tuple[TagText, ...] = Field((), max_length=10, description="（可选）额外的标签：汉字、字母或数字组成的短词")

    @field_validator("edition", mode="before")
    @classmethod
    def year_as_text(cls, value):
        """`edition: 2020` is read by YAML as a number: the same year, as text."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# ------------------------------------------------------------------------------- output


PUNCTUATION = frozenset(string.punctuation)


def text(value: str) -> str:
    """Contributor text, safe to write into a page's Markdown or HTML: whitespace collapsed and
    every ASCII punctuation mark written as a character reference, so that neither Markdown
    (links, emphasis, lists) nor HTML (tags, attributes) can read anything into it."""
    return "".join(f"&#{ord(ch)};" if ch in PUNCTUATION else ch for ch in " ".join(value.split()))


SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
C0_AND_SPACE = "".join(chr(i) for i in range(0x21))


def normalize_url(value: str) -> str:
    """A URL as a browser reads it from an attribute: leading and trailing control characters and
    spaces stripped, tabs and newlines removed anywhere, backslashes read as slashes."""
    return re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE)).replace("\\", "/")


def url_kind(value: str) -> str:
    """'web' (http or https), 'anchor' (#… on the same page) or 'other' (any other scheme, a path,
    a network-path reference //host: all refused in contributed content)."""
    url = normalize_url(value)
    if url.startswith("#"):
        return "anchor"
    scheme = SCHEME.match(url)
    if scheme and scheme.group(1).lower() in ("http", "https") and url[scheme.end() :].startswith("//"):
        return "web"
    return "other"


def safe_url(value) -> str | None:
    """The normalised address if it is an http(s) web address, else None."""
    if value is None:
        return None
    return normalize_url(str(value)) if url_kind(str(value)) == "web" else None


def link(label_html: str, url) -> str:
    """`label_html` (already safe) linked to an http(s) address; the label alone otherwise."""
    href = safe_url(url)
    if href is None:
        return label_html
    return f'<a href="{html_lib.escape(href, quote=True)}" rel="noopener noreferrer nofollow">{label_html}</a>'


# ----------------------------------------------------------------------- render, sanitise

ID_PREFIX = "case-"  # every id in a contributed body; the site's own ids never start with it

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "details": {"open"},
}
# Classes the body's Markdown extensions write and the theme styles; nothing else, so that no
# class makes the theme load a script (Material loads a diagram library for `mermaid`).
ADMONITION_TYPES = {
    "note",
    "abstract",
    "summary",
    "tldr",
    "info",
    "todo",
    "tip",
    "hint",
    "important",
    "success",
    "check",
    "done",
    "question",
    "help",
    "faq",
    "warning",
    "caution",
    "attention",
    "failure",
    "fail",
    "missing",
    "danger",
    "error",
    "bug",
    "example",
    "quote",
    "cite",
}
ALLOWED_CLASSES = {
    "div": {"admonition", "footnote", *ADMONITION_TYPES},
    "details": ADMONITION_TYPES,
    "p": {"admonition-title"},
    "a": {"headerlink", "footnote-ref", "footnote-backref"},
}
DROPPED_WHOLE = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "svg",
    "math",
    "textarea",
    "select",
    "xmp",
    "noembed",
    "noframes",
    "title",
}
LINK_REL = "noopener noreferrer nofollow"


class _DemoteHeadings(Treeprocessor):
    """`#` in a body is a section of the case, not a second page title: h1 becomes h2."""

    def run(self, root):
        for el in root.iter("h1"):
            el.tag = "h2"


class _DemoteExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_DemoteHeadings(md), "dco_demote", 30)  # before toc (5)


def _body_markdown() -> markdown.Markdown:
    from pymdownx.slugs import slugify

    return markdown.Markdown(
        # No `abbr`: its definitions apply to every occurrence, so a few lines can multiply a
        # page's size a hundredfold.
        extensions=[
            "admonition",
            "tables",
            "fenced_code",
            "footnotes",
            "sane_lists",
            "toc",
            "pymdownx.details",
            _DemoteExtension(),
        ],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处引用", "SUPERSCRIPT_TEXT": "{}"},
            "toc": {"permalink": True, "permalink_title": "本节链接", "slugify": slugify(case="lower")},
        },
    )


def _filter_attribute(tag: str, name: str, value: str):
    if name == "href":
        kind = url_kind(value)
        if kind == "web":
            return normalize_url(value)
        if kind == "anchor":
            target = normalize_url(value)[1:]
            return "#" + (target if not target or target.startswith(ID_PREFIX) else ID_PREFIX + target)
        return None
    return value


def sanitize_html(fragment: str) -> str:
    """The fragment with only allowed tags, attributes, classes and http(s) links; ids prefixed."""
    clean = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WHOLE,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
        strip_comments=True,
        id_prefix=ID_PREFIX,
    )
    return clean.replace(' class=""', "")  # what is left of a class attribute with no allowed class


@dataclass(frozen=True)
class Removed:
    """Something the sanitiser leaves out: its Chinese name, why, and text to find it by."""

    label: str
    reason: str
    needles: tuple[str, ...]


class _Inventory(HTMLParser):
    """What the sanitiser will drop from a fragment, read with the sanitiser's own tables.
    Classes and ids are not listed: classes outside the list are dropped quietly (Markdown
    writes some, such as a code block's language), ids are kept with a prefix."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[Removed] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            if tag == "img":
                self.items.append(
                    Removed("图片", "本站不加载其他网站的图片，案例文件夹也不能放图片文件", ("<img", "!["))
                )
            else:
                self.items.append(Removed(f"<{tag}> 标签", "案例正文只能用 Markdown 和简单的文字格式", (f"<{tag}",)))
            return
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set()) | {"class"}
        for name, value in attrs:
            if name.startswith("on"):
                self.items.append(Removed(f"事件属性 {name}（<{tag}>）", "正文中不能有脚本", (f"{name}=",)))
            elif name not in allowed:
                self.items.append(Removed(f"{name} 属性（<{tag}>）", "这个属性不在允许的范围内", (f"{name}=",)))
            elif name == "href" and url_kind(value or "") == "other":
                shown = (value or "").strip()
                shown = shown if len(shown) <= 40 else shown[:37] + "..."
                self.items.append(
                    Removed(
                        f"链接“{shown}”", "链接只能是 http:// 或 https:// 开头的网址，或本页内的 #锚点", (value or "",)
                    )
                )

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def removed_items(fragment: str) -> list[Removed]:
    parser = _Inventory()
    parser.feed(fragment)
    parser.close()
    unique: dict[str, Removed] = {}
    for item in parser.items:
        unique.setdefault(item.label, item)
    return list(unique.values())


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str  # HTML-escaped text
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class RenderedBody:
    """A case body as safe HTML, its headings for the page's table of contents, and what was
    left out (said on the page, below the body)."""

    html: str
    toc: tuple[TocEntry, ...]
    removed: tuple[Removed, ...]

    def page_html(self) -> str:
        if not self.removed:
            return self.html
        what = html_lib.escape("、".join(r.label for r in self.removed))
        return self.html + (
            '\n<div class="admonition note"><p class="admonition-title">已移除的内容</p>'
            f"<p>为安全起见，本页正文中的以下内容没有发布：{what}。</p></div>"
        )

    def fill(self, page_html: str) -> str:
        """The page's HTML with the body in place of BODY_PLACEHOLDER."""
        return page_html.replace(BODY_PLACEHOLDER, self.page_html(), 1)


def _toc(tokens) -> tuple[TocEntry, ...]:
    return tuple(
        TocEntry(
            t["level"],
            t["id"] if t["id"].startswith(ID_PREFIX) else ID_PREFIX + t["id"],
            t["name"],
            _toc(t["children"]),
        )
        for t in tokens
    )


def render_body(body: str) -> RenderedBody:
    """Markdown to sanitised HTML. No template syntax is read: `{{ 7*7 }}` stays as written."""
    md = _body_markdown()
    raw = md.convert(body)
    return RenderedBody(sanitize_html(raw), _toc(md.toc_tokens), tuple(removed_items(raw)))


MAX_BODY_HTML = 1_000_000  # bytes of HTML a body may become: a long case is some tens of KB


# Seconds of rendering all the untrusted bodies of one check or build may take together: an
# honest body takes milliseconds, so only a pull request of many near-limit files reaches it
# (each alone stays under the per-file limit; hundreds of them would outlast CI).
RENDER_BUDGET = 60.0
_budget: dict[str, float | None] = {"left": None}


@contextmanager
def render_budget(seconds: float = RENDER_BUDGET):
    """Within this block, render_limited refuses every body once `seconds` are spent."""
    _budget["left"] = seconds
    try:
        yield
    finally:
        _budget["left"] = None


def render_limited(body: str, shown: str, line: int, field_: str = "正文") -> tuple[RenderedBody | None, list[Problem]]:
    """`render_body` in a child process under CPU-time and memory limits (macros/limits.py),
    its HTML under MAX_BODY_HTML: (the body, []) or (None, the problem)."""
    left = _budget["left"]
    if left is not None and left <= 0:
        return None, [
            Problem(
                shown,
                line,
                field_,
                None,
                f"没有渲染：全部案例和正文的渲染时间已超过 {RENDER_BUDGET:g} 秒",
                "减少文件数量，或先修正前面报告的过于复杂的文件",
            )
        ]
    started = time.perf_counter()
    try:
        return _render_limited(body, shown, line, field_)
    finally:
        if _budget["left"] is not None:
            _budget["left"] -= time.perf_counter() - started


def _render_limited(body: str, shown: str, line: int, field_: str) -> tuple[RenderedBody | None, list[Problem]]:
    try:
        rendered = run_limited(render_body, body)
    except Exceeded as err:
        what = "渲染用时超过限制" if err.kind == "time" else "渲染占用内存超过限制"
        return None, [
            Problem(
                shown,
                line,
                field_,
                None,
                f"正文过于复杂，{what}（{CPU_SECONDS} 秒 CPU 时间）",
                "普通的段落、列表和表格；不要大量连续或嵌套的方括号 [ ]、星号和反引号",
            )
        ]
    size = len(rendered.html.encode("utf-8"))
    if size > MAX_BODY_HTML:
        return None, [
            Problem(shown, line, field_, f"{size:,} 字节", "正文生成的网页太大", f"不超过 {MAX_BODY_HTML:,} 字节")
        ]
    return rendered, []


# ---------------------------------------------------------------------------------- read


def check_tree(root: Path) -> list[Problem]:
    """`docs/` holds no symlinks; `docs/cases/` holds regular `.md` files and nothing else.
    Anything else would be published as it is (a symlink can point at any file on the
    building machine) or rendered as a page that no check has read."""
    root = Path(root)
    problems = []
    docs = root / DOCS_DIR
    cases = root / CASES_DIR
    if not docs.is_dir():
        return [Problem(DOCS_DIR, None, None, None, "文件夹不存在", "项目根目录下的 docs/ 文件夹")]
    for src in unexpected_files(root):
        problems.append(
            Problem(
                f"{DOCS_DIR}/{src}",
                None,
                None,
                None,
                "不是本站的页面或文件：拉取请求只能在 docs/cases/ 里添加案例文件",
                "案例写成 docs/cases/城市编号-领域编号.md；新增网站页面需由维护者修改代码（macros/boundary.py）",
            )
        )
    for path in sorted(docs.rglob("*")):
        shown = path.relative_to(root).as_posix()
        if path.parent == cases and path.name == "index.md":
            problems.append(
                Problem(
                    shown,
                    None,
                    "文件名",
                    path.name,
                    "index.md 是本站自己的案例目录页的名字，不能作为案例文件",
                    "文件名形如 城市编号-领域编号.md，如 wuhan-livelihood.md",
                )
            )
        elif path.is_symlink():
            problems.append(
                Problem(shown, None, None, None, "是符号链接（symlink）", "普通文件；本站不发布指向别处的链接文件")
            )
        elif path.parent == cases and path.is_dir():
            problems.append(
                Problem(shown, None, None, None, "docs/cases/ 里不能有子文件夹", "案例文件直接放在 docs/cases/ 下")
            )
        elif cases in path.parents and path.parent != cases:
            continue  # inside a refused subfolder: the folder is reported
        elif path.parent == cases and (path.suffix != ".md" or not path.is_file()):
            problems.append(
                Problem(
                    shown,
                    None,
                    None,
                    None,
                    "docs/cases/ 里只能有 .md 案例文件",
                    "文件名形如 城市编号-领域编号.md；图片和其他文件不能放在这里",
                )
            )
    return problems


def case_files(root: Path) -> list[Path]:
    folder = Path(root) / CASES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name != "index.md" and p.is_file() and not p.is_symlink())


@dataclass(frozen=True)
class Case:
    slug: str  # file name without .md: <city>-<domain>
    path: str  # docs/cases/<slug>.md, relative to the project
    src_uri: str  # cases/<slug>.md, relative to docs/
    meta: CaseMeta
    body: RenderedBody
    body_line: int  # the line the body starts on
    source_lines: tuple[str, ...] = field(repr=False, default=())
    notices: tuple[Problem, ...] = ()  # worth a look, but no reason to stop (printed by check)

    def line_of(self, needles: tuple[str, ...]) -> int:
        """The first body line holding one of `needles` (for messages), else the body's first."""
        for needle in needles:
            if not needle:
                continue
            for i, line in enumerate(self.source_lines):
                if needle.lower() in line.lower():
                    return self.body_line + i
        return self.body_line


def split_front_matter(text_: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, line where the body starts)."""
    match = FRONT_MATTER.match(text_)
    if not match:
        return None, text_, 1
    rest = text_[match.end() :]
    body = rest.lstrip("\r\n")
    body_line = text_[: len(text_) - len(body)].count("\n") + 1
    return match.group(1), body, body_line


def load_case(root: Path, path: Path, editions: dict[str, Edition]) -> tuple[Case | None, list[Problem]]:
    """One case file, read and validated; the body rendered and sanitised. The problems are
    those that stop a build (what the sanitiser removes is on `case.body.removed`)."""
    shown = path.relative_to(root).as_posix()
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                shown, None, None, f"{size:,} 字节", "文件太大", f"不超过 {MAX_FILE_BYTES:,} 字节；案例正文几千字就够了"
            )
        ]
    try:
        text_ = read_text(path, shown)
    except DataError as err:
        return None, err.problems
    front, body, body_line = split_front_matter(text_)
    if front is None:
        return None, [
            Problem(
                shown,
                1,
                None,
                None,
                "文件开头缺少用 --- 包起来的信息区（front matter）",
                "第一行是 ---，接着写 city、domains、title、summary、sources，再以 --- 结束",
            )
        ]
    if len(front.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        return None, [Problem(shown, 2, None, None, "信息区太长", f"不超过 {MAX_FRONT_MATTER_BYTES:,} 字节")]
    try:
        data, line_of = parse_yaml(front, shown, first_line=2)
    except DataError as err:
        return None, err.problems
    if not isinstance(data, dict):
        return None, [Problem(shown, 2, None, None, "信息区应是一组“字段: 值”", "city: shenzhen 这样的写法")]
    problems = check_strings(yaml_strings(data), shown, line_of) + body_problems(shown, body, body_line)
    try:
        meta = CaseMeta.model_validate(data)
    except ValidationError as err:
        return None, problems + problems_from_validation(err, CaseMeta, shown, line_of)

    for loc, field_, value in yaml_strings(data):
        if value.strip() in PLACEHOLDER_WORDS or any(value.startswith(p) for p in PLACEHOLDERS):
            problems.append(
                Problem(shown, line_of(loc), field_, value, "还是模板里的占位文字", "换成这个案例的真实内容")
            )
    edition = editions.get(str(meta.edition))
    if edition is None:
        problems.append(
            Problem(shown, line_of(("edition",)), "edition", meta.edition, "不是已有的版本", "、".join(editions))
        )
        return None, problems
    cities = edition.city_by_id
    domains = edition.domain_by_id
    if meta.city not in cities:
        problems.append(
            Problem(shown, line_of(("city",)), "city", meta.city, "不是已知的城市编号", nearest(meta.city, cities))
        )
    for i, d in enumerate(meta.domains):
        if d not in domains:
            problems.append(
                Problem(
                    shown,
                    line_of(("domains", i)),
                    "domains",
                    d,
                    f"不是 {edition.id} 年版本的领域编号",
                    nearest(d, domains),
                )
            )
    # <city>-<domain>.md; a second edition's case of the same city and domain adds -<edition>.
    # Only named once city and domain are known: a name built from a typo would point the wrong way.
    expected = (f"{meta.city}-{meta.domains[0]}.md", f"{meta.city}-{meta.domains[0]}-{edition.id}.md")
    if meta.city in cities and meta.domains[0] in domains and path.name not in expected:
        problems.append(
            Problem(shown, None, "文件名", path.name, "与信息区的 city 和第一个 domains 不一致", " 或 ".join(expected))
        )
    rendered, found = render_limited(body, shown, body_line)
    if rendered is None:
        return None, problems + found
    notices = tuple(dated_notices(meta, edition, editions, shown, line_of))
    case = Case(path.stem, shown, f"cases/{path.name}", meta, rendered, body_line, tuple(body.splitlines()), notices)
    return case, problems


def dated_notices(meta: CaseMeta, edition: Edition, editions: dict[str, Edition], shown: str, line_of) -> list[Problem]:
    """A case whose newest source is dated two or more years before its edition: most likely the
    edition year is wrong (a 2020 practice filed under 2023). Said, not refused: a case may
    cite an older document too."""
    dated = [(s.date, i) for i, s in enumerate(meta.sources) if s.date]
    if not dated:
        return []
    newest, i = max(dated)
    year = int(newest[:4])
    if year >= int(edition.id) - 1:
        return []
    fitting = [e for e in editions if int(e) <= year + 1]
    hint = f"；来源日期对应的是 {fitting[-1]} 年版本" if fitting else ""
    return [
        Problem(
            shown,
            line_of(("sources", i, "date")),
            "sources.date",
            newest,
            f"来源的日期比 edition（{edition.id} 年版本）早两年以上",
            f"确认 edition 是否写对{hint}；如果这个较早的来源确实属于 {edition.id} 年版本，可以不改",
        )
    ]


def body_problems(shown: str, body: str, body_line: int) -> list[Problem]:
    """The problems of a case file's body: no prose of its own, or corrupted text."""
    problems = []
    body_lines = [((body_line + i,), "正文", line) for i, line in enumerate(body.splitlines()) if line.strip()]
    lines = (line.strip() for line in COMMENT.sub("", body).splitlines())
    prose = [line for line in lines if line.strip("- \t") and not line.startswith("#")]
    if not prose:
        problems.append(
            Problem(shown, body_line, "正文", None, "正文还没有内容", "在信息区下面用自己的话写这个案例的做法和看点")
        )
    return (
        problems
        + character_problems(body, shown, body_line, "正文")
        + check_strings(body_lines, shown, lambda loc: loc[0])
    )


def case_body(root: Path, path: Path) -> RenderedBody | None:
    """The rendered body of a case file whose front matter was loaded before and has not
    changed since (macros/site_cache.py keeps bodies apart): None if the file has any problem
    that depends on its body (size, encoding, the body's text), for `load_case` to report."""
    shown = path.relative_to(root).as_posix()
    if path.stat().st_size > MAX_FILE_BYTES:
        return None
    try:
        text_ = read_text(path, shown)
    except DataError:
        return None
    front, body, body_line = split_front_matter(text_)
    if front is None or body_problems(shown, body, body_line):
        return None
    return render_limited(body, shown, body_line)[0]


def removed_problems(case: Case) -> list[Problem]:
    """What the sanitiser removes from a case body, as problems for `python -m macros check`."""
    return [
        Problem(case.path, case.line_of(r.needles), "正文", None, f"{r.label}不会发布", r.reason)
        for r in case.body.removed
    ]


def load_cases(root: Path, editions: dict[str, Edition]) -> tuple[Case, ...]:
    """Every case file, validated; DataError lists every problem of every file and of the
    folder. The sanitiser's removals do not stop loading (see `removed_problems`)."""
    cases, problems = collect_cases(root, editions)
    if problems:
        raise DataError(problems)
    return cases


def collect_cases(root: Path, editions: dict[str, Edition]) -> tuple[tuple[Case, ...], list[Problem]]:
    """The cases that loaded, and the problems of the folder and of every file."""
    problems = check_tree(root)
    cases = []
    seen: dict[tuple[str, str, str], str] = {}
    for path in case_files(root):
        case, found = load_case(Path(root), path, editions)
        problems += found
        if case is None:
            continue
        for d in case.meta.domains:
            key = (case.meta.edition, case.meta.city, d)
            if key in seen:
                problems.append(
                    Problem(
                        case.path,
                        None,
                        "domains",
                        d,
                        f"同一城市同一领域的案例重复（{seen[key]} 已有）",
                        "每个城市在每个领域只有一个案例",
                    )
                )
            seen.setdefault(key, case.path)
        cases.append(case)
    return tuple(cases), problems
