"""Figures drawn at build time (macros/drawing.py): what goes into a page, its colours in both
schemes, the contributed stage colours, and the placeholders of a build that draws in workers."""

from __future__ import annotations

import re

import pytest

from macros import drawing
from macros.editions import load_all, load_edition
from macros.figures import FigureStore
from macros.problems import DataError
from macros.scoring import compute_results
from tests.conftest import ROOT, edit
from tests.test_figures import CALLS

COLOUR_ATTRIBUTE = re.compile(r'\b(fill|stroke)="([^"]+)"')


@pytest.fixture(scope="module")
def figures():
    store = FigureStore(compute_results(load_edition(ROOT, "2020")), None)  # drawn at once, in this process
    return [store.get(*call) for call in CALLS]


def test_contrast_follows_wcag():
    assert drawing.contrast("#ffffff", "#000000") == pytest.approx(21)
    assert drawing.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_a_pale_stage_colour_is_refused_and_a_dark_one_gets_a_lighter_variant():
    problem = drawing.mark_colour_problem("#90a4ae")
    assert problem and "2.6:1" in problem and "3:1" in problem
    assert drawing.mark_colour_problem("#3f51b5") is None
    variant = drawing.dark_variant("#3f51b5")
    assert variant and drawing.contrast(variant, drawing.DARK_BACKGROUND) >= 4.5
    assert drawing.dark_variant("#7986cb") is None  # already stands on the dark background


def test_every_mark_colour_stands_on_both_backgrounds():
    stage_colours = [t.color for e in load_all(ROOT) for t in e.tiers]
    assert stage_colours
    for colour in [*drawing.MARKS, *stage_colours]:
        assert drawing.contrast(colour, drawing.LIGHT_BACKGROUND) >= 3, colour
        dark = drawing.dark_variant(colour) or colour
        assert drawing.contrast(dark, drawing.DARK_BACKGROUND) >= 3, colour


def test_the_palette_gives_each_drawn_colour_its_dark_variant():
    css = drawing.palette_css(["#3f51b5", "#7986cb"])
    for drawn, variable in drawing.THEME.items():
        assert f'.dco-chart svg [fill="{drawn}"] {{ fill: {variable}; }}' in css
    variant = drawing.dark_variant("#3f51b5")
    assert f'[data-md-color-scheme="slate"] .dco-chart svg [fill="#3f51b5"] {{ fill: {variant}; }}' in css
    assert '[fill="#7986cb"]' not in css  # needs no variant


def test_a_drawing_uses_only_colours_the_palette_knows(figures):
    """No colour of Vega's own (its default blue, black text) reaches a page: each one drawn is
    a theme colour (the stylesheet maps it per scheme) or a checked mark colour."""
    known = set(drawing.THEME) | {c.lower() for c in drawing.MARKS}
    known |= {t.color.lower() for t in load_edition(ROOT, "2020").tiers} | {"none", "transparent"}
    for figure in figures:
        assert set(figure.svg) == set(drawing.WIDTHS), figure.id
        for svg in figure.svg.values():
            used = {value.lower() for _, value in COLOUR_ATTRIBUTE.findall(svg)}
            assert used and used <= known, (figure.id, used - known)


def test_a_drawing_is_named_in_chinese_and_carries_nothing_active(figures):
    for figure in figures:
        for name, svg in figure.svg.items():
            root = re.match(r"<svg [^>]*>", svg).group(0)
            assert f'class="dco-svg dco-svg--{name}"' in root and 'role="img"' in root
            assert f'aria-label="{drawing.html.escape(figure.label())}"' in root
            assert f'viewBox="0 0 {drawing.WIDTHS[name]} ' in root
            inner = svg[len(root) :]
            assert not re.search(r'\s(role|aria-[a-z]+)="', inner), figure.id  # Vega's English descriptions
            assert not re.search(r"<script|<foreignObject|\son[a-z]+=|href=", svg, re.I), figure.id
            assert "<text" in svg and "<path" in svg


def test_the_phone_drawing_is_narrower_than_the_desktop_one(figures):
    for figure in figures:
        widths = {n: float(re.search(r'width="([\d.]+)"', svg).group(1)) for n, svg in figure.svg.items()}
        assert widths == {n: w for n, w in drawing.WIDTHS.items()}, (figure.id, widths)  # axes included


def test_a_label_with_markup_is_escaped():
    svg = '<svg width="10" height="5" class="marks"><g role="x" aria-label="y"></g></svg>'
    tidy = drawing.tidy(svg, '甲"<b>乙', "wide")
    assert 'aria-label="甲&quot;&lt;b&gt;乙"' in tidy
    assert 'viewBox="0 0 10 5"' in tidy and 'role="x"' not in tidy and 'aria-label="y"' not in tidy


def test_placeholders_are_filled_with_the_drawings_of_their_token():
    page = f"<p>a</p>{drawing.placeholder('ab12')}<p>b</p>{drawing.placeholder('cd34')}"
    done = drawing.fill_placeholders(
        page,
        {
            "ab12": {"wide": "<svg>1w</svg>", "narrow": "<svg>1n</svg>"},
            "cd34": {"wide": "<svg>2w</svg>", "narrow": "<svg>2n</svg>"},
        },
    )
    assert done == "<p>a</p><svg>1w</svg><svg>1n</svg><p>b</p><svg>2w</svg><svg>2n</svg>"


def test_a_drawer_draws_in_worker_processes_and_the_store_keeps_the_drawings(tmp_path):
    results = compute_results(load_edition(ROOT, "2020"))
    drawer = drawing.Drawer(workers=2)
    store = FigureStore(results, tmp_path, drawer=drawer)
    figure = store.get("build_province_chart")
    assert figure.svg == {} and figure.token() in drawer.pending  # the page gets a placeholder
    drawings = drawer.finish()
    store.finish(drawings)
    again = FigureStore(results, tmp_path).get("build_province_chart")  # from the cache
    assert again.svg == drawings[figure.token()] and set(again.svg) == set(drawing.WIDTHS)


def test_a_contributed_stage_colour_too_pale_to_see_stops_the_build(project):
    edit(project / "data/editions/2020/tiers.yaml", 'color: "#78909c"', 'color: "#cfd8dc"')
    with pytest.raises(DataError) as caught:
        load_edition(project, "2020")
    messages = [p.format() for p in caught.value.problems]
    assert len(messages) == 1, messages
    assert "data/editions/2020/tiers.yaml 第 9 行，字段 tiers.color" in messages[0]
    assert "#cfd8dc" in messages[0] and "对比度" in messages[0] and "3:1" in messages[0]
