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

from .figures import Figure
from .labels import SIMULATED_LONG, UNVERIFIED
from .scoring import Results

PUBLISHED, DATA = "报告公布（百强）", "本站收录城市（按公开名次推算）"
HIGHLIGHT, MUTED = "#e65100", "#7986cb"
UNVERIFIED_COLOUR = "#d7ccc8"  # cities whose rank, and so stage, was not published
CITY_MARKS_LIMIT = 200  # above this many cities, per-city charts become histograms
BIN_STEP = 2.5  # score points per histogram bar; the tier edges 60, 70, 85 fall on bar edges
SCORE_MAX = 100  # scores run 0-100 (macros/models.py); the last bar is 97.5-100 inclusive
BANDS_NOTE = (
    f"每根柱子是一个 {BIN_STEP:g} 分宽的分数区间（含下限、不含上限，最后一个区间含 {SCORE_MAX} 分），"
    "高度为区间内的城市数"
)
NAMES_IN_ALT = 20  # city names listed in a text alternative before "等"
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
        chart = chart.properties(title=alt.TitleParams(SIMULATED_LONG, anchor="end", fontSize=12, color="#b71c1c"))
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
    shown = "、".join(names[:NAMES_IN_ALT])
    return shown + (f"等 {len(names)} 个" if len(names) > NAMES_IN_ALT else "")


def _histogram(data: pd.DataFrame, title: str, colour: alt.Color, group_title: str) -> alt.Chart:
    """Stacked bars of pre-binned counts (columns of score_bins)."""
    return (
        _chart(data)
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("start:Q", bin="binned", title=title, scale=alt.Scale(zero=False)),
            x2="end:Q",
            y=alt.Y("count:Q", title="城市数", stack="zero"),
            color=colour,
            tooltip=[
                alt.Tooltip("band:N", title="分数区间"),
                alt.Tooltip("group:N", title=group_title),
                alt.Tooltip("count:Q", title="城市数"),
            ],
        )
    )


def _tier_scale(results: Results, with_unverified: bool) -> alt.Scale:
    """Stage colours, best stage first; cities whose stage is unknown (if shown) in grey."""
    tiers = list(reversed(results.edition.tiers))
    domain, colours = [t.zh for t in tiers], [t.color for t in tiers]
    if with_unverified:
        domain, colours = domain + [UNVERIFIED], colours + [UNVERIFIED_COLOUR]
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
        y=y, x=alt.X("min:Q", title="得分", scale=alt.Scale(zero=False)), x2="max:Q"
    )
    point = base.mark_point(filled=True, size=110, color="#3f51b5").encode(
        y=y,
        x="mean:Q",
        tooltip=[
            alt.Tooltip("domain:N", title="领域"),
            alt.Tooltip("mean:Q", title="均值", format=".1f"),
            alt.Tooltip("min:Q", title="最低", format=".1f"),
            alt.Tooltip("max:Q", title="最高", format=".1f"),
        ],
    )
    text = base.mark_text(align="left", dx=8, dy=-10, fontSize=11).encode(
        y=y, x="mean:Q", text=alt.Text("mean:Q", format=".1f")
    )
    top, last = order[0], order[-1]
    widest = zh[stats["spread"].idxmax()]
    return Figure(
        id="domain-capability",
        title="六大领域的数字化建设能力",
        caption="圆点为各领域的城市平均得分，横线为最低分到最高分的范围。",
        alt=f"{len(order)} 个领域按均值从高到低依次为{'、'.join(order)}；"
        f"均值最高的是{top}，最低的是{last}；城市间差距最大的是{widest}。",
        data=data,
        columns={"domain": "领域", "mean": "均值", "min": "最低", "max": "最高"},
        spec=_finish(rule + point + text, 240, results.edition.illustrative),
        simulated=results.edition.illustrative,
    )


def build_tier_distribution_chart(results: Results) -> Figure:
    """图 3: cities per stage as published, beside the site's cities with a published rank, each
    in the stage its rank implies (derived; no score involved)."""
    tiers = list(reversed(results.edition.tiers))
    rows = []
    for t in tiers:
        published = results.tier_counts.loc[t.id, "published"]
        if not pd.isna(published):
            rows.append({"tier": t.zh, "source": PUBLISHED, "count": int(published), "basis": "published"})
        rows.append(
            {"tier": t.zh, "source": DATA, "count": int(results.tier_counts.loc[t.id, "derived"]), "basis": "derived"}
        )
    data = pd.DataFrame(rows)
    chart = (
        _chart(data)
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=[t.zh for t in tiers], title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("source:N", sort=[PUBLISHED, DATA]),
            y=alt.Y("count:Q", title="城市数"),
            color=alt.Color(
                "source:N",
                sort=[PUBLISHED, DATA],
                scale=alt.Scale(range=["#3f51b5", "#ff9800"]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("tier:N", title="阶段"),
                alt.Tooltip("source:N", title="口径"),
                alt.Tooltip("count:Q", title="城市数"),
            ],
        )
    )
    labels = (
        _chart(data)
        .mark_text(dy=-6, fontSize=11)
        .encode(
            x=alt.X("tier:N", sort=[t.zh for t in tiers]),
            xOffset=alt.XOffset("source:N", sort=[PUBLISHED, DATA]),
            y="count:Q",
            text="count:Q",
        )
    )
    published = "、".join(f"{r['tier']} {r['count']} 个" for r in rows if r["source"] == PUBLISHED)
    ours = "、".join(f"{r['tier']} {r['count']} 个" for r in rows if r["source"] == DATA)
    return Figure(
        id="tier-distribution",
        title="各发展阶段的城市数",
        caption=f"“{PUBLISHED}”是报告给出的分布；“{DATA}”是本站收录、有公开名次的城市，按名次和公布的各阶段城市数推算阶段。",
        alt=f"报告公布：{published}。本站收录、有公开名次的城市：{ours}。",
        data=data,
        columns={"tier": "阶段", "source": "口径", "count": "城市数"},
        spec=_finish(chart + labels, 240, False),
        simulated=False,
    )


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
                "marked": ["是" if p in marked else "否" for p in agg["province"]],
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
            x=alt.X("cities:Q", title="有公开名次的城市数", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("marked:N", scale=alt.Scale(domain=["是", "否"], range=[HIGHLIGHT, MUTED]), legend=None),
            tooltip=[alt.Tooltip("province:N", title="省份"), alt.Tooltip("cities:Q", title="城市数")],
        )
    )
    data_share = data.loc[data["marked"] == "是", "cities"].sum() / data["cities"].sum() if marked else 0
    total = int(data["cities"].sum())
    caption = f"只计公开来源中读得到名次的 {total} 个城市，是百强的一部分，不是各省在百强中的城市数。" + (
        "橙色为报告一条结论点名的省份" if marked else ""
    )
    if share:
        said = share.statement.replace("{value}", f"{share.value:g}{share.unit}").rstrip("。")
        caption += f"：{said}（在这 {total} 个城市中占 {data_share * 100:.0f}%）。"
    return Figure(
        id="province-cities",
        title=f"各省份有公开名次的城市数（{total} 个城市）",
        caption=caption,
        alt="有公开名次的城市按省份："
        + "，".join(f"{p} {c} 个" for p, c in zip(data["province"], data["cities"]))
        + "。",
        data=data,
        columns={"province": "省份", "cities": "城市数", "marked": "结论点名"},
        spec=_finish(chart, max(160, 18 * len(data)), False),
        simulated=False,
    )


# -------------------------------------------------------------------------------- domains


def build_domain_distribution_chart(results: Results, domain_id: str, case_cities: set[str]) -> Figure:
    """Every city's score in one domain, case cities highlighted (a histogram for many cities)."""
    zh = results.edition.domain_by_id[domain_id].zh
    t = results.table
    kinds = ["案例城市", "其他城市"]
    colour_scale = alt.Scale(domain=kinds, range=[HIGHLIGHT, MUTED])
    city = t["name_zh"].str.removesuffix("市")
    kind = pd.Series(["案例城市" if c in case_cities else "其他城市" for c in t["city"]], index=t.index)
    cases = list(city[(kind == "案例城市")].sort_values(kind="stable"))
    mean = results.domain_stats.loc[domain_id, "mean"]
    rule = (
        alt.Chart(alt.Data(values=[{"mean": round(float(mean), 3)}]))
        .mark_rule(strokeDash=[4, 3], color="#616161")
        .encode(x="mean:Q")
    )
    scores = t[domain_id]
    alt_text = f"{len(t)} 个城市的{zh}得分从 {scores.min():.1f} 到 {scores.max():.1f}，均值 {mean:.1f}；" + (
        f"案例城市：{_names(cases)}。" if cases else "本领域暂无案例城市。"
    )
    if len(t) > CITY_MARKS_LIMIT:
        data = score_bins(scores, kind, kinds)
        colour = alt.Color("group:N", scale=colour_scale, sort=kinds, legend=alt.Legend(title=None, orient="top"))
        chart, height = _histogram(data, f"{zh}得分", colour, "类别"), 220
        caption = f"{BANDS_NOTE}；橙色为本领域的案例城市，虚线为均值。"
        columns = {"band": "分数区间", "group": "类别", "count": "城市数"}
    else:
        data = (
            pd.DataFrame({"city": city, "score": scores, "case": kind})
            .sort_values(["score", "city"], ascending=[False, True], kind="stable")
            .reset_index(drop=True)
        )
        chart = (
            _chart(data)
            .mark_circle(size=90, opacity=0.7)
            .encode(
                x=alt.X("score:Q", title=f"{zh}得分", scale=alt.Scale(zero=False)),
                y=alt.Y("case:N", title=None, sort=kinds),
                color=alt.Color("case:N", scale=colour_scale, legend=None),
                tooltip=[alt.Tooltip("city:N", title="城市"), alt.Tooltip("score:Q", title="得分", format=".1f")],
            )
        )
        height = 140
        caption = "每个点是一个城市；橙色为本领域的案例城市，虚线为均值。"
        columns = {"city": "城市", "score": "得分", "case": "类别"}
    return Figure(
        id=f"domain-{domain_id}-distribution",
        title=f"{zh}：各城市得分分布",
        caption=caption,
        alt=alt_text,
        data=data,
        columns=columns,
        spec=_finish(chart + rule, height, results.edition.illustrative),
        simulated=results.edition.illustrative,
    )


def build_domain_top_chart(results: Results, domain_id: str, n: int = 10) -> Figure:
    zh = results.edition.domain_by_id[domain_id].zh
    t = results.table.sort_values([domain_id, "city"], ascending=[False, True], kind="stable").head(n)
    data = pd.DataFrame({"city": t["name_zh"].str.removesuffix("市").values, "score": t[domain_id].values})
    chart = (
        _chart(data)
        .mark_bar(color="#3f51b5")
        .encode(
            y=alt.Y("city:N", sort=list(data["city"]), title=None),
            x=alt.X("score:Q", title=f"{zh}得分", scale=alt.Scale(domain=[0, 100])),
            tooltip=[alt.Tooltip("city:N", title="城市"), alt.Tooltip("score:Q", title="得分", format=".1f")],
        )
    )
    text = (
        _chart(data)
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(y=alt.Y("city:N", sort=list(data["city"])), x="score:Q", text=alt.Text("score:Q", format=".1f"))
    )
    return Figure(
        id=f"domain-{domain_id}-top",
        title=f"{zh}得分最高的 {len(data)} 个城市",
        caption="按本领域得分从高到低排列。",
        alt="、".join(f"{c} {s:.1f}" for c, s in zip(data["city"], data["score"])) + "。",
        data=data,
        columns={"city": "城市", "score": "得分"},
        spec=_finish(chart + text, 22 * len(data), results.edition.illustrative),
        simulated=results.edition.illustrative,
    )


# ------------------------------------------------------------------------- tiers, ranking


def build_tier_bands_chart(results: Results) -> Figure:
    """The simulated composite of every city with a published rank against the band edges, one
    row per stage its rank implies (a histogram for many cities). Cities without a published
    rank are left out: they have no stage, and a dot among the others would imply a place."""
    t = results.table[results.table["stage"].notna()]
    stage = pd.Series([_stage_zh(results, x) for x in t["stage"]], index=t.index)
    order = [x.zh for x in reversed(results.edition.tiers)]
    edges = sorted(
        {t_.min for t_ in results.edition.tiers} | {t_.max for t_ in results.edition.tiers if t_.max is not None}
    )
    counts = stage.value_counts()
    alt_text = (
        f"本站收录、有公开名次的 {len(t)} 个城市，按名次推算的阶段："
        + "，".join(f"{k} {counts.get(k, 0)} 个" for k in order)
        + "；每个城市的模拟综合得分都落在其阶段的分数区间内。"
    )
    edges_text = "、".join(f"{e:g}" for e in edges)
    colour = alt.Color("group:N", scale=_tier_scale(results, False), legend=alt.Legend(title=None, orient="top"))
    if len(t) > CITY_MARKS_LIMIT:
        data = score_bins(t["composite"], stage, order)
        marks = _histogram(data, "综合得分", colour, "阶段")
        caption = f"{BANDS_NOTE}，颜色为按名次推算的阶段"
        columns = {"band": "分数区间", "group": "阶段", "count": "城市数"}
        height = 260
    else:
        data = pd.DataFrame(
            {
                "city": t["name_zh"].str.removesuffix("市"),
                "rank": t["published_rank"].astype(int),
                "composite": t["composite"],
                "group": stage,
            }
        )
        marks = (
            _chart(data)
            .mark_circle(size=70, opacity=0.8)
            .encode(
                x=alt.X("composite:Q", title="综合得分", scale=alt.Scale(zero=False)),
                y=alt.Y("group:N", title=None, sort=order),
                color=colour,
                tooltip=[
                    alt.Tooltip("city:N", title="城市"),
                    alt.Tooltip("rank:Q", title="公开名次"),
                    alt.Tooltip("group:N", title="阶段（推算）"),
                    alt.Tooltip("composite:Q", title="综合得分（模拟）", format=".1f"),
                ],
            )
        )
        caption = "每个点是一个有公开名次的城市，所在行是按名次推算的阶段，横轴是模拟综合得分"
        columns = {"city": "城市", "rank": "公开名次", "group": "阶段（推算）", "composite": "综合得分（模拟）"}
        height = 40 * len(order) + 60
    rules = (
        alt.Chart(alt.Data(values=[{"edge": e} for e in edges]))
        .mark_rule(strokeDash=[4, 3], color="#9e9e9e")
        .encode(x="edge:Q")
    )
    return Figure(
        id="tier-bands",
        title="阶段与分数区间",
        caption=f"{caption}；虚线为阶段分界（{edges_text} 分）。",
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
    t = results.table[results.table["published_rank"].notna()].sort_values("published_rank")
    ranks = t["published_rank"].astype(int)
    first = (
        f"第 {ranks.iloc[0]} 名{t['name_zh'].iloc[0].removesuffix('市')}，综合得分 {t['composite'].iloc[0]:.1f}"
        if len(t)
        else ""
    )
    x_scale = alt.Scale(domain=[1, size])
    if len(t) > CITY_MARKS_LIMIT:
        width = math.ceil(size / RANK_BANDS)
        start = (ranks - 1) // width * width + 1
        grouped = pd.DataFrame({"start": start.values, "composite": t["composite"].values}).groupby("start", sort=True)[
            "composite"
        ]
        data = pd.DataFrame(
            {"cities": grouped.size(), "mean": grouped.mean(), "min": grouped.min(), "max": grouped.max()}
        ).reset_index()
        data["end"] = (data["start"] + width - 1).clip(upper=size)
        data["middle"] = (data["start"] + data["end"]) / 2
        data["band"] = [f"{a}–{b}" for a, b in zip(data["start"], data["end"])]
        data = data[["band", "start", "end", "middle", "cities", "mean", "min", "max"]].astype({"cities": "int64"})
        base = _chart(data)
        x = alt.X("middle:Q", title="公开名次", scale=x_scale)
        rule = base.mark_rule(strokeWidth=2, opacity=0.5, color=MUTED).encode(
            x=x, y=alt.Y("min:Q", title="综合得分", scale=alt.Scale(zero=False)), y2="max:Q"
        )
        point = base.mark_circle(size=50, color="#3f51b5").encode(
            x=x,
            y="mean:Q",
            tooltip=[
                alt.Tooltip("band:N", title="名次区间"),
                alt.Tooltip("cities:Q", title="城市数"),
                alt.Tooltip("mean:Q", title="平均综合得分", format=".1f"),
                alt.Tooltip("min:Q", title="最低", format=".1f"),
                alt.Tooltip("max:Q", title="最高", format=".1f"),
            ],
        )
        chart = rule + point
        caption = f"已核实的公开名次每 {width} 名一组；圆点为组内城市的平均综合得分，竖线为最低到最高。"
        groups = f"分为 {len(data)} 组；"
        columns = {"band": "名次区间", "cities": "城市数", "mean": "平均综合得分", "min": "最低", "max": "最高"}
    else:
        data = pd.DataFrame(
            {
                "rank": ranks.values,
                "city": t["name_zh"].str.removesuffix("市").values,
                "composite": t["composite"].values,
                "tier": [_stage_zh(results, x) for x in t["stage"]],
            }
        )
        chart = (
            _chart(data)
            .mark_circle(size=70)
            .encode(
                x=alt.X("rank:Q", title="公开名次", scale=x_scale),
                y=alt.Y("composite:Q", title="综合得分", scale=alt.Scale(zero=False)),
                color=alt.Color(
                    "tier:N", scale=_tier_scale(results, False), legend=alt.Legend(title=None, orient="top")
                ),
                tooltip=[
                    alt.Tooltip("rank:Q", title="名次"),
                    alt.Tooltip("city:N", title="城市"),
                    alt.Tooltip("composite:Q", title="综合得分", format=".1f"),
                ],
            )
        )
        caption = "横轴为已核实的公开名次，空白处是尚未核实的名次；纵轴为综合得分。"
        groups = ""
        columns = {"rank": "公开名次", "city": "城市", "composite": "综合得分（模拟）", "tier": "阶段（推算）"}
    return Figure(
        id="rank-composite",
        title="综合得分与公开名次",
        caption=caption,
        alt=f"{len(t)} 个有公开名次的城市，{groups}名次越靠前综合得分越高；{first}。",
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
    group = f"{edition.tier_by_id[tier].zh}阶段均值" if tier else None
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
            y=alt.Y("score:Q", title="得分", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "series:N",
                sort=series,
                scale=alt.Scale(range=[HIGHLIGHT, "#9fa8da"]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("domain:N", title="领域"),
                alt.Tooltip("series:N", title="对象"),
                alt.Tooltip("score:Q", title="得分", format=".1f"),
            ],
        )
    )
    own = data[data["series"] == name]
    best = own.loc[own["score"].idxmax()]
    worst = own.loc[own["score"].idxmin()]
    return Figure(
        id=f"case-{city_id}-profile",
        title=f"{name}的六大领域得分",
        caption=(
            f"橙色为{name}，浅色为同一阶段城市的平均水平。"
            if group
            else f"{name}没有公开名次，阶段未核实，所以不与阶段均值比较。"
        ),
        alt=f"{name}得分最高的领域是{best['domain']}（{best['score']:.1f}），最低的是{worst['domain']}（{worst['score']:.1f}）。",
        data=data,
        columns={"domain": "领域", "series": "对象", "score": "得分"},
        spec=_finish(chart, 220, edition.illustrative),
        simulated=edition.illustrative,
    )


# ------------------------------------------------------------------------------ series


def _rank_lines(data: pd.DataFrame, editions: list[str], height: int):
    """Ranks over editions: one line per city, rank 1 at the top; a hollow mark for a derived rank."""
    base = _chart(data).encode(
        x=alt.X("edition:O", sort=editions, title="版本", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rank:Q", title="公开名次", scale=alt.Scale(reverse=True, zero=False, nice=False)),
        detail="city:N",
    )
    line = base.mark_line(color=MUTED, strokeWidth=2)
    points = base.mark_point(size=70, color="#3f51b5", filled=True).encode(
        shape=alt.Shape(
            "basis_zh:N",
            scale=alt.Scale(domain=["公布", "推算"], range=["circle", "diamond"]),
            legend=alt.Legend(title=None, orient="top"),
        ),
        tooltip=[
            alt.Tooltip("city:N", title="城市"),
            alt.Tooltip("edition:O", title="版本"),
            alt.Tooltip("rank:Q", title="名次"),
            alt.Tooltip("basis_zh:N", title="性质"),
        ],
    )
    return line + points, height


def _history_frame(history: pd.DataFrame) -> pd.DataFrame:
    from .labels import BASIS_ZH

    return pd.DataFrame(
        {
            "city": history["name"].values,
            "edition": history["edition"].astype(str).values,
            "rank": history["rank"].astype(int).values,
            "basis": history["basis"].values,
            "basis_zh": [BASIS_ZH[b] for b in history["basis"]],
        }
    )


def build_rank_movement_chart(site, cities: tuple[str, ...]) -> Figure:
    """Published and derived ranks of the cities ranked in two or more editions."""
    from .series import rank_history

    history = rank_history(site)
    history = history[history["city"].isin(cities)].sort_values(["order", "rank"])
    editions = [e for e in site.editions if e in set(history["edition"])]
    data = _history_frame(history)
    chart, height = _rank_lines(data, editions, 320)
    moves = len(set(data["city"]))
    return Figure(
        id="rank-movements",
        title="名次变化（公开名次）",
        caption="每条线是一座城市在有公开名次的版本之间的变化；菱形为由公开内容推算的名次。没有公开名次的版本不画点。",
        alt=f"{moves} 座城市在两个及以上版本有公开名次："
        + "；".join(
            f"{c} " + "、".join(f"{r.edition} 年第 {r.rank} 名" for r in g.itertuples(index=False))
            for c, g in data.groupby("city", sort=False)
        )
        + "。",
        data=data,
        columns={"city": "城市", "edition": "版本", "rank": "名次"},
        spec=_finish(chart, height, False),
        simulated=False,
    )


def build_city_rank_chart(site, city_id: str) -> Figure:
    """One city's published and derived ranks over the editions."""
    from .series import rank_history

    history = rank_history(site)
    history = history[history["city"] == city_id].sort_values("order")
    editions = [e for e in site.editions if any(x.ranking for x in [site.editions[e]])]
    data = _history_frame(history)
    chart, height = _rank_lines(data, editions, 200)
    name = site.city_by_id[city_id].short_zh
    return Figure(
        id=f"city-rank-{city_id}",
        title=f"{name}的公开名次",
        caption="只画公开来源写明或由公开内容推算的名次；菱形为推算的名次。",
        alt=f"{name}：" + "、".join(f"{r.edition} 年第 {r.rank} 名" for r in data.itertuples(index=False)) + "。",
        data=data,
        columns={"city": "城市", "edition": "版本", "rank": "名次"},
        spec=_finish(chart, height, False),
        simulated=False,
    )
