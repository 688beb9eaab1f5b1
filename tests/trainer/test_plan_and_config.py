"""Pure pieces of the learner: the step plan, the LR schedule, the generated DeepSpeed config."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from reasonrl.trainer.ds_config import build_ds_config
from reasonrl.trainer.schedule import lr_lambda
from reasonrl.trainer.step_plan import plan_mini_batches, rank_share
from reasonrl.trainer.types import Batch, LearnerConfig, LossConfig


def test_mini_batches_cover_the_batch_once_per_epoch_and_reshuffle() -> None:
    plan = plan_mini_batches(10, mini_batches=3, epochs=2, seed=0, step=5)
    assert len(plan) == 6 and [len(m) for m in plan] == [3, 3, 4, 3, 3, 4]
    for epoch in (plan[:3], plan[3:]):
        assert sorted(i for m in epoch for i in m) == list(range(10))
    assert plan[:3] != plan[3:]
    assert plan == plan_mini_batches(10, mini_batches=3, epochs=2, seed=0, step=5)
    assert plan_mini_batches(4, 1, 1, 0, 0) == [[0, 1, 2, 3]]
    with pytest.raises(ValueError, match="mini_batches"):
        plan_mini_batches(2, 3, 1, 0, 0)


def test_rank_shares_partition_a_mini_batch_by_tokens() -> None:
    costs = [100, 1, 1, 1, 98, 3]
    shares = [rank_share([0, 1, 2, 3, 4, 5], costs, world=2, rank=r) for r in range(2)]
    assert sorted(shares[0] + shares[1]) == list(range(6))
    assert abs(sum(costs[i] for i in shares[0]) - sum(costs[i] for i in shares[1])) <= 3


def test_schedule_warms_up_then_decays_to_the_floor() -> None:
    cfg = LearnerConfig(model="m", warmup_steps=4, schedule="cosine", total_steps=14, min_lr_ratio=0.1)
    f = lr_lambda(cfg)
    assert [f(s) for s in range(4)] == [0.25, 0.5, 0.75, 1.0]
    assert f(9) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 0.5)))
    assert f(14) == pytest.approx(0.1) and f(100) == pytest.approx(0.1)
    assert lr_lambda(LearnerConfig(model="m"))(50) == 1.0


def test_deepspeed_config_follows_the_learner_and_a_user_json_wins(tmp_path: Path) -> None:
    cfg = LearnerConfig(model="m", zero_stage=3, offload_optimizer=True, offload_params=True, grad_clip=0.5)
    ds = build_ds_config(cfg, "bfloat16")
    assert ds["zero_optimization"]["stage"] == 3 and ds["bf16"]["enabled"] and ds["gradient_clipping"] == 0.5
    assert ds["zero_optimization"]["offload_param"]["device"] == "cpu"
    assert ds["managed_gradient_accumulation"] is False
    user = tmp_path / "ds.json"
    user.write_text(json.dumps({"zero_optimization": {"reduce_bucket_size": 1000}, "gradient_clipping": 2.0}))
    merged = build_ds_config(LearnerConfig(model="m", zero_stage=2, deepspeed_config=str(user)), "float32")
    assert merged["zero_optimization"] == {"stage": 2, "reduce_bucket_size": 1000}
    assert merged["gradient_clipping"] == 2.0
    user.write_text("[1, 2]")
    with pytest.raises(ValueError, match="deepspeed_config"):
        build_ds_config(LearnerConfig(model="m", deepspeed_config=str(user)), "float32")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"zero_stage": 4}, "zero_stage"),
        ({"offload_params": True, "zero_stage": 2}, "offload_params needs zero_stage 3"),
        ({"mini_batches": 0}, "mini_batches"),
        ({"schedule": "linear"}, "schedule"),
    ],
)
def test_bad_learner_settings_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        LearnerConfig(model="m", **kwargs)


def test_bad_loss_settings_and_ragged_batches_are_refused() -> None:
    with pytest.raises(ValueError, match="dual_clip"):
        LossConfig(dual_clip=0.5)
    with pytest.raises(ValueError, match="sequence 0 has 2 completion ids but 1 logprobs"):
        Batch([[1]], [[2, 3]], [[-1.0]], [0.5])
    with pytest.raises(ValueError, match="advantages"):
        Batch([[1]], [[2]], [[-1.0]], [])
