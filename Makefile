# lod: `make run` serves the demo catalogue; `make test` runs the tests. `make help` lists all.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
export LOD_HOME ?= $(CURDIR)/var
export LOD_BASE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help run test bench bench-sparql lint clean venv

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP) ## create .venv and install lod with its dependencies

run: $(STAMP) ## load the demo data into $(LOD_HOME) and serve on http://$(HOST):$(PORT)
	$(BIN)/lod demo
	$(BIN)/lod serve --host $(HOST) --port $(PORT)

test: $(STAMP) ## run the test suite (installs Debian's chromium and virtuoso-opensource if missing)
	./scripts/system-deps
	$(BIN)/python -m pytest -q

MORPH := .venv-morph
$(MORPH)/.installed-stamp: bench/requirements-morph.txt
	test -x $(MORPH)/bin/python || $(PYTHON) -m venv $(MORPH)
	$(MORPH)/bin/python -m pip install --quiet --upgrade pip
	$(MORPH)/bin/python -m pip install --quiet -r bench/requirements-morph.txt
	touch $@

bench: $(STAMP) $(MORPH)/.installed-stamp ## run the benchmarks, /sparql against Virtuoso included (ratios against baselines measured in the same run), ~15 min
	./scripts/system-deps bench
	$(BIN)/python -m compileall -q lod  # as a wheel install does: no run compiles lod again
	$(BIN)/python bench/run.py --morph $(MORPH)/bin/python

bench-sparql: $(STAMP) ## only /sparql against Virtuoso (virtuoso-opensource) on 1 M triples, ~6 min
	./scripts/system-deps bench
	$(BIN)/python -m compileall -q lod
	$(BIN)/python bench/sparql.py

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check lod tests bench
	$(BIN)/ruff format --check lod tests bench

clean: ## remove the virtual environment and local data
	rm -rf $(VENV) $(MORPH) var build dist *.egg-info
