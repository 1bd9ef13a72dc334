"""Case files: `docs/cases/<city>-<domain>.md`, front matter validated, body kept as text.

A case file is written by a contributor and is untrusted. This module parses and validates its
front matter (every problem reported with file, line and field, in Chinese) and returns frozen
`Case` records. It never renders the body. No MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from .editions import Edition, nearest
from .files import parse_yaml, problems_from_validation, yaml_strings
from .problems import DataError, Problem
from .textcheck import check_strings, read_text

CASES_DIR = "docs/cases"
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", re.S | re.M)
INDEX = "index.md"
# Text that `python -m macros new-case` writes for the contributor to replace.
PLACEHOLDERS = ("在这里写", "在这里用", "来源标题", "数字说明")
COMMENT = re.compile(r"<!--.*?-->", re.S)


class CaseFigure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = Field(min_length=1, description="数字说明，如 秒报秒批事项")
    value: float = Field(allow_inf_nan=False, description="一个数字，如 54")
    unit: str = Field("", description="单位，如 项、%、公里")


class CaseSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str = Field(min_length=1, description="来源标题，如 2020中国数字城市百强研究白皮书")
    publisher: Optional[str] = Field(None, description="发布者")
    date: Optional[str] = Field(None, pattern=r"^\d{4}(-\d{2}){0,2}$", description="日期，如 2020-12")
    url: Optional[HttpUrl] = Field(None, description="以 http:// 或 https:// 开头的网址")

    @field_validator("date", mode="before")
    @classmethod
    def date_as_text(cls, value):
        return value.isoformat() if isinstance(value, dt.date) else value

    @field_validator("url")
    @classmethod
    def http_only(cls, value):
        if value is not None and value.scheme not in ("http", "https"):
            raise ValueError("网址必须以 http:// 或 https:// 开头")
        return value


class CaseMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    city: str = Field(description="data/cities.csv 中的城市编号，如 shenzhen")
    domains: tuple[str, ...] = Field(min_length=1, description="一个或多个领域编号，如 [government]")
    title: str = Field(min_length=1, max_length=60, description="案例标题，一行纯文本")
    summary: str = Field(min_length=1, max_length=200, description="一句话概括，纯文本")
    figures: tuple[CaseFigure, ...] = Field((), description="来源中给出的数字（可选）")
    sources: tuple[CaseSource, ...] = Field(min_length=1, description="至少一个来源，每个来源要有 title")
    tags: tuple[str, ...] = Field((), description="（可选）额外的标签")

    @field_validator("title", "summary")
    @classmethod
    def plain_text(cls, value: str):
        if re.search(r"[<>{}]|\{%|\{\{", value):
            raise ValueError("只能是纯文本，不能含 < > { } 等标记")
        return value


@dataclass(frozen=True)
class Case:
    slug: str            # file name without .md: <city>-<domain>
    path: str            # docs/cases/<slug>.md, relative to the project
    src_uri: str         # cases/<slug>.md, relative to docs/
    meta: CaseMeta
    body: str            # the Markdown after the front matter, unrendered
    body_line: int       # the line the body starts on


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, line where the body starts)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    rest = text[match.end():]
    body = rest.lstrip("\r\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return match.group(1), body, body_line


def case_files(root: Path) -> list[Path]:
    folder = Path(root) / CASES_DIR
    return sorted(p for p in folder.glob("*.md") if p.name != INDEX) if folder.is_dir() else []


def load_case(root: Path, path: Path, edition: Edition) -> tuple[Case | None, list[Problem]]:
    shown = path.relative_to(root).as_posix()
    try:
        text = read_text(path, shown)
    except DataError as err:
        return None, err.problems
    front, body, body_line = split_front_matter(text)
    if front is None:
        return None, [Problem(shown, 1, None, None, "文件开头缺少用 --- 包起来的信息区（front matter）", "第一行是 ---，接着写 city、domains、title、summary、sources，再以 --- 结束")]
    try:
        data, line_of = parse_yaml(front, shown, first_line=2)
    except DataError as err:
        return None, err.problems
    if not isinstance(data, dict):
        return None, [Problem(shown, 2, None, None, "信息区应是一组“字段: 值”", "city: shenzhen 这样的写法")]
    problems = check_strings(yaml_strings(data), shown, line_of)
    body_lines = [((body_line + i,), "正文", line) for i, line in enumerate(body.splitlines()) if line.strip()]
    lines = (line.strip() for line in COMMENT.sub("", body).splitlines())
    prose = [line for line in lines if line.strip("- \t") and not line.startswith("#")]
    if not prose:
        problems.append(Problem(shown, body_line, "正文", None, "正文还没有内容", "在信息区下面用自己的话写这个案例的做法和看点"))
    problems += check_strings(body_lines, shown, lambda loc: loc[0])
    try:
        meta = CaseMeta.model_validate(data)
    except ValidationError as err:
        return None, problems + problems_from_validation(err, CaseMeta, shown, line_of)

    for loc, field, text in yaml_strings(data):
        if any(text.startswith(p) for p in PLACEHOLDERS):
            problems.append(Problem(shown, line_of(loc), field, text, "还是模板里的占位文字", "换成这个案例的真实内容"))
    cities = edition.city_by_id
    domains = edition.domain_by_id
    if meta.city not in cities:
        problems.append(Problem(shown, line_of(("city",)), "city", meta.city, "不是已知的城市编号", nearest(meta.city, cities)))
    for i, d in enumerate(meta.domains):
        if d not in domains:
            problems.append(Problem(shown, line_of(("domains", i)), "domains", d, "不是已知的领域编号", nearest(d, domains)))
    expected_name = f"{meta.city}-{meta.domains[0]}.md"
    if path.name != expected_name:
        problems.append(Problem(shown, None, "文件名", path.name, "与信息区的 city 和第一个 domains 不一致", expected_name))
    slug = path.stem
    return Case(slug, shown, f"cases/{path.name}", meta, body, body_line), problems


def load_cases(root: Path, edition: Edition) -> tuple[Case, ...]:
    """Every case file, validated; DataError lists every problem of every file."""
    cases, problems = [], []
    seen: dict[tuple[str, str], str] = {}
    for path in case_files(root):
        case, found = load_case(Path(root), path, edition)
        problems += found
        if case is None:
            continue
        for d in case.meta.domains:
            key = (case.meta.city, d)
            if key in seen:
                problems.append(Problem(case.path, None, "domains", d, f"同一城市同一领域的案例重复（{seen[key]} 已有）", "每个城市在每个领域只有一个案例"))
            seen.setdefault(key, case.path)
        cases.append(case)
    if problems:
        raise DataError(problems)
    return tuple(cases)


def case_nav(cases: tuple[Case, ...], edition: Edition) -> list[dict]:
    """Navigation entries for the cases, grouped by their first domain in the edition's order."""
    entries = []
    for domain in edition.domains:
        members = sorted((c for c in cases if c.meta.domains[0] == domain.id), key=lambda c: edition.city_by_id[c.meta.city].adcode)
        if members:
            entries.append({domain.zh: [{edition.city_by_id[c.meta.city].short_zh: c.src_uri} for c in members]})
    return entries
