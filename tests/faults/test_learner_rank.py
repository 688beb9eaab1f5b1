"""A learner rank killed mid-run: the run stops at once with a resumable exit code (no hang in a collective),
and `--resume` continues from the last checkpoint as if nothing had happened."""

from __future__ import annotations

import time
from pathlib import Path

from reasonrl.launch.exit_codes import EXIT_LEARNER_LOST
from reasonrl.trainer.checkpoint import CheckpointManager

from .conftest import STEPS
from .harness import Run, assert_same_steps, kill


def test_dead_learner_rank_stops_the_run_and_resume_continues(
    tiny_model_dir: Path, tmp_path: Path, reference_run: Path
) -> None:
    run = Run.start(tiny_model_dir, tmp_path / "run")
    run.wait_for_step(3)  # checkpoint 2 is written; step 4 is under way
    ranks = run.find("ray::LearnerActor")
    assert len(ranks) == 2
    killed_at = time.monotonic()
    kill(ranks[1:])
    assert run.wait() == EXIT_LEARNER_LOST, run.output[-3000:]
    assert time.monotonic() - killed_at < 60  # the surviving rank's collective did not hold the run up
    assert "died" in run.output and "--resume" in run.output
    assert CheckpointManager(run.run_dir).list() == [2]
    run.assert_no_leaks()

    run.resume()
    assert run.wait() == 0, run.output[-3000:]
    assert "resumed from" in run.output
    assert_same_steps(run.run_dir, reference_run, STEPS)
    run.assert_no_leaks()
