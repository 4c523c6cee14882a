# CCN task runner. `make run` sets everything up and serves http://127.0.0.1:8000; `make test` lints and tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/ccn
# The first Python >= 3.12 on PATH or under pyenv.
PYTHON_BOOT := $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { command -v $$p; break; }; done)
PYTEST_WORKERS ?= 2

.PHONY: demo screenshots run serve serve-prod worker setup install messages translations migrate load test lint test-sqlite test-pg format clean dataset bench admin fuzz

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON_BOOT)" || { echo "Python >= 3.12 is needed (on PATH or under pyenv)"; exit 1; }
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Site-wide catalogue: extract, then apply the table in locale/vi_translations.py (apps keep their own catalogues).
APP_CATALOGUES := tenants infrastructure reports plans obstacles procedures portal exchange
translations: install
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=var --ignore='tests/*' \
		$(foreach a,$(APP_CATALOGUES),--ignore='ccn/$(a)/*')
	$(PY) locale/vi_translations.py

# The first system administrator of a fresh install: make admin USERNAME=so.congthuong EMAIL=admin@example.vn
# (the password is asked on the terminal, or read from CCN_ADMIN_PASSWORD).
admin: migrate
	$(PY) manage.py create_admin "$(USERNAME)" "$(EMAIL)"

messages: install
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=var

migrate: install messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable

load: migrate
	$(PY) manage.py load_admin_units
	$(PY) manage.py load_boundaries ccn/geo/data/provinces-34.geojson --level province
	$(PY) manage.py load_sample_data
	$(PY) manage.py load_sample_portal
	$(PY) manage.py load_sample_plans
	$(PY) manage.py load_sample_reports
	$(PY) manage.py load_sample_procedures

setup: load

# The demo of `make run`: the seed clusters plus a small synthetic dataset (codes SYN-…, names marked "tổng hợp",
# a banner on every page) so that every page shows real-looking figures.
DEMO_ARGS ?= --clusters 150 --tenant-projects 1500 --years 2 --obstacles 150
demo: setup
	DEBUG=1 $(PY) manage.py demo_users
	DEBUG=1 $(PY) manage.py load_sample_obstacles
	$(PY) manage.py generate_dataset --if-empty $(DEMO_ARGS)

# The web server and, beside it, the task worker (background imports, exports, PDFs, e-mails); both stop together.
run: demo
	@DEBUG=1 $(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The task worker alone (its own process in production: docs/production.md).
worker: migrate
	$(PY) manage.py run_worker

# Production-style: gunicorn with WEB_CONCURRENCY workers (default 2) on BIND, and the task worker beside it.
# Needs SECRET_KEY (and ALLOWED_HOSTS); REDIS_URL and DATABASE_URL as in docs/production.md.
WEB_CONCURRENCY ?= 2
BIND ?= 127.0.0.1:8000
serve-prod: migrate
	$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn config.wsgi --workers $(WEB_CONCURRENCY) --bind $(BIND) --access-logfile - --timeout 120

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The test settings (fast hasher, test switches) come from the pytest configuration (config/test_settings.py).
# Locally the test databases are kept between runs (--reuse-db; migrations are still applied; REUSE_DB= or
# `--create-db` rebuilds them); in CI they are always built afresh. Each run prints its time.
REUSE_DB ?= $(if $(CI),,--reuse-db)
PYTEST_ARGS ?=
test-sqlite: install messages
	@start=$$(date +%s); $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q $(REUSE_DB) $(PYTEST_ARGS); status=$$?; \
	echo "SQLite suite: $$(( $$(date +%s) - start )) s"; exit $$status

test-pg: install messages
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running at 127.0.0.1:5432"; exit 1; }
	@start=$$(date +%s); DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q $(REUSE_DB) $(PYTEST_ARGS); \
	status=$$?; echo "PostgreSQL suite: $$(( $$(date +%s) - start )) s"; exit $$status

# The whole suite on SQLite, then on PostgreSQL when a server answers at 127.0.0.1:5432 (always in CI).
test: lint test-sqlite
	@if [ -n "$$CI" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then $(MAKE) --no-print-directory test-pg; \
	else echo "PostgreSQL not running: suite ran on SQLite only"; fi

# The API fuzzed against its OpenAPI document with many more examples per operation than `make test` (for the
# benchmark machine; about an hour there): counts in var/fuzz-summary.json.
FUZZ_EXAMPLES ?= 200
fuzz: install messages
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -n 0 -q -m fuzz tests/test_api_fuzz.py -s

# The synthetic national dataset and the benchmark suite (docs/benchmarks.md), on their own database: DATABASE_URL
# if set, else var/bench.sqlite3 (never the development database var/ccn.sqlite3). Ten times the nation:
# make dataset DATASET_ARGS="--scale 10" DATABASE_URL=postgres://… (PostgreSQL loads it with COPY).
BENCH_DB := $(or $(DATABASE_URL),sqlite:///$(CURDIR)/var/bench.sqlite3)
DATASET_ARGS ?=
BENCH_ARGS ?=
dataset: install messages
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py createcachetable
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py load_admin_units
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py generate_dataset $(DATASET_ARGS)

bench: install messages
	DATABASE_URL=$(BENCH_DB) $(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/ccn.sqlite3* var/static

# Screenshots of the 12 main pages at desktop and phone size (var/screenshots/), on the demo data of `make run`.
screenshots: demo
	$(PY) manage.py screenshots
