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
.PHONY: help run test bench lint clean venv

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

test: $(STAMP) ## run the test suite
	$(BIN)/python -m pytest -q

bench: $(STAMP) ## run the benchmarks (ratios against a baseline measured in the same run)
	$(BIN)/python bench/run.py

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check lod tests bench
	$(BIN)/ruff format --check lod tests bench

clean: ## remove the virtual environment and local data
	rm -rf $(VENV) var build dist *.egg-info
