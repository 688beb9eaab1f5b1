"""`reasonrl train` end to end on the tiny model: debug and local topologies, config errors, resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM

from reasonrl.launch.config import load_config
from reasonrl.launch.train import run_training

pytest.importorskip("deepspeed")

PARITY = str(Path(__file__).parents[1] / "trainer" / "loop_rewards.py") + ":text_length_parity"
REASONRL = str(Path(sys.executable).with_name("reasonrl"))


def quick(model: Path, run_dir: Path, *extra: str) -> list[str]:
    """Overrides that shrink the demo config to seconds a step; the parity reward gives every group signal."""
    return [
        f"model.path={model}",
        f"logging.run_dir={run_dir.parent}",
        f"logging.name={run_dir.name}",
        "logging.progress=false",
        "rollout.problems_per_step=3",
        "rollout.group_size=4",
        "rollout.sampling.max_new_tokens=16",
        "problems.eval.problems=3",
        "problems.eval.samples=2",
        "problems.eval.k=2",
        f"rewards.user=[{PARITY}]",
        *extra,
    ]


DEBUG = ["topology.mode=debug", "topology.learner_ranks=1", "learner.zero_stage=0", "rewards.workers=0"]


def steps_logged(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]


def test_debug_run_logs_checkpoints_exports_and_plots(tiny_model_dir: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "runs" / "debug"
    cfg = load_config("debug-cpu", quick(tiny_model_dir, run_dir, *DEBUG, "schedule.steps=2", "schedule.eval_every=1"))
    result = run_training(cfg, run_dir)
    rows = steps_logged(run_dir)
    assert [r["step"] for r in rows] == [0, 1, 2]
    assert all("eval/pass@1" in r for r in rows)
    assert rows[1]["train/skipped"] == 0.0 and rows[1]["time/train"] > 0 and "reward/family/gcd_lcm" in str(rows)
    assert (run_dir / "samples" / "000002.jsonl").is_file() and (run_dir / "config.yaml").is_file()
    assert load_config(run_dir / "config.yaml") == cfg
    assert sorted(p.name for p in result.plots) == ["eval_accuracy.png", "reward.png", "solve_rate.png"]
    assert AutoModelForCausalLM.from_pretrained(result.hf_dir).num_parameters() > 0
    assert list((run_dir / "tensorboard").iterdir())


def test_local_run_trains_two_zero2_ranks_asynchronously(tiny_model_dir: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "runs" / "local"
    extra = ("schedule.steps=3", "algorithm.staleness=1", "topology.learner_ranks=2", "learner.zero_stage=2")
    result = run_training(load_config("debug-cpu", quick(tiny_model_dir, run_dir, *extra)), run_dir)
    rows = {r["step"]: r for r in steps_logged(run_dir)}
    assert [rows[s]["offpolicy/staleness"] for s in (1, 2, 3)] == [0.0, 1.0, 1.0]
    assert all(rows[s]["train/skipped"] == 0.0 for s in (1, 2, 3))
    assert result.hf_dir is not None and (result.hf_dir / "config.json").is_file()


@pytest.mark.parametrize(
    ("override", "names"),
    [
        ("rollout.group_sise=4", "rollout.group_sise"),
        ("rollout.group_size=many", "rollout.group_size"),
        ("algorithm.advantage=ppo_magic", "algorithm.advantage"),
        ("topology.rollout.gpus=1", "topology.rollout.gpus"),
        ("learner.offload_params=true", "learner.offload_params"),
        ("rollout.engine=vllm", "rollout.engine"),
    ],
)
def test_bad_config_fails_before_anything_starts(tmp_path: Path, override: str, names: str) -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [REASONRL, "train", "debug-cpu", f"logging.run_dir={tmp_path}", override],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: config:") and names in proc.stderr
    assert not list(tmp_path.iterdir())  # no run folder: nothing started
    assert time.monotonic() - started < 60


def test_killed_run_resumes_with_the_same_problems(tiny_model_dir: Path, tmp_path: Path) -> None:
    def cmd(name: str, *extra: str) -> list[str]:
        # Synchronous: an async run regenerates the step after a checkpoint with newer weights, so its refill
        # draws (dynamic sampling) may differ; the first draw of every step is the same either way.
        sync = ("algorithm.staleness=0", "schedule.steps=4", "schedule.checkpoint_every=1")
        args = quick(tiny_model_dir, tmp_path / name, *DEBUG, *sync)
        return [REASONRL, "train", "debug-cpu", *args, *extra]

    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    straight = subprocess.run(cmd("straight"), capture_output=True, text=True, timeout=400, env=env)
    assert straight.returncode == 0, straight.stderr[-2000:]

    victim = subprocess.Popen(cmd("killed"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 300
    while not (tmp_path / "killed" / "checkpoints" / "2").is_dir() and victim.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)

    resumed = subprocess.run(
        cmd("killed", "--resume", "--run-dir", str(tmp_path / "killed")),
        capture_output=True,
        text=True,
        timeout=400,
        env=env,
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resumed from" in resumed.stdout
    straight_rows = steps_logged(tmp_path / "straight")
    resumed_rows = steps_logged(tmp_path / "killed")
    assert [r["step"] for r in resumed_rows] == [r["step"] for r in straight_rows] == [0, 1, 2, 3, 4]
    for step in (3, 4):
        assert _prompts(tmp_path / "killed", step) == _prompts(tmp_path / "straight", step)


def _prompts(run_dir: Path, step: int) -> list[str]:
    lines = (run_dir / "samples" / f"{step:06d}.jsonl").read_text().splitlines()
    return [json.loads(line)["prompt"] for line in lines]


def test_sigterm_checkpoints_exits_75_and_resume_finishes(tiny_model_dir: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "preempted"
    args = [REASONRL, "train", "debug-cpu", *quick(tiny_model_dir, run_dir, *DEBUG, "schedule.steps=6")]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    deadline = time.monotonic() + 300
    while not any(r["step"] >= 1 for r in _rows_if_any(run_dir)):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 75, out[-2000:]
    stopped = max(r["step"] for r in steps_logged(run_dir))
    assert 1 <= stopped < 6 and (run_dir / "checkpoints" / str(stopped)).is_dir()
    assert not (run_dir / "hf").exists()  # an interrupted run is not exported

    resumed = subprocess.run([*args, "--resume", "--run-dir", str(run_dir)], capture_output=True, text=True, env=env)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert [r["step"] for r in steps_logged(run_dir)] == list(range(7))  # no step lost, none logged twice


def _rows_if_any(run_dir: Path) -> list[dict]:
    path = run_dir / "metrics.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
