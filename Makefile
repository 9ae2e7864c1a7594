# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# DEMO=0 make run: start without the small demo network.
DEMO ?= 1

.PHONY: run test lint system-packages messages translations bench install clean-venv

# Finds a Python >= 3.12: python3.13/python3.12/python3 on the PATH, then pyenv's versions.
define FIND_PYTHON
ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
for c in python3.13 python3.12 python3; do \
  p=$$(command -v $$c 2>/dev/null) && ok "$$p" && { echo "$$p"; exit 0; }; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for v in $$(pyenv versions --bare 2>/dev/null | sort -rV); do \
    p="$$(pyenv root)/versions/$$v/bin/python"; ok "$$p" && { echo "$$p"; exit 0; }; \
  done; \
fi; \
exit 1
endef
export FIND_PYTHON

$(PY):
	@base=$$(bash -c "$$FIND_PYTHON") || { \
	  echo "Python 3.12 ou plus récent est introuvable (python3.13, python3.12, pyenv)." >&2; \
	  echo "Python >= 3.12 not found: install it (e.g. 'pyenv install 3.12') and re-run." >&2; \
	  exit 1; }; \
	echo "Creating $(VENV) with $$base"; \
	"$$base" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) messages

# Compiles locale/*.po into .mo with polib: no GNU gettext needed.
messages: $(STAMP)
	@$(PY) -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-3] + '.mo') for p in glob.glob('locale/*/LC_MESSAGES/*.po')]"

# Extracts translatable strings into locale/en (needs GNU gettext; for developers only).
translations: $(STAMP)
	$(PY) manage.py makemessages -l en --no-location --no-wrap --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=test-artifacts

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py setup_local
	@if [ "$(DEMO)" != "0" ]; then $(PY) manage.py seed_demo --places 40 --if-empty; fi
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What the tests need from the system: Debian's Chromium (browser tests), nginx (private files
# behind X-Accel-Redirect) and Pango (WeasyPrint's PDFs). Installed here when we are root on
# Debian (as on CI); elsewhere the exact command is printed and browser and nginx tests are
# skipped (REQUIRE_BROWSER=1 and REQUIRE_NGINX=1 turn that into a failure).
SYSTEM_PACKAGES := chromium nginx-light libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
system-packages:
	@missing=""; \
	if [ -z "$$CHROMIUM_PATH" ] && ! command -v chromium >/dev/null 2>&1; then missing="chromium"; fi; \
	if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then missing="$$missing nginx-light"; fi; \
	if command -v dpkg >/dev/null 2>&1 && ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null 2>&1; then \
	  missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; fi; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing$$missing (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
	  echo "Missing system packages:$$missing. Install them with: sudo apt-get install$$missing" >&2; \
	fi

test: install lint system-packages
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# make bench [PLACES=100000] [BENCH_ARGS="--duration 10"]; compare two results:
# make bench BENCH_ARGS="--compare bench/results/A.json bench/results/B.json"
PLACES ?= 10000
bench: install
	$(PY) bench/run.py --places $(PLACES) $(BENCH_ARGS)

clean-venv:
	rm -rf $(VENV)
