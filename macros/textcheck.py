"""Reading text files as UTF-8, and spotting the corruption that reprinted Chinese text carries.

Text copied from reprint sites arrives in traditional characters, with pinyin in brackets after
each character (`數(shù)據(jù)`), or as mojibake. The site publishes simplified Chinese, so such text
is rejected with the corrected text suggested. Pure apart from `read_text`, which reads one file.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .problems import DataError, Problem

UTF8_HELP = (
    "UTF-8 编码的文本。请用编辑器另存为 UTF-8：VS Code 点右下角的编码名，选“通过编码保存”→ UTF-8；"
    "Excel 选“另存为”→“CSV UTF-8（逗号分隔）”；记事本选“另存为”，编码选 UTF-8"
)

# A CJK character followed by a bracketed pinyin syllable, as the reprint sites print them.
_TONED = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê"
PINYIN_NOTE = re.compile(rf"([\u3400-\u9fff])[(（]([{_TONED}]{{1,7}})[)）]")
# Mojibake: the replacement character, the GBK rendering of it, Latin-1 renderings of UTF-8.
MOJIBAKE = re.compile(r"\ufffd|锟斤拷|烫烫|屯屯|Ã.|â€|ï¼")
HAN = re.compile(r"[\u3400-\u9fff]")


# ------------------------------------------------------------------ the characters text may hold

# Allowed by Unicode category: letters, digits, punctuation and symbols (what Chinese and
# English prose needs). Refused: control, format (bidi marks and overrides, zero-width
# characters, soft hyphen, tags), private-use, surrogate and unassigned characters, line and
# paragraph separators, combining marks other than Latin accents, and characters that draw as
# nothing (fillers, blank Braille, unusual spaces): each can hide, reorder or fake text.
_ALLOWED_CATEGORIES = frozenset(
    {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No"} | {"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"}
)
_ALLOWED_CATEGORIES |= frozenset({"Sm", "Sc", "Sk", "So"})
_SPACES = frozenset(" \u00a0\u3000")  # space, no-break space, ideographic space
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
_ACCENTS = range(0x300, 0x370)  # combining accents of Latin text (U+034F, a filler, excepted)


def char_name(ch: str) -> str:
    """`U+202E（RIGHT-TO-LEFT OVERRIDE）`: how a message names a character a reader cannot see."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f"（{name}）" if name else "")


def refused_char(text: str, multiline: bool = False) -> tuple[int, str] | None:
    """(index, character) of the first character `text` may not hold, or None. `multiline`:
    line breaks and tabs are allowed (a body, a narrative), otherwise not (a one-line field)."""
    for i, ch in enumerate(text):
        if ch in _FILLERS:
            return i, ch
        if ch in _SPACES or (multiline and ch in "\n\t\r"):
            continue
        category = unicodedata.category(ch)
        if category in _ALLOWED_CATEGORIES or (category == "Mn" and ord(ch) in _ACCENTS):
            continue
        return i, ch
    return None


def character_problems(text: str, file: str, first_line: int, field: str | None = None) -> list[Problem]:
    """One problem per line of `text` that holds a refused character, naming it."""
    problems = []
    for n, line in enumerate(text.split("\n"), start=first_line):
        found = refused_char(line, multiline=True)
        if found:
            problems.append(
                Problem(
                    file,
                    n,
                    field,
                    None,
                    f"含有不允许的字符 {char_name(found[1])}（第 {found[0] + 1} 个字符）",
                    "汉字、字母、数字、标点和普通空格；不可见字符、方向控制符和填充字符会隐藏或颠倒文字，请删除",
                )
            )
    return problems


MAX_DATA_BYTES = 2_000_000  # the largest data file here is a few tens of KB


def read_text(path: Path, shown_as: str, limit: int = MAX_DATA_BYTES) -> str:
    """The file's text, decoded as UTF-8 (a BOM is tolerated); DataError otherwise, and for a
    file over `limit` bytes (checked before it is read)."""
    size = path.stat().st_size
    if size > limit:
        raise DataError(
            [
                Problem(
                    shown_as,
                    None,
                    None,
                    None,
                    f"文件太大（{size:,} 字节）",
                    f"不超过 {limit:,} 字节；数据文件不该这么大",
                )
            ]
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError([Problem(shown_as, line, None, None, "文件不是 UTF-8 编码，无法读取", UTF8_HELP)]) from None


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Remove pinyin notes and convert traditional characters to simplified."""
    return _converter().convert(PINYIN_NOTE.sub(r"\1", text))


def find_corruption(text: str) -> tuple[str, str | None] | None:
    """(what is wrong, the suggested correction) in Chinese, or None if `text` is clean."""
    if not HAN.search(text) and not MOJIBAKE.search(text):
        return None
    kinds = []
    if MOJIBAKE.search(text):
        kinds.append("乱码（编码转换出错留下的字符）")
    if PINYIN_NOTE.search(text):
        kinds.append("字后带括号拼音，如“數(shù)”")
    fixed = simplify(text)
    plain = PINYIN_NOTE.sub(r"\1", text)
    converted = _converter().convert(plain)
    if converted != plain:
        pairs = zip(plain, converted) if len(plain) == len(converted) else []
        traditional = "".join(sorted({a for a, b in pairs if a != b})[:10])
        kinds.append(f"繁体字（{traditional}）" if traditional else "繁体字")
    if not kinds:
        return None
    message = "文字带有转载网站的错误：" + "；".join(kinds)
    if fixed != text and not MOJIBAKE.search(text):
        return message, f"建议改为“{fixed}”"
    return message, "请对照原文重新输入这段文字"


def check_strings(strings, file: str, line_of=lambda loc: None) -> list[Problem]:
    """Problems for every corrupted string in `strings`: an iterable of (location, field, text)."""
    problems = []
    for loc, field, text in strings:
        found = find_corruption(text)
        if found:
            message, hint = found
            problems.append(Problem(file, line_of(loc), field, text, message, "简体中文，不带拼音标注", hint))
    return problems
