"""Fault drills: poison chosen steps' batches on purpose, to prove the non-finite guard end to end.

`REASONRL_POISON_STEPS="3,7"` in the driver's environment gives those steps' batches a NaN advantage, which
turns the loss and every gradient into NaN on every rank. Used by tests/faults and bench/faults.py; unset, it
does nothing. An environment variable rather than a config field keeps drills out of saved run configs.
"""

from __future__ import annotations

import dataclasses
import os

from .types import Batch

ENV = "REASONRL_POISON_STEPS"


def poisoned_steps() -> frozenset[int]:
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return frozenset()
    try:
        return frozenset(int(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"{ENV}={raw!r}: expected comma-separated step numbers, e.g. 3,7") from None


def poison(batch: Batch) -> Batch:
    return dataclasses.replace(batch, advantages=[float("nan"), *batch.advantages[1:]])
