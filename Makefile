# Two commands are all the set-up there is: `make serve` and `make test`.
# Both create .venv (Python 3.11) if missing and install the pinned dependencies first, and
# MathJax (tools/mathjax/node_modules, for the build-time typesetting of the site's math).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
MATHJAX := tools/mathjax
NODE_STAMP := $(MATHJAX)/node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve test build lint bench clean

install: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[docs,test]'
	touch $(STAMP)

$(NODE_STAMP): $(MATHJAX)/package.json $(MATHJAX)/package-lock.json
	npm ci --prefix $(MATHJAX) --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

serve: install
	$(BIN)/mkdocs serve --strict --livereload -a 127.0.0.1:8000

test: install lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

build: install
	$(BIN)/mkdocs build --strict --site-dir site

# Benchmarks need PyTorch (the `bench` extra, torch==2.13.0); `make test` never installs it.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_bptt.py

clean:
	rm -rf $(VENV) $(MATHJAX)/node_modules site .cache .pytest_cache .hypothesis
