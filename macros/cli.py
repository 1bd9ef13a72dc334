"""Command line: `python -m macros check` and `python -m macros new-case CITY DOMAIN`.

The same core the site build uses, without MkDocs: fast enough to run before every commit.
Problems are printed as plain Chinese lines, never as a traceback; the exit code is 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .consistency import check_consistency
from .editions import edition_ids, load_edition
from .problems import DataError
from .scoring import compute_results


def project_root() -> Path:
    """The folder holding mkdocs.yml: the current one or one of its parents."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    return here


def check(root: Path) -> int:
    started = time.perf_counter()
    problems = []
    summaries = []
    for edition_id in edition_ids(root):
        try:
            edition = load_edition(root, edition_id)
        except DataError as err:
            problems += err.problems
            continue
        found = check_consistency(compute_results(edition))
        problems += found
        summaries.append(f"{edition_id} 版：{len(edition.cities)} 个城市、{len(edition.scores)} 行分数、{len(edition.ranking)} 个公开名次")
    if problems:
        print(DataError(problems).report(), file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    for line in summaries:
        print(line)
    print(f"检查通过（{elapsed:.2f} 秒）")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description="数字城市观察：数据与案例检查")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="检查 data/ 中的全部数据文件（不构建网站）")
    args = parser.parse_args(argv)
    root = project_root()
    if args.command == "check":
        return check(root)
    return 2
