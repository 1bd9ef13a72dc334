"""Bad input stops loading with one clear message per problem: file, line, field, value, expectation."""

from __future__ import annotations

import subprocess
import sys

import pytest

from macros.editions import load_edition
from macros.problems import DataError
from tests.conftest import edit

SCORES = "data/editions/2020/scores.csv"
DOMAINS = "data/editions/2020/domains.yaml"
TIERS = "data/editions/2020/tiers.yaml"
CITIES = "data/cities.csv"


def problems(project) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_edition(project, "2020")
    return [p.format() for p in caught.value.problems]


def only(project) -> str:
    found = problems(project)
    assert len(found) == 1, found
    return found[0]


def test_the_real_data_loads(project):
    edition = load_edition(project, "2020")
    assert edition.meta.basis == "illustrative"
    assert [d.id for d in edition.domains] == [
        "economy",
        "governance",
        "government",
        "livelihood",
        "innovation",
        "infrastructure",
    ]
    assert [t.id for t in edition.tiers] == ["unit", "synergy", "ecosystem"]


def test_missing_file(project):
    (project / DOMAINS).unlink()
    assert only(project) == (
        f"{DOMAINS}：版本文件夹缺少必需的文件（现在是 “domains.yaml”）。"
        "应为：必需：edition.yaml、domains.yaml；可选：tiers.yaml、ranking.csv、stages.csv、scores.csv"
    )


def test_missing_column(project):
    edit(project / SCORES, "city,economy,", "city,")
    message = only(project)
    assert message.startswith(f"{SCORES} 第 1 行，字段 economy：缺少这一列")
    assert "city,economy,governance" in message


def test_unknown_domain_column(project):
    edit(project / SCORES, ",infrastructure\n", ",infrastructure,culture\n")
    found = problems(project)
    assert any(f"{SCORES} 第 1 行，字段 culture：未知的列" in m for m in found)


def test_unknown_city_names_the_nearest(project):
    edit(project / SCORES, "shenzhen,", "shenzen,")
    message = only(project)
    assert message.startswith(f"{SCORES} 第 2 行，字段 city：不是 data/cities.csv 中的城市编号（现在是 “shenzen”）")
    assert "最接近的是 shenzhen" in message


def test_duplicate_city(project):
    text = (project / SCORES).read_text(encoding="utf-8")
    first_row = text.splitlines()[1]
    (project / SCORES).write_text(text + first_row + "\n", encoding="utf-8")
    message = only(project)
    assert "字段 city：城市重复（第 2 行已有）（现在是 “shenzhen”）" in message
    assert message.startswith(f"{SCORES} 第 46 行")


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "字段 economy：缺少值。应为：0 到 100 之间的分数"),
        ("abc", "字段 economy：不是数字（现在是 “abc”）。应为：0 到 100 之间的分数"),
        ("101", "字段 economy：超出允许范围，不能超过 100（现在是 “101”）。应为：0 到 100 之间的分数"),
        ("-0.5", "字段 economy：超出允许范围，至少为 0（现在是 “-0.5”）。应为：0 到 100 之间的分数"),
        ("nan", "字段 economy：不是有限的数字（现在是 “nan”）。应为：0 到 100 之间的分数"),
    ],
)
def test_bad_score(project, value, message):
    edit(project / SCORES, "shenzhen,97.3,", f"shenzhen,{value},")
    assert only(project) == f"{SCORES} 第 2 行，{message}"


def test_every_problem_of_a_file_is_reported_at_once(project):
    edit(project / SCORES, "shenzhen,97.3,", "shenzhen,x,")
    edit(project / SCORES, "shanghai,95.6,", "shanghai,200,")
    edit(project / CITIES, "shenzhen,深圳市,Shenzhen,广东省,east", "shenzhen,深圳市,Shenzhen,广东省,west")
    found = problems(project)
    assert len(found) == 3
    assert found[0].startswith(f"{CITIES} 第 ")
    assert "字段 region：与省份 广东省 所属地区不符（现在是 “west”）。应为：east" in found[0]
    assert found[1].startswith(f"{SCORES} 第 2 行")
    assert found[2].startswith(f"{SCORES} 第 3 行")


def test_weights_must_sum_to_one(project):
    edit(project / DOMAINS, "weight: 1/6", "weight: 0.2")
    message = only(project)
    assert message.startswith(f"{DOMAINS} 第 8 行，字段 weight：权重之和不等于 1")
    assert "1/5 + 1/6 + 1/6 + 1/6 + 1/6 + 1/6 = 1.03333" in message
    assert message.endswith("应为：各领域权重相加正好为 1")


def test_weight_that_is_not_a_number(project):
    edit(project / DOMAINS, "weight: 1/6", "weight: 六分之一")
    found = problems(project)
    assert any(
        f"{DOMAINS} 第 11 行，字段 domains.weight：不是数字或分数" in m and "（现在是 “六分之一”）" in m for m in found
    )


def test_tier_bands_that_overlap(project):
    edit(project / TIERS, "min: 70", "min: 68")
    message = only(project)
    assert message.startswith(f"{TIERS} 第 20 行，字段 min：与上一档 单元数字化（60-70）重叠（现在是 “68.0”）")
    assert message.endswith("应为：下限等于上一档的上限 70")


def test_tier_bands_that_leave_a_gap(project):
    edit(project / TIERS, "min: 85", "min: 86")
    message = only(project)
    assert "字段 min：与上一档 能力协同 之间留有空档（85 到 86 不属于任何阶段）" in message


def test_top_tier_has_no_upper_bound(project):
    edit(project / TIERS, "min: 85\n", "min: 85\n    max: 100\n")
    assert "最高一档不应有上限" in only(project)


def test_file_that_is_not_utf8(project):
    path = project / CITIES
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    message = only(project)
    assert message.startswith(f"{CITIES} 第 2 行：文件不是 UTF-8 编码，无法读取")
    assert "另存为" in message and "UTF-8" in message


def test_byte_order_mark_is_tolerated(project):
    path = project / SCORES
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_edition(project, "2020").scores) == 44


def test_traditional_characters_are_caught_with_a_correction(project):
    edit(project / DOMAINS, "zh: 数字经济", "zh: 數字經濟")
    message = only(project)
    assert message == (
        f"{DOMAINS} 第 9 行，字段 domains.zh：文字带有转载网站的错误：繁体字（數濟經）（现在是 “數字經濟”）。"
        "应为：简体中文，不带拼音标注。建议改为“数字经济”"
    )


def test_pinyin_annotations_are_caught_with_a_correction(project):
    edit(project / CITIES, "shenzhen,深圳市", "shenzhen,深圳(zhèn)市")
    found = problems(project)
    assert any("字后带括号拼音" in m and "建议改为“深圳市”" in m for m in found)


def test_the_reprint_as_received_is_caught():
    from macros.textcheck import find_corruption

    received = "(數(shù)據(jù)來源:賽迪顧問 2020,12)"
    message, suggestion = find_corruption(received)
    assert "字后带括号拼音" in message and "繁体字" in message
    assert suggestion == "建议改为“(数据来源:赛迪顾问 2020,12)”"


def test_simplified_text_of_the_site_is_not_flagged():
    from macros.textcheck import find_corruption

    for clean in ["城市大脑一网统管", "著名的乾坤", "后台", "了解", "云长制", "数字孪生", "Shenzhen 2020"]:
        assert find_corruption(clean) is None, clean


def test_yaml_that_does_not_parse(project):
    edit(project / TIERS, "  - id: synergy", "  - id: synergy\n   zh: [")
    message = only(project)
    assert message.startswith(f"{TIERS} 第 ")
    assert "YAML 格式错误" in message


def test_unknown_field(project):
    edit(project / TIERS, "    published_count: 5\n", "    published_count: 5\n    colour: gold\n")
    message = only(project)
    assert "字段 tiers.colour：未知字段" in message
    assert "应为：以下字段之一：id、zh、en、color、min、max、published_count、about" in message


def test_check_command_prints_messages_without_a_traceback(project):
    edit(project / SCORES, "shenzhen,97.3,", "shenzhen,abc,")
    done = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{SCORES} 第 2 行，字段 economy：不是数字" in done.stderr


def test_check_command_passes_on_the_real_data(project):
    done = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "检查通过" in done.stdout


def test_two_cities_with_one_rank_stop_loading(project):
    edit(project / "data/editions/2020/ranking.csv", "2,shanghai,", "1,shanghai,")
    assert only(project) == (
        "data/editions/2020/ranking.csv 第 3 行，字段 rank：名次重复（第 2 行已是这一名次）（现在是 “1”）。"
        "应为：每个名次只属于一个城市；并列名次须有来源说明，目前不收录"
    )


def test_stage_counts_that_do_not_add_up_stop_loading(project):
    edit(project / TIERS, "published_count: 62", "published_count: 61")
    assert "各阶段城市数之和不等于榜单规模 100" in only(project)


def test_a_yaml_alias_in_a_data_file_is_refused(project):
    edit(project / DOMAINS, "  - id: economy\n", "  - &e id: economy\n")
    assert "使用了 YAML 锚点（&）或别名（*）" in only(project)


def test_the_headline_names_what_kind_of_problem_it_is():
    from macros.problems import DataError, Problem

    data = Problem("data/cities.csv", 2, "id", "x", "错")
    case = Problem("docs/cases/x.md", 2, "title", "x", "错")
    assert "错误的数字不能发布" in DataError([data]).report().splitlines()[0]
    assert DataError([case]).report().splitlines()[0] == "发现 1 处案例或文件问题，已停止："
    assert "数据文件 1 处，案例和其他文件 1 处" in DataError([data, case]).report().splitlines()[0]
