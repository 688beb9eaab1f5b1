from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reasonrl.trainer.checkpoint import CheckpointError, CheckpointManager

WEIGHTS = "learner/state/mp_rank_00_model_states.pt"


def write_files(step: int) -> Callable[[Path], None]:
    """Stands in for the learner ranks: real files in the layout, with contents that differ per step."""

    def write(tmp: Path) -> None:
        (tmp / "learner/state").mkdir(parents=True)
        (tmp / WEIGHTS).write_bytes(os.urandom(3 << 20))
        (tmp / "learner/latest").write_text("state")
        (tmp / "model").mkdir()
        (tmp / "model/config.json").write_text(json.dumps({"step": step}))

    return write


def save(manager: CheckpointManager, step: int) -> Path:
    return manager.save(step, write_files(step), {"step": step, "stream": step * 10})


def flip_byte(path: Path, offset: int = 12345) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def leftovers(manager: CheckpointManager) -> list[str]:
    return sorted(p.name for p in manager.root.iterdir() if not p.name.isdigit())


def test_save_writes_a_verified_manifest_and_driver_state(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    path = save(manager, 4)
    assert path == tmp_path / "checkpoints" / "4"
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["step"] == 4 and manifest["complete"] is True and manifest["format"] == 1
    assert sorted(manifest["files"]) == ["driver.json", "learner/latest", WEIGHTS, "model/config.json"]
    assert manifest["files"][WEIGHTS]["size"] == 3 << 20
    assert manager.verify(4) is None
    assert manager.list() == [4]
    assert manager.load_driver_state(path) == {"step": 4, "stream": 40}
    assert leftovers(manager) == []


def test_failing_write_leaves_no_step_and_no_temp_folder(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    save(manager, 2)

    def broken(tmp: Path) -> None:
        write_files(3)(tmp)
        raise OSError(28, "No space left on device")

    with pytest.raises(CheckpointError, match="No space left on device"):
        manager.save(3, broken, {"step": 3})
    assert manager.list() == [2]
    assert leftovers(manager) == []
    assert manager.verify(2) is None


def test_failing_commit_removes_temp_and_keeps_earlier(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    save(manager, 2)
    tmp = manager.begin(3)
    write_files(3)(tmp)
    with pytest.raises(CheckpointError, match="checkpoint 3 was not saved.*not JSON serializable"):
        manager.commit(tmp, 3, {"rng": object()})
    assert not tmp.exists()
    assert manager.list() == [2] and manager.verify(2) is None


def test_keep_last_prunes_oldest_but_never_the_one_just_written(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path, keep_last=2)
    for step in range(1, 6):
        save(manager, step)
    assert manager.list() == [4, 5]
    save(manager, 3)  # a rollback: older than the kept ones, still kept
    assert manager.list() == [3, 4, 5]
    save(manager, 6)
    assert manager.list() == [5, 6]


def test_resaving_a_step_replaces_it(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    save(manager, 4)
    path = manager.save(4, write_files(4), {"step": 4, "resumed": True})
    assert manager.load_driver_state(path) == {"step": 4, "resumed": True}
    assert manager.verify(4) is None
    assert leftovers(manager) == []


def test_corrupted_file_is_refused_and_the_previous_used(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    save(manager, 6)
    save(manager, 8)
    flip_byte(manager.path(8) / WEIGHTS)
    assert manager.verify(8) == f"checksum mismatch in {WEIGHTS}"
    with pytest.warns(UserWarning, match=f"checkpoint 8 refused: checksum mismatch in {WEIGHTS}; using 6"):
        assert manager.latest_valid() == (6, manager.path(6))
    with pytest.raises(CheckpointError, match=f"checkpoint 8 .* refused: checksum mismatch in {WEIGHTS}"):
        manager.latest_valid(8)


def test_missing_manifest_or_file_is_refused(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    for step in (2, 4, 6):
        save(manager, step)
    (manager.path(6) / "manifest.json").unlink()
    (manager.path(4) / "model/config.json").unlink()
    assert manager.verify(6) == "missing manifest.json"
    assert manager.verify(4) == "missing file model/config.json"
    with pytest.warns(UserWarning) as record:
        assert manager.latest_valid()[0] == 2
    messages = [str(w.message) for w in record]
    assert messages == [
        "checkpoint 6 refused: missing manifest.json; using 2",
        "checkpoint 4 refused: missing file model/config.json; using 2",
    ]


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    save(manager, 1)
    with open(manager.path(1) / WEIGHTS, "r+b") as f:
        f.truncate(100)
    assert manager.verify(1) == f"size mismatch in {WEIGHTS}"


def test_incomplete_temp_folder_is_ignored_then_removed(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    save(manager, 2)
    crashed = manager.begin(3)
    write_files(3)(crashed)
    assert manager.list() == [2]
    assert manager.latest_valid() == (2, manager.path(2))
    save(manager, 4)
    assert not crashed.exists()
    assert leftovers(manager) == []


def test_no_valid_checkpoint_raises(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    with pytest.raises(CheckpointError, match="no checkpoints in"):
        manager.latest_valid()
    save(manager, 1)
    flip_byte(manager.path(1) / WEIGHTS)
    with pytest.raises(CheckpointError, match=f"no valid checkpoint .*1: checksum mismatch in {WEIGHTS}"):
        manager.latest_valid()
    with pytest.raises(CheckpointError, match=r"no checkpoint 7 .*present: 1"):
        manager.latest_valid(7)


@contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """chmod 0o500; as root, where chmod does not bind, the immutable attribute (chattr +i) instead."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root and chattr +i is not available here, so nothing makes a folder unwritable")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_unwritable_checkpoints_folder_fails_cleanly(tmp_path: Path) -> None:
    manager = CheckpointManager(tmp_path)
    save(manager, 1)
    tmp = manager.begin(2)
    write_files(2)(tmp)
    with unwritable(manager.root):
        with pytest.raises(CheckpointError, match="checkpoint 2 was not saved.*(Permission denied|not permitted)"):
            manager.commit(tmp, 2, {"step": 2})
        assert manager.list() == [1]
        assert manager.verify(1) is None
    save(manager, 3)
    assert manager.list() == [1, 3]
    assert leftovers(manager) == []


def test_bad_arguments_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="keep_last must be an integer >= 1"):
        CheckpointManager(tmp_path, keep_last=0)
    manager = CheckpointManager(tmp_path)
    with pytest.raises(ValueError, match="step must be an integer >= 0"):
        manager.begin(-1)
    other = tmp_path / "elsewhere"
    other.mkdir()
    with pytest.raises(ValueError, match="is not a temp folder from begin"):
        manager.commit(other, 1, {})
    with pytest.raises(CheckpointError, match="driver.json is missing"):
        manager.load_driver_state(other)
