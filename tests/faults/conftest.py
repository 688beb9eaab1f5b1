"""A fault-free run of the fault tests' config, once per session: what every faulted run must match."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import Run

pytest.importorskip("deepspeed")
pytest.importorskip("ray")

STEPS = 6


@pytest.fixture(scope="session")
def reference_run(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    run_dir = tmp_path_factory.mktemp("reference") / "run"
    run = Run.start(tiny_model_dir, run_dir, steps=STEPS)
    assert run.wait() == 0, run.output[-3000:]
    return run_dir
