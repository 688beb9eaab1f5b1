"""What the loop hands back to the run: metrics to the logger and the progress display, evaluation on the
held-out set, checkpoints, sample files and the stuck-reward warning."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasonrl.problems.types import Problem
from reasonrl.rollout.types import SamplingParams
from reasonrl.trainer.checkpoint import CheckpointError, CheckpointManager
from reasonrl.trainer.evaluation import evaluate
from reasonrl.trainer.fault_watch import FaultWatch
from reasonrl.trainer.loop import CheckpointFailed
from reasonrl.trainer.progress import RunProgress
from reasonrl.trainer.reward_watch import StuckRewardWatch
from reasonrl.trainer.run_log import RunLogger
from reasonrl.trainer.scoring import ScoredGroup

from .config import RunConfig

log = logging.getLogger("reasonrl.train")


class RunHooks:
    def __init__(
        self,
        cfg: RunConfig,
        run_dir: Path,
        parts: Any,
        heldout: list[Problem],
        logger: RunLogger,
        progress: RunProgress,
        faults: FaultWatch | None = None,
        history: list[dict[str, float]] | None = None,
    ) -> None:
        """`history` receives every step's metrics (pass a list to keep them if the run stops early)."""
        self.cfg, self.run_dir, self.parts, self.heldout = cfg, run_dir, parts, heldout
        self.logger, self.progress = logger, progress
        self.watch = StuckRewardWatch(cfg.logging.stuck_reward_steps)
        self.checkpoints = CheckpointManager(run_dir, keep_last=cfg.schedule.keep_last)
        self.history: list[dict[str, float]] = history if history is not None else []
        self.faults = faults
        self.checkpoint_failures = 0  # consecutive
        ev = cfg.problems.eval
        self.eval_sampling = SamplingParams(
            temperature=ev.temperature,
            max_new_tokens=cfg.rollout.sampling.max_new_tokens,
            stop_strings=tuple(cfg.rollout.sampling.stop_strings),
            seed=cfg.seed,  # the same draws at every evaluation, so changes come from the weights
        )

    def on_step(self, step: int, metrics: dict[str, float], groups: Sequence[ScoredGroup]) -> None:
        self.logger.log(step, metrics)
        self.history.append({"step": float(step), **metrics})
        if groups and self.cfg.logging.samples_per_step:
            self.logger.write_samples(step, sample_records(groups, self.cfg.logging.samples_per_step))
        if "reward/mean" in metrics and (warning := self.watch.observe(metrics["reward/mean"])):
            log.warning(warning)
            self.progress.console.print(f"[yellow]warning:[/] {warning}")
        self.progress.update(step, metrics)

    def evaluate(self, step: int) -> dict[str, float]:
        ev = self.cfg.problems.eval
        result = evaluate(self.parts.rollout, self.heldout, self.eval_sampling, ev.samples, ev.k, self.parts.pool.score)
        return result.flat_metrics()

    def checkpoint(self, step: int, driver_state: dict[str, Any]) -> bool:
        """A failed write (full disk, read-only folder) leaves the earlier checkpoints intact; per
        `faults.on_checkpoint_error` the run goes on and retries next step, or stops."""
        try:
            self.checkpoints.save(step, self.parts.learner.save, driver_state)
        except CheckpointError as err:
            self.checkpoint_failures += 1
            if self.faults is not None:
                self.faults.record(step, "checkpoint_failed", {"error": str(err).splitlines()[0][:500]})
            kept = self.checkpoints.list()
            where = f"the newest kept is step {kept[-1]}" if kept else "there is no earlier checkpoint"
            limits = self.cfg.faults
            if limits.on_checkpoint_error == "stop" or self.checkpoint_failures >= limits.max_checkpoint_failures:
                raise CheckpointFailed(
                    f"{err}; {where}. Stopping (faults.on_checkpoint_error={limits.on_checkpoint_error}, "
                    f"{self.checkpoint_failures} failed in a row). Free space or fix the folder, then --resume"
                ) from err
            log.warning("%s; %s; training goes on and retries at the next step", err, where)
            self.progress.console.print(f"[yellow]warning:[/] {err}; {where}; retrying at the next step")
            return False
        self.checkpoint_failures = 0
        return True


def sample_records(groups: Sequence[ScoredGroup], limit: int) -> list[dict[str, Any]]:
    """The first sample of the first `limit` groups: one completion per problem reads best."""
    records = []
    for g in groups[:limit]:
        s, v = g.samples[0], g.verdicts[0]
        records.append(
            {
                "prompt": g.problem.prompt,
                "completion": s.text,
                "reward": g.rewards[0],
                "correct": v.correct,
                "extracted": v.extracted,
                "reason": v.reason,
                "family": g.problem.family,
                "difficulty": g.problem.difficulty,
            }
        )
    return records
