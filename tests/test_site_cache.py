"""The replay cache (macros/site_cache.py): its key follows every input the core reads, a stored
output is read back as plain values only, and a cache that came with the checkout stops the build."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest

from macros import site_cache
from tests.conftest import ROOT, build_site, edit, read_page

SETTINGS = '{"simulated_layer": true}'


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """The files the core reads: data/, docs/ and CONTRIBUTING.md."""
    for name in ("data", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    return tmp_path


def key(root: Path, settings: str = SETTINGS) -> site_cache.Inputs:
    return site_cache.digest(root, settings)


CHANGES = {
    "a data file": lambda r: edit(r / "data/editions/2020/domains.yaml", "数字产业自身的规模", "数字产业的规模"),
    "a new data file": lambda r: (r / "data/sources/extra.yaml").write_text("a: 1\n", encoding="utf-8"),
    "a removed data file": lambda r: (r / "data/regions.yaml").unlink(),
    "a page": lambda r: edit(r / "docs/index.md", "\n", "\n\n"),
    "a case's front matter": lambda r: edit(r / "docs/cases/shenzhen-government.md", "title: ", "title: 新"),
    "the contributing guide": lambda r: edit(r / "CONTRIBUTING.md", "\n", "\n\n"),
    "a symbolic link under docs": lambda r: (r / "docs/link.md").symlink_to(r / "docs/index.md"),
    "a folder under docs": lambda r: (r / "docs/empty").mkdir(),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_input_the_core_reads_changes_the_key(inputs, change):
    before = key(inputs)
    CHANGES[change](inputs)
    after = key(inputs)
    assert after.key != before.key, change


def test_the_settings_change_the_key(inputs):
    assert key(inputs).key == key(inputs).key  # the control: the same inputs give the same key
    assert key(inputs, '{"simulated_layer": false}').key != key(inputs).key


def test_a_case_body_edit_keeps_the_key_but_not_the_case_digest(inputs):
    """A body is put in place after Markdown: no page's Markdown depends on it, so the key
    stays; the file's own digest tells the build to render the new body."""
    before = key(inputs)
    edit(inputs / "docs/cases/shenzhen-government.md", "## 看点", "新的一段。\n\n## 看点")
    after = key(inputs)
    src = "cases/shenzhen-government.md"
    assert after.key == before.key
    assert after.case_files[src] != before.case_files[src]
    assert {s: d for s, d in after.case_files.items() if s != src} == {
        s: d for s, d in before.case_files.items() if s != src
    }


def test_files_the_core_does_not_read_leave_the_key(inputs):
    """The core reads Markdown under docs/, not stylesheets: an edit there needs no new output."""
    before = key(inputs)
    edit(inputs / "docs/stylesheets/site.css", "\n", "\n\n")
    assert key(inputs).key == before.key


def plain_output(key_: str) -> site_cache.Output:
    return site_cache.Output(
        key=key_,
        nav=[{"首页": "index.md"}],
        macros=["m"],
        search_words=["深圳"],
        labels_js="",
        palette_css="",
        generated={"a.md": "x"},
        not_in_nav={"cities/a.md"},
        titles={"a.md": "A"},
        case_meta={},
        case_files={},
        bodies={"d": site_cache.CaseBody("<p>x</p>", ((2, "case-a", "A", ()),), ())},
        pages={"a.md": ("a/", "# A")},
        files={"x.csv": b"1"},
    )


def test_a_stored_output_is_read_back_as_it_was(tmp_path):
    output = plain_output("k1")
    site_cache.store(tmp_path, output)
    site_cache._MEMORY.clear()  # read it from disk, as a new build does
    assert site_cache.load(tmp_path, "k1") == output


def test_a_stored_output_that_names_code_is_refused_and_nothing_runs(tmp_path):
    """pickle would call whatever a file names: the reader accepts plain values only."""
    ran = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {ran}",))

    folder = tmp_path / site_cache.CACHE_FOLDER
    folder.mkdir()
    plain = plain_output("k2").to_plain()
    plain["labels_js"] = Payload()
    (folder / "k2.pickle").write_bytes(pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL))
    site_cache._MEMORY.clear()
    assert site_cache.load(tmp_path, "k2") is None
    assert not ran.exists()
    pickle.loads((folder / "k2.pickle").read_bytes())  # the control: the file does run code
    assert ran.exists()


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
             "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"},
    )  # fmt: skip


def test_tracked_names_the_cache_files_git_tracks_and_nothing_else(tmp_path):
    assert site_cache.tracked(tmp_path, ".cache") == []  # not a Git work tree
    git(tmp_path, "init", "-q")
    (tmp_path / ".cache/site").mkdir(parents=True)
    (tmp_path / ".cache/site/local.pickle").write_bytes(b"made here")
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    git(tmp_path, "add", "README.md")
    assert site_cache.tracked(tmp_path, ".cache") == []  # made on this machine, not tracked
    (tmp_path / ".cache/figures").mkdir()
    (tmp_path / ".cache/figures/planted.json").write_text("{}", encoding="utf-8")
    git(tmp_path, "add", "-f", ".cache/figures/planted.json")
    assert site_cache.tracked(tmp_path, ".cache") == [".cache/figures/planted.json"]
    # A folder that a case-insensitive file system (macOS, Windows) reads as .cache/ counts too.
    (tmp_path / ".Cache").mkdir()
    (tmp_path / ".Cache/site.pickle").write_bytes(b"planted")
    (tmp_path / "cache-notes").mkdir()
    (tmp_path / "cache-notes/x.txt").write_text("not the cache", encoding="utf-8")
    git(tmp_path, "add", "-f", ".Cache/site.pickle", "cache-notes/x.txt")
    assert sorted(site_cache.tracked(tmp_path, ".cache")) == [".Cache/site.pickle", ".cache/figures/planted.json"]


@pytest.mark.build
def test_a_cache_that_came_with_the_checkout_stops_the_build(project):
    """A pull request could plant a page, a drawing or a Vega runtime under the key the build
    computes; the build refuses a tracked .cache/ and says so in Chinese."""
    git(project, "init", "-q")
    planted = project / ".cache" / "vega-bundle-planted.js"
    planted.parent.mkdir()
    planted.write_text("alert(1)", encoding="utf-8")
    git(project, "add", "-f", ".cache/vega-bundle-planted.js")
    done = build_site(project)
    assert done.returncode != 0
    assert "被 Git 跟踪" in done.stderr and ".cache/vega-bundle-planted.js" in done.stderr
    assert "Traceback" not in done.stderr
    git(project, "rm", "-q", "--cached", ".cache/vega-bundle-planted.js")  # the control: untracked, it builds
    done = build_site(project)
    assert done.returncode == 0, done.stderr[-2000:]


def build_with_stats(project: Path, tmp_path: Path, name: str, **env: str) -> dict:
    stats = tmp_path / f"{name}.json"
    done = build_site(project, extra_env={"DCO_BUILD_STATS": str(stats), **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(stats.read_text(encoding="utf-8"))


@pytest.mark.build
def test_a_build_replays_only_what_its_inputs_still_give(project, tmp_path):
    """Built once, the site is replayed; an edited data file is computed anew and shown; an
    edited case body is rendered alone and shown; the pages match a build without any cache."""
    assert build_with_stats(project, tmp_path, "cold")["site_cache"] == "miss"
    assert build_with_stats(project, tmp_path, "warm")["site_cache"] == "hit"

    edit(project / "data/editions/2020/domains.yaml", "数字产业自身的规模", "数字产业本身的规模")
    stats = build_with_stats(project, tmp_path, "data")
    assert stats["site_cache"] == "miss" and stats["pages_computed"] > 0
    page = read_page(project / "site", "2020/domains/economy/").get_text()
    assert "数字产业本身的规模" in page and "数字产业自身的规模" not in page

    edit(project / "docs/cases/shenzhen-government.md", "## 看点", "缓存测试新增的一段。\n\n## 看点")
    stats = build_with_stats(project, tmp_path, "body")
    assert stats["site_cache"] == "hit" and stats["bodies_rendered"] == 1
    assert "缓存测试新增的一段" in read_page(project / "site", "cases/shenzhen-government/").get_text()

    replayed = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*.html")}
    shutil.rmtree(project / ".cache")
    build_with_stats(project, tmp_path, "fresh")
    fresh = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*.html")}
    assert replayed.keys() == fresh.keys()
    assert [rel for rel in fresh if fresh[rel] != replayed[rel]] == []


def test_a_page_with_another_markdown_extension_is_keyed_by_its_content(inputs):
    """MkDocs reads .markdown, .mdown, .mkdn and .mkd files as pages too."""
    page = inputs / "docs/about.markdown"
    page.write_text("# 关于\n", encoding="utf-8")
    before = key(inputs)
    page.write_text("# 关于本站\n", encoding="utf-8")
    assert key(inputs).key != before.key


def test_a_stored_output_that_writes_outside_the_site_is_refused(tmp_path):
    """Every name in a stored output is joined to the site folder: none may leave it."""
    folder = tmp_path / site_cache.CACHE_FOLDER
    folder.mkdir()
    for n, name in enumerate(["/etc/x.pth", "../x.pth", "a/../../x", "C:/x", "a\\..\\x"]):
        plain = plain_output(f"u{n}").to_plain()
        plain["files"] = {name: b"import os"}
        (folder / f"u{n}.pickle").write_bytes(pickle.dumps(plain))
        site_cache._MEMORY.clear()
        assert site_cache.load(tmp_path, f"u{n}") is None, name
    plain = plain_output("fine").to_plain()  # the control: a name inside the site is read
    plain["files"] = {"downloads/x.csv": b"1"}
    (folder / "fine.pickle").write_bytes(pickle.dumps(plain))
    site_cache._MEMORY.clear()
    assert site_cache.load(tmp_path, "fine").files == {"downloads/x.csv": b"1"}


def test_when_git_cannot_tell_what_it_tracks_the_cache_is_not_used(tmp_path):
    """A work tree Git fails in (here a broken .git) may hold a planted cache: not read."""
    import macros

    assert macros.cache_dir(tmp_path) == tmp_path / ".cache"
    macros.refuse_tracked_cache(tmp_path)  # not a work tree: nothing to fear
    assert macros.cache_dir(tmp_path) == tmp_path / ".cache"
    (tmp_path / ".git").write_text("gitdir: /nowhere\n", encoding="utf-8")
    assert site_cache.tracked(tmp_path, ".cache") is None
    macros.refuse_tracked_cache(tmp_path)
    assert macros.cache_dir(tmp_path) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: a checkout owned by another user, as in a CI container")
def test_git_lists_a_planted_cache_in_a_checkout_another_user_owns(tmp_path):
    """CI's container runs as root over a checkout the runner's user owns; Git refuses such a
    folder ("dubious ownership") unless told it is safe, and the check must still see."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".cache").mkdir()
    (repo / ".cache/planted.json").write_text("{}", encoding="utf-8")
    git(repo, "add", "-f", ".cache/planted.json")
    subprocess.run(["chown", "-R", "65534:65534", str(repo)], check=True)
    refused = subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True)
    assert refused.returncode != 0 and "dubious ownership" in refused.stderr  # what Git does unasked
    assert site_cache.tracked(repo, ".cache") == [".cache/planted.json"]


def test_symbolic_links_in_data_stop_the_build(inputs):
    """The loaders would follow one to any file on the machine and quote its lines."""
    from macros.editions import load_all
    from macros.problems import DataError

    load_all(inputs)  # the control: the data as it is loads
    ranking = inputs / "data/editions/2020/ranking.csv"
    ranking.unlink()
    ranking.symlink_to("/etc/passwd")
    with pytest.raises(DataError) as err:
        load_all(inputs)
    report = err.value.report()
    assert "data/editions/2020/ranking.csv" in report and "符号链接" in report
    assert "root:" not in report


@pytest.mark.build
def test_a_build_that_warned_stores_nothing_to_replay(project, tmp_path):
    """Replayed, its output would no longer warn, and a strict build would pass."""
    import sys

    page = project / "docs/changes.md"  # a site page (a new file under docs/ would be refused)
    page.write_text(page.read_text(encoding="utf-8") + "\n[不存在](nowhere.md)\n", encoding="utf-8")
    stats = tmp_path / "stats.json"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DCO_BUILD_STATS": str(stats)},
    )
    assert done.returncode == 0 and "nowhere.md" in done.stderr, done.stderr[-2000:]
    assert json.loads(stats.read_text(encoding="utf-8"))["not_stored"] == "the build logged warnings"
    assert not list((project / ".cache" / "site").glob("*.pickle"))
    done = build_site(project)  # strict: it warns again, and fails
    assert done.returncode != 0 and "nowhere.md" in done.stderr
