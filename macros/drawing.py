"""Figures drawn at build time: a Vega-Lite spec becomes inline SVG, so a reader sees every figure
before (and without) any chart runtime. Imports neither MkDocs nor Altair; vl-convert only in the
worker processes that draw.

Each figure is drawn twice: at a desktop width and at a phone width (the page shows the one that
fits, by CSS), so that labels keep a readable size on a 390 px screen instead of shrinking with a
wide drawing. A drawing carries the light palette in its colour attributes; the dark scheme maps
each of those colours through the stylesheet `palette_css()` writes (attribute selectors), so one
drawing serves both schemes. Mark colours are chosen (and contributed stage colours checked,
`mark_colour_problem`) to hold 3:1 against the light background; their dark variants are made to
hold it against the dark one.

Drawing costs about 80 ms a figure. `Drawer` spreads it over every core in worker processes while
the pages render; a page carries a placeholder comment until the build's end, when the finished
drawings replace it (and the figure cache keeps them, so a warm build draws nothing).
"""

from __future__ import annotations

import colorsys
import html
import os
import re
import time
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context

WIDTHS = {"wide": 660, "narrow": 340}  # px, axes included: the content column on a desktop and on a phone

FONT = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", system-ui, sans-serif'
)

LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#1e2129"  # Material's slate: hsl(232, 15%, 14%)
MARK_CONTRAST = 3.0  # WCAG 1.4.11: graphical objects against the background
DARK_TARGET = 4.6  # dark variants are made to hold text contrast (4.5:1), marks then hold 3:1 anyway

# The page's own colours, which the drawings use for text, axes and grid: the stylesheet gives
# them the theme's variables in both schemes. The keys are the exact values drawn (unique).
THEME = {
    "#212121": "var(--md-default-fg-color)",  # titles, legend labels, text marks
    "#616161": "var(--md-default-fg-color--light)",  # axis labels and titles
    "#dcdcdc": "var(--md-default-fg-color--lightest)",  # grid, ticks, axis lines
    "#ffffff": "var(--md-default-bg-color)",  # strokes that separate stacked bars
}
TEXT, LABEL, GRID, PAPER = THEME

# The charts' own mark colours (macros/charts.py; the stage colours come from each edition's
# tiers.yaml). Each stands 3:1 or more on white; the dark scheme gets `dark_variant`s.
PRIMARY = "#3f51b5"  # single-colour marks
HIGHLIGHT = "#e65100"  # what a figure points out (case cities, the city itself)
MUTED = "#7986cb"  # the rest, and comparison series
UNKNOWN = "#8d6e63"  # cities whose stage was not published
ALERT = "#b71c1c"  # the simulated-data label inside a chart (text: 4.5:1 in both schemes)
REFERENCE = LABEL  # dashed reference lines (a mean, stage edges): the axis-label colour
MARKS = (PRIMARY, HIGHLIGHT, MUTED, UNKNOWN, ALERT)


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mark_colour_problem(colour: str) -> str | None:
    """Why a mark colour cannot be used (None if it can): it must stand 3:1 against the light
    background (the dark scheme gets a lighter variant automatically)."""
    ratio = contrast(colour.lower(), LIGHT_BACKGROUND)
    if ratio < MARK_CONTRAST:
        return f"与白色背景的对比度只有 {ratio:.1f}:1，图表中的颜色至少需要 {MARK_CONTRAST:g}:1（请用更深的颜色）"
    return None


def dark_variant(colour: str) -> str | None:
    """A lighter colour of the same hue that stands 4.5:1 against the dark background (text
    colours too), or None if the colour already does."""
    colour = colour.lower()
    if contrast(colour, DARK_BACKGROUND) >= DARK_TARGET:
        return None
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    while lightness < 1:
        lightness = min(1.0, lightness + 0.02)
        rgb = colorsys.hls_to_rgb(hue, lightness, saturation)
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
        if contrast(candidate, DARK_BACKGROUND) >= DARK_TARGET:
            return candidate
    return "#ffffff"


def palette_css(mark_colours) -> str:
    """The stylesheet that gives drawn figures the theme's text and grid colours, and the dark
    scheme its variant of every mark colour (selected by the exact attribute value drawn)."""
    lines = ["/* Generated from macros/drawing.py: the colours of the drawn figures per scheme. */"]
    for drawn, value in THEME.items():
        for attribute in ("fill", "stroke"):
            lines.append(f'.dco-chart svg [{attribute}="{drawn}"] {{ {attribute}: {value}; }}')
    for colour in sorted({c.lower() for c in mark_colours} - set(THEME)):
        variant = dark_variant(colour)
        if variant:
            for attribute in ("fill", "stroke"):
                lines.append(
                    f'[data-md-color-scheme="slate"] .dco-chart svg [{attribute}="{colour}"] '
                    f"{{ {attribute}: {variant}; }}"
                )
    return "\n".join(lines) + "\n"


def theme_config() -> dict:
    """The Vega-Lite config of a drawing: the page's font and the THEME colours, no background
    (the page's shows through), no ARIA of Vega's own (English, and the SVG carries the Chinese
    name and description)."""
    axis = {
        "labelColor": LABEL,
        "titleColor": LABEL,
        "gridColor": GRID,
        "domainColor": GRID,
        "tickColor": GRID,
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 11,
        "titleFontSize": 11,
    }
    return {
        "font": FONT,
        "aria": False,
        "axis": axis,
        "legend": {
            "labelColor": TEXT,
            "titleColor": TEXT,
            "labelFont": FONT,
            "titleFont": FONT,
            "labelFontSize": 11,
            "labelLimit": 280,
        },
        "title": {"color": TEXT, "font": FONT},
        "text": {"color": TEXT, "font": FONT},
        "view": {"stroke": None},
    }


def sized(spec: dict, width: int | None) -> dict:
    """The spec with the drawing's config, at a fixed width (None: as built). The page's
    runtime draws the same spec at the width of the drawing it replaces, so that the
    interactive figure looks like the drawn one."""
    out = dict(spec)
    if width is not None:
        out["width"] = width
        out["autosize"] = {"type": "fit-x", "contains": "padding"}  # the width holds the axes too
    out["background"] = None
    out["config"] = {**theme_config(), **spec.get("config", {})}
    out["config"]["view"] = {**out["config"].get("view", {}), "stroke": None}
    out["config"]["aria"] = False
    return out


_ROOT = re.compile(r"^<svg\b[^>]*>")
_SIZE = re.compile(r'\b(width|height)="([\d.]+)"')


def tidy(svg: str, label: str, variant: str) -> str:
    """The drawn SVG as it goes into a page: a Chinese name for assistive technology on its root
    (role img: its parts are not announced one by one), sized by its viewBox to the column."""
    root = _ROOT.match(svg)
    if not root:
        raise ValueError("vl-convert returned no <svg> root")
    size = dict(_SIZE.findall(root.group(0)))
    width, height = size.get("width", "0"), size.get("height", "0")
    new_root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dco-svg dco-svg--{variant}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{html.escape(label)}" focusable="false">'
    )
    body = svg[root.end() :]
    # Vega's own roles and English descriptions inside the drawing mean nothing to a reader.
    body = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", body)
    return new_root + body


def draw(spec: dict, label: str) -> dict[str, str]:
    """The figure drawn at every width: {'wide': svg, 'narrow': svg}. Runs in a worker."""
    import vl_convert

    return {name: tidy(vl_convert.vegalite_to_svg(sized(spec, w)), label, name) for name, w in WIDTHS.items()}


def _timed_draw(spec: dict, label: str) -> tuple[dict[str, str], float]:
    """`draw`, and the seconds it took (in the worker)."""
    started = time.perf_counter()
    svgs = draw(spec, label)
    return svgs, time.perf_counter() - started


class Drawer:
    """Draws figures in worker processes, one per core, started on the first figure to draw
    (a build whose figures all come from the cache starts none)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self.pending: dict[str, Future] = {}  # placeholder token -> (drawings, seconds)
        self.drawing_seconds = 0.0  # spent drawing, summed over the workers (the bench reports it)
        self.waited_seconds = 0.0  # the build's wait at `finish` for drawings still being made

    def submit(self, token: str, spec: dict, label: str) -> Future:
        if token not in self.pending:
            if self._pool is None:
                # spawn: the parent may hold threads; a worker imports only what drawing needs
                self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
            self.pending[token] = self._pool.submit(_timed_draw, spec, label)
        return self.pending[token]

    def finish(self) -> dict[str, dict[str, str]]:
        """Every drawing submitted in this build, by token; stops the workers."""
        started = time.perf_counter()
        try:
            done = {token: future.result() for token, future in self.pending.items()}
        finally:
            self.close()
        self.waited_seconds = time.perf_counter() - started
        self.drawing_seconds = sum(seconds for _, seconds in done.values())
        return {token: svgs for token, (svgs, _) in done.items()}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def placeholder(token: str) -> str:
    return f"<!--dco-drawing:{token}-->"


PLACEHOLDER = re.compile(r"<!--dco-drawing:([0-9a-f]+)-->")


def fill_placeholders(page_html: str, drawings: dict[str, dict[str, str]]) -> str:
    """A built page with each placeholder replaced by its figure's drawings."""
    return PLACEHOLDER.sub(lambda m: svg_html(drawings[m.group(1)]), page_html)


def svg_html(svgs: dict[str, str]) -> str:
    return "".join(svgs[name] for name in WIDTHS)
