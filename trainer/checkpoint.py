"""Atomic, checksummed checkpoints: a step folder either exists whole and verified, or is not used.

Layout (the contract with the learner): RUN/checkpoints/STEP/{learner/, model/, driver.json, manifest.json}. A
checkpoint is written under `.tmp-STEP-*`, hashed into manifest.json (written last, fsynced) and renamed into place,
so a crash leaves at worst a temp folder, which is ignored and later removed. Hashes are sha256 (the manifest's key
names it): OpenSSL's sha256 runs near disk speed, and one standard digest keeps manifests checkable with `sha256sum`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
DRIVER = "driver.json"
FORMAT = 1
TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"
CHUNK = 1 << 20


class CheckpointError(RuntimeError):
    """A checkpoint could not be written, or none that is asked for can be trusted."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """A rename or a new file is only durable once its parent folder is synced."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json_synced(path: Path, data: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _remove(path: Path) -> str | None:
    """Deletes a folder during clean-up; returns why it failed so the caller can report it with the first error."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        return f"{path} could not be removed ({e.strerror or e})"
    return None


class CheckpointManager:
    """Writes, verifies, prunes and picks checkpoints of one run; used on the driver only."""

    def __init__(self, run_dir: Path, keep_last: int = 3) -> None:
        if not isinstance(keep_last, int) or keep_last < 1:
            raise ValueError(f"keep_last must be an integer >= 1 (got {keep_last!r}); it is how many to keep")
        self.run_dir = Path(run_dir)
        self.root = self.run_dir / "checkpoints"
        self.keep_last = keep_last

    def path(self, step: int) -> Path:
        return self.root / str(step)

    def begin(self, step: int) -> Path:
        """The temp folder the learner ranks write `learner/` and `model/` into before `commit`."""
        _check_step(step)
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{step}-", dir=self.root))

    def commit(self, tmp: Path, step: int, driver_state: dict[str, Any]) -> Path:
        """Seals `tmp` as checkpoint `step`; on failure removes `tmp` and leaves earlier checkpoints as they were."""
        _check_step(step)
        tmp = Path(tmp)
        if tmp.parent.resolve() != self.root.resolve() or not tmp.name.startswith(TMP_PREFIX):
            raise ValueError(f"commit: {tmp} is not a temp folder from begin() under {self.root}")
        try:
            final = self._seal_and_rename(tmp, step, driver_state)
        except Exception as e:
            cleanup = _remove(tmp)
            cause = f"{type(e).__name__}: {e}" + (f"; also {cleanup}" if cleanup else "")
            raise CheckpointError(f"checkpoint {step} was not saved ({cause}); earlier checkpoints are kept") from e
        try:
            self._prune(keep=step)
            self._remove_stale()
        except OSError as e:
            raise CheckpointError(f"checkpoint {step} was saved to {final}, but pruning old ones failed ({e})") from e
        return final

    def save(self, step: int, write_fn: Callable[[Path], None], driver_state: dict[str, Any]) -> Path:
        try:
            tmp = self.begin(step)
        except OSError as e:  # a read-only or full disk fails here first
            raise CheckpointError(
                f"checkpoint {step}: cannot create its folder in {self.root} ({e}); earlier checkpoints are kept"
            ) from e
        try:
            write_fn(tmp)
        except Exception as e:
            cleanup = _remove(tmp)
            cause = f"{type(e).__name__}: {e}" + (f"; also {cleanup}" if cleanup else "")
            raise CheckpointError(
                f"checkpoint {step}: writing it failed ({cause}); earlier checkpoints are kept"
            ) from e
        return self.commit(tmp, step, driver_state)

    def list(self) -> list[int]:
        if not self.root.is_dir():
            return []
        return sorted(int(p.name) for p in self.root.iterdir() if p.is_dir() and p.name.isdigit())

    def verify(self, step: int) -> str | None:
        """None when every file in the manifest is present with its size and hash; else the first problem found."""
        folder = self.path(step)
        if not folder.is_dir():
            return f"missing folder {folder}"
        manifest_path = folder / MANIFEST
        if not manifest_path.is_file():
            return f"missing {MANIFEST}"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            return f"unreadable {MANIFEST} ({e})"
        problem = _manifest_problem(manifest, step)
        if problem:
            return problem
        for rel, entry in sorted(manifest["files"].items()):
            file = folder / rel
            if not file.is_file():
                return f"missing file {rel}"
            if file.stat().st_size != entry["size"]:
                return f"size mismatch in {rel}"
            if sha256_file(file) != entry["sha256"]:
                return f"checksum mismatch in {rel}"
        return None

    def latest_valid(self, step: int | None = None) -> tuple[int, Path]:
        """Exactly `step` when given, else the newest checkpoint that verifies; each one passed over is warned about."""
        steps = self.list()
        if step is not None:
            if step not in steps:
                have = ", ".join(map(str, steps)) or "none"
                raise CheckpointError(f"no checkpoint {step} in {self.root} (present: {have}); pick one of those")
            reason = self.verify(step)
            if reason:
                raise CheckpointError(f"checkpoint {step} in {self.root} refused: {reason}")
            return step, self.path(step)
        if not steps:
            raise CheckpointError(f"no checkpoints in {self.root}")
        refused: list[tuple[int, str]] = []
        for candidate in reversed(steps):
            reason = self.verify(candidate)
            if reason is None:
                for bad, why in refused:
                    warnings.warn(f"checkpoint {bad} refused: {why}; using {candidate}", stacklevel=2)
                return candidate, self.path(candidate)
            refused.append((candidate, reason))
        details = "; ".join(f"{s}: {why}" for s, why in refused)
        raise CheckpointError(f"no valid checkpoint in {self.root} ({details})")

    def load_driver_state(self, path: Path) -> dict[str, Any]:
        file = Path(path) / DRIVER
        if not file.is_file():
            raise CheckpointError(f"{file} is missing; {path} is not a complete checkpoint")
        state = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(state, dict):
            raise CheckpointError(f"{file} holds a {type(state).__name__}, not the driver's state dict")
        return state

    def _seal_and_rename(self, tmp: Path, step: int, driver_state: dict[str, Any]) -> Path:
        if not tmp.is_dir():
            raise FileNotFoundError(f"temp folder {tmp} does not exist")
        (tmp / MANIFEST).unlink(missing_ok=True)
        _write_json_synced(tmp / DRIVER, driver_state)
        files: dict[str, dict[str, Any]] = {}
        for file in _files(tmp):
            _fsync_file(file)
            files[file.relative_to(tmp).as_posix()] = {"size": file.stat().st_size, "sha256": sha256_file(file)}
        _write_json_synced(tmp / MANIFEST, {"step": step, "files": files, "complete": True, "format": FORMAT})
        for folder in sorted({f.parent for f in _files(tmp)} | {tmp}, key=lambda p: len(p.parts), reverse=True):
            _fsync_dir(folder)
        final = self.path(step)
        if final.exists():
            self._replace(tmp, final, step)
        else:
            os.rename(tmp, final)
        _fsync_dir(self.root)
        return final

    def _replace(self, tmp: Path, final: Path, step: int) -> None:
        """Re-saving a step (after a resume): the old copy stays intact until the new one is in place."""
        old = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{step}-", dir=self.root))
        os.rename(final, old / "ckpt")
        try:
            os.rename(tmp, final)
        except OSError:
            os.rename(old / "ckpt", final)
            old.rmdir()
            raise
        _fsync_dir(self.root)
        shutil.rmtree(old)

    def _prune(self, keep: int) -> None:
        complete = [s for s in self.list() if _is_complete(self.path(s))]
        kept = set(complete[-self.keep_last :]) | {keep}
        for step in complete:
            if step not in kept:
                shutil.rmtree(self.path(step))

    def _remove_stale(self) -> None:
        """Temp and aside folders left by a crash: never a checkpoint, only disk use."""
        for p in self.root.iterdir():
            if p.is_dir() and (p.name.startswith(TMP_PREFIX) or p.name.startswith(OLD_PREFIX)):
                shutil.rmtree(p)


def resolve_checkpoint(run: Path, step: int | None) -> Path:
    """The checkpoint folder to use (export, resume): exactly `step`, or the newest that verifies."""
    run = Path(run)
    if not run.is_dir():
        raise ValueError(f"run folder {run} does not exist; pass the folder that holds checkpoints/")
    manager = CheckpointManager(run)
    if not manager.list():
        raise ValueError(f"{run} has no checkpoints (expected {manager.root}/STEP/); pass a run that saved one")
    return manager.latest_valid(step)[1]


def _check_step(step: int) -> None:
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        raise ValueError(f"step must be an integer >= 0 (got {step!r})")


def _is_complete(folder: Path) -> bool:
    """Cheap check used for pruning: a sealed manifest; full hashing is left to verify()."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(manifest, dict) and manifest.get("complete") is True


def _manifest_problem(manifest: Any, step: int) -> str | None:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return f"{MANIFEST} has no 'files' table"
    if manifest.get("format") != FORMAT:
        return f"{MANIFEST} has format {manifest.get('format')!r}, expected {FORMAT}"
    if manifest.get("complete") is not True:
        return f"{MANIFEST} is not marked complete"
    if manifest.get("step") != step:
        return f"{MANIFEST} names step {manifest.get('step')!r}, not {step}"
    for rel, entry in manifest["files"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("size"), int) or not entry.get("sha256"):
            return f"{MANIFEST} entry for {rel} lacks size or sha256"
    return None
