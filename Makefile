# Two commands are all the set-up there is: `make serve` and `make test`.
# Both create .venv (Python 3.11) if missing and install the pinned dependencies first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build lint bench clean

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[docs,test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --livereload -a 127.0.0.1:8000

test: $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

build: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# Benchmarks need PyTorch (the `bench` extra, torch==2.13.0); `make test` never installs it.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_bptt.py

clean:
	rm -rf $(VENV) site .cache .pytest_cache .hypothesis
