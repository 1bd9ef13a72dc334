"""数字城市观察: the hook that wires the core into MkDocs pages, and nothing else.

The core modules (files, models, editions, scoring, consistency, render, downloads) are plain
Python and know nothing of MkDocs. `define_env` loads and scores the edition once per build,
registers the macros pages call, and writes the downloads after the build.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import quote

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from . import contrib, render
from .consistency import check_consistency, report_exemplars
from .contrib import CaseMeta, case_nav, load_cases
from .downloads import build_downloads, csv_bytes
from .editions import edition_ids, load_edition
from .figures import FigureStore, vega_runtime
from .models import City, Domain, RankRow, Tier
from .problems import DataError
from .scoring import compute_results, without_scores

DOWNLOADS_DIR = "downloads"
FIGURES_DIR = "downloads/figures"
TABLES_DIR = "assets/tables"  # rows of long tables, loaded by docs/javascripts/tables.js
VEGA_BUNDLE = "assets/vega/vega-bundle.js"  # docs/javascripts/charts.js loads it from here
# Figures drawn from scores: none when the edition has no scores to show.
SCORE_FIGURES = {
    "build_domain_capability_chart",
    "build_domain_distribution_chart",
    "build_domain_top_chart",
    "build_tier_bands_chart",
    "build_rank_chart",
    "build_case_profile_chart",
}
RANKS_HELP = "contribute.md#三补充一个已核实的名次"  # the heading in CONTRIBUTING.md, shown on that page
ALL_SCORES = "ranking.md"  # the page with the table of every city ...
ALL_SCORES_HEADING = "全部城市的得分"  # ... under this heading (its anchor)


def cache_dir(root: Path) -> Path:
    """Where builds keep what depends only on data and code (figures, the Vega runtime)."""
    return root / ".cache"


def simulated_layer_on(extra: dict) -> bool:
    """mkdocs.yml `extra.simulated_layer` (SIMULATED_LAYER=on/off): whether a simulated score
    file is published. Off, the site shows published and derived values only."""
    return str(extra.get("simulated_layer", "on")).strip().lower() not in ("off", "false", "0", "no")


def load_site(root: Path, edition_id: str | None, simulated_layer: bool = True):
    """Load, score and check an edition and the case files; a DataError stops the build
    with its report and no traceback. With the simulated layer off, a simulated score file is
    still checked (it must stay valid) but none of its values reaches a page or a download."""
    try:
        edition = load_edition(root, edition_id or edition_ids(root)[-1])
        results = compute_results(edition)
        cases = load_cases(root, edition)
        problems = check_consistency(results, report_exemplars(cases, edition))
        if problems:
            raise DataError(problems)
        if edition.illustrative and not simulated_layer:
            results = compute_results(without_scores(edition))
    except DataError as err:
        raise PluginError("\n" + err.report()) from None
    return results, cases


def define_env(env):
    root = Path(env.project_dir)
    results, cases = load_site(root, env.conf["extra"].get("edition"), simulated_layer_on(env.conf["extra"]))
    edition = results.edition
    downloads = build_downloads(results)
    env.variables["edition"] = edition
    env.variables["downloads"] = downloads
    env.variables["figures"] = figures = {}
    store = FigureStore(results, cache_dir(root))

    def page_src() -> str:
        return env.page.file.src_uri

    def link(target_src: str) -> str:
        """A relative Markdown link target from the current page to another page's source."""
        return posixpath.relpath(target_src, posixpath.dirname(page_src()) or ".")

    def site_link(target: str) -> str:
        """A relative URL from the current page to a built file that is not a page. The page's
        folder: `ranking/` for a directory URL, the site root for `ranking.html` (offline)."""
        url = env.page.url or ""
        base = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
        return posixpath.relpath(target, base or ".")

    def domain_link(domain_id: str) -> str:
        return link(f"domains/{domain_id}.md")

    def city_link(city_id: str, label: str) -> str:
        """A city's name, linked to its page (every city has one)."""
        return f"[{label}]({link(render.city_src(city_id))})"

    def cases_of(city_id: str) -> list:
        return [c for c in cases if c.meta.city == city_id]

    env.variables["long_tables"] = long_tables = {}

    def long_table(t: render.LongTable, csv_name: str) -> str:
        long_tables[t.id] = t
        return render.long_table_markdown(
            t, link, site_link(f"{TABLES_DIR}/{t.id}.js"), site_link(f"{DOWNLOADS_DIR}/{csv_name}"), csv_name
        )

    def show(builder: str, *args) -> str:
        if builder in SCORE_FIGURES and not results.has_scores:
            return ""  # the section's table says once that there are no scores
        figure = store.get(builder, *args)
        figures[figure.id] = figure
        return render.figure_html(
            figure, site_link(f"{FIGURES_DIR}/{figure.id}.csv"), render.illustrative_badge(edition)
        )

    def case_cities(domain_id: str) -> set[str]:
        return {c.meta.city for c in cases if domain_id in c.meta.domains}

    def case_page(case) -> str:
        """The whole Markdown of a case page: the contributor's body between built parts."""
        return "\n".join(
            [
                f"# {contrib.text(case.meta.title)}\n",
                f'<p class="dco-summary">{contrib.text(case.meta.summary)}</p>\n',
                render.illustrative_note(edition, link("methodology.md"), results.has_scores),
                render.case_facts_table(case, results, domain_link),
                "",
                contrib.BODY_PLACEHOLDER,  # the sanitised body goes here after Markdown (hooks/)
                "",
                render.case_figures(case),
                "## 数据画像\n",
                show("build_case_profile_chart", case.meta.city) if results.city(case.meta.city) is not None else "",
                render.case_scores_table(results, case.meta.city),
                render.case_sources(case),
                render.related_cases(case, cases, results, link, domain_link),
            ]
        )

    add_cases_to_nav(env.conf["nav"], case_nav(cases, edition))
    env.variables["case_pages"] = {c.src_uri: c for c in cases}
    env.variables["build_case_page"] = case_page

    # ---- figures
    @env.macro
    def domain_capability_chart() -> str:
        return show("build_domain_capability_chart")

    @env.macro
    def tier_distribution_chart() -> str:
        return show("build_tier_distribution_chart")

    @env.macro
    def province_chart() -> str:
        return show("build_province_chart")

    @env.macro
    def domain_distribution_chart(domain_id: str) -> str:
        return show("build_domain_distribution_chart", domain_id, case_cities(domain_id))

    @env.macro
    def domain_top_chart(domain_id: str, n: int = 10) -> str:
        return show("build_domain_top_chart", domain_id, n)

    @env.macro
    def tier_bands_chart() -> str:
        return show("build_tier_bands_chart")

    @env.macro
    def rank_chart() -> str:
        return show("build_rank_chart")

    # ---- notes and labels
    @env.macro
    def illustrative_note() -> str:
        """The warning at the top of a page that shows scores (empty for a published edition)."""
        return render.illustrative_note(edition, link("methodology.md"), results.has_scores)

    @env.macro
    def badge() -> str:
        return render.illustrative_badge(edition)

    # ---- overview
    @env.macro
    def headline_figures() -> str:
        return render.headline_figures(results)

    @env.macro
    def published_facts() -> str:
        return render.published_facts_table(results)

    @env.macro
    def region_table() -> str:
        return render.region_table(results)

    # ---- domains
    @env.macro
    def domain_overview() -> str:
        return (
            render.domain_overview_table(results, domain_link) if results.has_scores else render.no_scores_note(edition)
        )

    @env.macro
    def findings_check() -> str:
        return render.findings_check(results)

    @env.macro
    def domain_about(domain_id: str) -> str:
        return edition.domain_by_id[domain_id].about

    @env.macro
    def domain_summary(domain_id: str) -> str:
        return render.domain_summary(results, domain_id) if results.has_scores else render.no_scores_note(edition)

    @env.macro
    def domain_comparison(domain_id: str) -> str:
        return render.domain_comparison_sentence(results, domain_id) if results.has_scores else ""

    @env.macro
    def domain_leaders(domain_id: str, n: int = 5) -> str:
        return (
            render.domain_ranked_cities(results, domain_id, n, city_link)
            if results.has_scores
            else render.no_scores_note(edition)
        )

    # ---- tiers and ranking
    @env.macro
    def tier_table() -> str:
        return render.tier_table(results)

    @env.macro
    def tier_descriptions() -> str:
        return render.tier_descriptions(results)

    @env.macro
    def ranking_table() -> str:
        return long_table(render.ranking_table(results, render.city_src, RANKS_HELP), f"{edition.id}-ranking.csv")

    @env.macro
    def score_table() -> str:
        return long_table(render.score_table(results, render.city_src), f"{edition.id}-results.csv")

    @env.macro
    def unverified_ranks() -> str:
        return render.unverified_ranks(edition)

    @env.macro
    def tier_members_all() -> str:
        def stage_link(stage_zh: str) -> str:  # tables.js reads ?stage= and filters the table
            return f"{link(ALL_SCORES)}?stage={quote(stage_zh)}#{ALL_SCORES_HEADING}"

        return render.tier_members_all(results, city_link, stage_link)

    # ---- cases
    @env.macro
    def domain_cases(domain_id: str) -> str:
        members = [c for c in cases if domain_id in c.meta.domains]
        return render.case_list(
            members, link, results, f"本站暂无这一领域的案例。欢迎按[参与贡献]({link('contribute.md')})中的步骤补充。"
        )

    @env.macro
    def cases_by_domain() -> str:
        return render.cases_by_domain(cases, link, results)

    @env.macro
    def cases_by_tier() -> str:
        return render.cases_by_tier(cases, link, results)

    # ---- provinces
    @env.macro
    def province_tiles() -> str:
        return render.province_tiles(results, link)

    @env.macro
    def province_table() -> str:
        return render.province_table(results, city_link)

    # ---- cities
    @env.macro
    def city_page(city_id: str) -> str:
        """The whole of a city's page (cities/<id>.md is generated with this one call)."""
        city = edition.city_by_id[city_id]
        scored = results.has_scores and results.city(city_id) is not None
        parts = [
            f"# {city.short_zh}\n",
            render.illustrative_note(edition, link("methodology.md"), scored),
            render.city_summary_table(results, city_id),
            "## 案例\n",
            render.case_list(cases_of(city_id), link, results, "本站暂无这座城市的案例。"),
        ]
        if scored:
            parts += [
                "## 模拟的领域画像\n",
                show("build_case_profile_chart", city_id),
                render.case_scores_table(results, city_id),
            ]
        parts += ["## 尚不知道的\n", render.city_unknowns(results, city_id)]
        return "\n".join(parts)

    @env.macro
    def city_table() -> str:
        return long_table(render.city_table(results, cases_of), f"{edition.id}-cities.csv")

    # ---- methodology and data
    @env.macro
    def evaluation_system() -> str:
        return render.evaluation_system(edition)

    @env.macro
    def basis_statement() -> str:
        """What is published and what is illustrative; for an illustrative edition, how it was made."""
        method = (
            (root / "overrides/includes/illustrative-method.md").read_text(encoding="utf-8")
            if edition.illustrative
            else ""
        )
        return render.basis_statement(edition, results.has_scores) + "\n" + method

    @env.macro
    def schema_tables() -> str:
        parts = [
            (City, "data/cities.csv 的列"),
            (Domain, "domains.yaml 中每个领域"),
            (Tier, "tiers.yaml 中每个阶段"),
            (RankRow, "ranking.csv 的列"),
            (CaseMeta, "案例文件的信息区（front matter）"),
        ]
        return "\n".join(render.schema_table(model, title) for model, title in parts)

    @env.macro
    def contributing_guide() -> str:
        """The Chinese part of CONTRIBUTING.md, one level down, so the page and the file never differ."""
        text = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
        chinese = text.split("\n## English", 1)[0].split("\n## ", 1)[1]
        return "## " + chinese.rstrip().removesuffix("---").rstrip() + "\n"

    @env.macro
    def source(source_id: str) -> str:
        return render.source_link(edition, source_id)

    @env.macro
    def weights_table() -> str:
        return render.weights_table(edition)

    @env.macro
    def formula() -> str:
        return render.formula(edition)

    @env.macro
    def bands_sentence() -> str:
        return render.bands_sentence(edition)

    @env.macro
    def stage_rule() -> str:
        """How a published rank gives a stage (from the published stage counts)."""
        return render.stage_rule(edition)

    @env.macro
    def sources_list() -> str:
        return render.sources_list(edition)

    @env.macro
    def downloads_table() -> str:
        badge = render.illustrative_badge(edition)
        rows = [
            (
                f'<a href="{site_link(f"{DOWNLOADS_DIR}/{name}")}" download>{name}</a>',
                f"{description} {badge if illustrative else ''}",
                f"{len(content) / 1024:.1f} KB",
            )
            for name, (content, description, illustrative) in downloads.items()
        ]
        return render.table(["文件", "内容", "大小"], rows, "llr")


def add_cases_to_nav(nav: list, entries: list[dict]) -> None:
    """Put the case pages under the nav section that holds cases/index.md (no hand-kept list)."""
    for item in nav:
        for value in item.values() if isinstance(item, dict) else ():
            if isinstance(value, list) and "cases/index.md" in value:
                value[value.index("cases/index.md") + 1 :] = entries
                return
    raise PluginError("mkdocs.yml: the nav needs a section containing cases/index.md for the case pages")


def on_pre_page_macros(env):
    """Only the site's own pages are templates (mkdocs.yml: render_by_default: false). A case
    page's front matter is replaced by validated values: its title names the city, its tags are
    its domains and its checked tags; its body, rendered and sanitised by macros.contrib, is put
    in place after Markdown by hooks/observatory_hooks.py."""
    page = env.page
    if not contrib.is_contributed(page.file.src_uri):
        page.meta.setdefault("render_macros", True)
        return
    case = env.variables["case_pages"].get(page.file.src_uri)
    page.meta.clear()
    page.meta["render_macros"] = False
    if case is None:  # contrib.check_tree refuses such files; never render one all the same
        return
    edition = env.variables["edition"]
    city = edition.city_by_id[case.meta.city]
    page.meta["title"] = f"{city.short_zh} · {case.meta.title}"
    page.meta["tags"] = [edition.domain_by_id[d].zh for d in case.meta.domains] + list(case.meta.tags)
    page.dco_case_body = case.body


def on_post_page_macros(env):
    """A case page's Markdown is built here; the contributor's own text is never Markdown to
    MkDocs (an unexpected contributed page, which the loader refuses, would be empty)."""
    src = env.page.file.src_uri
    case = env.variables["case_pages"].get(src)
    if case is not None:
        env.markdown = env.variables["build_case_page"](case)
    elif contrib.is_contributed(src):
        env.markdown = ""


def on_post_build(env):
    """Write the downloads, each figure's CSV, the rows of long tables and the Vega runtime
    beside the pages."""
    site = Path(env.conf["site_dir"])
    files = {f"{DOWNLOADS_DIR}/{name}": content for name, (content, _, _) in env.variables["downloads"].items()}

    def url_for(src: str) -> str:
        """A page's URL from the site root, from its source path (and #anchor)."""
        path, _, anchor = src.partition("#")
        url = File(path, env.conf["docs_dir"], env.conf["site_dir"], env.conf["use_directory_urls"]).url
        return url + (f"#{anchor}" if anchor else "")

    for t in env.variables["long_tables"].values():
        if t.truncated:
            files[f"{TABLES_DIR}/{t.id}.js"] = render.long_table_data(t, url_for).encode("utf-8")
    for figure in env.variables["figures"].values():
        files[f"{FIGURES_DIR}/{figure.id}.csv"] = csv_bytes(figure.table_frame())
    if env.variables["figures"]:
        files[VEGA_BUNDLE] = vega_runtime(cache_dir(Path(env.project_dir))).encode("utf-8")
    for name, content in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
