"""An edition's narrative: prose written for the site, kept as Markdown beside the data.

`data/editions/<year>/pages/` may hold
- `overview.md`, `domains.md`, `stages.md`, `ranking.md`, `cases.md`, `methodology.md`,
  `data.md`: text placed at the top of that generated page;
- `domains/<domain id>.md`: the narrative of one domain's page;
- any other `<name>.md`: a page of its own under the edition (2020: `trends.md`), with a
  `title` in its front matter.
Front matter (optional): `title`, `sources` (ids from edition.yaml, listed under the text).

Narrative is content a pull request can change: prose, not a template or a web page. It is
checked as a case body is (macros/contrib.py): the characters it may hold, then rendered by the
contribution boundary's Markdown and sanitiser under time and memory limits; anything the
sanitiser would remove (HTML, images, links other than http(s)), template syntax, attribute
lists, headings whose anchor the theme uses, and names the generated pages take are refused
with a message naming file and line. Front matter is parsed as case front matter is (no
anchors or aliases) and validated. Pure; reads files only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import contrib
from .editions import Edition, data_dir, nearest
from .files import parse_yaml, problems_from_validation
from .models import NAME, DataText
from .problems import DataError, Problem
from .textcheck import character_problems

MAX_BYTES = 100_000
# The name an edition's generated overview takes (index.md): a page of prose may not replace it.
# The other generated pages' names are SLOTS, whose text goes on top of the generated page.
GENERATED = "index"

SLOTS = ("overview", "domains", "stages", "ranking", "cases", "methodology", "data")
FILE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
REFUSED = [
    (re.compile(r"<[A-Za-z!/?]"), "不能写 HTML 标签", "只用 Markdown"),
    (re.compile(r"\{\{|\{%|\{#"), "不能写模板语法", "删除 {{ }}、{% %}；数字由数据生成"),
    (re.compile(r"\{[^}]*\}"), "不能写属性或花括号", "删除 { }"),
    (re.compile(r"^\s*\[[^\]]+\]:\s*(?!https?://)"), "链接只能指向 http:// 或 https:// 地址", "写完整的网址"),
    (re.compile(r"!\["), "不能插入图片", "删除图片"),
    (re.compile(r"^\s{0,3}#+\s*_"), "标题不能以 _ 开头（主题用这样的锚点名）", "以文字开头的标题"),
    (re.compile(r"^\s{0,3}\[[^\]]*\]:"), "不能写引用式链接的定义", "链接写成 [文字](https://…)"),
    (re.compile(r"\]\((?!https?://)[^)]*\)"), "链接只能指向 http:// 或 https:// 地址", "写完整的网址"),
    # an abbreviation definition puts a tooltip, in the site's voice, on every use of a word
    (re.compile(r"^\s{0,3}\*\["), "不能写缩写定义（*[词]: 说明）", "需要解释的词在正文里解释"),
]
# A line of = or - under a line of text makes that text a heading (setext), whose anchor the
# line filters above cannot see: headings are written with #.
SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")


@dataclass(frozen=True)
class Text:
    body: str
    title: str | None = None
    sources: tuple[str, ...] = ()


@dataclass
class Narratives:
    slots: dict[str, Text] = field(default_factory=dict)  # "overview", "domain:economy", ...
    extra: dict[str, Text] = field(default_factory=dict)  # page name -> its text

    def get(self, kind: str, arg: str = "") -> Text | None:
        return self.slots.get(f"{kind}:{arg}" if arg else kind)


def folder(root: Path, edition_id: str) -> Path:
    return data_dir(root) / "editions" / edition_id / "pages"


class NarrativeMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: DataText | None = Field(None, pattern=NAME, max_length=60, description="页面标题，一行纯文本")
    sources: tuple[str, ...] = Field((), max_length=20, description="edition.yaml 中 sources 的编号列表")


def _split(text: str, shown: str) -> tuple[dict, str, int]:
    """(front matter, body, line the body starts on); DataError for front matter that is not
    a mapping of plain values (anchors and aliases refused before anything is built)."""
    if text.startswith("---\n"):
        head, sep, body = text[4:].partition("\n---\n")
        if sep:
            data, _ = parse_yaml(head, shown, first_line=2)
            if data is None:
                data = {}
            if not isinstance(data, dict):
                raise DataError([Problem(shown, 2, None, None, "信息区应是一组“字段: 值”", "title: … / sources: […]")])
            return data, body, head.count("\n") + 3
    return {}, text, 1


def _read(path: Path) -> Text:
    meta, body, _ = _split(path.read_text(encoding="utf-8-sig"), path.name)
    return Text(body.strip() + "\n", meta.get("title"), tuple(meta.get("sources") or ()))


def load(root: Path, edition: Edition) -> Narratives:
    """The edition's narrative files (already checked by `check`)."""
    out = Narratives()
    base = folder(root, edition.id)
    if not base.is_dir():
        return out
    for path in sorted(base.glob("*.md")):
        if path.stem in SLOTS:
            out.slots[path.stem] = _read(path)
        else:
            out.extra[path.stem] = _read(path)
    for path in sorted((base / "domains").glob("*.md")):
        out.slots[f"domain:{path.stem}"] = _read(path)
    return out


def check(root: Path, editions: list[Edition]) -> list[Problem]:
    """Every narrative file is UTF-8 Markdown prose naming only what its edition has."""
    problems = []
    for edition in editions:
        base = folder(root, edition.id)
        if not base.is_dir():
            continue
        sources = {s.id for s in edition.meta.sources}
        domains = {d.id for d in edition.domains}
        for path in sorted(base.rglob("*")):
            shown = path.relative_to(root).as_posix()
            inner = path.relative_to(base)
            if path.is_dir() and inner.as_posix() == "domains":
                continue
            if path.is_symlink() or path.is_dir() or path.suffix != ".md" or len(inner.parts) > 2:
                problems.append(
                    Problem(
                        shown, None, None, inner.as_posix(), "这里只放 .md 文件", "pages/*.md 或 pages/domains/*.md"
                    )
                )
                continue
            if len(inner.parts) == 2 and (inner.parts[0] != "domains" or path.stem not in domains):
                expected = nearest(path.stem, domains) if inner.parts[0] == "domains" else "pages/domains/<领域编号>.md"
                problems.append(
                    Problem(shown, None, "领域编号", path.stem, f"不是 {edition.id} 年版本的领域", expected)
                )
                continue
            if not FILE_NAME.fullmatch(path.stem):
                problems.append(
                    Problem(shown, None, "文件名", path.name, "文件名不合规", "小写字母、数字和 -，以字母开头")
                )
                continue
            if len(inner.parts) == 1 and path.stem == GENERATED:
                problems.append(
                    Problem(
                        shown,
                        None,
                        "文件名",
                        path.name,
                        "这个名字是本站自动生成的页面的名字，不能用作独立页面",
                        f"放在页首的文字用 {'、'.join(f'{s}.md' for s in SLOTS)}；独立页面用别的名字，如 trends.md",
                    )
                )
                continue
            if path.stat().st_size > MAX_BYTES:
                problems.append(Problem(shown, None, None, None, "文件太大", f"不超过 {MAX_BYTES:,} 字节"))
                continue
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                problems.append(Problem(shown, None, None, None, "不是 UTF-8 编码", "用 UTF-8 保存"))
                continue
            try:
                meta, body, first = _split(text, shown)
            except DataError as err:
                problems += err.problems
                continue
            problems += _meta_problems(shown, meta, path.stem, len(inner.parts) == 1, sources)
            problems += body_problems(shown, body, first)
    return problems


def _meta_problems(shown: str, meta: dict, stem: str, top: bool, sources: set[str]) -> list[Problem]:
    try:
        parsed = NarrativeMeta.model_validate(meta)
    except ValidationError as err:
        return problems_from_validation(err, NarrativeMeta, shown, lambda loc: 1)
    problems = []
    if top and stem not in SLOTS and parsed.title is None:
        problems.append(Problem(shown, 1, "title", None, "独立页面须有标题", "title: 页面标题"))
    for s in parsed.sources:
        if s not in sources:
            problems.append(Problem(shown, 1, "sources", s, "不是 edition.yaml 中的来源编号", nearest(str(s), sources)))
    return problems


def body_problems(shown: str, body: str, first: int) -> list[Problem]:
    """What a narrative body may not hold: refused characters and lines, and anything the
    contribution boundary's sanitiser would remove from it (read across lines, as Markdown
    reads it: a link whose address starts on the next line is still a link)."""
    problems = character_problems(body, shown, first)
    previous = ""
    for n, line in enumerate(body.splitlines(), start=first):
        if SETEXT.match(line) and previous.strip() and not SETEXT.match(previous):
            problems.append(
                Problem(
                    shown,
                    n,
                    None,
                    line.strip(),
                    "文字下一行的 === 或 --- 会把它变成标题",
                    "标题用 # 或 ## 开头；分隔线前空一行",
                )
            )
        previous = line
        for pattern, message, expected in REFUSED:
            found = pattern.search(line)
            if found:
                problems.append(Problem(shown, n, None, found.group(0), message, expected))
    if problems:
        return problems
    rendered, found = contrib.render_limited(body, shown, first, None)
    if rendered is None:
        return found
    lines = body.splitlines()

    def line_of(needles) -> int:
        for needle in needles:
            for i, line in enumerate(lines):
                if needle and needle.lower() in line.lower():
                    return first + i
        return first

    for r in rendered.removed:
        problems.append(Problem(shown, line_of(r.needles), None, None, f"{r.label}不能使用", r.reason))
    if re.search(r'<a href="#?"|<a>|<a rel', rendered.html):
        problems.append(Problem(shown, first, None, None, "有没有网址的空链接", "链接写成 [文字](https://…)"))
    return problems
