"""The platform around the site: the browser install path, the task list, the CLI's language,
the README's promises."""

from __future__ import annotations

import re
import subprocess
import sys

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
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()) - {"help"}
    done = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True)
    listed = set(re.findall(r"^make (\S+)", done.stdout, re.M))
    assert targets and targets <= listed, targets - listed


def test_the_cli_answers_in_chinese_without_a_command():
    for argv in ([], ["chek"], ["new-case", "深圳"]):
        done = subprocess.run([sys.executable, "-m", "macros", *argv], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 2 and done.stderr.startswith("用法："), argv


def test_the_readme_stands_on_its_own():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    for name in ["SITE_URL", "REPO_URL", "python3-venv", "sudo", "make lint"]:
        assert name in readme, name
