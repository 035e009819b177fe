# satupintu — `make run` serves the demo regency on SQLite, `make test` runs the whole suite.
# Everything else (Python packages, uv itself) is installed into the checkout: .tools/ and .venv/.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k organisation -x"`.
PYTEST_ARGS ?=
# pytest-xdist worker processes for `make test` and the database runs of `make test-service`
# (auto: one per CPU core; 0 runs in one process). With `--dist loadgroup` tests/conftest.py's
# scheduler gives all of tests/e2e/ to one worker, first, so their server and browser start once.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist loadgroup

# The first interpreter that really runs and is 3.12 or newer. pyenv shims answer `command -v`
# even when that version is not selected, so each candidate is executed, not just looked up.
# An explicit `make PYTHON=/path/to/python3.12 ...` wins.
define FIND_PYTHON
if [ -n "$${PYTHON:-}" ]; then candidates="$$PYTHON"; else \
  candidates="python3.13 python3.12 $$(ls -1d /root/.pyenv/versions/3.1[23].*/bin/python 2>/dev/null | sort -rV)"; fi; \
for candidate in $$candidates; do \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    "$$candidate" -c 'import sys; print(sys.executable)'; exit 0; fi; \
done; \
echo "satupintu needs Python 3.12 or newer; install it with 'apt-get install python3.12' (Debian 13 / Ubuntu 24.04)," >&2; \
echo "'pyenv install 3.12' or from https://www.python.org/downloads/, then run make again (or make PYTHON=/path/to/python3.12)." >&2; \
exit 1
endef

# uv, pinned, in its own small venv so the system Python stays untouched.
define BOOTSTRAP_UV
if [ "$$($(UV) --version 2>/dev/null | cut -d' ' -f2)" != "$(UV_VERSION)" ]; then \
  python="$$($(FIND_PYTHON))"; \
  echo "==> uv $(UV_VERSION) ke $(TOOLS)/ (Python: $$python)"; \
  rm -rf $(TOOLS); "$$python" -m venv $(TOOLS); \
  $(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"; \
fi
endef

# .venv from uv.lock (with the dev group). A working .venv on 3.12+ is kept as it is: giving uv
# another interpreter would make it rebuild the venv under anyone who is using it.
# Extras chosen once (`make setup-mysql`) are remembered in $(EXTRAS_FILE) and kept by every later
# sync (`make lint`, `make test`, ...): a plain `uv sync` would uninstall them.
EXTRAS_FILE := $(VENV)/.satupintu-extras
define SYNC
$(BOOTSTRAP_UV); \
if $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
  python="$(CURDIR)/$(PY)"; else python="$$($(FIND_PYTHON))"; fi; \
extras="$$(cat $(EXTRAS_FILE) 2>/dev/null || true)"; \
UV_PYTHON="$$python" $(UV) sync --frozen --quiet $$extras
endef

.PHONY: help setup setup-mysql run test test-service lint fmt bench messages clean

help:
	@echo "satupintu — perintah utama:"
	@echo "  make run           siapkan .venv, migrasi, muat demo OKU, jalankan web + worker di http://$(HOST):$(PORT)"
	@echo "  make test          siapkan .venv lalu jalankan seluruh tes (unit + e2e bila Chromium ada)"
	@echo "  make test-service  tes terhadap PostgreSQL, MariaDB dan Redis sungguhan"
	@echo "  make lint | fmt    ruff check + format --check | format"
	@echo "  make bench         tabel benchmark"
	@echo "  make messages      perbarui dan kompilasi terjemahan (locale/en)"
	@echo "  make clean         hapus .venv, .tools, var/ dan cache"

setup:
	@$(SYNC)

setup-mysql:
	@$(SYNC) --extra mysql
	@echo "--extra mysql" > $(EXTRAS_FILE)

run: setup
	$(MANAGE) migrate --noinput
	@if ! $(MANAGE) shell --no-imports -c "import sys; from satupintu.core.models import Region; \
		sys.exit(0 if Region.objects.exists() else 1)" 2>/dev/null; then \
		$(MANAGE) import_regions; fi
	$(MANAGE) load_demo
	@echo "==> satupintu berjalan di http://$(HOST):$(PORT)/, gerbang integrasi di http://$(HOST):8081/r1/ (Ctrl-C untuk berhenti)"
	@$(MANAGE) run_worker & worker=$$!; \
	$(MANAGE) run_gateway & gateway=$$!; \
	trap 'kill -TERM $$worker $$gateway 2>/dev/null || true; wait $$worker $$gateway 2>/dev/null || true' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# -ra (pyproject addopts) prints the reason of every skipped test at the end of the run;
# --durations lists the slowest tests, to keep the suite fast.
test: setup
	$(PY) -m pytest $(XDIST) --durations=10 $(PYTEST_ARGS)

# The service tier: the database-agnostic core/accounts tests plus tests/service/ on PostgreSQL
# and on MariaDB (each xdist worker gets its own test databases, suffixed _gw0, _gw1, ...), less
# the tests marked `embedded`, which start processes on their own SQLite installation whatever
# the server and so already ran in `make test`.
# The Redis run takes only the tests whose behaviour depends on the cache or task-queue backend,
# marked `redis` (the readiness checks, tests/service/test_redis.py): everything else would only
# repeat the PostgreSQL run on SQLite. Mark a new test `redis` when Redis could change its outcome.
# Locally an unreachable server is skipped with its reason; with CI=true it is a failure.
SERVICE_TESTS := src/satupintu/core src/satupintu/accounts tests/service
SERVICE_PG_URL ?= postgres://postgres@127.0.0.1:5432/satupintu_ci
SERVICE_PG_DATASTORE_URL ?= postgres://postgres@127.0.0.1:5432/satupintu_ci_datastore
SERVICE_MYSQL_URL ?= mysql://root@127.0.0.1:3306/satupintu_ci
SERVICE_MYSQL_DATASTORE_URL ?= mysql://root@127.0.0.1:3306/satupintu_ci_datastore
SERVICE_REDIS_URL ?= redis://127.0.0.1:6379/15

# $(call SERVICE_RUN,name,url to probe,environment,pytest arguments)
define SERVICE_RUN
echo "==> $(1)"; \
if reason="$$($(PY) tests/service/probe.py $(2))"; then \
  if ! env $(3) $(PY) -m pytest $(4) $(PYTEST_ARGS); then failed="$$failed $(1)"; fi; \
elif [ "$${CI:-}" = "true" ]; then \
  echo "GAGAL: $(1) tidak dapat dihubungi: $$reason"; failed="$$failed $(1)"; \
else echo "LEWATI: $(1) tidak dapat dihubungi: $$reason"; fi
endef

test-service: setup-mysql
	@failed=""; \
	$(call SERVICE_RUN,PostgreSQL,$(SERVICE_PG_URL),SATUPINTU_DATABASE_URL=$(SERVICE_PG_URL) SATUPINTU_DATASTORE_URL=$(SERVICE_PG_DATASTORE_URL),$(XDIST) -m "not embedded" $(SERVICE_TESTS)); \
	$(call SERVICE_RUN,MariaDB,$(SERVICE_MYSQL_URL),SATUPINTU_DATABASE_URL=$(SERVICE_MYSQL_URL) SATUPINTU_DATASTORE_URL=$(SERVICE_MYSQL_DATASTORE_URL),$(XDIST) -m "not embedded" $(SERVICE_TESTS)); \
	$(call SERVICE_RUN,Redis,$(SERVICE_REDIS_URL),SATUPINTU_REDIS_URL=$(SERVICE_REDIS_URL),-m redis $(SERVICE_TESTS)); \
	if [ -n "$$failed" ]; then echo "Tes layanan gagal:$$failed"; exit 1; fi

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

fmt: setup
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

bench: setup
	$(PY) bench/run.py

# makemessages needs GNU gettext (apt-get install gettext); the compiled .mo files are committed,
# so a fresh machine does not need it just to run.
messages: setup
	cd src/satupintu && ../../$(PY) ../../manage.py makemessages --locale en --ignore 'tests/*' --no-obsolete
	cd src/satupintu && ../../$(PY) ../../manage.py compilemessages --locale en

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .ruff_cache
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} +
