# QueQuan 确权助手 — the documented way to set up, test, run the demo, benchmark and package.
SHELL := /bin/bash
PY := .venv/bin/python
export PYTHONPATH := $(CURDIR)/build/pkg
export QT_QPA_PLATFORM ?= offscreen
export QGIS_CUSTOM_CONFIG_PATH := $(CURDIR)/build/qgis-config
PLOTS ?= 3000
SEED ?= 1

.PHONY: setup demo test test-e2e bench package translations clean

setup:
	@bash tools/setup.sh

demo: setup translations
	@$(PY) -m quequan.cli demo --out out --plots $(PLOTS) --seed $(SEED)

test: setup translations
	@$(PY) -m pytest

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

translations:
	@for ts in i18n/*.ts; do lrelease -silent "$$ts" -qm "$${ts%.ts}.qm" >/dev/null || exit 1; done

package: translations
	@bash tools/package.sh

clean:
	rm -rf build dist out .pytest_cache
