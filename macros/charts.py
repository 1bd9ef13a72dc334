"""Figures: Altair charts built from computed results, each with the data it draws.

A `Figure` (macros/figures.py) carries its Vega-Lite spec, the exact table it draws (for the
data table and the CSV download), a title, a caption and a text alternative. Specs are
deterministic: the same results give byte-identical JSON. The build does not validate them
against the Vega-Lite schema (tests/test_charts.py does, for every kind of figure); building
stays a pure function of the data. Colours for the dark palette are applied in the browser
(docs/javascripts/charts.js), not here.

Charts that draw one mark per city switch to a histogram above CITY_MARKS_LIMIT cities: three
thousand overlapping dots say less than counts per score band, and would weigh a page down.
Pure; no I/O, no MkDocs.
"""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd

from .drawing import ALERT, HIGHLIGHT, MUTED, PAPER, PRIMARY, REFERENCE, UNKNOWN
from .figures import Figure
from .labels import BASIS_ZH, SIMULATED_LONG, UNVERIFIED, t
from .scoring import Results

PUBLISHED, DATA = t("chart.tier_distribution.published"), t("chart.tier_distribution.data")
CITY_MARKS_LIMIT = 200  # above this many cities, per-city charts become histograms
BIN_STEP = 2.5  # score points per histogram bar; the tier edges 60, 70, 85 fall on bar edges
SCORE_MAX = 100  # scores run 0-100 (macros/models.py); the last bar is 97.5-100 inclusive
BANDS_NOTE = t("chart.bins_note", step=f"{BIN_STEP:g}", max=SCORE_MAX)
NAMES_IN_ALT = 20  # city names listed in a text alternative before "等"
LIST, COMMA, CLAUSE = t("render.list_separator"), t("render.comma_separator"), t("render.clause_separator")
RANK_BANDS = 50  # above CITY_MARKS_LIMIT confirmed ranks, the rank chart shows this many groups


def _records(frame: pd.DataFrame) -> list[dict]:
    """JSON-safe records: numbers rounded for drawing, missing values as None."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(3)
    return json.loads(out.to_json(orient="records", force_ascii=False))


def _chart(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(alt.Data(values=_records(frame)))


def _finish(chart, height: int, simulated: bool) -> dict:
    """The spec as pages carry it. A chart of simulated values says so inside itself, so that a
    screenshot or an exported image carries the label."""
    if simulated:
        chart = chart.properties(title=alt.TitleParams(SIMULATED_LONG, anchor="end", fontSize=12, color=ALERT))
    spec = chart.properties(width="container", height=height).configure_view(stroke=None).to_dict(validate=False)
    spec.pop("$schema", None)  # the runtime knows its version; keeps pages free of external URLs
    return spec


def score_bins(values: pd.Series, groups: pd.Series, group_order: list[str]) -> pd.DataFrame:
    """Counts per BIN_STEP-wide score band and group, bands half-open [start, end) like the
    tiers, except the last, which holds a full score of SCORE_MAX too. Only non-empty cells;
    ordered by band, then by `group_order`."""
    start = (values // BIN_STEP * BIN_STEP).clip(upper=SCORE_MAX - BIN_STEP).round(6)
    frame = pd.DataFrame({"start": start.values, "group": groups.values})
    counts = frame.groupby(["start", "group"], sort=False).size().rename("count").reset_index()
    counts["order"] = counts["group"].map({g: i for i, g in enumerate(group_order)})
    counts = counts.sort_values(["start", "order"], kind="stable").reset_index(drop=True)
    counts["end"] = (counts["start"] + BIN_STEP).round(6)
    counts["band"] = [f"{a:g}–{b:g}" for a, b in zip(counts["start"], counts["end"])]
    return counts[["band", "start", "end", "group", "count"]].astype({"count": "int64"})


def _names(names: list[str]) -> str:
    shown = LIST.join(names[:NAMES_IN_ALT])
    return t("chart.names_more", names=shown, n=len(names)) if len(names) > NAMES_IN_ALT else shown


def _histogram(data: pd.DataFrame, title: str, colour: alt.Color, group_title: str) -> alt.Chart:
    """Stacked bars of pre-binned counts (columns of score_bins)."""
    return (
        _chart(data)
        .mark_bar(stroke=PAPER, strokeWidth=0.5)
        .encode(
            x=alt.X("start:Q", bin="binned", title=title, scale=alt.Scale(zero=False)),
            x2="end:Q",
            y=alt.Y("count:Q", title=t("chart.field.cities"), stack="zero"),
            color=colour,
            tooltip=[
                alt.Tooltip("band:N", title=t("chart.field.band")),
                alt.Tooltip("group:N", title=group_title),
                alt.Tooltip("count:Q", title=t("chart.field.cities")),
            ],
        )
    )


def _tier_scale(results: Results, with_unverified: bool) -> alt.Scale:
    """Stage colours, best stage first; cities whose stage is unknown (if shown) in grey."""
    tiers = list(reversed(results.edition.tiers))
    domain, colours = [x.zh for x in tiers], [x.color for x in tiers]
    if with_unverified:
        domain, colours = domain + [UNVERIFIED], colours + [UNKNOWN]
    return alt.Scale(domain=domain, range=colours)


def _stage_zh(results: Results, stage) -> str:
    return results.edition.tier_by_id[stage].zh if isinstance(stage, str) else UNVERIFIED


# ------------------------------------------------------------------------------ overview


def build_domain_capability_chart(results: Results) -> Figure:
    """图 2: each domain's mean, with the range across cities."""
    stats = results.domain_stats
    zh = {d.id: d.zh for d in results.edition.domains}
    data = (
        pd.DataFrame(
            {
                "domain": [zh[d] for d in stats.index],
                "mean": stats["mean"].values,
                "min": stats["min"].values,
                "max": stats["max"].values,
            }
        )
        .sort_values("mean", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    order = list(data["domain"])
    y = alt.Y("domain:N", sort=order, title=None)
    base = _chart(data)
    rule = base.mark_rule(strokeWidth=3, opacity=0.45, color=MUTED).encode(
        y=y, x=alt.X("min:Q", title=t("chart.field.score"), scale=alt.Scale(zero=False)), x2="max:Q"
    )
    point = base.mark_point(filled=True, size=110, color=PRIMARY).encode(
        y=y,
        x="mean:Q",
        tooltip=[
            alt.Tooltip("domain:N", title=t("chart.field.domain")),
            alt.Tooltip("mean:Q", title=t("chart.field.mean"), format=".1f"),
            alt.Tooltip("min:Q", title=t("chart.field.min"), format=".1f"),
            alt.Tooltip("max:Q", title=t("chart.field.max"), format=".1f"),
        ],
    )
    text = base.mark_text(align="left", dx=8, dy=-10, fontSize=11).encode(
        y=y, x="mean:Q", text=alt.Text("mean:Q", format=".1f")
    )
    top, last = order[0], order[-1]
    widest = zh[stats["spread"].idxmax()]
    return Figure(
        id="domain-capability",
        title=t("chart.capability.title"),
        caption=t("chart.capability.caption"),
        alt=t("chart.capability.alt", n=len(order), order=LIST.join(order), top=top, last=last, widest=widest),
        data=data,
        columns={
            "domain": t("chart.field.domain"),
            "mean": t("chart.field.mean"),
            "min": t("chart.field.min"),
            "max": t("chart.field.max"),
        },
        spec=_finish(rule + point + text, 240, results.edition.illustrative),
        simulated=results.edition.illustrative,
    )


def build_tier_distribution_chart(results: Results) -> Figure:
    """图 3: cities per stage as published, beside the site's cities with a published rank, each
    in the stage its rank implies (derived; no score involved)."""
    tiers = list(reversed(results.edition.tiers))
    rows = []
    for tier in tiers:
        published = results.tier_counts.loc[tier.id, "published"]
        if not pd.isna(published):
            rows.append({"tier": tier.zh, "source": PUBLISHED, "count": int(published), "basis": "published"})
        rows.append(
            {
                "tier": tier.zh,
                "source": DATA,
                "count": int(results.tier_counts.loc[tier.id, "derived"]),
                "basis": "derived",
            }
        )
    data = pd.DataFrame(rows)
    chart = (
        _chart(data)
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=[x.zh for x in tiers], title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("source:N", sort=[PUBLISHED, DATA]),
            y=alt.Y("count:Q", title=t("chart.field.cities")),
            color=alt.Color(
                "source:N",
                sort=[PUBLISHED, DATA],
                scale=alt.Scale(range=[PRIMARY, HIGHLIGHT]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("tier:N", title=t("chart.field.stage")),
                alt.Tooltip("source:N", title=t("chart.field.source")),
                alt.Tooltip("count:Q", title=t("chart.field.cities")),
            ],
        )
    )
    labels = (
        _chart(data)
        .mark_text(dy=-6, fontSize=11)
        .encode(
            x=alt.X("tier:N", sort=[x.zh for x in tiers]),
            xOffset=alt.XOffset("source:N", sort=[PUBLISHED, DATA]),
            y="count:Q",
            text="count:Q",
        )
    )
    published = LIST.join(t("chart.count", name=r["tier"], n=r["count"]) for r in rows if r["source"] == PUBLISHED)
    ours = LIST.join(t("chart.count", name=r["tier"], n=r["count"]) for r in rows if r["source"] == DATA)
    return Figure(
        id="tier-distribution",
        title=t("chart.tier_distribution.title"),
        caption=t("chart.tier_distribution.caption", published=PUBLISHED, data=DATA),
        alt=t("chart.tier_distribution.alt", published=published, ours=ours),
        data=data,
        columns={"tier": t("chart.field.stage"), "source": t("chart.field.source"), "count": t("chart.field.cities")},
        spec=_finish(chart + labels, 240, False),
        simulated=False,
    )


YES, NO = t("chart.province.marked"), t("chart.province.unmarked")


def build_province_chart(results: Results) -> Figure:
    """Cities with a published rank per province (a sample: the ranks a source could be read
    for), the provinces of the published share marked. No score is involved."""
    # The provinces of a published share of the list (a fact naming provinces, in per cent).
    share = next((f for f in results.edition.meta.facts if f.provinces and f.unit == "%"), None)
    marked = set(share.provinces) if share else set()
    ranked = results.table[results.table["published_rank"].notna()]
    agg = (
        ranked.groupby("province_zh").size().rename("cities").reset_index().rename(columns={"province_zh": "province"})
    )
    data = (
        pd.DataFrame(
            {
                "province": agg["province"],
                "cities": agg["cities"].astype(int),
                "marked": [YES if p in marked else NO for p in agg["province"]],
                "basis": "derived",  # counted from the published ranks
            }
        )
        .sort_values(["cities", "province"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    chart = (
        _chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("province:N", sort=list(data["province"]), title=None),
            x=alt.X("cities:Q", title=t("chart.field.ranked_cities"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("marked:N", scale=alt.Scale(domain=[YES, NO], range=[HIGHLIGHT, MUTED]), legend=None),
            tooltip=[
                alt.Tooltip("province:N", title=t("chart.field.province")),
                alt.Tooltip("cities:Q", title=t("chart.field.cities")),
            ],
        )
    )
    data_share = data.loc[data["marked"] == YES, "cities"].sum() / data["cities"].sum() if marked else 0
    total = int(data["cities"].sum())
    caption = t("chart.province.caption", n=total)
    if share:  # then `marked` holds its provinces
        said = share.statement.replace("{value}", f"{share.value:g}").rstrip(t("chart.full_stop"))
        caption += t("chart.province.caption_share", said=said, n=total, share=f"{data_share * 100:.0f}")
    counts = COMMA.join(t("chart.count", name=p, n=c) for p, c in zip(data["province"], data["cities"]))
    return Figure(
        id="province-cities",
        title=t("chart.province.title", n=total),
        caption=caption,
        alt=t("chart.province.alt", counts=counts),
        data=data,
        columns={
            "province": t("chart.field.province"),
            "cities": t("chart.field.cities"),
            "marked": t("chart.field.marked"),
        },
        spec=_finish(chart, max(160, 18 * len(data)), False),
        simulated=False,
    )


# -------------------------------------------------------------------------------- domains


def build_domain_distribution_chart(results: Results, domain_id: str, case_cities: set[str]) -> Figure:
    """Every city's score in one domain, case cities highlighted (a histogram for many cities)."""
    zh = results.edition.domain_by_id[domain_id].zh
    table = results.table
    case_kind, other_kind = t("chart.domain_distribution.case"), t("chart.domain_distribution.other")
    kinds = [case_kind, other_kind]
    colour_scale = alt.Scale(domain=kinds, range=[HIGHLIGHT, MUTED])
    city = table["name_zh"].str.removesuffix("市")
    kind = pd.Series([case_kind if c in case_cities else other_kind for c in table["city"]], index=table.index)
    cases = list(city[(kind == case_kind)].sort_values(kind="stable"))
    mean = results.domain_stats.loc[domain_id, "mean"]
    rule = (
        alt.Chart(alt.Data(values=[{"mean": round(float(mean), 3)}]))
        .mark_rule(strokeDash=[4, 3], color=REFERENCE)
        .encode(x="mean:Q")
    )
    scores = table[domain_id]
    low, high = f"{scores.min():.1f}", f"{scores.max():.1f}"
    if cases:
        alt_text = t(
            "chart.domain_distribution.alt",
            n=len(table),
            domain=zh,
            min=low,
            max=high,
            mean=f"{mean:.1f}",
            cases=_names(cases),
        )
    else:
        alt_text = t(
            "chart.domain_distribution.alt_no_cases", n=len(table), domain=zh, min=low, max=high, mean=f"{mean:.1f}"
        )
    axis = t("chart.field.domain_score", domain=zh)
    if len(table) > CITY_MARKS_LIMIT:
        data = score_bins(scores, kind, kinds)
        colour = alt.Color("group:N", scale=colour_scale, sort=kinds, legend=alt.Legend(title=None, orient="top"))
        chart, height = _histogram(data, axis, colour, t("chart.field.group")), 220
        caption = t("chart.domain_distribution.caption_bins", bins=BANDS_NOTE)
        columns = {"band": t("chart.field.band"), "group": t("chart.field.group"), "count": t("chart.field.cities")}
    else:
        data = (
            pd.DataFrame({"city": city, "score": scores, "case": kind, "city_id": table["city"].values})
            .sort_values(["score", "city"], ascending=[False, True], kind="stable")
            .reset_index(drop=True)
        )
        chart = (
            _chart(data)
            .mark_circle(size=90, opacity=0.7)
            .encode(
                x=alt.X("score:Q", title=axis, scale=alt.Scale(zero=False)),
                y=alt.Y("case:N", title=None, sort=kinds),
                color=alt.Color("case:N", scale=colour_scale, legend=None),
                tooltip=[
                    alt.Tooltip("city:N", title=t("chart.field.city")),
                    alt.Tooltip("score:Q", title=t("chart.field.score"), format=".1f"),
                ],
            )
        )
        height = 140
        caption = t("chart.domain_distribution.caption")
        columns = {"city": t("chart.field.city"), "score": t("chart.field.score"), "case": t("chart.field.group")}
    return Figure(
        id=f"domain-{domain_id}-distribution",
        title=t("chart.domain_distribution.title", domain=zh),
        caption=caption,
        alt=alt_text,
        data=data,
        columns=columns,
        spec=_finish(chart + rule, height, results.edition.illustrative),
        simulated=results.edition.illustrative,
    )


def build_domain_top_chart(results: Results, domain_id: str, n: int = 10) -> Figure:
    zh = results.edition.domain_by_id[domain_id].zh
    top = results.table.sort_values([domain_id, "city"], ascending=[False, True], kind="stable").head(n)
    data = pd.DataFrame(
        {
            "city": top["name_zh"].str.removesuffix("市").values,
            "score": top[domain_id].values,
            "city_id": top["city"].values,
        }
    )
    chart = (
        _chart(data)
        .mark_bar(color=PRIMARY)
        .encode(
            y=alt.Y("city:N", sort=list(data["city"]), title=None),
            x=alt.X("score:Q", title=t("chart.field.domain_score", domain=zh), scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("city:N", title=t("chart.field.city")),
                alt.Tooltip("score:Q", title=t("chart.field.score"), format=".1f"),
            ],
        )
    )
    text = (
        _chart(data)
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(y=alt.Y("city:N", sort=list(data["city"])), x="score:Q", text=alt.Text("score:Q", format=".1f"))
    )
    return Figure(
        id=f"domain-{domain_id}-top",
        title=t("chart.domain_top.title", domain=zh, n=len(data)),
        caption=t("chart.domain_top.caption"),
        alt=t("chart.domain_top.alt", scores=LIST.join(f"{c} {s:.1f}" for c, s in zip(data["city"], data["score"]))),
        data=data,
        columns={"city": t("chart.field.city"), "score": t("chart.field.score")},
        spec=_finish(chart + text, 22 * len(data), results.edition.illustrative),
        simulated=results.edition.illustrative,
    )


# ------------------------------------------------------------------------- tiers, ranking


def build_tier_bands_chart(results: Results) -> Figure:
    """The simulated composite of every city with a published rank against the band edges, one
    row per stage its rank implies (a histogram for many cities). Cities without a published
    rank are left out: they have no stage, and a dot among the others would imply a place."""
    ranked = results.table[results.table["stage"].notna()]
    stage = pd.Series([_stage_zh(results, x) for x in ranked["stage"]], index=ranked.index)
    order = [x.zh for x in reversed(results.edition.tiers)]
    edges = sorted(
        {t_.min for t_ in results.edition.tiers} | {t_.max for t_ in results.edition.tiers if t_.max is not None}
    )
    counts = stage.value_counts()
    stages = COMMA.join(t("chart.count", name=k, n=counts.get(k, 0)) for k in order)
    alt_text = t("chart.tier_bands.alt", n=len(ranked), counts=stages)
    edges_text = LIST.join(f"{e:g}" for e in edges)
    colour = alt.Color("group:N", scale=_tier_scale(results, False), legend=alt.Legend(title=None, orient="top"))
    if len(ranked) > CITY_MARKS_LIMIT:
        data = score_bins(ranked["composite"], stage, order)
        marks = _histogram(data, t("chart.field.composite"), colour, t("chart.field.stage"))
        caption = t("chart.tier_bands.caption_bins", bins=BANDS_NOTE, edges=edges_text)
        columns = {"band": t("chart.field.band"), "group": t("chart.field.stage"), "count": t("chart.field.cities")}
        height = 260
    else:
        data = pd.DataFrame(
            {
                "city": ranked["name_zh"].str.removesuffix("市"),
                "rank": ranked["published_rank"].astype(int),
                "composite": ranked["composite"],
                "group": stage,
                "city_id": ranked["city"],
            }
        )
        marks = (
            _chart(data)
            .mark_circle(size=70, opacity=0.8)
            .encode(
                x=alt.X("composite:Q", title=t("chart.field.composite"), scale=alt.Scale(zero=False)),
                y=alt.Y("group:N", title=None, sort=order),
                color=colour,
                tooltip=[
                    alt.Tooltip("city:N", title=t("chart.field.city")),
                    alt.Tooltip("rank:Q", title=t("chart.field.published_rank")),
                    alt.Tooltip("group:N", title=t("chart.field.stage_derived")),
                    alt.Tooltip("composite:Q", title=t("chart.field.composite_simulated"), format=".1f"),
                ],
            )
        )
        caption = t("chart.tier_bands.caption", edges=edges_text)
        columns = {
            "city": t("chart.field.city"),
            "rank": t("chart.field.published_rank"),
            "group": t("chart.field.stage_derived"),
            "composite": t("chart.field.composite_simulated"),
        }
        height = 40 * len(order) + 60
    rules = (
        alt.Chart(alt.Data(values=[{"edge": e} for e in edges]))
        .mark_rule(strokeDash=[4, 3], color=REFERENCE)
        .encode(x="edge:Q")
    )
    return Figure(
        id="tier-bands",
        title=t("chart.tier_bands.title"),
        caption=caption,
        alt=alt_text,
        data=data,
        columns=columns,
        spec=_finish(marks + rules, height, results.edition.illustrative),
        simulated=results.edition.illustrative,
    )


def build_rank_chart(results: Results) -> Figure:
    """Composite against confirmed rank, for the cities with a published rank (grouped into
    RANK_BANDS bands of ranks when there are more than CITY_MARKS_LIMIT of them)."""
    size = results.edition.meta.size
    ranked = results.table[results.table["published_rank"].notna()].sort_values("published_rank")
    ranks = ranked["published_rank"].astype(int)
    first = (
        t(
            "chart.rank.first",
            rank=ranks.iloc[0],
            city=ranked["name_zh"].iloc[0].removesuffix("市"),
            score=f"{ranked['composite'].iloc[0]:.1f}",
        )
        if len(ranked)
        else ""
    )
    x_scale = alt.Scale(domain=[1, size])
    if len(ranked) > CITY_MARKS_LIMIT:
        width = math.ceil(size / RANK_BANDS)
        start = (ranks - 1) // width * width + 1
        grouped = pd.DataFrame({"start": start.values, "composite": ranked["composite"].values}).groupby(
            "start", sort=True
        )["composite"]
        data = pd.DataFrame(
            {"cities": grouped.size(), "mean": grouped.mean(), "min": grouped.min(), "max": grouped.max()}
        ).reset_index()
        data["end"] = (data["start"] + width - 1).clip(upper=size)
        data["middle"] = (data["start"] + data["end"]) / 2
        data["band"] = [f"{a}–{b}" for a, b in zip(data["start"], data["end"])]
        data = data[["band", "start", "end", "middle", "cities", "mean", "min", "max"]].astype({"cities": "int64"})
        base = _chart(data)
        x = alt.X("middle:Q", title=t("chart.field.published_rank"), scale=x_scale)
        rule = base.mark_rule(strokeWidth=2, opacity=0.5, color=MUTED).encode(
            x=x, y=alt.Y("min:Q", title=t("chart.field.composite"), scale=alt.Scale(zero=False)), y2="max:Q"
        )
        point = base.mark_circle(size=50, color=PRIMARY).encode(
            x=x,
            y="mean:Q",
            tooltip=[
                alt.Tooltip("band:N", title=t("chart.field.rank_band")),
                alt.Tooltip("cities:Q", title=t("chart.field.cities")),
                alt.Tooltip("mean:Q", title=t("chart.field.mean_composite"), format=".1f"),
                alt.Tooltip("min:Q", title=t("chart.field.min"), format=".1f"),
                alt.Tooltip("max:Q", title=t("chart.field.max"), format=".1f"),
            ],
        )
        chart = rule + point
        caption = t("chart.rank.caption_bins", width=width)
        alt_text = t("chart.rank.alt_bins", n=len(ranked), groups=len(data), first=first)
        columns = {
            "band": t("chart.field.rank_band"),
            "cities": t("chart.field.cities"),
            "mean": t("chart.field.mean_composite"),
            "min": t("chart.field.min"),
            "max": t("chart.field.max"),
        }
    else:
        data = pd.DataFrame(
            {
                "rank": ranks.values,
                "city": ranked["name_zh"].str.removesuffix("市").values,
                "composite": ranked["composite"].values,
                "tier": [_stage_zh(results, x) for x in ranked["stage"]],
                "city_id": ranked["city"].values,
            }
        )
        chart = (
            _chart(data)
            .mark_circle(size=70)
            .encode(
                x=alt.X("rank:Q", title=t("chart.field.published_rank"), scale=x_scale),
                y=alt.Y("composite:Q", title=t("chart.field.composite"), scale=alt.Scale(zero=False)),
                color=alt.Color(
                    "tier:N", scale=_tier_scale(results, False), legend=alt.Legend(title=None, orient="top")
                ),
                tooltip=[
                    alt.Tooltip("rank:Q", title=t("chart.field.rank")),
                    alt.Tooltip("city:N", title=t("chart.field.city")),
                    alt.Tooltip("composite:Q", title=t("chart.field.composite"), format=".1f"),
                ],
            )
        )
        caption = t("chart.rank.caption")
        alt_text = t("chart.rank.alt", n=len(ranked), first=first)
        columns = {
            "rank": t("chart.field.published_rank"),
            "city": t("chart.field.city"),
            "composite": t("chart.field.composite_simulated"),
            "tier": t("chart.field.stage_derived"),
        }
    return Figure(
        id="rank-composite",
        title=t("chart.rank.title"),
        caption=caption,
        alt=alt_text,
        data=data,
        columns=columns,
        spec=_finish(chart, 240, results.edition.illustrative),
        simulated=results.edition.illustrative,
    )


# ------------------------------------------------------------------------------------ case


def build_case_profile_chart(results: Results, city_id: str) -> Figure:
    """A city's six domain scores against the mean of its stage."""
    city = results.city(city_id)
    edition = results.edition
    name = city["name_zh"].removesuffix("市")
    tier = city["stage"] if isinstance(city["stage"], str) else None
    means = results.tier_means.loc[tier] if tier else None
    group = t("chart.profile.stage_mean", stage=edition.tier_by_id[tier].zh) if tier else None
    rows = []
    for d in edition.domains:
        rows.append({"domain": d.zh, "series": name, "score": float(city[d.id])})
        if means is not None:
            rows.append({"domain": d.zh, "series": group, "score": float(means[d.id])})
    data = pd.DataFrame(rows)
    series = [name] + ([group] if group else [])
    chart = (
        _chart(data)
        .mark_bar()
        .encode(
            x=alt.X("domain:N", sort=[d.zh for d in edition.domains], title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("series:N", sort=series),
            y=alt.Y("score:Q", title=t("chart.field.score"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "series:N",
                sort=series,
                scale=alt.Scale(range=[HIGHLIGHT, MUTED]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("domain:N", title=t("chart.field.domain")),
                alt.Tooltip("series:N", title=t("chart.field.series")),
                alt.Tooltip("score:Q", title=t("chart.field.score"), format=".1f"),
            ],
        )
    )
    own = data[data["series"] == name]
    best = own.loc[own["score"].idxmax()]
    worst = own.loc[own["score"].idxmin()]
    return Figure(
        id=f"case-{city_id}-profile",
        title=t("chart.profile.title", name=name),
        caption=t("chart.profile.caption", name=name) if group else t("chart.profile.caption_unranked", name=name),
        alt=t(
            "chart.profile.alt",
            name=name,
            best=best["domain"],
            best_score=f"{best['score']:.1f}",
            worst=worst["domain"],
            worst_score=f"{worst['score']:.1f}",
        ),
        data=data,
        columns={"domain": t("chart.field.domain"), "series": t("chart.field.series"), "score": t("chart.field.score")},
        spec=_finish(chart, 220, edition.illustrative),
        simulated=edition.illustrative,
    )


# ------------------------------------------------------------------------------ series


RANK_SPAN = 10  # a rank axis covers at least ten places: a move of two is not drawn as a plunge


def changed_editions(site, editions: list[str]) -> list[str]:
    """Of `editions` (ids, oldest first), those whose method differs from the one before."""
    from .series import method_changes

    eds = site.editions
    return [b for a, b in zip(editions, editions[1:]) if method_changes(eds[a], eds[b], eds.values())]


def _rank_lines(data: pd.DataFrame, editions: list[str], height: int, changed: list[str] = ()):
    """Ranks over editions: one line per city, rank 1 at the top; a hollow mark for a derived
    rank. Whole-number ticks on an axis of at least RANK_SPAN places; a dashed rule at each
    edition whose method changed from the one before (a move across it is not like for like)."""
    lowest = max(RANK_SPAN, int(data["rank"].max()) if len(data) else RANK_SPAN)
    base = _chart(data).encode(
        x=alt.X("edition:O", sort=editions, title=t("chart.field.edition"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "rank:Q",
            title=t("chart.field.published_rank"),
            scale=alt.Scale(reverse=True, domain=[1, lowest], nice=False),
            axis=alt.Axis(tickMinStep=1, format="d"),
        ),
        detail="city:N",
    )
    line = base.mark_line(color=MUTED, strokeWidth=2)
    points = base.mark_point(size=70, color=PRIMARY, filled=True).encode(
        shape=alt.Shape(
            "basis_zh:N",
            scale=alt.Scale(domain=[BASIS_ZH["published"], BASIS_ZH["derived"]], range=["circle", "diamond"]),
            legend=alt.Legend(title=None, orient="top"),
        ),
        tooltip=[
            alt.Tooltip("city:N", title=t("chart.field.city")),
            alt.Tooltip("edition:O", title=t("chart.field.edition")),
            alt.Tooltip("rank:Q", title=t("chart.field.rank")),
            alt.Tooltip("basis_zh:N", title=t("chart.field.basis")),
        ],
    )
    layers = line + points
    if changed:
        marks = pd.DataFrame({"edition": list(changed), "note": [t("chart.method_changed")] * len(changed)})
        rule = (
            alt.Chart(marks)
            .mark_rule(color=REFERENCE, strokeDash=[4, 3], strokeWidth=1.5)
            .encode(
                x=alt.X("edition:O", sort=editions),
                tooltip=[
                    alt.Tooltip("edition:O", title=t("chart.field.edition")),
                    alt.Tooltip("note:N", title=t("chart.field.method")),
                ],
            )
        )
        layers = rule + layers
    return layers, height


def _history_frame(history: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": history["name"].values,
            "edition": history["edition"].astype(str).values,
            "rank": history["rank"].astype(int).values,
            "basis": history["basis"].values,
            "basis_zh": [BASIS_ZH[b] for b in history["basis"]],
            "city_id": history["city"].values,
        }
    )


def build_rank_movement_chart(site, cities: tuple[str, ...]) -> Figure:
    """Published and derived ranks of the cities ranked in two or more editions."""
    from .series import rank_history

    history = rank_history(site)
    history = history[history["city"].isin(cities)].sort_values(["order", "rank"])
    editions = [e for e in site.editions if e in set(history["edition"])]
    data = _history_frame(history)
    changed = changed_editions(site, editions)
    chart, height = _rank_lines(data, editions, 320, changed)
    moves = len(set(data["city"]))
    return Figure(
        id="rank-movements",
        title=t("chart.movements.title"),
        caption=t("chart.movements.caption") + _changed_caption(changed),
        alt=t(
            "chart.movements.alt",
            n=moves,
            cities=CLAUSE.join(
                f"{c} "
                + LIST.join(t("chart.edition_rank", edition=r.edition, rank=r.rank) for r in g.itertuples(index=False))
                for c, g in data.groupby("city", sort=False)
            ),
        ),
        data=data,
        columns={"city": t("chart.field.city"), "edition": t("chart.field.edition"), "rank": t("chart.field.rank")},
        spec=_finish(chart, height, False),
        simulated=False,
    )


def _changed_caption(changed: list[str]) -> str:
    return t("chart.method_changed_caption", editions=LIST.join(changed)) if changed else ""


def build_city_rank_chart(site, city_id: str) -> Figure:
    """One city's published and derived ranks over the editions."""
    from .series import rank_history

    history = rank_history(site)
    history = history[history["city"] == city_id].sort_values("order")
    editions = [e for e in site.editions if any(x.ranking for x in [site.editions[e]])]
    data = _history_frame(history)
    changed = changed_editions(site, editions)
    chart, height = _rank_lines(data, editions, 200, changed)
    name = site.city_by_id[city_id].short_zh
    return Figure(
        id=f"city-rank-{city_id}",
        title=t("chart.city_rank.title", name=name),
        caption=t("chart.city_rank.caption") + _changed_caption(changed),
        alt=t(
            "chart.city_rank.alt",
            name=name,
            ranks=LIST.join(
                t("chart.edition_rank", edition=r.edition, rank=r.rank) for r in data.itertuples(index=False)
            ),
        ),
        data=data,
        columns={"city": t("chart.field.city"), "edition": t("chart.field.edition"), "rank": t("chart.field.rank")},
        spec=_finish(chart, height, False),
        simulated=False,
    )
