"""SIGTERM (SLURM preemption) or Ctrl-C: the current step finishes, a checkpoint is written, the run exits 75
and resumes exactly; a second signal exits at once and leaves the last checkpoint usable."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from reasonrl.launch.exit_codes import EXIT_PREEMPTED, EXIT_SECOND_SIGNAL
from reasonrl.trainer.checkpoint import CheckpointManager

from .conftest import STEPS
from .harness import Run, assert_same_steps, rows


def test_sigterm_checkpoints_exits_75_and_resume_finishes(
    tiny_model_dir: Path, tmp_path: Path, reference_run: Path
) -> None:
    run = Run.start(tiny_model_dir, tmp_path / "run")
    run.wait_for_step(2)
    run.proc.send_signal(signal.SIGTERM)
    assert run.wait() == EXIT_PREEMPTED, run.output[-3000:]
    stopped = max(r["step"] for r in rows(run.run_dir))
    assert 2 <= stopped < STEPS and CheckpointManager(run.run_dir).verify(stopped) is None
    assert not (run.run_dir / "hf").exists()  # an interrupted run is not exported
    run.assert_no_leaks()

    run.resume()
    assert run.wait() == 0, run.output[-3000:]
    assert_same_steps(run.run_dir, reference_run, STEPS)
    run.assert_no_leaks()


def test_sigint_then_a_second_signal_exits_at_once(tiny_model_dir: Path, tmp_path: Path) -> None:
    """Ctrl-C asks for the same clean stop as SIGTERM; pressing it again (or any second signal) quits now."""
    run = Run.start(tiny_model_dir, tmp_path / "run", steps=20)
    run.wait_for_step(2)
    while 2 not in CheckpointManager(run.run_dir).list():
        time.sleep(0.02)
    run.proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 60
    # Two signals sent before Python runs its handler arrive as one: wait until the first is acknowledged.
    while "finishing this step" not in run.log_path.read_text():
        assert time.monotonic() < deadline and run.proc.poll() is None
        time.sleep(0.01)
    sent = time.monotonic()
    run.proc.send_signal(signal.SIGTERM)
    assert run.wait() == EXIT_SECOND_SIGNAL
    assert time.monotonic() - sent < 5
    assert CheckpointManager(run.run_dir).latest_valid()[0] >= 2
    run.assert_no_leaks()
