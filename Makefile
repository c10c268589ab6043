# Every target bootstraps .venv inside the repo from PyPI, so a brand-new machine with only Python works.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Runtime-only install (`pip install -e .`): what `make serve` needs, ~5 packages instead of
# the dev and contract tool chain (pytest, ruff, playwright, schemathesis, the SDKs).
RUNTIME_STAMP := $(VENV)/.installed-runtime
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: help setup serve test unit lint format bench contract contract-report clean

help:
	@echo 'mockscim make targets (each creates .venv on first use):'
	@echo '  make serve            run the mock on http://$(HOST):$(PORT) (HOST=, PORT=); installs only the runtime dependencies'
	@echo '  make setup            install the package with its dev and contract extras into .venv'
	@echo '  make test             lint + unit + contract (what CI runs)'
	@echo '  make unit             the pytest suite'
	@echo '  make lint             ruff check + ruff format --check'
	@echo '  make format           ruff fix + format'
	@echo '  make contract         contract suites (TARGET=inprocess|http://host:port|stytch-live|ssoready-live, DEEP=1)'
	@echo '  make contract-report  diff two contract runs (LEFT=, RIGHT=)'
	@echo '  make bench            benchmarks, as ratios in one run'
	@echo '  make clean            remove .venv, build/ and caches'
	@echo '  make help             this list'

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,contract]'
	touch $(STAMP) $(RUNTIME_STAMP)

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

serve: $(RUNTIME_STAMP)
	$(BIN)/mockscim serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

unit: $(STAMP)
	$(BIN)/python -m pytest -q

test: lint unit contract

# Contract suites (docs/contract.md): TARGET=inprocess|http://host:port|stytch-live|ssoready-live,
# DEEP=1 for the deep schemathesis budget, VENDOR_OPENAPI=DIR to also fuzz against the vendors'
# own OpenAPI documents in DIR. JUnit, case counts and results go to build/contract/.
TARGET ?= inprocess
TARGET_SLUG = $(shell echo '$(TARGET)' | tr 'A-Z' 'a-z' | sed -E 's/[^a-z0-9]+/-/g; s/^-+|-+$$//g')

contract: $(STAMP)
	mkdir -p build/contract
	MOCKSCIM_TARGET='$(TARGET)' $(BIN)/python -m pytest contract_tests -q -p no:cacheprovider \
		--junitxml=build/contract/junit-$(TARGET_SLUG).xml $(if $(DEEP),--deep) \
		$(if $(VENDOR_OPENAPI),--vendor-openapi '$(VENDOR_OPENAPI)')

# LEFT/RIGHT: results files of two contract runs (default: in-process vs stytch-live).
LEFT ?= build/contract/results-inprocess.json
RIGHT ?= build/contract/results-stytch-live.json
contract-report: $(STAMP)
	$(BIN)/mockscim contract diff '$(LEFT)' '$(RIGHT)' --out build/contract

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
