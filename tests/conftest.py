"""Shared fixtures: one tiny model + tokenizer, built once per test session by `init_model`."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonrl.launch.tiny_model import init_model


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved tiny Llama model (seed 0) with its tokenizer and chat template; treat it as read-only."""
    out = tmp_path_factory.mktemp("tiny-model") / "model"
    init_model(out, size="tiny", seed=0)
    return out
