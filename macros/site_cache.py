"""What the core gives a build, kept by a digest of everything it is made from. Standard library only.

A build asks the core for the navigation, the generated pages, every page's Markdown (macros
filled in), the case bodies and the files written beside the pages. All of it is a function of
the input files (data/, the pages and cases under docs/, CONTRIBUTING.md, the macros' include
folder), this package's code, the installed packages, the Python version and the few settings
the core reads. `digest` reads those and names them with one key; `Output` holds the answer.
It is kept in memory (for `mkdocs serve`, whose process lives across rebuilds) and on disk
under `.cache/site/<key>.pickle`, so that a build whose inputs are unchanged neither imports
pandas nor pydantic nor validates, computes or renders anything: it replays the answer. The
first build with new inputs computes everything (macros/site.py) and stores it; an output that
was never stored cannot be replayed.

Case bodies are the exception: a body edit changes no page's Markdown (macros/__init__.py puts
the sanitised body in place after Markdown), so the key holds each case file's front matter
only, and each body is kept by a digest of its whole file. A new body is checked and rendered
alone (`contrib.case_body`); if it has a problem, the build loads everything, which reports it.

What is pickled is made of str, bytes, int, bool, None, tuple, list, dict and set only: reading
it back imports nothing, and the reader refuses any other object (`_Plain`) and any file or page
name that would leave the site folder (`safe_path`). What it holds is published as it stands,
so it must never come with the checkout: `tracked` names any file under `.cache/` that Git
tracks, and the build refuses to start with one (a pull request could otherwise plant pages,
drawings or a Vega runtime under the key it expects); where Git cannot tell, the build does not
use the cache. An output is stored only by a build that logged no warning (replayed, it would
not warn again) and whose code on disk is still what the key was computed from.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .boundary import is_case_file, is_contributed  # noqa: F401 (is_contributed re-exported)

PACKAGE = Path(__file__).resolve().parent
FORMAT = 1  # bump when the layout of Output changes
KEEP = 4  # outputs kept on disk (e.g. the local site and the hosted configuration)
CACHE_FOLDER = "site"
MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs reads as pages (mkdocs.utils)

# Contributed case files: what macros/contrib.py reads as front matter and body.
CASES_DIR = "docs/cases"
BODY_PLACEHOLDER = "<!-- dco:case-body -->"  # where a case page's body goes, after Markdown
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", re.S | re.M)


def _installed() -> bytes:
    """The installed distributions and their versions (the names of their metadata folders):
    pandas' number formatting, pydantic's URL normalising, Markdown, nh3, pypinyin and the
    rest can all change a page."""
    names = []
    for key in ("purelib", "platlib"):
        folder = sysconfig.get_paths().get(key)
        if folder and os.path.isdir(folder):
            names += [n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info", ".egg-link", ".pth"))]
    return "\0".join(sorted(set(names))).encode()


def _code_digest() -> bytes:
    """This package's code and catalogs as this process loaded them (under `mkdocs serve` an
    edited module is not reloaded, so the key must not follow the file on disk), the installed
    packages and the Python version."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for path in sorted(PACKAGE.glob("*.py")) + sorted(PACKAGE.glob("catalog/*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(_installed())
    return digest.digest()


CODE = _code_digest()


def code_changed() -> bool:
    """Whether this package's code on disk (or the installed packages) differs from what CODE
    was computed from: modules imported since may then be newer than the key says."""
    return _code_digest() != CODE


def _kind(entry: os.DirEntry) -> bytes:
    if entry.is_symlink():
        return b"l"
    if entry.is_dir(follow_symlinks=False):
        return b"d"
    return b"f" if entry.is_file(follow_symlinks=False) else b"o"


def _walk(folder: Path):
    """(path relative to `folder` with /, DirEntry) of every entry below it, sorted, without
    following symbolic links."""
    stack = [("", str(folder))]
    while stack:
        prefix, path = stack.pop()
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except FileNotFoundError:
            continue
        subfolders = []
        for entry in entries:
            rel = prefix + entry.name
            yield rel, entry
            if entry.is_dir(follow_symlinks=False):
                subfolders.append((rel + "/", entry.path))
        stack.extend(reversed(subfolders))


@dataclass(frozen=True)
class Inputs:
    """The key of a build's inputs, and the digest of every case file (src -> digest), whose
    bodies the key leaves out."""

    key: str
    case_files: dict[str, str]


def case_split(raw: bytes) -> tuple[bytes, bytes] | None:
    """(front matter, rest) of a case file as macros/contrib.py splits it, or None when it
    would not find a front matter (the whole file then goes into the key)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        return None
    return text[: match.end()].encode(), text[match.end() :].encode()


def digest(root: Path, settings: str, include_dir: Path | None = None) -> Inputs:
    """The key of everything the core's output is made from. `settings`: the configuration
    the core reads (the simulated layer, how URLs are written), as text."""
    root = Path(root)
    key = hashlib.sha256(CODE)
    key.update(settings.encode() + b"\0")
    for name in ("data", "docs") + (() if include_dir is None else (str(include_dir),)):
        folder = root / name
        key.update(b"\1" + name.encode() + b"\0")
        cases: dict[str, str] = {}
        for rel, entry in _walk(folder):
            kind = _kind(entry)
            key.update(rel.encode() + b"\0" + kind + b"\0")
            if kind != b"f" or (name == "docs" and not rel.lower().endswith(MARKDOWN)):
                continue  # the core reads no other file under docs/ (it checks their kind)
            raw = Path(entry.path).read_bytes()
            src = rel if name == "docs" else None
            parts = case_split(raw) if src and is_case_file(src) else None
            if parts is None:
                key.update(hashlib.sha256(raw).digest())
            else:
                key.update(b"case\0" + hashlib.sha256(parts[0]).digest())
                cases[src] = hashlib.sha256(raw).hexdigest()
        if name == "docs":
            case_files = cases
    guide = root / "CONTRIBUTING.md"
    key.update(b"\1CONTRIBUTING.md\0" + (guide.read_bytes() if guide.is_file() else b"-"))
    return Inputs(key.hexdigest()[:24], case_files)


# ------------------------------------------------------------------------------ the output


@dataclass(frozen=True)
class CaseBody:
    """A sanitised case body as a page shows it (macros/contrib.py RenderedBody.page_html),
    its headings for the page's table of contents (level, id, HTML title, children) and the
    names of what the sanitiser removed."""

    html: str
    toc: tuple  # ((level, id, title, children), ...)
    removed: tuple[str, ...]

    def fill(self, page_html: str) -> str:
        """The page's HTML with the body in place of BODY_PLACEHOLDER."""
        return page_html.replace(BODY_PLACEHOLDER, self.html, 1)


def body_from(rendered) -> CaseBody:
    """A CaseBody from macros/contrib.py's RenderedBody."""

    def toc(entries) -> tuple:
        return tuple((e.level, e.id, e.title, toc(e.children)) for e in entries)

    return CaseBody(rendered.page_html(), toc(rendered.toc), tuple(r.label for r in rendered.removed))


@dataclass
class Output:
    """Everything a build takes from the core, made of plain values."""

    key: str
    nav: list
    macros: list[str]  # the macros pages may call (their names)
    search_words: list[str]  # taught to the search index's segmenter
    labels_js: str
    palette_css: str
    generated: dict[str, str]  # generated page source -> its content (a macro call)
    not_in_nav: set[str]  # pages the navigation leaves out (city pages, cases of long lists)
    titles: dict[str, str]  # generated page -> its title
    case_meta: dict[str, dict]  # case page -> its front matter as the page gets it
    case_files: dict[str, str]  # case page -> digest of its file (Inputs.case_files)
    bodies: dict[str, CaseBody]  # digest of a case file -> its body
    pages: dict[str, tuple[str, str]]  # page source -> (its URL, its Markdown)
    files: dict[str, bytes]  # files written beside the pages, by path under the site

    def body(self, src: str) -> CaseBody:
        return self.bodies[self.case_files[src]]

    def to_plain(self) -> dict:
        plain = dict(self.__dict__)
        plain["bodies"] = {k: (b.html, b.toc, b.removed) for k, b in self.bodies.items()}
        plain["format"] = FORMAT
        return plain

    @classmethod
    def from_plain(cls, plain: dict) -> Output:
        plain = dict(plain)
        if plain.pop("format", None) != FORMAT:
            raise ValueError("another format")
        plain["bodies"] = {k: CaseBody(*v) for k, v in plain["bodies"].items()}
        names = [*plain["files"], *plain["generated"], *plain["pages"], *(url for url, _ in plain["pages"].values())]
        unsafe = [name for name in names if not safe_path(name)]
        if unsafe:  # a file written outside the site, or a page outside docs/
            raise ValueError(f"unsafe paths: {unsafe[:3]}")
        return cls(**plain)


def tracked(root: Path, folder: str) -> list[str] | None:
    """The files under `root/folder` (its name in any case) that the Git work tree at `root`
    tracks ([] when `root` is in none), or None when that cannot be told (Git missing or failing inside a work tree): a
    cache must be made on this machine, never come with the checkout, and one whose origin
    cannot be told is not read. `safe.directory` lets Git answer in a folder another user owns
    (a CI container running as root over the runner's checkout), where it refuses otherwise."""
    root = Path(root)
    in_work_tree = any((folder_ / ".git").exists() for folder_ in (root, *root.resolve().parents))
    try:
        done = subprocess.run(
            ["git", "-c", "safe.directory=*", "-C", str(root), "ls-files", "-z"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None if in_work_tree else []
    if done.returncode != 0:
        return None if in_work_tree else []
    # Case ignored: on a case-insensitive file system (macOS, Windows) `.CACHE/` is `.cache/`.
    names = done.stdout.decode("utf-8", "replace").split("\0")
    return [name for name in names if name and name.split("/", 1)[0].casefold() == folder.casefold()]


class _Plain(pickle.Unpickler):
    """Reads plain values only: any class or function named in the file is refused."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"{module}.{name} is not a plain value")


def safe_path(name) -> bool:
    """Whether `name` is a relative path that stays inside the folder it is joined to."""
    if not isinstance(name, str) or "\0" in name or "\\" in name or name.startswith("/"):
        return False
    return ".." not in name.split("/") and not re.match(r"^[A-Za-z]:", name)


_MEMORY: dict[str, Output] = {}  # for `mkdocs serve`: the outputs of this process, by key


def _folder(cache_dir: Path) -> Path:
    return Path(cache_dir) / CACHE_FOLDER


def load(cache_dir: Path | None, key: str) -> Output | None:
    """The output stored under `key` (this process's first, then the disk's), or None."""
    if key in _MEMORY:
        return _MEMORY[key]
    if cache_dir is None:
        return None
    path = _folder(cache_dir) / f"{key}.pickle"
    try:
        with path.open("rb") as fh:
            output = Output.from_plain(_Plain(fh).load())
    except (OSError, EOFError, ValueError, TypeError, KeyError, pickle.UnpicklingError, AttributeError):
        return None
    if output.key != key:
        return None
    _remember(output)
    return output


def _remember(output: Output) -> None:
    _MEMORY[output.key] = output
    while len(_MEMORY) > 2:
        del _MEMORY[next(iter(_MEMORY))]


def store(cache_dir: Path | None, output: Output) -> None:
    """Keep `output` in memory and on disk (written whole, then renamed into place), and
    remove the oldest outputs beyond KEEP."""
    _remember(output)
    if cache_dir is None:
        return
    folder = _folder(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(output.to_plain(), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{output.key}.pickle")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
