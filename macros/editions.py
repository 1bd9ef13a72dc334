"""Load and validate an edition: its YAML and CSV files, checked alone and against each other.

`load_edition(root, "2020")` returns a frozen `Edition` or raises `DataError` carrying every
problem found, each naming file, line, field, value and expectation. Loading happens once per
build. No MkDocs, no scoring.
"""

from __future__ import annotations

import difflib
import os
import re
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
    StageRow,
    Tier,
    TiersFile,
    score_row_model,
)
from .problems import DataError, Problem
from .textcheck import check_strings

CITY_COLUMNS = list(City.model_fields)
RANKING_COLUMNS = list(RankRow.model_fields)
STAGE_COLUMNS = list(StageRow.model_fields)
REQUIRED_FILES = ("edition.yaml", "domains.yaml")
OPTIONAL_FILES = ("tiers.yaml", "ranking.csv", "stages.csv", "scores.csv")
WEIGHT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Edition:
    """One edition's validated data. Tuples of frozen records; nothing here is computed."""

    id: str
    meta: EditionMeta
    domains_file: DomainsFile
    tiers_file: TiersFile | None  # None: the edition's stages were not published
    regions: tuple[Region, ...]
    cities: tuple[City, ...]
    ranking: tuple[RankRow, ...]  # published or derived ranks, and memberships without a rank
    stages: tuple[StageRow, ...]  # stages a source states city by city
    scores: tuple[dict, ...]  # {"city": id, <domain id>: float, ...}; empty: no score file
    files: dict = field(default_factory=dict)  # download name -> Path of each source file

    @property
    def domains(self) -> tuple[Domain, ...]:
        return self.domains_file.domains

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return self.tiers_file.tiers if self.tiers_file else ()

    @property
    def banded(self) -> bool:
        """Whether the stages have published score bands."""
        return bool(self.tiers_file) and self.tiers_file.banded

    @property
    def weighted(self) -> bool:
        return all(d.weight is not None for d in self.domains)

    @property
    def illustrative(self) -> bool:
        return bool(self.scores) and self.meta.basis == "illustrative"

    @property
    def ranked(self) -> tuple[RankRow, ...]:
        return tuple(r for r in self.ranking if r.rank is not None)

    @property
    def members(self) -> tuple[RankRow, ...]:
        """In the list, rank not published."""
        return tuple(r for r in self.ranking if r.rank is None)

    @cached_property
    def listed(self) -> frozenset[str]:
        """The cities a source puts in the list, with a rank or without."""
        return frozenset(r.city for r in self.ranking)

    @cached_property
    def fact_by_id(self):
        return {f.id: f for f in self.meta.facts}

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

    def source_by_url(self, url: str):
        """The registered source with this address, if any (ranking rows cite addresses)."""
        return next((s for s in self.meta.sources if s.url is not None and str(s.url) == str(url)), None)


YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: `\d` and isdigit() accept ２０２６


def data_dir(root: Path) -> Path:
    return Path(root) / "data"


def edition_ids(root: Path) -> list[str]:
    """Every folder of data/editions named by a year, oldest first (one without edition.yaml is
    reported by the loader, not skipped)."""
    folder = data_dir(root) / "editions"
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and YEAR.fullmatch(p.name))


def stray_folders(root: Path) -> list[Problem]:
    """Entries of data/editions that are not a year folder: reported, never skipped in silence
    (a year written in full-width digits, `２０２６`, is not a year here: ids are ASCII)."""
    folder = data_dir(root) / "editions"
    return [
        Problem(
            (folder / p.name).relative_to(root).as_posix(),
            None,
            "文件夹名",
            p.name,
            "不是版本文件夹：文件夹名须是 4 位半角数字的年份",
            "如 data/editions/2026（半角数字 0-9，不用全角“２０２６”）",
        )
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if not (p.is_dir() and YEAR.fullmatch(p.name))
    ]


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


def check_domains(path: Path, c: _Collector, parsed: DomainsFile, line_of, has_scores: bool) -> None:
    ids = [d.id for d in parsed.domains]
    for i, d in enumerate(parsed.domains):
        if ids.index(d.id) != i:
            c.add(path, line_of(("domains", i, "id")), "id", d.id, "领域编号重复", "每个领域只出现一次")
        if d.change and not d.change_source:
            c.add(path, line_of(("domains", i)), "change_source", None, "写了变化就要写来源", "来源编号")
    weights = [d.weight for d in parsed.domains]
    if all(w is None for w in weights):
        if has_scores:
            c.add(path, line_of(("domains",)), "weight", None, "有 scores.csv 时每个领域都要有权重", "如 1/6")
        return
    if None in weights:
        i = weights.index(None)
        c.add(path, line_of(("domains", i)), "weight", None, "有的领域写了权重、有的没写", "都写或都不写")
        return
    total = sum(weights)
    if abs(float(total) - 1) > WEIGHT_TOLERANCE:
        shown = " + ".join(str(w) for w in weights)
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
        if ids.index(t.id) != i:
            c.add(path, line_of(("tiers", i)), "id", t.id, "阶段编号重复", "每个阶段只出现一次")
    with_band = [t.min is not None for t in tiers]
    if any(with_band) and not all(with_band):
        i = with_band.index(False)
        c.add(path, line_of(("tiers", i)), "min", None, "有的阶段有分数区间、有的没有", "都写 min 或都不写")
        return
    if not all(with_band):
        for i, t in enumerate(tiers):
            if t.max is not None:
                c.add(path, line_of(("tiers", i, "max")), "max", t.max, "没有下限的阶段不能有上限", "删除 max")
        return
    for i, t in enumerate(tiers):
        where = line_of(("tiers", i))
        if t.max is not None and t.max <= t.min:
            c.add(path, where, "max", t.max, f"上限不大于下限 {t.min:g}", "max 大于 min")
        if t.max is None and i != len(tiers) - 1:
            c.add(path, where, "max", None, "只有最高一档可以不写上限", "给出上限 max")
        if i + 1 < len(tiers) and t.max is not None:
            nxt = tiers[i + 1]
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
            f"删除最高一档的 max（{last.min:g} 分及以上都属于它）",
        )


def check_source_ids(path: Path, c: _Collector, line_of, source_ids: set[str], refs) -> None:
    """Every (location, field name, source id) names a source registered in edition.yaml."""
    for loc, name, value in refs:
        if value is not None and value not in source_ids:
            c.add(path, line_of(loc), name, value, "不是 edition.yaml 中登记的来源编号", nearest(value, source_ids))


def check_facts(path: Path, c: _Collector, meta: EditionMeta, line_of, domain_ids, city_ids, provinces) -> None:
    """Each fact's sources are registered, and every city, province and domain it names exists."""
    source_ids = {s.id for s in meta.sources}
    seen: set[str] = set()
    refs = [
        (("released_source",), "released_source", meta.released_source),
        (("scores_source",), "scores_source", meta.scores_source),
    ]
    for i, fact in enumerate(meta.facts):
        loc = ("facts", i)
        if fact.id in seen:
            c.add(path, line_of(loc + ("id",)), "id", fact.id, "事实编号重复", "每条事实一个编号")
        seen.add(fact.id)
        if "{value}" in fact.statement and fact.value is None:
            c.add(path, line_of(loc + ("statement",)), "value", None, "陈述中有 {value}，却没有 value", "写出数值")
        refs += [(loc + ("sources", j), f"facts[{fact.id}].sources", s) for j, s in enumerate(fact.sources)]
        named = [
            ("cities", fact.cities, city_ids),
            ("provinces", fact.provinces, provinces),
            ("domains", fact.domains, domain_ids),
        ]
        if fact.check:
            named.append(("check.domains", fact.check.domains, domain_ids))
        for key, values, known in named:
            for j, value in enumerate(values):
                if known is not None and value not in known:
                    where = line_of(loc + tuple(key.split(".")) + (j,))
                    c.add(path, where, f"facts[{fact.id}].{key}", value, "不是已知的编号或名称", nearest(value, known))
        for j, item in enumerate(fact.items):
            for s in item.sources:
                if s not in fact.sources:  # an item cites what its fact cites, or some of it
                    c.add(
                        path,
                        line_of(loc + ("items", j)),
                        f"facts[{fact.id}].items.sources",
                        s,
                        "不是这条事实的来源之一",
                        "、".join(fact.sources),
                    )
            if city_ids is not None and item.city not in city_ids:
                where = line_of(loc + ("items", j))
                c.add(
                    path,
                    where,
                    f"facts[{fact.id}].items",
                    item.city,
                    "不是已知的城市编号",
                    nearest(item.city, city_ids),
                )
    check_source_ids(path, c, line_of, source_ids, refs)


def check_ranking(path: Path, c: _Collector, records, size: int | None) -> None:
    first_line: dict[int, int] = {}
    for line, row in records:
        if row.rank is None:
            continue
        if size and row.rank > size:
            c.add(path, line, "rank", row.rank, f"名次超出榜单规模 {size}", f"1 到 {size}")
        if row.rank in first_line:
            c.add(
                path,
                line,
                "rank",
                row.rank,
                f"名次重复（第 {first_line[row.rank]} 行已是这一名次）",
                "每个名次只属于一个城市；并列名次须有来源说明，目前不收录",
            )
        first_line.setdefault(row.rank, line)


def check_counts(path: Path, c: _Collector, tiers: TiersFile, size: int) -> None:
    counts = [t.published_count for t in tiers.tiers]
    counted = sum(n or 0 for n in counts)
    if counted > size:
        c.add(path, None, "published_count", counted, f"各阶段城市数之和超过榜单规模 {size}", f"不超过 {size}")
    elif None not in counts and counted != size:
        c.add(
            path,
            None,
            "published_count",
            counted,
            f"各阶段城市数之和不等于榜单规模 {size}",
            f"各阶段城市数相加为 {size}",
        )


def missing_file(c: _Collector, folder: Path, name: str) -> None:
    allowed = "必需：" + "、".join(REQUIRED_FILES) + "；可选：" + "、".join(OPTIONAL_FILES)
    c.add(folder / name, None, None, name, "版本文件夹缺少必需的文件", allowed)


def load_edition(root: Path, edition_id: str, base: tuple | None = None) -> Edition:
    """Load and validate one edition; DataError lists every problem in every file. `base`
    is (regions, cities) when the caller has loaded them already (one load per build)."""
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
    if base is None:
        regions = load_regions(root, c)
        cities = load_cities(root, c, regions)
    else:
        regions, cities = base
    city_ids = {x.id for x in cities} if cities is not None else None

    paths = {name: folder / name for name in REQUIRED_FILES + OPTIONAL_FILES}
    missing = [name for name in REQUIRED_FILES if not paths[name].is_file()]
    for name in missing:
        missing_file(c, folder, name)
    if missing:  # nothing else of the folder can be checked without them
        raise DataError(c.problems)
    has_scores = paths["scores.csv"].is_file()

    meta, meta_lines = c.yaml_model(paths["edition.yaml"], EditionMeta)
    domains_file, domain_lines = c.yaml_model(paths["domains.yaml"], DomainsFile)
    tiers_file = tier_lines = None
    if paths["tiers.yaml"].is_file():
        tiers_file, tier_lines = c.yaml_model(paths["tiers.yaml"], TiersFile)
    source_ids = {s.id for s in meta.sources} if meta else None
    if domains_file:
        check_domains(paths["domains.yaml"], c, domains_file, domain_lines, has_scores)
        if source_ids is not None:
            refs = [(("sources", i), "sources", s) for i, s in enumerate(domains_file.sources)]
            refs += [(("domains", i), "change_source", d.change_source) for i, d in enumerate(domains_file.domains)]
            check_source_ids(paths["domains.yaml"], c, domain_lines, source_ids, refs)
    if tiers_file:
        check_tiers(paths["tiers.yaml"], c, tiers_file, tier_lines)
        if source_ids is not None:
            refs = [(("sources", i), "sources", s) for i, s in enumerate(tiers_file.sources)]
            check_source_ids(paths["tiers.yaml"], c, tier_lines, source_ids, refs)
    domain_ids = [d.id for d in domains_file.domains] if domains_file else None
    if meta:
        if meta.id != edition_id:
            c.add(paths["edition.yaml"], meta_lines(("id",)), "id", meta.id, "与文件夹名不符", edition_id)
        if has_scores and meta.basis is None:
            c.add(
                paths["edition.yaml"],
                meta_lines(("id",)),
                "basis",
                None,
                "有 scores.csv 时须写明分数的性质",
                "illustrative 或 published",
            )
        if meta.basis == "illustrative" and meta.illustrative is None:
            c.add(
                paths["edition.yaml"],
                meta_lines(("basis",)),
                "illustrative",
                None,
                "模拟数据须写明生成脚本和随机种子",
                "illustrative: {script: ..., seed: ...}",
            )
        provinces = {p for r in regions for p in r.provinces} if regions else None
        check_facts(paths["edition.yaml"], c, meta, meta_lines, domain_ids, city_ids, provinces)
        if tiers_file:
            check_counts(paths["tiers.yaml"], c, tiers_file, meta.size)

    ranking = []
    if paths["ranking.csv"].is_file():
        ranking = c.csv_models(paths["ranking.csv"], RankRow, RANKING_COLUMNS)
        if ranking is not None:
            c.check_city_column(paths["ranking.csv"], ranking, city_ids)
            check_ranking(paths["ranking.csv"], c, ranking, meta.size if meta else None)

    stages = []
    if paths["stages.csv"].is_file():
        stages = c.csv_models(paths["stages.csv"], StageRow, STAGE_COLUMNS)
        tier_ids = {t.id for t in tiers_file.tiers} if tiers_file else set()
        if stages is not None:
            c.check_city_column(paths["stages.csv"], stages, city_ids)
            for line, row in stages:
                if tiers_file is not None and row.stage not in tier_ids:
                    c.add(
                        paths["stages.csv"],
                        line,
                        "stage",
                        row.stage,
                        "不是 tiers.yaml 中的阶段编号",
                        nearest(row.stage, tier_ids),
                    )
            if stages and not paths["tiers.yaml"].is_file():
                c.add(
                    paths["stages.csv"], None, None, "stages.csv", "有 stages.csv 却没有 tiers.yaml", "先写 tiers.yaml"
                )

    scores = []
    if has_scores and domain_ids is not None:
        scores = c.csv_models(paths["scores.csv"], score_row_model(domain_ids), ["city", *domain_ids])
        if scores is not None:
            c.check_city_column(paths["scores.csv"], scores, city_ids)
        if tiers_file and not tiers_file.banded:
            c.add(paths["tiers.yaml"], None, "min", None, "有 scores.csv 时阶段须有分数区间", "每个阶段写 min")

    if c.problems:
        raise DataError(c.problems)
    return Edition(
        id=edition_id,
        meta=meta,
        domains_file=domains_file,
        tiers_file=tiers_file,
        regions=regions,
        cities=cities,
        ranking=tuple(r for _, r in ranking),
        stages=tuple(r for _, r in stages),
        scores=tuple(r.model_dump() for _, r in scores),
        files={
            "cities.csv": data_dir(root) / "cities.csv",
            "regions.yaml": data_dir(root) / "regions.yaml",
            **{name: path for name, path in paths.items() if path.is_file()},
        },
    )


def check_lineage(root: Path, editions: list[Edition]) -> list[Problem]:
    """A domain's `previous` ids name domains of the edition before it."""
    problems = []
    for before, edition in zip(editions, editions[1:]):
        known = {d.id for d in before.domains}
        path = (data_dir(root) / "editions" / edition.id / "domains.yaml").relative_to(root).as_posix()
        for d in edition.domains:
            for prev in d.previous:
                if prev not in known:
                    problems.append(
                        Problem(
                            path,
                            None,
                            f"{d.id}.previous",
                            prev,
                            f"不是 {before.id} 年版本的领域编号",
                            nearest(prev, known),
                        )
                    )
    for d in editions[0].domains if editions else ():
        if d.previous:
            path = (data_dir(root) / "editions" / editions[0].id / "domains.yaml").relative_to(root).as_posix()
            problems.append(
                Problem(path, None, f"{d.id}.previous", ",".join(d.previous), "最早的版本没有上一版本", "删除 previous")
            )
    return problems


def data_links(root: Path) -> list[Problem]:
    """`data/` holds no symbolic links: the loaders would follow one to any file on the building
    machine (and quote its lines in their messages), and the build's cache keys the link, not
    what it points at."""
    problems = []
    # the folders themselves too (a link there escapes every check inside), and the guide the
    # contribute page shows
    for top in ("data", "docs", "CONTRIBUTING.md"):
        if (Path(root) / top).is_symlink():
            problems.append(Problem(top, None, None, None, "是符号链接（symlink）", "项目里的普通文件或文件夹"))
    if problems:
        return problems
    for folder, dirs, files in os.walk(Path(root) / "data"):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink():
                problems.append(
                    Problem(
                        path.relative_to(root).as_posix(),
                        None,
                        None,
                        None,
                        "是符号链接（symlink）",
                        "普通文件或文件夹；数据文件不能指向别处",
                    )
                )
    return problems


def load_all(root: Path) -> list[Edition]:
    """Every edition folder, oldest first; cities and regions loaded once. All problems at once."""
    root = Path(root)
    links = data_links(root)
    if links:
        raise DataError(links)
    c = _Collector(root)
    regions = load_regions(root, c)
    cities = load_cities(root, c, regions)
    # A broken cities file does not hide the editions' problems: they are checked without it.
    editions, problems = [], list(c.problems) + stray_folders(root)
    for edition_id in edition_ids(root):
        try:
            editions.append(load_edition(root, edition_id, (regions, cities)))
        except DataError as err:
            problems += err.problems
    if not problems:
        problems = check_lineage(root, editions) + check_titles(root, editions)
    if problems:
        raise DataError(problems)
    return editions


def check_titles(root: Path, editions: list[Edition]) -> list[Problem]:
    """No two editions share a short title: readers tell editions apart by it (navigation,
    switcher, series), so a look-alike folder cannot pass for another edition."""
    problems, seen = [], {}
    for edition in editions:
        title = " ".join(edition.meta.short_title.split()).casefold()
        if title in seen:
            path = (data_dir(root) / "editions" / edition.id / "edition.yaml").relative_to(root).as_posix()
            problems.append(
                Problem(
                    path,
                    None,
                    "short_title",
                    edition.meta.short_title,
                    f"与 {seen[title]} 年版本的简称相同",
                    "每个版本的简称各不相同，通常以年份开头",
                )
            )
        seen.setdefault(title, edition.id)
    return problems
