"""Shared fixtures: one tiny model + tokenizer, built once per test session by `init_model`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reasonrl.launch.tiny_model import init_model

# Ray 2.60 enables token authentication and keeps the token in ~/.ray; test clusters started at the same time
# by both xdist workers (and by subprocesses) would race to create it and reject each other's drivers. Private
# test clusters on one machine need no authentication.
os.environ["RAY_AUTH_MODE"] = "disabled"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved tiny Llama model (seed 0) with its tokenizer and chat template; treat it as read-only."""
    out = tmp_path_factory.mktemp("tiny-model") / "model"
    init_model(out, size="tiny", seed=0)
    return out


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """A fresh 2-CPU local Ray per test module, shut down after it, so no module inherits another's actors."""
    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()
