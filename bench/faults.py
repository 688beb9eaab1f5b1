"""Fault drill: a local-topology run with a fault injected every few steps, rotating through every kind the
trainer survives, against a fault-free run of the same config. Prints how long each recovery took and ends
with `steps_lost: N` (0 when every step was trained once, on the same problems, with every sample scored).

    python bench/faults.py [--steps 30] [--every 3] [--out runs/bench-faults]

Recovery time: from the fault to the first step logged after it (for a learner rank or preemption this
includes the resumed process starting Ray and loading the checkpoint); for a checkpoint write, from the
failure to the next checkpoint on disk.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reasonrl.launch.tiny_model import init_model  # noqa: E402
from reasonrl.trainer.checkpoint import CheckpointManager  # noqa: E402
from reasonrl.trainer.fault_injection import ENV as POISON_ENV  # noqa: E402
from reasonrl.trainer.fault_watch import read_faults  # noqa: E402
from tests.faults.fault_rewards import BUSY_ENV  # noqa: E402
from tests.faults.harness import Run, kill, prompts, rows  # noqa: E402

KINDS = (
    "rollout_worker",
    "reward_worker",
    "nonfinite",
    "learner_rank",
    "checkpoint_write",
    "reward_pool",
    "preemption",
)


def next_step_logged(run: Run, step: int) -> float:
    run.wait_for_step(step + 1)
    return time.monotonic()


class Drill:
    def __init__(self, run: Run, busy: Path) -> None:
        self.run, self.busy = run, busy

    def inject(self, kind: str, step: int) -> tuple[float, str]:
        """Injects `kind` right after `step` is logged; returns (seconds to recover, what happened)."""
        return getattr(self, kind)(step)

    def _after(self, step: int, act: Callable[[], None]) -> float:
        self.run.wait_for_step(step)
        start = time.monotonic()
        act()
        return next_step_logged(self.run, step) - start

    def rollout_worker(self, step: int) -> tuple[float, str]:
        seconds = self._after(step, lambda: kill(self.run.find("ray::RolloutWorker")))
        return seconds, "killed the rollout worker; replaced, shard resubmitted"

    def reward_worker(self, step: int) -> tuple[float, str]:
        seconds = self._after(step, lambda: kill([self.run.busy_reward_worker(self.busy)]))
        return seconds, "killed a reward worker mid-item; item rescored"

    def reward_pool(self, step: int) -> tuple[float, str]:
        def everything() -> None:
            self.run.busy_reward_worker(self.busy)
            kill([*self.run.reward_workers(), self.run.forkserver()])

        return self._after(step, everything), "killed every reward worker and the forkserver mid-item"

    def nonfinite(self, step: int) -> tuple[float, str]:
        # Poisoned through the environment at launch (REASONRL_POISON_STEPS); the step after `step` is it.
        self.run.wait_for_step(step)
        start = time.monotonic()
        seconds = next_step_logged(self.run, step) - start
        skipped = {r["step"]: r for r in rows(self.run.run_dir)}[step + 1].get("train/nonfinite_skipped", 0)
        return seconds, f"NaN batch at step {step + 1}: {skipped:g} update(s) skipped"

    def learner_rank(self, step: int) -> tuple[float, str]:
        def kill_rank_and_resume() -> None:
            kill(self.run.find("ray::LearnerActor")[-1:])
            code = self.run.wait()
            assert code == 76, f"expected exit 76 after a dead learner rank, got {code}"
            self.run.resume()

        return self._after(step, kill_rank_and_resume), "killed a learner rank; exit 76, resumed"

    def preemption(self, step: int) -> tuple[float, str]:
        def sigterm_and_resume() -> None:
            self.run.proc.send_signal(signal.SIGTERM)
            code = self.run.wait()
            assert code == 75, f"expected exit 75 after SIGTERM, got {code}"
            self.run.resume()

        return self._after(step, sigterm_and_resume), "SIGTERM; checkpoint, exit 75, resumed"

    def checkpoint_write(self, step: int) -> tuple[float, str]:
        self.run.wait_for_step(step)
        folder = self.run.run_dir / "checkpoints"
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            while not any(e["kind"] == "checkpoint_failed" and e["step"] > step for e in read_faults(self.run.run_dir)):
                time.sleep(0.02)
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        failed_at = time.monotonic()
        failed = max(e["step"] for e in read_faults(self.run.run_dir) if e["kind"] == "checkpoint_failed")
        manager = CheckpointManager(self.run.run_dir)
        while not [s for s in manager.list() if s > failed]:
            time.sleep(0.02)
        return time.monotonic() - failed_at, f"checkpoint {failed} failed (immutable folder); retried next step"


def steps_lost(faulted: Path, reference: Path, steps: int) -> tuple[int, list[str]]:
    got, want = rows(faulted), rows(reference)
    problems = []
    logged = [r["step"] for r in got]
    for step in range(steps + 1):
        if logged.count(step) != 1:
            problems.append(f"step {step} logged {logged.count(step)} times")
    by_step, ref_by_step = {r["step"]: r for r in got}, {r["step"]: r for r in want}
    for step in range(1, steps + 1):
        if step not in by_step:
            continue
        if prompts(faulted, step) != prompts(reference, step):
            problems.append(f"step {step} trained on other problems")
        elif by_step[step].get("rollout/samples") != ref_by_step[step].get("rollout/samples"):
            problems.append(f"step {step} lost samples")
        elif by_step[step].get("verifier/worker_deaths", 0):
            problems.append(f"step {step} scored items 0 for dead workers")
    return len({p.split(" ")[1] for p in problems}), problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--every", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("runs/bench-faults"))
    args = parser.parse_args()
    if shutil.which("chattr") is None:
        sys.exit("bench/faults.py needs chattr (e2fsprogs) for the checkpoint-write fault")
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    model = args.out / "model"
    init_model(model, size="tiny", seed=0)
    common = ("faults.max_worker_deaths=5",)

    started = time.monotonic()
    reference = Run.start(model, args.out / "reference", *common, steps=args.steps)
    assert reference.wait() == 0, reference.output[-3000:]
    reference_s = time.monotonic() - started
    step_times = [r["time/step"] for r in rows(reference.run_dir) if "time/step" in r]
    print(
        f"fault-free run: {args.steps} steps in {reference_s:.1f} s, median step {statistics.median(step_times):.2f} s"
    )

    schedule = [(s, KINDS[i % len(KINDS)]) for i, s in enumerate(range(args.every, args.steps, args.every))]
    poison = ",".join(str(s + 1) for s, kind in schedule if kind == "nonfinite")
    busy = args.out / "busy"
    busy.mkdir()
    started = time.monotonic()
    run = Run.start(
        model, args.out / "faulted", *common, steps=args.steps, env={POISON_ENV: poison, BUSY_ENV: str(busy)}
    )
    drill = Drill(run, busy)
    recoveries: dict[str, list[float]] = {}
    for step, kind in schedule:
        seconds, what = drill.inject(kind, step)
        recoveries.setdefault(kind, []).append(seconds)
        print(f"after step {step:>2}: {kind:<16} recovered in {seconds:6.2f} s  ({what})")
    code = run.wait()
    faulted_s = time.monotonic() - started
    run.assert_no_leaks()
    print(f"faulted run: exit {code}, {faulted_s:.1f} s ({faulted_s - reference_s:+.1f} s against fault-free)")
    for kind, times in recoveries.items():
        print(f"  {kind:<16} n={len(times)} median recovery {statistics.median(times):.2f} s")
    lost, problems = steps_lost(run.run_dir, reference.run_dir, args.steps)
    for problem in problems:
        print(f"  LOST: {problem}")
    print("leaked_processes: 0")
    print(f"steps_lost: {lost if code == 0 else args.steps}")


if __name__ == "__main__":
    main()
