"""Phase 3 of a step: from completions to scalar rewards (verify, then shape, then add user rewards)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reasonrl.problems.types import Problem
from reasonrl.rewards.pool_items import ScoreItem
from reasonrl.rewards.shaping import ShapingConfig, has_format, shape
from reasonrl.rewards.types import Verdict
from reasonrl.rollout.types import Sample

ScoreFn = Callable[[list[ScoreItem]], list[Verdict]]


@dataclass(frozen=True)
class RewardSpec:
    shaping: ShapingConfig = ShapingConfig()
    user_rewards: tuple[str, ...] = ()  # each one's score is added to the shaped correctness reward
    answer_format: str | None = "boxed"  # the anchor that earns shaping.format_reward


@dataclass
class ScoredGroup:
    """The G samples of one problem with their verdicts and rewards: the unit dynamic sampling keeps or drops."""

    problem: Problem
    samples: list[Sample]
    verdicts: list[Verdict]
    rewards: list[float]
    user_scores: list[list[float]] = field(default_factory=list)  # per sample, one score per user reward

    @property
    def has_signal(self) -> bool:
        return len(set(self.rewards)) > 1

    @property
    def weight_version(self) -> int:
        return min(s.weight_version for s in self.samples)


def score_groups(
    score: ScoreFn, problems: Sequence[Problem], samples: Sequence[Sample], group_size: int, spec: RewardSpec
) -> list[ScoredGroup]:
    """Scores every sample in one call to the pool (correctness and user rewards together) and regroups them."""
    if len(samples) != len(problems) * group_size:
        raise ValueError(f"got {len(samples)} samples for {len(problems)} problems x group_size {group_size}")
    owners = [problems[i // group_size] for i in range(len(samples))]
    items = [ScoreItem(gold=p, completion=s.text) for p, s in zip(owners, samples, strict=True)]
    for ref in spec.user_rewards:
        items += [ScoreItem(gold=p, completion=s.text, reward=ref) for p, s in zip(owners, samples, strict=True)]
    verdicts = score(items)
    correctness, extra = verdicts[: len(samples)], verdicts[len(samples) :]
    groups = []
    for g, problem in enumerate(problems):
        rows = range(g * group_size, (g + 1) * group_size)
        group_verdicts = [correctness[i] for i in rows]
        user = [[extra[u * len(samples) + i].score for u in range(len(spec.user_rewards))] for i in rows]
        rewards = [
            shape(v, len(samples[i].completion_ids), _formatted(samples[i].text, spec), spec.shaping) + sum(u)
            for i, v, u in zip(rows, group_verdicts, user, strict=True)
        ]
        groups.append(ScoredGroup(problem, [samples[i] for i in rows], group_verdicts, rewards, user))
    return groups


def _formatted(text: str, spec: RewardSpec) -> bool:
    """Extraction costs time on the driver, so it runs only when a format reward is configured."""
    return spec.shaping.format_reward != 0 and has_format(text, spec.answer_format)
