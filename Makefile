# Each target sets itself up on a fresh machine: a .venv, torch 2.13.0 (CPU, from the
# local wheel) before anything that could pull a CUDA build, then the project.
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
THREADS ?= 1

.PHONY: demo test bench lint clean

$(PY):
	python3 -m venv $(VENV)

$(VENV)/.torch: | $(PY)
	$(PY) -c "import torch" 2>/dev/null || $(PIP) install torch==2.13.0
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(PIP) install -e '.[dev]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[dev,bench]'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/reasonrl problems sample all --difficulty 3 -n 1

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 --dist loadfile -q

bench: $(VENV)/.installed-bench
	OMP_NUM_THREADS=$(THREADS) $(PY) bench/problems.py
	OMP_NUM_THREADS=$(THREADS) $(PY) bench/rewards.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info
