# Two commands on a fresh clone: `make serve` and `make test`.
# Each creates .venv and installs the project with the pinned versions in
# constraints.txt (so figures and their manifest stay reproducible).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve build test lint format bench assets serve-versions clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[docs,test]'
	touch $(STAMP)

install: $(STAMP)

assets: install
	$(BIN)/python scripts/build_assets.py

serve: assets
	SITE_URL=http://$(HOST):$(PORT)/ NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

build: assets
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

serve-versions: install
	$(BIN)/python scripts/local_versions.py --serve --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) site .cache .pytest_cache .hypothesis test-artifacts
