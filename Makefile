# Every target bootstraps .venv inside the repo from PyPI, so a brand-new machine with only Python works.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: setup serve test unit lint format bench contract contract-report clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,contract]'
	touch $(STAMP)

serve: $(STAMP)
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
