"""Markdown and HTML fragments for the pages, from computed results.

Every function takes computed data and returns text: tables, lists, badges, notes. Numbers are
formatted here, once, so every page rounds alike. Pure; no I/O, no MkDocs.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from . import contrib, drawing
from .editions import Edition
from .labels import DERIVED, MEMBER, NO_RANK, PUBLISHED, SIMULATED, SIMULATED_LONG, UNLISTED, UNVERIFIED, t
from .provinces import province_counts
from .scoring import Results, stage_of_rank

# ----------------------------------------------------------------------------- formatting


def score(value) -> str:
    """A score shown to one decimal; missing shows as —."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    return f"{float(value):.1f}"


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def listing(edition: Edition, city_id: str) -> str:
    """What is known of a city without a published rank: in the list (MEMBER) or not known to be
    (UNLISTED; no source says either way). Never 未核实, which is said of a rank, not a city."""
    return MEMBER if city_id in edition.listed else UNLISTED


def address_link(url, label: str | None = None) -> str:
    """The one way a source address reaches a page: escaped HTML (contrib.link), never Markdown."""
    return contrib.link(label or t("render.source.link"), url)


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def prose(text) -> str:
    """Free text from a data file (a statement, a rule, a summary) written inert: every ASCII
    punctuation mark as a character reference, so that it reads the same and can act as
    neither Markdown (a link, an attribute list) nor HTML. Data files come in pull requests too."""
    return contrib.text(str(text))


def cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Iterable[Sequence], align: str | None = None) -> str:
    """A Markdown table. `align`: one letter per column, l / r / c."""
    align = align or "l" * len(header)
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def join_zh(items: Iterable[str]) -> str:
    return t("render.list_separator").join(items)


# ------------------------------------------------------------------------ labels and notes


def basis_badge(basis: str) -> str:
    """A small badge naming a value's basis: 公布, 推算 or 模拟."""
    titles = {
        "published": t("render.badge.published"),
        "derived": t("render.badge.derived"),
        "simulated": t("render.badge.simulated", simulated=SIMULATED_LONG),
    }
    text = {"published": PUBLISHED, "derived": DERIVED, "simulated": SIMULATED}[basis]
    return f'<span class="dco-badge dco-badge--{basis}" title="{titles[basis]}">{text}</span>'


def illustrative_badge(edition: Edition) -> str:
    """The badge after every simulated number's heading or column; empty if scores are published."""
    return basis_badge("simulated") if edition.illustrative else ""


def no_scores_note(edition: Edition) -> str:
    """What a page shows where scores would be, when none is published on this site."""
    if edition.illustrative:
        return t("render.no_scores.simulated", simulated=SIMULATED_LONG) + "\n"
    return t("render.no_scores.none") + "\n"


def illustrative_note(edition: Edition, methodology_url: str, shown: bool = True) -> str:
    """The note at the top of every page that shows scores; empty if the scores are published
    or none is shown (`shown` false: the simulated layer is off)."""
    if not edition.illustrative or not shown:
        return ""
    title = t("render.warning.title", simulated=SIMULATED_LONG)
    text = t(
        "render.warning.text", title=prose(edition.meta.title), label=SIMULATED, link=f"{methodology_url}#illustrative"
    )
    return f'!!! warning "{title}"\n    {text}\n'


def source_link(edition: Edition, source_id: str) -> str:
    source = edition.source(source_id)
    label = t("render.source.label", publisher=prose(source.publisher), title=prose(source.title))
    if source.url:
        return contrib.link(label, source.url)
    return t("render.source.no_url", label=label)


# ----------------------------------------------------------------------------- headline


def stage_rule(edition: Edition) -> str:
    """How a published rank gives a stage: 'ranks 1-5 生态创新, 6-38 能力协同, 39-100 单元数字化'."""
    parts, upper = [], 0
    if not edition.tiers:
        return t("render.stage_rule.none")
    for tier in reversed(edition.tiers):
        if tier.published_count is None:
            return t("render.stage_rule.no_counts")
        first, upper = upper + 1, upper + tier.published_count
        parts.append(t("render.stage_rule.part", first=first, upper=upper, stage=tier.zh))
    return t("render.stage_rule.rule", parts=join_zh(parts))


def _cards(cards) -> str:
    out = ['<div class="dco-cards">']
    for title, value, note in cards:
        out.append(
            f'<div class="dco-card"><div class="dco-card__title">{esc(title)}</div>'
            f'<div class="dco-card__value">{esc(value)}</div><div class="dco-card__note">{note}</div></div>'
        )
    out.append("</div>")
    return "\n".join(out)


def headline_figures(results: Results) -> str:
    """Overview cards in three groups, one per basis: published (each with its source), derived
    from published values (with the rule), and simulated (labelled, only if the edition has a
    simulated layer)."""
    edition, table_ = results.edition, results.table
    by_rank = {r.rank: r for r in edition.ranked}
    top = [by_rank[i] for i in range(1, 5) if i in by_rank]
    published = []
    if top:
        names = join_zh(edition.city_by_id[r.city].short_zh for r in top)
        source = t("render.source.link")
        published.append((t("render.headline.top", n=len(top)), names, f'<a href="{esc(top[0].source)}">{source}</a>'))
    if edition.tiers and all(tier.published_count is not None for tier in edition.tiers):
        stages = " / ".join(esc(tier.zh) for tier in reversed(edition.tiers))
        published.append(
            (
                t("render.headline.stage_counts"),
                " / ".join(str(tier.published_count) for tier in reversed(edition.tiers)),
                t("render.headline.stage_counts_note", size=edition.meta.size, stages=stages),
            )
        )
    for fact in edition.meta.facts:
        if fact.measure and fact.value is not None:
            published.append((fact.measure, fact_value(fact), source_links_html(edition, fact.sources)))
    derived = []
    by_rank_stage = table_["stage_basis"] == "derived"
    if by_rank_stage.any():
        derived.append(
            (
                t("render.headline.ranked_stages"),
                " / ".join(str(int(results.tier_counts.loc[tier.id, "derived"])) for tier in reversed(edition.tiers)),
                t("render.headline.ranked_stages_note", n=int(by_rank_stage.sum()), rule=esc(stage_rule(edition))),
            )
        )
    unranked = int(table_["published_rank"].isna().sum())
    if unranked:
        derived.append((t("render.headline.unranked"), f"{unranked}", t("render.headline.unranked_note")))
    groups = [("published", t("render.headline.published"), published)]
    if derived:
        groups.append(("derived", t("render.headline.derived"), derived))
    if edition.illustrative and results.has_scores:
        stats = results.domain_stats
        zh = {d.id: d.zh for d in edition.domains}
        strongest, weakest, widest = stats["mean"].idxmax(), stats["mean"].idxmin(), stats["spread"].idxmax()
        sample = t("render.sample", n=len(table_))
        simulated = [
            (
                t("render.headline.strongest"),
                zh[strongest],
                t("render.headline.mean_note", sample=sample, value=score(stats.loc[strongest, "mean"])),
            ),
            (
                t("render.headline.weakest"),
                zh[weakest],
                t("render.headline.mean_note", sample=sample, value=score(stats.loc[weakest, "mean"])),
            ),
            (
                t("render.headline.widest"),
                zh[widest],
                t("render.headline.spread_note", sample=sample, value=score(stats.loc[widest, "spread"])),
            ),
        ]
        groups.append(("simulated", SIMULATED_LONG, simulated))
    out = []
    for basis, title, cards in groups:
        out.append(
            f'<div class="dco-card-group dco-card-group--{basis}">'
            f'<p class="dco-card-group__title">{basis_badge(basis)} {esc(title)}</p>\n{_cards(cards)}\n</div>'
        )
    return "\n".join(out) + "\n"


def number(value: float) -> str:
    """A published number as written: 293, 64.1, 0.64."""
    return f"{value:g}"


def fact_value(fact) -> str:
    return f"{number(fact.value)}{fact.unit or ''}" if fact.value is not None else ""  # unit: plain DataText


def fact_text(fact) -> str:
    """The fact's statement with its value written in (the number: the statement writes the
    unit as the sentence needs it, 293 个城市, 36%)."""
    return fact.statement.replace("{value}", number(fact.value) if fact.value is not None else "")


def source_links(edition: Edition, source_ids) -> str:
    return t("render.clause_separator").join(source_link(edition, s) for s in source_ids)


def source_publishers(edition: Edition, source_ids) -> str:
    """Short source links, the publisher's name only (for table cells holding a value)."""
    out = []
    for s in source_ids:
        source = edition.source(s)
        out.append(contrib.link(prose(source.publisher), source.url) if source.url else prose(source.publisher))
    return t("render.clause_separator").join(out)


def source_links_html(edition: Edition, source_ids) -> str:
    """The same links as HTML, for places Markdown does not reach (inside the overview cards)."""
    out = []
    for s in source_ids:
        source = edition.source(s)
        label = t("render.source.label", publisher=prose(source.publisher), title=prose(source.title))
        out.append(contrib.link(label, source.url) if source.url else t("render.source.no_url", label=label))
    return t("render.clause_separator").join(out)


def fact_basis(fact) -> str:
    if fact.basis == "derived":
        return f"{basis_badge('derived')} {prose(fact.rule)}"
    return basis_badge("published")


def facts_table(edition: Edition, facts, city_link=None, empty: str = "") -> str:
    """Facts as a table: what is stated (with the value written in), its basis, its sources.
    A fact with items (a sub-ranking) lists them, each city linked when `city_link` is given."""
    if not facts:
        return empty
    names = edition.city_by_id

    def name(c):
        return city_link(c, names[c].short_zh) if city_link else names[c].short_zh

    rows = []
    for fact in facts:
        text = prose(fact_text(fact))
        if fact.items:
            # an item that names its own sources says which (the fact's column lists them all)
            listed = join_zh(
                f"{name(i.city)} {number(i.value)}"
                + (f"<sup>{source_publishers(edition, i.sources)}</sup>" if i.sources else "")
                for i in fact.items
            )
            text += "<br>" + t("render.facts.items", label=prose(fact.item_label), items=listed)
        rows.append((text, fact_basis(fact), source_links(edition, fact.sources)))
    header = [t("render.facts.col.content"), t("render.facts.col.basis"), t("render.facts.col.source")]
    return table(header, rows, "lll")


# ------------------------------------------------------------------------------- domains


def domain_overview_table(results: Results, link_for) -> str:
    """All domains side by side: statistics across cities and their place among the six."""
    stats = results.domain_stats
    badge = illustrative_badge(results.edition)
    rows = []
    for d in results.edition.domains:
        s = stats.loc[d.id]
        rows.append(
            (
                f"[{d.zh}]({link_for(d.id)})",
                score(s["mean"]),
                score(s["median"]),
                score(s["min"]),
                score(s["max"]),
                score(s["spread"]),
                score(s["std"]),
                f"{int(s['mean_rank'])}",
                f"{int(s['spread_rank'])}",
            )
        )
    header = [
        t("render.domain_stats.col.domain"),
        t("render.domain_stats.col.mean"),
        t("render.domain_stats.col.median"),
        t("render.domain_stats.col.min"),
        t("render.domain_stats.col.max"),
        t("render.domain_stats.col.spread"),
        t("render.domain_stats.col.std"),
        t("render.domain_stats.col.mean_rank"),
        t("render.domain_stats.col.spread_rank"),
    ]
    sample = t("render.sample", n=len(results.table))
    return t("render.domain_stats.title", sample=sample, badge=badge) + "\n\n" + table(header, rows, "lrrrrrrcc")


def domain_facts(edition: Edition, domain_id: str | None = None) -> list:
    """The facts that name a domain (any domain, when `domain_id` is None)."""
    return [f for f in edition.meta.facts if f.domains and (domain_id is None or domain_id in f.domains)]


def domain_summary(results: Results, domain_id: str) -> str:
    """Key statistics of one domain as a compact table."""
    s = results.domain_stats.loc[domain_id]
    n = len(results.domain_ids)
    rows = [
        (
            t("render.domain_summary.mean"),
            score(s["mean"]),
            t("render.domain_summary.mean_place", n=n, rank=int(s["mean_rank"])),
        ),
        (t("render.domain_summary.median"), score(s["median"]), ""),
        (t("render.domain_summary.range"), f"{score(s['min'])} / {score(s['max'])}", ""),
        (
            t("render.domain_summary.spread"),
            score(s["spread"]),
            t("render.domain_summary.spread_place", rank=int(s["spread_rank"])),
        ),
        (
            t("render.domain_summary.std"),
            score(s["std"]),
            t("render.domain_summary.std_place", rank=int(s["std_rank"])),
        ),
    ]
    header = f"{t('render.sample', n=len(results.table))} {illustrative_badge(results.edition)}"
    return table([t("render.domain_summary.col.stat"), header, t("render.domain_summary.col.place")], rows, "lrl")


def domain_ranked_cities(results: Results, domain_id: str, n: int, city_link) -> str:
    """The n highest simulated scores of a domain. Never a bottom list: a generated low score
    beside a real city's name reads as the report's verdict on it."""
    top = results.table.sort_values([domain_id, "city"], ascending=[False, True]).head(n)
    rows = []
    for i, (_, r) in enumerate(top.iterrows(), start=1):
        rows.append(
            (str(i), city_link(r["city"], r["name_zh"]), r["province_zh"], score(r[domain_id]), score(r["composite"]))
        )
    badge = illustrative_badge(results.edition)
    header = [
        t("render.domain_top.col.place"),
        t("render.domain_top.col.city"),
        t("render.domain_top.col.province"),
        f"{t('render.domain_top.col.score')} {badge}",
        f"{t('render.domain_top.col.composite')} {badge}",
    ]
    return table(header, rows, "rllrr")


def domain_comparison_sentence(results: Results, domain_id: str) -> str:
    """A sentence placing the domain among the others, from the data."""
    s = results.domain_stats.loc[domain_id]
    zh = results.edition.domain_by_id[domain_id].zh
    n = len(results.domain_ids)
    return t(
        "render.domain_sentence",
        cities=len(results.table),
        domain=zh,
        mean=score(s["mean"]),
        n=n,
        mean_rank=int(s["mean_rank"]),
        spread=score(s["spread"]),
        spread_rank=int(s["spread_rank"]),
    )


# --------------------------------------------------------------------------------- tiers


def band_text(tier) -> str:
    if tier.min is None:
        return t("render.band.unpublished")
    if tier.max is None:
        return t("render.band.from", min=f"{tier.min:g}")
    return t("render.band.range", min=f"{tier.min:g}", max=f"{tier.max:g}")


def tier_table(results: Results) -> str:
    """Each stage: its band and published count (or 未公布), and how many of the site's cities
    stand in it, by basis: stated city by city in a source, or derived from a published rank."""
    edition = results.edition
    counts = results.tier_counts
    stated = bool(counts["stated"].sum())
    derived = bool(counts["derived"].sum()) or not stated
    rows = []
    for tier in reversed(edition.tiers):
        published = (
            t("render.tiers.unpublished")
            if pd.isna(counts.loc[tier.id, "published"])
            else str(int(counts.loc[tier.id, "published"]))
        )
        row = [f"**{tier.zh}**", band_text(tier), published]
        row += [str(int(counts.loc[tier.id, "stated"]))] if stated else []
        row += [str(int(counts.loc[tier.id, "derived"]))] if derived else []
        rows.append(tuple(row))
    # Cities the site knows to be in the list without a rank: no stage is derived for them.
    # Cities with no source putting them in the list are not counted in the list's stages at all.
    unknown = int(results.table["city"].isin({r.city for r in edition.members}).sum())
    if unknown:
        rows.append((MEMBER, "—", "—", *(["—"] if stated and derived else []), str(unknown)))
    note = "\n" + t("render.tiers.sources", links=source_links(edition, edition.tiers_file.sources))
    note += "\n\n" + t("render.tiers.rule", rule=stage_rule(edition)) + "\n"
    header = [
        t("render.tiers.col.stage"),
        t("render.tiers.col.band"),
        f"{t('render.tiers.col.published', size=edition.meta.size)} {basis_badge('published')}",
    ]
    header += [f"{t('render.tiers.col.stated')} {basis_badge('published')}"] if stated else []
    header += [f"{t('render.tiers.col.derived')} {basis_badge('derived')}"] if derived else []
    return table(header, rows, "ll" + "r" * (len(header) - 2)) + note


def tier_descriptions(results: Results) -> str:
    out = []
    for tier in reversed(results.edition.tiers):
        band = t("render.tiers.no_band") if tier.min is None else t("render.tiers.band", band=band_text(tier))
        about = prose(tier.about) if tier.about else t("render.tiers.no_about")
        out.append(f"### {tier.zh} {{#{tier.id}}}\n\n*{band}*\n\n{about}\n")
    return "\n".join(out)


MEMBERS_LISTED = 40  # cities named per stage on the tiers page; the rest are a filter away


def tier_members(results: Results, tier_id: str | None, city_link, all_link: str) -> str:
    """The cities of one stage by published rank (None: the cities without one, whose stage is
    unverified); past MEMBERS_LISTED, a link to the full table filtered to the stage."""
    rows = results.table[results.table["stage"] == tier_id] if tier_id else results.table[results.table["stage"].isna()]
    if rows.empty:
        return t("render.members.none") + "\n"
    listed = {r.city for r in results.edition.members}  # in the list, rank unpublished
    names = [
        city_link(r.city, r.name_zh.removesuffix("市")) + (t("render.members.listed") if r.city in listed else "")
        for r in rows.head(MEMBERS_LISTED).itertuples(index=False)
    ]
    if len(rows) <= MEMBERS_LISTED:
        return join_zh(names) + "\n"
    return t("render.members.more", names=join_zh(names), n=len(rows), link=all_link) + "\n"


def tier_members_all(results: Results, city_link, stage_link: Callable[[str], str]) -> str:
    """Every stage's cities; `stage_link` gives the link to the full table filtered to a stage."""
    out = []
    for tier in reversed(results.edition.tiers):
        members = tier_members(results, tier.id, city_link, stage_link(tier.zh))
        out.append(t("render.members.stage", stage=tier.zh, members=members))
    if results.table["stage"].isna().any():
        members = tier_members(results, None, city_link, stage_link(UNVERIFIED))
        out.append(t("render.members.unverified", stage=NO_RANK, members=members))
    return "\n".join(out)


# ---------------------------------------------------------------------------- long tables

ROWS_IN_PAGE = 100  # rows a long table writes into its page; the rest are loaded as data


@dataclass(frozen=True)
class Cell:
    """One table cell: text, optionally a link, optionally emphasised. `target` is an
    http(s) address or the source path of a page (`cases/x.md`, `contribute.md#anchor`)."""

    text: str
    target: str | None = None
    em: bool = False


@dataclass(frozen=True)
class LongTable:
    """A table that may run to thousands of rows. Its page carries the first ROWS_IN_PAGE rows
    (enough to read without scripts); docs/javascripts/tables.js filters, sorts and pages through
    all of them, loading the rest from a data file written beside the pages."""

    id: str
    header: list[str]  # Markdown; may hold a badge
    align: str
    rows: list[tuple[Cell, ...]]
    filter_column: int | None = None  # offered as a drop-down of its distinct values
    filter_label: str = ""
    ascending: tuple[int, ...] = ()  # number columns read smallest first (ranks); others: largest first
    empty: str = ""  # what the table says when a filter finds nothing (plain text)

    @property
    def truncated(self) -> bool:
        return len(self.rows) > ROWS_IN_PAGE


def long_table_markdown(
    lt: LongTable, link_for: Callable[[str], str], data_url: str, csv_url: str, csv_name: str
) -> str:
    """The page part: the tools placeholder, then the first rows as a Markdown table.
    `link_for` turns a page source path into a link from the current page."""

    def md(c: Cell) -> str:
        text = f"*{c.text}*" if c.em else c.text
        if c.target is None:
            return text
        if c.target.startswith(("http://", "https://")):  # a source: escaped HTML, never Markdown syntax
            return contrib.link(text, c.target)
        return f"[{text}]({link_for(c.target)})"

    attrs = {"data-table": lt.id, "data-total": str(len(lt.rows))}
    if lt.truncated:
        attrs["data-src"] = data_url
    if lt.ascending:
        attrs["data-ascending"] = ",".join(map(str, lt.ascending))
    if lt.empty:
        attrs["data-empty"] = lt.empty
    if lt.filter_column is not None:
        attrs["data-filter-column"] = str(lt.filter_column)
        attrs["data-filter-label"] = lt.filter_label
    note = ""
    if lt.truncated:
        download = f'<a href="{esc(csv_url)}" download>{t("render.long_table.download", name=esc(csv_name))}</a>'
        note = "<p>" + t("render.long_table.note", shown=ROWS_IN_PAGE, total=len(lt.rows), download=download) + "</p>"
    tools = '<div class="dco-table-tools" ' + " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items()) + f">{note}</div>"
    rows = [tuple(md(c) for c in row) for row in lt.rows[:ROWS_IN_PAGE]]
    return tools + "\n\n" + table(lt.header, rows, lt.align)


def long_table_csv(lt: LongTable) -> bytes:
    """A long table as CSV (UTF-8 with BOM): its header without badges, every row's text."""
    import re

    from .downloads import csv_bytes

    header = [re.sub(r"<[^>]+>.*?</[^>]+>", "", h).strip() for h in lt.header]
    return csv_bytes(pd.DataFrame([[c.text for c in row] for row in lt.rows], columns=header))


def long_table_data(lt: LongTable, url_for: Callable[[str], str]) -> str:
    """The data file of a truncated table: a script that registers every row (a script, not
    JSON, so that it loads from a site opened from disk too). A cell is [text], [text, href]
    or [text, href, 1] for emphasis; `url_for` turns a page source path into a URL from the
    site root."""

    def item(c: Cell) -> list:
        href = (
            None
            if c.target is None
            else c.target
            if c.target.startswith(("http://", "https://"))
            else url_for(c.target)
        )
        return [c.text] + ([href] if href or c.em else []) + ([1] if c.em else [])

    rows = [[item(c) for c in row] for row in lt.rows]
    payload = json.dumps({"rows": rows}, ensure_ascii=False, separators=(",", ":"))
    return f"(window.dcoTables=window.dcoTables||{{}})[{json.dumps(lt.id)}]={payload};\n"


# ------------------------------------------------------------------------------- ranking


def _rank_runs(ranks: list[int], size: int) -> list[tuple[int, int]]:
    runs, start = [], None
    present = set(ranks)
    for r in range(1, size + 2):
        if r not in present and r <= size:
            start = r if start is None else start
        elif start is not None:
            runs.append((start, r - 1))
            start = None
    return runs


def _tier_zh(edition: Edition, tier) -> str:
    return edition.tier_by_id[tier].zh if isinstance(tier, str) else UNVERIFIED


def ranking_table(results: Results, case_src: Callable[[str], str | None], contribute_src: str) -> LongTable:
    """Published ranks 1..size: confirmed rows with their source and the stage the rank implies,
    gaps marked unverified. No score: this is the published ranking."""
    edition = results.edition
    stage_of = dict(zip(results.table["city"], results.table["stage"]))
    stage_bases = sorted(set(results.table["stage_basis"].dropna()), reverse=True)  # published, derived
    entries = []
    for row in edition.ranking:
        c = edition.city_by_id[row.city]
        stage = stage_of.get(c.id)
        # The stage's name alone (a ?stage= link filters on it); its basis is in the header.
        stage_text = _tier_zh(edition, stage) if stage else ("—" if not edition.tiers else UNVERIFIED)
        if row.rank is None:
            rank, order = MEMBER, (edition.meta.size + 1, c.id)
        else:
            rank = (
                t("render.ranking.rank_derived", rank=row.rank, basis=DERIVED)
                if row.basis == "derived"
                else str(row.rank)
            )
            order = (row.rank, "")
        source = (
            t("render.ranking.source")
            if row.basis == "published"
            else t("render.ranking.derived", rule=prose(row.rule))
        )
        entries.append(
            (
                order,
                (
                    Cell(rank),
                    Cell(c.short_zh, case_src(c.id)),
                    Cell(stage_text),
                    Cell(source, str(row.source)),
                    Cell(c.province_zh),
                ),
            )
        )
    for start, end in _rank_runs([r.rank for r in edition.ranked], edition.meta.size):
        label = f"{start}–{end}" if end > start else str(start)
        entries.append(
            (
                (start, ""),
                (
                    Cell(label),
                    Cell(UNVERIFIED, em=True),
                    Cell("—"),
                    Cell(t("render.ranking.contribute"), contribute_src),
                    Cell("—"),
                ),
            )
        )
    rows = [row for _, row in sorted(entries, key=lambda e: e[0])]
    # Rank, city and stage first: on a phone they are what fits, and what a reader came for.
    header = [
        t("render.ranking.col.rank"),
        t("render.ranking.col.city"),
        " ".join([t("render.ranking.col.stage"), *(basis_badge(b) for b in stage_bases)]),
        f"{t('render.ranking.col.source')} {basis_badge('published')}",
        t("render.ranking.col.province"),
    ]
    return LongTable(
        f"{edition.id}-ranking",
        header,
        "rllll",
        rows,
        filter_column=2,
        filter_label=t("render.ranking.filter"),
        ascending=(0,),
        empty=miss_text(edition),
    )


def score_table(results: Results, case_src: Callable[[str], str | None]) -> LongTable:
    """Every city of the site: its published rank and derived stage (未核实 without a rank),
    then its simulated scores. Ordered by published rank, the others after: a score never gives
    a place."""
    edition = results.edition
    badge = illustrative_badge(edition)
    domains = edition.domains if results.has_scores else ()  # no score columns without scores
    rows = []
    for r in results.table.itertuples(index=False):
        published = listing(edition, r.city) if pd.isna(r.published_rank) else str(int(r.published_rank))
        scores = (Cell(score(r.composite)), *(Cell(score(getattr(r, d.id))) for d in domains)) if domains else ()
        rows.append(
            (
                Cell(r.name_zh.removesuffix("市"), case_src(r.city)),
                Cell(r.province_zh),
                Cell(published),
                Cell(_tier_zh(edition, r.stage)),
                *scores,
            )
        )
    header = [
        t("render.scores.col.city"),
        t("render.scores.col.province"),
        f"{t('render.scores.col.rank')} {basis_badge('published')}",
        f"{t('render.scores.col.stage')} {basis_badge('derived')}",
        *([f"{t('render.scores.col.composite')} {badge}", *(f"{d.zh} {badge}" for d in domains)] if domains else []),
    ]
    align = "llrl" + ("r" + "r" * len(domains) if domains else "")
    return LongTable(
        "scores",
        header,
        align,
        rows,
        filter_column=3,
        filter_label=t("render.scores.filter"),
        ascending=(2,),
        empty=miss_text(edition),
    )


# -------------------------------------------------------------------------- methodology


def weights_table(edition: Edition) -> str:
    rows = [(prose(d.zh), prose(d.en or ""), f"{d.weight}", f"{float(d.weight) * 100:.2f}%") for d in edition.domains]
    header = [
        t("render.weights.col.domain"),
        t("render.weights.col.en"),
        t("render.weights.col.weight"),
        t("render.weights.col.share"),
    ]
    return table(header, rows, "llrr")


def formula(edition: Edition) -> str:
    terms = " + ".join(f"{d.weight} × {d.zh}" for d in edition.domains)
    return t("render.formula", terms=terms) + "\n"


def bands_sentence(edition: Edition) -> str:
    parts = []
    for tier in edition.tiers:
        parts.append(
            t("render.bands.from", stage=tier.zh, min=f"{tier.min:g}")
            if tier.max is None
            else t("render.bands.range", stage=tier.zh, min=f"{tier.min:g}", max=f"{tier.max:g}")
        )
    bands = t("render.clause_separator").join(parts)
    return t("render.bands.sentence", bands=bands, min=f"{edition.tiers[0].min:g}")


def sources_list(edition: Edition) -> str:
    lines = []
    for s in edition.meta.sources:
        where = contrib.link(prose(str(s.url)), s.url) if s.url else t("render.sources.no_url")
        date = t("render.sources.date", date=s.date) if s.date else ""
        note = t("render.sources.note", note=prose(s.note)) if s.note else ""
        item = t(
            "render.sources.item", publisher=prose(s.publisher), title=prose(s.title), date=date, where=where, note=note
        )
        lines.append("- " + item)
    return "\n".join(lines) + "\n"


def region_table(results: Results) -> str:
    """The site's cities with a published rank, by region and by the stage the rank implies. A
    sample (the ranks a source could be read for), named as one; no score is involved."""
    ranked = results.table[results.table["stage"].notna()]
    tiers = list(reversed(results.edition.tiers))
    rows = []
    for region in results.edition.regions:  # in the order of data/regions.yaml
        members = ranked[ranked["region"] == region.id]
        if members.empty:
            continue
        rows.append((region.zh, str(len(members)), *(str(int((members["stage"] == x.id).sum())) for x in tiers)))
    header = [
        t("render.regions.col.region"),
        f"{t('render.regions.col.ranked')} {basis_badge('published')}",
        *(f"{x.zh} {basis_badge('derived')}" for x in tiers),
    ]
    return t("render.regions.intro", n=len(ranked)) + "\n\n" + table(header, rows, "lr" + "r" * len(tiers))


RUNS_LISTED = 50  # a bounded list names every run of unverified ranks up to this many (100 ranks have at most 50)
RUNS_SHOWN = 20  # beyond that, the first ones and the count of ranks


def unverified_ranks(edition: Edition, bounded: bool = False) -> str:
    """'第 21–50 名和第 70–100 名': the ranks no readable source confirms. `bounded` (for text
    every city page repeats, whose length must not grow with the edition): with more than
    RUNS_LISTED runs, the first RUNS_SHOWN and how many ranks there are in all."""
    runs = _rank_runs([r.rank for r in edition.ranked], edition.meta.size)
    if not runs:
        return t("render.ranks.none")
    if runs == [(1, edition.meta.size)]:
        return t("render.ranks.all", n=edition.meta.size)
    parts = [t("render.ranks.run", first=a, last=b) if b > a else t("render.ranks.one", rank=a) for a, b in runs]
    if bounded and len(runs) > RUNS_LISTED:
        return t("chart.names_more", names=join_zh(parts[:RUNS_SHOWN]), n=sum(b - a + 1 for a, b in runs))
    return parts[0] if len(parts) == 1 else t("render.ranks.last", items=join_zh(parts[:-1]), last=parts[-1])


def measured_facts(edition: Edition) -> str:
    """The facts that measure the study itself (indicator counts, cities evaluated, ...)."""
    facts = [f for f in edition.meta.facts if f.measure and not f.provinces]
    rows = [(prose(f.measure), fact_value(f) or prose(fact_text(f)), source_links(edition, f.sources)) for f in facts]
    if not rows:
        return t("render.measures.none") + "\n"
    header = [
        t("render.measures.col.item"),
        f"{t('render.measures.col.value')} {basis_badge('published')}",
        t("render.measures.col.source"),
    ]
    return table(header, rows, "lll")


def basis_statement(edition: Edition, shown: bool = True) -> str:
    if not edition.illustrative:
        return t("render.basis.published_scores") + "\n"
    off = "\n" + t("render.basis.layer_off", simulated=SIMULATED_LONG) + "\n" if not shown else ""
    script = edition.meta.illustrative
    mark = illustrative_badge(edition) if shown else t("render.basis.mark", label=SIMULATED)
    paragraphs = [
        t("render.basis.published", ranked=len(edition.ranked), tiers=len(edition.tiers)),
        t("render.basis.derived", rule=stage_rule(edition)),
        t("render.basis.simulated", simulated=SIMULATED_LONG, script=prose(script.script), seed=script.seed, mark=mark),
    ]
    return "\n\n".join(paragraphs) + "\n" + off


def schema_table(model, title: str) -> str:
    rows = []
    for name, info in model.model_fields.items():
        required = t("render.schema.required") if info.is_required() else t("render.schema.optional")
        rows.append((f"`{name}`", required, info.description or ""))
    header = [t("render.schema.col.field"), t("render.schema.col.required"), t("render.schema.col.about")]
    return f"**{title}**\n\n" + table(header, rows, "lcl")


def case_list(cases, link_for, results: Results, empty: str) -> str:
    """A list of cases; the contributed title and summary are written as inert text."""
    if not cases:
        return empty + "\n"
    lines = []
    for case in cases:
        city = results.edition.city_by_id[case.meta.city]
        title = contrib.text(case.meta.title)
        link, summary = link_for(case.src_uri), contrib.text(case.meta.summary)
        lines.append("- " + t("render.cases.item", city=city.short_zh, title=title, link=link, summary=summary))
    return "\n".join(lines) + "\n"


def cases_by_domain(cases, link_for, results: Results) -> str:
    out = []
    for d in results.edition.domains:
        members = [c for c in cases if d.id in c.meta.domains]
        out.append(f"### {d.zh}\n\n" + case_list(members, link_for, results, t("render.cases.no_domain")))
    return "\n".join(out)


def cases_by_tier(cases, link_for, results: Results) -> str:
    """Cases by the stage their city's published rank implies; cities without one apart."""
    stage_of = dict(zip(results.table["city"], results.table["stage"]))
    out = []
    for tier in reversed(results.edition.tiers):
        members = [c for c in cases if stage_of.get(c.meta.city) == tier.id]
        out.append(f"### {tier.zh}\n\n" + case_list(members, link_for, results, t("render.cases.no_stage")))
    unranked = [c for c in cases if not isinstance(stage_of.get(c.meta.city), str)]
    if unranked:
        heading, note = t("render.cases.unverified", label=NO_RANK), t("render.cases.unverified_note")
        out.append(f"### {heading}\n\n{note}\n\n" + case_list(unranked, link_for, results, ""))
    return "\n".join(out)


# -------------------------------------------------------------------------------- figures


def html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(f"<td>{esc(score(v) if isinstance(v, float) else v)}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure_html(figure, csv_url: str, badge: str, city_href: str = "") -> str:
    """A figure: its drawings (inline SVG, visible before any script runs; a placeholder while
    they are drawn in this build), the spec the chart runtime makes interactive on demand,
    caption, data table and CSV link. A figure whose marks are cities (a `city_id` column)
    names the city page address pattern (`city_href`, `{id}` for the city), so that a click on
    a mark opens that city's page."""
    mark = f" {badge}" if figure.simulated else ""
    note = t("render.figure.simulated_note", simulated=SIMULATED_LONG) if figure.simulated and badge else ""
    drawn = drawing.svg_html(figure.svg) if figure.svg else drawing.placeholder(figure.token())
    spec = json.dumps(drawing.sized(figure.spec, None), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        f'<figure class="dco-figure" id="fig-{figure.id}">\n'
        f'<div class="dco-figure__title">{esc(figure.title)}{mark}</div>\n'
        # The spec rides in an attribute: Material's instant navigation re-runs every <script>
        # of a new page, a JSON one included, so a <script type="application/json"> would fail.
        # The drawings' text (axis labels, legends) is no search result: the page's words are.
        f'<div class="dco-chart" data-search-exclude data-label="{esc(figure.label())}" '
        f'data-basis="{"simulated" if figure.simulated else "published"}" '
        + (f'data-city-href="{esc(city_href)}" ' if city_href and "city_id" in figure.data else "")
        + f'data-vega-spec="{esc(spec)}">{drawn}</div>\n'
        f"<figcaption>{esc(figure.caption)}{note}</figcaption>\n"
        f'<details class="dco-figure__data" data-search-exclude><summary>{t("render.figure.table")}</summary>\n'
        f"{html_table(figure.table_frame())}\n</details>\n"
        f'<p class="dco-figure__download"><a href="{esc(csv_url)}" download>{t("render.figure.download")}</a></p>\n'
        "</figure>\n"
    )


# ----------------------------------------------------------------------------------- cases


def case_facts_table(case, results: Results, domain_link) -> str:
    """The facts the build adds at the top of a case page: city, domains, rank, composite, tier."""
    edition = results.edition
    city = edition.city_by_id[case.meta.city]
    row = results.city(city.id)
    regions = {r.id: r.zh for r in edition.regions}
    badge = illustrative_badge(edition)
    ranked = {r.city: r for r in edition.ranked}
    if city.id in ranked:
        rank = t("render.case.rank", rank=ranked[city.id].rank, source=address_link(ranked[city.id].source))
    else:
        rank = t("render.case.no_rank", label=listing(edition, city.id))
    where = t("render.case.city", name=city.name_zh, province=city.province_zh, region=regions[city.region])
    rows = [
        (t("render.case.row.city"), where),
        (
            t("render.case.row.domains"),
            join_zh(f"[{edition.domain_by_id[d].zh}]({domain_link(d)})" for d in case.meta.domains),
        ),
        (t("render.case.row.rank", size=edition.meta.size), rank),
    ]
    stage = stage_of_rank(ranked[city.id].rank, edition.tiers) if city.id in ranked else None
    if stage and edition.tiers:
        rows.append(
            (
                f"{t('render.case.row.stage')} {basis_badge('derived')}",
                t("render.case.stage", stage=edition.tier_by_id[stage].zh, rule=stage_rule(edition)),
            )
        )
    elif edition.tiers:
        rows.append((t("render.case.row.stage"), t("render.case.no_stage")))
    if row is not None and not pd.isna(row["composite"]):
        rows.append((f"{t('render.case.row.composite')} {badge}", score(row["composite"])))
    return table([t("render.case.col.about"), t("render.case.col.note")], rows, "ll")


def case_figures(case) -> str:
    if not case.meta.figures:
        return ""
    out = [f"## {t('render.case.figures')}\n", '<div class="dco-cards">']
    for f in case.meta.figures:
        value = f"{f.value:g}"
        out.append(
            f'<div class="dco-card"><div class="dco-card__value">{esc(value)}'
            f"<small> {contrib.text(f.unit)}</small></div>"
            f'<div class="dco-card__note">{contrib.text(f.label)}</div></div>'
        )
    out.append("</div>\n")
    hosts = sorted({contrib.host(s.url) for s in case.meta.sources if s.url} or {t("render.sources.no_url")})
    out.append(t("render.case.figures_note", hosts=join_zh(prose(h) for h in hosts)) + "\n")
    return "\n".join(out)


def case_scores_table(results: Results, city_id: str) -> str:
    row = results.city(city_id)
    if row is None or not results.has_scores:
        return no_scores_note(results.edition) if not results.has_scores else t("render.case.no_scores") + "\n"
    edition = results.edition
    tier = row["stage"] if isinstance(row["stage"], str) else None
    means = results.tier_means.loc[tier] if tier in results.tier_means.index else None
    stats = results.domain_stats
    rows = []
    for d in edition.domains:
        rows.append(
            (d.zh, score(row[d.id]), score(means[d.id]) if means is not None else "—", score(stats.loc[d.id, "mean"]))
        )
    badge = illustrative_badge(edition)
    tier_label = (
        t("render.case.stage_mean", stage=edition.tier_by_id[tier].zh) if tier else t("render.case.no_stage_mean")
    )
    sample = t("render.case.sample_mean", n=len(results.table))
    header = [t("render.case.col.domain"), f"{t('render.case.col.score')} {badge}", f"{tier_label} {badge}"]
    return table([*header, f"{sample} {badge}"], rows, "lrrr")


def case_sources(case) -> str:
    """The case's sources: contributed text written inert, addresses as http(s) links only."""
    lines = []
    for s in case.meta.sources:
        parts = [contrib.text(s.publisher) if s.publisher else None, s.date]
        meta = t("render.comma_separator").join(p for p in parts if p)
        title = contrib.link(contrib.text(s.title), s.url)
        source = t("render.case.source_meta", title=title, meta=meta) if meta else t("render.case.source", title=title)
        lines.append("- " + source)
    return f"## {t('render.case.sources')}\n\n" + "\n".join(lines) + "\n"


RELATED_LISTED = 6  # other cases named per domain on a case page; the domain page lists them all


def related_cases(case, cases, results: Results, link_for, domain_link) -> str:
    """A few other cases of each of the case's domains, the same city's first, then by the
    nearest published rank; past RELATED_LISTED, a link to the domain's page, which lists them
    all (a case page's size does not grow with the number of cases)."""
    rank = {r.city: r.rank for r in results.edition.ranked}
    mine = rank.get(case.meta.city, 10**6)

    def order(c):
        return (c.meta.city != case.meta.city, abs(rank.get(c.meta.city, 10**6) - mine), c.slug)

    out = [f"## {t('render.case.related')}\n"]
    for d in case.meta.domains:
        domain = results.edition.domain_by_id[d]
        others = sorted((c for c in cases if d in c.meta.domains and c.slug != case.slug), key=order)
        out.append(t("render.case.related_domain", domain=domain.zh, link=domain_link(d)) + "\n")
        out.append(case_list(others[:RELATED_LISTED], link_for, results, t("render.case.related_none")))
        if len(others) > RELATED_LISTED:
            out.append(t("render.case.related_more", n=len(others), domain=domain.zh, link=domain_link(d)) + "\n")
    return "\n".join(out)


# ---------------------------------------------------------------------------------- cities


def city_src(city_id: str) -> str:
    """The source path of a city's page (generated for every city of data/cities.csv)."""
    return f"cities/{city_id}.md"


def miss_text(edition: Edition) -> str:
    """What a ranking table says when a reader's filter finds no city (plain text)."""
    return t("render.miss", year=edition.id, ranks=unverified_ranks(edition))


# ------------------------------------------------------------------------------- provinces

# Where each province's tile sits in the grid (row, column): a layout, roughly as on a map, not
# data. Provinces missing here are listed after the grid.
PROVINCE_TILES = {
    "黑龙江省": (0, 7),
    "内蒙古自治区": (1, 4),
    "吉林省": (1, 7),
    "新疆维吾尔自治区": (2, 0),
    "甘肃省": (2, 2),
    "宁夏回族自治区": (2, 3),
    "山西省": (2, 4),
    "北京市": (2, 5),
    "天津市": (2, 6),
    "辽宁省": (2, 7),
    "青海省": (3, 1),
    "陕西省": (3, 3),
    "河南省": (3, 4),
    "河北省": (3, 5),
    "山东省": (3, 6),
    "西藏自治区": (4, 0),
    "四川省": (4, 2),
    "重庆市": (4, 3),
    "湖北省": (4, 4),
    "安徽省": (4, 5),
    "江苏省": (4, 6),
    "上海市": (4, 7),
    "云南省": (5, 2),
    "贵州省": (5, 3),
    "湖南省": (5, 4),
    "江西省": (5, 5),
    "浙江省": (5, 6),
    "广西壮族自治区": (6, 3),
    "广东省": (6, 4),
    "福建省": (6, 5),
    "海南省": (7, 3),
}


def _short_province(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def province_facts(edition: Edition) -> dict[str, list[str]]:
    """Province -> the edition's facts that name it, each with its source links."""
    out: dict[str, list[str]] = {}
    for fact in edition.meta.facts:
        for p in fact.provinces:
            out.setdefault(p, []).append(
                t("render.province.fact", fact=prose(fact_text(fact)), links=source_links(edition, fact.sources))
            )
    return out


def province_tiles(results: Results, link_for: Callable[[str], str], prefix: str = "") -> str:
    """One square per province, placed like a map: how many of its cities are in the list, as
    far as is known (macros/provinces.py): the report's own count where a source states one,
    the cities the site knows where that is all (said as "已知"), "未知" where nothing is known;
    never a 0 that only means "not found". Outlined where a published statement names it.
    Plain HTML (no script, no map file)."""
    edition = results.edition
    counts = province_counts(edition, PROVINCE_TILES)
    named = province_facts(edition)
    tiles = []
    for province, (row, col) in PROVINCE_TILES.items():
        c = counts[province]
        mark = " dco-tile--named" if province in named else ""
        if c.count is None and c.known:  # the cities the site knows; there may be more
            shown, extra = str(c.known), f"<small>{t('render.province.known_label')}</small>"
            key = "render.province.tile_known"
        elif c.count is None:
            shown, extra, key = t("render.province.unknown"), "", "render.province.tile_unknown"
        else:
            shown = str(c.count)
            extra = f"<small>{t('render.province.known_short', n=c.known)}</small>" if c.partial else ""
            key = "render.province.tile_stated" if c.stated is not None else "render.province.tile_complete"
        title = t(key, province=province, n=c.count if c.count is not None else 0, known=c.known)
        if province in named:
            title += t("render.province.tile_named_suffix")
        unknown = " dco-tile--unknown" if c.count is None and not c.known else ""
        inner = f"<span>{esc(_short_province(province))}</span><strong>{shown}</strong>{extra}"
        # The tile shows a short name and a number; its name for assistive technology says both in full.
        place = f'style="grid-row: {row + 1}; grid-column: {col + 1}" title="{esc(title)}" aria-label="{esc(title)}"'
        if c.known or province in named:  # it has a row in the table below
            tiles.append(f'<a class="dco-tile{mark}" {place} href="#{esc(prefix + province)}">{inner}</a>')
        else:
            tiles.append(f'<span class="dco-tile dco-tile--empty{unknown}" role="img" {place}>{inner}</span>')
    key = "render.province.legend_complete" if next(iter(counts.values())).complete else "render.province.legend"
    legend = f'<p class="dco-tiles__legend">{t(key)}</p>'
    return (
        f'<div class="dco-tiles" role="group" aria-label="{t("render.province.aria")}">'
        + "".join(tiles)
        + "</div>\n"
        + legend
        + "\n"
    )


def province_table(results: Results, city_link, prefix: str = "") -> str:
    """Per province: its region, its cities with a published rank (linked), and what the
    report said about it. Provinces with neither are left out."""
    edition = results.edition
    ranked = {r.city: r.rank for r in edition.ranking}  # None: listed, rank not published
    named = province_facts(edition)
    regions = {p: r.zh for r in edition.regions for p in r.provinces}
    order = [p for r in edition.regions for p in r.provinces]
    rows = []
    for province in order:
        cities = sorted(
            (c for c in edition.cities if c.province_zh == province and c.id in ranked),
            key=lambda c: (ranked[c.id] is None, ranked[c.id] or 0, c.adcode),
        )
        if not cities and province not in named:
            continue
        names = join_zh(
            t("render.province.city", city=city_link(c.id, c.short_zh), rank=ranked[c.id] or MEMBER) for c in cities
        )
        anchor = f'<span id="{esc(prefix + province)}"></span>{esc(province)}'
        facts = t("render.clause_separator").join(named.get(province, []))
        rows.append((anchor, regions[province], names or "—", facts or "—"))
    header = [
        t("render.province.col.province"),
        t("render.province.col.region"),
        f"{t('render.province.col.cities')} {basis_badge('published')}",
        f"{t('render.province.col.facts')} {basis_badge('published')}",
    ]
    return table(header, rows, "llll")
