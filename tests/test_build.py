"""The whole site builds with --strict, and every page shows what the data implies."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from bs4 import BeautifulSoup

from macros.contrib import load_cases
from macros.drawing import WIDTHS
from macros.editions import load_edition
from macros.labels import SIMULATED_LONG
from macros.provinces import MEMBERS_MEASURE
from macros.scoring import compute_results, stage_of_rank
from tests.conftest import ROOT, article, build_site, edit, editions, read_page

pytestmark = pytest.mark.build

DOMAINS = ["economy", "governance", "government", "livelihood", "innovation", "infrastructure"]
SCORE_PAGES = [
    "2020/",
    "2020/domains/",
    *[f"2020/domains/{d}/" for d in DOMAINS],
    "2020/stages/",
    "2020/ranking/",
    "2020/data/",
    "cases/shenzhen-government/",
    "cities/shenzhen/",
]
# Addresses of the site when it had one edition: each now sends readers to the 2020 page.
OLD_ADDRESSES = {
    "domains/": "2020/domains/",
    **{f"domains/{d}/": f"2020/domains/{d}/" for d in DOMAINS},
    "tiers/": "2020/stages/",
    "ranking/": "2020/ranking/",
    "cases/": "2020/cases/",
    "trends/": "2020/trends/",
    "methodology/": "2020/methodology/",
    "data/": "2020/data/",
}


@pytest.fixture(scope="module")
def results():
    return compute_results(load_edition(ROOT, "2020"))


def rows(table) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])] for tr in table.select("tbody tr")]


def long_table(soup, table_id: str):
    """The table of a long table (render.long_table_markdown), found by its id."""
    tools = soup.select_one(f'div.dco-table-tools[data-table="{table_id}"]')
    assert tools is not None, table_id
    return tools.find_next("table")


def table_after(soup, heading_text: str):
    """The first table after a heading, not counting the data tables inside figures."""
    heading = next(h for h in soup.find_all(["h2", "h3"]) if heading_text in h.get_text())
    return next(t for t in heading.find_all_next("table") if not t.find_parent("figure"))


def one(value: float) -> str:
    return f"{value:.1f}"


# ------------------------------------------------------------------------------ every page


def nav_sources(items) -> list[str]:
    """Every page source named in a MkDocs nav structure."""
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                out += nav_sources(value if isinstance(value, list) else [value])
    return out


def page_url(src: str) -> str:
    """The directory URL of a page source: 2020/stages.md -> 2020/stages/, index.md -> ''."""
    path = src.removesuffix(".md")
    path = path.removesuffix("index").removesuffix("/")
    return f"{path}/" if path else ""


def test_every_nav_page_is_built(built_site):
    from macros.site import Site

    site = Site.load(ROOT)
    nav = nav_sources(site.nav())
    parts = ["index.md", "domains/index.md", "stages.md", "ranking.md", "cases.md", "methodology.md", "data.md"]
    for e in site.editions.values():  # every edition has its full set of pages in the navigation
        for part in parts:
            assert f"{e.id}/{part}" in nav, (e.id, part)
        assert {f"{e.id}/domains/{d.id}.md" for d in e.domains} <= set(nav), e.id
    for src in nav:
        assert (built_site / page_url(src) / "index.html").is_file(), src
    for path in [
        "",
        "2020/",
        "2025/",
        "2020/domains/",
        *[f"2020/domains/{d}/" for d in DOMAINS],
        "2020/stages/",
        "2020/ranking/",
        "2020/cases/",
        "2020/trends/",
        "2020/methodology/",
        "2020/data/",
        "cities/",
        "provinces/",
        "changes/",
        "movements/",
        "tags/",
        "contribute/",
    ]:
        assert (built_site / path / "index.html").is_file(), path


@pytest.mark.parametrize("path", SCORE_PAGES)
def test_pages_with_scores_say_they_are_illustrative(built_site, path):
    page = article(read_page(built_site, path))
    note = page.select_one(".admonition.warning")
    assert note is not None and SIMULATED_LONG in note.get_text()
    assert page.select(".dco-badge--simulated"), "no 模拟 badge beside the numbers"


def test_pages_without_scores_carry_no_note(built_site):
    for path in ["", "2023/", "2020/trends/", "contribute/", "2020/cases/", "cities/changsha/", "changes/"]:
        page = article(read_page(built_site, path))
        assert not page.select(".admonition.warning") and not page.select(".dco-badge--simulated"), path


def test_no_page_loads_anything_from_another_host(built_site):
    """Scripts, stylesheets, images, frames and media come from the site itself. A canonical
    link names the site's own address (SITE_URL, here the local fallback); it loads nothing."""
    loads = "script[src], link[href], img[src], iframe[src], video[src], audio[src], source[src], object[data]"
    checked = 0
    for html in built_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select(loads):
            url = tag.get("src") or tag.get("href") or tag.get("data")
            checked += 1
            if tag.name == "link" and "canonical" in tag.get("rel", []):
                # the site's own address: absolute (SITE_URL), or relative on a redirect page
                if html.parent.relative_to(built_site).as_posix() + "/" in OLD_ADDRESSES:
                    assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url.strip(), re.I), (html, url)
                else:
                    assert url.startswith("http://127.0.0.1:8000/"), (html, url)
                continue
            assert not re.match(r"^(https?:)?//", url.strip(), re.I), (html, tag.name, url)
    assert checked > 100


def page_texts(built_site):
    """(path, article text) of every content page, code left out."""
    for html in sorted(built_site.rglob("index.html")):
        page = article(BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser"))
        if page is None:
            continue
        for code in page.select("pre, code"):
            code.decompose()
        yield html.parent.relative_to(built_site).as_posix() + "/", page.get_text(" ")


def test_no_page_shows_unrendered_markup(built_site):
    """Markdown written inside HTML is not converted: a link there reaches readers as
    [title](address). Nor may a template or a placeholder of the label catalog show."""
    checked = 0
    for path, text in page_texts(built_site):
        checked += 1
        shown = re.search(r".{0,60}\]\((https?:|\.\.?/|#).{0,40}", text)
        assert not shown, (path, shown and shown.group(0))
        assert not re.search(r"\{\{|\{%|\{value\}|\{[a-z_]+\}", text), path
    assert checked > 100


def test_no_page_doubles_its_punctuation(built_site):
    for path, text in page_texts(built_site):
        shown = re.search(r".{0,40}([。，；、：])\1.{0,20}", text)
        assert not shown, (path, shown and shown.group(0))


def test_a_fact_writes_its_value_and_unit_once(built_site):
    """A statement's {value} is written with its unit once (6 个一级指标, not 6个 个一级指标), on
    the edition's overview."""
    from macros.render import number

    for e in editions(ROOT).values():
        text = article(read_page(built_site, f"{e.id}/")).get_text(" ", strip=True)
        for fact in e.meta.facts:
            if fact.value is None or not fact.unit:
                continue
            unit = re.escape(fact.unit)
            written = re.escape(number(fact.value)) + r"\s*" + unit
            assert re.search(written, text), (e.id, fact.id)
            assert not re.search(written + r"\s*" + unit, text), (e.id, fact.id)


@pytest.mark.parametrize("old, new", OLD_ADDRESSES.items())
def test_an_old_address_is_a_redirect_to_the_2020_page(built_site, old, new):
    """What was published before editions had their own folders still works: a small Chinese page,
    kept out of search engines and the site search, sending readers on to the 2020 page."""
    soup = read_page(built_site, old)
    assert soup.html["lang"] == "zh-CN" and "已搬到新地址" in soup.get_text()
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    target = re.fullmatch(r"0;\s*url=(\S+)", refresh).group(1)
    assert soup.find("link", rel="canonical")["href"] == target == soup.body.a["href"]
    assert (built_site / old / target).resolve() == (built_site / new).resolve()
    assert (built_site / new / "index.html").is_file()
    assert not soup.select("script, article, nav"), "a redirect page, not a content page"
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert not [d["location"] for d in docs if d["location"].split("#")[0] == old]
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>http://127.0.0.1:8000/{old}</loc>" not in sitemap
    assert f"<loc>http://127.0.0.1:8000/{new}</loc>" in sitemap


# --------------------------------------------------------------------------------- overview


def test_overview_cards_separate_published_derived_and_simulated(built_site, results):
    page = article(read_page(built_site, "2020/"))
    groups = {}
    for group in page.select(".dco-card-group"):
        basis = next(c.removeprefix("dco-card-group--") for c in group["class"] if c.startswith("dco-card-group--"))
        groups[basis] = {
            c.select_one(".dco-card__title").get_text(strip=True): c.select_one(".dco-card__value").get_text(strip=True)
            for c in group.select(".dco-card")
        }
        assert group.select_one(f".dco-badge--{basis}"), basis  # each group says its basis at a glance
    assert list(groups) == ["published", "derived", "simulated"]
    edition = results.edition
    by_rank = {r.rank: edition.city_by_id[r.city].short_zh for r in edition.ranking}
    assert groups["published"]["公开名次前 4 位"] == "、".join(by_rank[i] for i in range(1, 5))
    assert groups["published"]["各阶段城市数"] == " / ".join(str(t.published_count) for t in reversed(edition.tiers))
    derived = " / ".join(str(int(results.tier_counts.loc[t.id, "derived"])) for t in reversed(edition.tiers))
    assert groups["derived"]["有公开名次的城市的阶段"] == derived
    assert groups["derived"]["名次未公布"] == str(int(results.table["stage"].isna().sum()))
    share = edition.fact_by_id["three-provinces-share"]
    assert groups["published"][share.measure] == "36%"
    assert groups["published"][edition.fact_by_id["indicators-first-level"].measure].startswith("6")
    stats = results.domain_stats
    assert groups["simulated"]["均值最高的领域"] == edition.domain_by_id[stats["mean"].idxmax()].zh
    assert groups["simulated"]["均值最低的领域"] == edition.domain_by_id[stats["mean"].idxmin()].zh


def test_overview_lists_published_facts_with_sources(built_site, results):
    """The 2020 overview lists every fact of edition.yaml: its statement, its basis, its source."""
    edition = results.edition
    page = article(read_page(built_site, "2020/"))
    facts = rows(table_after(page, "公布了什么"))
    assert len(facts) == len(edition.meta.facts)
    by_text = {r[0]: r for r in facts}
    assert by_text["江苏、广东、山东三省的城市合计占百强的 36%。"][1] == "公布"
    assert "东部地区的城市占百强的一半以上。" in by_text
    assert edition.fact_by_id["leaders"].statement in by_text
    sampled = next(r for r in facts if r[0].startswith("研究采集了"))
    assert "293" in sampled[0] and "followme.com" in sampled[2]
    assert all(r[1] in ("公布", "推算") and r[2] for r in facts), "a fact without its basis or its source"


def test_overview_links_into_every_part(built_site):
    """The 2020 overview links into each part of its edition; the home page into every edition
    and every page across editions."""
    links = {a["href"] for a in article(read_page(built_site, "2020/")).select("a[href]")}
    for target in ["domains/", "stages/", "ranking/", "cases/", "trends/", "methodology/", "data/"]:
        assert target in links, target
    assert {f"domains/{d}/" for d in DOMAINS} <= links
    home = {a["href"] for a in article(read_page(built_site, "")).select("a[href]")}
    assert {f"{e}/" for e in editions(ROOT)} <= home
    assert {"cities/", "provinces/", "changes/", "movements/", "contribute/"} <= home


def test_home_shows_the_latest_edition_and_lists_every_edition(built_site):
    all_editions = editions(ROOT)
    latest = all_editions[max(all_editions)]
    page = article(read_page(built_site, ""))
    assert latest.meta.short_title in page.find(id=re.compile("^最新一版")).get_text()
    listed = rows(table_after(page, "历年版本"))
    newest_first = sorted(all_editions.values(), key=lambda e: e.id, reverse=True)
    assert [r[0] for r in listed] == [e.meta.short_title for e in newest_first]
    for r, e in zip(listed, newest_first):
        assert r[4] == str(len(e.ranked)) and r[5] == str(len(e.members)), (e.id, r)


# ---------------------------------------------------------------------------------- domains


@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_page_statistics_match_the_data(built_site, results, domain):
    page = article(read_page(built_site, f"2020/domains/{domain}/"))
    stats = results.domain_stats.loc[domain]
    summary = {r[0]: r[1] for r in rows(table_after(page, "城市间的分布"))}
    assert summary["均值"] == one(stats["mean"])
    assert summary["中位数"] == one(stats["median"])
    assert summary["最低 / 最高"] == f"{one(stats['min'])} / {one(stats['max'])}"
    assert summary["极差（最高减最低）"] == one(stats["spread"])
    assert f"本站收录的 {len(results.table)} 个城市" in page.get_text()  # the sample is named
    leaders = rows(table_after(page, "得分最高的城市"))
    assert len(leaders) == 5
    best = results.table.sort_values([domain, "city"], ascending=[False, True]).iloc[0]
    assert leaders[0][1] == best["name_zh"] and leaders[0][3] == one(best[domain])


def test_no_page_lists_the_lowest_simulated_scores(built_site):
    """A generated low score beside a real city's name reads as the report's verdict on it."""
    for html in built_site.rglob("*.html"):
        text = article(read_page(built_site, str(html.relative_to(built_site)))) if html.name == "index.html" else None
        if text is None:
            continue
        headings = [h.get_text() for h in text.find_all(["h2", "h3"])]
        assert not [h for h in headings if "最低" in h or "垫底" in h], (html, headings)


@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_pages_list_their_cases_from_front_matter(built_site, domain):
    """Each domain page lists exactly the case files that name the domain (derived from the
    files, so a contributed case changes the expectation, not the test), or says it has none."""
    edition = load_edition(ROOT, "2020")
    cases = [c for c in load_cases(ROOT, editions(ROOT)) if c.meta.edition == "2020"]
    expected = {edition.city_by_id[c.meta.city].short_zh for c in cases if domain in c.meta.domains}
    page = article(read_page(built_site, f"2020/domains/{domain}/"))
    after = page.find(id="典型案例").find_next(["ul", "p"])
    if not expected:
        assert after.name == "p" and "本站暂无这一领域的案例" in after.get_text()
        return
    items = after.select("li")
    assert {li.get_text().split("：")[0] for li in items} == expected
    for li in items:  # from 2020/domains/<id>/ to cases/<slug>/
        assert li.a["href"].startswith("../../../cases/")


def test_domain_index_shows_the_reports_findings_with_sources_and_the_simulated_overview(built_site):
    edition = load_edition(ROOT, "2020")
    page = article(read_page(built_site, "2020/domains/"))
    findings = rows(table_after(page, "对各领域的公开结论"))
    said = [edition.fact_by_id[f] for f in ["strongest-domains", "weakest-domain", "widest-gap-domains"]]
    assert [r[0] for r in findings] == [f.statement for f in said]
    for row, fact in zip(findings, said):  # each names its domains, is published, and cites its source
        assert all(edition.domain_by_id[d].zh in row[0] for d in fact.domains) and fact.domains
        assert row[1] == "公布" and row[2]
    assert "是否一致" not in page.get_text()
    listed = rows(table_after(page, "各领域一览"))
    assert [r[0] for r in listed] == [d.zh for d in edition.domains]
    overview = rows(table_after(page, "各领域的模拟得分统计"))
    assert len(overview) == 6
    by_mean = sorted(overview, key=lambda r: int(r[7]))
    assert [r[0] for r in by_mean[:3]] == ["数字政务", "数字基础", "数字治理"] and by_mean[-1][0] == "数字民生"


# ------------------------------------------------------------------------------ tiers, ranking


def test_tiers_page_shows_published_counts_and_stages_derived_from_ranks(built_site, results):
    page = article(read_page(built_site, "2020/stages/"))
    table = {r[0]: r for r in rows(table_after(page, "各阶段有多少城市"))}
    tiers = list(reversed(results.edition.tiers))
    assert [table[t.zh][2] for t in tiers] == [str(t.published_count) for t in tiers]
    for t in tiers:
        ranked = [r.rank for r in results.edition.ranking if results.city(r.city) is not None]
        assert table[t.zh][3] == str(sum(1 for rank in ranked if stage_of_rank(rank, results.edition.tiers) == t.id))
    # no row counts cities that no source puts in the list (the table of the simulated layer has
    # some: 晋城, 攀枝花); only cities in the list without a rank would have one
    assert "未核实" not in table and "未知是否入榜" not in table
    listed = {r.city for r in results.edition.ranking if r.rank is None}
    assert ("在榜，名次未公布" in table) == bool(listed & set(results.table["city"]))
    assert "85 分及以上" in table["生态创新"][1]
    # each stage lists the cities whose published rank implies it, each marked 推算; a city
    # without a published rank is listed under no stage, and the note says it is unverified
    members = page.find(id="本站收录城市的阶段").find_all_next("p")
    listed = {}
    for t in tiers:
        line = next(p for p in members if p.get_text(strip=True).startswith(t.zh))
        listed[t.id] = [a.get_text(strip=True) for a in line.select("a")]
        assert line.get_text().count("推算") == len(listed[t.id]) > 0, t.id
    table_ = results.table
    for t in tiers:
        expected = table_[(table_["stage"] == t.id) & (table_["stage_basis"] == "derived")]["name_zh"]
        assert listed[t.id] == [n.removesuffix("市") for n in expected], t.id
    unranked = {n.removesuffix("市") for n in table_[table_["stage"].isna()]["name_zh"]}
    assert unranked and not unranked & {n for names in listed.values() for n in names}
    assert any("没有列出的城市，阶段未核实" in p.get_text() for p in members)


def test_ranking_page_shows_confirmed_rows_with_sources_and_unverified_gaps(built_site):
    page = article(read_page(built_site, "2020/ranking/"))
    table = long_table(page, "2020-ranking")
    body = rows(table)
    confirmed = [r for r in body if r[0].isdigit()]
    assert [int(r[0]) for r in confirmed] == list(range(1, 21)) + list(range(51, 70))
    assert [r[1] for r in confirmed[:5]] == ["深圳", "上海", "北京", "广州", "杭州"]
    gaps = [r for r in body if not r[0].isdigit()]
    assert [r[0] for r in gaps] == ["21–50", "70–100"] and all(r[1] == "未核实" for r in gaps)
    sources = [tr.select("td")[3].a["href"] for tr in table.select("tbody tr") if tr.td.get_text().isdigit()]
    edition = load_edition(ROOT, "2020")
    assert sources == [str(r.source) for r in sorted(edition.ranking, key=lambda r: r.rank)]
    assert [r[2] for r in confirmed[:6]] == ["生态创新"] * 5 + ["能力协同"]  # derived from the rank ...
    stage_header = table.select("thead th")[2]
    assert stage_header.select_one(".dco-badge--derived") and not stage_header.select_one(".dco-badge--published")
    intro = next(p for p in page.find_all("p") if "这一版本的榜单共" in p.get_text())
    assert "100 个城市" in intro.get_text() and "39 个公开名次" in intro.get_text()
    assert "第 21–50 名和第 70–100 名" in intro.get_text()


# ------------------------------------------------------------------------ methodology, data


def test_methodology_renders_weights_and_bands_from_the_data(built_site):
    page = article(read_page(built_site, "2020/methodology/"))
    weights = rows(table_after(page, "分数怎样计算"))
    assert [r[0] for r in weights] == [d.zh for d in load_edition(ROOT, "2020").domains]
    assert [r[2] for r in weights] == ["1/6"] * 6
    stages = page.find(id="发展阶段怎样划分").find_next("p").get_text()
    assert "单元数字化：60 分（含）至 70 分（不含）" in stages and "生态创新：85 分及以上" in stages
    assert page.find(id="illustrative") is not None  # the address the simulated-data notes link to


def test_downloads_are_complete_and_open_in_excel(built_site, results):
    page = article(read_page(built_site, "2020/data/"))
    links = [a["href"] for a in page.select("table a[download]")]
    assert len(links) == 10
    for href in links:
        assert (built_site / "2020/data" / href).resolve().is_file(), href
    raw = (built_site / "downloads/2020-results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) == len(results.table)
    doc = json.loads((built_site / "downloads/2020-edition.json").read_text(encoding="utf-8"))
    assert doc["edition"]["basis"] == "illustrative" and len(doc["results"]) == len(results.table)
    for row in table + doc["results"]:  # a basis on every value of every row
        assert row["score_basis"] == "simulated" and row["score_note"] == SIMULATED_LONG
        ranked = row["published_rank"] not in ("", None)
        assert row["rank_basis"] == ("published" if ranked else "unverified")
        assert row["stage_basis"] == ("derived" if ranked else "unverified")
        assert (row["stage"] not in ("", None)) == ranked  # no stage for a city without a rank
        assert "rank" not in row  # and no place among the site's cities
    scores = list(
        csv.DictReader(io.StringIO((built_site / "downloads/2020-scores.csv").read_bytes().decode("utf-8-sig")))
    )
    assert scores and all(row["basis"].startswith("simulated") for row in scores)


@pytest.mark.parametrize(
    "term, page",
    [
        ("一网统管", "cases/shanghai-governance/"),
        ("秒报秒批", "cases/shenzhen-government/"),
        ("城市大脑", "cases/hangzhou-governance/"),
        ("数字孪生", "cases/guiyang-innovation/"),
        ("云长制", "cases/chongqing-infrastructure/"),
    ],
)
def test_search_index_keeps_the_study_terms_whole(built_site, term, page):
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    # jieba separates words with zero-width spaces; the term must be one segment, not split
    segmented = [
        d
        for d in docs
        if d["location"].startswith(page)
        and re.search(rf"(^|[\s\u200b]){term}($|[\s\u200b])", d["text"] + " " + d["title"])
    ]
    assert segmented, f"{term} not indexed as a whole word on {page}"


def test_city_pages_are_indexed_by_what_is_their_own(built_site):
    """A city page is found by its name, place, facts and cases; the sections whose words are
    the same on every city page (positions, the simulated profile, what is unknown) stay out of
    the search index, or at thousands of cities they would be most of it."""
    from macros.labels import t

    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    cities = sorted(p.parent.name for p in (built_site / "cities").glob("*/index.html"))
    assert cities
    sections = {
        d["location"].split("#")[-1] for d in docs if d["location"].startswith("cities/") and "#" in d["location"]
    }
    excluded = [t("city.editions"), t("city.unknown"), t("city.profile", year="2020")]
    kept = [t("city.facts"), t("city.cases")]
    assert not {s.replace("-", " ") for s in sections} & set(excluded), sections
    assert set(kept) <= sections  # the control: the city pages' other sections are indexed
    titles = {d["location"]: d["title"] for d in docs}
    for city in cities:
        page = read_page(built_site, f"cities/{city}/")
        assert titles.get(f"cities/{city}/") == page.h1.get_text(strip=True).rstrip("¶"), city
        headings = [h.get_text(strip=True).rstrip("¶") for h in article(page).select("h2")]
        assert t("city.editions") in headings and t("city.unknown") in headings  # still on the page


# -------------------------------------------------------------------- the data drives pages


def test_a_changed_score_changes_the_pages(project):
    edit(project / "data/editions/2020/scores.csv", "shenzhen,97.3,", "shenzhen,91.3,")
    done = build_site(project)
    assert done.returncode == 0, done.stderr[-2000:]
    site = project / "site"
    page = article(read_page(site, "cases/shenzhen-government/"))
    assert "90.5" in page.get_text()  # 91.483 - 6/6
    economy = {r[0]: r[1] for r in rows(table_after(article(read_page(site, "2020/domains/economy/")), "城市间的分布"))}
    fresh = compute_results(load_edition(project, "2020"))
    assert economy["均值"] == one(fresh.domain_stats.loc["economy", "mean"])


def test_a_changed_weight_changes_the_methodology_page(project):
    text = (project / "data/editions/2020/domains.yaml").read_text(encoding="utf-8")
    text = text.replace("weight: 1/6", "weight: 1/5", 1).replace("weight: 1/6", "weight: 4/25", 5)
    (project / "data/editions/2020/domains.yaml").write_text(text, encoding="utf-8")
    done = build_site(project)  # these weights keep every published fact (data contradicting one: below)
    assert done.returncode == 0, done.stderr[-2000:]
    weights = rows(table_after(article(read_page(project / "site", "2020/methodology/")), "分数怎样计算"))
    assert [r[2] for r in weights] == ["1/5"] + ["4/25"] * 5


def test_published_basis_removes_every_label(project):
    edit(
        project / "data/editions/2020/edition.yaml",
        "\nbasis: illustrative",
        "\nbasis: published\nscores_source: excerpt",
    )
    done = build_site(project)
    assert done.returncode == 0, done.stderr[-2000:]
    for path in SCORE_PAGES:
        page = article(read_page(project / "site", path))
        assert not page.select(".dco-badge--simulated") and SIMULATED_LONG not in page.get_text(), path


def test_a_bad_data_file_stops_the_build_with_its_message(project):
    edit(project / "data/editions/2020/scores.csv", "shanghai,95.6,", "shanghai,abc,")
    done = build_site(project)
    assert done.returncode != 0
    assert "data/editions/2020/scores.csv 第 3 行，字段 economy：不是数字（现在是 “abc”）" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "site" / "index.html").exists()


def test_data_contradicting_a_published_fact_stops_the_build(project):
    edit(
        project / "data/editions/2020/scores.csv",
        "hangzhou,89.4,83.6,91.1,73.9,89.7,86.6",
        "hangzhou,99.0,99.0,99.0,99.0,99.0,99.0",
    )
    done = build_site(project)
    assert done.returncode != 0
    assert "综合得分的顺序与公开排名不符" in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------------------------- figures

FIGURE_PAGES = {  # figures of an edition carry its year; figures across editions do not
    "2020/": ["2020-domain-capability", "2020-tier-distribution", "2020-province-cities"],
    "2020/stages/": ["2020-tier-distribution", "2020-tier-bands"],
    "2020/ranking/": ["2020-rank-composite"],
    **{f"2020/domains/{d}/": [f"2020-domain-{d}-distribution", f"2020-domain-{d}-top"] for d in DOMAINS},
    "cases/shenzhen-government/": ["2020-case-shenzhen-profile"],
    "cities/shenzhen/": ["city-rank-shenzhen", "2020-case-shenzhen-profile"],
    "movements/": ["rank-movements"],
}


@pytest.mark.parametrize("path, ids", FIGURE_PAGES.items())
def test_each_figure_has_container_spec_caption_table_and_csv(built_site, path, ids):
    page = article(read_page(built_site, path))
    figures = page.select("figure.dco-figure")
    assert [f["id"] for f in figures] == [f"fig-{i}" for i in ids]
    for figure in figures:
        chart = figure.select_one(".dco-chart")
        assert len(chart["data-label"]) > 10
        # drawn at build time: in the page before any script runs, at each width, named in Chinese
        drawings = chart.select("svg.dco-svg")
        assert [d["class"] for d in drawings] == [["dco-svg", f"dco-svg--{n}"] for n in WIDTHS]
        for drawing in drawings:
            assert drawing["role"] == "img" and drawing["aria-label"] == chart["data-label"]
            assert drawing.select("path") and drawing.select("text")
        assert "dco-drawing:" not in str(chart)  # no placeholder left
        spec = json.loads(chart["data-vega-spec"])  # what the runtime makes interactive on demand
        assert spec["width"] == "container" and spec["config"]["aria"] is False
        assert figure.figcaption.get_text(strip=True)
        assert figure.select("details table tbody tr")
        csv_href = figure.select_one("a[download]")["href"]
        csv_file = (built_site / path / csv_href).resolve()
        assert csv_file.is_file(), csv_href
        drawn = list(csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig"))))
        assert len(drawn) - 1 == len(figure.select("details table tbody tr"))


def test_the_vega_runtime_is_served_by_the_site(built_site):
    """The runtime is at the address charts.js loads it from, and it is Vega."""
    script = (built_site / "javascripts/charts.js").read_text(encoding="utf-8")
    bundle = built_site / re.search(r'var BUNDLE = "([^"]+)"', script).group(1)
    assert bundle.is_file() and "vegaEmbed" in bundle.read_text(encoding="utf-8")


def test_pages_without_figures_load_no_vega_code(built_site):
    for path in ["", "2020/trends/", "2020/methodology/", "contribute/", "2020/data/", "cities/", "changes/"]:
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        assert "dco-chart" not in html and "vega-bundle" not in html, path


def test_builds_with_and_without_the_figure_cache_give_byte_identical_pages(built_site, project, tmp_path):
    """The copy starts without .cache: its first build draws every figure with Altair, the
    second reads them back from .cache/figures. Both, and the real project's build, agree."""
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    for site in (cold, warm):
        done = build_site(project, site)
        assert done.returncode == 0, done.stderr[-2000:]
        assert list((project / ".cache" / "figures").rglob("*.json"))
    files = sorted(
        p.relative_to(built_site)
        for p in built_site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".csv", ".json", ".js"}
    )
    assert files
    for rel in files:
        if rel.name in {"sitemap.xml"}:
            continue
        assert (cold / rel).read_bytes() == (warm / rel).read_bytes() == (built_site / rel).read_bytes(), rel


def test_by_default_no_simulated_value_is_published(project):
    """With SIMULATED_LAYER unset (the default everywhere: the hosted site, make serve, make
    build): ranks and derived stages remain; no score, in any page or download. Built after a
    build with the layer turned on, as a maintainer would: nothing in .cache carries over."""
    done = build_site(project, project / "site-on", {"SIMULATED_LAYER": "on"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert list((project / ".cache").rglob("*.json")) and list((project / ".cache").rglob("*.pickle"))
    done = build_site(project, extra_env={"SIMULATED_LAYER": None})  # unset: the default
    assert done.returncode == 0, done.stderr[-2000:]
    site = project / "site"
    results = compute_results(load_edition(project, "2020"))
    domains = results.domain_ids
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert 'data-basis="simulated"' not in text and "dco-badge--simulated" not in text, html
    for row in results.table.itertuples():  # no score of a city on the pages that name it, its own included
        name = row.name_zh.removesuffix("市")
        pages = [p for p in site.glob("cases/*/index.html") if name in p.read_text(encoding="utf-8")]
        for path in pages + [site / "cities" / row.city / "index.html"]:
            shown = article(read_page(site, str(path.parent.relative_to(site)) + "/")).get_text(" ")
            for value in [row.composite, *(getattr(row, d) for d in domains)]:
                assert f"{value:.1f}" not in shown, (path, name, value)
    for d in domains:
        page = article(read_page(site, f"2020/domains/{d}/")).get_text(" ")
        assert f"{results.domain_stats.loc[d, 'mean']:.1f}" not in page, d
    downloads = site / "downloads"
    assert not (downloads / "2020-scores.csv").exists() and not (downloads / "2020-domain-statistics.csv").exists()
    header = next(csv.reader(io.StringIO((downloads / "2020-results.csv").read_bytes().decode("utf-8-sig"))))
    assert not set(header) & {*domains, "composite"} and {"published_rank", "stage", "stage_basis"} <= set(header)
    doc = json.loads((downloads / "2020-edition.json").read_text(encoding="utf-8"))
    assert "scores" not in doc and "domain_statistics" not in doc
    assert all(not set(r) & {*domains, "composite"} for r in doc["results"])
    for file in (downloads / "figures").glob("*.csv"):
        assert SIMULATED_LONG not in file.read_bytes().decode("utf-8-sig"), file
    ranking = [r[0] for r in rows(long_table(article(read_page(site, "2020/ranking/")), "2020-ranking"))]
    assert ranking[:3] == ["1", "2", "3"]  # what was published is all still there


def test_a_city_without_a_published_rank_has_no_stage_or_place_on_any_page(built_site, results):
    unranked = results.table[results.table["published_rank"].isna()]
    assert len(unranked) > 0
    names = {row.name_zh.removesuffix("市") for row in unranked.itertuples()}
    page = article(read_page(built_site, "2020/ranking/"))
    scores = {r[0]: r for r in rows(long_table(page, "2020-scores"))}
    listed = {r.city for r in results.edition.ranking}
    for row in unranked.itertuples():  # not in the list as far as anyone knows: said so, not "未核实"
        name = row.name_zh.removesuffix("市")
        said = "在榜，名次未公布" if row.city in listed else "未知是否入榜"
        assert scores[name][2] == said and scores[name][3] == "未核实", scores[name]
    ranking = rows(long_table(page, "2020-ranking"))
    assert not names & {r[1] for r in ranking}
    for html in built_site.rglob("*.html"):  # no chart places them among ranked cities
        for figure in read_page(built_site, str(html.relative_to(built_site))).select("figure.dco-figure"):
            if figure["id"] in ("fig-2020-tier-bands", "fig-2020-rank-composite"):
                drawn = {tr.td.get_text(strip=True) for tr in figure.select("details tbody tr")}
                assert not names & drawn, (html, figure["id"])
    for row in unranked.itertuples():
        for page in built_site.glob(f"cases/{row.city}-*/index.html"):
            facts = {
                r[0]: r[1]
                for r in rows(article(read_page(built_site, str(page.parent.relative_to(built_site)) + "/")).table)
            }
            said = "在榜，名次未公布" if row.city in listed else "未知是否入榜"
            assert facts["100 强公开名次"].startswith(said) and facts["发展阶段"].startswith("—"), facts
    tiers = {t.zh for t in results.edition.tiers}
    for row in unranked.itertuples():  # nor on the city's own page
        places = {r[0]: r for r in rows(table_after(article(read_page(built_site, f"cities/{row.city}/")), "各版本"))}
        place = places[results.edition.meta.short_title]
        assert not place[1].startswith(("第", "在榜")), place
        assert place[2] in ("—", "未核实") and not any(t in place[2] for t in tiers), place


BASIS_ZH = {"published": "公布", "derived": "推算"}


def expected_place(edition, city_id: str) -> tuple[str | None, str | None]:
    """What a city's page must say of one edition: (rank text, stage text) it starts with; None
    where nothing may be claimed (no rank, no stage)."""
    row = next((r for r in edition.ranking if r.city == city_id), None)
    rank = None
    if row is not None:
        rank = f"第 {row.rank} 名 {BASIS_ZH[row.basis]}" if row.rank is not None else "在榜，名次未公布"
    stated = next((s for s in edition.stages if s.city == city_id), None)
    if stated is not None:
        return rank, f"{edition.tier_by_id[stated.stage].zh} 公布"
    derived = stage_of_rank(row.rank, edition.tiers) if row is not None else None
    return rank, (f"{edition.tier_by_id[derived].zh} 推算" if derived else None)


def test_every_city_has_a_page_and_every_city_in_the_tables_links_to_it(built_site):
    """Every city of data/cities.csv (all editions) has a page with one row per edition: its
    published or derived rank with its source, its stated or derived stage, or nothing claimed.
    The city index has a rank column per edition and links every city; tables link to them."""
    all_editions = editions(ROOT)
    cities = load_edition(ROOT, "2020").cities  # data/cities.csv: the cities of every edition
    for city in cities:
        page = article(read_page(built_site, f"cities/{city.id}/"))
        assert page.h1.get_text(strip=True).startswith(city.short_zh)
        table = table_after(page, "各版本中的位置")
        places = {tr.td.get_text(strip=True): tr.find_all("td") for tr in table.select("tbody tr")}
        assert set(places) == {e.meta.short_title for e in all_editions.values()}, city.id
        for e in all_editions.values():
            cells = places[e.meta.short_title]
            shown_rank, shown_stage = (c.get_text(" ", strip=True) for c in cells[1:3])
            rank, stage = expected_place(e, city.id)
            if rank is None:
                assert not shown_rank.startswith(("第", "在榜")), (city.id, e.id, shown_rank)
            else:
                assert shown_rank.startswith(rank), (city.id, e.id, shown_rank)
                source = next(str(r.source) for r in e.ranking if r.city == city.id)
                assert source in [a["href"] for a in cells[1].select("a[href]")], (city.id, e.id)
            if stage is None:
                assert shown_stage in ("—", "未核实"), (city.id, e.id, shown_stage)
            else:
                assert shown_stage.startswith(stage), (city.id, e.id, shown_stage)
    index = article(read_page(built_site, "cities/"))
    table = long_table(index, "cities")
    linked = {a["href"].strip("./").removeprefix("cities/").strip("/") for a in table.select("tbody a[href]")}
    assert linked == {c.id for c in cities}
    header = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    by_name = {r[0]: r for r in rows(table)}
    assert len(by_name) == len(cities)
    for e in all_editions.values():
        column = next(i for i, h in enumerate(header) if h.startswith(f"{e.id} 名次"))
        for r in e.ranking:
            cell = by_name[e.city_by_id[r.city].short_zh][column]
            if r.rank is None:
                assert cell == "在榜，名次未公布", (e.id, r.city, cell)
            else:
                assert cell == str(r.rank) + ("" if r.basis == "published" else "（推算）"), (e.id, r.city, cell)
        listed = {e.city_by_id[r.city].short_zh for r in e.ranking}
        assert all(row[column] == "—" for name, row in by_name.items() if name not in listed), e.id
    for e in all_editions.values():
        ranking = article(read_page(built_site, f"{e.id}/ranking/"))
        for a in ranking.select("tbody td:nth-of-type(2) a[href]"):
            assert a["href"].startswith("../../cities/"), (e.id, a["href"])


def test_the_provinces_page_counts_listed_cities_per_province_and_names_the_reports_provinces(built_site):
    """One tab per edition, newest first: its tiles show the report's own count of a province's
    cities where a fact states one, else the cities a source lists (with a published rank or
    without), else 未知 (never 0 unless the whole list is known); outline the provinces its
    facts name, and link to that edition's rows."""
    all_editions = sorted(editions(ROOT).values(), key=lambda e: e.id, reverse=True)
    page = article(read_page(built_site, "provinces/"))
    labels = [label.get_text(strip=True) for label in page.select(".tabbed-labels label")]
    assert labels == [e.meta.short_title for e in all_editions]
    blocks = page.select(".tabbed-content > .tabbed-block")
    assert len(blocks) == len(all_editions)
    for edition, block in zip(all_editions, blocks):
        expected = {}
        for r in edition.ranking:
            province = edition.city_by_id[r.city].province_zh
            expected[province] = expected.get(province, 0) + 1
        stated = {
            f.provinces[0]: int(f.value)
            for f in edition.meta.facts
            if f.measure == MEMBERS_MEASURE and len(f.provinces) == 1 and f.value is not None
        }
        tiles = {a["href"]: a.strong.get_text() for a in block.select("a.dco-tile")}
        assert all(href.startswith(f"#{edition.id}") for href in tiles), edition.id  # anchors carry the year
        tiles = {href.removeprefix(f"#{edition.id}"): n for href, n in tiles.items()}
        for province, shown in tiles.items():
            assert shown == str(stated.get(province, expected.get(province, "未知"))), (edition.id, province, shown)
        for a in block.select("a.dco-tile"):  # the known cities beside a stated count they fall short of
            province = a["href"].removeprefix(f"#{edition.id}")
            if province in stated and expected.get(province, 0) < stated[province]:
                assert a.small.get_text() == f"已知 {expected.get(province, 0)}", (edition.id, province)
        complete = len({r.city for r in edition.ranking}) >= edition.meta.size
        for tile in block.select("span.dco-tile--empty"):  # no link to nowhere, and no 0 that means "not found"
            assert tile.strong.get_text() == ("0" if complete else "未知"), (edition.id, tile)
        named = {a["href"].removeprefix(f"#{edition.id}") for a in block.select("a.dco-tile--named")}
        assert named == {p for f in edition.meta.facts for p in f.provinces}, edition.id
        for province in tiles:  # each tile's anchor is a row of that edition's table
            anchor = page.find(id=f"{edition.id}{province}")
            assert anchor is not None and anchor.find_parent(class_="tabbed-block") is block, (edition.id, province)
    first = all_editions[-1]  # 2020: the three provinces of the share, and the strong provinces
    share, strong = first.fact_by_id["three-provinces-share"], first.fact_by_id["strong-provinces"]
    named = {a["href"].removeprefix("#2020") for a in blocks[-1].select("a.dco-tile--named")}
    assert named == set(share.provinces) | set(strong.provinces) == {"江苏省", "广东省", "山东省", "浙江省"}


def test_the_theme_speaks_chinese_in_the_footer_and_on_the_404_page(built_site):
    for html in built_site.rglob("*.html"):
        assert "Made with" not in html.read_text(encoding="utf-8"), html
    page = read_page(built_site, "404.html")
    assert page.h1.get_text(strip=True) == "找不到这个页面" and "Not found" not in page.get_text()
