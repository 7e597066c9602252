# callsync: `make run` starts the app, `make test` runs the tests. Both install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

## run: web (gunicorn, 127.0.0.1:8000), a Celery worker and beat (and the Salesforce sandbox
## when no Salesforce credentials are set); Ctrl-C stops them all.
run: export DJANGO_DEBUG ?= true
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py ensure_admin
	scripts/run-app.sh

## test: the import contracts (.importlinter, docs/architecture.md), then the whole suite against
## real PostgreSQL and Redis on 127.0.0.1 (started if stopped).
test: $(VENV)/.installed-dev
	$(BIN)/lint-imports
	scripts/test-services.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: prints figures (never asserted): webhook ingest, the Salesforce sync, in-call latency, redaction.
bench: $(VENV)/.installed-dev
	scripts/test-services.sh
	$(BIN)/python bench/ingest.py $(INGEST_ARGS)
	$(BIN)/python bench/sync.py $(SYNC_ARGS)
	$(BIN)/python bench/in_call.py $(IN_CALL_ARGS)
	$(BIN)/python bench/redaction.py $(REDACTION_ARGS)

migrate: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --no-input

clean:
	rm -rf $(VENV) var .pytest_cache
