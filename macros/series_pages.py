"""Pages across editions: the home page's series, how the study changed, rank movements, the
cities (index and one page each) and the provinces. Composed from every edition's files; only
published and derived ranks move a city, and a simulated value appears only where it is
labelled. Pure; no MkDocs.
"""

from __future__ import annotations

from . import render
from .labels import BASIS_ZH, MEMBER, UNVERIFIED, t
from .render import Cell, LongTable
from .series import city_index, missing_years, movements, pinyin_keys, rank_history
from .site import DOWNLOADS_DIR, SERIES_CSV, Here, Site, edition_src

# After a heading (attr_list): Material's search leaves the section out of its index.
SEARCH_EXCLUDE = " { data-search-exclude }"


def moved_text(moved: int) -> str:
    if moved > 0:
        return t("move.up", n=moved)
    if moved < 0:
        return t("move.down", n=-moved)
    return t("move.same")


LEADERS = 10  # the top places the home page lists, where they are published


class SeriesPages:
    def __init__(self, site: Site, here: Here):
        self.site, self.here = site, here

    def city_link(self, city_id: str, label: str | None = None) -> str:
        return self.site.city_link(self.here)(city_id, label or self.site.city_by_id[city_id].short_zh)

    def edition_link(self, edition_id: str, kind: str = "overview", arg: str = "") -> str:
        return self.here.link(edition_src(edition_id, kind, arg))

    def show(self, builder: str, *args) -> str:
        return self.site.show_series(self.here, builder, *args)

    # --------------------------------------------------------------------------------- home

    def home(self) -> str:
        latest = self.site.latest
        parts = self.who_leads()
        parts.append(f"## {t('home.latest', title=latest.meta.short_title)}\n")
        parts.append(
            t(
                "home.latest_text",
                title=render.esc(latest.meta.title),
                link=self.edition_link(latest.id),
                domains=render.join_zh(d.zh for d in latest.domains),
            )
            + "\n"
        )
        parts.append(render.facts_table(latest, latest.meta.facts, self.city_link, ""))
        parts += [f"## {t('home.series')}\n", self.series_table()]
        return "\n".join(parts)

    def who_leads(self) -> list[str]:
        """The first screen's answer: the top of the newest edition whose first places are
        published (not simply the newest edition, which may have published no rank), and what
        the editions after it published instead."""
        editions = list(self.site.editions.values())
        leader = next((e for e in reversed(editions) if any(r.rank == 1 for r in e.ranked)), None)
        if leader is None:
            return []
        by_rank = {r.rank: r for r in leader.ranked}
        top = []
        while len(top) < LEADERS and len(top) + 1 in by_rank:
            top.append(by_rank[len(top) + 1])
        items = [
            f"{r.rank}. {self.city_link(r.city)} {render.basis_badge(r.basis)}（{render.address_link(r.source)}）"
            for r in top
        ]
        parts = [
            f"## {t('home.leads', title=leader.meta.short_title)}\n",
            t(
                "home.leads_text",
                title=leader.meta.short_title,
                n=len(top),
                link=self.edition_link(leader.id, "ranking"),
            )
            + "\n",
            "\n".join(items) + "\n",
        ]
        later = [e for e in editions if int(e.id) > int(leader.id)]
        if later:
            said = render.join_zh(
                t(
                    "home.later_edition" if e.ranked else "home.later_no_ranks",
                    year=e.id,
                    ranked=len(e.ranked),
                    members=len(e.members),
                )
                for e in later
            )
            parts.append(t("home.later", editions=said) + "\n")
        return parts

    def series_table(self) -> str:
        rows = []
        for e in reversed(list(self.site.editions.values())):
            released = e.meta.released.isoformat() if e.meta.released else t("basis.unknown")
            stages = render.join_zh(x.zh for x in reversed(e.tiers)) or t("basis.unknown")
            rows.append(
                (
                    f"[{e.meta.short_title}]({self.edition_link(e.id)})",
                    released,
                    render.join_zh(d.zh for d in e.domains),
                    stages,
                    str(len(e.ranked)),
                    str(len(e.members)),
                    str(len(self.site.cases_of(e.id))),
                )
            )
        header = [t(f"home.col.{k}") for k in ("edition", "released", "domains", "stages", "ranks", "members", "cases")]
        return render.table(header, rows, "llllrrr")

    # ------------------------------------------------------------------------------ changes

    def changes(self) -> str:
        editions = list(self.site.editions.values())
        parts = [f"## {t('changes.domains')}\n"]
        rows = [
            (
                f"[{e.id}]({self.edition_link(e.id, 'domains')})",
                render.join_zh(d.zh for d in e.domains),
                self.domains_basis(e),
            )
            for e in editions
        ]
        parts.append(
            render.table([t("changes.col.edition"), t("changes.col.domains"), t("changes.col.basis")], rows, "lll")
        )
        parts.append(f"### {t('changes.stated')}\n")
        for before, e in zip(editions, editions[1:]):
            stated = [d for d in e.domains if d.change]
            if stated:
                lines = [f"- {self.change_line(before, e, d)}" for d in stated]
            else:
                lines = [f"- {t('changes.none_stated')}"]
            parts.append(f"**{before.id} → {e.id}**\n\n" + "\n".join(lines) + "\n")
        parts += [f"## {t('changes.stages')}\n", self.stage_schemes(editions)]
        parts += [f"## {t('changes.measures')}\n", self.measures(editions, provinces=False)]
        parts += [f"## {t('changes.provinces')}\n", self.measures(editions, provinces=True)]
        return "\n".join(parts)

    def change_line(self, before, e, d) -> str:
        names = render.join_zh(before.domain_by_id[p].zh for p in d.previous)
        said = t(f"change.{d.change}", year=before.id, names=names)
        return f"{d.zh}：{said}（{render.source_link(e, d.change_source)}）"

    def domains_basis(self, e) -> str:
        f = e.domains_file
        mark = render.basis_badge(f.basis) + (f" {render.prose(f.rule)}" if f.rule else "")
        return f"{mark}（{render.source_links(e, f.sources)}）"

    def stage_schemes(self, editions) -> str:
        rows = []
        for e in editions:
            if not e.tiers:
                rows.append((e.id, t("basis.unknown"), "—", "—", "—"))
                continue
            names = render.join_zh(x.zh for x in reversed(e.tiers))
            bands = (
                render.join_zh(f"{x.zh} {render.band_text(x)}" for x in reversed(e.tiers))
                if e.banded
                else t("changes.no_bands")
            )
            counts = (
                render.join_zh(f"{x.zh} {x.published_count}" for x in reversed(e.tiers))
                if all(x.published_count is not None for x in e.tiers)
                else t("changes.no_counts")
            )
            rows.append((e.id, names, bands, counts, render.source_links(e, e.tiers_file.sources)))
        header = [
            t("changes.col.edition"),
            t("changes.col.stages"),
            t("changes.col.bands"),
            t("changes.col.counts"),
            t("changes.col.sources"),
        ]
        return render.table(header, rows, "lllll")

    def measures(self, editions, provinces: bool) -> str:
        """Facts that share a measure (and, for provinces, the same provinces) set side by side."""
        keyed: dict[tuple, dict[str, object]] = {}
        for e in editions:
            for f in e.meta.facts:
                if not f.measure or bool(f.provinces) != provinces:
                    continue
                key = (f.measure, tuple(sorted(f.provinces)))
                keyed.setdefault(key, {})[e.id] = (e, f)
        if not keyed:
            return t("changes.no_measures") + "\n"
        rows = []
        for (measure, provs), by_edition in keyed.items():
            shorts = [render._short_province(p) for p in provs]
            named = not provinces or all(x in measure for x in shorts)  # the measure names them itself
            label = render.prose(measure) if named else f"{render.join_zh(shorts)}：{render.prose(measure)}"

            cells = []
            for e in editions:
                if e.id not in by_edition:
                    cells.append("—")
                    continue
                _, f = by_edition[e.id]
                value = render.fact_value(f) if f.value is not None else render.prose(render.fact_text(f))
                mark = f"（{BASIS_ZH['derived']}）" if f.basis == "derived" else ""
                cells.append(f"{value}{mark}<sup>{render.source_publishers(e, f.sources)}</sup>")
            rows.append((label, *cells))
        return render.table([t("changes.col.measure"), *(e.id for e in editions)], rows, "l" + "r" * len(editions))

    # ---------------------------------------------------------------------------- movements

    def movements(self) -> str:
        site = self.site
        history = rank_history(site)
        moves = movements(site)
        if moves.empty:
            return t("movements.none") + "\n"
        ranked_editions = [e for e in site.editions.values() if e.ranked]
        cities = sorted(set(moves["city"]), key=lambda c: site.city_by_id[c].adcode)
        rows = []
        for city in cities:
            mine = history[history["city"] == city].set_index("edition")
            cells = []
            for e in ranked_editions:
                if e.id in mine.index:
                    r = mine.loc[e.id]
                    mark = f"（{BASIS_ZH['derived']}）" if r["basis"] == "derived" else ""
                    cells.append(render.address_link(r["source"], str(int(r["rank"]))) + mark)
                else:
                    cells.append("—")
            steps = moves[moves["city"] == city]
            change = "；".join(
                f"{m.from_edition}→{m.to_edition} {moved_text(int(m.moved))}{self.changed_note(m)}"
                for m in steps.itertuples(index=False)
            )
            rows.append((self.city_link(city), *cells, change))
        header = [t("movements.col.city"), *(e.id for e in ranked_editions), t("movements.col.change")]
        parts = [render.table(header, rows, "l" + "r" * len(ranked_editions) + "l")]
        parts.append(t("movements.note") + "\n")
        parts.append(self.show("build_rank_movement_chart", tuple(cities)))
        return "\n".join(parts)

    def changed_note(self, move) -> str:
        """Beside a move: what changed in the method between its editions, linked to the page
        that says how (empty when nothing is known to have changed)."""
        if not move.changes:
            return ""
        eds = self.site.editions
        what = []
        for key in move.changes:
            if key == "gap":
                years = missing_years(eds[move.from_edition], eds[move.to_edition], eds.values())
                what.append(t("movements.changed.gap", years=render.join_zh(str(y) for y in years)))
            else:
                what.append(t(f"movements.changed.{key}"))
        link = self.here.link("changes.md")
        return t("movements.changed.note", what=render.join_zh(what), link=link)

    # ------------------------------------------------------------------------------- cities

    def city_index(self) -> str:
        site = self.site
        regions = {r.id: r.zh for r in site.latest.regions}
        editions = [e for e in reversed(list(site.editions.values())) if e.ranking]
        index = city_index(site)
        rows = []
        best = {}
        for city in site.cities:
            cells = []
            for e in editions:
                row = index.ranking[e.id].get(city.id)
                if row is None:
                    cells.append(Cell("—"))
                elif row.rank is None:
                    cells.append(Cell(MEMBER))
                else:
                    cells.append(Cell(str(row.rank) + (f"（{BASIS_ZH['derived']}）" if row.basis == "derived" else "")))
                    best.setdefault(city.id, (-int(e.id), row.rank))
            rows.append(
                (
                    best.get(city.id, (1, 10**6)),
                    city.adcode,
                    (
                        Cell(city.short_zh, render.city_src(city.id)),
                        Cell(city.province_zh),
                        Cell(regions[city.region]),
                        *cells,
                        Cell(str(len(index.cases.get(city.id, ())))),
                    ),
                )
            )
        rows.sort(key=lambda r: (r[0], r[1]))
        header = [
            t("cities.col.city"),
            t("cities.col.province"),
            t("cities.col.region"),
            *(t("cities.col.rank", year=e.id) for e in editions),
            t("cities.col.cases"),
        ]
        table = LongTable(
            "cities",
            header,
            "lll" + "r" * len(editions) + "r",
            [r[2] for r in rows],
            filter_column=2,
            filter_label=t("cities.col.region"),
            ascending=tuple(range(3, 3 + len(editions))),
            empty=self.miss_text(),
        )
        return self.site.long_table(self.here, table, "cities.csv") + "\n" + self.miss_paragraph()

    def miss_text(self) -> str:
        parts = [
            t("cities.miss_edition", year=e.id, ranks=render.unverified_ranks(e))
            for e in reversed(list(self.site.editions.values()))
        ]
        return t("cities.miss", editions="；".join(parts))

    def miss_paragraph(self) -> str:
        return t(
            "cities.miss_paragraph", text=self.miss_text(), help=self.here.link("contribute.md#三补充一个已核实的名次")
        )

    def city_page(self, city_id: str) -> str:
        site = self.site
        city = site.city_by_id[city_id]
        regions = {r.id: r.zh for r in site.latest.regions}
        parts = [f"# {city.short_zh}\n"]
        # Its English name and pinyin are in the text, so that search finds the page from them
        # (changsha, Xi'an / xian).
        full, _ = pinyin_keys(city.name_zh)
        latin = (
            city.name_en
            if full == city.name_en.lower().replace("'", "").replace(" ", "")
            else f"{city.name_en}, {full}"
        )
        where = t("city.where", name=city.name_zh, latin=latin, province=city.province_zh, region=regions[city.region])
        parts.append(where + "\n")
        # Sections whose words are the same on every city page stay out of the search index
        # (SEARCH_EXCLUDE): a city page is found by its name, place, facts and cases; with
        # thousands of cities, the repeated words would be most of the index.
        parts += [f"## {t('city.editions')}{SEARCH_EXCLUDE}\n", self.city_editions(city_id)]
        series = render.esc(self.here.file(f"{DOWNLOADS_DIR}/{SERIES_CSV}"))
        parts.append(t("city.series", link=f'<a href="{series}" download>{SERIES_CSV}</a>') + "\n")
        index = city_index(site)
        if index.history_rows.get(city_id, 0) >= 2:
            parts.append(self.show("build_city_rank_chart", city_id))
        facts = self.city_facts(city_id)
        parts += [f"## {t('city.facts')}\n", facts or t("city.no_facts") + "\n"]
        cases = index.cases.get(city_id, [])
        parts += [f"## {t('city.cases')}\n"]
        if cases:
            for e in site.editions.values():
                mine_cases = [c for c in cases if c.meta.edition == e.id]
                if mine_cases:
                    parts.append(f"**{e.meta.short_title}**\n")
                    parts.append(render.case_list(mine_cases, self.here.link, site.results[e.id], ""))
        else:
            parts.append(t("city.no_cases", help=self.here.link("contribute.md")) + "\n")
        for e in site.editions.values():
            results = site.results[e.id]
            if results.has_scores and results.city(city_id) is not None:
                parts += [
                    f"## {t('city.profile', year=e.id)}{SEARCH_EXCLUDE}\n",
                    render.illustrative_note(e, self.edition_link(e.id, "methodology"), True),
                    site.show(self.here, e.id, "build_case_profile_chart", city_id),
                    render.case_scores_table(results, city_id),
                ]
        parts += [f"## {t('city.unknown')}{SEARCH_EXCLUDE}\n", self.city_unknowns(city_id)]
        parts.append(site.citation(self.here, city.short_zh))
        return "\n".join(parts)

    def city_editions(self, city_id: str) -> str:
        site = self.site
        index = city_index(site)
        rows = []
        for e in reversed(list(site.editions.values())):
            row = index.ranking[e.id].get(city_id)
            if row is None:
                rank = t("city.not_found", ranks=index.unverified[e.id]) if e.ranked else t("city.no_ranks")
            elif row.rank is None:
                rank = (
                    f"{MEMBER} {render.basis_badge('published')}（{render.address_link(row.source, t('city.source'))}）"
                )
            else:
                rule = f"：{render.prose(row.rule)}" if row.rule else ""
                rank = (
                    t("city.rank", rank=row.rank)
                    + f" {render.basis_badge(row.basis)}（{render.address_link(row.source, t('city.source'))}{rule}）"
                )
            r0 = index.table[e.id].get(city_id)
            stage = "—"
            if r0 is not None and isinstance(r0["stage"], str):
                stage = f"{e.tier_by_id[r0['stage']].zh} {render.basis_badge(r0['stage_basis'])}"
                if r0["stage_basis"] == "published":
                    stage += f"（{render.address_link(r0['stage_source'], t('city.source'))}）"
                else:
                    stage += f"（{render.esc(render.stage_rule(e))}）"
            elif e.tiers and (row is not None or not e.ranked):
                stage = UNVERIFIED
            rows.append((f"[{e.meta.short_title}]({self.edition_link(e.id)})", rank, stage))
        return render.table([t("city.col.edition"), t("city.col.rank"), t("city.col.stage")], rows, "lll")

    def city_facts(self, city_id: str) -> str:
        rows = []
        for e in reversed(list(self.site.editions.values())):
            for f in e.meta.facts:
                if city_id in f.cities or any(i.city == city_id for i in f.items):
                    text = render.prose(render.fact_text(f))
                    item = next((i for i in f.items if i.city == city_id), None)
                    sources = f.sources
                    if item is not None:
                        text += f"<br>{render.prose(f.item_label)}：{render.number(item.value)}"
                        sources = item.sources or f.sources  # only the sources that state this city's value
                    rows.append((e.id, text, render.fact_basis(f), render.source_links(e, sources)))
        if not rows:
            return ""
        return render.table(
            [t("city.col.edition"), t("city.col.fact"), t("city.col.basis"), t("city.col.source")], rows, "llll"
        )

    def city_unknowns(self, city_id: str) -> str:
        items = []
        index = city_index(self.site)
        for e in reversed(list(self.site.editions.values())):
            if city_id not in index.ranked[e.id]:
                items.append(t("city.unknown_rank", year=e.id, ranks=index.unverified[e.id]))
        if any(not e.scores or e.illustrative for e in self.site.editions.values()):
            items.append(t("city.unknown_scores"))
        return "\n".join(f"- {x}" for x in items) + "\n"

    # ---------------------------------------------------------------------------- provinces

    def provinces(self) -> str:
        site = self.site
        parts = []
        for e in reversed(list(site.editions.values())):
            facts = [f for f in e.meta.facts if f.provinces]
            if not facts and not e.ranked:
                continue
            body = [
                render.province_tiles(site.results[e.id], self.here.link, prefix=e.id),
                render.province_table(site.results[e.id], self.city_link_fn(), prefix=e.id),
            ]
            content = "\n".join(body)
            indented = "\n".join(("    " + line) if line.strip() else "" for line in content.splitlines())
            parts.append(f'=== "{e.meta.short_title}"\n\n{indented}\n')
        parts += [f"## {t('changes.provinces')}\n", self.measures(list(site.editions.values()), provinces=True)]
        return "\n".join(parts)

    def city_link_fn(self):
        return lambda city_id, label: self.city_link(city_id, label)
