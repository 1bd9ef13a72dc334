"""What a pull request may change in `docs/`, and which pages may be templates.

Code (reviewed as code): `macros/`, `hooks/`, `overrides/`, `scripts/`, `bench/`, `tests/`,
`mkdocs.yml`, the workflow, and in `docs/` exactly the files listed here: the site's own pages
(`SITE_PAGES`) and its scripts and stylesheets (`SITE_ASSETS`). Content (untrusted, validated):
every other file a pull request can add or change, `docs/cases/*.md` and everything in `data/`.

Only a site page, or a page the core generates from the data, is ever rendered as a template;
any other Markdown file under `docs/` (an `index.md` under `cases/` included) is refused by
`python -m macros check` and the build, and is never handed to Jinja even if it got that far.
Pure: no I/O but `unexpected_files`, which lists a folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

DOCS_DIR = "docs"
CASES = "cases"  # contributed case files: docs/cases/<city>-<domain>.md

# The hand-written pages of the site (paths under docs/): templates that call the macros.
# Adding a page means adding it here, in code a maintainer reviews.
SITE_PAGES = frozenset(
    {
        "index.md",
        "changes.md",
        "compare.md",
        "contribute.md",
        "movements.md",
        "provinces.md",
        "tags.md",
        "cities/index.md",
    }
)
# Files the site serves as they are: its own scripts and stylesheets (folder -> suffixes).
SITE_ASSETS = {
    "javascripts": (".js",),
    "javascripts/vendor": (".js", ".txt"),
    "stylesheets": (".css",),
}


def is_contributed(src_uri: str) -> bool:
    """Whether a path under docs/ is in the contributed cases' folder: never a template."""
    return PurePosixPath(src_uri).parts[:1] == (CASES,)


def is_case_file(src_uri: str) -> bool:
    """A path a case file may have: a `.md` file directly in `cases/`, other than `index.md`
    (the name of the site's own index, which no contribution may take)."""
    parts = PurePosixPath(src_uri).parts
    return len(parts) == 2 and parts[0] == CASES and parts[1].endswith(".md") and parts[1] != "index.md"


def may_render(src_uri: str, generated) -> bool:
    """Whether a page may be rendered as a template: a site page or a generated one."""
    return src_uri in SITE_PAGES or src_uri in generated


def is_site_asset(src_uri: str) -> bool:
    path = PurePosixPath(src_uri)
    suffixes = SITE_ASSETS.get(path.parent.as_posix())
    return suffixes is not None and path.suffix in suffixes


def unexpected_files(root: Path) -> list[str]:
    """Files under docs/ that are neither a site page, a site asset nor in `cases/` (the case
    folder has its own checks), as paths under docs/, sorted."""
    docs = Path(root) / DOCS_DIR
    found = []
    for path in sorted(docs.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        src = path.relative_to(docs).as_posix()
        if is_contributed(src) or src in SITE_PAGES or is_site_asset(src):
            continue
        found.append(src)
    return found
