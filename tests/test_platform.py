"""The platform around the site: the browser install path, the task list, the CLI's language,
the README's promises."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts/install-browser.sh"


def install_dry_run(tmp_path, distro: str) -> subprocess.CompletedProcess:
    release = tmp_path / "os-release"
    release.write_text(f"ID={distro}\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "DRY_RUN": "1", "OS_RELEASE": str(release)}
    return subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env)


def test_on_debian_the_browser_comes_from_apt(tmp_path):
    done = install_dry_run(tmp_path, "debian")
    assert done.returncode == 0, done.stderr
    assert "apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk" in done.stdout


@pytest.mark.parametrize("distro", ["ubuntu", "fedora"])
def test_elsewhere_the_install_stops_and_says_what_to_do(tmp_path, distro):
    done = install_dry_run(tmp_path, distro)
    assert done.returncode == 1 and "would run" not in done.stdout
    if distro == "ubuntu":
        assert "snap" in done.stderr and "python:3.11-bookworm" in done.stderr and "make test-core" in done.stderr
    else:
        assert "/usr/bin/chromium" in done.stderr


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    targets = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()) - {"help"}
    done = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True)
    listed = set(re.findall(r"^make (\S+)", done.stdout, re.M))
    assert {"new-case", "serve", "check", "test-fast"} <= targets and targets <= listed, targets - listed
    for setting in ("PORT=", "HOST=", "CITY=", "DOMAIN="):  # what a newcomer sets, named where they look
        assert setting in done.stdout, setting
    assert "issue" not in done.stdout  # nothing a newcomer cannot look up


def test_a_busy_port_is_one_chinese_line_before_any_build():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "scripts/serve.py", "127.0.0.1", str(port)], cwd=ROOT, capture_output=True, text=True
        )
    assert done.returncode == 1 and "Traceback" not in done.stderr and not done.stdout, done
    assert f"端口 {port} 已被占用" in done.stderr and "make serve PORT=" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    for wrong in ("abc", "0", "７０００"):
        done = subprocess.run([sys.executable, "scripts/serve.py", "127.0.0.1", wrong], cwd=ROOT, capture_output=True)
        assert done.returncode == 2 and "不是端口号".encode() in done.stderr, wrong


def test_make_new_case_without_a_city_says_how():
    done = subprocess.run(["make", "-s", "new-case"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0 and "用法：make new-case CITY=" in done.stderr


def test_the_cli_answers_in_chinese_without_a_command():
    for argv in ([], ["chek"], ["new-case", "深圳"]):
        done = subprocess.run([sys.executable, "-m", "macros", *argv], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 2 and done.stderr.startswith("用法："), argv


def test_the_readme_opens_in_chinese_and_quotes_no_figure_by_hand():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("\n\n")[1]  # the paragraph under the title
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in first) > 50, first
    assert "## 维护者" in readme and "GitHub Pages" in readme and "Source: *GitHub\n   Actions*" in readme
    # figures live in files a command writes (with its date and machine), linked from here
    for link in re.findall(r"\]\((bench/results/[a-z-]+\.md)\)", readme):
        written = (ROOT / link).read_text(encoding="utf-8")
        assert written.startswith("# `") and "Written by" in written, link
    assert not re.search(r"measured|20[0-9]{2}-[0-9]{2}-[0-9]{2}|[0-9]+ tests|issue [0-9]+", readme)


def test_the_readme_stands_on_its_own():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    for name in ["SITE_URL", "REPO_URL", "python3-venv", "sudo", "make lint"]:
        assert name in readme, name


@pytest.mark.build
@pytest.mark.parametrize("interrupt", [None, signal.SIGINT, signal.SIGTERM])
def test_the_bench_leaves_nothing_in_the_temporary_folder(tmp_path, interrupt):
    """Finished or stopped part-way (Ctrl+C, a kill), a bench run removes what it made."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    results = tmp_path / "results/bench-hostile.md"
    results.parent.mkdir()
    results.write_text("the last complete run\n", encoding="utf-8")
    bench = subprocess.Popen(
        [sys.executable, "-m", "bench.build", "--only", "hostile"],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp), "BENCH_RESULTS": str(results.parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if interrupt is not None:
            deadline = time.monotonic() + 60
            while not any(temp.glob("dco-bench-*/*/hostile/docs/cases")) and time.monotonic() < deadline:
                time.sleep(0.1)  # until it has made its copy of the project
            bench.send_signal(interrupt)
        out, err = bench.communicate(timeout=300)
    finally:
        bench.kill()
    assert list(temp.iterdir()) == [], list(temp.rglob("*"))[:5]
    assert list(results.parent.iterdir()) == [results]  # no partial file left
    if interrupt is not None:
        assert bench.returncode != 0 and "TARGET check" not in out  # stopped part-way, indeed
        assert results.read_text(encoding="utf-8") == "the last complete run\n"  # left alone
    else:
        assert bench.returncode == 0 and "TARGET check" in out, err
        assert results.read_text(encoding="utf-8").startswith("# `python -m bench.build --only hostile`")


def test_the_workflow_caches_pip_and_gives_a_fast_verdict():
    import yaml

    jobs = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))["jobs"]
    for name in ("verdict", "test"):
        caches = [s for s in jobs[name]["steps"] if "actions/cache@" in s.get("uses", "")]
        assert any(s["with"]["path"] == "~/.cache/pip" for s in caches), name
    assert any(s.get("run") == "make test-fast" for s in jobs["verdict"]["steps"])
    assert jobs["test"]["timeout-minutes"] < 90  # CI's own limit: the job stops itself first


@pytest.mark.build
@pytest.mark.parametrize("offline", [False, True])
def test_published_files_are_readable_by_a_web_server_running_as_another_user(tmp_path, offline):
    """make build and make offline build in a private temporary folder (mode 0700); what they
    put in place is readable by everyone, folders enterable."""
    import stat

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "OFFLINE": "true" if offline else "false"}
    site = tmp_path / "out" / "site"
    done = subprocess.run(
        [sys.executable, "scripts/build_site.py", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    paths = [site, *site.rglob("*")]
    assert len(paths) > 100
    for path in paths:
        mode = path.stat().st_mode
        need = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)
        assert mode & need == need, (path, oct(mode))
