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

from . import contrib
from .editions import Edition
from .labels import BASIS_ZH, DERIVED, MEMBER, PUBLISHED, SIMULATED, SIMULATED_LONG, UNVERIFIED
from .scoring import Results, stage_of_rank

# ----------------------------------------------------------------------------- formatting


def score(value) -> str:
    """A score shown to one decimal; missing shows as —."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    return f"{float(value):.1f}"


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def esc(text) -> str:
    return html.escape(str(text), quote=True)


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
    return "、".join(items)


# ------------------------------------------------------------------------ labels and notes


def basis_badge(basis: str) -> str:
    """A small badge naming a value's basis: 公布, 推算 or 模拟."""
    titles = {
        "published": "公布：来源中写明的数字，附来源地址",
        "derived": "推算：只由公布的数字按写明的规则算出",
        "simulated": f"{SIMULATED_LONG}：由公开脚本按固定随机种子生成，与公布的事实一致，不是报告的数据",
    }
    text = {"published": PUBLISHED, "derived": DERIVED, "simulated": SIMULATED}[basis]
    return f'<span class="dco-badge dco-badge--{basis}" title="{titles[basis]}">{text}</span>'


def illustrative_badge(edition: Edition) -> str:
    """The badge after every simulated number's heading or column; empty if scores are published."""
    return basis_badge("simulated") if edition.illustrative else ""


def no_scores_note(edition: Edition) -> str:
    """What a page shows where scores would be, when none is published on this site."""
    if edition.illustrative:
        return f"报告没有公布分数；本站这一版不发布{SIMULATED_LONG}，所以这里没有分数。\n"
    return "这一版本没有公布分数。\n"


def illustrative_note(edition: Edition, methodology_url: str, shown: bool = True) -> str:
    """The note at the top of every page that shows scores; empty if the scores are published
    or none is shown (`shown` false: the simulated layer is off)."""
    if not edition.illustrative or not shown:
        return ""
    return (
        f'!!! warning "本页的分数是{SIMULATED_LONG}"\n'
        f"    《{edition.meta.title}》没有公布任何分数。本页标有“{SIMULATED}”的综合得分、领域得分和由它们算出的均值、"
        "极差，来自一份**模拟数据**：由公开的脚本按固定随机种子生成，与报告公布的名次、阶段划分和领域结论一致，"
        "但不是报告的数据，不能当作城市的真实得分引用，也不能据此给没有公开名次的城市排位。"
        f"名次和阶段只来自公开来源（阶段由名次推算）。生成方法见[方法与数据]({methodology_url}#illustrative)。\n"
    )


def source_link(edition: Edition, source_id: str) -> str:
    source = edition.source(source_id)
    label = f"{source.publisher}：{source.title}"
    if source.url:
        return f"[{label}]({source.url})"
    return f"{label}（没有找到可公开访问的地址）"


# ----------------------------------------------------------------------------- headline


def stage_rule(edition: Edition) -> str:
    """How a published rank gives a stage: 'ranks 1-5 生态创新, 6-38 能力协同, 39-100 单元数字化'."""
    parts, upper = [], 0
    if not edition.tiers:
        return "这一版本的阶段划分没有查到公开来源"
    for t in reversed(edition.tiers):
        if t.published_count is None:
            return "报告没有公布各阶段的城市数，无法由名次推算阶段"
        first, upper = upper + 1, upper + t.published_count
        parts.append(f"第 {first}–{upper} 名为{t.zh}")
    return "按报告公布的各阶段城市数，" + "、".join(parts)


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
        published.append((f"公开名次前 {len(top)} 位", names, f'<a href="{esc(top[0].source)}">来源</a>'))
    if edition.tiers and all(t.published_count is not None for t in edition.tiers):
        published.append(
            (
                "各阶段城市数",
                " / ".join(str(t.published_count) for t in reversed(edition.tiers)),
                f"{edition.meta.size} 强中" + " / ".join(esc(t.zh) for t in reversed(edition.tiers)),
            )
        )
    for fact in edition.meta.facts:
        if fact.measure and fact.value is not None:
            published.append((fact.measure, fact_value(fact), source_links(edition, fact.sources)))
    derived = []
    by_rank_stage = table_["stage_basis"] == "derived"
    if by_rank_stage.any():
        derived.append(
            (
                "有公开名次的城市的阶段",
                " / ".join(str(int(results.tier_counts.loc[t.id, "derived"])) for t in reversed(edition.tiers)),
                f"本站收录的 {int(by_rank_stage.sum())} 个有公开名次的城市；" + esc(stage_rule(edition)),
            )
        )
    unranked = int(table_["published_rank"].isna().sum())
    if unranked:
        derived.append(("名次未公布", f"{unranked}", "本站收录、没有公开名次的城市：不推算阶段，也不排位"))
    groups = [("published", "公布的数字", published)]
    if derived:
        groups.append(("derived", "由公布的数字推算", derived))
    if edition.illustrative and results.has_scores:
        stats = results.domain_stats
        zh = {d.id: d.zh for d in edition.domains}
        strongest, weakest, widest = stats["mean"].idxmax(), stats["mean"].idxmin(), stats["spread"].idxmax()
        sample = f"本站收录的 {len(table_)} 个城市"
        simulated = [
            ("均值最高的领域", zh[strongest], f"{sample}，均值 {score(stats.loc[strongest, 'mean'])}"),
            ("均值最低的领域", zh[weakest], f"{sample}，均值 {score(stats.loc[weakest, 'mean'])}"),
            ("城市间差距最大的领域", zh[widest], f"{sample}，极差 {score(stats.loc[widest, 'spread'])}"),
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
    return f"{number(fact.value)}{fact.unit or ''}" if fact.value is not None else ""


def fact_text(fact) -> str:
    """The fact's statement with its value written in."""
    return fact.statement.replace("{value}", fact_value(fact))


def source_links(edition: Edition, source_ids) -> str:
    return "；".join(source_link(edition, s) for s in source_ids)


def fact_basis(fact) -> str:
    if fact.basis == "derived":
        return f"{basis_badge('derived')} {esc(fact.rule)}"
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
        text = esc(fact_text(fact))
        if fact.items:
            listed = join_zh(f"{name(i.city)} {number(i.value)}" for i in fact.items)
            text += f"<br>{esc(fact.item_label)}：{listed}"
        rows.append((text, fact_basis(fact), source_links(edition, fact.sources)))
    return table(["内容", "性质", "来源"], rows, "lll")


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
    header = ["领域", "均值", "中位数", "最低", "最高", "极差", "标准差", "均值排序", "差距排序"]
    sample = f"本站收录的 {len(results.table)} 个城市"
    return f"{sample}各领域模拟得分的统计 {badge}\n\n" + table(header, rows, "lrrrrrrcc")


def domain_facts(edition: Edition, domain_id: str | None = None) -> list:
    """The facts that name a domain (any domain, when `domain_id` is None)."""
    return [f for f in edition.meta.facts if f.domains and (domain_id is None or domain_id in f.domains)]


def domain_summary(results: Results, domain_id: str) -> str:
    """Key statistics of one domain as a compact table."""
    s = results.domain_stats.loc[domain_id]
    n = len(results.domain_ids)
    rows = [
        ("均值", score(s["mean"]), f"{n} 个领域中第 {int(s['mean_rank'])} 高"),
        ("中位数", score(s["median"]), ""),
        ("最低 / 最高", f"{score(s['min'])} / {score(s['max'])}", ""),
        ("极差（最高减最低）", score(s["spread"]), f"城市间差距第 {int(s['spread_rank'])} 大"),
        ("标准差", score(s["std"]), f"第 {int(s['std_rank'])} 大"),
    ]
    header = f"本站收录的 {len(results.table)} 个城市 {illustrative_badge(results.edition)}"
    return table(["统计量", header, "在各领域中的位置"], rows, "lrl")


def domain_ranked_cities(results: Results, domain_id: str, n: int, city_link) -> str:
    """The n highest simulated scores of a domain. Never a bottom list: a generated low score
    beside a real city's name reads as the report's verdict on it."""
    t = results.table.sort_values([domain_id, "city"], ascending=[False, True]).head(n)
    rows = []
    for i, (_, r) in enumerate(t.iterrows(), start=1):
        rows.append(
            (str(i), city_link(r["city"], r["name_zh"]), r["province_zh"], score(r[domain_id]), score(r["composite"]))
        )
    badge = illustrative_badge(results.edition)
    return table(["", "城市", "省份", f"本领域得分 {badge}", f"综合得分 {badge}"], rows, "rllrr")


def domain_comparison_sentence(results: Results, domain_id: str) -> str:
    """A sentence placing the domain among the others, from the data."""
    s = results.domain_stats.loc[domain_id]
    zh = results.edition.domain_by_id[domain_id].zh
    n = len(results.domain_ids)
    return (
        f"在本站收录的 {len(results.table)} 个城市的模拟数据中，{zh}的平均得分为 {score(s['mean'])}，"
        f"在 {n} 个领域中排第 {int(s['mean_rank'])}；"
        f"城市之间的极差为 {score(s['spread'])}，差距排第 {int(s['spread_rank'])}。"
    )


# --------------------------------------------------------------------------------- tiers


def band_text(t) -> str:
    if t.min is None:
        return "未公布"
    return f"{t.min:g} 分及以上" if t.max is None else f"{t.min:g} 至 {t.max:g} 分（不含 {t.max:g}）"


def tier_table(results: Results) -> str:
    """Each stage: its band and published count (or 未公布), and how many of the site's cities
    stand in it, by basis: stated city by city in a source, or derived from a published rank."""
    edition = results.edition
    counts = results.tier_counts
    stated = bool(counts["stated"].sum())
    derived = bool(counts["derived"].sum()) or not stated
    rows = []
    for t in reversed(edition.tiers):
        published = "未公布" if pd.isna(counts.loc[t.id, "published"]) else str(int(counts.loc[t.id, "published"]))
        row = [f"**{t.zh}**", band_text(t), published]
        row += [str(int(counts.loc[t.id, "stated"]))] if stated else []
        row += [str(int(counts.loc[t.id, "derived"]))] if derived else []
        rows.append(tuple(row))
    unknown = int(results.table["stage"].isna().sum())
    rows.append((UNVERIFIED, "—", "—", *(["—"] if stated and derived else []), str(unknown)))
    note = f"\n阶段的来源：{source_links(edition, edition.tiers_file.sources)}。"
    note += f"\n\n推算规则：{stage_rule(edition)}。\n"
    header = ["阶段", "综合得分区间", f"报告公布的城市数（{edition.meta.size} 强） {basis_badge('published')}"]
    header += [f"来源逐城写明的本站城市 {basis_badge('published')}"] if stated else []
    header += [f"由公开名次推算的本站城市 {basis_badge('derived')}"] if derived else []
    return table(header, rows, "ll" + "r" * (len(header) - 2)) + note


def tier_descriptions(results: Results) -> str:
    out = []
    for t in reversed(results.edition.tiers):
        band = "分数区间未公布" if t.min is None else f"综合得分 {band_text(t)}"
        about = t.about or "报告对这一阶段的描述，本站尚未找到可核实的来源。"
        out.append(f"### {t.zh} {{#{t.id}}}\n\n*{band}*\n\n{about}\n")
    return "\n".join(out)


MEMBERS_LISTED = 40  # cities named per stage on the tiers page; the rest are a filter away


def tier_members(results: Results, tier_id: str | None, city_link, all_link: str) -> str:
    """The cities of one stage by published rank (None: the cities without one, whose stage is
    unverified); past MEMBERS_LISTED, a link to the full table filtered to the stage."""
    t = results.table[results.table["stage"] == tier_id] if tier_id else results.table[results.table["stage"].isna()]
    if t.empty:
        return "本站收录的城市中没有。\n"
    names = [city_link(r.city, r.name_zh.removesuffix("市")) for r in t.head(MEMBERS_LISTED).itertuples(index=False)]
    if len(t) <= MEMBERS_LISTED:
        return join_zh(names) + "\n"
    return f"{join_zh(names)}等，共 {len(t)} 个城市（按公开名次排列）。[查看这一阶段的全部城市]({all_link})\n"


def tier_members_all(results: Results, city_link, stage_link: Callable[[str], str]) -> str:
    """Every stage's cities; `stage_link` gives the link to the full table filtered to a stage."""
    out = []
    for t in reversed(results.edition.tiers):
        out.append(f"**{t.zh}**：{tier_members(results, t.id, city_link, stage_link(t.zh))}")
    if results.table["stage"].isna().any():
        out.append(
            f"**{UNVERIFIED}**（没有公开名次）：{tier_members(results, None, city_link, stage_link(UNVERIFIED))}"
        )
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
    t: LongTable, link_for: Callable[[str], str], data_url: str, csv_url: str, csv_name: str
) -> str:
    """The page part: the tools placeholder, then the first rows as a Markdown table.
    `link_for` turns a page source path into a link from the current page."""

    def md(c: Cell) -> str:
        text = f"*{c.text}*" if c.em else c.text
        if c.target is None:
            return text
        return f"[{text}]({c.target if c.target.startswith(('http://', 'https://')) else link_for(c.target)})"

    attrs = {"data-table": t.id, "data-total": str(len(t.rows))}
    if t.truncated:
        attrs["data-src"] = data_url
    if t.ascending:
        attrs["data-ascending"] = ",".join(map(str, t.ascending))
    if t.empty:
        attrs["data-empty"] = t.empty
    if t.filter_column is not None:
        attrs["data-filter-column"] = str(t.filter_column)
        attrs["data-filter-label"] = t.filter_label
    note = ""
    if t.truncated:
        note = (
            f"<p>下表先列出前 {ROWS_IN_PAGE} 行，共 {len(t.rows)} 行。"
            f"浏览器运行网页脚本时可在这里筛选、排序、翻页查看全部；"
            f'也可<a href="{esc(csv_url)}" download>下载完整数据（{esc(csv_name)}）</a>。</p>'
        )
    tools = '<div class="dco-table-tools" ' + " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items()) + f">{note}</div>"
    rows = [tuple(md(c) for c in row) for row in t.rows[:ROWS_IN_PAGE]]
    return tools + "\n\n" + table(t.header, rows, t.align)


def long_table_data(t: LongTable, url_for: Callable[[str], str]) -> str:
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

    rows = [[item(c) for c in row] for row in t.rows]
    payload = json.dumps({"rows": rows}, ensure_ascii=False, separators=(",", ":"))
    return f"(window.dcoTables=window.dcoTables||{{}})[{json.dumps(t.id)}]={payload};\n"


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
    basis_of = dict(zip(results.table["city"], results.table["stage_basis"]))
    entries = []
    for row in edition.ranking:
        c = edition.city_by_id[row.city]
        stage = stage_of.get(c.id)
        stage_text = _tier_zh(edition, stage) if stage else ("—" if not edition.tiers else UNVERIFIED)
        if stage:
            stage_text += f"（{BASIS_ZH[basis_of[c.id]]}）"
        if row.rank is None:
            rank, order = MEMBER, (edition.meta.size + 1, c.id)
        else:
            rank = str(row.rank) + (f"（{DERIVED}）" if row.basis == "derived" else "")
            order = (row.rank, "")
        source = "来源" if row.basis == "published" else f"推算：{row.rule}"
        entries.append(
            (
                order,
                (
                    Cell(rank),
                    Cell(c.short_zh, case_src(c.id)),
                    Cell(c.province_zh),
                    Cell(source, str(row.source)),
                    Cell(stage_text),
                ),
            )
        )
    for start, end in _rank_runs([r.rank for r in edition.ranked], edition.meta.size):
        label = f"{start}–{end}" if end > start else str(start)
        entries.append(
            (
                (start, ""),
                (Cell(label), Cell(UNVERIFIED, em=True), Cell("—"), Cell("提供来源", contribute_src), Cell("—")),
            )
        )
    rows = [row for _, row in sorted(entries, key=lambda e: e[0])]
    header = ["名次", "城市", "省份", f"来源 {basis_badge('published')}", "阶段"]
    return LongTable(
        f"{edition.id}-ranking",
        header,
        "rllll",
        rows,
        filter_column=4,
        filter_label="阶段",
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
        published = UNVERIFIED if pd.isna(r.published_rank) else str(int(r.published_rank))
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
        "城市",
        "省份",
        f"公开名次 {basis_badge('published')}",
        f"阶段 {basis_badge('derived')}",
        *([f"综合 {badge}", *(f"{d.zh} {badge}" for d in domains)] if domains else []),
    ]
    align = "llrl" + ("r" + "r" * len(domains) if domains else "")
    return LongTable(
        "scores", header, align, rows, filter_column=3, filter_label="阶段", ascending=(2,), empty=miss_text(edition)
    )


# -------------------------------------------------------------------------- methodology


def weights_table(edition: Edition) -> str:
    rows = [(d.zh, d.en, f"{d.weight}", f"{float(d.weight) * 100:.2f}%") for d in edition.domains]
    return table(["领域", "英文", "权重", "占比"], rows, "llrr")


def formula(edition: Edition) -> str:
    terms = " + ".join(f"{d.weight} × {d.zh}" for d in edition.domains)
    return f"综合得分 = {terms}\n"


def bands_sentence(edition: Edition) -> str:
    parts = []
    for t in edition.tiers:
        parts.append(
            f"{t.zh}：{t.min:g} 分及以上" if t.max is None else f"{t.zh}：{t.min:g} 分（含）至 {t.max:g} 分（不含）"
        )
    return "；".join(parts) + f"；低于 {edition.tiers[0].min:g} 分不属于任何阶段。"


def sources_list(edition: Edition) -> str:
    lines = []
    for s in edition.meta.sources:
        where = f"<{s.url}>" if s.url else "地址未记录"
        date = f"，{s.date}" if s.date else ""
        note = f"——{s.note}" if s.note else ""
        lines.append(f"- **{s.publisher}**：{s.title}{date}。{where}{note}")
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
        rows.append((region.zh, str(len(members)), *(str(int((members["stage"] == t.id).sum())) for t in tiers)))
    header = [
        "地区",
        f"有公开名次的城市 {basis_badge('published')}",
        *(f"{t.zh} {basis_badge('derived')}" for t in tiers),
    ]
    return f"本站收录、有公开名次的 {len(ranked)} 个城市：\n\n" + table(header, rows, "lr" + "r" * len(tiers))


def unverified_ranks(edition: Edition) -> str:
    """'第 21–50 名和第 70–100 名': the ranks no readable source confirms."""
    runs = _rank_runs([r.rank for r in edition.ranked], edition.meta.size)
    if not runs:
        return "（无）"
    if runs == [(1, edition.meta.size)]:
        return f"全部 {edition.meta.size} 个名次"
    parts = [f"第 {a}–{b} 名" if b > a else f"第 {a} 名" for a, b in runs]
    return "和".join(parts) if len(parts) <= 2 else "、".join(parts[:-1]) + "和" + parts[-1]


def measured_facts(edition: Edition) -> str:
    """The facts that measure the study itself (indicator counts, cities evaluated, ...)."""
    facts = [f for f in edition.meta.facts if f.measure and not f.provinces]
    rows = [(esc(f.measure), fact_value(f) or esc(fact_text(f)), source_links(edition, f.sources)) for f in facts]
    if not rows:
        return "这一版本的评价体系规模没有查到公开来源。\n"
    return table(["项目", f"内容 {basis_badge('published')}", "来源"], rows, "lll")


def basis_statement(edition: Edition, shown: bool = True) -> str:
    if not edition.illustrative:
        return "本版本的分数来自发布方公布的数据。\n"
    off = (
        f"\n本站这一版关闭了模拟数据层：页面和下载中没有任何{SIMULATED_LONG}，只有公布的和推算的内容。\n"
        if not shown
        else ""
    )
    script = edition.meta.illustrative
    mark = illustrative_badge(edition) if shown else f"“{SIMULATED}”"
    return (
        f"**公布的**：{len(edition.ranked)} 个可核实的名次（每个附来源）、"
        f"{len(edition.tiers)} 个阶段的分数区间和各阶段城市数、"
        "省份与地区分布的结论、领域强弱的结论、评价体系的规模，以及案例城市的做法和数字。"
        "这些内容在页面上都注明来源。\n\n"
        f"**推算的**：有公开名次的城市所处的阶段（{stage_rule(edition)}），以及按阶段、地区汇总的城市数。"
        "没有公开名次的城市不推算阶段，也不排位，一律标为“未核实”。\n\n"
        f"**{SIMULATED_LONG}**：`scores.csv` 中的全部领域得分，以及由它算出的综合得分、均值、极差和标准差。"
        f"它们由脚本 `{script.script}` 以随机种子 {script.seed} 生成，重新运行会得到完全相同的文件。"
        "这份数据与报告公布的每一条事实一致（已核实名次的先后、名次推算的阶段、领域强弱的结论、"
        "每个案例城市在其案例领域位居本站收录城市的前四分之一），但它不是报告的数据。"
        f"凡是显示这些数字的地方都带有{mark}标记，图表里也写着“{SIMULATED_LONG}”，"
        "下载的每一行都注明数据性质。本站不根据模拟数据列出“得分最低”的城市。"
        "一旦发布方的真实分数可得，替换 `scores.csv` 并把 `edition.yaml` 中的 `basis` 改为 `published`，"
        "这些标记会自动消失。\n" + off
    )


def schema_table(model, title: str) -> str:
    rows = []
    for name, info in model.model_fields.items():
        rows.append((f"`{name}`", "必填" if info.is_required() else "可选", info.description or ""))
    return f"**{title}**\n\n" + table(["字段", "", "说明"], rows, "lcl")


def case_list(cases, link_for, results: Results, empty: str) -> str:
    """A list of cases; the contributed title and summary are written as inert text."""
    if not cases:
        return empty + "\n"
    lines = []
    for case in cases:
        city = results.edition.city_by_id[case.meta.city]
        title = contrib.text(case.meta.title)
        lines.append(f"- **[{city.short_zh}：{title}]({link_for(case.src_uri)})**——{contrib.text(case.meta.summary)}")
    return "\n".join(lines) + "\n"


def cases_by_domain(cases, link_for, results: Results) -> str:
    out = []
    for d in results.edition.domains:
        members = [c for c in cases if d.id in c.meta.domains]
        out.append(f"### {d.zh}\n\n" + case_list(members, link_for, results, "本站暂无这一领域的案例。"))
    return "\n".join(out)


def cases_by_tier(cases, link_for, results: Results) -> str:
    """Cases by the stage their city's published rank implies; cities without one apart."""
    stage_of = dict(zip(results.table["city"], results.table["stage"]))
    out = []
    for t in reversed(results.edition.tiers):
        members = [c for c in cases if stage_of.get(c.meta.city) == t.id]
        out.append(f"### {t.zh}\n\n" + case_list(members, link_for, results, "暂无处于这一阶段的案例城市。"))
    unranked = [c for c in cases if not isinstance(stage_of.get(c.meta.city), str)]
    if unranked:
        out.append(
            f"### 阶段{UNVERIFIED}\n\n没有公开名次的城市，不推算阶段：\n\n" + case_list(unranked, link_for, results, "")
        )
    return "\n".join(out)


# -------------------------------------------------------------------------------- figures


def html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(f"<td>{esc(score(v) if isinstance(v, float) else v)}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure_html(figure, csv_url: str, badge: str) -> str:
    """A figure: the chart container with its spec, caption, text alternative, data table, CSV link."""
    mark = f" {badge}" if figure.simulated else ""
    note = f"图中分数为{SIMULATED_LONG}。" if figure.simulated and badge else ""
    return (
        f'<figure class="dco-figure" id="fig-{figure.id}">\n'
        f'<div class="dco-figure__title">{esc(figure.title)}{mark}</div>\n'
        # The spec rides in an attribute: Material's instant navigation re-runs every <script>
        # of a new page, a JSON one included, so a <script type="application/json"> would fail.
        f'<div class="dco-chart" role="img" aria-label="{esc(figure.title)}：{esc(figure.alt)}" '
        f'data-basis="{"simulated" if figure.simulated else "published"}" '
        f'data-vega-spec="{esc(figure.spec_json())}"></div>\n'
        f"<figcaption>{esc(figure.caption)}{note}</figcaption>\n"
        f'<details class="dco-figure__data" data-search-exclude><summary>查看数据表</summary>\n'
        f"{html_table(figure.table_frame())}\n</details>\n"
        f'<p class="dco-figure__download"><a href="{esc(csv_url)}" download>下载本图数据（CSV）</a></p>\n'
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
        rank = f"第 {ranked[city.id].rank} 名（[来源]({ranked[city.id].source})）"
    else:
        rank = f"{UNVERIFIED}（公开来源中未读到该城市的名次）"
    rows = [
        ("城市", f"{city.name_zh}（{city.province_zh}，{regions[city.region]}地区）"),
        ("领域", join_zh(f"[{edition.domain_by_id[d].zh}]({domain_link(d)})" for d in case.meta.domains)),
        (f"{edition.meta.size} 强公开名次", rank),
    ]
    stage = stage_of_rank(ranked[city.id].rank, edition.tiers) if city.id in ranked else None
    if stage and edition.tiers:
        rows.append((f"发展阶段 {basis_badge('derived')}", f"{edition.tier_by_id[stage].zh}（{stage_rule(edition)}）"))
    elif edition.tiers:
        rows.append(("发展阶段", f"{UNVERIFIED}（没有公开名次，无法推算）"))
    if row is not None and not pd.isna(row["composite"]):
        rows.append((f"综合得分 {badge}", score(row["composite"])))
    return table(["概况", "（由本站根据数据补充）"], rows, "ll")


def case_figures(case) -> str:
    if not case.meta.figures:
        return ""
    out = ["## 报告中的数字\n", '<div class="dco-cards">']
    for f in case.meta.figures:
        value = f"{f.value:g}"
        out.append(
            f'<div class="dco-card"><div class="dco-card__value">{esc(value)}'
            f"<small> {contrib.text(f.unit)}</small></div>"
            f'<div class="dco-card__note">{contrib.text(f.label)}</div></div>'
        )
    out.append("</div>\n")
    out.append("以上数字均摘自本页所列来源，不是本站计算的结果。\n")
    return "\n".join(out)


def case_scores_table(results: Results, city_id: str) -> str:
    row = results.city(city_id)
    if row is None or not results.has_scores:
        return no_scores_note(results.edition) if not results.has_scores else "本站数据中没有这个城市的分数。\n"
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
    tier_label = f"{edition.tier_by_id[tier].zh}阶段城市均值" if tier else "阶段均值（阶段未核实）"
    sample = f"本站收录的 {len(results.table)} 个城市均值"
    return table(["领域", f"本市得分 {badge}", f"{tier_label} {badge}", f"{sample} {badge}"], rows, "lrrr")


def case_sources(case) -> str:
    """The case's sources: contributed text written inert, addresses as http(s) links only."""
    lines = []
    for s in case.meta.sources:
        parts = [contrib.text(s.publisher) if s.publisher else None, s.date]
        meta = "，".join(p for p in parts if p)
        lines.append(f"- 《{contrib.link(contrib.text(s.title), s.url)}》" + (f"，{meta}" if meta else ""))
    return "## 来源\n\n" + "\n".join(lines) + "\n"


def related_cases(case, cases, results: Results, link_for, domain_link) -> str:
    out = ["## 相关案例\n"]
    for d in case.meta.domains:
        domain = results.edition.domain_by_id[d]
        others = [c for c in cases if d in c.meta.domains and c.slug != case.slug]
        out.append(f"**[{domain.zh}]({domain_link(d)})** 的其他案例：\n")
        out.append(case_list(others, link_for, results, "暂无。"))
    return "\n".join(out)


# ---------------------------------------------------------------------------------- cities


def city_src(city_id: str) -> str:
    """The source path of a city's page (generated for every city of data/cities.csv)."""
    return f"cities/{city_id}.md"


def miss_text(edition: Edition) -> str:
    """What a ranking table says when a reader's filter finds no city (plain text)."""
    return (
        f"本表没有找到。{edition.id} 年的公开来源读不到{unverified_ranks(edition)}，您要找的城市可能就在其中，"
        "本站不猜测。如有可靠来源，欢迎按“参与贡献”页的步骤补充。"
    )


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
            out.setdefault(p, []).append(f"{esc(fact_text(fact))}（{source_links(edition, fact.sources)}）")
    return out


def province_tiles(results: Results, link_for: Callable[[str], str], prefix: str = "") -> str:
    """One square per province, placed like a map: the number of its cities with a published
    rank, marked where a published statement names it. Plain HTML (no script, no map file)."""
    edition = results.edition
    ranked = {r.city for r in edition.ranked}
    counts: dict[str, int] = {}
    for city in edition.cities:
        if city.id in ranked:
            counts[city.province_zh] = counts.get(city.province_zh, 0) + 1
    named = province_facts(edition)
    tiles = []
    for province, (row, col) in PROVINCE_TILES.items():
        n = counts.get(province, 0)
        mark = " dco-tile--named" if province in named else ""
        title = f"{province}：{n} 个有公开名次的城市" + ("；报告提到" if province in named else "")
        inner = f"<span>{esc(_short_province(province))}</span><strong>{n}</strong>"
        place = f'style="grid-row: {row + 1}; grid-column: {col + 1}" title="{esc(title)}"'
        if n or province in named:  # it has a row in the table below
            tiles.append(f'<a class="dco-tile{mark}" {place} href="#{esc(prefix + province)}">{inner}</a>')
        else:
            tiles.append(f'<span class="dco-tile dco-tile--empty" {place}>{inner}</span>')
    legend = (
        '<p class="dco-tiles__legend">方块中的数字：本站收录、有公开名次的城市数（百强的一部分）；'
        "描边的方块：报告的结论提到了这个省份。点方块可跳到下表中这个省份的一行。</p>"
    )
    return (
        '<div class="dco-tiles" role="img" aria-label="各省份有公开名次的城市数，按地图位置排列">'
        + "".join(tiles)
        + "</div>\n"
        + legend
        + "\n"
    )


def province_table(results: Results, city_link, prefix: str = "") -> str:
    """Per province: its region, its cities with a published rank (linked), and what the
    report said about it. Provinces with neither are left out."""
    edition = results.edition
    ranked = {r.city: r.rank for r in edition.ranked}
    named = province_facts(edition)
    regions = {p: r.zh for r in edition.regions for p in r.provinces}
    order = [p for r in edition.regions for p in r.provinces]
    rows = []
    for province in order:
        cities = sorted(
            (c for c in edition.cities if c.province_zh == province and c.id in ranked), key=lambda c: ranked[c.id]
        )
        if not cities and province not in named:
            continue
        names = join_zh(f"{city_link(c.id, c.short_zh)}（{ranked[c.id]}）" for c in cities) or "—"
        anchor = f'<span id="{esc(prefix + province)}"></span>{esc(province)}'
        rows.append((anchor, regions[province], names, "；".join(named.get(province, [])) or "—"))
    header = [
        "省份",
        "地区",
        f"有公开名次的城市（名次） {basis_badge('published')}",
        f"报告的结论 {basis_badge('published')}",
    ]
    return table(header, rows, "llll")
