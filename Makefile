# Heard – the front door. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION ?= 3.11
VENV := .venv
PY := $(VENV)/bin/python
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PORT ?= 8000
# manage.py uses the production settings unless told otherwise: name them here.
DEV := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-heard.settings.dev}
# uv must use this machine's own Python, never download one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(UV):
	@echo "uv not found: installing it for this user with pip"
	python$(PYTHON_VERSION) -m pip install --user --quiet uv || python3 -m pip install --user --quiet uv

$(VENV)/.installed: requirements/dev.txt pyproject.toml engine/pyproject.toml | $(UV)
	test -x $(PY) || $(UV) venv --python python$(PYTHON_VERSION) $(VENV)
	$(UV) pip sync --python $(PY) --require-hashes --compile-bytecode requirements/dev.txt
	$(UV) pip install --python $(PY) --no-deps --no-build-isolation -e . -e engine
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: install
install: $(VENV)/.installed node_modules/.installed ## Install Python and npm packages (idempotent)

.PHONY: lock
lock: | $(UV) ## Recompile the hash-pinned requirement files from pyproject.toml
	$(UV) pip compile pyproject.toml engine/pyproject.toml --extra dev --extra scale --generate-hashes --python-version $(PYTHON_VERSION) --no-header -q -o requirements/dev.txt
	$(UV) pip compile pyproject.toml engine/pyproject.toml --extra scale --generate-hashes --python-version $(PYTHON_VERSION) --no-header -q -o requirements/prod.txt

.PHONY: run
run: install ## Run Heard on SQLite with the demo: web on http://127.0.0.1:$(PORT) and the task worker
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py createcachetable
	$(DEV) $(PY) manage.py collectstatic --no-input -v 0
	$(DEV) $(PY) manage.py demo_load
	$(DEV) PORT=$(PORT) bin/run-dev

.PHONY: test
test: install ## Lint, type-check, and run every test on SQLite, PostgreSQL and in Chromium
	bin/run-tests

.PHONY: lint
lint: install ## ruff, ruff format --check, mypy, import contracts, migrations check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy heard engine/heard_analysis
	$(VENV)/bin/lint-imports
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

.PHONY: format
format: install ## Format and autofix the code
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: test-fast
test-fast: install ## The unit and integration tests on SQLite only
	$(VENV)/bin/pytest -m "not browser" -n 2 -q

.PHONY: audit-verify
audit-verify: install ## Verify the audit trail's hash chain
	$(DEV) $(PY) manage.py audit_verify

.PHONY: clean
clean: ## Remove the virtualenv, node_modules and local database
	rm -rf $(VENV) node_modules staticfiles db.sqlite3* test-artifacts

.PHONY: totp
totp: ## The current two-factor code of a demo account: make totp EMAIL=admin@demo.heard.example
	$(DEV) $(PY) manage.py demo_totp $(EMAIL)
