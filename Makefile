# Two commands set everything up on a fresh machine: `make run` and `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
PORT    ?= 5000
HOST    ?= 127.0.0.1
PG_URL  ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the app runs: Ghostscript renders the CMYK calendar's ink check and proofs.
APP_DEBS := ghostscript
# Debian packages the tests drive: Chromium (browser tests), PDF checkers (calendar tests),
# nginx and openssl (`nginx -t` of deploy/), the PostgreSQL client (backups).
DEBS    := chromium qpdf poppler-utils nginx openssl postgresql-client $(APP_DEBS)
export FLASK_APP := contest

.PHONY: run test test-postgres install install-test system-deps app-deps translations lint bench clean

## Install the app and what it runs on (gunicorn, psycopg, redis) into .venv: production.
## Again only when setup.cfg changes. The checkout stays the app's home (templates, static).
$(BIN)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

## The test tools on top (pytest, Playwright, ruff, ...): for `make test`, never production.
$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed translations

install-test: $(BIN)/.installed-test translations

translations: $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -d contest/translations 2>&1 | tail -n 1

## A local secret key, made once per installation and kept in the git-ignored instance folder.
## Everything `make run` writes there (key, databases, outbox, uploads) is private: umask 077.
instance/config.py:
	umask 077; mkdir -p instance && chmod 700 instance
	umask 077; $(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@

## Start the app on SQLite in instance/, with demo data on an empty database, and the
## background job worker beside it (stopped with the app).
run: install app-deps instance/config.py
	umask 077; $(BIN)/flask db upgrade
	umask 077; $(BIN)/flask regions sync
	umask 077; $(BIN)/flask demo --if-empty
	@echo "Open http://$(HOST):$(PORT) — demo logins are on the sign-in page."
	umask 077; $(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEMO_MODE=1 $(BIN)/flask run --host $(HOST) --port $(PORT)

# Install those of the Debian packages given ($(1)) that are missing.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

app-deps:
	$(call apt_install,$(APP_DEBS))

system-deps:
	$(call apt_install,$(DEBS))

## The whole suite on SQLite (two workers).
test: install-test system-deps
	$(BIN)/pytest -n 2 -q

## The whole suite against PostgreSQL (one worker: the tests share one database).
test-postgres: install-test system-deps
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	for b in bench/*.py; do m=$$(basename $$b .py); echo "== bench.$$m"; $(BIN)/python -m bench.$$m || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
