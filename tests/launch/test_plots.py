"""`plot_run` draws three PNGs from a synthetic metrics.jsonl; `reasonrl plot` names a folder without metrics."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reasonrl.launch.plots import plot_run, rolling_mean

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _write_run(run: Path, steps: int = 30) -> None:
    run.mkdir()
    with (run / "metrics.jsonl").open("w") as f:
        for step in range(1, steps + 1):
            row = {
                "step": step,
                "time": 1.7e9 + step,
                "reward/mean": step / steps,
                "reward/family/gcd_lcm": 0.5,
                "solve_rate/gcd_lcm": step / steps,
                "solve_rate/gcd_lcm/d3": 0.5,
                "solve_rate/quadratic": None if step % 7 == 0 else 1 - step / steps,
                "train/loss": 0.1,
            }
            if step % 10 == 0:
                row |= {
                    "eval/pass@1": step / (3 * steps),
                    "eval/pass@8": step / steps,
                    "eval/maj@8": step / (2 * steps),
                }
                row |= {"eval/gcd_lcm/pass@1": 0.6, "eval/quadratic/pass@1": 0.2}
            f.write(json.dumps(row) + "\n")


def test_plot_run_writes_three_pngs(tmp_path: Path) -> None:
    run = tmp_path / "run"
    _write_run(run)
    paths = plot_run(run)
    assert [p.name for p in paths] == ["reward.png", "solve_rate.png", "eval_accuracy.png"]
    for path in paths:
        assert path.parent == run / "plots"
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 10_000


def test_plot_run_without_eval_steps_still_writes_every_plot(tmp_path: Path) -> None:
    run = tmp_path / "run"
    _write_run(run, steps=5)
    out = tmp_path / "elsewhere"
    assert [p.name for p in plot_run(run, out)] == ["reward.png", "solve_rate.png", "eval_accuracy.png"]
    assert all((out / name).stat().st_size > 0 for name in ("reward.png", "solve_rate.png", "eval_accuracy.png"))


def test_rolling_mean_is_trailing() -> None:
    assert rolling_mean([0.0, 1.0, 1.0, 0.0], 2) == [0.0, 0.5, 1.0, 0.5]


def test_plot_cli_prints_paths_and_rejects_a_folder_without_metrics(tmp_path: Path) -> None:
    run = tmp_path / "run"
    _write_run(run, steps=3)
    out = tmp_path / "pngs"
    cli = [sys.executable, "-m", "reasonrl.launch.cli", "plot"]
    ok = subprocess.run([*cli, str(run), "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == [str(out / n) for n in ("reward.png", "solve_rate.png", "eval_accuracy.png")]
    empty = tmp_path / "not-a-run"
    empty.mkdir()
    bad = subprocess.run([*cli, str(empty)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert (
        bad.stderr.strip()
        == f"error: {empty} has no metrics.jsonl; give a run folder (runs/NAME) that has logged steps"
    )
    assert not (empty / "plots").exists()


def test_plot_run_rejects_an_empty_metrics_file(tmp_path: Path) -> None:
    (tmp_path / "metrics.jsonl").write_text("")
    with pytest.raises(ValueError, match="has no logged steps yet"):
        plot_run(tmp_path)
