# Two commands on a fresh clone: `make serve` and `make test`.
# Each creates .venv and installs the project with the pinned versions in
# constraints.txt (so figures and their manifest stay reproducible): `make serve`
# only what serving needs (the docs extra), `make test` the test tools on top.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
DOCS_STAMP := $(VENV)/.installed-docs
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
# Quiet Jupyter while the notebooks execute: no path-migration or debugger notices from the kernel.
JUPYTER_ENV := JUPYTER_PLATFORM_DIRS=1 PYDEVD_DISABLE_FILE_VALIDATION=1
# nbconvert builds its command line's help text when mkdocs-jupyter imports it, creating every installed exporter
# (PDF, WebPDF, Qt...) to list the enabled ones: about a second of each build.  This lists them without creating them.
NBCONVERT_ENV := NBCONVERT_DISABLE_CONFIG_EXPORTERS=1
MKDOCS := NO_MKDOCS_2_WARNING=1 $(JUPYTER_ENV) $(NBCONVERT_ENV) $(BIN)/mkdocs

.PHONY: install install-docs serve build test lint format bench assets serve-versions clean audit mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(DOCS_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[docs]'
	touch $(DOCS_STAMP)

$(TEST_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[docs,test]'
	touch $(TEST_STAMP) $(DOCS_STAMP)

# What serving and building need.
install-docs: $(DOCS_STAMP)

# Everything: the docs extra and the test tools.
install: $(TEST_STAMP)

assets: install-docs
	$(BIN)/python scripts/build_assets.py

serve: assets
	SITE_URL=http://$(HOST):$(PORT)/ $(MKDOCS) serve --dev-addr $(HOST):$(PORT)

build: assets
	$(MKDOCS) build --strict

serve-versions: install
	$(BIN)/python scripts/local_versions.py --serve --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pytest-xdist: one worker per core; --dist loadscope keeps a module's tests (and a page's code blocks, which
# share one namespace in order) on one worker, and --no-loadscope-reorder keeps the order of tests/conftest.py
# (longest modules first). The site is built once and shared (tests/conftest.py).
TEST_WORKERS ?= auto
test: lint
	$(JUPYTER_ENV) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

# Lighthouse (mobile) and pa11y on every page of a fresh build served with gzip, on Debian's Chromium;
# needs Node.js 20+ and npm. Prints a table per page. Not part of CI.
audit: assets
	cd tools/audit && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python tools/audit/audit.py

bench: install
	$(JUPYTER_ENV) $(BIN)/python scripts/bench.py

# Mutation testing (mutmut 3, in a copy under .cache/mutation, and StrykerJS beside it): a table of the kill
# rate per module and in total; fails unless every module of tests/mutation/modules.toml's default list kills
# at least 95% of its mutants that can change behaviour (tests/mutation/equivalent.md lists the ones that
# cannot), and each JavaScript file 90%.  Not part of `make test`.  MUTATION_ARGS=rmsprop_docs.port judges
# one module (the JavaScript still runs in full).
MUTATION_ARGS ?=
mutation: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[mutation]'
	nice -n 10 $(BIN)/python tests/mutation/all.py $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) site .cache .pytest_cache .hypothesis test-artifacts
