"""The one error type for bad input, and the problems it carries.

A `Problem` names the file, the line, the field, the value, what is wrong and what was expected.
Loaders collect every problem of a file before raising, so a contributor sees them all at once.
Messages are in Chinese: contributors read them. Pure; no I/O, no MkDocs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Control, format (bidi, zero-width), separator, private-use, surrogate and unassigned
# characters: a file's text that holds them could end a log line, colour it, reorder it or
# start a line of its own (`::error …`, which CI would read as a command).
_NOT_SHOWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})


def inert(text: str) -> str:
    """`text` as one printable line: every character that is not shown as itself is written as
    its code (`\\u202e`, `\\u000a`), so a file cannot forge a log line or an annotation."""
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _NOT_SHOWN else ch for ch in text)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    value: object
    message: str
    expected: str | None = None
    hint: str | None = None

    def format(self) -> str:
        where = self.file if self.line is None else f"{self.file} 第 {self.line} 行"
        if self.field:
            where += f"，字段 {self.field}"
        text = f"{where}：{self.message}"
        if self.value is not None:
            text += f"（现在是 {show_value(self.value)}）"
        if self.expected:
            text += f"。应为：{self.expected}"
        if self.hint:
            text += f"。{self.hint}"
        return inert(text)


def show_value(value: object) -> str:
    text = str(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"“{text}”"


class DataError(Exception):
    """Bad input: one or more problems. The build and `python -m macros check` stop on it."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [headline(self.problems)]
        lines += [f"  - {p.format()}" for p in self.problems]
        return "\n".join(lines)


def headline(problems: list[Problem]) -> str:
    """The first line of a report, naming what kind of files the problems are in. Only data
    files carry numbers; a problem in a case file or the folder is not a wrong number."""
    data = sum(1 for p in problems if p.file.startswith("data/"))
    other = len(problems) - data
    if data and not other:
        return f"发现 {data} 处数据问题，已停止（错误的数字不能发布）："
    if other and not data:
        return f"发现 {other} 处案例或文件问题，已停止："
    return (
        f"发现 {len(problems)} 处问题（数据文件 {data} 处，案例和其他文件 {other} 处），已停止（错误的数字不能发布）："
    )


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.line or 0, problem.field or "")


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise DataError(problems)
