# Belowline: two commands. `make demo` runs the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Test processes per pass (pytest-xdist); each file's tests stay together in one of them.
TEST_WORKERS ?= auto

.PHONY: demo test passes lint audit unit integration browser bench serve clean install services

# uv resolves and fetches in parallel (a fresh install in about a minute, pip's took several);
# pip is the fallback where uv cannot be had.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	{ $(BIN)/pip install -q uv && $(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]'; } \
	  || $(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  ## Seed an SQLite demo and serve it with a demo newspaper beside it
	$(BIN)/belowline demo $(DEMO_ARGS)

services:  ## Install and start PostgreSQL, Redis and Chromium (Debian packages)
	bash scripts/services.sh > .services.env

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/check_structure.py

audit: $(STAMP)  ## Known vulnerabilities in the installed packages (warns when offline)
	$(BIN)/python scripts/audit.py

unit: $(STAMP)  ## Fast unit and API tests on SQLite
	$(BIN)/python -m pytest -q -m "not browser and not integration"

# The Python packages while the Debian services install and start; then lint and the audit
# (one core, mostly waiting) beside the two test passes.
test:  ## Everything: SQLite, PostgreSQL, Redis, browser
	$(MAKE) --no-print-directory -j2 install services
	$(MAKE) --no-print-directory -j3 --output-sync=target lint audit passes

passes: $(STAMP)
	. ./.services.env && bash scripts/test_passes.sh $(BIN)/python $(TEST_WORKERS)

bench: $(STAMP) services  ## Side-by-side benchmarks against Isso and a bare ASGI ceiling
	. ./.services.env && BENCH_DATABASE_URL=$${BELOWLINE_TEST_PG_URL%/*}/belowline_bench \
	  BENCH_REDIS_URL=$${BELOWLINE_TEST_REDIS_URL%/*}/1 $(BIN)/python bench/run_peers.py

serve: $(STAMP)
	$(BIN)/belowline db upgrade && $(BIN)/belowline serve

clean:
	rm -rf $(VENV) .belowline .services.env test-artifacts
