"""The contribution boundary (macros/contrib.py), tried as an attacker would: inert text, URLs as a
browser reads them, the body's allow-lists, the folder, YAML, and `make check` catching it all."""

from __future__ import annotations

import re
import subprocess
import sys

import markdown
import pytest
from bs4 import BeautifulSoup

from macros import contrib
from macros.contrib import load_cases, removed_problems, render_body, text, url_kind
from macros.problems import DataError
from tests import hostile
from tests.conftest import ROOT, build_site, editions

HOSTILE_TEXT = [
    "[点我](javascript:alert(1))",
    "**粗** _斜_ `代码` ~~删~~",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt; &amp; &#60;",
    "# 标题 > 引用 - 列表 + 加 1. 有序",
    "![图](https://evil.example/a.png)",
    "{{ 7*7 }} {% if 1 %}x{% endif %}",
    "| 表 | 格 |",
    "*[HTML]: 缩写",
    "!!! note",
    "<!-- 注释 --> --> <!--",
    "\\[转义\\] \\\\ \\*",
    "https://evil.example/auto <https://evil.example/x>",
    "a\n\n    缩进代码\n===",
    '" onmouseover="alert(1)" \'',
]


def markdown_site() -> markdown.Markdown:
    """The site's Markdown, as mkdocs.yml configures it (the extensions that read inline text)."""
    return markdown.Markdown(
        extensions=[
            "abbr",
            "admonition",
            "attr_list",
            "md_in_html",
            "tables",
            "toc",
            "pymdownx.details",
            "pymdownx.superfences",
        ]
    )


@pytest.mark.parametrize("value", HOSTILE_TEXT)
@pytest.mark.parametrize("context", ["paragraph", "link-text", "heading", "table-cell", "raw-html"])
def test_contributed_text_stays_text_in_every_context(value, context):
    """Written with `text()`, any string reads back as exactly itself (whitespace collapsed),
    with no element of its own, wherever a page puts it."""
    t = text(value)
    source = {
        "paragraph": f"前 {t} 后",
        "link-text": f"- **[{t}](https://example.org/)**",
        "heading": f"# {t}",
        "table-cell": f"| 列 |\n| -- |\n| {t} |",
        "raw-html": f'<p class="x">{t}</p>',
    }[context]
    soup = BeautifulSoup(markdown_site().convert(source), "html.parser")
    tags = {tag.name for tag in soup.find_all(True)}
    assert tags <= {"p", "ul", "li", "strong", "a", "h1", "table", "thead", "tbody", "tr", "th", "td"}, tags
    assert not any(a["href"] != "https://example.org/" for a in soup.select("a[href]"))
    shown = soup.get_text(" ")
    assert " ".join(value.split()) in " ".join(shown.split())


WEB = [
    "https://example.org/a",
    "HTTP://example.org",
    " https://example.org/ ",
    "https:\\\\example.org/a",
    "ht\ttps://example.org",
    "\x01https://example.org",
]
ANCHOR = ["#做法", " #x", "#"]
OTHER = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    " \x01javascript:x",
    "data:text/html,x",
    "vbscript:x",
    "//evil.example/x.png",
    "\\\\evil.example/x.png",
    "/\\evil.example/x.png",
    "https:evil.example",
    "../domains/economy.md",
    "/etc/passwd",
    "file:///etc/passwd",
    "mailto:a@b.c",
    "",
]


@pytest.mark.parametrize("url", WEB)
def test_web_addresses_are_recognised_as_a_browser_reads_them(url):
    assert url_kind(url) == "web"
    assert contrib.safe_url(url).startswith(("http://", "https://", "HTTP://"))


@pytest.mark.parametrize("url", ANCHOR)
def test_anchors_stay_on_the_page(url):
    assert url_kind(url) == "anchor"


@pytest.mark.parametrize("url", OTHER)
def test_every_other_address_is_refused(url):
    assert url_kind(url) == "other"
    assert contrib.safe_url(url) is None
    assert contrib.link("x", url) == "x"


@pytest.mark.parametrize("name", list(hostile.BODIES))
def test_a_hostile_body_renders_to_nothing_that_runs_or_loads(name):
    body = render_body(hostile.BODIES[name])
    soup = BeautifulSoup(body.html, "html.parser")
    elements = soup.find_all(True)
    assert {e.name for e in elements} <= contrib.ALLOWED_TAGS
    for e in elements:
        for attr, value in e.attrs.items():
            assert not attr.startswith("on"), (e.name, attr)
            assert attr in {
                "id",
                "title",
                "lang",
                "href",
                "align",
                "colspan",
                "rowspan",
                "start",
                "open",
                "class",
                "rel",
            }, attr
            if attr == "id":
                assert value.startswith(contrib.ID_PREFIX), value
            if attr == "href":
                assert url_kind(value) == "web" or value == "#" or value.startswith("#" + contrib.ID_PREFIX), value
            if attr == "class":
                allowed = contrib.ALLOWED_CLASSES.get(e.name, set())
                assert set(value) <= allowed, (e.name, value)
    assert not soup.select("img, [src], [style], [srcset], [name]")
    assert "mermaid" not in str([e.get("class") for e in elements])


def test_what_is_removed_is_named_and_benign_markdown_is_not():
    benign = render_body(
        '# 一级标题\n\n## 做法\n\n| 左 | 右 |\n|:--|--:|\n| 1 | 2 |\n\n!!! tip "提示"\n    内容\n\n'
        "```python\nprint(1)\n```\n\n[链接](https://example.org/) [锚点](#做法)\n\n*[HTML]: 超文本\n\nHTML\n"
    )
    assert benign.removed == ()
    soup = BeautifulSoup(benign.html, "html.parser")
    assert [h.name for h in soup.select("h2")] == ["h2", "h2"]  # `#` becomes a section heading
    assert soup.select_one("th")["align"] == "left" and soup.select_one("div.admonition.tip")
    assert soup.select_one("a[href='#case-做法']") and soup.select_one("h2#case-做法")
    assert [e.id for e in benign.toc] == ["case-一级标题", "case-做法"]
    labels = [r.label for r in render_body(hostile.BODIES["other-loads"]).removed]
    assert "<iframe> 标签" in labels and "style 属性（<p>）" in labels and "ping 属性（<a>）" in labels


def test_templates_in_a_body_are_shown_as_written():
    html = render_body(hostile.BODIES["templates"]).html
    assert "{{ 7*7 }}" in html and "{% include" in html and "49" not in html


# ------------------------------------------------------------------------------ the folder


def write(project, name: str, content: str | bytes):
    path = project / "docs/cases" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def problems_of(project) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_cases(project, editions(project))
    return [p.format() for p in caught.value.problems]


FOLDER_CASES = {
    "symlink-md": lambda p: (p / "docs/cases/wuhan-livelihood.md").symlink_to("/proc/self/environ"),
    "symlink-other": lambda p: (p / "docs/cases/env.txt").symlink_to("/etc/passwd"),
    "symlink-outside-cases": lambda p: (p / "docs/javascripts/env.js").symlink_to("/proc/self/environ"),
    "html-file": lambda p: write(p, "page.html", "<script>window.__pwned=1</script>"),
    "markdown-extension": lambda p: write(p, "wuhan-livelihood.markdown", "---\nrender_macros: true\n---\n{{ 7*7 }}\n"),
    "image-file": lambda p: write(p, "photo.png", b"\x89PNG\r\n"),
    "subfolder": lambda p: write(p, "sub/wuhan-livelihood.md", "---\nrender_macros: true\n---\n{{ 7*7 }}\n"),
}


@pytest.mark.parametrize("name", list(FOLDER_CASES))
def test_the_cases_folder_holds_regular_md_files_only(project, name):
    FOLDER_CASES[name](project)
    found = problems_of(project)
    assert len(found) == 1, found
    assert re.search("符号链接|只能有 .md 案例文件|不能有子文件夹", found[0]), found


@pytest.mark.build
def test_the_build_refuses_the_folder_and_publishes_nothing(project):
    for make in FOLDER_CASES.values():
        make(project)
    done = build_site(project)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.count("符号链接") == 3 and "不能有子文件夹" in done.stderr
    assert not (project / "site" / "index.html").exists()


def test_contributed_pages_are_never_templates():
    assert contrib.is_contributed("cases/wuhan-livelihood.md")
    assert contrib.is_contributed("cases/sub/x.md") and contrib.is_contributed("cases/x.markdown")
    # cases/index.md is the name of the site's own cases index: a contribution taking it is refused
    assert contrib.is_contributed("cases/index.md") and not contrib.is_contributed("index.md")


# ------------------------------------------------------------------------------------ YAML

GOOD = hostile.case("wuhan", "livelihood", "正文。\n")


@pytest.mark.parametrize(
    "text_, message",
    [
        (hostile.ALIAS_BOMB, "第 2 行：使用了 YAML 锚点（&）或别名（*）"),
        (GOOD.replace("city: wuhan", "city: &c wuhan\nx: *c"), "使用了 YAML 锚点"),
        (GOOD.replace("city: wuhan", "city: " + "[" * 40 + "]" * 40), "嵌套超过"),
        (GOOD.replace("city: wuhan", "city: " + "9" * 5000), "有无法读取的值"),
        (GOOD.replace('title: "测试案例"', "title: " + "长" * 9000), "信息区太长"),
        (GOOD + "正文" * 60_000, "文件太大"),
        (hostile.TAG_INJECTION, "标签只能由汉字、字母、数字"),
    ],
    ids=["alias-bomb", "anchor", "nesting", "huge-int", "long-front-matter", "large-file", "tag"],
)
def test_hostile_yaml_is_refused_with_a_message(project, text_, message):
    write(project, "wuhan-livelihood.md", text_)
    found = problems_of(project)
    assert any(message in m and m.startswith("docs/cases/wuhan-livelihood.md") for m in found), found


def test_check_refuses_an_alias_bomb_without_hanging(project):
    write(project, "wuhan-livelihood.md", hostile.ALIAS_BOMB)
    done = subprocess.run(
        [sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and "使用了 YAML 锚点" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", list(hostile.REFUSED))
def test_hostile_front_matter_is_refused(project, name):
    fields, message = hostile.REFUSED[name]
    write(project, "wuhan-livelihood.md", hostile.case("wuhan", "livelihood", "正文。\n", **fields))
    found = problems_of(project)
    assert any(message in m for m in found), found


# ------------------------------------------------------------------------ `make check` finds it all


def test_check_reports_every_hostile_body_before_any_build(project):
    """Every hostile body the build would publish sanitised is reported by check, as is every
    refused front matter; only what is harmless as written passes (templates shown as text,
    Markdown that Markdown itself escapes, Markdown-looking front matter written inert)."""
    harmless = {"templates", "markdown-tricks"}
    files = hostile.publishable()
    for name, text_ in files.items():
        write(project, name, text_)
    for city, (fields, _) in zip(hostile.CITIES, hostile.REFUSED.values()):
        write(project, f"{city}-economy.md", hostile.case(city, "economy", "正文。\n", **fields))
    done = subprocess.run(
        [sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    flagged = set(re.findall(r"docs/cases/([\w-]+)\.md", done.stderr))
    cities = iter(hostile.CITIES)
    bodies = {next(cities): name for name in hostile.BODIES}
    expected = {f"{city}-livelihood" for city, name in bodies.items() if name not in harmless}
    assert expected <= flagged, expected - flagged
    assert not {f"{city}-livelihood" for city, name in bodies.items() if name in harmless} & flagged
    refused = {f"{city}-economy" for city, _ in zip(hostile.CITIES, hostile.REFUSED)}
    assert refused <= flagged, refused - flagged
    assert done.stderr.startswith("发现") and "错误的数字不能发布" not in done.stderr.splitlines()[0]


def test_removed_content_is_reported_with_its_line(project):
    write(project, "wuhan-livelihood.md", GOOD + '\n第二段。\n\n<iframe src="https://evil.example/"></iframe>\n')
    case = next(c for c in load_cases(project, editions(project)) if c.slug == "wuhan-livelihood")
    found = [p.format() for p in removed_problems(case)]
    assert found == [
        "docs/cases/wuhan-livelihood.md 第 15 行，字段 正文：<iframe> 标签不会发布。"
        "应为：案例正文只能用 Markdown 和简单的文字格式"
    ]


def test_placeholders_of_the_skeleton_are_all_caught(project):
    done = subprocess.run(
        [sys.executable, "-m", "macros", "new-case", "武汉", "数字民生"], cwd=project, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    skeleton = (project / "docs/cases/wuhan-livelihood.md").read_text(encoding="utf-8")
    found = problems_of(project)
    placeholders = [m for m in found if "还是模板里的占位文字" in m]
    fields = {m.split("字段 ")[1].split("：")[0] for m in placeholders}
    assert {"title", "summary", "sources.title", "sources.publisher"} <= fields, found
    assert "publisher: 发布者" in skeleton


def test_the_real_cases_pass_the_boundary_untouched():
    cases = load_cases(ROOT, editions(ROOT))
    assert cases and all(c.body.removed == () for c in cases)


@pytest.mark.build
def test_check_finds_what_the_build_would_and_the_build_warns_in_nothing_else(project):
    """A footnote is kept; a relative link is reported by check (in Chinese, with its line) and
    left out of the page; MkDocs itself never reads the body, so it has nothing to warn about."""
    write(
        project,
        "wuhan-livelihood.md",
        GOOD + "做法见文件[^1]，也见[排名](../2020/ranking.md)。\n\n[^1]: 来源说明。\n",
    )
    check = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
    assert check.returncode == 1
    assert "docs/cases/wuhan-livelihood.md 第 12 行，字段 正文：链接“../2020/ranking.md”不会发布" in check.stderr
    done = build_site(project)
    assert done.returncode == 0 and "WARNING" not in done.stderr, done.stderr[-2000:]
    page = BeautifulSoup(
        (project / "site/cases/wuhan-livelihood/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    body = page.select_one("article")
    assert body.select_one("a.footnote-ref[href='#case-fn:1']") and body.select_one("li#case-fn\\:1")
    assert not body.select("a[href*='ranking']") and "已移除的内容" in body.get_text()
