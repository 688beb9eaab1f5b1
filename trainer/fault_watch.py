"""The faults a run survived, counted per step, and the limits past which surviving is the wrong answer.

Workers that die are replaced by their groups (rollout/group.py, rewards/pool.py), which keep cumulative
counters per worker. The watch turns those into per-step metrics, appends every event to `RUN/faults.jsonl`,
and stops the run when one worker keeps dying or updates keep coming out non-finite: a restart loop that
never ends is a hang with extra steps.
"""

from __future__ import annotations

import json
import logging
import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .types import Batch

log = logging.getLogger(__name__)

Counters = Callable[[], Mapping[str, int]]  # cumulative deaths (or restarts) per worker name


@dataclass(frozen=True)
class FaultLimits:
    max_worker_deaths: int = 3
    window_steps: int = 10
    max_nonfinite_in_a_row: int = 3


class TooManyFaults(RuntimeError):
    """The run stops: one worker keeps dying, or update after update is non-finite."""


class DeathWindow:
    """Deaths per worker over the last `window` steps, from cumulative counters."""

    def __init__(self, role: str, limits: FaultLimits) -> None:
        self.role, self.limits = role, limits
        self._seen: dict[str, int] = {}
        self._events: deque[tuple[int, str, int]] = deque()

    def observe(self, step: int, cumulative: Mapping[str, int]) -> dict[str, int]:
        """New deaths per worker since the last call; raises when one worker passes the limit."""
        new = {name: count - self._seen.get(name, 0) for name, count in cumulative.items()}
        new = {name: n for name, n in new.items() if n > 0}
        self._seen.update(cumulative)
        self._events.extend((step, name, n) for name, n in new.items())
        while self._events and self._events[0][0] <= step - self.limits.window_steps:
            self._events.popleft()
        for name in new:
            total = sum(n for _, who, n in self._events if who == name)
            if total >= self.limits.max_worker_deaths:
                raise TooManyFaults(
                    f"{self.role} worker {name} died {total} times in the last {self.limits.window_steps} steps "
                    f"(limit faults.max_worker_deaths={self.limits.max_worker_deaths}, faults.window_steps="
                    f"{self.limits.window_steps}); it keeps dying, so the run stops. Check its log (memory, "
                    f"the node), then continue with --resume"
                )
        return new


class FaultWatch:
    """Called by the loop after each step. `sources`: per-worker death counters by role, held to the limits;
    `counters`: plain cumulative counts (e.g. resubmitted items) reported per step as `faults/NAME`."""

    def __init__(
        self,
        limits: FaultLimits,
        sources: Mapping[str, Counters],
        log_dir: Path | None = None,
        counters: Mapping[str, Callable[[], int]] | None = None,
    ) -> None:
        self.limits = limits
        self.sources = dict(sources)
        self.windows = {role: DeathWindow(role, limits) for role in sources}
        self.counters = dict(counters or {})
        self._counted = dict.fromkeys(self.counters, 0)
        self.log_dir = Path(log_dir) if log_dir else None
        self.nonfinite_streak = 0
        self._exceeded: TooManyFaults | None = None

    def after_step(self, step: int, metrics: Mapping[str, float]) -> dict[str, float]:
        """This step's fault metrics. A limit passed is held until `check`, so the step is logged first."""
        out: dict[str, float] = {}
        for role, counters in self.sources.items():
            try:
                new = self.windows[role].observe(step, counters())
            except TooManyFaults as err:
                self._exceeded = self._exceeded or err
                continue
            out[f"faults/{role}_deaths"] = float(sum(new.values()))
            for name, n in new.items():
                self.record(step, f"{role}_death", {"worker": name, "count": n})
        for name, read in self.counters.items():
            now = read()
            out[f"faults/{name}"] = float(now - self._counted[name])
            self._counted[name] = now
        skipped = metrics.get("train/nonfinite_skipped", 0.0)
        self.nonfinite_streak = self.nonfinite_streak + 1 if skipped > 0 else 0
        out["faults/nonfinite_skipped"] = float(skipped)
        if self.nonfinite_streak >= self.limits.max_nonfinite_in_a_row:
            self._exceeded = self._exceeded or TooManyFaults(
                f"{self.nonfinite_streak} steps in a row had a NaN/Inf loss or gradient and were skipped (limit "
                f"faults.max_nonfinite_in_a_row={self.limits.max_nonfinite_in_a_row}); the batches are in "
                f"{self.log_dir / 'faults' if self.log_dir else 'the faults log'}. Lower learner.lr or check the "
                f"rewards, then --resume"
            )
        return out

    def check(self) -> None:
        """Raises TooManyFaults when the last `after_step` passed a limit."""
        if self._exceeded is not None:
            raise self._exceeded

    def nonfinite_batch(self, step: int, batch: Batch, metrics: Mapping[str, float]) -> None:
        """Keep the batch that produced a non-finite update, so it can be replayed against the checkpoint."""
        detail: dict[str, Any] = {"skipped_updates": metrics.get("train/nonfinite_skipped", 0.0)}
        if self.log_dir is not None:
            path = self.log_dir / "faults" / f"nonfinite-step-{step}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(_batch_record(batch)))
            detail["batch"] = str(path)
        self.record(step, "nonfinite_update", detail)

    def record(self, step: int, kind: str, detail: Mapping[str, Any]) -> None:
        """Appends to RUN/faults.jsonl. The disk may be what failed: then the event goes to the log instead."""
        event = json.dumps({"step": step, "kind": kind, **detail})
        if self.log_dir is None:
            return
        try:
            with open(self.log_dir / "faults.jsonl", "a", encoding="utf-8") as f:
                f.write(event + "\n")
        except OSError as err:
            log.error("could not append to %s (%s): %s", self.log_dir / "faults.jsonl", err, event)


def _batch_record(batch: Batch) -> dict[str, Any]:
    """JSON cannot hold NaN portably: non-finite floats are written as strings."""

    def clean(x: float) -> float | str:
        return x if math.isfinite(x) else str(x)

    return {
        "weight_version": batch.weight_version,
        "prompt_ids": batch.prompt_ids,
        "completion_ids": batch.completion_ids,
        "advantages": [clean(a) for a in batch.advantages],
        "rollout_logprobs": [[clean(x) for x in row] for row in batch.rollout_logprobs],
        "group_index": batch.group_index,
    }


def read_faults(run_dir: Path) -> list[dict[str, Any]]:
    path = Path(run_dir) / "faults.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
