"""Hostile case files: what a contributor could try, for the unit, build and browser tests.

Every payload, if it ran, would set `window.__pwned`, open a dialog or request a file from
`evil.example` (a host that must never be contacted). `PUBLISHABLE` pass validation and are
built (sanitised), so the browser can prove nothing runs; `REFUSED` are stopped by validation.
Each must be reported by `python -m macros check`.
"""

from __future__ import annotations

import json

PWN = "window.__pwned=1"

FRONT = """---
edition: 2020
city: {city}
domains: [{domain}]
title: {title}
summary: {summary}
sources:
  - {{title: {source_title}, publisher: {publisher}, date: 2020-12, url: {url}}}
---

"""


def case(
    city: str,
    domain: str,
    body: str,
    *,
    title="测试案例",
    summary="测试用的案例。",
    source_title="来源",
    publisher="测试",
    url="https://example.org/a",
) -> str:
    q = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731 - a YAML double-quoted string
    return (
        FRONT.format(
            city=city,
            domain=domain,
            title=q(title),
            summary=q(summary),
            source_title=q(source_title),
            publisher=q(publisher),
            url=q(url),
        )
        + body
    )


# Markdown and HTML in a case body. Each name says what it tries.
BODIES = {
    "script-tags": (
        f"正文。\n\n<script>{PWN}</script>\n\n<svg><script>{PWN}</script></svg>\n\n"
        f'<math><mi xlink:href="javascript:{PWN}">x</mi></math>\n'
    ),
    "event-handlers": (
        f'<p onclick="{PWN}" onmouseover="{PWN}">移上来</p>\n\n'
        f'<details open ontoggle="{PWN}"><summary>x</summary>y</details>\n\n'
        f'<b onfocus="{PWN}" tabindex="1" autofocus>焦点</b>\n'
    ),
    "javascript-links": (
        f'[点我](javascript:{PWN})\n\n<a href="JaVaScRiPt:{PWN}">大小写</a>\n\n'
        f'<a href="java&#x09;script:{PWN}">编码的制表符</a>\n\n'
        f'<a href=" &#1;javascript:{PWN}">前导控制字符</a>\n\n'
        f'<a href="data:text/html,<script>{PWN}</script>">data</a>\n\n<a href="vbscript:{PWN}">vb</a>\n\n'
        f'[引用式][r]\n\n[r]: javascript:{PWN}\n\n<a href="java\nscript:{PWN}">换行</a>\n'
    ),
    "foreign-images": (
        '![a](https://evil.example/a.png)\n\n![b](//evil.example/b.png)\n\n<img src="\\\\evil.example/c.png">\n\n'
        '<img src="/\\evil.example/d.png">\n\n<img src="ht&#x09;tps://evil.example/e.png">\n\n'
        '<img src=" https://evil.example/f.png ">\n\n<img srcset="https://evil.example/g.png 1x">\n\n'
        '<img src="x" onerror="' + PWN + '">\n\n<img src="https:\\\\evil.example/h.png">\n'
    ),
    "other-loads": (
        '<link rel="stylesheet" href="https://evil.example/s.css">\n\n'
        "<style>@import url(https://evil.example/t.css);</style>\n\n"
        '<p style="background:url(https://evil.example/u.png)">背景</p>\n\n'
        '<iframe src="https://evil.example/"></iframe>\n\n'
        '<object data="https://evil.example/o"></object>\n\n<embed src="https://evil.example/e">\n\n'
        '<video poster="https://evil.example/v.png" src="https://evil.example/v.mp4"></video>\n\n'
        '<audio src="https://evil.example/a.mp3" autoplay></audio>\n\n'
        '<table background="https://evil.example/t.png"><tr><td>x</td></tr></table>\n\n'
        '<input type="image" src="https://evil.example/i.png">\n\n'
        '<a href="https://example.org/" ping="https://evil.example/p">ping</a>\n\n'
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">\n\n<base href="https://evil.example/">\n\n'
        '<form action="https://evil.example/f"><button>提交</button></form>\n'
    ),
    "clobbering": (
        '<div id="__config">{"base": "https://evil.example/", "features": [], "search": "x.js"}</div>\n\n'
        '<a id="dco" href="#">dco</a>\n\n<img name="vegaEmbed">\n\n<form name="document$"></form>\n\n'
        '<a href="#__search">搜索</a>\n\n<p id="__search">x</p>\n\n'
        '# __drawer\n\n## __toc\n\n<div id="vegaEmbed">v</div>\n'
    ),
    "theme-classes": (
        '<pre class="mermaid">graph TD; A-->B</pre>\n\n<div class="mermaid">graph TD; C-->D</div>\n\n'
        '```mermaid\ngraph TD; E-->F\n```\n\n<div class="arithmatex">\\(x\\)</div>\n\n'
        '<div class="md-dialog md-search" data-md-component="search">组件</div>\n\n'
        '<span class="twemoji">x</span>\n'
    ),
    "templates": (
        '模板：{{ 7*7 }} 和 {% include "/etc/passwd" %} 和 {{ config.site_name }}。\n\n'
        "{{ lipsum.__globals__['os'].popen('id').read() }}\n\n{% for x in range(10**9) %}{% endfor %}\n"
    ),
    "markdown-tricks": (
        f'[x](https://example.org "t\\" onmouseover=\\"{PWN}")\n\n<https://evil.example/auto>\n\n'
        f"*[HTML]: <img src=x onerror={PWN}>\n\nHTML 缩写。\n\n"
        f'!!! note "<img src=x onerror={PWN}>"\n    提示\n'
    ),
}

# Front-matter fields that pass validation: Markdown-looking text, written as inert text on every
# page that shows it (the cases index, the domain pages, other cases' related lists).
FRONT_MATTER = {
    "title-markdown": dict(title="**粗** _斜_ [方括号] 和 (圆括号) #号 !感叹号 *[缩写]: x"),
    "summary-markdown": dict(
        summary="# 标题 - 列表 1. 有序 | 表格 | !!! note ??? tip ~~删~~ --- [^1]: 脚注 [x]: /etc/passwd"
    ),
    "source-fields": dict(source_title="![图] [x] *强调*", publisher="[发布者] #1"),
    "source-url-query": dict(url="https://example.org/a?b=1&c=%22%3Cscript%3E#x"),
}

# Front matter that validation refuses: (fields, the message that names the problem).
REFUSED = {
    "title-link": (dict(title=f"[点我](javascript:{PWN})"), "不能写链接"),
    "summary-link": (dict(summary="概括 ![i] (https://evil.example/s.png)"), "不能写链接"),
    "source-title-link": (dict(source_title=f"[来源](javascript:{PWN})"), "不能写链接"),
    "url-breakout": (dict(url=f"https://example.org/a)[x](javascript:{PWN}"), "sources.url"),
    "title-tag": (dict(title=f"<img src=x onerror={PWN}>"), "只能是一行纯文本"),
    "summary-entity": (dict(summary="&lt;/title&gt;&lt;script&gt;"), "只能是一行纯文本"),
    "publisher-tag": (dict(publisher=f"<script>{PWN}</script>"), "只能是一行纯文本"),
    "title-bidi": (dict(title="测试\u202e案例"), "只能是一行纯文本"),
    "title-quote": (dict(title='测试" onmouseover="x'), "只能是一行纯文本"),
    "url-javascript": (dict(url=f"javascript:{PWN}"), "sources.url"),
    "url-data": (dict(url="data:text/html,x"), "sources.url"),
}

# Whole files that never reach validation of their fields.
ALIAS_BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
city: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---

正文。
"""
TAG_INJECTION = """---
edition: 2020
city: wuhan
domains: [livelihood]
title: 标签
summary: 标签测试。
tags: ["<img src=x onerror=window.__pwned=1>"]
sources:
  - {title: 来源}
---

正文。
"""

# Cities without a case in the real data, one per publishable hostile file.
CITIES = [
    "wuhan",
    "suzhou",
    "xian",
    "foshan",
    "shenyang",
    "wuxi",
    "ningbo",
    "xiamen",
    "longyan",
    "jiangmen",
    "haerbin",
    "yangzhou",
    "nantong",
    "nanning",
]


def publishable() -> dict[str, str]:
    """File name -> text of every hostile case that passes validation (one city each)."""
    out = {}
    cities = iter(CITIES)
    for body in BODIES.values():
        city = next(cities)
        out[f"{city}-livelihood.md"] = case(city, "livelihood", body)
    for fields in FRONT_MATTER.values():
        city = next(cities)
        out[f"{city}-livelihood.md"] = case(city, "livelihood", "正文。\n", **fields)
    return out


# ------------------------------------------------------------------ beside the case folder
# Data text and edition prose come in pull requests too. These pass validation (their
# punctuation is ordinary prose); the browser tests show they are published inert wherever the
# site writes them: overview cards, fact lists, source lists, province tiles, chart titles.

# (file, the text replaced, what replaces it)
DATA_TEXT = [
    (
        "data/editions/2023/edition.yaml",
        "statement: 河北有 {value} 个城市进入百强。",
        "statement: \"河北有 {value} 个城市进入百强 *强调* _下划线_ | 竖线 & 'x' #号 !感叹 "
        'javascript:x &lt;script&gt;"',
    ),
    (
        "data/editions/2023/edition.yaml",
        "note: 转载于第三方网站，引用时注明赛迪观点。",
        'note: "转载 **粗体** ~~删~~ &#60;img src=x onerror=window.__pwned=1&#62; (https://evil.example/n.png)"',
    ),
    ("data/regions.yaml", "en: East", "en: \"East & 'x' | *x* _y_ javascript:x\""),
]

# data/editions/2023/pages/<name> -> text: Markdown that passes the narrative checks
PROSE = {
    "overview.md": (
        "本届的概述 *强调* 与 **粗体**。\n\n"
        '[标题属性](https://example.org/a "t\\" onmouseover=\\"window.__pwned=1")\n\n'
        "https://evil.example/bare 只是文字，[这个](https://evil.example/x) 只是链接。\n\n"
        "| 表 | 格 |\n|---|---|\n| javascript:x | &lt;script&gt; |\n\n"
        "> 引用 &#60;img src=x onerror=window.__pwned=1&#62;\n"
    ),
    "notes.md": "---\ntitle: 说明（x）\n---\n\n## 一节\n\n正文 _下划线_ 与 ~~删除~~。\n",
}


def plant_beside_cases(project) -> None:
    """Write DATA_TEXT and PROSE into a copy of the project."""
    for rel, old, new in DATA_TEXT:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    pages = project / "data/editions/2023/pages"
    pages.mkdir(exist_ok=True)
    for name, text in PROSE.items():
        (pages / name).write_text(text, encoding="utf-8")
