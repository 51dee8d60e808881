# Two commands: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev translations messages lint format bench bench-trends bench-notices clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet uv==0.13.9

$(VENV)/.installed: requirements/base.lock | $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements/base.lock
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements/dev.lock
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

translations: install
	$(PY) manage.py compile_translations

# Serve the app with demo data on SQLite, Celery tasks in-process. Safe to run twice.
# `make run PORT=8001` (or HOST=0.0.0.0) serves elsewhere when 8000 is taken.
# It serves like production: DEBUG off (our own error pages, static files by whitenoise) unless
# a developer asks for `make run DEBUG=true`.
DEBUG ?= false
RUN_ENV := DEMO_MODE=true DEBUG=$(DEBUG)
run: install translations
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py setup_periodic_tasks
	$(RUN_ENV) $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (demo logins in README.md)"
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite; uses DATABASE_URL when set (PostgreSQL in CI), else SQLite.
test: install-dev translations
	$(PY) -m pytest $(PYTEST_ARGS)

# Refresh the catalogues after changing translatable text (needs GNU gettext).
messages: install
	cd $(CURDIR) && $(PY) manage.py makemessages -l es -l fr --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=test-artifacts

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-dev translations
	$(PY) -m bench

# The trends job over 100,000 households and 24 months of surveys; give it DATABASE_URL
# (PostgreSQL) and BENCH_ARGS to change the size, e.g. BENCH_ARGS="--families 5000".
bench-trends: install-dev translations
	$(PY) -m bench.trends $(BENCH_ARGS)

# The month's survey notices to 10,000 households through Twilio's client and a local server
# that answers as Twilio does; BENCH_ARGS="--families 2000" changes the size.
bench-notices: install-dev translations
	$(PY) -m bench.notices $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
