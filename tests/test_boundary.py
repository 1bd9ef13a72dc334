"""The pull-request boundary beyond the case bodies: every file a pull request can change.

Each test tries one class of attack as a contributor could send it and checks that it is
stopped with a Chinese message naming file, line and field (or published inert), beside a
control showing the same path accepts an honest value, so that no defence passes by default.
"""

from __future__ import annotations

import subprocess
import sys
import time

import jinja2
import pytest

from macros import contrib, narrative, pagecheck
from macros.editions import load_all
from macros.problems import DataError, Problem
from macros.textcheck import refused_char
from tests import hostile
from tests.conftest import ROOT, build_site, edit, editions

PWN = '<img src=x onerror="window.__pwned=1">'


def check(project) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True, timeout=60
    )


def load_problems(project) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_all(project)
    return [p.format() for p in caught.value.problems]


# ------------------------------------------------------------------ docs/: pages and templates


def test_only_the_sites_own_files_and_case_files_may_live_in_docs(project):
    (project / "docs/cases/index.md").write_text("---\ntitle: x\n---\n{{ 7*7 }}\n", encoding="utf-8")
    (project / "docs/notes.md").write_text("{{ config }}\n", encoding="utf-8")
    (project / "docs/2020").mkdir()
    (project / "docs/2020/extra.md").write_text("x\n", encoding="utf-8")
    (project / "docs/page.html").write_text("<script>window.__pwned=1</script>", encoding="utf-8")
    (project / "docs/javascripts/more.js").write_text("// the site's own script\n", encoding="utf-8")  # control
    done = check(project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    for name in ("docs/cases/index.md", "docs/notes.md", "docs/2020/extra.md", "docs/page.html"):
        assert name in done.stderr, done.stderr
    assert "more.js" not in done.stderr
    assert "index.md 是本站自己的案例目录页的名字" in done.stderr


@pytest.mark.build
def test_a_pull_request_adding_cases_index_with_template_code_is_refused_by_the_build(project):
    payload = "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }} {{ 7*7 }}\n"
    (project / "docs/cases/index.md").write_text(payload, encoding="utf-8")
    done = build_site(project)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "docs/cases/index.md" in done.stderr
    assert not (project / "pwned").exists() and not (project / "site/index.html").exists()


class _Plugin:
    """The part of the mkdocs-macros plugin that `sandbox` touches."""

    def __init__(self):
        self._env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        self._env.globals["answer"] = lambda: 42

    @property
    def env(self):
        return self._env


def test_templates_run_in_jinja_sandbox():
    import macros

    escape = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    plugin = _Plugin()
    assert "object" in plugin.env.from_string("{{ ''.__class__.__mro__ }}").render()  # the control: open
    macros.sandbox(plugin)
    with pytest.raises(jinja2.exceptions.SecurityError):
        plugin.env.from_string(escape).render()
    assert plugin.env.from_string("{{ answer() }} {{ 7*7 }}").render() == "42 49"  # macros still work
    before = plugin.env
    macros.sandbox(plugin)
    assert plugin.env is before  # once per build


# -------------------------------------------------------------------------- data strings


E23 = "data/editions/2023/edition.yaml"
SOURCE_TITLE = "title: 2023数字百强市在中国国际数字经济博览会发布的报道"
TITLE = "title: 2023中国数字城市竞争力研究报告"
PUBLISHER = "publisher: 中国产业经济信息网"
LINK = "<link rel=stylesheet href=https://evil.example/a.css>"


@pytest.mark.parametrize(
    "path, old, new, field",
    [
        (E23, SOURCE_TITLE, f"title: '{PWN}'", "title"),
        (E23, PUBLISHER, f"publisher: '{LINK}'", "publisher"),
        (E23, TITLE, f"title: '报告{PWN}'", "title"),
        (E23, TITLE, "title: '![x](https://evil.example/a.png)'", "title"),
        ("data/regions.yaml", "zh: 东部", f"zh: '{PWN}'", "zh"),
        ("data/regions.yaml", "en: East", "en: 'East {: onclick=alert(1) }'", "en"),
        # no tag and no bracket, only a quote: it would leave a title="…" attribute
        (E23, PUBLISHER, """publisher: '网" onmouseover="alert(1)'""", "publisher"),
    ],
)
def test_markup_in_data_text_is_refused_with_file_line_and_field(project, path, old, new, field):
    edit(project / path, old, new)
    found = load_problems(project)
    assert any(path in p and f"{field}：" in p and "第 " in p for p in found), found


def test_data_text_accepts_plain_prose(project):
    edit(
        project / "data/editions/2023/edition.yaml",
        "publisher: 中国产业经济信息网",
        "publisher: 中国产业经济信息网（China Industrial Economy News, 100% 报道 & 评论）",
    )
    assert load_all(project)  # the control: prose with ordinary punctuation loads


def test_a_full_width_year_folder_is_not_an_edition(project):
    (project / "data/editions/２０２６").mkdir()
    found = load_problems(project)
    assert any("data/editions/２０２６" in p and "4 位半角数字" in p for p in found), found
    assert set(editions(ROOT)) == {"2020", "2022", "2023", "2024", "2025"}  # the control


def test_an_edition_id_in_full_width_digits_is_refused(project):
    edit(project / "data/editions/2025/edition.yaml", 'id: "2025"', 'id: "２０２５"')
    assert any("字段 id" in p for p in load_problems(project))


def test_two_editions_may_not_share_a_short_title(project):
    text = (project / "data/editions/2024/edition.yaml").read_text(encoding="utf-8")
    short = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("short_title:"))
    edit(project / "data/editions/2025/edition.yaml", "short_title: ", f"short_title: {short}\nx_old: ")
    found = load_problems(project)
    assert any("short_title" in p or "x_old" in p for p in found), found


@pytest.mark.parametrize(
    "path, old, new, field",
    [
        ("data/editions/2023/edition.yaml", "size: 100", "size: 1000000000000", "size"),
        ("data/editions/2020/domains.yaml", "weight: 1/6", "weight: 1e-100000000", "weight"),
        ("data/editions/2020/domains.yaml", "weight: 1/6", "weight: 123456789/987654321", "weight"),
    ],
)
def test_numbers_have_bounds_checked_before_use(project, path, old, new, field):
    edit(project / path, old, new)
    started = time.perf_counter()
    done = check(project)
    assert time.perf_counter() - started < 30
    assert done.returncode == 1 and f"{field}：" in done.stderr and "Traceback" not in done.stderr, done.stderr


# ---------------------------------------------------------------------------- characters

INVISIBLE = [
    "\u061c",
    "\u00ad",
    "\u3164",
    "\U000e0041",
    "\u180e",
    "\u2800",
    "\u115f",
    "\u034f",
    "\u202e",
    "\u200b",
    "\u2066",
]


@pytest.mark.parametrize("ch", INVISIBLE)
def test_invisible_and_bidi_characters_are_refused_by_name(ch):
    assert refused_char(f"数字{ch}城市") == (2, ch)


def test_prose_characters_are_allowed():
    for text in ("数字经济（2020）：“一网通办”——100%、①", "Digital Economy, café 30 km²", "全角\u3000空格"):
        assert refused_char(text) is None, text


def test_a_case_with_a_bidi_override_in_title_or_body_is_refused_naming_it(project):
    (project / "docs/cases/wuhan-livelihood.md").write_text(
        hostile.case("wuhan", "livelihood", "正文\u202e反转的文字。\n", title="标题\u2066隔离"), encoding="utf-8"
    )
    done = check(project)
    assert "U+202E" in done.stderr and "U+2066" in done.stderr and "正文" in done.stderr, done.stderr


# ------------------------------------------------------------------------------ costs


def test_a_body_of_brackets_at_the_size_cap_is_refused_in_seconds(project):
    body = "正文。\n\n" + "[" * (contrib.MAX_FILE_BYTES - 1000) + "\n"
    (project / "docs/cases/wuhan-livelihood.md").write_text(hostile.case("wuhan", "livelihood", body), encoding="utf-8")
    started = time.perf_counter()
    done = check(project)
    assert time.perf_counter() - started < 30
    assert "正文过于复杂" in done.stderr, done.stderr


def test_abbreviations_do_not_multiply_a_body():
    body = "".join(f"*[A{i}]: {'长' * 200}\n" for i in range(50)) + ("A1 " * 2000) + "\n"
    rendered, problems = contrib.render_limited(body, "x.md", 1)
    assert not problems and len(rendered.html) < 50_000
    assert "<abbr" not in rendered.html


def test_an_honest_body_renders_under_the_limits():
    rendered, problems = contrib.render_limited("## 做法\n\n一段**正文**。\n", "x.md", 1)
    assert not problems and "<strong>正文</strong>" in rendered.html


# ------------------------------------------------------------------- the site's own voice


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"title": "武汉位列数字百强市第1名"}, "名次"),
        ({"summary": "武汉排名全国前十。"}, "名次"),
        ({"source_title": "官方报告", "url": "https://ccidconsulting.com.evil.example/report"}, "看起来像官方网站"),
        ({"url": "https://wuhan-gov-cn.example/x"}, "看起来像官方网站"),
        ({"title": "武汉数字民生全国排行第一"}, "名次"),
        ({"summary": "百强冠军，位居全国第一，TOP10城市之首"}, "名次"),
        ({"summary": "全省第2的城市大脑"}, "名次"),
        ({"url": "https://www.gov.cn@evil.example/report"}, "用户名@"),
    ],
)
def test_a_case_may_not_speak_in_the_sites_voice(project, kwargs, needle):
    (project / "docs/cases/wuhan-livelihood.md").write_text(
        hostile.case("wuhan", "livelihood", "正文。\n", **kwargs), encoding="utf-8"
    )
    done = check(project)
    assert done.returncode == 1 and needle in done.stderr, done.stderr


def test_a_case_figure_counted_in_places_is_a_rank(project):
    text = hostile.case("wuhan", "livelihood", "正文。\n").replace(
        "sources:", "figures:\n  - {label: 全国数字城市百强, value: 1, unit: 名}\nsources:"
    )
    (project / "docs/cases/wuhan-livelihood.md").write_text(text, encoding="utf-8")
    assert "figures.unit" in check(project).stderr
    (project / "docs/cases/wuhan-livelihood.md").write_text(text.replace("unit: 名", "unit: 项"), encoding="utf-8")
    assert check(project).returncode == 0  # the control: a count is a count


def test_first_of_its_kind_is_not_a_rank():
    for honest in ("全国第一个城市大脑", "第一批试点城市", "建成第一个5G基站", "服务100万人"):
        assert not contrib.RANK_CLAIM.search(honest), honest


def test_a_case_may_not_tag_itself_with_a_basis_word(project):
    text = hostile.case("wuhan", "livelihood", "正文。\n").replace("sources:", "tags: [公布]\nsources:")
    (project / "docs/cases/wuhan-livelihood.md").write_text(text, encoding="utf-8")
    assert "本站标注数据性质的用词" in check(project).stderr


def test_an_honest_case_passes(project):
    (project / "docs/cases/wuhan-livelihood.md").write_text(
        hostile.case("wuhan", "livelihood", "正文。\n", url="https://www.wuhan.gov.cn/x"), encoding="utf-8"
    )
    done = check(project)
    assert done.returncode == 0, done.stderr


# ------------------------------------------------------------------------- inert output


def test_a_file_cannot_forge_a_log_line_or_an_annotation(project):
    (project / "docs/cases/wuhan-livelihood.md").write_text(
        hostile.case("wuhan", "livelihood", "正文。\n", title="标题\n::notice ::审核通过\x1b[32m"), encoding="utf-8"
    )
    done = check(project)
    assert done.returncode == 1
    assert not any(line.startswith("::") for line in (done.stdout + done.stderr).splitlines())
    assert "\x1b" not in done.stderr


def test_problems_are_printed_on_one_line_with_codes_for_what_cannot_be_seen():
    shown = Problem("a\nb.md", 1, "title", "x\r\n::error ::y\u202e", "坏").format()
    assert "\n" not in shown and "\r" not in shown and "\\u202e" in shown and "\\u000a" in shown


# ------------------------------------------------------------------------- edition prose


@pytest.mark.parametrize(
    "name, text, needle",
    [
        ("index.md", "一段文字。\n", "自动生成的页面的名字"),
        ("overview.md", "## __config\n\n文字。\n", "标题不能以 _ 开头"),
        ("overview.md", "见[这里](\njavascript:alert(1))。\n", "链接"),
        ("overview.md", "[][]\n\n[]: javascript:alert(1)\n", "链接"),
        ("overview.md", "---\ntitle: &a x\nsources: *a\n---\n文字。\n", "锚点"),
        ("overview.md", "---\ntitle: [a, [b]]\nsources: [[x]]\n---\n文字。\n", "title"),
        ("overview.md", "文字\u202e反转。\n", "U+202E"),
        ("overview.md", "数据来自报告。\n\n*[公布]: 本站模拟数据，并非报告公布\n", "缩写定义"),
        ("overview.md", "__config\n========\n\n文字。\n", "变成标题"),
        ("overview.md", "__search\n---\n\n文字。\n", "变成标题"),
    ],
)
def test_edition_prose_goes_through_the_boundary(project, name, text, needle):
    (project / "data/editions/2023/pages").mkdir(exist_ok=True)
    (project / "data/editions/2023/pages" / name).write_text(text, encoding="utf-8")
    done = check(project)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"data/editions/2023/pages/{name}" in done.stderr and needle in done.stderr, done.stderr


def test_honest_edition_prose_passes():
    problems = narrative.body_problems("x.md", "## 一节\n\n见[报告](https://example.org/a)。\n", 1)
    assert problems == []


# ----------------------------------------------------------------------- the page gate, CSP


@pytest.mark.parametrize(
    "html",
    [
        "<p>x</p><script>window.__pwned=1</script>",
        '<p onclick="x()">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="//evil.example/">x</a>',
        '<img src="https://evil.example/a.png">',
        '<link rel="stylesheet" href="https://evil.example/a.css">',
        '<h2 id="__config">x</h2>',
        '<div data-src="https://evil.example/rows.json"></div>',
        '<span style="background:url(https://evil.example/a.png)">x</span>',
        "<iframe src=x></iframe>",
    ],
)
def test_the_page_gate_names_what_is_outside_the_allow_list(html):
    assert pagecheck.markup_problems(html)


def test_the_page_gate_passes_the_sites_own_markup():
    html = (
        '<h2 id="典型案例">典型案例</h2><p><a href="../2020/" title="t">x</a> <a href="https://example.org/">y</a></p>'
        '<div class="dco-chart" data-vega-spec="{}" data-src="../rows.json" role="figure" aria-label="图">'
        '<svg viewbox="0 0 10 10" role="img"><g transform="x"><path d="M0 0" fill="#000"></path>'
        '<text font-size="10">文字</text></g></svg></div>'
        '<input type="radio" id="__tabbed_1_1" name="__tabbed_1" checked><label for="__tabbed_1_1">2020</label>'
        '<table><tr><th align="left">a</th></tr><tr><td align="right">1</td></tr></table>'
    )
    assert pagecheck.markup_problems(html) == []


def test_every_page_carries_a_policy_that_hashes_its_own_inline_scripts():
    page = '<html><head><meta charset="utf-8"><script>var a=1</script><script src="x.js"></script></head></html>'
    out = pagecheck.with_csp(page)
    policy = out.split('content="', 1)[1].split('"', 1)[0]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert pagecheck.inline_script_hashes(page)[0] in policy and policy.count("'sha256-") == 1
    assert out.index("Content-Security-Policy") < out.index("<script>")


@pytest.mark.build
def test_every_built_page_has_a_policy_and_no_inline_script_outside_it(built_site):
    from bs4 import BeautifulSoup

    pages = [p for p in built_site.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, path
        for h in pagecheck.inline_script_hashes(html):
            assert h in meta["content"], path
        body = soup.select_one("article")
        assert body is None or not body.find("script"), path


# ------------------------------------------------------------------------ source addresses
RANK_ROW = "1,shenzhen,https://enapp.chinadaily.com.cn/a/202101/18/AP6004bcc6a310f03332f93cc6.html,published,"


@pytest.mark.parametrize(
    "address, reason",
    [
        # attr_list reads braces after a Markdown link: a page-wide overlay from one CSV cell
        ("https://a.example/r?q=1){style=position:fixed;top:0;width:100vw;height:100vh}", "不能有空格、引号"),
        ("https://a.example/r?q=[x](javascript:alert(1))", "不能有空格、引号"),
        ("https://www.gov.cn@evil.example/report", "用户名@"),
        ("https://www.ccidconsulting.com.evil.example/2025/list.html", "看起来像官方网站"),
        ("https://a.example/" + "x" * 600, "网址太长"),
    ],
)
def test_a_source_address_is_a_plain_web_address(project, address, reason):
    edit(project / "data/editions/2020/ranking.csv", RANK_ROW, f"1,shenzhen,{address},published,")
    found = load_problems(project)
    assert any("ranking.csv" in p and "字段 source" in p and reason in p for p in found), found


def test_real_addresses_pass():
    from macros.addresses import address_problem

    for ok in (
        "https://enapp.chinadaily.com.cn/a/202101/18/AP6004bcc6a310f03332f93cc6.html",
        "http://zsnews.cn/news/index/view/cateid/35/id/712747.html",
        "http://6upfun.com/?id=20069",
        "https://www.miit.gov.cn/xwdt/art/2023/art_1.html#top",
        "https://www.ccidconsulting.com/report?id=1&a=%E4%B8%AD",
    ):
        assert address_problem(ok) is None, ok


# ---------------------------------------------------------------- beside the data's strings


def test_a_province_name_is_chinese_characters_only(project):
    edit(project / "data/regions.yaml", "provinces: [北京市,", "provinces: ['*某省*{style=position:fixed}', 北京市,")
    found = load_problems(project)
    assert any("regions.yaml" in p and "provinces" in p for p in found), found


def test_inline_styles_are_allow_listed():
    assert pagecheck.markup_problems('<span style="grid-row: 2; grid-column: 3">x</span>') == []  # the tiles'
    for style in (
        "background-image:image-set('https://evil.example/p.png')",
        "background:-webkit-image-set(url(x) 1x)",
        "position:fixed;top:0;width:100vw",
        "width: var(--x)",
    ):
        assert pagecheck.markup_problems(f'<span style="{style}">x</span>'), style


def test_published_scores_need_their_source(project):
    edit(project / "data/editions/2020/edition.yaml", "\nbasis: illustrative", "\nbasis: published")
    found = load_problems(project)
    assert any("scores_source" in p for p in found), found


def test_a_short_title_has_a_length(project):
    text = (project / "data/editions/2024/edition.yaml").read_text(encoding="utf-8")
    short = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("short_title:"))
    edit(project / "data/editions/2024/edition.yaml", f"short_title: {short}", "short_title: " + "长" * 20_000)
    found = load_problems(project)
    assert any("short_title" in p and "最多 30 个字符" in p for p in found), found


def test_oversized_data_files_are_refused_before_they_are_read(project):
    path = project / "data/editions/2020/ranking.csv"
    path.write_text(path.read_text(encoding="utf-8") + "#" * 2_100_000, encoding="utf-8")
    found = load_problems(project)
    assert any("ranking.csv" in p and "文件太大" in p for p in found), found


@pytest.mark.parametrize(
    "old, new, needle",
    [
        (RANK_ROW, RANK_ROW.replace("published,", "published," + "x" * 140_000), "CSV 格式错误"),  # over csv's limit
        ("rank,city,source,basis,rule", "rank,city,source,basis,rule" + ",x" * 40_000, "有 40005 列"),
    ],
)
def test_a_malformed_csv_is_a_chinese_message_in_time(project, old, new, needle):
    edit(project / "data/editions/2020/ranking.csv", old, new)
    started = time.perf_counter()
    found = load_problems(project)
    assert time.perf_counter() - started < 10  # not the quadratic count of a huge header
    assert any(needle in p for p in found) and len(found) < 10, found[:5]


def test_the_top_folders_may_not_be_links(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (project / "data").rename(elsewhere)
    (project / "data").symlink_to(elsewhere, target_is_directory=True)
    done = check(project)
    assert done.returncode != 0 and "data" in done.stderr and "符号链接" in done.stderr, done.stderr


def test_the_bodies_of_one_check_share_a_time_budget():
    with contrib.render_budget(60):
        rendered, problems = contrib.render_limited("正文。", "x.md", 1)
        assert rendered is not None and not problems  # the control: an honest body, well in budget
    with contrib.render_budget(0):
        rendered, problems = contrib.render_limited("正文。", "x.md", 1)
    assert rendered is None and "渲染时间已超过" in problems[0].message
    assert contrib.render_limited("正文。", "x.md", 1)[0] is not None  # outside a check, no budget
