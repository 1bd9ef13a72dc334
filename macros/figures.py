"""Figures as data, a disk cache of them, and the Vega runtime. Imports neither Altair nor MkDocs.

A figure is a pure function of the edition's files, the code in this package and the builder's
arguments. `FigureStore` keys each figure by exactly those, keeps it on disk, and builds it with
Altair (macros/charts.py, imported only then) when the key is new. A build whose data and code
are unchanged therefore neither imports Altair nor draws a chart again: the Vega-Lite specs are
the same bytes either way.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from . import drawing
from .labels import BASIS_ZH, SIMULATED_LONG, t

BASIS_HEADER = t("figure.basis_header")
PACKAGE = Path(__file__).resolve().parent
VERSIONED = ("altair", "pandas", "vl-convert-python")  # their versions can change a spec


def _code_digest() -> bytes:
    """This package's code and its label catalogs (figures' titles, axes and texts come from them)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.glob("*.py")) + sorted(PACKAGE.glob("catalog/*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in VERSIONED:
        digest.update(f"{name}=={version(name)}\0".encode())
    return digest.digest()


# The code as this process loaded it: under `mkdocs serve` an edited module is not reloaded, so
# the key must not follow the file on disk (it would file old drawings under new code).
CODE = _code_digest()


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    caption: str
    alt: str
    data: pd.DataFrame  # exactly the rows and columns the chart draws
    columns: dict[str, str]  # data column -> Chinese header for the table and CSV
    spec: dict
    simulated: bool  # draws values of the simulated layer: labelled inside the chart and in its CSV
    svg: dict[str, str] = field(default_factory=dict)  # the drawings by width (drawing.WIDTHS); {} until drawn

    def spec_json(self) -> str:
        return json.dumps(self.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def label(self) -> str:
        """The figure's Chinese name and description, for assistive technology."""
        return t("render.figure.aria", title=self.title, alt=self.alt)

    def token(self) -> str:
        """What the drawings depend on (the spec and the label; the code is in the cache key)."""
        return hashlib.sha256((self.spec_json() + "\0" + self.label()).encode()).hexdigest()[:16]

    def table_frame(self) -> pd.DataFrame:
        """The drawn rows under Chinese headers, each with its basis (数据性质): the simulated
        label on every row of a simulated figure, else the figure's own `basis` column."""
        frame = self.data[list(self.columns)].rename(columns=self.columns)
        if self.simulated:
            basis = [SIMULATED_LONG] * len(frame)
        elif "basis" in self.data:
            basis = [BASIS_ZH[b] for b in self.data["basis"]]
        else:  # drawn from scores the publisher published
            basis = [BASIS_ZH["published"]] * len(frame)
        return frame.assign(**{BASIS_HEADER: basis})

    def to_json(self) -> str:
        fields = asdict(self)
        fields["data"] = self.data.to_dict(orient="split", index=False)  # Python floats: exact in JSON
        fields["dtypes"] = [str(t) for t in self.data.dtypes]
        return json.dumps(fields, ensure_ascii=False)  # key order kept: `columns` is ordered

    @classmethod
    def from_json(cls, text: str) -> Figure:
        fields = json.loads(text)
        split, dtypes = fields.pop("data"), fields.pop("dtypes")
        frame = pd.DataFrame(split["data"], columns=split["columns"])
        frame = frame.astype(dict(zip(split["columns"], dtypes)))
        return cls(data=frame, **fields)

    def _fields(self) -> tuple:
        return (self.id, self.title, self.caption, self.alt, list(self.columns.items()), self.simulated, self.svg)

    def same_as(self, other: Figure) -> bool:
        return (
            self.spec_json() == other.spec_json()
            and self._fields() == other._fields()
            and list(self.data.dtypes) == list(other.data.dtypes)
            and self.data.equals(other.data)
        )


def fingerprint(inputs: Iterable[Path], variant: str = "") -> str:
    """A digest of the input files, this package's code, the versions of what draws and
    `variant` (any other setting the figures depend on)."""
    digest = hashlib.sha256(CODE + variant.encode() + b"\0")
    for path in sorted(Path(p) for p in inputs):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class FigureStore:
    """Figures by builder name and arguments, built once per content, with their drawings.

    `cache_dir` None keeps nothing on disk (every figure is built). A cached figure is written
    only if reading it back gives the same figure, so the cache can never change a page.

    Given a `drawer` (drawing.Drawer), a new figure's drawings are made in its worker processes
    while the build goes on: the figure comes back without them (`svg` empty; its page carries
    a placeholder) and `finish` stores it once they are done. Without one, it is drawn at once."""

    def __init__(
        self,
        results,
        cache_dir: Path | None,
        inputs: Iterable[Path] | None = None,
        drawer: drawing.Drawer | None = None,
        variant: str = "",
    ):
        """`results`: what every builder is given first (an edition's results, or the series
        for figures across editions); `inputs`: the files it was computed from (default: the
        edition's); `variant`: what else the results depend on (the simulated layer's setting:
        the same files give other results with it off)."""
        self.results = results
        self.key = fingerprint(results.edition.files.values() if inputs is None else inputs, variant)
        self.folder = Path(cache_dir) / "figures" / self.key if cache_dir else None
        self.drawer = drawer
        self.built = 0  # figures built with Altair in this build (the rest came from disk)
        self._unfinished: dict[Path, Figure] = {}  # built, drawings pending

    def get(self, builder: str, *args) -> Figure:
        path = self._path(builder, args)
        if path is not None and path.is_file():
            return Figure.from_json(path.read_text(encoding="utf-8"))
        if path is not None and path in self._unfinished:
            return self._unfinished[path]
        from . import charts  # Altair is imported only when a figure has to be built

        figure = getattr(charts, builder)(self.results, *args)
        self.built += 1
        if self.drawer is None:
            figure = replace(figure, svg=drawing.draw(figure.spec, figure.label()))
            if path is not None:
                self._store(path, figure)
        else:
            self.drawer.submit(figure.token(), figure.spec, figure.label())
            if path is not None:
                self._unfinished[path] = figure
        return figure

    def finish(self, drawings: dict[str, dict[str, str]]) -> None:
        """Store the figures built in this build with their drawings (Drawer.finish())."""
        for path, figure in self._unfinished.items():
            self._store(path, replace(figure, svg=drawings[figure.token()]))
        self._unfinished.clear()

    def _path(self, builder: str, args: tuple) -> Path | None:
        if self.folder is None:
            return None
        canonical = json.dumps(
            [builder, *[sorted(a) if isinstance(a, (set, frozenset)) else a for a in args]], ensure_ascii=False
        )
        return self.folder / f"{builder}-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}.json"

    def _store(self, path: Path, figure: Figure) -> None:
        try:
            text = figure.to_json()
        except (TypeError, ValueError):  # a value JSON cannot hold: build this figure every time
            return
        if not Figure.from_json(text).same_as(figure):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def prune(cache_dir: Path | None, stores: Iterable[FigureStore]) -> None:
    """Remove the cached figures of earlier data or code: every folder no live store uses
    (one store per edition and one across editions, each keyed by its own inputs)."""
    if cache_dir is None:
        return
    live = {store.key for store in stores}
    for folder in (Path(cache_dir) / "figures").glob("*"):
        if folder.name not in live:
            shutil.rmtree(folder, ignore_errors=True)


@lru_cache(maxsize=1)
def vega_runtime(cache_dir: Path | None = None) -> str:
    """vega, vega-lite and vega-embed as one script, made by vl-convert (no network), for the
    Vega-Lite version Altair writes specs for.

    Making it takes a second or two; it depends only on the vl-convert and Altair versions, so it
    is kept in memory (for `mkdocs serve` rebuilds) and, given a cache folder, on disk under a
    name that carries both versions."""
    name = f"vega-bundle-vlconvert{version('vl-convert-python')}-altair{version('altair')}.js"
    cached = Path(cache_dir) / name if cache_dir else None
    if cached and cached.is_file():
        return cached.read_text(encoding="utf-8")
    import altair as alt
    import vl_convert

    vl_version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])  # 'v6.4.1' -> '6.4'
    bundle = vl_convert.javascript_bundle(vl_version=vl_version)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(bundle, encoding="utf-8")
    return bundle
