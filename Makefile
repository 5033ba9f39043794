# Samverkansportalen: `make run` starts the demo portal, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
BIND   ?= 127.0.0.1:8000
export FLASK_APP := portal

.PHONY: run test install install-dev translations demo bench lint lock screenshots clean serve \
	oidc-provider

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# requirements.lock pins every package (`make lock` refreshes it after pyproject.toml changes).
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install -q -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install -q -c requirements.lock -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations oidc-provider

## oidc-provider: the real OpenID provider the tests sign in through (node + npm, tests/oidc)
oidc-provider: tests/oidc/node_modules/.installed
tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	@touch $@

translations: $(BIN)/python
	$(BIN)/pybabel compile -d portal/translations
	@$(BIN)/python -m compileall -q portal config.py > /dev/null  # start-up reads bytecode

## run: install, migrate, load the demo into an empty database, serve on 127.0.0.1:$(PORT)
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	@echo ""
	@echo "  Samverkansportalen: http://127.0.0.1:$(PORT)/"
	@echo "  Demo sign-in (password narvard-demo):"
	@echo "    admin@example.org    administrator"
	@echo "    ledning@example.org  leadership"
	@echo "    uppdrag@example.org  commission lead"
	@echo "    forum@example.org    forum member"
	@echo ""
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## serve: production server: gunicorn on $(BIND), workers from WEB_CONCURRENCY (default 2);
## settings from the environment (README "Drift")
serve: install $(BIN)/gunicorn
	$(BIN)/flask db upgrade
	exec $(BIN)/gunicorn --config python:portal.serving --bind $(BIND) \
		--workers $${WEB_CONCURRENCY:-2} --timeout 60 \
		--access-logfile - --error-logfile - "portal:create_app()"

$(BIN)/gunicorn: $(BIN)/python
	$(BIN)/pip install -q "gunicorn>=22" "redis>=5"

## test: install with the dev extras and run the whole suite (TEST_DATABASE_URL for PostgreSQL)
test: install-dev
	$(BIN)/python -m pytest -n 2 --dist loadscope

demo: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo

## bench: national-scale benchmarks (analysis, import, the map), the load run (gunicorn, 50 clients, 60 s),
## back-to-back stress runs (national map; the demo's menu pages) and the pages against a bare Flask app
bench: install-dev
	$(BIN)/python -m bench.bench_analysis
	$(BIN)/python -m bench.bench_portal
	$(BIN)/python -m bench.bench_command
	$(BIN)/python -m bench.bench_map
	$(BIN)/python -m bench.bench_meetings_pages
	$(BIN)/python -m bench.bench_browser
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.load --think 0 --seconds 30
	$(BIN)/python -m bench.load --map demo --think 0 --seconds 30
	$(BIN)/python -m bench.bench_pages --map demo
	$(BIN)/python -m bench.bench_pages --map national

## lock: pin the dependencies of pyproject.toml (all extras) in requirements.lock
lock: install-dev
	$(BIN)/pip-compile -q --extra dev --extra production --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache

## messages: refresh the translation catalogues after changing UI text
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 -k lazy_pgettext:1c,2 --ignore-dirs='.*' -o /tmp/samverkan-messages.pot .
	$(BIN)/pybabel update -i /tmp/samverkan-messages.pot -d portal/translations
