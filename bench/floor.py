"""The floor: the same site with the macros' output pasted in as plain Markdown.

`dump(project, into)` builds a copy of the project with one more hook (DUMP_HOOK) that writes
down what the core gave the build: every page's Markdown as MkDocs converts it (macros filled
in, figures as inline SVG) with the front matter the page ended with, the navigation, which
pages the navigation leaves out, the words taught to the search segmenter, the case bodies, the
order of the files, the generated stylesheet and label script, and every file written beside
the pages (downloads, figure CSVs, table rows, the city finder's data, the Vega runtime, the
redirects). `floor_project(project, dumped, dest)` makes the floor from it:

- docs/: every page (generated ones too) as a Markdown file with its front matter, and every
  generated file as a static file (copied by MkDocs instead of written by the macros);
- mkdocs.yml: the same theme, Markdown extensions, plugins but macros, and validation, with
  the navigation written out;
- hooks: the site's own hooks (hooks/observatory_hooks.py: offline settings, theme labels, the
  search words, the pages left out of the navigation, the case bodies put in after Markdown),
  given the dumped values instead of the core's (FLOOR_HOOK).

`compare_sites(a, b)` says how close the two built sites are.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

# Added to a copy of the project: it writes what the core gave the build into $DCO_DUMP_DIR.
DUMP_HOOK = """
import json
import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

OUT = Path(os.environ["DCO_DUMP_DIR"])
STATE = {"bodies": {}}


def _write(rel, content):
    path = OUT / "docs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)


@event_priority(-100)
def on_files(files, config):
    build = config.plugins["macros"].variables["dco"]
    STATE["files"] = files
    STATE["order"] = [f.src_uri for f in files]
    STATE["not_in_nav"] = sorted(f.src_uri for f in files.documentation_pages() if f.inclusion.is_not_in_nav())
    STATE["search_words"] = list(build.search_words)
    STATE["nav"] = config.nav
    for f in files:
        if f.generated_by and not f.is_documentation_page():
            _write(f.src_uri, f.content_bytes)
    return files


# After the macros plugin and the site's hooks (priority 0), before the tags plugin (-50)
# turns its listing markers into placeholders.
@event_priority(-10)
def on_page_markdown(markdown, page, config, files):
    meta = page.meta  # all of it, render_macros too: a theme template tests whether there is any
    front = "---\\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\\n\\n" if meta else ""
    _write(page.file.src_uri, front + markdown)
    body = getattr(page, "dco_case_body", None)
    if body is not None:
        STATE["bodies"][page.file.src_uri] = [body.html, body.toc, list(body.removed)]
    return markdown


@event_priority(-100)
def on_post_build(config):
    site = Path(config.site_dir)
    made = {f.dest_uri for f in STATE["files"]}
    made |= {"sitemap.xml", "sitemap.xml.gz", "404.html", "search/search_index.json"}
    extras = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and rel not in made:
            extras.append(rel)
            _write(rel, path.read_bytes())
    keep = ("order", "not_in_nav", "search_words", "nav", "bodies")
    state = {k: STATE[k] for k in keep}
    state["extras"] = extras
    (OUT / "floor.json").write_text(json.dumps(state, ensure_ascii=False))
"""

# The floor's hooks: the site's own, given what the dump recorded instead of the core's output.
FLOOR_HOOK = '''
"""The floor's hooks: hooks/observatory_hooks.py as it is, given the dumped values (floor.json)."""

import json
from pathlib import Path

import observatory_hooks as site_hooks
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from macros.site_cache import CaseBody

DUMP = json.loads((Path(__file__).parent / "floor.json").read_text(encoding="utf-8"))

def _tuples(entries):
    return tuple((level, id_, title, _tuples(children)) for level, id_, title, children in entries)


BODIES = {src: CaseBody(html, _tuples(toc), tuple(removed)) for src, (html, toc, removed) in DUMP["bodies"].items()}
ORDER = {src: i for i, src in enumerate(DUMP["order"])}


class Dumped:
    """What the core gave the real build, as hooks/observatory_hooks.py reads it."""

    page_problems = []
    search_words = DUMP["search_words"]
    not_in_nav = set(DUMP["not_in_nav"])
    generated = {}  # the generated pages are files under docs/ here
    output = True  # as in a replayed (warm) build: its pages were checked by the gate when made

    def labels_js(self):
        return (Path(__file__).parents[1] / "docs" / site_hooks.LABELS_JS).read_text(encoding="utf-8")

    def palette_css(self):
        return (Path(__file__).parents[1] / "docs" / site_hooks.PALETTE_CSS).read_text(encoding="utf-8")


site_hooks._build = lambda config: Dumped()
on_config = site_hooks.on_config
on_env = site_hooks.on_env
on_page_content = site_hooks.on_page_content
on_post_template = site_hooks.on_post_template


def on_post_page(output, page, config):  # the Content-Security-Policy, as in the real build
    return site_hooks._policy(output, config)


def on_files(files, config):
    # labels.js and palette.css are generated in the real build: not static files here.
    generated = {site_hooks.LABELS_JS, site_hooks.PALETTE_CSS}
    files = Files([f for f in files if f.src_uri not in generated])
    files = site_hooks.on_files(files, config)
    return Files(sorted(files, key=lambda f: ORDER.get(f.src_uri, len(ORDER))))  # the real build's order


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri in BODIES:
        page.dco_case_body = BODIES[page.file.src_uri]
    return site_hooks.on_page_markdown(markdown, page, config, files)
'''


def dump_hook(project: Path) -> None:
    """Add DUMP_HOOK to a copy of the project (it writes into $DCO_DUMP_DIR)."""
    (project / "hooks" / "bench_dump.py").write_text(DUMP_HOOK, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "  - hooks/observatory_hooks.py\n", "  - hooks/observatory_hooks.py\n  - hooks/bench_dump.py\n", 1
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")


def floor_project(project: Path, dumped: Path, dest: Path) -> Path:
    """The floor of `project` from what DUMP_HOOK wrote into `dumped`."""
    import yaml

    state = json.loads((dumped / "floor.json").read_text(encoding="utf-8"))
    shutil.copytree(project / "docs", dest / "docs", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(dumped / "docs", dest / "docs", dirs_exist_ok=True)
    for name in ("overrides", "hooks", "macros"):
        shutil.copytree(project / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "bench_dump.py"))
    (dest / "hooks" / "floor_hooks.py").write_text(FLOOR_HOOK, encoding="utf-8")
    (dest / "hooks" / "floor.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config, n = re.subn(r"\n  - macros:\n(?:      .*\n)+", "\n", config)  # no macros
    assert n == 1, "the macros plugin's block in mkdocs.yml"
    config = re.sub(r"\nhooks:\n(?:  - .*\n)+", "\nhooks:\n  - hooks/floor_hooks.py\n", config)
    config = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", config)  # what `serve` watches: data/ is not here
    assert "\nnav:" not in config
    config += "\n" + yaml.safe_dump({"nav": state["nav"]}, allow_unicode=True, sort_keys=False)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def compare_sites(real: Path, floor: Path, limit: int = 5) -> dict:
    """How the floor's built site differs from the real one: pages (HTML) and other files that
    differ, or are in one only; a sample of the first difference in each differing page."""
    files_a = {p.relative_to(real).as_posix() for p in real.rglob("*") if p.is_file()}
    files_b = {p.relative_to(floor).as_posix() for p in floor.rglob("*") if p.is_file()}
    differ, samples = [], []
    for rel in sorted(files_a & files_b):
        a, b = (real / rel).read_bytes(), (floor / rel).read_bytes()
        if a == b:
            continue
        differ.append(rel)
        if rel.endswith(".html") and len(samples) < limit:
            lines_a = a.decode("utf-8", "replace").splitlines()
            lines_b = b.decode("utf-8", "replace").splitlines()
            diff = [
                line
                for line in difflib.unified_diff(lines_a, lines_b, lineterm="", n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---"))
            ]
            samples.append((rel, [d[:160] for d in diff[:4]]))
    pages = sorted(p for p in files_a if p.endswith(".html"))
    return {
        "pages": len(pages),
        "pages_differ": [p for p in differ if p.endswith(".html")],
        "files_differ": [p for p in differ if not p.endswith(".html")],
        "only_real": sorted(files_a - files_b),
        "only_floor": sorted(files_b - files_a),
        "samples": samples,
    }
