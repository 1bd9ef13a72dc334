"""The whole site as one object: every edition, its computed results, the cases, and the pages.

`Site.load(root)` loads and checks every edition folder and every case file once per build.
Its methods are what pages call (the documented list is `MACROS`); each takes `Here`, the page
being written, so that links are relative to it. `Site.pages()` lists the pages generated from
the data (one set per edition, one page per city), `Site.nav()` the navigation and
`Site.redirects()` the old addresses. No MkDocs: macros/__init__.py only registers these.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import contrib, narrative, render
from .consistency import check_consistency, report_exemplars
from .downloads import build_downloads
from .drawing import MARKS, Drawer, palette_css
from .editions import Edition, load_all
from .figures import FigureStore, prune
from .labels import script_labels, t
from .problems import DataError, Problem
from .scoring import Results, compute_results, without_scores

DOWNLOADS_DIR = "downloads"
SERIES_CSV = "series.csv"  # every edition, one row per city and edition (macros/series.py: series_frame)
DATA_PACKAGE = "datapackage.json"  # at the site's root, its paths relative to it
FIGURES_DIR = "downloads/figures"
TABLES_DIR = "assets/tables"  # rows of long tables, loaded by docs/javascripts/tables.js
VEGA_BUNDLE = "assets/vega/vega-bundle.js"  # docs/javascripts/charts.js loads it from here
NAV_CASES = 60  # an edition with more cases lists none in the navigation (its cases page has them)
CITIES_JS = "assets/cities.js"  # what the city finder searches (docs/javascripts/finder.js)
RANKS_HELP = "contribute.md#三补充一个已核实的名次"  # the heading in CONTRIBUTING.md, shown on that page
# Figures drawn from scores: none when the edition has no scores to show.
SCORE_FIGURES = {
    "build_domain_capability_chart",
    "build_domain_distribution_chart",
    "build_domain_top_chart",
    "build_tier_bands_chart",
    "build_rank_chart",
    "build_case_profile_chart",
}

# The pages every edition has, in navigation order: kind -> source path under the year.
EDITION_PAGES = {
    "overview": "index.md",
    "domains": "domains/index.md",
    "stages": "stages.md",
    "ranking": "ranking.md",
    "cases": "cases.md",
    "methodology": "methodology.md",
    "data": "data.md",
}

# Addresses of the site before editions had their own folders: old source -> (kind, argument),
# all of them pages of the first edition, which was the only one then.
OLD_PAGES = {
    "domains/index.md": ("domains", ""),
    "tiers.md": ("stages", ""),
    "ranking.md": ("ranking", ""),
    "cases/index.md": ("cases", ""),
    "trends.md": ("page", "trends"),
    "methodology.md": ("methodology", ""),
    "data.md": ("data", ""),
}

MACROS: list[str] = []  # the macros pages may call; each is documented in the label catalog (macro.<name>)


def macro(method):
    """Register a method of Site as a macro pages may call."""
    MACROS.append(method.__name__)
    return method


@dataclass(frozen=True)
class Here:
    """The page being written: its source path and its URL (both from the site root)."""

    src: str
    url: str

    def link(self, target_src: str) -> str:
        """A relative Markdown link from this page to another page's source (with #anchor)."""
        return posixpath.relpath(target_src, posixpath.dirname(self.src) or ".")

    def page_pattern(self, folder: str) -> str:
        """The address of a generated page `<folder>/<id>.md` from this page, with `{id}` in
        place of the id: for scripts that link to many such pages (a chart's city marks)."""
        offline = self.url.endswith(".html")
        target = self.file(f"{folder}/__ID__.html" if offline else f"{folder}/__ID__") + ("" if offline else "/")
        return target.replace("__ID__", "{id}")

    def file(self, target: str) -> str:
        """A relative URL from this page to a built file that is not a page. The page's folder
        is `ranking/` for a directory URL, the site root for `ranking.html` (offline copy)."""
        base = self.url.rstrip("/") if self.url.endswith("/") else posixpath.dirname(self.url)
        return posixpath.relpath(target, base or ".")


def edition_src(edition_id: str, kind: str, arg: str = "") -> str:
    """The source path of an edition's page."""
    if kind == "domain":
        return f"{edition_id}/domains/{arg}.md"
    if kind == "page":
        return f"{edition_id}/{arg}.md"
    return f"{edition_id}/{EDITION_PAGES[kind]}"


def gather(root: Path) -> tuple[list[Edition], tuple, list]:
    """Every edition (DataError if one fails to load), the cases that loaded, and the problems
    of the cases, of the simulated scores against what is published, and of the narratives."""
    root = Path(root)
    with contrib.render_budget():
        editions = load_all(root)
        cases, problems = contrib.collect_cases(root, {e.id: e for e in editions})
        problems += narrative.check(root, editions)
    for e in editions:
        if e.scores:
            mine = [c for c in cases if c.meta.edition == e.id]
            problems += check_consistency(compute_results(e), report_exemplars(mine, e))
    return editions, cases, problems


class Site:
    """Every edition of the study, its results and cases, and the pages they make."""

    def __init__(
        self,
        root: Path,
        editions: list[Edition],
        cases,
        simulated_layer: bool,
        cache_dir: Path | None,
        drawer: Drawer | None = None,
    ):
        self.root = Path(root)
        self.editions = {e.id: e for e in editions}  # oldest first
        self.simulated_layer = simulated_layer
        self.results: dict[str, Results] = {}
        for e in editions:
            results = compute_results(e)
            if e.illustrative and not simulated_layer:
                results = compute_results(without_scores(e))
            self.results[e.id] = results
        self.cases = cases
        self.narratives = {e.id: narrative.load(self.root, e) for e in editions}
        # Given a drawer, new figures are drawn in worker processes and their pages carry
        # placeholders until `finish_drawings`; without one, each is drawn when first shown.
        self.drawer = drawer
        # Set by the build adapter: the published address (None for the offline copy) and the
        # date of the data the site is built from. Pages cite themselves with both.
        self.site_url: str | None = None
        self.data_date = None
        variant = "" if simulated_layer else "simulated-layer-off"  # the same files, other results
        self.stores = {
            e.id: FigureStore(self.results[e.id], cache_dir, drawer=drawer, variant=variant) for e in editions
        }
        inputs = {path for e in editions for path in e.files.values()}
        self.series_store = FigureStore(self, cache_dir, inputs, drawer, variant)  # figures across editions
        prune(cache_dir, [*self.stores.values(), self.series_store])
        self.figures: dict = {}  # figure id -> Figure, for the CSVs written after the build
        self.long_tables: dict = {}  # table id -> LongTable, for the row files
        self._downloads: dict = {}
        self.table_csvs: dict = {}  # CSV name -> LongTable written as that CSV
        self.page_problems: list = []  # what pages asked for that the data lacks (stops the build)

    # ------------------------------------------------------------------------------ loading

    @classmethod
    def load(
        cls, root: Path, simulated_layer: bool = False, cache_dir: Path | None = None, drawer: Drawer | None = None
    ) -> Site:
        """Load and check every edition and case; DataError lists every problem. A simulated
        score file is checked against everything published even when the layer is off."""
        editions, cases, problems = gather(root)
        if problems:
            raise DataError(problems)
        return cls(Path(root), editions, cases, simulated_layer, cache_dir, drawer)

    def finish_drawings(self) -> dict[str, dict[str, str]]:
        """The drawings made in worker processes in this build, by placeholder token (pages
        carry `drawing.placeholder(token)` for each); the figure cache keeps them."""
        if self.drawer is None or not self.drawer.pending:
            return {}
        drawings = self.drawer.finish()
        for store in [*self.stores.values(), self.series_store]:
            store.finish(drawings)
        return drawings

    def palette_css(self) -> str:
        """The stylesheet of the drawn figures' colours in both schemes (drawing.palette_css),
        for the charts' own colours and every edition's stage colours."""
        stage_colours = [tier.color for e in self.editions.values() for tier in e.tiers]
        return palette_css([*MARKS, *stage_colours])

    # ------------------------------------------------------------------------------- series

    @property
    def ids(self) -> list[str]:
        return list(self.editions)

    @property
    def latest(self) -> Edition:
        return self.editions[self.ids[-1]]

    @property
    def first(self) -> Edition:
        return self.editions[self.ids[0]]

    @cached_property
    def cities(self):
        return self.latest.cities

    @cached_property
    def city_by_id(self):
        return self.latest.city_by_id

    def cases_of(self, edition_id: str) -> list:
        return [c for c in self.cases if c.meta.edition == edition_id]

    def city_cases(self, city_id: str) -> list:
        return [c for c in self.cases if c.meta.city == city_id]

    # ----------------------------------------------------------------------- page structure

    def edition_kinds(self, edition: Edition) -> list[tuple[str, str]]:
        """(kind, argument) of every page the edition has: the fixed pages, one per domain,
        and its extra narrative pages."""
        kinds = [(k, "") for k in EDITION_PAGES]
        kinds[2:2] = [("domain", d.id) for d in edition.domains]
        kinds += [("page", name) for name in self.narratives[edition.id].extra]
        return kinds

    def pages(self) -> dict[str, str]:
        """The Markdown of every generated page, by source path: one macro call each."""
        out = {}
        for e in self.editions.values():
            for kind, arg in self.edition_kinds(e):
                out[edition_src(e.id, kind, arg)] = f'{{{{ edition_page("{e.id}", "{kind}", "{arg}") }}}}\n'
        for city in self.cities:
            out[render.city_src(city.id)] = f'{{{{ city_page("{city.id}") }}}}\n'
        return out

    def nav_title(self, edition: Edition, kind: str, arg: str) -> str:
        if kind == "domain":
            return edition.domain_by_id[arg].zh
        if kind == "page":
            return self.narratives[edition.id].extra[arg].title
        return t(f"nav.{kind}")

    @cached_property
    def page_titles(self) -> dict[str, str]:
        """The title of every generated edition page, naming its edition (2023数字百强市 · 排名),
        so that browser tabs and search results tell the years apart."""
        return {
            edition_src(e.id, kind, arg): (
                e.meta.short_title if kind == "overview" else f"{e.meta.short_title} · {self.nav_title(e, kind, arg)}"
            )
            for e in self.editions.values()
            for kind, arg in self.edition_kinds(e)
        }

    def nav(self) -> list:
        """The navigation: home, every edition (newest first) with its pages, then the pages
        across editions. Case pages sit under their edition's cases page."""
        editions = []
        for e in reversed(list(self.editions.values())):
            items: list = []
            domains: list = []
            for kind, arg in self.edition_kinds(e):
                src = edition_src(e.id, kind, arg)
                if kind == "overview":
                    items.append(src)
                elif kind == "domains":
                    domains.append(src)
                    items.append({t("nav.domains"): domains})
                elif kind == "domain":
                    domains.append({self.nav_title(e, kind, arg): src})
                elif kind == "cases":
                    cases = [src] + [
                        # a validated plain-text title (no markup characters): written as it is
                        {f"{self.city_by_id[c.meta.city].short_zh} · {c.meta.title}": c.src_uri}
                        for c in self.cases_of(e.id)
                        if c.src_uri in self.cases_in_nav
                    ]
                    items.append({t("nav.cases"): cases})
                else:
                    items.append({self.nav_title(e, kind, arg): src})
            editions.append({e.meta.short_title: items})
        return [
            {t("nav.home"): "index.md"},
            {t("nav.editions"): editions},
            {
                t("nav.cities"): [
                    "cities/index.md",
                    {t("nav.compare"): "compare.md"},
                    {t("nav.provinces"): "provinces.md"},
                ]
            },
            {t("nav.changes"): ["changes.md", {t("nav.movements"): "movements.md"}]},
            {t("nav.contribute"): ["contribute.md", {t("nav.tags"): "tags.md"}]},
        ]

    def redirects(self) -> dict[str, str]:
        """Old page source -> new page source, for addresses published before editions."""
        first = self.first
        out = {old: edition_src(first.id, kind, arg) for old, (kind, arg) in OLD_PAGES.items()}
        out.update({f"domains/{d.id}.md": edition_src(first.id, "domain", d.id) for d in first.domains})
        if "trends" not in self.narratives[first.id].extra:
            del out["trends.md"]
        return out

    # ------------------------------------------------------------------------------- macros

    @macro
    def edition_page(self, here: Here, edition_id: str, kind: str, arg: str = "") -> str:
        from .edition_pages import EditionPages

        edition = self.editions.get(str(edition_id))
        if edition is None:
            raise DataError([Problem(here.src, None, "edition", edition_id, "没有这个版本", "、".join(self.editions))])
        if (kind, arg) not in self.edition_kinds(edition):
            kinds = [f"{k} {a}".strip() for k, a in self.edition_kinds(edition)]
            message = f"{edition.id} 年版本没有这一页"
            raise DataError([Problem(here.src, None, "kind, arg", f"{kind} {arg}".strip(), message, "、".join(kinds))])
        return EditionPages(self, edition, here).page(kind, arg)

    @macro
    def city_page(self, here: Here, city_id: str) -> str:
        from .series_pages import SeriesPages

        return SeriesPages(self, here).city_page(city_id)

    @macro
    def home(self, here: Here) -> str:
        from .series_pages import SeriesPages

        return SeriesPages(self, here).home()

    @macro
    def changes(self, here: Here) -> str:
        from .series_pages import SeriesPages

        return SeriesPages(self, here).changes()

    @macro
    def movements(self, here: Here) -> str:
        from .series_pages import SeriesPages

        return SeriesPages(self, here).movements()

    @macro
    def city_index(self, here: Here) -> str:
        from .series_pages import SeriesPages

        return SeriesPages(self, here).city_index()

    @macro
    def city_finder(self, here: Here) -> str:
        empty = render.esc(t("finder.empty", help=t("finder.help")))
        return (
            f'<div class="dco-finder" data-src="{render.esc(here.file(CITIES_JS))}" data-empty="{empty}">'
            f"<p>{render.esc(t('finder.no_script'))}</p></div>\n"
        )

    @macro
    def compare(self, here: Here) -> str:
        return (
            f'<div class="dco-compare" data-src="{render.esc(here.file(CITIES_JS))}">'
            f"<p>{render.esc(t('compare.no_script'))}</p></div>\n"
        )

    @macro
    def provinces(self, here: Here) -> str:
        from .series_pages import SeriesPages

        return SeriesPages(self, here).provinces()

    @macro
    def schema_tables(self, here: Here) -> str:
        from .contrib import CaseMeta
        from .models import City, Domain, EditionMeta, Fact, RankRow, Source, StageRow, Tier

        parts = [
            (City, t("schema.city")),
            (EditionMeta, t("schema.editionmeta")),
            (Source, t("schema.source")),
            (Fact, t("schema.fact")),
            (Domain, t("schema.domain")),
            (Tier, t("schema.tier")),
            (RankRow, t("schema.rankrow")),
            (StageRow, t("schema.stagerow")),
            (CaseMeta, t("schema.casemeta")),
        ]
        return "\n".join(render.schema_table(model, title) for model, title in parts)

    @macro
    def macro_list(self, here: Here) -> str:
        rows = [(f"`{name}`", t(f"macro.{name}")) for name in MACROS]
        return render.table([t("macro_list.name"), t("macro_list.what")], rows, "ll")

    @macro
    def contributing_guide(self, here: Here) -> str:
        text = (self.root / "CONTRIBUTING.md").read_text(encoding="utf-8")
        chinese = text.split("\n## English", 1)[0].split("\n## ", 1)[1]
        return "## " + chinese.rstrip().removesuffix("---").rstrip() + "\n"

    # ------------------------------------------------------------- shared by page builders

    def show(self, here: Here, edition_id: str, builder: str, *args) -> str:
        """A figure of an edition, drawn once per content, with its data table and CSV link."""
        results = self.results[edition_id]
        if builder in SCORE_FIGURES and not results.has_scores:
            return ""
        figure = self.stores[edition_id].get(builder, *args)
        figure = dataclasses.replace(figure, id=f"{edition_id}-{figure.id}")  # ids unique across editions
        self.figures[figure.id] = figure
        return render.figure_html(
            figure,
            here.file(f"{FIGURES_DIR}/{figure.id}.csv"),
            render.illustrative_badge(results.edition),
            here.page_pattern("cities"),
        )

    def show_series(self, here: Here, builder: str, *args) -> str:
        """A figure across editions (published and derived ranks only)."""
        figure = self.series_store.get(builder, *args)
        self.figures[figure.id] = figure
        return render.figure_html(figure, here.file(f"{FIGURES_DIR}/{figure.id}.csv"), "", here.page_pattern("cities"))

    def long_table(self, here: Here, table: render.LongTable, csv_name: str) -> str:
        """A long table, its rows' data file, and the CSV its note offers: an edition's download
        of that name, or else the table itself (the city index) written as CSV."""
        self.long_tables[table.id] = table
        if not any(csv_name in self.downloads(e) for e in self.editions):
            self.table_csvs[csv_name] = table
        return render.long_table_markdown(
            table,
            here.link,
            here.file(f"{TABLES_DIR}/{table.id}.js"),
            here.file(f"{DOWNLOADS_DIR}/{csv_name}"),
            csv_name,
        )

    def city_link(self, here: Here) -> Callable[[str, str], str]:
        return lambda city_id, label: f"[{label}]({here.link(render.city_src(city_id))})"

    # ------------------------------------------------------------------------------- cases

    @cached_property
    def cases_in_nav(self) -> set[str]:
        """The case pages the navigation lists: all of an edition's while they are few; past
        NAV_CASES, none (its cases page lists them), so that no page carries thousands of links."""
        return {c.src_uri for e in self.editions for c in self.cases_of(e) if len(self.cases_of(e)) <= NAV_CASES}

    @cached_property
    def case_by_src(self) -> dict:
        return {c.src_uri: c for c in self.cases}

    def citation(self, here: Here, title: str) -> str:
        """The page's "cite this page" block (macros/citation.py); empty without an address."""
        from .citation import citation_block

        url = f"{self.site_url.rstrip('/')}/{here.url}" if self.site_url else None
        return citation_block(title, url, here.url, self.data_date)

    def case_meta(self, case) -> dict:
        """A case page's front matter, from validated values only: its title names the city; its
        tags are its domains and its checked tags."""
        edition = self.editions[case.meta.edition]
        city = self.city_by_id[case.meta.city]
        return {
            "title": f"{city.short_zh} · {case.meta.title}",
            "tags": [edition.domain_by_id[d].zh for d in case.meta.domains] + list(case.meta.tags),
        }

    def case_page(self, here: Here, case) -> str:
        """The whole Markdown of a case page: the contributor's body (sanitised, put in place
        after Markdown) between the parts the build adds. Related cases: those of the same
        edition, domain and city first, a few of them, then a link to the domain's page."""
        edition = self.editions[case.meta.edition]
        results = self.results[edition.id]

        def domain_link(d: str) -> str:
            return here.link(edition_src(edition.id, "domain", d))

        scored = results.has_scores and results.city(case.meta.city) is not None
        return "\n".join(
            [
                f"# {contrib.text(case.meta.title)}\n",
                f'<p class="dco-summary">{contrib.text(case.meta.summary)}</p>\n',
                render.illustrative_note(edition, here.link(edition_src(edition.id, "methodology")), scored),
                t(
                    "page.case.edition",
                    link=here.link(edition_src(edition.id, "overview")),
                    title=edition.meta.short_title,
                ),
                "",
                render.case_facts_table(case, results, domain_link),
                "",
                contrib.BODY_PLACEHOLDER,  # the sanitised body goes here after Markdown (hooks/)
                "",
                render.case_figures(case),
                *(
                    [
                        f"## {t('page.case.profile')}\n",
                        self.show(here, edition.id, "build_case_profile_chart", case.meta.city),
                        render.case_scores_table(results, case.meta.city),
                    ]
                    if scored
                    else []
                ),
                render.case_sources(case),
                render.related_cases(case, self.cases_of(edition.id), results, here.link, domain_link),
                self.citation(here, self.case_meta(case)["title"]),
                t(
                    "page.case.city",
                    link=here.link(render.city_src(case.meta.city)),
                    name=self.city_by_id[case.meta.city].short_zh,
                ),
            ]
        )

    # --------------------------------------------------------------------------- downloads

    def downloads(self, edition_id: str) -> dict:
        """file name -> (content, description, holds simulated values), built once per edition."""
        if edition_id not in self._downloads:
            self._downloads[edition_id] = build_downloads(self.results[edition_id])
        return self._downloads[edition_id]

    def download_files(self) -> dict[str, bytes]:
        files = {
            f"{DOWNLOADS_DIR}/{name}": content
            for e in self.editions
            for name, (content, _, _) in self.downloads(e).items()
        }
        for name, table in self.table_csvs.items():
            files[f"{DOWNLOADS_DIR}/{name}"] = render.long_table_csv(table)
        from .downloads import csv_bytes, data_package
        from .series import series_frame

        files[f"{DOWNLOADS_DIR}/{SERIES_CSV}"] = csv_bytes(series_frame(self))
        descriptions = {
            f"{DOWNLOADS_DIR}/{name}": about for e in self.editions for name, (_, about, _) in self.downloads(e).items()
        }
        descriptions[f"{DOWNLOADS_DIR}/{SERIES_CSV}"] = t("download.series")
        files[DATA_PACKAGE] = data_package(files, descriptions)
        return files

    def finder_file(self, url_for: Callable[[str], str]) -> dict[str, bytes]:
        """The city finder's data: every city's names, pinyin, initials and ranks, and the runs
        of unpublished ranks (a script, so that it loads from a copy opened from disk)."""
        from .series import finder_records, unverified_runs

        cities = json.dumps(finder_records(self, url_for), ensure_ascii=False, separators=(",", ":"))
        runs = json.dumps(unverified_runs(self), ensure_ascii=False, separators=(",", ":"))
        editions = json.dumps(
            [{"year": e.id, "title": e.meta.short_title} for e in reversed(list(self.editions.values()))],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        script = f"window.dcoCities={cities};window.dcoRuns={runs};window.dcoEditions={editions};\n"
        return {CITIES_JS: script.encode("utf-8")}

    def table_files(self, url_for: Callable[[str], str]) -> dict[str, bytes]:
        return {
            f"{TABLES_DIR}/{table.id}.js": render.long_table_data(table, url_for).encode("utf-8")
            for table in self.long_tables.values()
            if table.truncated
        }

    def script_labels_js(self) -> str:
        """The words of the site's scripts, as a script that sets window.dcoLabels."""
        payload = json.dumps(script_labels(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return f"window.dcoLabels={payload};\n"

    def redirect_page(self, old_url: str, new_url: str) -> str:
        """The page left at an old address: it sends the reader on to the new one, in Chinese,
        with no script, and tells search engines where the page lives now."""
        target = Here("", old_url).file(new_url or ".")
        if new_url.endswith("/") and not target.endswith("/"):
            target += "/"
        href = render.esc(target)
        title = render.esc(t("redirect.title"))
        return (
            '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n"
            f'<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f'<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={href}">\n'
            f'<link rel="canonical" href="{href}">\n</head>\n'
            f"<body>\n<main>\n<h1>{title}</h1>\n"  # a heading and a main landmark, like every page
            f'<p>{render.esc(t("redirect.text"))}<a href="{href}">{render.esc(t("redirect.link"))}</a></p>\n'
            "</main>\n</body>\n</html>\n"
        )
