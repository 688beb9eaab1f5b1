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

# The CPU demo: build a tiny model, warm it up on worked solutions, then GRPO in the local topology
# (a private Ray, 2 DeepSpeed ranks under ZeRO-2, a rollout worker, the reward pool). Last line:
# `eval_accuracy: A -> B` (held-out pass@1 of the warmed-up model and of the trained one, in percent).
DEMO := runs/demo
demo: $(VENV)/.installed
	rm -rf $(DEMO)
	$(VENV)/bin/reasonrl init-model --out $(DEMO)/base --size tiny --seed 0
	OMP_NUM_THREADS=2 $(VENV)/bin/reasonrl sft --model $(DEMO)/base --out $(DEMO)/sft-model \
		--families int_expression,modular,gcd_lcm --difficulty 1 --problems 19200 --steps 600 --lr 3e-3 --batch-size 32
	OMP_NUM_THREADS=1 $(VENV)/bin/reasonrl train debug-cpu --run-dir $(DEMO)/rl

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 --dist loadfile -q

bench: $(VENV)/.installed-bench
	OMP_NUM_THREADS=$(THREADS) $(PY) bench/problems.py
	OMP_NUM_THREADS=$(THREADS) $(PY) bench/rewards.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info
