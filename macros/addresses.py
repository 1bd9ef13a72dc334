"""Source addresses: what a web address in a data or case file may be, and whose host it shows.

An address reaches a page as a link target (Markdown and HTML), a download cell and a chart
tooltip. It is refused unless it is a plain http(s) address: ASCII, a host of letters, digits,
dots and hyphens (no `user@` in front of it, which makes `https://www.gov.cn@evil.example/`
read as gov.cn), and a path without the characters that Markdown or HTML could read something
into (`( ) [ ] { } < > " ' \\`, spaces). A host that imitates an official one (the publisher's
name inside another domain) is refused too: readers take such an address as the report's own.
Pure; no I/O.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Hosts that readers take as official: a source whose address only imitates one is refused.
OFFICIAL_NAMES = {
    "ccid": ("ccidconsulting.com", "ccidgroup.com", "ccidnet.com", "ccidthinktank.com"),
    "govcn": ("gov.cn",),
}
MAX_LENGTH = 500
WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9._~!$&*+,;=:@%/?#-]*)?")


def host(url) -> str:
    """The host of an address, as readers should see it written out."""
    return (urlsplit(str(url)).hostname or "").lower()


def imitated(url) -> str | None:
    """The official name a source's host imitates (`ccid`, `govcn`), or None: the name appears
    in the host (dots and hyphens aside) but the host is not under one of its real domains."""
    name = host(url)
    squeezed = re.sub(r"[.\-_]", "", name)
    for token, domains in OFFICIAL_NAMES.items():
        if token in squeezed and not any(name == d or name.endswith("." + d) for d in domains):
            return token
    return None


def address_problem(value: str) -> str | None:
    """Why `value` cannot be a source address (in Chinese), or None if it can."""
    if len(value) > MAX_LENGTH:
        return f"网址太长（最多 {MAX_LENGTH} 个字符）"
    if not WEB_ADDRESS.fullmatch(value):
        if not re.match(r"https?://", value, re.I):
            return "网址必须以 http:// 或 https:// 开头"
        if "@" in value.split("/", 3)[2] if value.count("/") >= 2 else False:
            return "网址的主机名前不能有“用户名@”：读者会把 @ 前面的部分当成网站"
        return "网址只能含英文字母、数字和 . - _ ~ / ? # & = % + : 等符号，不能有空格、引号或 ( ) [ ] { } < >"
    token = imitated(value)
    if token:
        real = "、".join(OFFICIAL_NAMES[token])
        return f"网址 {host(value)} 看起来像官方网站，但不在 {real} 之下；请用来源的真实网址"
    return None


def check_address(value):
    """A pydantic before-validator: the raw text of an address, checked before it is parsed."""
    if isinstance(value, str):
        problem = address_problem(value.strip())
        if problem:
            raise ValueError(problem)
    return value
