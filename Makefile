# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run    create .venv, install, migrate, load the demo, serve on 127.0.0.1:$(PORT)
#   make test   create .venv, install with dev tools, lint, check, run every test
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# Two workers on the two cores; the browser tests share one worker (and one live site).
PYTEST_WORKERS ?= -n 2 --dist loadgroup

.PHONY: run test lint check pytest install install-dev migrate demo prod-check audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

# External judges for the browser tests (axe-core, vnu-jar) from the npm registry.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the axe-core and vnu checks will be skipped"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "站点：     http://127.0.0.1:$(PORT)/"
	@echo "管理后台： http://127.0.0.1:$(PORT)/admin/  （账号见上）"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r cms home news policy services search scripts -x "*/tests/*"

check: install-dev
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install-dev
	$(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint check pytest

# Production path on this machine: collectstatic, check --deploy, migrate, gunicorn, fetch pages.
prod-check: install
	$(BIN)/python scripts/prod_check.py

# Known vulnerabilities in the pinned requirements (needs the advisory service online; not in `make test`).
audit:
	@if [ -x $(BIN)/pip-audit ]; then $(BIN)/pip-audit -r requirements.txt; \
	else echo "pip-audit is not installed: $(BIN)/pip install pip-audit  (see docs/deploy.md, Dependency audit)"; exit 1; fi

clean:
	rm -rf $(VENV) staticfiles node_modules test-artifacts
