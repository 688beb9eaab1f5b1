"""A reward worker, or the whole reward pool, killed in the middle of an item during a training run: the item
is scored again by a fresh worker, the step completes with every sample scored, the deaths are counted."""

from __future__ import annotations

from pathlib import Path

from reasonrl.trainer.fault_watch import read_faults

from .conftest import STEPS
from .fault_rewards import BUSY_ENV
from .harness import Run, assert_same_steps, kill, total


def start(model: Path, tmp_path: Path) -> tuple[Run, Path]:
    busy = tmp_path / "busy"
    busy.mkdir()
    run = Run.start(model, tmp_path / "run", "faults.max_worker_deaths=5", env={BUSY_ENV: str(busy)})
    run.wait_for_step(2)
    return run, busy


def test_reward_worker_killed_mid_item(tiny_model_dir: Path, tmp_path: Path, reference_run: Path) -> None:
    run, busy = start(tiny_model_dir, tmp_path)
    kill([run.busy_reward_worker(busy)])
    assert run.wait() == 0, run.output[-3000:]
    assert_same_steps(run.run_dir, reference_run, STEPS)  # includes: no item scored 0 for its dead worker
    assert total(run.run_dir, "faults/reward_deaths") == 1
    assert total(run.run_dir, "faults/reward_resubmitted") >= 1
    assert any(e["kind"] == "reward_death" for e in read_faults(run.run_dir))
    run.assert_no_leaks()


def test_whole_reward_pool_killed_mid_item(tiny_model_dir: Path, tmp_path: Path, reference_run: Path) -> None:
    run, busy = start(tiny_model_dir, tmp_path)
    run.busy_reward_worker(busy)
    kill([*run.reward_workers(), run.forkserver()])
    assert run.wait() == 0, run.output[-3000:]
    assert_same_steps(run.run_dir, reference_run, STEPS)
    assert total(run.run_dir, "faults/reward_deaths") >= 2
    assert total(run.run_dir, "faults/reward_resubmitted") >= 1
    run.assert_no_leaks()
