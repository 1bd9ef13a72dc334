"""Load and validate an edition: its YAML and CSV files, checked alone and against each other.

`load_edition(root, "2020")` returns a frozen `Edition` or raises `DataError` carrying every
problem found, each naming file, line, field, value and expectation. Loading happens once per
build. No MkDocs, no scoring.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .files import load_yaml, problems_from_validation, read_csv, yaml_strings
from .models import (
    City,
    Domain,
    DomainsFile,
    EditionMeta,
    RankRow,
    Region,
    RegionsFile,
    Tier,
    TiersFile,
    score_row_model,
)
from .problems import DataError, Problem
from .textcheck import check_strings

CITY_COLUMNS = list(City.model_fields)
RANKING_COLUMNS = list(RankRow.model_fields)
WEIGHT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Edition:
    """One edition's validated data. Tuples of frozen records; nothing here is computed."""

    id: str
    meta: EditionMeta
    domains: tuple[Domain, ...]
    tiers: tuple[Tier, ...]
    regions: tuple[Region, ...]
    cities: tuple[City, ...]
    ranking: tuple[RankRow, ...]
    scores: tuple[dict, ...]  # {"city": id, <domain id>: float, ...}
    files: dict = field(default_factory=dict)  # download name -> Path of each source file

    @property
    def illustrative(self) -> bool:
        return self.meta.basis == "illustrative"

    @cached_property
    def city_by_id(self) -> dict[str, City]:
        return {c.id: c for c in self.cities}

    @cached_property
    def domain_by_id(self) -> dict[str, Domain]:
        return {d.id: d for d in self.domains}

    @cached_property
    def tier_by_id(self) -> dict[str, Tier]:
        return {t.id: t for t in self.tiers}

    def source(self, source_id: str):
        return next(s for s in self.meta.sources if s.id == source_id)


def data_dir(root: Path) -> Path:
    return Path(root) / "data"


def edition_ids(root: Path) -> list[str]:
    folder = data_dir(root) / "editions"
    return sorted(p.name for p in folder.iterdir() if (p / "edition.yaml").is_file())


class _Collector:
    """Gathers problems across files so that one run reports them all."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def yaml_model(self, path: Path, model: type[BaseModel]):
        shown = self.rel(path)
        try:
            data, line_of = load_yaml(path, shown)
        except DataError as err:
            self.problems += err.problems
            return None, None
        self.problems += check_strings(yaml_strings(data), shown, line_of)
        if not isinstance(data, dict):
            self.problems.append(Problem(shown, 1, None, None, "文件内容应是一组“字段: 值”", None))
            return None, line_of
        try:
            return model.model_validate(data), line_of
        except ValidationError as err:
            self.problems += problems_from_validation(err, model, shown, line_of)
            return None, line_of

    def csv_models(self, path: Path, model: type[BaseModel], columns: list[str]):
        """[(line, record)] for the rows that validate; problems for the others."""
        shown = self.rel(path)
        try:
            rows = read_csv(path, shown, columns)
        except DataError as err:
            self.problems += err.problems
            return None
        records = []
        for line, row in rows:
            at_line = lambda _, line=line: line  # noqa: E731 - every problem of the row is on its line
            self.problems += check_strings(((None, k, v) for k, v in row.items()), shown, at_line)
            try:
                records.append((line, model.model_validate(row)))
            except ValidationError as err:
                self.problems += problems_from_validation(err, model, shown, at_line)
        return records

    def check_city_column(self, path: Path, records, city_ids) -> None:
        """Every row's `city` is a known id and appears once."""
        seen: dict[str, int] = {}
        for line, row in records:
            if city_ids is not None and row.city not in city_ids:
                self.add(path, line, "city", row.city, "不是 data/cities.csv 中的城市编号", nearest(row.city, city_ids))
            if row.city in seen:
                self.add(path, line, "city", row.city, f"城市重复（第 {seen[row.city]} 行已有）", "每个城市只出现一次")
            seen.setdefault(row.city, line)

    def add(self, path: Path, line, field, value, message, expected=None):
        self.problems.append(Problem(self.rel(path), line, field, value, message, expected))


def nearest(value: str, choices) -> str:
    """A hint naming the valid ids and the nearest match, for unknown-id messages."""
    choices = sorted(choices)
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    hint = f"最接近的是 {close[0]}；" if close else ""
    shown = "、".join(choices[:60]) + ("……" if len(choices) > 60 else "")
    return f"{hint}可用的有：{shown}"


def load_regions(root: Path, c: _Collector) -> tuple[Region, ...] | None:
    parsed, _ = c.yaml_model(data_dir(root) / "regions.yaml", RegionsFile)
    return parsed.regions if parsed else None


def load_cities(root: Path, c: _Collector, regions) -> tuple[City, ...] | None:
    path = data_dir(root) / "cities.csv"
    records = c.csv_models(path, City, CITY_COLUMNS)
    if records is None:
        return None
    region_of = {p: r.id for r in regions for p in r.provinces} if regions else None
    seen: dict[str, int] = {}
    for line, city in records:
        if city.id in seen:
            c.add(path, line, "id", city.id, f"城市编号重复（第 {seen[city.id]} 行已有）", "每个城市只出现一次")
        seen.setdefault(city.id, line)
        if region_of is not None:
            if city.province_zh not in region_of:
                c.add(
                    path,
                    line,
                    "province_zh",
                    city.province_zh,
                    "不是已知的省级行政区",
                    nearest(city.province_zh, region_of),
                )
            elif region_of[city.province_zh] != city.region:
                c.add(
                    path,
                    line,
                    "region",
                    city.region,
                    f"与省份 {city.province_zh} 所属地区不符",
                    region_of[city.province_zh],
                )
    return tuple(city for _, city in records)


def check_domains(path: Path, c: _Collector, parsed: DomainsFile, line_of) -> None:
    ids = [d.id for d in parsed.domains]
    for i, d in enumerate(parsed.domains):
        if ids.index(d.id) != i:
            c.add(path, line_of(("domains", i, "id")), "id", d.id, "领域编号重复", "每个领域只出现一次")
    total = sum(d.weight for d in parsed.domains)
    if abs(float(total) - 1) > WEIGHT_TOLERANCE:
        shown = " + ".join(str(d.weight) for d in parsed.domains)
        c.add(
            path,
            line_of(("domains",)),
            "weight",
            f"{shown} = {float(total):g}",
            "权重之和不等于 1",
            "各领域权重相加正好为 1",
        )


def check_tiers(path: Path, c: _Collector, parsed: TiersFile, line_of) -> None:
    tiers = parsed.tiers
    ids = [t.id for t in tiers]
    for i, t in enumerate(tiers):
        where = line_of(("tiers", i))
        if ids.index(t.id) != i:
            c.add(path, where, "id", t.id, "阶段编号重复", "每个阶段只出现一次")
        if t.max is not None and t.max <= t.min:
            c.add(path, where, "max", t.max, f"上限不大于下限 {t.min:g}", "max 大于 min")
        if t.max is None and i != len(tiers) - 1:
            c.add(path, where, "max", None, "只有最高一档可以不写上限", "给出上限 max")
        if i + 1 < len(tiers):
            nxt = tiers[i + 1]
            if t.max is None:
                continue
            if nxt.min < t.max:
                c.add(
                    path,
                    line_of(("tiers", i + 1, "min")),
                    "min",
                    nxt.min,
                    f"与上一档 {t.zh}（{t.min:g}-{t.max:g}）重叠",
                    f"下限等于上一档的上限 {t.max:g}",
                )
            elif nxt.min > t.max:
                c.add(
                    path,
                    line_of(("tiers", i + 1, "min")),
                    "min",
                    nxt.min,
                    f"与上一档 {t.zh} 之间留有空档（{t.max:g} 到 {nxt.min:g} 不属于任何阶段）",
                    f"下限等于上一档的上限 {t.max:g}",
                )
    last = tiers[-1]
    if last.max is not None:
        c.add(
            path,
            line_of(("tiers", len(tiers) - 1, "max")),
            "max",
            last.max,
            "最高一档不应有上限",
            "删除最高一档的 max（85 分及以上都属于它）",
        )


def check_facts(path: Path, c: _Collector, meta: EditionMeta, line_of, domain_ids, city_ids, provinces) -> None:
    source_ids = {s.id for s in meta.sources}
    facts = meta.facts
    for name in type(facts).model_fields:
        fact = getattr(facts, name)
        if fact is None:
            continue
        loc = ("facts", name)
        if fact.source not in source_ids:
            c.add(
                path,
                line_of(loc + ("source",)),
                f"facts.{name}.source",
                fact.source,
                "不是已登记的来源",
                nearest(fact.source, source_ids),
            )
        for key, known in (
            ("domains", domain_ids),
            ("domain", domain_ids),
            ("cities", city_ids),
            ("provinces", provinces),
        ):
            if known is None or not hasattr(fact, key):
                continue
            values = getattr(fact, key)
            for i, value in enumerate([values] if isinstance(values, str) else values):
                if value not in known:
                    c.add(
                        path,
                        line_of(loc + (key, i)),
                        f"facts.{name}.{key}",
                        value,
                        "不是已知的编号或名称",
                        nearest(value, known),
                    )


def load_edition(root: Path, edition_id: str) -> Edition:
    """Load and validate one edition; DataError lists every problem in every file."""
    root = Path(root)
    c = _Collector(root)
    folder = data_dir(root) / "editions" / edition_id
    if not folder.is_dir():
        raise DataError(
            [
                Problem(
                    c.rel(folder),
                    None,
                    None,
                    edition_id,
                    "没有这个版本的文件夹",
                    nearest(edition_id, edition_ids(root)),
                )
            ]
        )

    regions = load_regions(root, c)
    cities = load_cities(root, c, regions)
    city_ids = {x.id for x in cities} if cities is not None else None

    meta_path, domains_path, tiers_path = folder / "edition.yaml", folder / "domains.yaml", folder / "tiers.yaml"
    meta, meta_lines = c.yaml_model(meta_path, EditionMeta)
    domains_file, domain_lines = c.yaml_model(domains_path, DomainsFile)
    tiers_file, tier_lines = c.yaml_model(tiers_path, TiersFile)
    if domains_file:
        check_domains(domains_path, c, domains_file, domain_lines)
    if tiers_file:
        check_tiers(tiers_path, c, tiers_file, tier_lines)
    domain_ids = [d.id for d in domains_file.domains] if domains_file else None
    if meta:
        if meta.id != edition_id:
            c.add(meta_path, meta_lines(("id",)), "id", meta.id, "与文件夹名不符", edition_id)
        if meta.basis == "illustrative" and meta.illustrative is None:
            c.add(
                meta_path,
                meta_lines(("basis",)),
                "illustrative",
                None,
                "模拟数据须写明生成脚本和随机种子",
                "illustrative: {script: ..., seed: ...}",
            )
        provinces = {p for r in regions for p in r.provinces} if regions else None
        check_facts(meta_path, c, meta, meta_lines, domain_ids, city_ids, provinces)
        if tiers_file:
            counts = [t.published_count for t in tiers_file.tiers]
            counted = sum(n or 0 for n in counts)
            if counted > meta.size:
                c.add(
                    tiers_path,
                    None,
                    "published_count",
                    counted,
                    f"各阶段城市数之和超过榜单规模 {meta.size}",
                    f"不超过 {meta.size}",
                )
            elif None not in counts and counted != meta.size:
                c.add(
                    tiers_path,
                    None,
                    "published_count",
                    counted,
                    f"各阶段城市数之和不等于榜单规模 {meta.size}",
                    f"各阶段城市数相加为 {meta.size}",
                )

    ranking_path = folder / "ranking.csv"
    ranking = c.csv_models(ranking_path, RankRow, RANKING_COLUMNS)
    if ranking is not None:
        c.check_city_column(ranking_path, ranking, city_ids)
        first_line: dict[int, int] = {}
        for line, row in ranking:
            if meta and row.rank > meta.size:
                c.add(ranking_path, line, "rank", row.rank, f"名次超出榜单规模 {meta.size}", f"1 到 {meta.size}")
            if row.rank in first_line:
                c.add(
                    ranking_path,
                    line,
                    "rank",
                    row.rank,
                    f"名次重复（第 {first_line[row.rank]} 行已是这一名次）",
                    "每个名次只属于一个城市；并列名次须有来源说明，目前不收录",
                )
            first_line.setdefault(row.rank, line)

    scores_path = folder / "scores.csv"
    scores = None
    if domain_ids is not None:
        scores = c.csv_models(scores_path, score_row_model(domain_ids), ["city", *domain_ids])
    if scores is not None:
        c.check_city_column(scores_path, scores, city_ids)

    if c.problems:
        raise DataError(c.problems)
    return Edition(
        id=edition_id,
        meta=meta,
        domains=domains_file.domains,
        tiers=tiers_file.tiers,
        regions=regions,
        cities=cities,
        ranking=tuple(r for _, r in ranking),
        scores=tuple(r.model_dump() for _, r in scores),
        files={
            "cities.csv": data_dir(root) / "cities.csv",
            "regions.yaml": data_dir(root) / "regions.yaml",
            **{p.name: p for p in (meta_path, domains_path, tiers_path, ranking_path, scores_path)},
        },
    )
