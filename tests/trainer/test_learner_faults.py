"""Learner faults on real ranks: a NaN/Inf update is skipped everywhere, a checkpoint write to a full disk fails on
every rank together (no hang) and training goes on, and a killed rank ends the call at once, named."""

from __future__ import annotations

import copy
import math
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from reasonrl.trainer.checkpoint_writes import CheckpointWriteError
from reasonrl.trainer.learner_group import LearnerError, LearnerGroup, LocalLearnerGroup
from reasonrl.trainer.types import Batch, LearnerConfig, LossConfig
from tests.trainer.test_learner import make_batches

ray = pytest.importorskip("ray")
psutil = pytest.importorskip("psutil")
pytest.importorskip("deepspeed")


def cfg(model: Path, **overrides: object) -> LearnerConfig:
    base = {"model": str(model), "lr": 1e-3, "mini_batches": 1, "micro_token_budget": 48, "logprob_chunk": 16}
    return LearnerConfig(**{**base, **overrides})


def poisoned(batch: Batch) -> Batch:
    bad = copy.deepcopy(batch)
    bad.advantages[0] = float("nan")
    return bad


def same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def assert_skip_then_recover(group: LearnerGroup | LocalLearnerGroup, batches: list[Batch]) -> None:
    group.train(batches[0])
    before = group.named_weights()
    bad = group.train(poisoned(batches[1]))
    assert bad["train/nonfinite_skipped"] == 1.0 and bad["train/nonfinite_loss"] == 1.0
    assert math.isfinite(bad["train/lr"]) and bad["train/tokens"] > 0
    assert same(group.named_weights(), before)
    good = group.train(batches[2])
    assert good["train/nonfinite_skipped"] == 0.0 and good["train/nonfinite_loss"] == 0.0
    assert math.isfinite(good["train/loss"]) and math.isfinite(good["train/grad_norm"])
    after = group.named_weights()
    assert not same(after, before)
    assert all(bool(torch.isfinite(v).all()) for v in after.values())


@pytest.mark.parametrize("stage", [0, 2])
def test_one_rank_skips_a_nan_update_and_trains_on(stage: int, tiny_model_dir: Path) -> None:
    group = LocalLearnerGroup(cfg(tiny_model_dir, zero_stage=stage), LossConfig())
    try:
        assert_skip_then_recover(group, make_batches(vocab=2000, steps=3))
        # An Inf rollout log-prob is bounded by the truncated-IS cap (min(exp(+inf), cap)): the update goes ahead.
        inf_batch = copy.deepcopy(make_batches(vocab=2000, steps=1)[0])
        inf_batch.rollout_logprobs[0][0] = float("-inf")
        metrics = group.train(inf_batch)
        assert metrics["train/nonfinite_skipped"] == 0.0 and math.isfinite(metrics["train/loss"])
    finally:
        group.shutdown()


@pytest.fixture(scope="module")
def two_ranks(ray_cluster: None, tiny_model_dir: Path) -> Iterator[LearnerGroup]:
    group = LearnerGroup(cfg(tiny_model_dir, zero_stage=2), LossConfig(), world=2, num_cpus=0.5)
    yield group
    group.shutdown()


def test_two_ranks_skip_a_nan_update_together(two_ranks: LearnerGroup) -> None:
    assert_skip_then_recover(two_ranks, make_batches(vocab=2000, steps=3))


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (a real ENOSPC), else an immutable folder (EPERM); skipped where neither can be made."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode == 0:
        try:
            yield folder
        finally:
            if subprocess.run(["umount", str(folder)]).returncode != 0:
                subprocess.run(["umount", "-l", str(folder)], check=True)
        return
    frozen = subprocess.run(["chattr", "+i", str(folder)], capture_output=True) if shutil.which("chattr") else None
    if frozen is None or frozen.returncode != 0:
        why = (frozen.stderr if frozen else b"no chattr").decode().strip()
        pytest.skip(f"cannot make a full or read-only folder: mount: {mounted.stderr.decode().strip()}; chattr: {why}")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_full_disk_fails_the_save_on_every_rank_and_training_goes_on(
    two_ranks: LearnerGroup, full_disk: Path, tmp_path: Path
) -> None:
    start = time.monotonic()
    refs = [actor.call.remote("save", full_disk / "ckpt") for actor in two_ranks.actors]
    for ref in refs:
        with pytest.raises(ray.exceptions.RayTaskError) as caught:
            ray.get(ref, timeout=120)
        cause = caught.value.as_instanceof_cause()
        assert isinstance(cause, CheckpointWriteError)
        assert "No space left on device" in str(cause) or "Operation not permitted" in str(cause)
        assert "rank 0" in str(cause)
    assert time.monotonic() - start < 60
    with pytest.raises(LearnerError, match="learner-"):
        two_ranks.save(full_disk / "again")

    batches = make_batches(vocab=2000, steps=2)
    assert math.isfinite(two_ranks.train(batches[0])["train/loss"])
    step = ray.get(two_ranks.actors[0].call.remote("info"))["step"]
    two_ranks.save(tmp_path / "ok")
    saved = two_ranks.named_weights()
    two_ranks.train(batches[1])
    assert not same(two_ranks.named_weights(), saved)
    assert two_ranks.load(tmp_path / "ok") == step
    assert same(two_ranks.named_weights(), saved)


def test_a_killed_rank_ends_the_call_at_once_and_is_named(ray_cluster: None, tiny_model_dir: Path) -> None:
    big = make_batches(vocab=2000, steps=1, groups=40, g=8)[0]
    group = LearnerGroup(cfg(tiny_model_dir, collective_timeout_s=300), LossConfig(), world=2, num_cpus=0.5)
    pids = group.pids()
    outcome: list[BaseException | dict] = []
    try:
        call = threading.Thread(target=lambda: outcome.append(_capture(group.train, big)))
        call.start()
        time.sleep(1.5)
        assert not outcome, "train() finished before the kill; make the batch larger"
        killed = time.monotonic()
        os.kill(pids[1], signal.SIGKILL)
        call.join(timeout=120)
        assert not call.is_alive()
        assert time.monotonic() - killed < 60
        assert isinstance(outcome[0], LearnerError)
        assert "learner-1" in str(outcome[0]) and "died" in str(outcome[0])
    finally:
        group.shutdown()
    deadline = time.monotonic() + 15
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in pids):
        assert time.monotonic() < deadline, f"learner processes still alive after shutdown: {pids}"
        time.sleep(0.2)


def _capture(fn: object, *args: object) -> BaseException | dict:
    try:
        return fn(*args)  # type: ignore[operator]
    except BaseException as err:  # noqa: BLE001 - handed to the test thread's assertions
        return err
