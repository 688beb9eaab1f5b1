"""Resuming a learner checkpoint on another number of ranks (real Ray ranks, gloo, DeepSpeed's universal
checkpoint): the resumed step matches the uninterrupted run, Adam's step count and the LR schedule carry over,
and a checkpoint of another ZeRO stage is refused before anything loads."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from reasonrl.trainer import reshard
from reasonrl.trainer.ds_config import build_ds_config
from reasonrl.trainer.learner import CHECKPOINT_TAG
from reasonrl.trainer.learner_group import LearnerActor
from reasonrl.trainer.types import Batch, LearnerConfig, LossConfig
from tests.trainer.test_learner import learner_cfg, make_batches

ray = pytest.importorskip("ray")
pytest.importorskip("deepspeed")


class ReshardingActor(LearnerActor):
    """A learner rank that loads through `reshard`, as LearnerRank.load will once it calls it."""

    def reshard_load(self, folder: Path, scratch: Path) -> int:
        rank = self.rank
        client = reshard.load_checkpoint(rank.engine, folder / "learner", CHECKPOINT_TAG, rank.cfg.zero_stage, scratch)
        rank.step = int(client["step"])
        return rank.step

    def adam_steps(self) -> list[int]:
        optimizer = self.rank.engine.optimizer
        base = getattr(optimizer, "optimizer", optimizer)  # ZeRO wraps torch's AdamW
        return sorted({int(state["step"]) for state in base.state.values()})


class Ranks:
    """`world` ReshardingActors in one process group (LearnerGroup's set-up, with the actor class above)."""

    def __init__(self, cfg: LearnerConfig, world: int) -> None:
        ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
        actor = ray.remote(ReshardingActor)
        self.actors = [actor.options(num_cpus=0.5).remote(1) for _ in range(world)]
        addr, port = ray.get(self.actors[0].address.remote())
        ray.get([a.setup.remote(cfg, LossConfig(), r, world, addr, port) for r, a in enumerate(self.actors)])

    def all(self, method: str, *args: Any) -> list[Any]:
        return ray.get([getattr(a, method).remote(*args) for a in self.actors], timeout=300)

    def train(self, batch: Batch) -> dict[str, float]:
        return self.all("call", "train", batch)[0]

    def shutdown(self) -> None:
        for actor in self.actors:
            ray.kill(actor, no_restart=True)


def _cfg(model: Path, stage: int) -> LearnerConfig:
    return learner_cfg(model, zero_stage=stage, warmup_steps=3, schedule="cosine", total_steps=10)


@pytest.mark.parametrize(("stage", "saved_world", "resumed_world"), [(2, 2, 1), (3, 1, 2), (0, 2, 1)])
def test_resume_on_another_world_continues_the_run(
    ray_cluster: None, tiny_model_dir: Path, tmp_path: Path, stage: int, saved_world: int, resumed_world: int
) -> None:
    batches = make_batches(vocab=2000, steps=3)
    cfg = _cfg(tiny_model_dir, stage)
    first = Ranks(cfg, saved_world)
    try:
        for batch in batches[:2]:
            first.train(batch)
        first.all("call", "save", tmp_path / "ckpt")
        want = first.train(batches[2])
        want_weights = first.all("call", "gather_weights")[0]
    finally:
        first.shutdown()
    assert reshard.saved_layout(tmp_path / "ckpt" / "learner", CHECKPOINT_TAG) == reshard.SavedLayout(
        saved_world, stage
    )

    second = Ranks(cfg, resumed_world)
    try:
        assert second.all("reshard_load", tmp_path / "ckpt", tmp_path / "scratch") == [2] * resumed_world
        assert second.all("adam_steps") == [[4]] * resumed_world  # 2 steps x 2 mini-batches
        got = second.train(batches[2])
        got_weights = second.all("call", "gather_weights")[0]
    finally:
        second.shutdown()
    assert not (tmp_path / "scratch" / reshard.UNIVERSAL_FOLDER).exists()
    assert got["train/lr"] == want["train/lr"] > 0  # the scheduler resumed mid-schedule, past warm-up
    assert got["train/loss"] == pytest.approx(want["train/loss"], rel=1e-5)
    assert got_weights.keys() == want_weights.keys()
    worst = max(float((got_weights[k] - want_weights[k]).abs().max()) for k in got_weights)
    assert worst < 1e-6


def test_a_checkpoint_of_another_zero_stage_is_refused_before_loading(
    ray_cluster: None, tiny_model_dir: Path, tmp_path: Path
) -> None:
    ranks = Ranks(_cfg(tiny_model_dir, 2), 1)
    try:
        ranks.all("call", "save", tmp_path / "ckpt")
    finally:
        ranks.shutdown()
    wrong = Ranks(_cfg(tiny_model_dir, 3), 1)
    try:
        with pytest.raises(ray.exceptions.RayTaskError, match=r"learner.zero_stage is 3.*ZeRO stage 2"):
            wrong.all("reshard_load", tmp_path / "ckpt", tmp_path / "scratch")
        assert wrong.all("adam_steps") == [[]]  # nothing was loaded
    finally:
        wrong.shutdown()
    learner_dir = tmp_path / "ckpt" / "learner"
    saved = reshard.saved_layout(learner_dir, CHECKPOINT_TAG)
    with pytest.raises(ValueError, match=r"set learner.zero_stage: 2 to resume it"):
        reshard.needs_conversion(saved, 2, 3, learner_dir)
    assert reshard.needs_conversion(saved, 1, 2, learner_dir) is False
    assert reshard.needs_conversion(saved, 3, 2, learner_dir) is True
    assert reshard.needs_conversion(reshard.SavedLayout(2, 0), 1, 0, learner_dir) is False


def test_universal_loading_stays_off_and_a_user_json_cannot_turn_it_on(tmp_path: Path) -> None:
    assert build_ds_config(LearnerConfig(model="m", zero_stage=2), "float32")["checkpoint"] == {"load_universal": False}
    user = tmp_path / "ds.json"
    user.write_text(json.dumps({"checkpoint": {"load_universal": True}}))
    with pytest.raises(ValueError, match="learner.deepspeed_config: .* sets checkpoint.load_universal"):
        build_ds_config(LearnerConfig(model="m", zero_stage=2, deepspeed_config=str(user)), "float32")
