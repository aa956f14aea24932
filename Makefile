# The two commands: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha1(open('requirements.lock','rb').read()).hexdigest()[:12])")
PYTEST_ARGS ?=

.PHONY: run test install lint audit format messages compilemessages lock vendor bench clean

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

compilemessages: install
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: install compilemessages
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

test: install compilemessages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Security checks (CI runs them after lint): bandit on the code, pip-audit on the lock.
# The tools are not in the lock (they are not needed to run or test the portal); pinned here.
BANDIT_VERSION := 1.9.4
PIP_AUDIT_VERSION := 2.10.1
audit: install
	$(VENV)/bin/pip install --quiet --disable-pip-version-check bandit==$(BANDIT_VERSION) pip-audit==$(PIP_AUDIT_VERSION)
	$(VENV)/bin/bandit -c bandit.yaml -r zelfsturing common portal dashboards teams notifications rollen doelen audit ontwikkeling -q
	$(PY) bin/pip_audit_lock.py

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Update the Dutch catalogue after changing texts; then translate the new entries in
# locale/nl/LC_MESSAGES/django.po. flock: parallel runs must not overwrite each other.
messages: install
	flock locale/.lock env DEBUG=1 $(PY) manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=node_modules --ignore=vendor-src --ignore=staticfiles

lock:
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-options --extra dev --output-file requirements.lock pyproject.toml

# Refresh the vendored front-end assets from the npm registry (versions in vendor-src/package.json).
vendor:
	cd vendor-src && npm ci --no-audit --no-fund
	cp vendor-src/node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp vendor-src/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp vendor-src/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp vendor-src/node_modules/axe-core/axe.min.js tests/e2e/vendor/

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
