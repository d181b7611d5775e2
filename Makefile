# Two commands are all the set-up there is: `make serve` and `make test`.
# Both create .venv (Python 3.11) if missing and install the pinned dependencies first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build lint bench audit clean

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

# Lighthouse scores of every page (optional, like bench): the pinned npm `lighthouse` in
# tools/audit/ with Debian's Chromium; scores printed and written to tools/audit/latest.json.
AUDIT := tools/audit
$(AUDIT)/node_modules/.installed: $(AUDIT)/package.json $(AUDIT)/package-lock.json
	cd $(AUDIT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

audit: $(STAMP) $(AUDIT)/node_modules/.installed
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python $(AUDIT)/audit.py

clean:
	rm -rf $(VENV) site .cache .pytest_cache .hypothesis
