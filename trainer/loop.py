"""The RL loop: draw and generate, score, advantages, train, sync; log, evaluate, checkpoint.

Synchronous mode (`staleness=0`) generates each step with the newest weights. Asynchronous mode
(`staleness=k>=1`) generates step s+1 while step s trains, so a batch may come from weights up to k
updates old; the learner's truncated importance sampling corrects for that, and the bound is checked on
every batch. Weights are pushed to the rollout group only as often as the bound needs.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from reasonrl.problems.types import Problem
from reasonrl.rollout.types import SamplingParams

from .batch_builder import build_batch
from .dynamic_sampling import Collected, collect_groups
from .fault_injection import poison, poisoned_steps
from .fault_watch import FaultWatch
from .phase_timer import PhaseTimer
from .scoring import RewardSpec, ScoredGroup, ScoreFn, score_groups
from .step_metrics import rollout_metrics, solve_counts


@dataclass(frozen=True)
class LoopConfig:
    steps: int
    problems_per_step: int
    group_size: int
    sampling: SamplingParams
    advantage: str = "grpo"
    rewards: RewardSpec = field(default_factory=RewardSpec)
    dynamic_sampling: bool = True
    max_extra_draws: int = 2
    staleness: int = 0  # 0: synchronous; k: a batch may come from weights up to k updates old
    eval_every: int = 0  # 0: evaluate only before the first and after the last step
    checkpoint_every: int = 0  # 0: checkpoint only after the last step
    seed: int = 0


class RunInterrupted(Exception):
    """A stop was requested (preemption, Ctrl-C): the loop wrote a checkpoint at `step` and returned control."""

    def __init__(self, step: int) -> None:
        super().__init__(f"run stopped after step {step}; a checkpoint of that step was written")
        self.step = step


class CheckpointFailed(RuntimeError):
    """A checkpoint the run cannot go on without (the last step's, or a stop's) could not be written."""


class LoopHooks(Protocol):
    """What the loop hands to the run around it: logging, evaluation and checkpoint writing."""

    def on_step(self, step: int, metrics: dict[str, float], groups: Sequence[ScoredGroup]) -> None: ...

    def evaluate(self, step: int) -> dict[str, float]: ...

    def checkpoint(self, step: int, driver_state: dict[str, Any]) -> bool:
        """True when written; False when it failed and the run may go on (it is retried the next step)."""
        ...


@dataclass
class _Pending:
    future: Future[Collected]
    stream_state: dict[str, Any]  # the stream before this step drew: what a checkpoint must restore
    timer: PhaseTimer


def sampling_seed(seed: int, step: int, round_: int) -> int:
    """One seed per (step, refill round), so a resumed run samples exactly as the uninterrupted one."""
    return (seed * 1_000_003 + step * 1009 + round_) % 2**31


class RLLoop:
    def __init__(
        self,
        cfg: LoopConfig,
        rollout: Any,
        learner: Any,
        score: ScoreFn,
        stream: Any,
        hooks: LoopHooks,
        start_step: int = 0,
        policy_version: int = 0,
        faults: FaultWatch | None = None,
    ) -> None:
        self.cfg, self.rollout, self.learner, self.score = cfg, rollout, learner, score
        self.stream, self.hooks = stream, hooks
        self.start_step, self.policy_version = start_step, policy_version
        self.faults = faults
        self._poisoned = poisoned_steps()
        self._checkpoint_owed = False  # the last attempt failed: try again at the next step
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rollout")
        self._stop = threading.Event()
        self._stopped_at: int | None = None  # the step whose checkpoint a stop request was answered with

    def request_stop(self) -> None:
        """Safe from a signal handler: the loop finishes the current step, checkpoints it and stops."""
        self._stop.set()

    def run(self) -> None:
        try:
            if self.start_step == 0:
                self.hooks.on_step(0, self.hooks.evaluate(0), [])
            else:
                self._sync(force=True)  # a resumed run's rollout engines start from the checkpoint's weights
            pending = None
            for step in range(self.start_step + 1, self.cfg.steps + 1):
                pending = self._one_iteration(step, pending)
                if self._stopped_at == step:
                    raise RunInterrupted(step)
        finally:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def _one_iteration(self, step: int, pending: _Pending | None) -> _Pending | None:
        started = time.perf_counter()
        current = pending or self._launch(step)
        collected = current.future.result()
        self._observe_curriculum(collected.seen)
        last = step == self.cfg.steps
        ahead = self._launch(step + 1) if self.cfg.staleness > 0 and not last else None
        metrics = self.train_step(step, collected, current.timer)
        if self.faults is not None:
            metrics |= self.faults.after_step(step, metrics)
        if ahead is not None:
            ahead.future.exception()  # wait: weights must not change under a running generation
        evaluate = last or (self.cfg.eval_every > 0 and step % self.cfg.eval_every == 0)
        metrics |= self._sync(force=evaluate)
        if evaluate:
            metrics |= self.hooks.evaluate(step)
        metrics["time/step"] = time.perf_counter() - started
        self.hooks.on_step(step, metrics, collected.seen)
        if self.faults is not None:
            self.faults.check()
        periodic = self.cfg.checkpoint_every > 0 and step % self.cfg.checkpoint_every == 0
        stopping = self._stop.is_set() and not last
        if last or periodic or stopping or self._checkpoint_owed:
            next_state = ahead.stream_state if ahead else self._stream_state()
            self._checkpoint_owed = not self.hooks.checkpoint(step, self.driver_state(step, next_state))
            if self._checkpoint_owed and (last or stopping):
                raise CheckpointFailed(f"step {step}: the checkpoint the run ends with could not be written")
            self._stopped_at = step if stopping else None
        return ahead

    def train_step(self, step: int, collected: Collected, timer: PhaseTimer) -> dict[str, float]:
        """Phases 4-5: advantages over the kept groups, then one learner update (several optimizer steps)."""
        metrics = rollout_metrics(collected.seen) | collected.metrics(self.cfg.problems_per_step)
        if not collected.kept:  # every group was all-correct or all-wrong: nothing to learn from
            return metrics | timer.metrics() | {"train/skipped": 1.0}
        with timer("advantages"):
            batch, adv_metrics = build_batch(collected.kept, self.cfg.advantage)
        staleness = self.policy_version - batch.weight_version
        if staleness > self.cfg.staleness:
            raise RuntimeError(f"step {step}: batch is {staleness} versions old, over the bound {self.cfg.staleness}")
        if step in self._poisoned:
            batch = poison(batch)
        with timer("train"):
            train_metrics = self.learner.train(batch)
        if train_metrics.get("train/nonfinite_skipped", 0.0) > 0 and self.faults is not None:
            self.faults.nonfinite_batch(step, batch, train_metrics)
        self.policy_version += 1
        tokens = sum(len(ids) for ids in batch.completion_ids)
        return (
            metrics
            | adv_metrics
            | train_metrics
            | timer.metrics()
            | {
                "train/skipped": 0.0,
                "offpolicy/staleness": float(staleness),
                "tokens_per_s/generate": tokens / max(timer.seconds["generate"], 1e-9),
                "tokens_per_s/train": train_metrics.get("train/tokens_per_s", 0.0),
                "policy_version": float(self.policy_version),
            }
        )

    # --- phases 1-3, run inline or on the rollout thread ------------------------------------------------

    def _launch(self, step: int) -> _Pending:
        timer = PhaseTimer()
        state = self._stream_state()
        return _Pending(self._executor.submit(self._collect, step, timer), state, timer)

    def _collect(self, step: int, timer: PhaseTimer) -> Collected:
        rounds = iter(range(1 + self.cfg.max_extra_draws))

        def draw(n: int) -> list[Problem]:
            with timer("draw"):
                return self.stream.take(n)

        def rollout_and_score(problems: list[Problem]) -> list[ScoredGroup]:
            sampling = replace(self.cfg.sampling, seed=sampling_seed(self.cfg.seed, step, next(rounds)))
            with timer("generate"):
                samples = self.rollout.generate([p.prompt for p in problems], self.cfg.group_size, sampling)
            with timer("score"):
                return score_groups(self.score, problems, samples, self.cfg.group_size, self.cfg.rewards)

        return collect_groups(
            draw, rollout_and_score, self.cfg.problems_per_step, self.cfg.dynamic_sampling, self.cfg.max_extra_draws
        )

    # --- phase 6 and the driver's state -------------------------------------------------------------------

    def _sync(self, force: bool) -> dict[str, float]:
        """Push weights when the next batch would otherwise break the staleness bound (or when asked)."""
        trained_at = self.policy_version + (1 if self.cfg.staleness > 0 else 0)
        behind = self.policy_version != self.rollout.weight_version
        if not behind or (not force and trained_at - self.rollout.weight_version <= self.cfg.staleness):
            return {"time/sync": 0.0}
        start = time.perf_counter()
        packed = self.learner.gather_weights(self.policy_version)
        gathered = time.perf_counter()
        self.rollout.push_weights(packed)
        done = time.perf_counter()
        return {"time/sync": done - start, "time/sync_gather": gathered - start, "time/sync_push": done - gathered}

    def _observe_curriculum(self, groups: Sequence[ScoredGroup]) -> None:
        curriculum = getattr(self.stream, "curriculum", None)
        if curriculum is None:
            return
        for (family, level), (solved, seen) in solve_counts(groups).items():
            if family in curriculum.state:
                curriculum.observe(family, level, solved, seen)

    def _stream_state(self) -> dict[str, Any]:
        return copy.deepcopy(self.stream.state_dict())

    def driver_state(self, step: int, stream_state: dict[str, Any]) -> dict[str, Any]:
        return {"step": step, "policy_version": self.policy_version, "stream": stream_state}
