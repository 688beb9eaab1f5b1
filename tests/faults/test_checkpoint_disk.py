"""The disk fills during a checkpoint, or the checkpoint folder becomes read-only: the earlier checkpoint stays
intact and usable, the run says so and goes on or stops as configured, and it resumes once the disk is fixed."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reasonrl.launch.exit_codes import EXIT_CHECKPOINT
from reasonrl.trainer.checkpoint import CheckpointManager
from reasonrl.trainer.fault_watch import read_faults

from .conftest import STEPS
from .harness import Run, assert_same_steps

CHECKPOINT_MB = 17  # one checkpoint of the tiny model under 2-rank ZeRO-2


def _sh(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real tmpfs with room for the run's files and one checkpoint, not two."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = _sh("mount", "-t", "tmpfs", "-o", f"size={CHECKPOINT_MB + 7}m", "tmpfs", str(mount))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        _sh("umount", "-l", str(mount))


def test_full_disk_keeps_the_earlier_checkpoint_and_resumes(
    tiny_model_dir: Path, tmp_path: Path, small_disk: Path, reference_run: Path
) -> None:
    # faults.on_checkpoint_error=continue (the default): retried every step, then a stop after 3 failures
    run = Run.start(tiny_model_dir, small_disk / "run", log_dir=tmp_path)
    assert run.wait() == EXIT_CHECKPOINT, run.output[-3000:]
    assert "No space left on device" in run.output and "the newest kept is step 2" in run.output
    failed = [e["step"] for e in read_faults(run.run_dir) if e["kind"] == "checkpoint_failed"]
    assert failed == [4, 5, 6]  # the periodic one, then a retry at every step until the limit of 3
    manager = CheckpointManager(run.run_dir)
    assert manager.list() == [2] and manager.verify(2) is None
    assert not [p for p in manager.root.iterdir() if p.name.startswith(".")]  # no half-written leftovers
    run.assert_no_leaks()

    assert _sh("mount", "-o", "remount,size=200m", str(small_disk)).returncode == 0
    run.resume()
    assert run.wait() == 0, run.output[-3000:]
    assert_same_steps(run.run_dir, reference_run, STEPS)


def test_read_only_checkpoint_folder_stops_at_once_when_asked(
    tiny_model_dir: Path, tmp_path: Path, reference_run: Path
) -> None:
    run = Run.start(tiny_model_dir, tmp_path / "run", "faults.on_checkpoint_error=stop")
    run.wait_for_step(2)
    while 2 not in CheckpointManager(run.run_dir).list():
        time.sleep(0.02)
    folder = run.run_dir / "checkpoints"
    locked = _sh("chattr", "+i", str(folder))  # root ignores permission bits; the immutable flag stops it too
    if locked.returncode != 0:
        run.proc.kill()
        pytest.skip(f"cannot make a folder read-only here: {locked.stderr.strip()}")
    try:
        assert run.wait() == EXIT_CHECKPOINT, run.output[-3000:]
    finally:
        _sh("chattr", "-i", str(folder))
    assert "on_checkpoint_error=stop" in run.output
    assert CheckpointManager(run.run_dir).list() == [2]
    run.assert_no_leaks()

    run.resume()
    assert run.wait() == 0, run.output[-3000:]
    assert_same_steps(run.run_dir, reference_run, STEPS)
