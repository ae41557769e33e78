# Two commands do all set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: demo test test-fast lint format clean

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

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/python -m sklearn_seqae.demo

test: $(VENV)/.installed-test
	$(BIN)/ruff check sklearn_seqae tests examples bench
	$(BIN)/ruff format --check sklearn_seqae tests examples bench
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=15 \
		--ignore=tests/test_backends.py
	# The backend subset on JAX, with two logical CPU devices for devices=2.
	KERAS_BACKEND=jax XLA_FLAGS=--xla_force_host_platform_device_count=2 \
		$(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests/test_backends.py

# The tests that build no model (input reading, validation, the catalogue of
# bad inputs, docstrings, the package's shape): seconds, with Keras out of
# reach (a test marked no_model that reaches it fails).
test-fast: $(VENV)/.installed-test
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/python -m pytest -m no_model -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check sklearn_seqae tests examples bench

format: $(VENV)/.installed-test
	$(BIN)/ruff format sklearn_seqae tests examples bench
	$(BIN)/ruff check --fix sklearn_seqae tests examples bench

clean:
	rm -rf $(VENV) build *.egg-info

# Builds the HTML docs with warnings as errors; the gallery runs every
# example at its small size.
docs: $(VENV)/.installed-docs
	rm -rf docs/_build docs/auto_examples docs/gen_modules
	SEQAE_GALLERY_SMALL=1 TF_CPP_MIN_LOG_LEVEL=3 MPLBACKEND=Agg \
		$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

.PHONY: bench bench-quick docs
# Benchmarks (bench/run.py): tables and plots under bench/results/; the full
# run also rewrites the README's headline table and docs/benchmarks.md. The bench extra brings sktime (data
# sets, MiniRocket) and dtaidistance (DTW). ONLY=features runs one benchmark.
bench: $(VENV)/.installed-bench
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/python bench/run.py --mode full $(if $(ONLY),--only $(ONLY))

bench-quick: $(VENV)/.installed-bench
	TF_CPP_MIN_LOG_LEVEL=3 $(BIN)/python bench/run.py --mode quick $(if $(ONLY),--only $(ONLY))
