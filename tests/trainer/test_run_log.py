"""RunLogger files (jsonl, TensorBoard, W&B offline), resume truncation, the stuck-reward watch, plain progress lines."""

from __future__ import annotations

import json
import math
import re
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from reasonrl.trainer.progress import RunProgress
from reasonrl.trainer.reward_watch import StuckRewardWatch
from reasonrl.trainer.run_log import RunLogger, read_metrics


def _scalars(run_dir: Path, tag: str) -> list[tuple[int, float]]:
    acc = EventAccumulator(str(run_dir / "tensorboard"))
    acc.Reload()
    return [(e.step, e.value) for e in acc.Scalars(tag)]


def test_jsonl_nulls_non_finite_and_tensorboard_reads_back(tmp_path: Path) -> None:
    with RunLogger(tmp_path, tensorboard=True) as log:
        log.log(1, {"reward/mean": 0.25, "train/loss": float("nan"), "train/kl": float("inf")})
        log.log(2, {"reward/mean": 0.5, "solve_rate/gcd_lcm": 1})
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    assert first["step"] == 1 and first["reward/mean"] == 0.25
    assert first["train/loss"] is None and first["train/kl"] is None
    assert abs(first["time"] - json.loads(lines[1])["time"]) < 60
    assert [r["step"] for r in read_metrics(tmp_path)] == [1, 2]
    assert _scalars(tmp_path, "reward/mean") == [(1, 0.25), (2, 0.5)]
    assert _scalars(tmp_path, "solve_rate/gcd_lcm") == [(2, 1.0)]


def test_resume_truncates_steps_at_and_after_the_resumed_step(tmp_path: Path) -> None:
    with RunLogger(tmp_path) as log:
        for step in range(1, 6):
            log.log(step, {"reward/mean": step / 10})
    with (tmp_path / "metrics.jsonl").open("a") as f:
        f.write('{"step": 6, "rew')  # a line cut short by a kill
    with pytest.raises(ValueError, match="resume the run or choose a new run folder"):
        RunLogger(tmp_path)
    with RunLogger(tmp_path, resume=True) as log:
        log.truncate_after(4)
        log.log(4, {"reward/mean": 0.9})
    assert [(r["step"], r["reward/mean"]) for r in read_metrics(tmp_path)] == [
        (1, 0.1),
        (2, 0.2),
        (3, 0.3),
        (4, 0.9),
    ]
    points = _scalars(tmp_path, "reward/mean")
    assert [s for s, _ in points] == [1, 2, 3, 4] and math.isclose(points[-1][1], 0.9, rel_tol=1e-6)


def test_samples_file_and_missing_field_error(tmp_path: Path) -> None:
    record = {
        "prompt": "1+1?",
        "completion": "\\boxed{2}",
        "reward": 1.0,
        "correct": True,
        "extracted": "2",
        "reason": "correct",
        "family": "int_expression",
        "difficulty": 1,
    }
    with RunLogger(tmp_path, tensorboard=False) as log:
        path = log.write_samples(7, [record, {**record, "reward": float("nan"), "correct": False}])
        with pytest.raises(ValueError, match="lacks \\['reason'\\]"):
            log.write_samples(8, [{k: v for k, v in record.items() if k != "reason"}])
    assert path == tmp_path / "samples" / "000007.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[0] == record and rows[1]["reward"] is None
    assert not (tmp_path / "samples" / "000008.jsonl").exists()
    assert not (tmp_path / "tensorboard").exists()


def test_wandb_offline_writes_a_run_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    with RunLogger(tmp_path, tensorboard=False, wandb=True, config={"lr": 1e-6}, run_name="t") as log:
        log.log(1, {"reward/mean": 0.5})
    run_id = (tmp_path / "wandb_id.txt").read_text().strip()
    runs = list((tmp_path / "wandb").glob(f"offline-run-*-{run_id}"))
    assert len(runs) == 1 and any(runs[0].glob("*.wandb"))
    with RunLogger(tmp_path, tensorboard=False, wandb=True, resume=True) as log:
        log.log(2, {"reward/mean": 0.75})
    assert (tmp_path / "wandb_id.txt").read_text().strip() == run_id
    assert len(list((tmp_path / "wandb").glob(f"offline-run-*-{run_id}"))) == 2
    with pytest.raises(ValueError, match="wandb_mode 'cloud' is unknown"):
        RunLogger(tmp_path / "other", wandb=True, wandb_mode="cloud")


def test_stuck_reward_warns_once_per_stuck_stretch() -> None:
    watch = StuckRewardWatch(3)
    assert [watch.observe(0.0) for _ in range(2)] == [None, None]
    message = watch.observe(0.0)
    assert message is not None and message.startswith("reward has been 0.0 for 3 steps")
    assert "reasonrl verify" in message
    assert [watch.observe(0.0) for _ in range(5)] == [None] * 5
    assert watch.observe(0.5) is None
    assert [watch.observe(1.0) for _ in range(2)] == [None, None]
    assert "reward has been 1.0 for 3 steps" in watch.observe(1.0)
    assert watch.observe(0.0) is None and watch.observe(0.0) is None
    assert watch.observe(0.0) is not None
    with pytest.raises(ValueError, match="must be an integer >= 1"):
        StuckRewardWatch(0)


def test_progress_prints_one_plain_line_per_step_off_a_terminal() -> None:
    out = StringIO()
    console = Console(file=out, width=60)
    with RunProgress(60, console=console) as progress:
        progress.update(1, {"reward/mean": 0.1, "tokens_per_s/generate": 1200.4})
        progress.update(3, {"reward/mean": 0.42, "eval/pass@1": 0.35, "tokens_per_s/train": 800})
        progress.update(4, {"reward/mean": 0.5})
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert re.fullmatch(r"step 1/60 reward 0\.10 gen 1200 tok/s elapsed \S+ eta \S+", lines[0])
    assert lines[1].startswith("step 3/60 reward 0.42 eval 35.0% train 800 tok/s elapsed ")
    assert lines[2].startswith("step 4/60 reward 0.50 eval 35.0% elapsed ")
    assert "\x1b" not in out.getvalue()


def test_progress_bar_on_a_terminal_shows_step_reward_and_eval() -> None:
    out = StringIO()
    console = Console(file=out, width=150, force_terminal=True)
    with RunProgress(60, start_step=2, console=console) as progress:
        progress.update(3, {"reward/mean": 0.42, "eval/pass@1": 0.35, "tokens_per_s/generate": 1200})
    text = out.getvalue()
    assert "step 3/60" in text and "reward 0.42" in text and "eval 35.0%" in text and "gen 1200 tok/s" in text
