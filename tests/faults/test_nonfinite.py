"""A NaN in a step's loss: the update is skipped on every rank, the batch kept for replay, the run goes on;
too many in a row stop it."""

from __future__ import annotations

import json
from pathlib import Path

from reasonrl.launch.exit_codes import EXIT_FAULTS
from reasonrl.trainer.fault_injection import ENV

from .conftest import STEPS
from .harness import Run, assert_same_steps, rows


def test_poisoned_step_is_skipped_and_logged(tiny_model_dir: Path, tmp_path: Path, reference_run: Path) -> None:
    run = Run.start(tiny_model_dir, tmp_path / "run", env={ENV: "3"})
    assert run.wait() == 0, run.output[-3000:]
    assert_same_steps(run.run_dir, reference_run, STEPS)
    logged = {r["step"]: r for r in rows(run.run_dir)}
    assert logged[3]["train/nonfinite_skipped"] >= 1 and logged[3]["faults/nonfinite_skipped"] >= 1
    assert all(logged[s]["train/nonfinite_skipped"] == 0 for s in (1, 2, 4, 5, 6))
    kept = json.loads((run.run_dir / "faults" / "nonfinite-step-3.json").read_text())
    assert kept["advantages"][0] == "nan" and len(kept["completion_ids"]) == 12
    run.assert_no_leaks()


def test_nonfinite_steps_in_a_row_stop_the_run(tiny_model_dir: Path, tmp_path: Path) -> None:
    run = Run.start(tiny_model_dir, tmp_path / "run", "faults.max_nonfinite_in_a_row=2", env={ENV: "2,3"})
    assert run.wait() == EXIT_FAULTS, run.output[-3000:]
    assert "2 steps in a row had a NaN/Inf" in run.output
    assert max(r["step"] for r in rows(run.run_dir)) == 3
    run.assert_no_leaks()
