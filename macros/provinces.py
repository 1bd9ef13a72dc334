"""How many of an edition's cities each province has, as far as anyone can say.

Three things can be known about a province in an edition: the report's own count (a fact
whose measure is MEMBERS_MEASURE, naming that one province: published, with its source), the
cities the site knows to be in the list (ranked, or listed without a rank), and whether the site
knows the whole list (then a province with none of its cities known has none). Anything less
is unknown, never 0. Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from .editions import Edition

# The measure a province's count of listed cities is published under (data/editions/*/edition.yaml)
MEMBERS_MEASURE = "百强城市数"


@dataclass(frozen=True)
class ProvinceCount:
    province: str
    known: int  # cities the site knows to be in the list
    stated: int | None  # the report's own count, when a source gives one
    fact_id: str | None  # the fact that states it
    complete: bool  # the site knows the edition's whole list: `known` is the count

    @property
    def count(self) -> int | None:
        """The number to show as the province's count, or None when it is not known."""
        if self.stated is not None:
            return self.stated
        return self.known if self.complete else None

    @property
    def partial(self) -> bool:
        """The site knows fewer cities than the count says (or than there may be)."""
        return self.count is None or self.known < self.count


def province_counts(edition: Edition, provinces) -> dict[str, ProvinceCount]:
    """Province (full name) -> what is known of its cities in `edition`, for every province."""
    complete = len(edition.listed) >= edition.meta.size
    known: dict[str, int] = {}
    for city in edition.cities:
        if city.id in edition.listed:
            known[city.province_zh] = known.get(city.province_zh, 0) + 1
    stated: dict[str, tuple[int, str]] = {}
    for fact in edition.meta.facts:
        if fact.measure == MEMBERS_MEASURE and len(fact.provinces) == 1 and fact.value is not None:
            stated[fact.provinces[0]] = (int(fact.value), fact.id)
    out = {}
    for p in provinces:
        count, fact_id = stated.get(p, (None, None))
        out[p] = ProvinceCount(p, known.get(p, 0), count, fact_id, complete)
    return out
