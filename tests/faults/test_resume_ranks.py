"""A run checkpointed on two learner ranks resumes on one (a node lost, a smaller allocation): the checkpoint is
resharded, optimizer state and schedule carried over, and the run goes on from the same step and problems."""

from __future__ import annotations

import signal
from pathlib import Path

from reasonrl.launch.exit_codes import EXIT_PREEMPTED

from .conftest import STEPS
from .harness import Run, assert_same_steps, rows


def test_two_rank_checkpoint_resumes_on_one_rank(tiny_model_dir: Path, tmp_path: Path, reference_run: Path) -> None:
    run = Run.start(tiny_model_dir, tmp_path / "run")
    run.wait_for_step(2)
    run.proc.send_signal(signal.SIGTERM)
    assert run.wait() == EXIT_PREEMPTED, run.output[-3000:]
    stopped = max(r["step"] for r in rows(run.run_dir))

    run.resume("topology.learner_ranks=1")
    assert run.wait() == 0, run.output[-3000:]
    assert f"(step {stopped})" in run.output
    assert_same_steps(run.run_dir, reference_run, STEPS)
    assert not (run.run_dir / ".reshard").exists()  # the converted copy is scratch
    resumed = {r["step"]: r for r in rows(run.run_dir)}
    reference = {r["step"]: r for r in rows(reference_run)}
    # The first resumed step trains the same batch from the same weights and optimizer state as the reference.
    first = stopped + 1
    assert abs(resumed[first]["train/loss"] - reference[first]["train/loss"]) <= 1e-4 * max(
        1.0, abs(reference[first]["train/loss"])
    )
    run.assert_no_leaks()
