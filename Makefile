# refs — run `make help` for the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.DEFAULT_GOAL := help
.PHONY: help setup test lint format bench train-parser train-matcher clean-venv

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

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

train-parser: setup  ## retrain the reference tagger from $(SHARED)/data/parsing (seed 13, ~5-10 min)
	$(BIN)/python -m refs.training.parser --shared $(SHARED) --out src/refs/parse/learned/model.crfsuite --seed 13

train-matcher: setup  ## refit the matcher's calibrated confidence on $(SHARED)/data/matching (~1 min)
	$(BIN)/python -m refs.training.matcher --shared $(SHARED) --index bench-out/eval-index.sqlite

clean-venv:  ## remove .venv
	rm -rf $(VENV)
