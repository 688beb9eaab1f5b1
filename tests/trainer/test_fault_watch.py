"""The fault watch: per-step death counts, the N-deaths-in-M-steps limit per worker, the non-finite streak."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from reasonrl.trainer.fault_injection import ENV, poison, poisoned_steps
from reasonrl.trainer.fault_watch import DeathWindow, FaultLimits, FaultWatch, TooManyFaults, read_faults
from reasonrl.trainer.types import Batch

LIMITS = FaultLimits(max_worker_deaths=3, window_steps=5, max_nonfinite_in_a_row=2)


def test_deaths_spread_wider_than_the_window_never_stop_the_run() -> None:
    window = DeathWindow("rollout", LIMITS)
    total = 0
    for step in range(1, 31):
        if step % 3 == 0:  # one death every 3 steps: at most 2 inside any 5-step window
            total += 1
        assert window.observe(step, {"rollout-0": total}) == ({"rollout-0": 1} if step % 3 == 0 else {})


def test_the_worker_that_keeps_dying_is_named() -> None:
    window = DeathWindow("reward", LIMITS)
    window.observe(1, {"reward-0": 1, "reward-1": 0})
    window.observe(2, {"reward-0": 1, "reward-1": 2})
    with pytest.raises(TooManyFaults, match=r"reward worker reward-1 died 3 times in the last 5 steps"):
        window.observe(4, {"reward-0": 1, "reward-1": 3})


def test_deaths_within_one_step_count_at_once() -> None:
    with pytest.raises(TooManyFaults, match="faults.max_worker_deaths=3"):
        DeathWindow("rollout", LIMITS).observe(1, {"rollout-0": 3})


def test_metrics_events_and_the_nonfinite_streak(tmp_path: Path) -> None:
    counts = {"rollout-0": 0}
    watch = FaultWatch(LIMITS, {"rollout": lambda: dict(counts)}, tmp_path)
    counts["rollout-0"] = 1
    assert watch.after_step(1, {"train/nonfinite_skipped": 0.0})["faults/rollout_deaths"] == 1.0
    assert watch.after_step(2, {"train/nonfinite_skipped": 1.0})["faults/nonfinite_skipped"] == 1.0
    assert watch.after_step(3, {"train/nonfinite_skipped": 0.0})["faults/rollout_deaths"] == 0.0  # streak reset
    watch.after_step(4, {"train/nonfinite_skipped": 2.0})
    watch.check()
    assert watch.after_step(5, {"train/nonfinite_skipped": 1.0})["faults/nonfinite_skipped"] == 1.0  # still reported
    with pytest.raises(TooManyFaults, match="2 steps in a row"):
        watch.check()
    assert read_faults(tmp_path) == [{"step": 1, "kind": "rollout_death", "worker": "rollout-0", "count": 1}]


def test_a_poisoned_batch_is_kept_for_replay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "3, 7")
    assert poisoned_steps() == {3, 7}
    batch = poison(Batch([[1, 2]], [[3, 4]], [[-0.5, -1.0]], [0.5], group_index=[0]))
    assert math.isnan(batch.advantages[0])
    watch = FaultWatch(LIMITS, {}, tmp_path)
    watch.nonfinite_batch(3, batch, {"train/nonfinite_skipped": 1.0})
    saved = json.loads((tmp_path / "faults" / "nonfinite-step-3.json").read_text())
    assert saved["advantages"] == ["nan"] and saved["completion_ids"] == [[3, 4]]
    assert read_faults(tmp_path)[0]["kind"] == "nonfinite_update"
    monkeypatch.setenv(ENV, "three")
    with pytest.raises(ValueError, match=ENV):
        poisoned_steps()
