"""Per-parameter learning rates: `learner.lr_multipliers` gives the matched weights their own rate on every
ZeRO stage, and a pattern that matches nothing is refused instead of silently training at the base rate."""

from __future__ import annotations

from pathlib import Path

import pytest
from torch import nn

from reasonrl.launch.config import ConfigError, load_config, to_learner_config
from reasonrl.trainer.learner_group import LocalLearnerGroup
from reasonrl.trainer.optimizer import param_groups
from reasonrl.trainer.types import LearnerConfig, LossConfig
from tests.trainer.test_learner import make_batches

pytest.importorskip("deepspeed")


class TwoLayers(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Linear(4, 4)
        self.norm = nn.LayerNorm(4)


def test_first_matching_pattern_sets_the_rate_and_the_rest_keep_the_base() -> None:
    groups = param_groups(TwoLayers(), 0.1, {r"norm\.weight": 10.0, "norm": 3.0})
    rates = sorted((g["lr"], sum(p.numel() for p in g["params"])) for g in groups)
    assert rates == [(0.1, 20), pytest.approx((0.3, 4)), pytest.approx((1.0, 4))]


def test_a_pattern_that_matches_nothing_names_the_parameters() -> None:
    with pytest.raises(ValueError, match=r"learner.lr_multipliers: \['lm_head'\] match no parameter.*body.weight"):
        param_groups(TwoLayers(), 0.1, {"lm_head": 2.0})


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ('learner.lr_multipliers={"(norm": 2}', r"learner.lr_multipliers: key '\(norm' is not a regular expression"),
        ("learner.lr_multipliers={norm: 0}", "learner.lr_multipliers.norm: must be > 0"),
    ],
)
def test_bad_multipliers_are_config_errors(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config("debug-cpu", [override])


@pytest.mark.parametrize("stage", [0, 2])
def test_matched_weights_move_at_their_own_rate(stage: int, tiny_model_dir: Path) -> None:
    """Adam's first step moves every weight by lr * sign(grad), so the largest change in each group is its rate."""
    lr, mult = 1e-4, 50.0
    loaded = load_config(
        "debug-cpu", [f"model.path={tiny_model_dir}", "learner.lr_multipliers={'model\\.norm\\.': 50}"]
    )
    assert to_learner_config(loaded).lr_multipliers == {r"model\.norm\.": mult}
    cfg = LearnerConfig(
        model=str(tiny_model_dir), lr=lr, lr_multipliers={r"model\.norm\.": mult}, zero_stage=stage,
        micro_token_budget=64, logprob_chunk=16,
    )  # fmt: skip
    group = LocalLearnerGroup(cfg, LossConfig())
    try:
        before = group.named_weights()
        group.train(make_batches(vocab=2000, steps=1)[0])
        after = group.named_weights()
    finally:
        group.shutdown()
    moved = {name: float((after[name] - before[name]).abs().max()) for name in before}
    assert moved["model.norm.weight"] == pytest.approx(lr * mult, rel=1e-3)
    others = [v for name, v in moved.items() if name != "model.norm.weight"]
    assert max(others) == pytest.approx(lr, rel=1e-3)
