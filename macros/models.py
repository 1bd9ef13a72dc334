"""The schema of every data file, as pydantic models.

One schema does three jobs: it validates the files, its field descriptions are the "expected"
text of every error message, and the methodology page can list them. Pure; no I/O, no MkDocs.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, create_model, field_validator

CITY_ID = r"^[a-z][a-z0-9]*$"
DOMAIN_ID = r"^[a-z][a-z0-9_]*$"
REGION_IDS = ("east", "central", "west", "northeast")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------------- shared


class Source(Strict):
    id: str = Field(pattern=r"^[a-z0-9_-]+$", description="来源编号：小写字母、数字、-、_")
    title: str = Field(min_length=1, description="来源标题")
    publisher: str = Field(min_length=1, description="发布者或网站名")
    url: HttpUrl | None = Field(None, description="以 http:// 或 https:// 开头的网址；未记录时省略")
    date: str | None = Field(None, pattern=r"^\d{4}(-\d{2}){0,2}$", description="日期，如 2020-12 或 2020-12-18")
    note: str | None = Field(None, description="一句说明")


class Region(Strict):
    id: Literal[REGION_IDS] = Field(description="east、central、west 或 northeast")
    zh: str
    en: str
    provinces: tuple[str, ...] = Field(min_length=1, description="省级行政区全称列表")


class RegionsFile(Strict):
    source: dict
    regions: tuple[Region, ...]


# ------------------------------------------------------------------------------------- cities


class City(Strict):
    id: str = Field(pattern=CITY_ID, description="城市编号：小写拼音，不带空格和连字符，如 shenzhen")
    name_zh: str = Field(pattern=r"^[\u4e00-\u9fff]+$", description="中文全称，如 深圳市")
    name_en: str = Field(min_length=1, description="英文名，如 Shenzhen")
    province_zh: str = Field(pattern=r"^[\u4e00-\u9fff]+$", description="省级行政区全称，如 广东省")
    region: Literal[REGION_IDS] = Field(description="east、central、west 或 northeast")
    adcode: str = Field(pattern=r"^\d{6}$", description="6 位行政区划代码")
    lon: float = Field(ge=73, le=136, allow_inf_nan=False, description="经度，73 到 136 之间")
    lat: float = Field(ge=3, le=54, allow_inf_nan=False, description="纬度，3 到 54 之间")

    @property
    def short_zh(self) -> str:
        """深圳 for 深圳市: how the report and readers name a city."""
        return self.name_zh.removesuffix("市")


# ------------------------------------------------------------------------------------ edition


class Domain(Strict):
    id: str = Field(pattern=DOMAIN_ID, description="领域编号：小写英文，如 economy")
    zh: str = Field(min_length=1, description="中文名，如 数字经济")
    en: str = Field(min_length=1, description="英文名")
    weight: Fraction = Field(description="权重：小数或分数（如 1/6），六个领域之和为 1")
    about: str = Field(min_length=1, description="一段说明")

    @field_validator("weight", mode="before")
    @classmethod
    def parse_weight(cls, value):
        try:
            weight = Fraction(str(value).strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError("不是数字或分数") from None
        if not 0 < weight <= 1:
            raise ValueError("权重必须大于 0、不超过 1")
        return weight


class DomainsFile(Strict):
    domains: tuple[Domain, ...] = Field(min_length=1, description="领域列表")


class Tier(Strict):
    id: str = Field(pattern=DOMAIN_ID, description="阶段编号：小写英文，如 unit")
    zh: str = Field(min_length=1, description="中文名")
    en: str = Field(min_length=1, description="英文名")
    min: float = Field(ge=0, le=100, allow_inf_nan=False, description="分数下限（含），0 到 100")
    max: float | None = Field(None, ge=0, le=100, allow_inf_nan=False, description="分数上限（不含）；最高一档省略")
    published_count: int | None = Field(None, ge=0, description="报告公布的该阶段城市数；未公布则省略")
    about: str = Field(min_length=1, description="一段说明")


class TiersFile(Strict):
    tiers: tuple[Tier, ...] = Field(min_length=1, description="阶段列表，按分数从低到高")


class RankRow(Strict):
    rank: int = Field(ge=1, description="正整数名次")
    city: str = Field(pattern=CITY_ID, description="data/cities.csv 中的城市编号")
    source: HttpUrl = Field(description="能看到这一名次的公开网页地址（http:// 或 https://）")

    @field_validator("source")
    @classmethod
    def http_only(cls, value):
        if value.scheme not in ("http", "https"):
            raise ValueError("网址必须以 http:// 或 https:// 开头")
        return value


def score_row_model(domain_ids: list[str]) -> type[BaseModel]:
    """The row model of scores.csv for an edition's domains."""
    fields = {
        d: (float, Field(ge=0, le=100, allow_inf_nan=False, description="0 到 100 之间的分数")) for d in domain_ids
    }
    return create_model(
        "ScoreRow",
        __config__=ConfigDict(extra="forbid", frozen=True),
        city=(str, Field(pattern=CITY_ID, description="data/cities.csv 中的城市编号")),
        **fields,
    )


# ---------------------------------------------------------------------- published facts


class Sourced(Strict):
    source: str = Field(description="edition.yaml 中 sources 的编号")


class EvaluationSystem(Sourced):
    cities_sampled: int = Field(ge=1, description="采集数据的城市数")
    first_level: int = Field(ge=1, description="一级指标数")
    second_level: int = Field(ge=1, description="二级指标数")
    third_level: int = Field(ge=1, description="三级指标数")
    indicator_names_published: bool
    weights_published: bool


class ProvinceShare(Sourced):
    provinces: tuple[str, ...] = Field(min_length=1, description="省级行政区全称列表")
    share: float = Field(gt=0, le=1, description="0 到 1 之间的比例，如 0.36")


class Flag(Sourced):
    value: bool


class Provinces(Sourced):
    provinces: tuple[str, ...] = Field(min_length=1, description="省级行政区全称列表")


class Cities(Sourced):
    cities: tuple[str, ...] = Field(min_length=1, description="城市编号列表")


class Domains(Sourced):
    domains: tuple[str, ...] = Field(min_length=1, description="领域编号列表")


class OneDomain(Sourced):
    domain: str = Field(description="领域编号")


class Facts(Strict):
    """What the publisher published. A fact left out is shown as not published."""

    evaluation_system: EvaluationSystem | None = None
    tier_counts: Sourced | None = None
    three_province_share: ProvinceShare | None = None
    east_over_half: Flag | None = None
    strong_provinces: Provinces | None = None
    leaders: Cities | None = None
    strongest_domains: Domains | None = None
    weakest_domain: OneDomain | None = None
    widest_gap_domains: Domains | None = None
    ranking: Sourced | None = None


class Illustrative(Strict):
    script: str = Field(description="生成模拟分数的脚本路径")
    seed: int = Field(description="随机种子")


class EditionMeta(Strict):
    id: str = Field(pattern=r"^\d{4}$", description="版本年份，与文件夹同名")
    title: str = Field(min_length=1, description="报告标题")
    title_en: str = Field(min_length=1, description="英文标题")
    publisher: str = Field(min_length=1, description="发布机构")
    publisher_en: str = Field(min_length=1, description="发布机构英文名")
    released: dt.date = Field(description="发布日期，如 2020-12-18")
    size: int = Field(ge=1, description="榜单城市数，如 100")
    basis: Literal["illustrative", "published"] = Field(
        description="illustrative（分数为模拟数据，非报告数据）或 published（分数为发布方公布的数据）"
    )
    illustrative: Illustrative | None = None
    sources: tuple[Source, ...] = Field(min_length=1, description="来源列表")
    facts: Facts
