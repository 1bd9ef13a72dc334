"""Does an edition's score data agree with every fact the publisher published?

An illustrative edition is only worth showing if it contradicts nothing that is known: the
confirmed rank order, the stage each confirmed rank implies, the room left for cities without a
confirmed rank, the published stage counts, and the domain findings. The build refuses an edition
that fails any of these. Pure; no I/O, no MkDocs.
"""

from __future__ import annotations

from .problems import Problem
from .scoring import COMPARE_DECIMALS, Results


def implied_tiers(results: Results) -> dict[int, str]:
    """rank -> tier id implied by the published stage counts, counting from the top stage down."""
    implied, rank = {}, 1
    for tier in reversed(results.edition.tiers):
        for _ in range(tier.published_count or 0):
            implied[rank] = tier.id
            rank += 1
    return implied


def rank_gaps(ranks: list[int], size: int) -> list[tuple[int | None, int | None, int]]:
    """(confirmed rank above, confirmed rank below, free places) for each run of unconfirmed ranks."""
    gaps, previous = [], 0
    for rank in sorted(ranks) + [size + 1]:
        if rank - previous > 1:
            gaps.append((previous or None, rank if rank <= size else None, rank - previous - 1))
        previous = rank
    return gaps


def check_consistency(results: Results) -> list[Problem]:
    edition, table = results.edition, results.table
    file = f"data/editions/{edition.id}/scores.csv"
    problems: list[Problem] = []

    def fail(message, field=None, value=None, expected=None):
        problems.append(Problem(file, None, field, value, message, expected))

    names = edition.city_by_id
    composite = dict(zip(table["city"], table["composite"].round(COMPARE_DECIMALS)))
    tier_of = dict(zip(table["city"], table["tier"]))
    ranked = sorted(edition.ranking, key=lambda r: r.rank)
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
    implied = implied_tiers(results)
    tier_names = {t.id: t.zh for t in edition.tiers}
    for row in ranked:
        want = implied.get(row.rank)
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
        count = int((table["tier"] == tier.id).sum())
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

    def top(column: str, k: int) -> set[str]:
        return set(stats[column].round(COMPARE_DECIMALS).sort_values(ascending=False).index[:k])

    if facts.strongest_domains:
        want = set(facts.strongest_domains.domains)
        got = top("mean", len(want))
        if got != want:
            fail(
                "均值最高的领域与报告结论不符",
                "mean",
                "、".join(zh[d] for d in sorted(got)),
                "、".join(zh[d] for d in sorted(want)),
            )
    if facts.weakest_domain:
        lowest = stats["mean"].idxmin()
        if lowest != facts.weakest_domain.domain:
            fail("均值最低的领域与报告结论不符", "mean", zh[lowest], zh[facts.weakest_domain.domain])
    if facts.widest_gap_domains:
        want = set(facts.widest_gap_domains.domains)
        for column, label in (("spread", "极差"), ("std", "标准差")):
            got = top(column, len(want))
            if got != want:
                fail(
                    f"城市间{label}最大的领域与报告结论不符",
                    column,
                    "、".join(zh[d] for d in sorted(got)),
                    "、".join(zh[d] for d in sorted(want)),
                )
    return problems
