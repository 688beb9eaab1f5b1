"""Held-out evaluation: sample n completions per problem, score them, and report pass@1, pass@k and maj@k
overall, per family, and per (family, difficulty).

pass@k is the unbiased estimator of Chen et al. (2021) computed from all n samples, so it does not depend on
which k samples happen to come first; maj@k votes over the first k samples, which is what a user of the
model would do with k samples in hand.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from reasonrl.problems.mixture import Mixture
from reasonrl.problems.registry import check_difficulty
from reasonrl.problems.stream import heldout_problems
from reasonrl.problems.types import Problem
from reasonrl.rewards.pool_items import ScoreItem
from reasonrl.rewards.types import Verdict
from reasonrl.rollout.types import Sample, SamplingParams

Scorer = Callable[[list[ScoreItem]], list[Verdict]]


class Rollout(Protocol):
    def generate(self, prompts: Sequence[str], n: int, sampling: SamplingParams) -> list[Sample]: ...


def pass_at_k(n: int, c: int, k: int) -> float:
    """P(at least one of k samples drawn without replacement from n, c of them correct, is correct).

    1 - C(n-c, k) / C(n, k) as the product prod_{i=n-c+1..n} (1 - k/i): no huge binomials, no overflow.
    """
    if not 1 <= k <= n:
        raise ValueError(f"pass@k needs 1 <= k <= n (got k={k}, n={n}); draw at least k samples per problem")
    if not 0 <= c <= n:
        raise ValueError(f"pass@k needs 0 <= c <= n correct samples (got c={c}, n={n})")
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def _vote_key(answer: str | None) -> str | None:
    """Votes are compared as whitespace-normalised strings; None and blank answers cast no vote."""
    if answer is None:
        return None
    key = " ".join(answer.split())
    return key or None


def maj_at_k(answers: Sequence[str | None], correct: Sequence[bool], k: int) -> float:
    """1.0 when the most common extracted answer among the first k samples is correct, else 0.0.

    Choices: samples without an answer (None or blank) never win, so a model that mostly fails to answer is
    judged on the answers it does give; a tie goes to the answer that occurred first, so the result does not
    depend on hashing; the winner counts as correct only if every sample giving it was judged correct (equal
    strings almost always get equal verdicts; where they do not, e.g. a hedged completion, we stay strict).
    No answer at all among the k scores 0.
    """
    if len(answers) != len(correct):
        raise ValueError(f"maj@k: {len(answers)} answers but {len(correct)} verdicts; give one of each per sample")
    if not 1 <= k <= len(answers):
        raise ValueError(f"maj@k needs 1 <= k <= number of samples (got k={k}, {len(answers)} samples)")
    keys = [_vote_key(a) for a in answers[:k]]
    votes = Counter(key for key in keys if key is not None)
    if not votes:
        return 0.0
    best = max(votes.values())
    winner = next(key for key in keys if key is not None and votes[key] == best)
    return float(all(ok for key, ok in zip(keys, correct[:k]) if key == winner))


@dataclass(frozen=True)
class ProblemOutcome:
    """One problem's samples as judged: the raw material every aggregate is computed from."""

    uid: str
    family: str
    difficulty: int
    correct: tuple[bool, ...]
    answers: tuple[str | None, ...]

    def metrics(self, k: int) -> tuple[float, float, float]:
        n, c = len(self.correct), sum(self.correct)
        return pass_at_k(n, c, 1), pass_at_k(n, c, k), maj_at_k(self.answers, self.correct, k)


@dataclass(frozen=True)
class EvalMetrics:
    problems: int
    samples: int
    pass_at_1: float
    pass_at_k: float
    maj_at_k: float

    @classmethod
    def of(cls, outcomes: Sequence[ProblemOutcome], k: int) -> EvalMetrics:
        if not outcomes:
            return cls(0, 0, 0.0, 0.0, 0.0)
        scores = [o.metrics(k) for o in outcomes]
        mean = [sum(column) / len(scores) for column in zip(*scores)]
        return cls(len(outcomes), sum(len(o.correct) for o in outcomes), *mean)

    def to_dict(self, k: int) -> dict[str, Any]:
        return {
            "problems": self.problems,
            "samples": self.samples,
            "pass@1": self.pass_at_1,
            f"pass@{k}": self.pass_at_k,
            f"maj@{k}": self.maj_at_k,
        }


@dataclass
class EvalResult:
    """Metrics of one evaluation; `meta` carries what the caller wants recorded with them (model, sampling)."""

    n: int
    k: int
    outcomes: list[ProblemOutcome]
    seconds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def overall(self) -> EvalMetrics:
        return EvalMetrics.of(self.outcomes, self.k)

    @property
    def accuracy(self) -> float:
        return self.overall.pass_at_1

    def by_family(self) -> dict[str, EvalMetrics]:
        families = sorted({o.family for o in self.outcomes})
        return {f: EvalMetrics.of([o for o in self.outcomes if o.family == f], self.k) for f in families}

    def by_group(self) -> dict[tuple[str, int], EvalMetrics]:
        groups = sorted({(o.family, o.difficulty) for o in self.outcomes})
        return {g: EvalMetrics.of([o for o in self.outcomes if (o.family, o.difficulty) == g], self.k) for g in groups}

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "k": self.k,
            "overall": self.overall.to_dict(self.k),
            "families": {f: m.to_dict(self.k) for f, m in self.by_family().items()},
            "groups": [{"family": f, "difficulty": d, **m.to_dict(self.k)} for (f, d), m in self.by_group().items()],
            "problems": [
                {
                    "uid": o.uid,
                    "family": o.family,
                    "difficulty": o.difficulty,
                    "correct": list(o.correct),
                    "answers": list(o.answers),
                }
                for o in self.outcomes
            ],
            "seconds": dict(self.seconds),
            "meta": dict(self.meta),
        }

    def flat_metrics(self, prefix: str = "eval/") -> dict[str, float]:
        """Scalars for the metrics log; pass@1 also per family and per (family, difficulty)."""
        overall, k = self.overall, self.k
        flat = {
            f"{prefix}pass@1": overall.pass_at_1,
            f"{prefix}pass@{k}": overall.pass_at_k,
            f"{prefix}maj@{k}": overall.maj_at_k,
        }
        flat.update({f"{prefix}{f}/pass@1": m.pass_at_1 for f, m in self.by_family().items()})
        flat.update({f"{prefix}{f}/d{d}/pass@1": m.pass_at_1 for (f, d), m in self.by_group().items()})
        return flat


def evaluate(
    rollout: Rollout,
    problems: Sequence[Problem],
    sampling: SamplingParams,
    n: int,
    k: int,
    scorer: Scorer,
) -> EvalResult:
    """Generate n samples per problem with `rollout`, judge each with `scorer` (a Verdict's `correct` decides)."""
    if not problems:
        raise ValueError("evaluate: no problems given; pass at least one held-out problem")
    if n < 1 or not 1 <= k <= n:
        raise ValueError(f"evaluate needs n >= 1 and 1 <= k <= n (got n={n}, k={k}); raise n or lower k")
    start = time.perf_counter()
    samples = rollout.generate([p.prompt for p in problems], n, sampling)
    generated = time.perf_counter()
    if len(samples) != len(problems) * n:
        raise RuntimeError(f"evaluate: the rollout returned {len(samples)} samples for {len(problems)} x {n}")
    verdicts = scorer([ScoreItem(gold=problems[i // n], completion=s.text) for i, s in enumerate(samples)])
    if len(verdicts) != len(samples):
        raise RuntimeError(f"evaluate: the scorer returned {len(verdicts)} verdicts for {len(samples)} samples")
    outcomes = [
        ProblemOutcome(
            uid=p.uid,
            family=p.family,
            difficulty=p.difficulty,
            correct=tuple(bool(v.correct) for v in verdicts[i * n : (i + 1) * n]),
            answers=tuple(v.extracted for v in verdicts[i * n : (i + 1) * n]),
        )
        for i, p in enumerate(problems)
    ]
    seconds = {"generate": generated - start, "score": time.perf_counter() - generated}
    return EvalResult(n=n, k=k, outcomes=outcomes, seconds=seconds)


def heldout_set(
    families: Sequence[str] | Mapping[str, float] | str,
    difficulty: int | Sequence[int],
    count: int,
    seed: int = 0,
) -> list[Problem]:
    """`count` held-out problems split over families (by weight; a list is uniform), then evenly over levels.

    Shares are allotted exactly (largest remainder) rather than drawn at random, so a small eval set still
    covers every family it can; a mixture spec string (`default`, a category) is accepted too.
    """
    if isinstance(families, str) or isinstance(families, Mapping):
        mixture = Mixture.parse(families if isinstance(families, str) else dict(families))
    else:
        if not families:
            raise ValueError("heldout_set: no families given; name at least one problem family")
        mixture = Mixture.from_weights(dict.fromkeys(families, 1.0))
    levels = [difficulty] if isinstance(difficulty, int) else list(dict.fromkeys(difficulty))
    if not levels:
        raise ValueError("heldout_set: no difficulty given; pass one level or a list of levels (1..10)")
    for level in levels:
        check_difficulty(level)
    if count < 1:
        raise ValueError(f"heldout_set: count must be >= 1 (got {count})")
    problems: list[Problem] = []
    for i, (family, share) in enumerate(zip(mixture.families, _allot(count, mixture.weights))):
        rotated = levels[i % len(levels) :] + levels[: i % len(levels)]  # leftovers land on different levels
        for level, per_level in zip(rotated, _allot(share, [1.0] * len(levels))):
            if per_level:
                problems += heldout_problems({family: 1.0}, level, per_level, seed)
    return sorted(problems, key=lambda p: (p.family, p.difficulty))


def _allot(total: int, weights: Sequence[float]) -> list[int]:
    """Integer shares of `total` proportional to `weights`; leftovers to the largest remainders, earliest first."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares
