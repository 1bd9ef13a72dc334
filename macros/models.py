"""The schema of every data file, as pydantic models.

One schema does three jobs: it validates the files, its field descriptions are the "expected"
text of every error message, and the methodology page can list them. Pure; no I/O, no MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    create_model,
    field_validator,
    model_validator,
)

from .addresses import check_address
from .drawing import mark_colour_problem
from .textcheck import char_name, refused_char

CITY_ID = r"^[a-z][a-z0-9]*$"
DOMAIN_ID = r"^[a-z][a-z0-9_]*$"
REGION_IDS = ("east", "central", "west", "northeast")


# Bounds on every count, checked before anything loops over it (3,000 cities is the largest
# synthetic edition the bench builds; China has fewer than 700 cities).
MAX_SIZE = 5_000
WEIGHT = re.compile(r"(0|1)(\.[0-9]{1,6})?|[0-9]{1,3}/[0-9]{1,3}")  # 0.25, 1/6: short and exact


# Free text in a data file reaches pages, tables, chart titles and downloads: one line of plain
# text (every page writes it escaped as well). `{value}` is the one placeholder a statement has.
# With no < > a value cannot open a tag, with no " it cannot leave an attribute, with no [ ] { } `
# it cannot make a link, an attribute list, a template or code: inert wherever a page puts it.
_MARKUP = re.compile(r'[<>"`\\\[\]]|\{(?!value\})|(?<!\{value)\}')


def _data_text(value: str) -> str:
    found = refused_char(value)
    if found:
        raise ValueError(f"含有不允许的字符 {char_name(found[1])}：只能是一行文字，不能有换行、不可见字符或方向控制符")
    markup = _MARKUP.search(value)
    if markup:
        raise ValueError(f"不能含 {markup.group()}：数据中的文字是纯文本，不能写 HTML、模板或 Markdown 代码")
    return value


DataText = Annotated[str, AfterValidator(_data_text)]
# A province's full name, as 广东省 or 内蒙古自治区: Chinese characters only, nothing to read into.
ProvinceName = Annotated[str, Field(pattern=r"^[\u4e00-\u9fff]{2,12}$")]
# A source's address: checked as text first (macros/addresses.py), then parsed.
WebAddress = Annotated[HttpUrl, BeforeValidator(check_address)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------------- shared


class Source(Strict):
    id: str = Field(pattern=r"^[a-z0-9_-]+$", description="来源编号：小写字母、数字、-、_")
    title: DataText = Field(min_length=1, max_length=200, description="来源标题")
    publisher: DataText = Field(min_length=1, max_length=100, description="发布者或网站名")
    url: WebAddress | None = Field(None, description="以 http:// 或 https:// 开头的网址；未记录时省略")
    date: str | None = Field(None, pattern=r"^[0-9]{4}(-[0-9]{2}){0,2}$", description="日期，如 2020-12 或 2020-12-18")
    note: DataText | None = Field(None, max_length=500, description="一句说明")

    @field_validator("date", mode="before")
    @classmethod
    def date_as_text(cls, value):
        """YAML reads 2020-12-18 as a date: the same date, as written."""
        return value.isoformat() if isinstance(value, dt.date) else value


class Region(Strict):
    id: Literal[REGION_IDS] = Field(description="east、central、west 或 northeast")
    zh: str = Field(pattern=r"^[\u4e00-\u9fff]+$", description="中文名，如 东部")
    en: DataText = Field(min_length=1, max_length=40, description="英文名，如 East")
    provinces: tuple[ProvinceName, ...] = Field(min_length=1, max_length=40, description="省级行政区全称列表")


class RegionsFile(Strict):
    source: dict
    regions: tuple[Region, ...]


# ------------------------------------------------------------------------------------- cities


class City(Strict):
    id: str = Field(pattern=CITY_ID, description="城市编号：小写拼音，不带空格和连字符，如 shenzhen")
    name_zh: str = Field(pattern=r"^[\u4e00-\u9fff]+$", description="中文全称，如 深圳市")
    name_en: DataText = Field(min_length=1, max_length=60, description="英文名，如 Shenzhen")
    province_zh: ProvinceName = Field(description="省级行政区全称，如 广东省")
    region: Literal[REGION_IDS] = Field(description="east、central、west 或 northeast")
    adcode: str = Field(pattern=r"^[0-9]{6}$", description="6 位行政区划代码")
    lon: float = Field(ge=73, le=136, allow_inf_nan=False, description="经度，73 到 136 之间")
    lat: float = Field(ge=3, le=54, allow_inf_nan=False, description="纬度，3 到 54 之间")

    @property
    def short_zh(self) -> str:
        """深圳 for 深圳市: how the report and readers name a city."""
        return self.name_zh.removesuffix("市")


# ------------------------------------------------------------------------------------ edition


HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"
NAME = r"^[^<>\[\]()`{}*_|\\&#!]+$"  # a name shown on pages and in the navigation: no markup
BASIS = Literal["published", "derived"]


class Domain(Strict):
    id: str = Field(pattern=DOMAIN_ID, description="领域编号：小写英文，如 economy；只在本版本内有效")
    zh: DataText = Field(
        pattern=NAME, max_length=20, description="中文名，如 数字经济；不含 < > [ ] ( ) { } * _ | & # ! 等符号"
    )
    en: DataText | None = Field(None, min_length=1, max_length=80, description="英文名")
    weight: Fraction | None = Field(
        None, description="权重：小数或分数（如 1/6），各领域之和为 1；报告未公布、本站也不计算分数时省略"
    )
    about: DataText | None = Field(None, min_length=1, max_length=1000, description="本站对这一领域的一段概括")
    previous: tuple[str, ...] = Field((), description="上一版本中与之对应的领域编号（有来源说明时才写）")
    change: Literal["renamed", "merged", "added"] | None = Field(
        None, description="与上一版本相比：renamed 改名、merged 合并、added 新增；来源未说明时省略"
    )
    change_source: str | None = Field(None, description="说明这一变化的来源编号（edition.yaml 的 sources）")

    @field_validator("weight", mode="before")
    @classmethod
    def parse_weight(cls, value):
        if value is None:
            return None
        text = str(value).strip()
        if not WEIGHT.fullmatch(text):  # before Fraction(): 1e-100000000 would take hours
            raise ValueError("不是数字或分数：写成不超过 6 位小数的小数（如 0.25）或分数（如 1/6）")
        try:
            weight = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError("不是数字或分数") from None
        if not 0 < weight <= 1:
            raise ValueError("权重必须大于 0、不超过 1")
        return weight


class DomainsFile(Strict):
    basis: BASIS = Field("published", description="published（来源列出了这些领域）或 derived（由来源推得）")
    rule: DataText | None = Field(None, min_length=1, max_length=500, description="basis 为 derived 时：怎样推得")
    sources: tuple[str, ...] = Field(min_length=1, description="列出这些领域的来源编号")
    domains: tuple[Domain, ...] = Field(min_length=1, description="领域列表，按报告的顺序")


class Tier(Strict):
    id: str = Field(pattern=DOMAIN_ID, description="阶段编号：小写英文，如 unit；只在本版本内有效")
    zh: DataText = Field(pattern=NAME, max_length=20, description="中文名；不含 < > [ ] ( ) { } * _ | & # ! 等符号")
    en: DataText | None = Field(None, min_length=1, max_length=80, description="英文名")
    color: str = Field(pattern=HEX_COLOUR, description="图表中的颜色，如 #00897b；与白色背景的对比度至少 3:1")
    min: float | None = Field(
        None, ge=0, le=100, allow_inf_nan=False, description="分数下限（含），0 到 100；报告未公布分数区间时省略"
    )
    max: float | None = Field(None, ge=0, le=100, allow_inf_nan=False, description="分数上限（不含）；最高一档省略")
    published_count: int | None = Field(None, ge=0, le=MAX_SIZE, description="报告公布的该阶段城市数；未公布则省略")
    about: DataText | None = Field(None, min_length=1, max_length=1000, description="本站对这一阶段的一段概括")

    @field_validator("color")
    @classmethod
    def _readable(cls, value: str) -> str:
        problem = mark_colour_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class TiersFile(Strict):
    sources: tuple[str, ...] = Field(min_length=1, description="说明这些阶段的来源编号")
    rule: DataText | None = Field(
        None, min_length=1, max_length=1000, description="报告怎样划分阶段（来源的说法，用本站的话转述）"
    )
    tiers: tuple[Tier, ...] = Field(min_length=1, description="阶段列表，从低到高")

    @property
    def banded(self) -> bool:
        return all(t.min is not None for t in self.tiers)


def _http_only(value):
    if value is not None and value.scheme not in ("http", "https"):
        raise ValueError("网址必须以 http:// 或 https:// 开头")
    return value


class RankRow(Strict):
    rank: int | None = Field(
        None, ge=1, le=MAX_SIZE, description="正整数名次；留空表示来源只说它在榜单内、没有公布名次"
    )
    city: str = Field(pattern=CITY_ID, description="data/cities.csv 中的城市编号")
    source: WebAddress = Field(description="能看到这一名次的公开网页地址（http:// 或 https://）")
    basis: BASIS = Field("published", description="published（来源写明）或 derived（由公布的内容推算）")
    rule: DataText | None = Field(None, max_length=500, description="basis 为 derived 时：怎样推算")

    @field_validator("source")
    @classmethod
    def http_only(cls, value):
        return _http_only(value)

    @field_validator("rank", "rule", mode="before")
    @classmethod
    def blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def derived_has_rule(self):
        if self.basis == "derived" and not self.rule:
            raise ValueError("推算的名次须在 rule 一列写明怎样推算")
        return self


class StageRow(Strict):
    city: str = Field(pattern=CITY_ID, description="data/cities.csv 中的城市编号")
    stage: str = Field(pattern=DOMAIN_ID, description="tiers.yaml 中的阶段编号")
    source: WebAddress = Field(description="写明这座城市所处阶段的公开网页地址")

    @field_validator("source")
    @classmethod
    def http_only(cls, value):
        return _http_only(value)


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


class FactItem(Strict):
    city: str = Field(pattern=CITY_ID, description="data/cities.csv 中的城市编号")
    value: float = Field(allow_inf_nan=False, description="这座城市的数值，如分榜名次")
    sources: tuple[str, ...] = Field(
        (), max_length=10, description="（可选）只写明这一项的来源编号；省略时为整条事实的来源"
    )


class Check(Strict):
    """A finding the simulated score file must agree with (only an edition with scores has one)."""

    kind: Literal["highest_mean", "lowest_mean", "widest_spread"] = Field(
        description="highest_mean 均值最高、lowest_mean 均值最低、widest_spread 城市间差距最大"
    )
    domains: tuple[str, ...] = Field(min_length=1, description="领域编号列表")


class Fact(Strict):
    """One thing a source states about the edition, or one value derived from such things."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="事实编号：小写字母、数字、-、_")
    statement: DataText = Field(min_length=1, max_length=1000, description="用本站的话写的一句陈述")
    measure: DataText | None = Field(
        None, min_length=1, max_length=60, description="数值衡量的是什么（跨版本比较时的列名），如 一级指标数"
    )
    value: float | None = Field(None, allow_inf_nan=False, description="数值（陈述中有数字时）")
    unit: DataText | None = Field(None, max_length=10, description="单位，如 个、%")
    basis: BASIS = Field("published", description="published（来源写明）或 derived（由公布的内容推算）")
    rule: DataText | None = Field(
        None, min_length=1, max_length=1000, description="basis 为 derived 时：由什么、怎样推算"
    )
    sources: tuple[str, ...] = Field(min_length=1, description="edition.yaml 中 sources 的编号")
    cities: tuple[str, ...] = Field((), description="陈述点名的城市编号")
    provinces: tuple[ProvinceName, ...] = Field((), max_length=40, description="陈述点名的省级行政区全称")
    domains: tuple[str, ...] = Field((), description="陈述点名的领域编号")
    items: tuple[FactItem, ...] = Field((), description="逐城市的数值，如一个分榜")
    item_label: DataText | None = Field(None, max_length=40, description="items 中数值的列名，如 分榜名次")
    check: Check | None = Field(None, description="模拟分数必须符合的结论")

    @model_validator(mode="after")
    def derived_has_rule(self):
        if self.basis == "derived" and not self.rule:
            raise ValueError("推算的事实须在 rule 写明由什么、怎样推算")
        if self.items and not self.item_label:
            raise ValueError("有 items 时须写 item_label")
        return self


class Illustrative(Strict):
    script: str = Field(
        pattern=r"^scripts/[a-z0-9_]+\.py$",
        description="生成模拟分数的脚本路径，如 scripts/generate_illustrative_scores.py",
    )
    seed: int = Field(ge=0, lt=2**32, description="随机种子，0 到 2^32-1")


class EditionMeta(Strict):
    id: str = Field(pattern=r"^[0-9]{4}$", description="版本年份，与文件夹同名：4 位半角数字")
    title: DataText = Field(min_length=1, max_length=200, description="报告标题")
    short_title: DataText = Field(pattern=NAME, max_length=30, description="简称，如 2023数字百强市；不含标记符号")
    title_en: DataText | None = Field(None, min_length=1, max_length=200, description="英文标题")
    publisher: DataText = Field(min_length=1, max_length=100, description="发布机构")
    publisher_en: DataText | None = Field(None, min_length=1, max_length=100, description="发布机构英文名")
    released: dt.date | None = Field(None, description="发布日期，如 2020-12-18；未查到时省略")
    released_source: str | None = Field(None, description="写明发布日期的来源编号")
    size: int = Field(ge=1, le=MAX_SIZE, description=f"榜单城市数，如 100；1 到 {MAX_SIZE}")
    basis: Literal["illustrative", "published"] | None = Field(
        None,
        description="有 scores.csv 时填写：illustrative（模拟数据，非报告数据）或 published（发布方公布的分数）",
    )
    scores_source: str | None = Field(None, description="basis 为 published 时：写明这些分数的来源编号")
    illustrative: Illustrative | None = None
    sources: tuple[Source, ...] = Field(min_length=1, max_length=200, description="来源列表")
    facts: tuple[Fact, ...] = Field((), max_length=500, description="报告公布的事实，每条一个来源")

    @model_validator(mode="after")
    def published_scores_have_a_source(self):
        if self.basis == "published" and not self.scores_source:
            raise ValueError("basis 为 published 的分数须写明来源：scores_source（edition.yaml 的来源编号）")
        return self
