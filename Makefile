# The two commands: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

# Two locks, both with hashes, both made from pyproject.toml by `make lock`:
#   requirements/production.lock   the main dependencies: what the portal needs to run
#   requirements/development.lock  the same pins plus the `dev` extra: tests, lint, types, audit
# A stamp per lock holds a hash of it, so a changed lock is installed again by the next target.
PROD_LOCK := requirements/production.lock
DEV_LOCK := requirements/development.lock
lock_hash = $(shell $(PYTHON) -c "import hashlib;print(hashlib.sha1(open('$(1)','rb').read()).hexdigest()[:12])")
PROD_STAMP := $(VENV)/.installed-production-$(call lock_hash,$(PROD_LOCK))
DEV_STAMP := $(VENV)/.installed-development-$(call lock_hash,$(DEV_LOCK))
PIP_INSTALL := $(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes

# The packages that are linted, type-checked, audited and measured.
APP_PACKAGES := zelfsturing common portal dashboards api teams notifications rollen doelen afspraken ontwikkeling audit

# Line coverage of the app packages in `make test` (sources in [tool.coverage] of
# pyproject.toml); `make test COVERAGE=` turns it off.
COVERAGE ?= --cov --cov-report=term:skip-covered

.PHONY: run serve test oidc-provider install install-production lint typecheck audit format messages compilemessages lock vendor bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/pip.lock

$(PROD_STAMP): $(PROD_LOCK) | $(PY)
	$(PIP_INSTALL) -r $(PROD_LOCK)
	rm -f $(VENV)/.installed-production-*
	touch $@

$(DEV_STAMP): $(DEV_LOCK) | $(PY)
	$(PIP_INSTALL) -r $(DEV_LOCK)
	rm -f $(VENV)/.installed-development-*
	touch $@

# `make run` needs only the production lock; everything else the development lock.
install-production: $(PROD_STAMP)

install: $(DEV_STAMP)

compilemessages: install-production
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: install-production compilemessages
	DEBUG=1 $(PY) manage.py migrate --no-input -v0
	DEBUG=1 $(PY) manage.py seed_demo
	@echo ""
	@echo "Zelfsturing runs on http://127.0.0.1:8000 — log in with password 'demo' as:"
	@echo "  medewerker      (employee, member of a team)"
	@echo "  leidinggevende  (manager of several teams)"
	@echo "  hr              (HR / P&O)"
	@echo "  beheer          (functional administrator, superuser)"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Production-like, for trying it out: gunicorn, a Celery worker and beat with DEBUG off, the
# Dutch catalogue compiled, static files collected (whitenoise), on the same SQLite database
# as `make run`. Needs Redis as the broker (CELERY_BROKER_URL, default
# redis://127.0.0.1:6379/0). Ctrl-C stops all three. bin/serve.py says how.
serve: install-production
	$(PY) bin/serve.py

# The test-only OpenID provider of tests/oidc (npm `oidc-provider`), when Node is present.
oidc-provider:
	@if command -v npm >/dev/null && [ ! -d tests/oidc/provider/node_modules ]; then \
		cd tests/oidc/provider && npm ci --no-audit --no-fund; fi

test: install compilemessages oidc-provider
	$(PY) -m pytest $(COVERAGE) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MAKE) --no-print-directory typecheck
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# mypy with django-stubs (settings in [tool.mypy] of pyproject.toml). No install step, so that
# the pre-commit hook can call it without the network.
typecheck:
	$(VENV)/bin/mypy $(APP_PACKAGES)

# Security checks (CI runs them after lint): bandit on the code, pip-audit on both locks.
# bandit and pip-audit are pinned, with hashes, in the development lock.
# pip-audit fails when it could check nothing (no vulnerability service reachable); on a closed
# network say so explicitly: `make audit AUDIT_OFFLINE=1` prints that the locks were NOT checked.
AUDIT_OFFLINE ?=
audit: install
	$(VENV)/bin/bandit -c bandit.yaml -r $(APP_PACKAGES) -q
	$(PY) bin/pip_audit_lock.py $(if $(AUDIT_OFFLINE),--offline) $(PROD_LOCK) $(DEV_LOCK)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Update the Dutch catalogue after changing texts; then translate the new entries in
# locale/nl/LC_MESSAGES/django.po. flock: parallel runs must not overwrite each other.
messages: install
	flock locale/.lock env DEBUG=1 $(PY) manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=node_modules --ignore=vendor-src --ignore=staticfiles

# Re-pin both locks from pyproject.toml (keeps current pins where they still fit;
# `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed versions).
# The development lock is constrained by the production lock, so both pin the same versions.
LOCK_ARGS ?=
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-options $(LOCK_ARGS)
lock: install
	$(PIP_COMPILE) --output-file $(PROD_LOCK) pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint $(PROD_LOCK) --output-file $(DEV_LOCK) pyproject.toml

# Refresh the vendored front-end assets from the npm registry (versions in vendor-src/package.json).
vendor:
	cd vendor-src && npm ci --no-audit --no-fund
	cp vendor-src/node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp vendor-src/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp vendor-src/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp vendor-src/node_modules/axe-core/axe.min.js tests/e2e/vendor/

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
