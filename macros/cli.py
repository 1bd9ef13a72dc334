"""Command line: `python -m macros check` and `python -m macros new-case CITY DOMAIN`.

The same core the site build uses, without MkDocs: fast enough to run before every commit.
Problems are printed as plain Chinese lines, never as a traceback; the exit code is 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .contrib import CASES_DIR, collect_cases, removed_problems
from .editions import load_all, nearest
from .problems import DataError
from .site import gather

SKELETON = """---
edition: {edition}
city: {city}
domains: [{domain}]
title: 在这里写案例标题（一行，不超过 60 字）
summary: 在这里用一句话概括这个案例（不超过 200 字）。
# figures:          # 可选：来源中明确给出的数字，每个一行
#   - {{label: 数字说明, value: 0, unit: 单位}}
sources:            # 至少一个来源；有网址就写上 url（以 https:// 开头）
  - {{title: 来源标题, publisher: 发布者, date: 2020-12}}
---

## 做法

<!-- 用自己的话写{name}在{domain_zh}方面做了什么，每条一行，以“- ”开头。这段说明不会发布，可以删掉。 -->

## 看点

<!-- 这个案例为什么值得关注，对其他城市有什么参考意义。 -->
"""


def project_root() -> Path | None:
    """The folder holding mkdocs.yml and data/: the current one or one of its parents."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data/editions").is_dir():
            return folder
    return None


def _escape(text: str, property_: bool = False) -> str:
    """A value in a GitHub workflow command: its own line, whatever it holds."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_ else text


def annotate(level: str, problems) -> None:
    """On GitHub Actions, each problem also as a workflow command, so that it shows on the pull
    request beside the file and line it names. Every value is escaped (and the message is one
    inert line already): a file cannot end the command and start one of its own."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    for p in problems:
        where = f"file={_escape(p.file, True)}"
        if p.line is not None:
            where += f",line={int(p.line)}"
        title = _escape("数据检查" if level == "error" else "请留意", True)
        print(f"::{level} {where},title={title}::{_escape(p.format())}")


def check(root: Path) -> int:
    """Validate every edition, every case file and every narrative, as the build does."""
    started = time.perf_counter()
    try:
        editions, cases, problems = gather(root)
    except DataError as err:
        print(err.report(), file=sys.stderr)
        annotate("error", err.problems)
        return 1
    for case in cases:  # the build would publish these without what is removed
        problems += removed_problems(case)
    if problems:
        print(DataError(problems).report(), file=sys.stderr)
        annotate("error", problems)
    notices = [n for case in cases for n in case.notices]
    annotate("warning", notices)
    if notices:  # after the problems, which come first; printed either way
        print("请留意（不影响检查结果）：\n" + "\n".join(f"  - {n.format()}" for n in notices), file=sys.stderr)
    if problems:
        return 1
    elapsed = time.perf_counter() - started
    for e in editions:
        print(
            f"{e.id} 版：{len(e.domains)} 个领域、{len(e.ranked)} 个公开名次、{len(e.members)} 个未公布名次的入榜城市、"
            f"{len(e.meta.facts)} 条事实、{len(e.scores)} 行分数、{sum(c.meta.edition == e.id for c in cases)} 个案例"
        )
    print(f"检查通过（{elapsed:.2f} 秒）")
    return 0


def new_case(root: Path, city: str, domain: str, edition_id: str | None = None) -> int:
    """Write a filled-in skeleton for docs/cases/<city>-<domain>.md, bound to the newest edition
    that has the domain (or the one given)."""
    try:
        editions = {e.id: e for e in load_all(root)}
    except DataError as err:
        print(err.report(), file=sys.stderr)
        return 1
    if edition_id is not None and edition_id not in editions:
        print(f"没有 {edition_id} 年的版本。可用的有：{'、'.join(editions)}", file=sys.stderr)
        return 1
    latest = editions[list(editions)[-1]]
    by_name = {c.short_zh: c.id for c in latest.cities} | {c.name_zh: c.id for c in latest.cities}
    city = by_name.get(city, city)
    candidates = [editions[edition_id]] if edition_id else list(reversed(editions.values()))
    found = next(
        ((e, d.id) for e in candidates for d in e.domains if domain in (d.id, d.zh)),
        None,
    )
    errors = []
    if city not in latest.city_by_id:
        errors.append(f"城市“{city}”不在 data/cities.csv 中。{nearest(city, latest.city_by_id)}")
    if found is None:
        known = {d.id for e in candidates for d in e.domains} | {d.zh for e in candidates for d in e.domains}
        errors.append(f"领域“{domain}”不存在。{nearest(domain, known)}")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    edition, domain = found
    cases, _ = collect_cases(root, editions)
    same = next(
        (c for c in cases if (c.meta.edition, c.meta.city) == (edition.id, city) and domain in c.meta.domains), None
    )
    path = root / CASES_DIR / f"{city}-{domain}.md"
    if path.exists():  # another edition's case of this city and domain
        path = root / CASES_DIR / f"{city}-{domain}-{edition.id}.md"
    if same is not None or path.exists():
        shown = same.path if same is not None else path.relative_to(root)
        print(f"{shown} 已经存在（{edition.id} 年版本的同一城市、同一领域），没有新建。请直接编辑它。", file=sys.stderr)
        return 1
    c, d = latest.city_by_id[city], edition.domain_by_id[domain]
    path.write_text(
        SKELETON.format(edition=edition.id, city=city, domain=domain, name=c.short_zh, domain_zh=d.zh), encoding="utf-8"
    )
    print(
        f"已创建 {path.relative_to(root)}（{edition.id} 年版本）。填写标题、概括、来源和正文后，运行 make check 检查。"
    )
    return 0


USAGE = """用法：
  python -m macros check                 检查 data/ 中的全部数据文件和 docs/cases/ 中的案例文件（不构建网站）
  python -m macros new-case 城市 领域     新建一个案例文件，如：python -m macros new-case 深圳 数字政务
  python -m macros new-case 城市 领域 年份  指定版本，如：python -m macros new-case 长沙 数字低碳 2023"""
ARITY = {"check": (1,), "new-case": (3, 4)}  # words on the command line, the command included


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or len(argv) not in ARITY.get(argv[0], ()):  # argparse would answer in English
        print(USAGE, file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m macros", description="数字城市观察：数据与案例检查")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="检查 data/ 中的全部数据文件和 docs/cases/ 中的案例文件（不构建网站）")
    new = sub.add_parser("new-case", help="新建一个案例文件，如：python -m macros new-case shenzhen government")
    new.add_argument("city", help="城市编号（data/cities.csv 的 id）或中文名，如 shenzhen 或 深圳")
    new.add_argument("domain", help="领域编号或中文名，如 government 或 数字政务")
    new.add_argument("edition", nargs="?", help="版本年份；省略时用含有这个领域的最新版本")
    args = parser.parse_args(argv)
    root = project_root()
    if root is None:
        print(
            "这里不是本站的项目文件夹（找不到 mkdocs.yml 和 data/editions/）：请先 cd 到项目文件夹。", file=sys.stderr
        )
        return 2
    if args.command == "check":
        return check(root)
    return new_case(root, args.city, args.domain, args.edition)
