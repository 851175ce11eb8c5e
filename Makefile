# The portal's front door. `make run` starts everything; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Development installs requirements-dev.txt (which includes requirements.txt); the production image only the latter.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint format messages bench install stop check-deploy backup restore

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

run: install ## start web, Celery worker and beat, PostgreSQL and Redis, with demo data
	$(PY) scripts/devenv.py run

test: install ## run every test against real PostgreSQL and Redis (and headless Chromium)
	$(PY) scripts/devenv.py test $(PYTEST_ARGS)

lint: install ## ruff, mypy on services and selectors, migrations in step, catalogs complete, layers one-way, Kubernetes manifests valid
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=postgres://lint@localhost/unused REDIS_URL=redis://localhost:1/0 $(VENV)/bin/mypy
	$(PY) scripts/check_catalogs.py
	DATABASE_URL=postgres://lint@localhost/unused REDIS_URL=redis://localhost:1/0 \
	  DJANGO_SETTINGS_MODULE=diaspora_portal.settings.test $(PY) manage.py makemigrations --check --dry-run --skip-checks -v 0
	$(VENV)/bin/kubernetes-validate --strict --quiet -k 1.37.0 deploy/kubernetes/*.yaml
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## extract strings into locale/fr and locale/ar (needs GNU gettext: apt-get install gettext)
	DATABASE_URL=postgres://x@localhost/unused REDIS_URL=redis://localhost:1/0 \
	  $(PY) manage.py makemessages -l fr -l ar --no-location --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'staticfiles/*' --ignore 'tests/*'
	$(PY) scripts/dedupe_translations.py
	$(PY) scripts/fill_catalog.py --force locale/translations/*.json
	$(PY) scripts/check_catalogs.py || true

bench: install ## run the benchmarks in benchmarks/ and print their results
	$(PY) scripts/devenv.py bench $(BENCH_ARGS)

check-deploy: install ## Django's deployment checks under production settings
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))') \
	  DJANGO_ALLOWED_HOSTS=portal.example.org EMAIL_HOST=smtp.example.org PORTAL_BASE_URL=https://portal.example.org \
	  OFFICES_NOTES_KEY=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  DATABASE_URL=postgres://x@localhost/unused REDIS_URL=redis://localhost:1/0 \
	  DJANGO_SETTINGS_MODULE=diaspora_portal.settings.production $(PY) manage.py check --deploy --fail-level WARNING

backup: install ## dump the database to var/backups/ (pg_dump, custom format)
	$(PY) scripts/devenv.py backup $(FILE)

restore: install ## restore a backup: make restore FILE=var/backups/portal-….dump (replaces the database content)
	$(PY) scripts/devenv.py restore $(FILE)

stop: install ## stop an embedded PostgreSQL/Redis left running by `devenv.py shell-env`
	$(PY) scripts/devenv.py stop
