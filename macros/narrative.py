"""An edition's narrative: prose written for the site, kept as Markdown beside the data.

`data/editions/<year>/pages/` may hold
- `overview.md`, `domains.md`, `stages.md`, `ranking.md`, `cases.md`, `methodology.md`,
  `data.md`: text placed at the top of that generated page;
- `domains/<domain id>.md`: the narrative of one domain's page;
- any other `<name>.md`: a page of its own under the edition (2020: `trends.md`), with a
  `title` in its front matter.
Front matter (optional): `title`, `sources` (ids from edition.yaml, listed under the text).

Narrative is prose, not a template or a web page: raw HTML, template syntax, images and links
other than http(s) are refused with a message naming file and line. Pure; reads files only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .editions import Edition, data_dir, nearest
from .problems import Problem

SLOTS = ("overview", "domains", "stages", "ranking", "cases", "methodology", "data")
NAME = re.compile(r"^[a-z][a-z0-9-]*$")
REFUSED = [
    (re.compile(r"<[A-Za-z!/?]"), "不能写 HTML 标签", "只用 Markdown"),
    (re.compile(r"\{\{|\{%|\{#"), "不能写模板语法", "删除 {{ }}、{% %}；数字由数据生成"),
    (re.compile(r"\{[^}]*\}"), "不能写属性或花括号", "删除 { }"),
    (re.compile(r"^\s*\[[^\]]+\]:\s*(?!https?://)"), "链接只能指向 http:// 或 https:// 地址", "写完整的网址"),
    (re.compile(r"!\["), "不能插入图片", "删除图片"),
    (re.compile(r"\]\((?!https?://)[^)]*\)"), "链接只能指向 http:// 或 https:// 地址", "写完整的网址"),
]


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


def _split(text: str) -> tuple[dict, str, int]:
    if text.startswith("---\n"):
        head, sep, body = text[4:].partition("\n---\n")
        if sep:
            meta = yaml.safe_load(head) or {}
            return (meta if isinstance(meta, dict) else {}), body, head.count("\n") + 3
    return {}, text, 1


def _read(path: Path) -> Text:
    meta, body, _ = _split(path.read_text(encoding="utf-8-sig"))
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
            if not NAME.match(path.stem):
                problems.append(Problem(shown, None, "文件名", path.name, "文件名不合规", "小写字母、数字和 -"))
                continue
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                problems.append(Problem(shown, None, None, None, "不是 UTF-8 编码", "用 UTF-8 保存"))
                continue
            try:
                meta, body, first = _split(text)
            except yaml.YAMLError:
                problems.append(Problem(shown, 1, None, None, "信息区不是合法的 YAML", "title: … / sources: […]"))
                continue
            unknown = set(meta) - {"title", "sources"}
            if unknown:
                problems.append(Problem(shown, 1, ", ".join(sorted(unknown)), None, "未知字段", "title、sources"))
            title = meta.get("title")
            if len(inner.parts) == 1 and path.stem not in SLOTS and not isinstance(title, str):
                problems.append(Problem(shown, 1, "title", None, "独立页面须有标题", "title: 页面标题"))
            elif isinstance(title, str) and re.search(r"[<>\[\]()`{}*_|\\&#!]", title):
                problems.append(Problem(shown, 1, "title", title, "标题只能是纯文本", "不含 < > [ ] ( ) { } 等符号"))
            for s in meta.get("sources") or ():
                if s not in sources:
                    problems.append(
                        Problem(shown, 1, "sources", s, "不是 edition.yaml 中的来源编号", nearest(str(s), sources))
                    )
            for n, line in enumerate(body.splitlines(), start=first):
                for pattern, message, expected in REFUSED:
                    found = pattern.search(line)
                    if found:
                        problems.append(Problem(shown, n, None, found.group(0), message, expected))
    return problems
