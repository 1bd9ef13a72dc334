"""Case files: valid ones are published and listed; bad ones stop the build with a Chinese message
naming file, line and field; untrusted content never executes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from macros.contrib import load_cases
from macros.problems import DataError
from tests.conftest import ROOT, article, build_site, editions, read_page

GOOD = """---
edition: 2020
city: wuhan
domains: [livelihood, governance]
title: 示例：社区服务一张网
summary: 一个用于测试的案例。
figures:
  - {label: 覆盖社区, value: 12, unit: 个}
sources:
  - {title: 测试来源, publisher: 测试, date: 2020-12, url: "https://example.org/a"}
---

## 做法

社区服务一张网，居民在手机上就能办。
"""


def write_case(project, name: str, text: str):
    path = project / "docs/cases" / name
    path.write_text(text, encoding="utf-8")
    return path


def case_problems(project) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_cases(project, editions(project))
    return [p.format() for p in caught.value.problems]


REPORT_CASES = {  # the exemplary cities the 2020 report names, by domain
    "government": {"shenzhen", "jinan", "jincheng"},
    "governance": {"shanghai", "hangzhou", "zhengzhou"},
    "livelihood": {"guangzhou", "fuzhou"},
    "innovation": {"beijing", "guiyang"},
    "infrastructure": {"chongqing", "huhehaote", "panzhihua"},
}


def test_every_case_file_loads_and_the_reports_cases_are_there():
    cases = load_cases(ROOT, editions(ROOT))
    files = [p for p in (ROOT / "docs/cases").glob("*.md") if p.name != "index.md"]
    assert len(cases) == len(files) > 0
    loaded = {(c.meta.city, d) for c in cases for d in c.meta.domains}
    assert {(city, d) for d, cities in REPORT_CASES.items() for city in cities} <= loaded


def test_case_figures_are_the_published_ones():
    cases = {c.slug: c for c in load_cases(ROOT, editions(ROOT))}
    assert [(f.label, f.value) for f in cases["shenzhen-government"].meta.figures] == [
        ("实现秒报秒批的政务服务事项", 54)
    ]
    assert [f.value for f in cases["hangzhou-governance"].meta.figures] == [11, 48, 155]
    assert [f.value for f in cases["jincheng-government"].meta.figures] == [66]


@pytest.mark.build
def test_a_new_case_is_published_and_listed(project):
    write_case(project, "wuhan-livelihood.md", GOOD)
    done = build_site(project)
    assert done.returncode == 0, done.stderr[-2000:]
    site = project / "site"
    page = article(read_page(site, "cases/wuhan-livelihood/"))
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True).startswith("示例：社区服务一张网")
    assert "第 11 名" in text  # published rank of 武汉, from ranking.csv
    assert "12 个" in text and "覆盖社区" in text
    assert page.select_one("figure#fig-2020-case-wuhan-profile")
    assert {a.get_text() for a in page.select("a[href*='2020/domains/']")} >= {"数字民生", "数字治理"}
    for listing in ["2020/domains/livelihood/", "2020/domains/governance/", "2020/cases/"]:
        links = [a["href"] for a in article(read_page(site, listing)).select("a[href]")]
        assert any("wuhan-livelihood" in href for href in links), listing
    # the navigation is pruned to the active section: the page finds itself under its edition's cases
    nav = read_page(site, "cases/wuhan-livelihood/").select_one("nav.md-nav--primary")
    for hidden in nav.select(".dco-visually-hidden"):  # a toggle's name, for assistive technology only
        hidden.decompose()
    active = [a.get_text(" ", strip=True) for a in nav.select(".md-nav__item--active > .md-nav__link")]
    assert active[1:4] == ["2020数字城市百强", "案例", "武汉 · 示例：社区服务一张网"], active


BAD_CASES = [
    ("yaml-broken.md", "---\ncity: wuhan\ndomains: [livelihood\ntitle: x\n---\n", "YAML 格式错误"),
    ("no-front-matter.md", "只有正文。\n", "文件开头缺少用 --- 包起来的信息区"),
    (
        "wuhan-livelihood.md",
        GOOD.replace("title: 示例：社区服务一张网\n", ""),
        "第 5 行，字段 title：缺少必填字段，应加在 summary 这一行之前",
    ),
    ("wuhan-livelihood.md", GOOD.replace("summary:", "colour: red\nsummary:"), "字段 colour：未知字段"),
    (
        "wuhan-livelihood.md",
        GOOD.replace("city: wuhan", "city: wuhna"),
        "第 3 行，字段 city：不是已知的城市编号（现在是 “wuhna”）。应为：最接近的是 wuhan",
    ),
    (
        "wuhan-livelihood.md",
        GOOD.replace("[livelihood, governance]", "[livelihood, goverment]"),
        "第 4 行，字段 domains：不是 2020 年版本的领域编号（现在是 “goverment”）。应为：最接近的是 government",
    ),
    (
        "wuhan-livelihood.md",
        GOOD.replace("value: 12", "value: 十二"),
        "第 8 行，字段 figures.value：不是数字（现在是 “十二”）",
    ),
    (
        "wuhan-livelihood.md",
        GOOD.replace(
            'sources:\n  - {title: 测试来源, publisher: 测试, date: 2020-12, url: "https://example.org/a"}\n',
            "sources: []\n",
        ),
        "字段 sources：不能为空",
    ),
    ("wuhan-livelihood.md", GOOD.replace("{title: 测试来源, ", "{"), "第 10 行，字段 sources.title：缺少必填字段"),
    (
        "wuhan-livelihood.md",
        GOOD.replace("https://example.org/a", "ftp://example.org/a"),
        "字段 sources.url：网址必须以 http:// 或 https:// 开头",
    ),
    ("wuhan-livelihood.md", GOOD.replace("https://example.org/a", "javascript:alert(1)"), "字段 sources.url："),
    (
        "shenzhen-government-2.md",
        GOOD.replace("city: wuhan", "city: shenzhen").replace("[livelihood, governance]", "[government]"),
        "同一城市同一领域的案例重复（docs/cases/shenzhen-government",
    ),
    (
        "wuhan-livelihood.md",
        GOOD.replace("社区服务一张网，居民", "社區服務一張網，居民"),
        "第 15 行，字段 正文：文字带有转载网站的错误：繁体字",
    ),
    (
        "wuhan-livelihood.md",
        GOOD.replace("title: 示例：社区服务一张网", "title: 數(shù)據(jù)服务"),
        "字后带括号拼音，如“數(shù)”",
    ),
    (
        "wuhan-livelihood.md",
        GOOD.replace("title: 示例：社区服务一张网", "title: 在这里写案例标题"),
        "字段 title：还是模板里的占位文字",
    ),
    (
        "wuhan-livelihood.md",
        GOOD.replace("社区服务一张网，居民在手机上就能办。", "<!-- 还没写 -->"),
        "第 13 行，字段 正文：正文还没有内容",
    ),
]


@pytest.mark.parametrize("name, text, message", BAD_CASES, ids=[m[:24] for _, _, m in BAD_CASES])
def test_a_bad_case_is_reported_with_its_message(project, name, text, message):
    write_case(project, name, text)
    found = case_problems(project)
    # a duplicate is reported on whichever of the two files comes second
    where = "docs/cases/" if "重复" in message else f"docs/cases/{name}"
    assert any(message in m and m.startswith(where) for m in found), found


@pytest.mark.build
@pytest.mark.parametrize("name, text, message", BAD_CASES, ids=[m[:24] for _, _, m in BAD_CASES])
def test_a_bad_case_stops_the_build_with_its_message(project, name, text, message):
    write_case(project, name, text)
    done = build_site(project)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr


def test_traditional_text_gets_the_corrected_text_suggested(project):
    write_case(project, "wuhan-livelihood.md", GOOD.replace("summary: 一个用于测试的案例。", "summary: 數字政務"))
    found = case_problems(project)
    assert any("建议改为“数字政务”" in m for m in found)


def test_check_command_reports_case_problems_in_chinese(project):
    write_case(project, "wuhan-livelihood.md", GOOD.replace("city: wuhan", "city: wuhna"))
    done = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 1
    assert "docs/cases/wuhan-livelihood.md 第 3 行，字段 city：不是已知的城市编号" in done.stderr
    assert "Traceback" not in done.stderr


def test_new_case_writes_a_skeleton_that_check_rejects_until_filled(project):
    done = subprocess.run(
        [sys.executable, "-m", "macros", "new-case", "武汉", "数字民生"], cwd=project, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    path = project / "docs/cases/wuhan-livelihood.md"
    # 数字民生 is a domain of 2020 only (2023's livelihood is 民生服务): the case belongs to 2020
    assert path.is_file() and "edition: 2020\ncity: wuhan\ndomains: [livelihood]" in path.read_text(encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
    assert check.returncode == 1 and "还是模板里的占位文字" in check.stderr and "正文还没有内容" in check.stderr
    # the same case again, named by ids: nothing is overwritten, and no second file of it is made
    again = subprocess.run(
        [sys.executable, "-m", "macros", "new-case", "wuhan", "livelihood", "2020"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 1 and "已经存在" in again.stderr, again.stdout + again.stderr
    assert sorted(p.name for p in (project / "docs/cases").glob("wuhan-*")) == ["wuhan-livelihood.md"]
    # without a year, the id names the newest edition that has it: a 2023 case beside the 2020 one
    newer = subprocess.run(
        [sys.executable, "-m", "macros", "new-case", "wuhan", "livelihood"], cwd=project, capture_output=True, text=True
    )
    assert newer.returncode == 0, newer.stderr
    assert "edition: 2023\n" in (project / "docs/cases/wuhan-livelihood-2023.md").read_text(encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
    assert "重复" not in check.stderr, check.stderr


INJECTION = GOOD.replace(
    "社区服务一张网，居民在手机上就能办。",
    """模板：{{ 7*7 }} 和 {% include "index.md" %} 和 {{ config.site_name }}。

<script>alert("x")</script>

<img src="x.png" onerror="alert(1)">

<iframe src="https://example.org/"></iframe>

[点我](javascript:alert(1)) <a href="#" onclick="alert(2)">也点我</a>

<img src="https://example.org/tracker.png">""",
)


@pytest.mark.build
def test_untrusted_content_shows_as_text_and_nothing_executes(project):
    write_case(project, "wuhan-livelihood.md", INJECTION)
    done = build_site(project)
    assert done.returncode == 0, done.stderr[-2000:]
    html = (project / "site/cases/wuhan-livelihood/index.html").read_text(encoding="utf-8")
    page = article(read_page(project / "site", "cases/wuhan-livelihood/"))
    text = page.get_text(" ", strip=True)
    assert "{{ 7*7 }}" in text and '{% include "index.md" %}' in text and "{{ config.site_name }}" in text
    assert "49" not in text
    assert 'alert("x")' not in html and "<iframe" not in html
    assert not [(t.name, a) for t in page.find_all(True) for a in t.attrs if a.startswith("on")]
    assert not [a["href"] for a in page.select("a[href]") if a["href"].strip().lower().startswith("javascript:")]
    assert "example.org/tracker.png" not in html
    assert page.select("script") == []
    removed = page.find(string=lambda s: s and "以下内容没有发布" in s)
    assert (
        removed
        and "<script> 标签" in removed
        and "<iframe> 标签" in removed
        and "链接“javascript:" in removed
        and "图片" in removed
    )


# ------------------------------------------------------------------------- the first message


def check_output(project) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)


@pytest.mark.parametrize(
    "old, new, field, nearest, typo",
    [
        ("domains: [livelihood, governance]", "domains: [livelyhood]", "domains", "livelihood", "livelyhood"),
        ("city: wuhan", "city: wuhna", "city", "wuhan", "wuhna"),
    ],
)
def test_a_typo_is_the_first_message_with_the_nearest_value_and_no_name_built_from_it(
    project, old, new, field, nearest, typo
):
    write_case(project, "wuhan-livelihood.md", GOOD.replace(old, new))
    done = check_output(project)
    lines = [line for line in done.stderr.splitlines() if line.startswith("  - ")]
    assert done.returncode == 1 and lines, done.stderr
    assert f"字段 {field}：" in lines[0] and f"最接近的是 {nearest}" in lines[0], lines
    # a file name is never suggested from the typo (wuhan-livelyhood.md, wuhna-livelihood.md)
    assert not any(f"{typo}-" in line or f"-{typo}" in line for line in lines), lines


def test_a_missing_field_is_reported_where_it_belongs(project):
    text = GOOD.replace("summary: 一个用于测试的案例。\n", "")
    write_case(project, "wuhan-livelihood.md", text)
    found = [m for m in case_problems(project) if "summary" in m]
    figures_line = text.splitlines().index("figures:") + 1  # the field after summary that the file has
    assert found and found[0].startswith(f"docs/cases/wuhan-livelihood.md 第 {figures_line} 行，字段 summary"), found
    assert "应加在 figures 这一行之前" in found[0]


def test_a_value_over_its_limit_names_the_limit(project):
    write_case(project, "wuhan-livelihood.md", GOOD.replace("title: 示例：社区服务一张网", "title: " + "长" * 61))
    found = [m for m in case_problems(project) if "字段 title" in m]
    assert found and "最多 60 个字符，现在 61 个" in found[0], found


def test_a_source_years_before_the_edition_is_pointed_out_without_stopping(project):
    text = GOOD.replace("edition: 2020", "edition: 2023").replace(
        "domains: [livelihood, governance]", "domains: [governance]"
    )
    write_case(project, "wuhan-governance.md", text)
    done = check_output(project)
    assert done.returncode == 0, done.stderr
    assert "请留意" in done.stderr and "字段 sources.date" in done.stderr and "对应的是 2020 年版本" in done.stderr
    write_case(project, "wuhan-governance.md", text.replace("date: 2020-12", "date: 2022-12"))  # the control
    assert "请留意" not in check_output(project).stderr


def test_on_github_each_problem_is_an_annotation_a_file_cannot_forge(project):
    forged = "示例\\n::notice title=审核::通过"  # a YAML escape: a real newline inside the title
    write_case(project, "wuhan-livelihood.md", GOOD.replace("title: 示例：社区服务一张网", f'title: "{forged}"'))
    write_case(project, "wuhan-economy.md", GOOD.replace("city: wuhan", "city: wuhna"))
    done = subprocess.run(
        [sys.executable, "-m", "macros", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": "true"},
    )
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert any(
        line.startswith("::error file=docs/cases/wuhan-economy.md,line=3,title=") and "最接近的是 wuhan" in line
        for line in commands
    ), commands
    assert all(line.startswith("::error ") for line in commands), commands  # no command of the file's own
    plain = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
    assert "::" not in plain.stdout  # elsewhere, no workflow commands
