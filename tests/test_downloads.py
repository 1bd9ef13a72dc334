"""Downloads neutralise spreadsheet formulas, and a failed build never replaces the site."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from macros.downloads import csv_bytes, neutralize, neutralize_all, safe_csv_copy
from tests.conftest import ROOT, edit

FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("https://evil.example","x")',
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_cell_gets_a_leading_apostrophe(value):
    assert neutralize(value) == "'" + value
    assert neutralize_all({"a": [value, {"b": value}]}) == {"a": ["'" + value, {"b": "'" + value}]}


@pytest.mark.parametrize("value", ["-3.5", "+7", "深圳", "https://example.org/", "", 12.5, None])
def test_numbers_and_text_are_left_alone(value):
    assert neutralize(value) == value


def test_csv_downloads_neutralise_text_cells_only():
    frame = pd.DataFrame({"name": ["=1+1", "深圳"], "score": [-3.5, 90.0]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert rows == [["name", "score"], ["'=1+1", "-3.5"], ["深圳", "90"]]
    copied = safe_csv_copy(b'id,name\nx,=1+1\ny,"-2"\n')
    assert copied.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(copied.decode("utf-8-sig")))) == [["id", "name"], ["x", "'=1+1"], ["y", "-2"]]


@pytest.mark.build
def test_a_formula_in_a_data_file_is_neutralised_in_every_download(project):
    # no quotes (data text refuses them): a formula needs none to call a function or a command
    edit(project / "data/cities.csv", ",Wuhan,", ",=HYPERLINK(A1)+cmd|' /C calc'!A0,")
    done = subprocess.run(
        [sys.executable, "scripts/build_site.py", "--site-dir", str(project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    downloads = project / "site/downloads"
    cities = list(csv.DictReader(io.StringIO((downloads / "2020-cities.csv").read_bytes().decode("utf-8-sig"))))
    assert next(c for c in cities if c["id"] == "wuhan")["name_en"].startswith("'=HYPERLINK")
    doc = json.loads((downloads / "2020-edition.json").read_text(encoding="utf-8"))
    assert next(c for c in doc["cities"] if c["id"] == "wuhan")["name_en"].startswith("'=")
    for file in downloads.rglob("*.csv"):
        for row in csv.reader(io.StringIO(file.read_bytes().decode("utf-8-sig"))):
            assert not any(cell.startswith(("=", "@")) for cell in row), (file, row)


@pytest.mark.build
def test_a_failed_build_leaves_the_published_site_as_it_was(project):
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the site as last published", encoding="utf-8")
    edit(project / "data/editions/2020/ranking.csv", "2,shanghai,", "1,shanghai,")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts/build_site.py"), "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "名次重复" in done.stderr and "没有发布新的网站" in done.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as last published"
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []
    edit(project / "data/editions/2020/ranking.csv", "1,shanghai,", "2,shanghai,")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts/build_site.py"), "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "数字城市观察" in (site / "index.html").read_text(encoding="utf-8")


def test_every_column_of_every_csv_download_is_explained_in_chinese():
    """The data page's dictionary is read from the files downloaded: a column added to a file
    without a meaning in the catalog stops the build (KeyError), and this finds it first."""
    from macros.downloads import build_downloads, data_dictionary
    from macros.editions import load_all
    from macros.scoring import compute_results

    seen = set()
    for edition in load_all(ROOT):
        files = build_downloads(compute_results(edition))
        dictionary = data_dictionary(edition, files)
        assert set(dictionary) == {n for n in files if n.endswith(".csv")}
        for name, columns in dictionary.items():
            header = next(csv.reader(io.StringIO(files[name][0].decode("utf-8-sig"))))
            assert [c for c, _ in columns] == header, name
            for column, meaning in columns:
                assert meaning and any("\u4e00" <= ch <= "\u9fff" for ch in meaning), (name, column)
            seen |= set(header)
    assert {"published_rank", "rank_basis", "composite", "economy", "adcode"} <= seen  # a negative control's scope


def test_a_column_without_a_meaning_is_refused():
    from macros.downloads import column_meaning
    from macros.editions import load_edition

    with pytest.raises(KeyError, match="columns.no_such_column"):
        column_meaning("no_such_column", load_edition(ROOT, "2020"))


@pytest.mark.build
def test_the_series_and_its_data_package(built_site):
    """One long table across editions, each value beside its basis and source; a data package
    that describes every CSV download and that frictionless validates."""
    from frictionless import Package, system

    series = list(csv.DictReader(io.StringIO((built_site / "downloads/series.csv").read_bytes().decode("utf-8-sig"))))
    changsha = {r["edition"]: r for r in series if r["city"] == "changsha"}
    assert changsha["2023"]["rank"] == "17" and changsha["2023"]["rank_basis"] == "published"
    assert changsha["2022"]["rank_basis"] == "derived" and changsha["2022"]["rank_rule"]
    assert "gap" in changsha["2022"]["method_changed"] and changsha["2023"]["method_changed"]
    assert all(r["rank"] != "0" for r in series)  # unknown is empty, never 0
    listed = [r for r in series if r["rank_basis"] == "listed"]
    assert listed and all(r["rank"] == "" for r in listed)
    assert not [r for r in series if r["city"] == "jincheng"]  # no source lists it: no row
    package = json.loads((built_site / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    csvs = {p.relative_to(built_site).as_posix() for p in built_site.glob("downloads/*.csv")}
    assert "downloads/series.csv" in paths and csvs <= paths
    with system.use_context(trusted=True):
        report = Package(str(built_site / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
