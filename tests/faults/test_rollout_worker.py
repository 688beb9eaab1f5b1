"""A rollout worker killed mid-step is replaced and its shard resubmitted; one that keeps dying stops the run."""

from __future__ import annotations

import time
from pathlib import Path

from reasonrl.launch.exit_codes import EXIT_FAULTS
from reasonrl.trainer.fault_watch import read_faults

from .conftest import STEPS
from .harness import Run, assert_same_steps, kill, total

WORKER = "ray::RolloutWorker"


def test_killed_rollout_worker_is_replaced_and_the_step_completes(
    tiny_model_dir: Path, tmp_path: Path, reference_run: Path
) -> None:
    run = Run.start(tiny_model_dir, tmp_path / "run")
    run.wait_for_step(2)
    victims = run.find(WORKER)
    kill(victims)
    assert run.wait() == 0, run.output[-3000:]
    assert_same_steps(run.run_dir, reference_run, STEPS)
    assert total(run.run_dir, "faults/rollout_deaths") == 1
    assert [e["worker"] for e in read_faults(run.run_dir) if e["kind"] == "rollout_death"] == ["rollout-0"]
    run.assert_no_leaks()


def test_a_rollout_worker_that_keeps_dying_stops_the_run_naming_it(tiny_model_dir: Path, tmp_path: Path) -> None:
    run = Run.start(tiny_model_dir, tmp_path / "run", "faults.max_worker_deaths=2", steps=20)
    run.wait_for_step(1)
    first = run.find(WORKER)
    kill(first)
    deadline = time.monotonic() + 120
    while not (replaced := [p for p in run.find(WORKER) if p.pid not in {v.pid for v in first}]):
        assert time.monotonic() < deadline, "the killed rollout worker was not replaced"
        time.sleep(0.1)
    kill(replaced)
    assert run.wait() == EXIT_FAULTS, run.output[-3000:]
    assert "rollout worker rollout-0 died 2 times" in run.output
    assert "--resume" in run.output
    run.assert_no_leaks()
