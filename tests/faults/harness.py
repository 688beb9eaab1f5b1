"""Shared by the fault tests and bench/faults.py: a short `reasonrl train` run in the local topology (a private
Ray, two ZeRO-2 learner ranks, a rollout worker, two reward workers) as a subprocess, the processes to kill,
and the checks that a faulted run matches a fault-free one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REASONRL = str(Path(sys.executable).with_name("reasonrl"))
ROOT = Path(__file__).resolve().parents[2]
SLOW_REWARD = str(ROOT / "tests" / "faults" / "fault_rewards.py") + ":slow_parity"
PROBLEMS_PER_STEP = 3


def overrides(model: Path, run_dir: Path, steps: int = 6, *extra: str) -> list[str]:
    """Synchronous and without dynamic sampling, so every step draws the same problems in every run; the slow
    parity reward gives every group signal and keeps reward workers busy long enough to be killed mid-item."""
    return [
        f"model.path={model}",
        f"logging.run_dir={run_dir.parent}",
        f"logging.name={run_dir.name}",
        "logging.progress=false",
        f"logging.samples_per_step={PROBLEMS_PER_STEP}",
        f"rollout.problems_per_step={PROBLEMS_PER_STEP}",
        "rollout.group_size=4",
        "rollout.sampling.max_new_tokens=16",
        "problems.eval.problems=3",
        "problems.eval.samples=2",
        "problems.eval.k=2",
        f"rewards.user=[{SLOW_REWARD}]",
        "rewards.workers=2",
        "algorithm.staleness=0",
        "algorithm.dynamic_sampling=false",
        "topology.mode=local",
        "topology.learner_ranks=2",
        "learner.zero_stage=2",
        "learner.collective_timeout_s=120",
        f"schedule.steps={steps}",
        "schedule.checkpoint_every=2",
        "schedule.keep_last=3",
        *extra,
    ]


@dataclass
class Run:
    """One `reasonrl train` subprocess and every process it started (recorded as they appear)."""

    run_dir: Path
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    seen: set[int] = field(default_factory=set)
    output: str = ""
    log_path: Path | None = None

    @classmethod
    def start(
        cls,
        model: Path,
        run_dir: Path,
        *extra: str,
        steps: int = 6,
        env: dict[str, str] | None = None,
        log_dir: Path | None = None,
    ) -> Run:
        """`log_dir`: where the run's console output goes (default beside the run; elsewhere when the test
        fills the run's disk)."""
        run = cls(run_dir, [REASONRL, "train", "debug-cpu", *overrides(model, run_dir, steps, *extra)])
        run.env = {**os.environ, "OMP_NUM_THREADS": "1", "RAY_AUTH_MODE": "disabled", **(env or {})}
        run.log_path = (log_dir or run_dir.parent) / f"{run_dir.name}.log"
        run.launch()
        return run

    def launch(self, *extra: str) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115 - lives with the process
        self.proc = subprocess.Popen([*self.args, *extra], stdout=log, stderr=subprocess.STDOUT, env=self.env)

    def resume(self, *extra: str) -> None:
        self.launch(*extra, "--resume", "--run-dir", str(self.run_dir))

    def wait(self, timeout: float = 400) -> int:
        assert self.proc is not None
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            self.output = self.log_path.read_text()
        return code

    def descendants(self) -> list[psutil.Process]:
        """Every live process under the driver (Ray's raylet and actors, the reward forkserver and workers)."""
        try:
            found = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        self.seen.update(p.pid for p in found)
        return found

    def find(self, title: str, timeout: float = 120) -> list[psutil.Process]:
        """Processes whose command line starts with `title` (Ray names actor processes `ray::Class...`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [p for p in self.descendants() if _cmdline(p).startswith(title)]
            if found:
                return found
            assert self.proc.poll() is None, f"the run ended before a {title} process appeared"
            time.sleep(0.1)
        raise AssertionError(f"no {title} process within {timeout}s")

    def forkserver(self) -> psutil.Process | None:
        """The driver's multiprocessing forkserver, parent of every reward worker."""
        for child in psutil.Process(self.proc.pid).children():
            if "forkserver" in _cmdline(child):
                return child
        return None

    def reward_workers(self) -> list[psutil.Process]:
        server = self.forkserver()
        return server.children() if server else []

    def busy_reward_worker(self, busy_dir: Path, timeout: float = 120) -> psutil.Process:
        """A reward worker scoring an item right now: it marked itself busy (tests/faults/fault_rewards.py)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = {p.pid: p for p in self.reward_workers()}
            for marker in busy_dir.iterdir():
                if int(marker.name) in workers:
                    return workers[int(marker.name)]
            assert self.proc.poll() is None, "the run ended before a reward worker was busy"
            time.sleep(0.005)
        raise AssertionError("no reward worker was busy")

    def wait_for_step(self, step: int, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while max((r["step"] for r in rows(self.run_dir)), default=-1) < step:
            assert self.proc.poll() is None, f"the run ended before step {step}"
            assert time.monotonic() < deadline, f"step {step} not reached within {timeout}s"
            self.descendants()
            time.sleep(0.05)

    def assert_no_leaks(self, grace_s: float = 20) -> None:
        deadline = time.monotonic() + grace_s
        alive = self.seen
        while alive and time.monotonic() < deadline:
            alive = {pid for pid in alive if _alive(pid)}
            time.sleep(0.2)
        assert not alive, f"processes left running after the run exited: {sorted(alive)}"


def kill(processes: list[psutil.Process], sig: int = signal.SIGKILL) -> None:
    for p in processes:
        try:
            os.kill(p.pid, sig)
        except ProcessLookupError:
            pass


def rows(run_dir: Path) -> list[dict]:
    path = run_dir / "metrics.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def prompts(run_dir: Path, step: int) -> list[str]:
    lines = (run_dir / "samples" / f"{step:06d}.jsonl").read_text().splitlines()
    return [json.loads(line)["prompt"] for line in lines]


def assert_same_steps(faulted: Path, reference: Path, steps: int) -> None:
    """Every step logged exactly once, with the same problems and the same number of samples as a fault-free
    run: nothing lost, nothing done twice, the problem stream at the same position."""
    got, want = rows(faulted), rows(reference)
    assert [r["step"] for r in got] == [r["step"] for r in want] == list(range(steps + 1))
    for step in range(1, steps + 1):
        assert prompts(faulted, step) == prompts(reference, step), f"step {step} drew other problems"
        assert got[step]["rollout/samples"] == want[step]["rollout/samples"], f"step {step} lost samples"
        assert got[step]["verifier/worker_deaths"] == 0, f"step {step} scored an item 0 for a dead worker"


def total(run_dir: Path, key: str) -> float:
    return sum(r.get(key, 0.0) for r in rows(run_dir))


def _cmdline(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return ""


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
