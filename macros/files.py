"""Reading the project's YAML and CSV files with line numbers for every problem.

YAML is parsed twice from the same text: once into plain data, once into a node tree that maps a
location such as ("tiers", 2, "max") back to its line. CSV rows keep their physical line number.
Every failure becomes a `Problem`; nothing here raises anything else. No MkDocs.
"""

from __future__ import annotations

import collections
import csv
import functools
import io
from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from .problems import DataError, Problem
from .textcheck import read_text

LineOf = Callable[[tuple], "int | None"]

# Chinese for the pydantic error types a contributor can meet; anything else is "不符合要求".
PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "float_parsing": "不是数字",
    "float_type": "不是数字",
    "int_parsing": "不是整数",
    "int_type": "不是整数",
    "int_from_float": "不是整数",
    "finite_number": "不是有限的数字",
    "greater_than_equal": "超出允许范围",
    "less_than_equal": "超出允许范围",
    "greater_than": "超出允许范围",
    "less_than": "超出允许范围",
    "string_pattern_mismatch": "格式不对",
    "string_type": "不是文本",
    "string_too_short": "不能为空",
    "literal_error": "不是允许的取值",
    "url_parsing": "不是有效的网址",
    "url_scheme": "网址必须以 http:// 或 https:// 开头",
    "date_from_datetime_parsing": "不是有效日期",
    "date_parsing": "不是有效日期",
    "date_type": "不是有效日期",
    "list_type": "应是一个列表",
    "dict_type": "应是一组“字段: 值”",
    "model_type": "应是一组“字段: 值”",
    "bool_parsing": "应是 true 或 false",
    "bool_type": "应是 true 或 false",
    "too_short": "不能为空",
}


def field_expectation(model: type[BaseModel], loc: tuple) -> str | None:
    """The description of the field at `loc`, following nested models: the 'expected' text."""
    names = [p for p in loc if not isinstance(p, int)]
    parent = field_parent_model(model, names[:-1]) if names else None
    info = getattr(parent, "model_fields", {}).get(names[-1]) if parent else None
    return info.description if info else None


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def problems_from_validation(
    err: ValidationError, model: type[BaseModel], file: str, line_of: LineOf, base: tuple = ()
) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = tuple(base) + tuple(e["loc"])
        kind = e["type"]
        field = ".".join(str(p) for p in loc if not isinstance(p, int)) or None
        value = None if kind == "missing" else e.get("input")
        if kind == "value_error":
            message = str(e.get("ctx", {}).get("error", e["msg"]))
        else:
            message = PYDANTIC_MESSAGES.get(kind, "不符合要求")
        if value == "" and kind != "missing":
            message, value = "缺少值", None
        expected = field_expectation(model, tuple(e["loc"]))
        if kind == "extra_forbidden":
            parent = field_parent_model(model, tuple(e["loc"])[:-1])
            expected = "以下字段之一：" + "、".join(parent.model_fields) if parent else None
        if isinstance(value, (dict, list)):
            value = None
        message += _bound(kind, e.get("ctx") or {}, e.get("input"))
        line = line_of(loc)
        if kind == "missing":
            line, message = _missing_at(model, tuple(e["loc"]), tuple(base), line_of, line)
        problems.append(Problem(file, line, field, value, message, expected))
    return problems


def _bound(kind: str, ctx: dict, value) -> str:
    """The limit a value broke, said in the message: a contributor sees what to change it to."""
    if kind in ("less_than_equal", "less_than") and ("le" in ctx or "lt" in ctx):
        return f"，不能超过 {_number(ctx.get('le', ctx.get('lt')))}"
    if kind in ("greater_than_equal", "greater_than") and ("ge" in ctx or "gt" in ctx):
        return f"，至少为 {_number(ctx.get('ge', ctx.get('gt')))}"
    if kind == "string_too_long" and "max_length" in ctx:
        have = f"，现在 {len(value)} 个" if isinstance(value, str) else ""
        return f"，最多 {ctx['max_length']} 个字符{have}"
    if kind == "too_long" and "max_length" in ctx:
        return f"，最多 {ctx['max_length']} 项"
    return ""


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _missing_at(model, loc: tuple, base: tuple, line_of: LineOf, fallback):
    """Where a missing field belongs: just before the first field after it (in the model's
    order) that the file has, or after the last one before it. The message says which."""
    names = [p for p in loc if not isinstance(p, int)]
    parent = field_parent_model(model, names[:-1]) if names else None
    order = list(getattr(parent, "model_fields", {}))
    present = getattr(line_of, "present", None)
    if not parent or names[-1] not in order or present is None:
        return fallback, "缺少必填字段"
    here = order.index(names[-1])
    prefix = base + loc[:-1]
    for name in order[here + 1 :]:
        line = present(prefix + (name,))
        if line is not None:
            return line, f"缺少必填字段，应加在 {name} 这一行之前"
    for name in reversed(order[:here]):
        line = present(prefix + (name,))
        if line is not None:
            return line, f"缺少必填字段，应加在 {name} 之后"
    return fallback, "缺少必填字段"


def field_parent_model(model, loc):
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return None
        current = _inner_model(fields[part].annotation)
    return current


# ---------------------------------------------------------------------------------------- YAML


def load_yaml(path: Path, shown_as: str) -> tuple[object, LineOf]:
    """Parsed data and a function from a location to its 1-based line. DataError if unreadable."""
    if not path.is_file():
        raise DataError([Problem(shown_as, None, None, None, "文件不存在", "该位置应有这个文件")])
    text = read_text(path, shown_as)
    return parse_yaml(text, shown_as)


# libyaml where PyYAML was built with it (the wheels are); the same results, several times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_YAML_DEPTH = 12  # the deepest file here nests four levels


def yaml_structure_problems(text: str, shown_as: str, first_line: int = 1) -> list[Problem]:
    """Anchors, aliases and deep nesting, found from the parser's events before anything is
    built: an alias bomb (a few lines that expand to billions of nodes) is refused in time
    linear in the text, not expanded."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            line = event.start_mark.line + first_line
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [
                    Problem(
                        shown_as,
                        line,
                        None,
                        None,
                        "使用了 YAML 锚点（&）或别名（*）",
                        "把每个值直接写出来；为安全起见，本站不接受锚点和别名",
                    )
                ]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return [
                        Problem(
                            shown_as, line, None, None, f"嵌套超过 {MAX_YAML_DEPTH} 层", "层次简单的“字段: 值”和列表"
                        )
                    ]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return []  # reported with its line when the text is loaded
    return []


def parse_yaml(text: str, shown_as: str, first_line: int = 1) -> tuple[object, LineOf]:
    """Parsed data and a function from a location to its line. The node tree that knows the
    lines is composed on the first question only: most files have no problem to point at."""
    structure = yaml_structure_problems(text, shown_as, first_line)
    if structure:
        raise DataError(structure)
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + first_line if mark else None
        reason = getattr(err, "problem", None) or str(err)
        raise DataError(
            [Problem(shown_as, line, None, None, f"YAML 格式错误：{reason}", "合法的 YAML（注意缩进和冒号后的空格）")]
        ) from None
    except (ValueError, RecursionError):  # e.g. an integer of thousands of digits
        raise DataError(
            [Problem(shown_as, None, None, None, "有无法读取的值（例如位数过多的数字）", "普通大小的数字和文字")]
        ) from None

    @functools.cache
    def root():
        return yaml.compose(text, Loader=SafeLoader)

    def line_of(loc: tuple) -> int | None:
        node = root()
        if node is None:
            return None
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + first_line

    def present(loc: tuple) -> int | None:
        """The line of the key at `loc` if the file has it, else None."""
        node = root()
        for part in loc[:-1]:
            node = _child(node, part) if node is not None else None
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                if key.value == str(loc[-1]):
                    return key.start_mark.line + first_line
        return None

    line_of.present = present
    return data, line_of


def _child(node, part):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def yaml_strings(data, loc: tuple = ()):
    """Every string in parsed YAML, as (location, dotted field, text)."""
    if isinstance(data, str):
        yield loc, ".".join(str(p) for p in loc if not isinstance(p, int)), data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from yaml_strings(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from yaml_strings(value, loc + (i,))


# ----------------------------------------------------------------------------------------- CSV


MAX_COLUMNS = 50
MAX_ROWS = 5_000  # cities.csv, the longest, has about a hundred; the scale bench makes 3,000


def read_csv(path: Path, shown_as: str, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, {column: stripped text}). Checks the header and the field counts."""
    if not path.is_file():
        raise DataError([Problem(shown_as, None, None, None, "文件不存在", "该位置应有这个文件")])
    text = read_text(path, shown_as)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError(
            [Problem(shown_as, 1, None, None, "文件是空的", "第一行是列名：" + ",".join(columns))]
        ) from None
    problems = []
    missing = [c for c in columns if c not in header]
    unknown = [h for h in header if h not in columns]
    for c in missing:
        problems.append(Problem(shown_as, 1, c, None, "缺少这一列", "列名：" + ",".join(columns)))
    for h in unknown:
        problems.append(Problem(shown_as, 1, h, h, "未知的列", "列名只能是：" + ",".join(columns)))
    counted = collections.Counter(header)
    for h in sorted(h for h, n in counted.items() if n > 1):
        problems.append(Problem(shown_as, 1, h, h, "列名重复", "每列只出现一次"))
    if len(header) > MAX_COLUMNS:
        problems = [Problem(shown_as, 1, None, None, f"有 {len(header)} 列", "列名只能是：" + ",".join(columns))]
    if problems:
        raise DataError(problems)
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if len(rows) + len(problems) >= MAX_ROWS:
                raise DataError([Problem(shown_as, line, None, None, f"超过 {MAX_ROWS:,} 行", "数据文件不该这么大")])
            row = _csv_row(shown_as, header, values, line)
            if isinstance(row, Problem):
                problems.append(row)
            elif row is not None:
                rows.append(row)
    except csv.Error as err:  # a field over the csv module's limit, a NUL byte
        raise DataError(
            [Problem(shown_as, reader.line_num, None, None, f"CSV 格式错误：{err}", "普通的逗号分隔文本")]
        ) from None
    if problems:
        raise DataError(problems)
    return rows


def _csv_row(shown_as: str, header: list[str], values: list[str], line: int):
    if not any(v.strip() for v in values):
        return None
    if len(values) != len(header):
        return Problem(
            shown_as,
            line,
            None,
            ",".join(values)[:200],
            f"有 {len(values)} 个字段",
            f"{len(header)} 个字段，与表头一致（文本里的逗号要用英文双引号括起来）",
        )
    return (line, {h: v.strip() for h, v in zip(header, values)})
