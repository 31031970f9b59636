# refs — run `make help` for the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.DEFAULT_GOAL := help
.PHONY: help setup test lint format bench clean-venv

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/refs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(BIN)/refs

setup: $(BIN)/refs  ## create .venv and install refs with its dev tools

lint: setup  ## ruff and mypy --strict
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint  ## lint, then the whole test suite (tests needing ../shared skip without it)
	$(BIN)/pytest -q

format: setup  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: setup  ## benchmarks: accuracy and speed tables (reads ../shared; peers when installed)
	-$(BIN)/python -m pip install --quiet -e '.[bench]' 2>/dev/null
	$(BIN)/python -m benchmarks --shared $(SHARED)

clean-venv:  ## remove .venv
	rm -rf $(VENV)
