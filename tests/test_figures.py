"""The figure cache: a figure read back is the figure drawn, and a warm build needs no Altair."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from macros import charts
from macros.downloads import csv_bytes
from macros.editions import load_edition
from macros.figures import Figure, FigureStore, fingerprint, prune
from macros.render import html_table
from macros.scoring import compute_results
from tests.conftest import ROOT, editions

CALLS = [
    ("build_domain_capability_chart",),
    ("build_tier_distribution_chart",),
    ("build_province_chart",),
    ("build_domain_distribution_chart", "economy", {"shenzhen", "jinan"}),
    ("build_domain_top_chart", "economy", 10),
    ("build_tier_bands_chart",),
    ("build_rank_chart",),
    ("build_case_profile_chart", "shenzhen"),
    ("build_case_profile_chart", "jincheng"),
]


@pytest.fixture(scope="module")
def results():
    return compute_results(load_edition(ROOT, "2020"))


def test_a_figure_read_back_from_the_cache_is_the_figure_drawn(results, tmp_path):
    cold = FigureStore(results, tmp_path)
    drawn = [cold.get(*call) for call in CALLS]
    assert cold.built == len(CALLS)
    warm = FigureStore(results, tmp_path)
    again = [warm.get(*call) for call in CALLS]
    assert warm.built == 0
    for a, b in zip(drawn, again):
        assert a.same_as(b), a.id
        assert a.spec_json() == b.spec_json()
        assert html_table(a.table_frame()) == html_table(b.table_frame()), a.id
        assert csv_bytes(a.table_frame()) == csv_bytes(b.table_frame()), a.id


def test_arguments_are_part_of_the_key(results, tmp_path):
    store = FigureStore(results, tmp_path)
    one = store.get("build_domain_distribution_chart", "economy", {"shenzhen"})
    two = store.get("build_domain_distribution_chart", "economy", {"shenzhen", "jinan"})
    assert store.built == 2
    assert set(one.data.loc[one.data["case"] == "案例城市", "city"]) == {"深圳"}
    assert set(two.data.loc[two.data["case"] == "案例城市", "city"]) == {"深圳", "济南"}


def test_changed_data_changes_the_key_and_drops_stale_figures(results, tmp_path, project):
    cache = tmp_path / "cache"
    FigureStore(results, cache).get("build_province_chart")
    scores = project / "data/editions/2020/scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace("shenzhen,", "shenzhen,", 1) + "\n", encoding="utf-8")
    edited = compute_results(load_edition(project, "2020"))
    assert fingerprint(edited.edition.files.values()) != fingerprint(results.edition.files.values())
    store = FigureStore(edited, cache)
    store.get("build_province_chart")
    assert store.built == 1
    # a build prunes what none of its stores (one per edition, one across editions) uses
    other = FigureStore(compute_results(load_edition(project, "2023")), cache)
    other.get("build_tier_distribution_chart")
    prune(cache, [store, other])
    assert sorted(p.name for p in (cache / "figures").iterdir()) == sorted([store.key, other.key])
    assert store.key != other.key


def test_loading_the_site_keeps_the_figures_of_every_edition_and_only_those(project):
    """Every edition keeps its cached figures (one folder per edition's inputs); after a score
    changes, the next load drops the folder of the old 2020 data and keeps the others."""
    from macros.site import Site

    cache = project / ".cache"

    def draw(site):
        for store in site.stores.values():
            store.get("build_province_chart")
        return {store.key for store in site.stores.values()}

    first = Site.load(project, cache_dir=cache)
    before, old = draw(first), first.stores["2020"].key
    assert {p.name for p in (cache / "figures").iterdir()} == before and len(before) == len(editions(project))
    scores = project / "data/editions/2020/scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    site = Site.load(project, cache_dir=cache)
    after = draw(site)
    assert {p.name for p in (cache / "figures").iterdir()} == after
    assert before - after == {old} and site.stores["2020"].key not in before


@pytest.mark.parametrize(
    "values",
    [[pd.Timestamp("2020-12-01")], [(1, 2)]],
    ids=["JSON has no dates", "a tuple comes back a list"],
)
def test_a_figure_that_does_not_survive_json_is_never_cached(results, tmp_path, monkeypatch, values):
    def build_odd(results):
        frame = pd.DataFrame({"x": values})
        return Figure("odd", "t", "c", "a", frame, {"x": "x"}, {"mark": "bar"}, False)

    monkeypatch.setattr(charts, "build_odd", build_odd, raising=False)
    store = FigureStore(results, tmp_path)
    store.get("build_odd")
    store.get("build_odd")
    assert store.built == 2
    assert not list((tmp_path / "figures").rglob("*.json"))


def test_a_warm_cache_imports_no_altair(tmp_path):
    """What makes a rebuild fast: with the figures on disk, Altair is never imported."""
    shutil.rmtree(tmp_path)
    script = (
        "import sys; from pathlib import Path\n"
        "from macros.editions import load_edition; from macros.scoring import compute_results\n"
        "from macros.figures import FigureStore\n"
        f"store = FigureStore(compute_results(load_edition(Path({str(ROOT)!r}), '2020')), Path({str(tmp_path)!r}))\n"
        f"for call in {CALLS!r}: store.get(*call)\n"
        "print(store.built, 'altair' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert first.stdout.split() == [str(len(CALLS)), "True"], first.stderr[-2000:]
    assert second.stdout.split() == ["0", "False"], second.stderr[-2000:]


def test_the_simulated_layer_setting_keeps_its_own_figures(tmp_path):
    """The same files give other results with the simulated layer off: a figure drawn with the
    layer on must never be read back by a build with it off."""
    from macros.site import Site

    on = Site.load(ROOT, True, tmp_path)
    off = Site.load(ROOT, False, tmp_path)
    assert on.stores["2020"].key != off.stores["2020"].key
    assert on.series_store.key != off.series_store.key
    assert Site.load(ROOT, True, tmp_path).stores["2020"].key == on.stores["2020"].key  # the control
