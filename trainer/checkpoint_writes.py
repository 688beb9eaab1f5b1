"""Checkpoint writes that fail together: a rank whose write fails keeps walking DeepSpeed's save flow.

`engine.save_checkpoint` has barriers between its writes. If one rank raised on ENOSPC while the others
waited in a barrier, the ranks would fall out of lockstep and hang until the collective timeout. So every
file write goes through a recording wrapper around the engine's `checkpoint_engine`; the first failure is
kept, later writes of that save are skipped, and the ranks agree at the end whether to raise.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch.distributed as dist

WRITE_ERRORS = (OSError, RuntimeError)  # torch.save reports a failed write as RuntimeError
COPY_SCRIPT = "_copy_recovery_script"
LOW_SPACE_BYTES = 1 << 20


class CheckpointWriteError(RuntimeError):
    """A checkpoint could not be written on some rank; raised on every rank, which can keep training."""


class RecordingWrites:
    """Delegates to DeepSpeed's checkpoint engine; `save` and `makedirs` record their first failure."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.failure: BaseException | None = None

    def attempt(self, write: Callable[..., Any], *args: Any, where: str | None = None, **kwargs: Any) -> Any:
        if self.failure is not None:
            return None
        try:
            return write(*args, **kwargs)
        except WRITE_ERRORS as err:
            # The traceback's frames hold the half-written file open: on a full disk its deleted blocks would
            # stay allocated (and fill the disk further on every retry) for as long as the error is kept.
            _drop_tracebacks(err)
            self.failure = with_cause(err, where)
            return None

    def save(self, state_dict: Any, path: str) -> None:
        self.attempt(self.inner.save, state_dict, path, where=path)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        self.attempt(self.inner.makedirs, path, exist_ok=exist_ok)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _drop_tracebacks(err: BaseException | None) -> None:
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        err.__traceback__ = None
        err = err.__cause__ or err.__context__


def with_cause(err: BaseException, path: str | None) -> BaseException:
    """torch.save's C++ writer reports a full disk as "unexpected pos ..."; name the likely cause when the
    filesystem has (almost) no space left."""
    if isinstance(err, OSError) or path is None:
        return err
    folder = Path(path).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free >= LOW_SPACE_BYTES:
        return err
    explained = OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} ({free} bytes free) writing {path}: {err}")
    explained.__cause__ = err
    return explained


@contextmanager
def recording_writes(engine: Any) -> Iterator[RecordingWrites]:
    """Swap a fresh recorder into `engine.checkpoint_engine` for one save; the original is always restored."""
    inner = engine.checkpoint_engine
    recorder = RecordingWrites(inner)
    engine.checkpoint_engine = recorder
    # DeepSpeed copies zero_to_fp32.py into ZeRO checkpoints with shutil, outside the checkpoint engine.
    copy_script = engine.__dict__.get(COPY_SCRIPT)
    if hasattr(engine, COPY_SCRIPT):
        original = getattr(engine, COPY_SCRIPT)
        setattr(engine, COPY_SCRIPT, lambda *args, **kwargs: recorder.attempt(original, *args, **kwargs))
    try:
        yield recorder
    finally:
        engine.checkpoint_engine = inner
        if copy_script is None:
            engine.__dict__.pop(COPY_SCRIPT, None)
        else:
            setattr(engine, COPY_SCRIPT, copy_script)


def describe(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"


def raise_if_any_failed(failure: BaseException | None, rank: int, folder: Path) -> None:
    """A collective: every rank learns every rank's failure and, if there was one, all raise the same error."""
    reports: list[str | None] = [None] * dist.get_world_size()
    dist.all_gather_object(reports, None if failure is None else describe(failure))
    failed = [(r, text) for r, text in enumerate(reports) if text is not None]
    if not failed:
        return
    detail = "; ".join(f"rank {r}: {text}" for r, text in failed)
    error = CheckpointWriteError(
        f"checkpoint {folder} could not be written ({detail}); free space or fix permissions there, "
        "or point checkpoints elsewhere; training can continue"
    )
    if failure is not None:
        raise error from failure
    raise error
