"""How to cite a page: GB/T 7714-2015, APA (7th) and BibTeX, from its title, stable address and
the date of the data it was built from. Pure; no I/O.
"""

from __future__ import annotations

import datetime as dt
import re

from .labels import t

SITE_ZH = "数字城市观察"
SITE_EN = "Digital City Observatory"
AUTHOR_ZH = "数字城市观察贡献者"
AUTHOR_EN = "Digital City Observatory contributors"


def bibtex_key(url_path: str) -> str:
    """cities/shenzhen/ -> dco-cities-shenzhen (ASCII: a key BibTeX tools all read)."""
    slug = re.sub(r"[^a-z0-9]+", "-", url_path.lower()).strip("-") or "home"
    return f"dco-{slug}"


def _bibtex_text(text: str) -> str:
    """A title inside BibTeX braces: braces and backslashes dropped (titles come from data)."""
    return re.sub(r"[{}\\\\]", "", text)


def formats(title: str, url: str, url_path: str, date: dt.date) -> dict[str, str]:
    """The three citations of one page, as plain text."""
    day = date.isoformat()
    gbt = f"{AUTHOR_ZH}. {title}[EB/OL]. {SITE_ZH}, ({day})[{day}]. {url}."
    apa = f"{AUTHOR_EN}. ({date.year}, {date.strftime('%B')} {date.day}). {title}. {SITE_EN} ({SITE_ZH}). {url}"
    bib = (
        f"@misc{{{bibtex_key(url_path)},\n"
        f"  author = {{{{{AUTHOR_EN}}}}},\n"
        f"  title = {{{_bibtex_text(title)}}},\n"
        f"  howpublished = {{{SITE_EN} ({SITE_ZH})}},\n"
        f"  year = {{{date.year}}},\n"
        f"  url = {{{url}}},\n"
        f"  note = {{Data as of {day}}}\n"
        "}"
    )
    return {"gbt": gbt, "apa": apa, "bibtex": bib}


def citation_block(title: str, url: str | None, url_path: str, date: dt.date | None) -> str:
    """A collapsed "cite this page" block (Markdown, pymdownx.details) with the three formats in
    code blocks, so that they copy as written; empty for a copy with no address (offline)."""
    if not url or date is None:
        return ""
    cites = formats(title, url, url_path, date)
    lines = [f'??? quote "{t("cite.title")}"', "", f"    {t('cite.intro', date=date.isoformat())}", ""]
    for key in ("gbt", "apa", "bibtex"):
        lines += [f"    **{t('cite.' + key)}**", "", "    ```text"]
        lines += [f"    {line}" for line in cites[key].splitlines()]
        lines += ["    ```", ""]
    return "\n".join(lines) + "\n"
