# Two commands do all set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: demo test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/python -m sklearn_seqae.demo

test: $(VENV)/.installed-test
	$(BIN)/ruff check sklearn_seqae tests examples
	$(BIN)/ruff format --check sklearn_seqae tests examples
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=10

lint: $(VENV)/.installed-test
	$(BIN)/ruff check sklearn_seqae tests examples

format: $(VENV)/.installed-test
	$(BIN)/ruff format sklearn_seqae tests examples
	$(BIN)/ruff check --fix sklearn_seqae tests examples

clean:
	rm -rf $(VENV) build *.egg-info

.PHONY: bench bench-quick
bench: $(VENV)/.installed
	$(BIN)/python bench/seq2seq.py --mode full

bench-quick: $(VENV)/.installed
	$(BIN)/python bench/seq2seq.py --mode quick
