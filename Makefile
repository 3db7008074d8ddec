# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install ingest lint format bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

ingest: install
	$(BIN)/newsdesk ingest seeds

# Install, ingest seeds/, then serve the HTTP API on http://127.0.0.1:8000 (Ctrl-C stops it).
run: ingest
	$(BIN)/newsdesk serve

lint: install
	$(BIN)/ruff check index qa ui eval tests
	$(BIN)/ruff format --check index qa ui eval tests

format: install
	$(BIN)/ruff format index qa ui eval tests
	$(BIN)/ruff check --fix index qa ui eval tests

test: lint
	$(BIN)/python -m pytest
	@test -x /usr/bin/chromium || echo "make test: the browser tests of the page (tests/test_page_browser.py) were SKIPPED: Debian's chromium is not installed. Run them with: sudo apt-get install -y chromium && make test"

bench: install
	$(BIN)/python -m eval.seed_bench

clean:
	rm -rf $(VENV) data .pytest_cache
