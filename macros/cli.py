"""Command line: `python -m macros check` and `python -m macros new-case CITY DOMAIN`.

The same core the site build uses, without MkDocs: fast enough to run before every commit.
Problems are printed as plain Chinese lines, never as a traceback; the exit code is 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .consistency import check_consistency, report_exemplars
from .contrib import CASES_DIR, collect_cases, removed_problems
from .editions import edition_ids, load_edition, nearest
from .problems import DataError
from .scoring import compute_results

SKELETON = """---
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


def project_root() -> Path:
    """The folder holding mkdocs.yml: the current one or one of its parents."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    return here


def check(root: Path) -> int:
    """Validate every edition and, against the latest, every case file."""
    started = time.perf_counter()
    problems = []
    summaries = []
    ids = edition_ids(root)
    for edition_id in ids:
        try:
            edition = load_edition(root, edition_id)
        except DataError as err:
            problems += err.problems
            continue
        cases = ()
        if edition_id == ids[-1]:
            cases, found = collect_cases(root, edition)
            problems += found
            for case in cases:  # the build would publish these without what is removed
                problems += removed_problems(case)
        problems += check_consistency(compute_results(edition), report_exemplars(cases, edition))
        summaries.append(
            f"{edition_id} 版：{len(edition.cities)} 个城市、"
            f"{len(edition.scores)} 行分数、{len(edition.ranking)} 个公开名次"
        )
        if edition_id == ids[-1]:
            summaries.append(f"案例：{len(cases)} 个文件")
    if problems:
        print(DataError(problems).report(), file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    for line in summaries:
        print(line)
    print(f"检查通过（{elapsed:.2f} 秒）")
    return 0


def new_case(root: Path, city: str, domain: str) -> int:
    """Write a filled-in skeleton for docs/cases/<city>-<domain>.md."""
    ids = edition_ids(root)
    try:
        edition = load_edition(root, ids[-1])
    except DataError as err:
        print(err.report(), file=sys.stderr)
        return 1
    by_name = {c.short_zh: c.id for c in edition.cities} | {c.name_zh: c.id for c in edition.cities}
    city = by_name.get(city, city)
    by_zh = {d.zh: d.id for d in edition.domains}
    domain = by_zh.get(domain, domain)
    errors = []
    if city not in edition.city_by_id:
        errors.append(f"城市“{city}”不在 data/cities.csv 中。{nearest(city, edition.city_by_id)}")
    if domain not in edition.domain_by_id:
        errors.append(f"领域“{domain}”不存在。{nearest(domain, edition.domain_by_id)}")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    path = root / CASES_DIR / f"{city}-{domain}.md"
    if path.exists():
        print(f"{path.relative_to(root)} 已经存在，没有覆盖。请直接编辑它。", file=sys.stderr)
        return 1
    c, d = edition.city_by_id[city], edition.domain_by_id[domain]
    path.write_text(SKELETON.format(city=city, domain=domain, name=c.short_zh, domain_zh=d.zh), encoding="utf-8")
    print(f"已创建 {path.relative_to(root)}。填写标题、概括、来源和正文后，运行 make check 检查。")
    return 0


USAGE = """用法：
  python -m macros check                 检查 data/ 中的全部数据文件和 docs/cases/ 中的案例文件（不构建网站）
  python -m macros new-case 城市 领域     新建一个案例文件，如：python -m macros new-case 深圳 数字政务"""
ARITY = {"check": 1, "new-case": 3}  # words on the command line, the command included


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or ARITY.get(argv[0]) != len(argv):  # argparse would answer in English
        print(USAGE, file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m macros", description="数字城市观察：数据与案例检查")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="检查 data/ 中的全部数据文件和 docs/cases/ 中的案例文件（不构建网站）")
    new = sub.add_parser("new-case", help="新建一个案例文件，如：python -m macros new-case shenzhen government")
    new.add_argument("city", help="城市编号（data/cities.csv 的 id）或中文名，如 shenzhen 或 深圳")
    new.add_argument("domain", help="领域编号或中文名，如 government 或 数字政务")
    args = parser.parse_args(argv)
    root = project_root()
    if args.command == "check":
        return check(root)
    return new_case(root, args.city, args.domain)
