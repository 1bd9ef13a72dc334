"""Does an edition's score data agree with every fact the publisher published?

An illustrative edition is only worth showing if it contradicts nothing that is known: the
confirmed rank order, the stage each confirmed rank implies, the room left for cities without a
confirmed rank, the published stage counts, the domain findings, and each exemplar the report
names standing in the top quarter of its case domain. The build refuses a score file that fails
any of these. These are the simulated layer's constraints: the pages compare nothing with them.
Pure; no I/O, no MkDocs.
"""

from __future__ import annotations

from collections.abc import Sequence

from .problems import Problem
from .scoring import COMPARE_DECIMALS, Results, stage_of_rank


def rank_gaps(ranks: list[int], size: int) -> list[tuple[int | None, int | None, int]]:
    """(confirmed rank above, confirmed rank below, free places) for each run of unconfirmed ranks."""
    gaps, previous = [], 0
    for rank in sorted(ranks) + [size + 1]:
        if rank - previous > 1:
            gaps.append((previous or None, rank if rank <= size else None, rank - previous - 1))
        previous = rank
    return gaps


def check_consistency(results: Results, exemplars: Sequence[tuple[str, str]] = ()) -> list[Problem]:
    """Problems of a score file with every published statement, the report's exemplars included
    (`exemplars`: (city, domain) of the cases the report names, see `report_exemplars`)."""
    edition, table = results.edition, results.table
    file = f"data/editions/{edition.id}/scores.csv"
    problems: list[Problem] = []

    def fail(message, field=None, value=None, expected=None):
        problems.append(Problem(file, None, field, value, message, expected))

    names = edition.city_by_id
    composite = dict(zip(table["city"], table["composite"].round(COMPARE_DECIMALS)))
    tier_of = dict(zip(table["city"], table["simulated_tier"]))
    ranked = sorted(edition.ranked, key=lambda r: r.rank)
    unscored = [r.city for r in ranked if r.city not in composite]
    for city in unscored:
        fail("有公开名次的城市没有分数", "city", city, "scores.csv 中给出这个城市的分数")
    ranked = [r for r in ranked if r.city in composite]

    # 1. The composite order reproduces the confirmed ranks.
    for above, below in zip(ranked, ranked[1:]):
        if not composite[above.city] > composite[below.city]:
            fail(
                f"综合得分的顺序与公开排名不符：第 {above.rank} 名{names[above.city].short_zh}"
                f"（{composite[above.city]:.2f}）不高于第 {below.rank} 名{names[below.city].short_zh}"
                f"（{composite[below.city]:.2f}）",
                "composite",
                None,
                "名次靠前的城市综合得分更高",
            )

    # 2. Each confirmed rank lands in the stage the published counts imply.
    tier_names = {t.id: t.zh for t in edition.tiers}
    for row in ranked:
        want = stage_of_rank(row.rank, edition.tiers)
        if want and tier_of[row.city] != want:
            got = tier_names.get(tier_of[row.city], "无阶段")
            fail(
                f"第 {row.rank} 名{names[row.city].short_zh}的综合得分 {composite[row.city]:.2f} 属于“{got}”",
                "composite",
                None,
                f"按公布的各阶段城市数，第 {row.rank} 名属于“{tier_names[want]}”",
            )

    # 3. Cities without a confirmed rank sit in a gap of the confirmed ranking, within its room.
    confirmed = {r.city for r in ranked}
    by_rank = {r.rank: r.city for r in ranked}
    for above, below, room in rank_gaps([r.rank for r in ranked], edition.meta.size):
        hi = composite[by_rank[above]] if above else float("inf")
        lo = composite[by_rank[below]] if below else float("-inf")
        inside = [c for c in composite if c not in confirmed and lo < composite[c] < hi]
        if len(inside) > room:
            where = f"第 {above or 0} 名与第 {below or edition.meta.size + 1} 名之间"
            fail(
                f"{where}只有 {room} 个名次空位，却落入 {len(inside)} 个未核实名次的城市",
                "composite",
                None,
                f"不超过 {room} 个",
            )
    for city, value in composite.items():
        if city in confirmed:
            continue
        neighbours = [r.rank for r in ranked if composite[r.city] == value]
        if neighbours:
            fail(
                f"{names[city].short_zh}的综合得分与第 {neighbours[0]} 名相同，占了已核实的名次",
                "composite",
                None,
                "与任何已核实名次的城市得分不同",
            )

    # 4. No stage holds more cities than the report counted in it.
    for tier in edition.tiers:
        count = int((table["simulated_tier"] == tier.id).sum())
        if tier.published_count is not None and count > tier.published_count:
            fail(
                f"“{tier.zh}”阶段有 {count} 个城市，超过报告公布的 {tier.published_count} 个",
                "composite",
                count,
                f"不超过 {tier.published_count}",
            )

    # 5. The domain findings.
    stats = results.domain_stats
    facts = edition.meta.facts
    zh = {d.id: d.zh for d in edition.domains}

    def names(ids) -> str:
        return "、".join(zh[d] for d in sorted(ids))

    def top(column: str, k: int) -> set[str]:
        return set(stats[column].round(COMPARE_DECIMALS).sort_values(ascending=False).index[:k])

    for fact in facts:
        if fact.check is None:
            continue
        want = set(fact.check.domains)
        kind = fact.check.kind
        if kind == "highest_mean":
            got = top("mean", len(want))
            if got != want:
                fail(f"均值最高的领域与公布的结论（{fact.id}）不符", "mean", names(got), names(want))
        elif kind == "lowest_mean":
            got = set(stats["mean"].round(COMPARE_DECIMALS).sort_values().index[: len(want)])
            if got != want:
                fail(f"均值最低的领域与公布的结论（{fact.id}）不符", "mean", names(got), names(want))
        elif kind == "widest_spread":
            for column, label in (("spread", "极差"), ("std", "标准差")):
                got = top(column, len(want))
                if got != want:
                    fail(f"城市间{label}最大的领域与公布的结论（{fact.id}）不符", column, names(got), names(want))
    problems += exemplar_problems(results, exemplars, file)
    return problems


def report_exemplars(cases, edition) -> list[tuple[str, str]]:
    """(city, domain) of every case that cites the edition's report: the exemplars it names.
    A contributed case from another source is no such statement."""
    return [
        (case.meta.city, d)
        for case in cases
        if any(edition.meta.title in s.title for s in case.meta.sources)
        for d in case.meta.domains
    ]


def exemplar_problems(results: Results, exemplars, file: str) -> list[Problem]:
    """Each exemplar must stand in the top quarter of its case domain among the site's cities:
    a simulated score below that would contradict the report's naming it."""
    table = results.table.set_index("city")
    quarter = -(-len(table) // 4)
    problems = []
    for city, domain in exemplars:
        if city not in table.index or domain not in table.columns:
            continue
        place = int((table[domain] > table.loc[city, domain]).sum()) + 1
        if place > quarter:
            name = results.edition.city_by_id[city].short_zh
            zh = results.edition.domain_by_id[domain].zh
            problems.append(
                Problem(
                    file,
                    None,
                    domain,
                    place,
                    f"报告点名的案例城市{name}的{zh}得分只排在本站城市的第 {place} 位",
                    f"位于前四分之一（前 {quarter} 位）",
                )
            )
    return problems
