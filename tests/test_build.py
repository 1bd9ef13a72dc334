"""The whole site builds with --strict, and every page shows what the data implies."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from bs4 import BeautifulSoup

from macros.contrib import load_cases
from macros.editions import load_edition
from macros.labels import SIMULATED_LONG
from macros.scoring import compute_results, stage_of_rank
from tests.conftest import ROOT, article, build_site, edit, editions, read_page

pytestmark = pytest.mark.build

DOMAINS = ["economy", "governance", "government", "livelihood", "innovation", "infrastructure"]
SCORE_PAGES = [
    "",
    "2020/domains/",
    *[f"2020/domains/{d}/" for d in DOMAINS],
    "2020/stages/",
    "2020/ranking/",
    "2020/data/",
    "cases/shenzhen-government/",
]


@pytest.fixture(scope="module")
def results():
    return compute_results(load_edition(ROOT, "2020"))


def rows(table) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])] for tr in table.select("tbody tr")]


def table_after(soup, heading_text: str):
    """The first table after a heading, not counting the data tables inside figures."""
    heading = next(h for h in soup.find_all(["h2", "h3"]) if heading_text in h.get_text())
    return next(t for t in heading.find_all_next("table") if not t.find_parent("figure"))


def one(value: float) -> str:
    return f"{value:.1f}"


# ------------------------------------------------------------------------------ every page


def test_every_nav_page_is_built(built_site):
    for path in [
        "",
        "2020/domains/",
        *[f"2020/domains/{d}/" for d in DOMAINS],
        "2020/stages/",
        "2020/ranking/",
        "2020/cases/",
        "2020/trends/",
        "2020/methodology/",
        "2020/data/",
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
    for path in ["2020/trends/", "contribute/", "2020/cases/"]:
        assert not article(read_page(built_site, path)).select(".admonition.warning"), path


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
                assert url.startswith("http://127.0.0.1:8000/"), (html, url)
                continue
            assert not re.match(r"^(https?:)?//", url.strip(), re.I), (html, tag.name, url)
    assert checked > 100


# --------------------------------------------------------------------------------- overview


def test_overview_cards_separate_published_derived_and_simulated(built_site, results):
    page = article(read_page(built_site, ""))
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
    assert groups["derived"]["阶段未核实"] == str(int(results.table["stage"].isna().sum()))
    stats = results.domain_stats
    assert groups["simulated"]["均值最高的领域"] == edition.domain_by_id[stats["mean"].idxmax()].zh


def test_overview_lists_published_facts_with_sources(built_site):
    page = article(read_page(built_site, ""))
    facts = {r[0]: r for r in rows(table_after(page, "报告公布了什么"))}
    assert facts["江苏、广东、山东三省占百强比例"][1] == "36%"
    assert facts["东部城市在百强中的比例"][1] == "过半"
    assert "293" in facts["评价体系"][1] and "followme.com" in facts["评价体系"][2]
    assert all(r[2] for r in facts.values()), "a fact without its source"


def test_overview_links_into_every_part(built_site):
    links = {a["href"] for a in article(read_page(built_site, "")).select("a[href]")}
    for target in ["2020/domains/", "2020/stages/", "2020/ranking/", "2020/cases/", "2020/trends/", "2020/methodology/", "2020/data/"]:
        assert target in links, target


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
    expected = {edition.city_by_id[c.meta.city].short_zh for c in load_cases(ROOT, editions(ROOT)) if domain in c.meta.domains}
    page = article(read_page(built_site, f"2020/domains/{domain}/"))
    after = page.find(id="典型案例").find_next(["ul", "p"])
    if not expected:
        assert after.name == "p" and "本站暂无这一领域的案例" in after.get_text()
        return
    items = after.select("li")
    assert {li.get_text().split("：")[0] for li in items} == expected
    for li in items:
        assert li.a["href"].startswith("../../cases/")


def test_domain_index_shows_the_reports_findings_with_sources_and_the_simulated_overview(built_site):
    page = article(read_page(built_site, "2020/domains/"))
    findings = rows(table_after(page, "报告的结论"))
    assert [r[0] for r in findings] == ["建设水平较高", "相对薄弱", "百强城市间差距最明显"]
    assert all(r[2] for r in findings) and "是否一致" not in page.get_text()
    overview = rows(table_after(page, "六个领域一览"))
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
    assert table["未核实"][3] == str(int(results.table["published_rank"].isna().sum()))
    assert "85 分及以上" in table["生态创新"][1]
    members = page.find(id="本站收录城市的阶段由公开名次推算").find_all_next("p")
    unverified = next(p for p in members if p.get_text().startswith("未核实"))
    unranked = {results.edition.city_by_id[c].short_zh for c in results.table[results.table["stage"].isna()]["city"]}
    assert unranked and all(name in unverified.get_text() for name in unranked)


def test_ranking_page_shows_confirmed_rows_with_sources_and_unverified_gaps(built_site):
    page = article(read_page(built_site, "2020/ranking/"))
    table = table_after(page, "公开名次")
    body = rows(table)
    confirmed = [r for r in body if r[0].isdigit()]
    assert [int(r[0]) for r in confirmed] == list(range(1, 21)) + list(range(51, 70))
    assert [r[1] for r in confirmed[:5]] == ["深圳", "上海", "北京", "广州", "杭州"]
    gaps = [r for r in body if not r[0].isdigit()]
    assert [r[0] for r in gaps] == ["21–50", "70–100"] and all(r[1] == "未核实" for r in gaps)
    sources = [tr.select("td")[3].a["href"] for tr in table.select("tbody tr") if tr.td.get_text().isdigit()]
    edition = load_edition(ROOT, "2020")
    assert sources == [str(r.source) for r in sorted(edition.ranking, key=lambda r: r.rank)]
    assert [r[4] for r in confirmed[:6]] == ["生态创新"] * 5 + ["能力协同"]  # derived from the rank


# ------------------------------------------------------------------------ methodology, data


def test_methodology_renders_weights_and_bands_from_the_data(built_site):
    page = article(read_page(built_site, "2020/methodology/"))
    weights = rows(table_after(page, "本站的计算方法"))
    assert [r[2] for r in weights] == ["1/6"] * 6
    assert "单元数字化：60 分（含）至 70 分（不含）" in page.get_text()


def test_downloads_are_complete_and_open_in_excel(built_site, results):
    page = article(read_page(built_site, "2020/data/"))
    links = [a["href"] for a in page.select("table a[download]")]
    assert len(links) == 10
    for href in links:
        assert (built_site / "data" / href).resolve().is_file(), href
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
    weights = rows(table_after(article(read_page(project / "site", "2020/methodology/")), "本站的计算方法"))
    assert [r[2] for r in weights] == ["1/5"] + ["4/25"] * 5


def test_published_basis_removes_every_label(project):
    edit(project / "data/editions/2020/edition.yaml", "\nbasis: illustrative", "\nbasis: published")
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

FIGURE_PAGES = {
    "": ["domain-capability", "tier-distribution", "province-cities"],
    "2020/stages/": ["tier-distribution", "tier-bands"],
    "2020/ranking/": ["rank-composite"],
    **{f"2020/domains/{d}/": [f"domain-{d}-distribution", f"domain-{d}-top"] for d in DOMAINS},
    "cases/shenzhen-government/": ["case-shenzhen-profile"],
}


@pytest.mark.parametrize("path, ids", FIGURE_PAGES.items())
def test_each_figure_has_container_spec_caption_table_and_csv(built_site, path, ids):
    page = article(read_page(built_site, path))
    figures = page.select("figure.dco-figure")
    assert [f["id"] for f in figures] == [f"fig-2020-{i}" for i in ids]
    for figure in figures:
        chart = figure.select_one(".dco-chart")
        assert chart["role"] == "img" and len(chart["aria-label"]) > 10
        spec = json.loads(chart["data-vega-spec"])
        assert spec["width"] == "container"
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
    for path in ["2020/trends/", "2020/methodology/", "contribute/", "2020/data/"]:
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


def test_with_the_simulated_layer_off_no_simulated_value_is_published(project):
    """SIMULATED_LAYER=off: ranks and derived stages remain; no score, in any page or download."""
    done = build_site(project, extra_env={"SIMULATED_LAYER": "off"})
    assert done.returncode == 0, done.stderr[-2000:]
    site = project / "site"
    results = compute_results(load_edition(project, "2020"))
    domains = results.domain_ids
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert 'data-basis="simulated"' not in text and "dco-badge--simulated" not in text, html
    for row in results.table.itertuples():  # no score of a city on the pages that name it
        name = row.name_zh.removesuffix("市")
        for path in [p for p in site.glob("cases/*/index.html") if name in p.read_text(encoding="utf-8")]:
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
    ranking = [r[0] for r in rows(table_after(article(read_page(site, "2020/ranking/")), "公开名次"))]
    assert ranking[:3] == ["1", "2", "3"]  # what was published is all still there


def test_a_city_without_a_published_rank_has_no_stage_or_place_on_any_page(built_site, results):
    unranked = results.table[results.table["published_rank"].isna()]
    assert len(unranked) > 0
    names = {row.name_zh.removesuffix("市") for row in unranked.itertuples()}
    scores = {r[0]: r for r in rows(table_after(article(read_page(built_site, "2020/ranking/")), "全部城市的得分"))}
    for name in names:
        assert scores[name][2] == "未核实" and scores[name][3] == "未核实", scores[name]
    ranking = rows(table_after(article(read_page(built_site, "2020/ranking/")), "公开名次"))
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
            assert facts["100 强公开名次"].startswith("未核实") and facts["发展阶段"].startswith("未核实"), facts


def test_every_city_has_a_page_and_every_city_in_the_tables_links_to_it(built_site, results):
    edition = results.edition
    ranked = {r.city: r for r in edition.ranking}
    for city in edition.cities:
        page = article(read_page(built_site, f"cities/{city.id}/"))
        assert page.h1.get_text(strip=True).startswith(city.short_zh)
        facts = {r[0]: r[1] for r in rows(page.table)}
        label = f"{edition.id} 年 {edition.meta.size} 强 公开名次"
        if city.id in ranked:
            assert facts[label + " 公布"] == f"第 {ranked[city.id].rank} 名（ 来源 ）"
            assert facts["发展阶段 推算"].startswith(
                edition.tier_by_id[stage_of_rank(ranked[city.id].rank, edition.tiers)].zh
            )
        else:
            assert facts[label].startswith("未核实") and facts["发展阶段"].startswith("未核实")
    index = article(read_page(built_site, "cities/"))
    linked = {a["href"].strip("./").removeprefix("cities/").strip("/") for a in index.select("tbody a[href]")}
    assert linked == {c.id for c in edition.cities}
    ranking = article(read_page(built_site, "2020/ranking/"))
    for a in ranking.select("tbody td:nth-of-type(2) a[href]"):
        assert "/cities/" in "/" + a["href"].replace("../", ""), a["href"]


def test_the_provinces_page_counts_ranked_cities_per_province_and_names_the_reports_provinces(built_site, results):
    edition = results.edition
    page = article(read_page(built_site, "provinces/"))
    ranked = {r.city for r in edition.ranking}
    expected = {}
    for city in edition.cities:
        if city.id in ranked:
            expected[city.province_zh] = expected.get(city.province_zh, 0) + 1
    tiles = {a["href"].lstrip("#"): int(a.strong.get_text()) for a in page.select("a.dco-tile")}
    assert {p: n for p, n in tiles.items() if n} == expected
    assert sum(tiles.values()) == len(ranked)
    assert all(t.strong.get_text() == "0" for t in page.select("span.dco-tile--empty"))  # no link to nowhere
    named = {a["href"].lstrip("#") for a in page.select("a.dco-tile--named")}
    facts = edition.meta.facts
    assert named == set(facts.three_province_share.provinces) | set(facts.strong_provinces.provinces)
    for province in expected:  # each tile's anchor is a row of the table
        assert page.find(id=province) is not None, province


def test_the_theme_speaks_chinese_in_the_footer_and_on_the_404_page(built_site):
    for html in built_site.rglob("*.html"):
        assert "Made with" not in html.read_text(encoding="utf-8"), html
    page = read_page(built_site, "404.html")
    assert page.h1.get_text(strip=True) == "找不到这个页面" and "Not found" not in page.get_text()
