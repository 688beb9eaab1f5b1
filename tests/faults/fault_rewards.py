"""A user reward for fault tests: the loop tests' parity signal, slowed so reward workers are busy long enough
to be killed in the middle of an item. With BUSY_ENV set, a worker marks itself busy (a file named by its pid)
while it scores, so a test can kill exactly a worker that is mid-item."""

from __future__ import annotations

import os
import time
from pathlib import Path

SECONDS_PER_ITEM = 0.05
BUSY_ENV = "REASONRL_TEST_BUSY_DIR"


def slow_parity(problem: object, completion: str) -> float:
    busy = os.environ.get(BUSY_ENV)
    marker = Path(busy) / str(os.getpid()) if busy else None
    if marker:
        marker.touch()
    try:
        time.sleep(SECONDS_PER_ITEM)
    finally:
        if marker:
            marker.unlink(missing_ok=True)
    return float(len(completion) % 2)
