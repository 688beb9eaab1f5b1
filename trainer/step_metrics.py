"""What a step's rollouts say about the policy: rewards and solve rates per family and difficulty, lengths,
truncation, verifier outcomes. Computed over every group scored this step, kept or dropped, so dynamic
sampling does not hide the problems the policy always fails."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from statistics import fmean

from reasonrl.rewards.types import NO_ANSWER, REFUSED, TIMEOUT, WORKER_DIED

from .scoring import ScoredGroup


def rollout_metrics(groups: Sequence[ScoredGroup]) -> dict[str, float]:
    samples = [s for g in groups for s in g.samples]
    if not samples:
        return {}
    rewards = [r for g in groups for r in g.rewards]
    lengths = [len(s.completion_ids) for s in samples]
    out = {
        "rollout/samples": float(len(samples)),
        "reward/mean": fmean(rewards),
        "reward/std": _std(rewards),
        "solve_rate/all": fmean(v.correct for g in groups for v in g.verdicts),
        "length/mean": fmean(lengths),
        "length/max": float(max(lengths)),
        "length/truncated_frac": fmean(s.finish_reason == "length" for s in samples),
    }
    out.update(_per_family(groups))
    out.update(_verifier(groups))
    return out


def _per_family(groups: Sequence[ScoredGroup]) -> dict[str, float]:
    rewards: dict[str, list[float]] = defaultdict(list)
    solved: dict[str, list[bool]] = defaultdict(list)
    for g in groups:
        family, level = g.problem.family, g.problem.difficulty
        rewards[family] += g.rewards
        solved[family] += [v.correct for v in g.verdicts]
        solved[f"{family}/d{level}"] += [v.correct for v in g.verdicts]
    return {f"reward/family/{k}": fmean(v) for k, v in rewards.items()} | {
        f"solve_rate/{k}": fmean(v) for k, v in solved.items()
    }


def _verifier(groups: Sequence[ScoredGroup]) -> dict[str, float]:
    reasons = Counter(v.reason for g in groups for v in g.verdicts)
    return {
        "verifier/timeouts": float(reasons[TIMEOUT]),
        "verifier/worker_deaths": float(reasons[WORKER_DIED]),
        "verifier/refusals": float(sum(n for r, n in reasons.items() if r.startswith(REFUSED))),
        "verifier/no_answer": float(reasons[NO_ANSWER]),
    }


def _std(xs: Sequence[float]) -> float:
    mean = fmean(xs)
    return fmean((x - mean) ** 2 for x in xs) ** 0.5


def solve_counts(groups: Sequence[ScoredGroup]) -> dict[tuple[str, int], tuple[int, int]]:
    """(family, difficulty) -> (solved, seen): what the curriculum observes."""
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for g in groups:
        c = counts[(g.problem.family, g.problem.difficulty)]
        c[0] += sum(v.correct for v in g.verdicts)
        c[1] += len(g.verdicts)
    return {k: (v[0], v[1]) for k, v in counts.items()}
