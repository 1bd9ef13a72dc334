"""The pages of one edition, composed from its files: overview, domains, one page per domain,
stages, ranking, cases, methodology and sources, downloads, and its narrative pages.

Each page shows what the edition's folder holds and says plainly what it lacks (no scores, no
score bands, no counts per stage, ranks not published). Nothing names a year, a domain id or a
fact: an edition folder no page knows gets complete pages. Pure; no MkDocs.
"""

from __future__ import annotations

from urllib.parse import quote

from . import contrib, render
from .downloads import data_dictionary
from .labels import BASIS_ZH, t
from .narrative import Text
from .site import DATA_PACKAGE, DOWNLOADS_DIR, RANKS_HELP, SERIES_CSV, Here, Site, edition_src


class EditionPages:
    def __init__(self, site: Site, edition, here: Here):
        self.site, self.edition, self.here = site, edition, here
        self.results = site.results[edition.id]
        self.narratives = site.narratives[edition.id]
        self.cases = site.cases_of(edition.id)

    # ------------------------------------------------------------------------------ helpers

    def link(self, kind: str, arg: str = "") -> str:
        return self.here.link(edition_src(self.edition.id, kind, arg))

    def city_link(self, city_id: str, label: str) -> str:
        return self.site.city_link(self.here)(city_id, label)

    def show(self, builder: str, *args) -> str:
        return self.site.show(self.here, self.edition.id, builder, *args)

    def narrative(self, kind: str, arg: str = "") -> str:
        text = self.narratives.get(kind, arg)
        return self.text(text) if text else ""

    def text(self, text: Text) -> str:
        out = text.body
        if text.sources:
            out += "\n" + t("page.narrative_sources", links=render.source_links(self.edition, text.sources)) + "\n"
        return out

    def note(self) -> str:
        """The simulated-data warning, on pages that show simulated values."""
        return render.illustrative_note(self.edition, self.link("methodology"), self.results.has_scores)

    def switcher(self, kind: str, arg: str) -> str:
        """Links to the same page in the other editions, where it exists (a domain page: the
        domain of the same id, else that edition's domains page)."""
        items = []
        for other in reversed(list(self.site.editions.values())):
            label = other.id
            if other.id == self.edition.id:
                items.append(f"**{label}**")
                continue
            k, a = kind, arg
            if kind == "domain" and arg not in other.domain_by_id:
                k, a = "domains", ""
            elif kind == "page" and arg not in self.site.narratives[other.id].extra:
                k, a = "overview", ""
            items.append(f"[{label}]({self.here.link(edition_src(other.id, k, a))})")
        label = t("page.switcher")
        return f'<nav class="dco-editions" aria-label="{label}" markdown>\n{label}：{" ".join(items)}\n</nav>\n'

    def heading(self, title: str, kind: str, arg: str = "") -> str:
        return f"# {title}\n\n{self.switcher(kind, arg)}\n"

    # -------------------------------------------------------------------------------- pages

    def page(self, kind: str, arg: str = "") -> str:
        return getattr(self, f"page_{kind}")(arg)

    def page_overview(self, _: str) -> str:
        e, r = self.edition, self.results
        parts = [self.heading(e.meta.short_title, "overview"), self.narrative("overview"), self.note()]
        parts += [f"## {t('page.overview.report')}\n", self.report_table()]
        if r.has_scores:
            parts += [f"## {t('page.overview.glance')}\n", render.headline_figures(r)]
            parts += [self.show("build_domain_capability_chart"), self.show("build_tier_distribution_chart")]
        elif e.tiers and all(x.published_count is not None for x in e.tiers):
            parts.append(self.show("build_tier_distribution_chart"))
        parts += [f"## {t('page.overview.facts')}\n", self.facts_and_gaps()]
        parts += [f"## {t('page.overview.start')}\n", self.page_cards()]
        if r.table["stage_basis"].eq("derived").any():
            parts += [f"## {t('page.overview.regions')}\n", render.region_table(r), self.show("build_province_chart")]
        parts.append(self.site.citation(self.here, e.meta.short_title))
        return "\n".join(parts)

    def page_domains(self, _: str) -> str:
        e, r = self.edition, self.results
        parts = [self.heading(t("page.domains.title", n=len(e.domains)), "domains"), self.narrative("domains")]
        parts.append(self.note())
        parts += [f"## {t('page.domains.list')}\n", self.domain_list()]
        basis = e.domains_file
        if basis.basis == "derived":
            parts.append(f"{render.basis_badge('derived')} {render.prose(basis.rule)}\n")
        parts.append(t("page.sources", links=render.source_links(e, basis.sources)) + "\n")
        parts += [f"## {t('page.domains.facts')}\n", self.facts(render.domain_facts(e), t("page.domains.no_facts"))]
        if r.has_scores:
            parts += [
                f"## {t('page.domains.stats')}\n",
                render.domain_overview_table(r, lambda d: self.link("domain", d)),
                t("page.domains.stats_note") + "\n",
            ]
        return "\n".join(parts)

    def page_domain(self, domain_id: str) -> str:
        e, r = self.edition, self.results
        d = e.domain_by_id[domain_id]
        parts = [self.heading(d.zh, "domain", domain_id), self.note()]
        if d.about:
            parts.append(f"> {render.prose(d.about)}\n")
        parts += [self.narrative("domain", domain_id), self.lineage(d)]
        parts += [
            f"## {t('page.domain.facts')}\n",
            self.facts(render.domain_facts(e, domain_id), t("page.domain.no_facts")),
        ]
        parts.append(f"## {t('page.domain.scores')}\n")
        if r.has_scores:
            cities = {c.meta.city for c in self.cases if domain_id in c.meta.domains}
            parts += [
                render.domain_summary(r, domain_id),
                self.show("build_domain_distribution_chart", domain_id, cities),
                render.domain_comparison_sentence(r, domain_id) + "\n",
                f"### {t('page.domain.top')}\n",
                self.show("build_domain_top_chart", domain_id, 10),
                render.domain_ranked_cities(r, domain_id, 5, self.city_link),
            ]
        else:
            parts.append(render.no_scores_note(e))
        members = [c for c in self.cases if domain_id in c.meta.domains]
        parts += [f"## {t('page.domain.cases')}\n", self.case_list(members, t("page.domain.no_cases"))]
        return "\n".join(parts)

    def page_stages(self, _: str) -> str:
        e, r = self.edition, self.results
        parts = [self.heading(t("nav.stages"), "stages"), self.narrative("stages")]
        if not e.tiers:
            return "\n".join(parts + [t("page.stages.none", year=e.id) + "\n"])
        parts.append(self.note())
        if e.tiers_file.rule:
            parts.append(f"{render.prose(e.tiers_file.rule)}\n")
        parts += [f"## {t('page.stages.each')}\n", render.tier_descriptions(r)]
        parts += [f"## {t('page.stages.counts')}\n", render.tier_table(r)]
        if all(x.published_count is not None for x in e.tiers):
            parts.append(self.show("build_tier_distribution_chart"))
        if r.has_scores and e.banded:
            parts.append(self.show("build_tier_bands_chart"))
        parts += [f"## {t('page.stages.members')}\n", self.stage_members()]
        return "\n".join(parts)

    def page_ranking(self, _: str) -> str:
        e, r = self.edition, self.results
        parts = [self.heading(t("nav.ranking"), "ranking"), self.narrative("ranking"), self.note()]
        parts.append(
            t(
                "page.ranking.intro",
                size=e.meta.size,
                ranked=len(e.ranked),
                members=len(e.members),
                missing=render.unverified_ranks(e),
                help=self.here.link(RANKS_HELP),
            )
            + "\n"
        )
        parts.append(self.site.city_finder(self.here))
        table = render.ranking_table(r, render.city_src, RANKS_HELP)
        parts.append(self.site.long_table(self.here, table, f"{e.id}-ranking.csv"))
        if r.has_scores:
            parts.append(self.show("build_rank_chart"))
            parts += [f"## {t('page.ranking.scores')}\n", t("page.ranking.scores_intro") + "\n"]
            scores = render.score_table(r, render.city_src)
            scores = type(scores)(**{**scores.__dict__, "id": f"{e.id}-scores"})
            parts.append(self.site.long_table(self.here, scores, f"{e.id}-results.csv"))
        return "\n".join(parts)

    def page_cases(self, _: str) -> str:
        e = self.edition
        parts = [self.heading(t("nav.cases"), "cases"), self.narrative("cases")]
        if not self.cases:
            help_link = self.here.link("contribute.md")
            return "\n".join(parts + [t("page.cases.none", year=e.id, help=help_link) + "\n"])
        parts.append(t("page.cases.intro", n=len(self.cases)) + "\n")
        parts.append(f"## {t('page.cases.by_domain')}\n")  # headings in order: no h3 straight under the h1
        for d in e.domains:
            members = [c for c in self.cases if d.id in c.meta.domains]
            if members:
                parts += [f"### [{d.zh}]({self.link('domain', d.id)})\n", self.case_list(members, "")]
        if e.tiers:
            parts += [f"## {t('page.cases.by_stage')}\n", self.cases_by_stage()]
        parts.append(t("page.cases.more", help=self.here.link("contribute.md")) + "\n")
        return "\n".join(parts)

    def page_methodology(self, _: str) -> str:
        e, r = self.edition, self.results
        parts = [self.heading(t("nav.methodology"), "methodology"), self.narrative("methodology")]
        parts += [f"## {t('page.method.system')}\n", render.measured_facts(e)]
        parts.append(self.unpublished_list())
        # Scores and weights are described only where the site shows scores: with the simulated
        # layer off (the default), the 2020 weights are nobody's but the site's, and unused.
        if r.has_scores:
            parts += [f"## {t('page.method.scores')}\n", t("page.method.formula_intro") + "\n"]
            parts += [render.weights_table(e), f"```text\n{render.formula(e)}```\n"]
        parts += [f"## {t('page.method.stages')}\n"]
        if e.tiers:
            bands = (render.bands_sentence(e) if e.banded else t("page.method.no_bands")).rstrip("。")
            parts.append(t("page.method.stage_rule", bands=bands, rule=render.stage_rule(e)) + "\n")
        else:
            parts.append(t("page.stages.none", year=e.id) + "\n")
        parts += [f"## {t('page.method.basis')} {{ #illustrative }}\n", self.basis_statement()]
        parts += [f"## {t('page.method.sources')}\n", render.sources_list(e)]
        return "\n".join(parts)

    def page_data(self, _: str) -> str:
        e = self.edition
        parts = [self.heading(t("nav.data"), "data"), self.narrative("data"), t("page.data.intro") + "\n", self.note()]
        rows = []
        for name, (content, description, simulated) in self.site.downloads(e.id).items():
            badge = render.illustrative_badge(e) if simulated else ""
            href = render.esc(self.here.file(f"{DOWNLOADS_DIR}/{name}"))
            rows.append(
                (f'<a href="{href}" download>{name}</a>', f"{description} {badge}", f"{len(content) / 1024:.1f} KB")
            )
        parts.append(render.table([t("page.data.file"), t("page.data.content"), t("page.data.size")], rows, "llr"))
        parts.append(self.series_downloads() + "\n")
        parts.append(t("page.data.columns", year=e.id) + "\n")
        parts += [f"## {t('page.data.dictionary')}\n", t("page.data.dictionary_intro") + "\n"]
        for name, columns in data_dictionary(e, self.site.downloads(e.id)).items():
            parts.append(f"### {name}\n")
            rows = [(f"`{column}`", render.prose(meaning)) for column, meaning in columns]
            parts.append(render.table([t("page.data.column"), t("page.data.meaning")], rows, "ll"))
        parts.append(t("columns.basis_values") + "\n")
        return "\n".join(parts)

    def series_downloads(self) -> str:
        """The downloads across editions: the long-format series and the data package."""
        series = render.esc(self.here.file(f"{DOWNLOADS_DIR}/{SERIES_CSV}"))
        package = render.esc(self.here.file(DATA_PACKAGE))
        return t(
            "page.data.series",
            series=f'<a href="{series}" download>{SERIES_CSV}</a>',
            package=f'<a href="{package}" download>{DATA_PACKAGE}</a>',
        )

    def page_page(self, name: str) -> str:
        text = self.narratives.extra[name]
        return self.heading(text.title, "page", name) + "\n" + self.text(text)

    # ------------------------------------------------------------------------------- pieces

    def report_table(self) -> str:
        e = self.edition
        unknown = t("basis.unknown")
        released = (
            f"{e.meta.released.isoformat()}（{render.source_link(e, e.meta.released_source)}）"
            if e.meta.released and e.meta.released_source
            else (e.meta.released.isoformat() if e.meta.released else unknown)
        )
        stages = render.join_zh(x.zh for x in reversed(e.tiers)) if e.tiers else unknown
        ranks = t("page.report.ranks_value", ranked=len(e.ranked), members=len(e.members))
        rows = [
            (t("page.report.title"), f"《{render.esc(e.meta.title)}》"),
            (t("page.report.publisher"), render.esc(e.meta.publisher)),
            (t("page.report.released"), released),
            (t("page.report.size"), t("page.report.size_value", n=e.meta.size)),
            (t("page.report.domains"), render.join_zh(f"[{d.zh}]({self.link('domain', d.id)})" for d in e.domains)),
            (t("page.report.stages"), f"[{stages}]({self.link('stages')})"),
            (t("page.report.ranks"), f"[{ranks}]({self.link('ranking')})"),
            (
                t("page.report.scores"),
                t("page.report.scores_simulated") if self.simulated else t("page.report.no_scores"),
            ),
        ]
        return render.table([t("page.report.item"), t("page.report.value")], rows, "ll")

    def facts(self, facts, empty: str) -> str:
        return render.facts_table(self.edition, facts, self.city_link, empty + "\n")

    def facts_and_gaps(self) -> str:
        return self.facts(self.edition.meta.facts, t("page.overview.no_facts")) + "\n" + self.unpublished_list()

    def unpublished_list(self) -> str:
        """What the edition's folder lacks, said as not published."""
        e = self.edition
        items = []
        if self.simulated:
            items.append(t("gap.scores_simulated"))
        elif not (e.scores and not e.illustrative):  # no scores, or only simulated ones not shown
            items.append(t("gap.scores"))
        if self.simulated and e.weighted:  # the weights of a simulated score file are the site's
            items.append(t("gap.weights_simulated"))
        elif not e.weighted or e.illustrative:
            items.append(t("gap.weights"))
        if not e.tiers:
            items.append(t("gap.stages"))
        else:
            if not e.banded:
                items.append(t("gap.bands"))
            if any(x.published_count is None for x in e.tiers):
                items.append(t("gap.counts"))
        if e.ranked or e.members:
            if render._rank_runs([r.rank for r in e.ranked], e.meta.size):
                items.append(t("gap.ranks", ranks=render.unverified_ranks(e)))
        else:
            items.append(t("gap.no_ranks"))
        return t("page.gaps") + "\n\n" + "\n".join(f"- {x}" for x in items) + "\n"

    def page_cards(self) -> str:
        e = self.edition
        cards = [
            (t("nav.domains"), self.link("domains"), render.join_zh(d.zh for d in e.domains)),
            (
                t("nav.stages"),
                self.link("stages"),
                render.join_zh(x.zh for x in reversed(e.tiers)) or t("basis.unknown"),
            ),
            (
                t("nav.ranking"),
                self.link("ranking"),
                t("page.card.ranking", ranked=len(e.ranked), members=len(e.members)),
            ),
            (t("nav.cases"), self.link("cases"), t("page.card.cases", n=len(self.cases))),
            (t("nav.methodology"), self.link("methodology"), t("page.card.methodology")),
            (t("nav.data"), self.link("data"), t("page.card.data")),
        ]
        cards += [(x.title, self.link("page", name), t("page.card.extra")) for name, x in self.narratives.extra.items()]
        lines = [f"- **[{title}]({href})**：{render.esc(what)}" for title, href, what in cards]
        return '<div class="grid cards" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n"

    def domain_list(self) -> str:
        e = self.edition
        rows = []
        for d in e.domains:
            n = sum(d.id in c.meta.domains for c in self.cases)
            rows.append(
                (
                    f"[{d.zh}]({self.link('domain', d.id)})",
                    render.prose(d.about) if d.about else "—",
                    self.change_text(d),
                    str(n),
                )
            )
        header = [t("page.domains.name"), t("page.domains.about"), t("page.domains.change"), t("page.domains.cases")]
        return render.table(header, rows, "lllr")

    def previous_edition(self):
        ids = self.site.ids
        i = ids.index(self.edition.id)
        return self.site.editions[ids[i - 1]] if i else None

    def change_text(self, d) -> str:
        before = self.previous_edition()
        if before is None:
            return "—"
        if not d.change:
            if d.previous:
                return t("change.kept", year=before.id)
            return t("change.unstated")
        names = render.join_zh(before.domain_by_id[p].zh for p in d.previous)
        text = t(f"change.{d.change}", year=before.id, names=names)
        return f"{text}（{render.source_link(self.edition, d.change_source)}）"

    def lineage(self, d) -> str:
        if self.previous_edition() is None:
            return ""
        return t("page.domain.lineage", text=self.change_text(d)) + "\n"

    def case_list(self, cases, empty: str) -> str:
        return render.case_list(cases, self.here.link, self.results, empty)

    def cases_by_stage(self) -> str:
        return render.cases_by_tier(self.cases, self.here.link, self.results)

    def stage_members(self) -> str:
        r = self.results
        out = []
        for x in reversed(self.edition.tiers):
            rows = r.table[r.table["stage"] == x.id]
            if rows.empty:
                names = t("page.stages.nobody")
            else:
                names = render.join_zh(
                    self.city_link(row.city, row.name_zh.removesuffix("市")) + f"<sup>{BASIS_ZH[row.stage_basis]}</sup>"
                    for row in rows.head(render.MEMBERS_LISTED).itertuples(index=False)
                )
                if len(rows) > render.MEMBERS_LISTED:  # the rest: the ranking's table, filtered
                    link = f"{self.link('ranking')}?stage={quote(x.zh)}"
                    names = t("page.stages.more", names=names, n=len(rows), link=link)
            out.append(f"**{x.zh}**：{names}\n")
        out.append(t("page.stages.members_note") + "\n")
        return "\n".join(out)

    @property
    def simulated(self) -> bool:
        """The pages show simulated scores (the layer is on and the edition has some)."""
        return self.edition.illustrative and self.results.has_scores

    def basis_statement(self) -> str:
        e = self.edition
        if e.scores and self.results.has_scores:
            text = render.basis_statement(e, self.results.has_scores)
            if e.illustrative:
                method = self.site.root / "overrides/includes/illustrative-method.md"
                text += "\n" + method.read_text(encoding="utf-8")
            return text
        return t("page.method.basis_no_scores") + "\n"


def case_title(site: Site, case) -> str:
    return f"{site.city_by_id[case.meta.city].short_zh} · {contrib.text(case.meta.title)}"
