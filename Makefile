# 数字城市观察 — the tasks CI and contributors run. `make help` lists them.
# The two commands in the README: `make serve` (build and serve the site), `make test` (every test).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install serve build offline check test test-core bench profile clean

help:
	@echo "make serve    build the site and serve it on http://$(HOST):$(PORT)/"
	@echo "make test     run every test (core, build, browser); installs what it needs"
	@echo "make check    validate data/ and the case files, without building"
	@echo "make build    build the site into site/ (mkdocs build --strict)"
	@echo "make offline  build a copy that works opened from disk, zipped as build/site-offline.zip"
	@echo "make bench    print build time, page weight and scale figures"
	@echo "make profile  where a build spends its time (pyinstrument)"
	@echo "make test-core  the fast core tests only (no site build, no browser)"
	@echo "make install  create .venv and install the pinned requirements"
	@echo "make clean    remove site/, build/ and the test cache"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

check: install
	$(BIN)/python -m macros check

# Built into a fresh folder that replaces site/ only if the strict build passed.
build: install
	$(BIN)/python scripts/build_site.py --site-dir site

serve: build
	@echo "站点已构建。在浏览器打开 http://$(HOST):$(PORT)/ （Ctrl+C 停止）"
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

offline: install
	OFFLINE=true $(BIN)/python scripts/build_site.py --site-dir build/site-offline
	cd build && rm -f site-offline.zip && $(PYTHON) -m zipfile -c site-offline.zip site-offline/
	@echo "build/site-offline.zip: unzip it and open site-offline/index.html"

browser:
	bash scripts/install-browser.sh

test: install browser
	$(BIN)/python -m macros check
	$(BIN)/python -m pytest

test-core: install
	$(BIN)/python -m pytest -m "not build and not browser"

bench: install
	$(BIN)/python -m bench.build

profile: install
	$(BIN)/pyinstrument -m mkdocs build --strict -q

clean:
	rm -rf site build .pytest_cache
