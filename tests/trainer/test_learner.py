"""The DeepSpeed learner on real Ray actors with gloo: ranks and ZeRO stages agree, resume is exact,
weights reach a rollout engine, checkpoints export. Shares one Ray cluster (the Makefile's --dist loadfile)."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
import torch

from reasonrl.rollout.engine_hf import TransformersEngine
from reasonrl.rollout.group import LocalRolloutGroup
from reasonrl.rollout.types import SamplingParams
from reasonrl.trainer.learner_group import LearnerGroup
from reasonrl.trainer.types import Batch, LearnerConfig, LossConfig

ray = pytest.importorskip("ray")
pytest.importorskip("deepspeed")

STEPS = 3


def make_batches(vocab: int, steps: int = STEPS, groups: int = 3, g: int = 4) -> list[Batch]:
    """Random prompts and completions of varied lengths with group-structured advantages."""
    rng = random.Random(0)
    batches = []
    for _ in range(steps):
        prompts, completions, logps, advantages = [], [], [], []
        for _ in range(groups):
            prompt = [rng.randrange(3, vocab) for _ in range(rng.randint(4, 12))]
            for _ in range(g):
                length = rng.randint(3, 20)
                prompts.append(prompt)
                completions.append([rng.randrange(3, vocab) for _ in range(length)])
                logps.append([-rng.uniform(5, 9) for _ in range(length)])
                advantages.append(rng.uniform(-1, 1))
        batches.append(
            Batch(prompts, completions, logps, advantages, group_index=[i // g for i in range(len(prompts))])
        )
    return batches


def learner_cfg(model: Path, **overrides: object) -> LearnerConfig:
    base = {"model": str(model), "lr": 1e-3, "mini_batches": 2, "micro_token_budget": 48, "logprob_chunk": 16}
    return LearnerConfig(**{**base, **overrides})


def run_steps(group: LearnerGroup, batches: list[Batch]) -> list[float]:
    return [group.train(b)["train/loss"] for b in batches]


@pytest.fixture(scope="module")
def batches(tiny_model_dir: Path) -> list[Batch]:
    return make_batches(vocab=2000)


@pytest.fixture(scope="module")
def single_rank(ray_cluster: None, tiny_model_dir: Path, batches: list[Batch]) -> tuple[list[float], dict]:
    group = LearnerGroup(learner_cfg(tiny_model_dir), LossConfig(), world=1)
    try:
        return run_steps(group, batches), group.named_weights()
    finally:
        group.shutdown()


@pytest.mark.parametrize("stage", [0, 2, 3])
def test_two_ranks_follow_the_single_rank_loss_curve(
    stage: int, tiny_model_dir: Path, batches: list[Batch], single_rank: tuple[list[float], dict]
) -> None:
    want_losses, want_weights = single_rank
    group = LearnerGroup(learner_cfg(tiny_model_dir, zero_stage=stage), LossConfig(), world=2)
    try:
        losses = run_steps(group, batches)
        weights = group.named_weights()
    finally:
        group.shutdown()
    assert losses == pytest.approx(want_losses, rel=1e-4, abs=1e-6)
    assert len(set(losses)) == len(losses)  # the policy moved between steps
    assert weights.keys() == want_weights.keys()
    worst = max(float((weights[k] - want_weights[k]).abs().max()) for k in weights)
    assert worst < 1e-4


def test_weights_reach_a_rollout_engine_and_change_its_outputs(
    ray_cluster: None, tiny_model_dir: Path, batches: list[Batch]
) -> None:
    rollout = LocalRolloutGroup(functools.partial(TransformersEngine, str(tiny_model_dir)))
    greedy = SamplingParams(temperature=0.0, max_new_tokens=8)
    before = [s.completion_ids for s in rollout.generate(["Compute 2+2."], 1, greedy)]
    group = LearnerGroup(learner_cfg(tiny_model_dir, lr=5e-2), LossConfig(), world=2)
    try:
        run_steps(group, batches[:2])
        packed = group.gather_weights(version=2)
        named = group.named_weights()
    finally:
        group.shutdown()
    rollout.workers[0].update_weights(2, packed)
    engine = rollout.workers[0].engine
    assert engine.weight_version == 2
    state = engine.model.state_dict()
    assert all(torch.equal(state[k], v) for k, v in named.items())
    after = [s.completion_ids for s in rollout.generate(["Compute 2+2."], 1, greedy)]
    assert after != before


def _max_diff(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> float:
    assert a.keys() == b.keys()
    return max(float((a[k] - b[k]).abs().max()) for k in a)


def test_resume_continues_exactly_and_the_checkpoint_exports(
    ray_cluster: None, tiny_model_dir: Path, tmp_path: Path
) -> None:
    from reasonrl.trainer.checkpoint import CheckpointManager
    from reasonrl.trainer.export import export_checkpoint

    batches = make_batches(vocab=2000, steps=4)
    cfg = learner_cfg(tiny_model_dir, zero_stage=2, warmup_steps=2, schedule="cosine", total_steps=10, epochs=2)
    straight = LearnerGroup(cfg, LossConfig(), world=2)
    try:
        run_steps(straight, batches)
        want = straight.named_weights()
    finally:
        straight.shutdown()

    manager = CheckpointManager(tmp_path / "run", keep_last=2)
    first = LearnerGroup(cfg, LossConfig(), world=2)
    try:
        run_steps(first, batches[:2])
        saved = manager.save(2, first.save, {"step": 2})
        at_two = first.named_weights()
    finally:
        first.shutdown()
    second = LearnerGroup(cfg, LossConfig(), world=2)
    try:
        assert second.load(saved) == 2
        assert _max_diff(second.named_weights(), at_two) == 0.0
        run_steps(second, batches[2:])
        got = second.named_weights()
    finally:
        second.shutdown()
    assert _max_diff(got, want) == 0.0

    exported = export_checkpoint(saved, tmp_path / "hf")
    assert exported.max_abs_diff < 1e-5
    from transformers import AutoModelForCausalLM

    reloaded = AutoModelForCausalLM.from_pretrained(exported.path)
    assert _max_diff({k: v for k, v in reloaded.state_dict().items() if k in at_two}, at_two) == 0.0


def test_kl_to_an_identical_reference_is_zero_then_grows(ray_cluster: None, tiny_model_dir: Path) -> None:
    batches = make_batches(vocab=2000, steps=2)
    group = LearnerGroup(
        learner_cfg(tiny_model_dir, mini_batches=1, lr=1e-2), LossConfig(kl_coef=0.1, kl_estimator="k3"), world=1
    )
    try:
        first, second = (group.train(b) for b in batches)
    finally:
        group.shutdown()
    assert first["train/kl"] == 0.0
    assert second["train/kl"] > 1e-6
