# `make run` and `make test` bootstrap everything they need from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every runtime and dev dependency, pinned with hashes; `make lock` after editing pyproject.toml.
LOCK := requirements.lock
LOCK_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command 'make lock' --quiet -o $(LOCK)
PORT ?= 8000

.PHONY: run money-demo test lint bootstrap clean messages lock lock-upgrade bench-data bench bench-contention bench-import

bootstrap: $(STAMP)

# uv installs the hashed lock as `pip install --require-hashes` would, several times faster.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $$(grep -oE '^uv==[^ ]+' $(LOCK))
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/club migrate
	PORT=$(PORT) $(BIN)/club demo --if-empty
	$(BIN)/club serve --port $(PORT)

# The demo with card payments: localstripe, a mail catcher and the app, the webhook wired (tools/money_demo.py).
money-demo: $(STAMP)
	$(BIN)/python tools/money_demo.py --port $(PORT)

# Re-resolve after editing pyproject.toml, keeping every pin the change does not force.
lock: $(STAMP)
	$(LOCK_COMPILE)

# Move every dependency to its newest allowed release and print what changed.
lock-upgrade: $(STAMP)
	@mkdir -p var
	@grep -oE '^[A-Za-z0-9_.-]+==[^ ]+' $(LOCK) > var/lock-before.txt
	$(LOCK_COMPILE) --upgrade
	@grep -oE '^[A-Za-z0-9_.-]+==[^ ]+' $(LOCK) | diff --old-line-format='  - %L' --new-line-format='  + %L' \
		--unchanged-line-format= var/lock-before.txt - \
		&& echo "Nothing changed." || echo "Run make test, then commit $(LOCK)."

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The suite runs once per database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
test: lint
	$(BIN)/pytest --backend sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		$(BIN)/pytest --backend postgres; \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!! PostgreSQL was NOT tested: TEST_DATABASE_URL is not set.                 !!"; \
		echo "!! Skipped: the whole suite on PostgreSQL, including the race tests.        !!"; \
		echo "!! Run: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test  !!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

clean:
	rm -rf $(VENV) var

# Re-extract msgids from code and templates into the Korean catalogue (keeps existing Korean).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k single:2 -k invalid:2 -k add:3 -k HTTPException:2 -k FieldError:2 -k _refuse:1 -k refuse:1 \
		--no-location --omit-header -o var/messages.pot .
	$(BIN)/python tools/update_messages.py var/messages.pot

# Benchmarks on the local PostgreSQL (see README, "Benchmarks"). bench-data (re)creates the two datasets.
BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
bench-data: $(STAMP)
	$(BIN)/python bench/dataset.py --fresh --scale 1 --database $(BENCH_SERVER)/club_bench
	$(BIN)/python bench/dataset.py --fresh --scale 0.1 --database $(BENCH_SERVER)/club_bench_small

bench: $(STAMP)
	$(BIN)/python bench/screens.py --database $(BENCH_SERVER)/club_bench --small $(BENCH_SERVER)/club_bench_small --workers 1 2

bench-contention: $(STAMP)
	$(BIN)/python bench/contention.py --database $(BENCH_SERVER)/club_bench

bench-import: $(STAMP)
	$(BIN)/python bench/partner_import.py
	$(BIN)/python bench/partner_import.py $(BENCH_SERVER)/postgres
