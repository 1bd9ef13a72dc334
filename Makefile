# 数字城市观察 — the tasks CI and contributors run. `make help` lists them.
# The two commands in the README: `make serve` (build and serve the site), `make test` (every test).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install serve build offline check new-case test test-fast test-core lint format bench lighthouse profile \
	clean browser

help:
	@echo "make serve    build the site and serve it on http://$(HOST):$(PORT)/ (first run installs: about 3 min)"
	@echo "              settings: PORT=8001 another port; HOST=0.0.0.0 reachable from other machines;"
	@echo "              SIMULATED_LAYER=on adds the simulated scores that demonstrate the method (off by default)"
	@echo "make test     run every test (core, build, browser); installs what it needs"
	@echo "make check    validate data/ and the case files, without building (about 1 s)"
	@echo "make new-case CITY=深圳 DOMAIN=数字政务 [YEAR=2023]"
	@echo "              start a case file in docs/cases/ (city and domain: Chinese name or id)"
	@echo "make build    build the site into site/ (mkdocs build --strict)"
	@echo "make offline  build a copy that works opened from disk, zipped as build/site-offline.zip"
	@echo "make bench    print build time, page weight and scale figures"
	@echo "make lighthouse  Lighthouse scores of seven pages (mobile, median of 3) against the targets"
	@echo "make profile  where a build spends its time (pyinstrument)"
	@echo "make test-fast  a contributor's verdict in about a minute: lint, check, core tests, one build"
	@echo "make test-core  the fast core tests only (no site build, no browser)"
	@echo "make lint     ruff: lint and formatting check (part of make test)"
	@echo "make format   ruff: reformat the code and fix what can be fixed"
	@echo "make browser  install Debian's chromium and a CJK font for the browser tests"
	@echo "make install  create .venv and install the pinned requirements"
	@echo "make clean    remove site/, build/ and the test cache"

# Debian and Ubuntu ship venv separately (python3-venv); without it `-m venv` leaves a broken .venv.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "无法创建虚拟环境 .venv：请先安装 python3-venv（Debian/Ubuntu：sudo apt-get install python3-venv），再运行一次。" >&2; \
	  echo "Could not create .venv: install python3-venv (sudo apt-get install python3-venv) and run again." >&2; exit 1; }

# Reinstall only when a requirements file changes. The project itself is put on the venv's path
# with a .pth file (what an editable install does, without a build backend and its warnings).
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	@echo "正在安装依赖到 .venv（首次约 2–3 分钟，之后只在 requirements 变化时重装）…"
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@$(BIN)/python -c "import pathlib, sysconfig; \
	  pathlib.Path(sysconfig.get_paths()['purelib'], 'digital_city_observatory.pth').write_text('$(CURDIR)\n')"
	@touch $@
	@echo "依赖已安装。"

install: $(VENV)/.installed

check: install
	$(BIN)/python -m macros check

# Built into a fresh folder that replaces site/ only if the strict build passed.
build: install
	@$(BIN)/python scripts/build_site.py --site-dir site

# mkdocs serve builds the site itself (once), then rebuilds on every change. The address is
# checked first: a busy port is a one-line message, not a traceback after the build.
serve: install
	@$(BIN)/python scripts/serve.py "$(HOST)" "$(PORT)"

new-case: install
	@test -n "$(CITY)" -a -n "$(DOMAIN)" || { echo "用法：make new-case CITY=深圳 DOMAIN=数字政务 [YEAR=2023]" >&2; exit 2; }
	@$(BIN)/python -m macros new-case "$(CITY)" "$(DOMAIN)" $(YEAR)

offline: install
	@OFFLINE=true $(BIN)/python scripts/build_site.py --site-dir build/site-offline
	cd build && rm -f site-offline.zip && $(PYTHON) -m zipfile -c site-offline.zip site-offline/
	@echo "build/site-offline.zip: unzip it and open site-offline/index.html"

browser:
	bash scripts/install-browser.sh

test: install browser lint
	$(BIN)/python -m macros check
	$(BIN)/python -m pytest

# ruff: lint and formatting (settings in pyproject.toml). `make format` rewrites the files.
lint: install
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-core: install
	$(BIN)/python -m pytest -m "not build and not browser"

# The verdict a contributor waits for: lint, the data and case check, the core tests and one
# strict build. The full suite (make test) adds the build, browser and accessibility tests.
test-fast: install lint
	$(BIN)/python -m macros check
	$(BIN)/python -m pytest -q -m "not build and not browser"
	@$(BIN)/python scripts/build_site.py --site-dir site

bench: install
	$(BIN)/python -m bench.build

# Builds the hosted configuration into build/lighthouse-site/ and installs the pinned Lighthouse
# (npm ci in bench/lighthouse/) when needed; needs Node.js and Chromium (`make browser`).
lighthouse: install
	$(BIN)/python -m bench.lighthouse

profile: install
	$(BIN)/pyinstrument -m mkdocs build --strict -q

clean:
	rm -rf site build .pytest_cache
