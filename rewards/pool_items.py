"""What the reward pool scores: one `ScoreItem`, and how a worker scores it (also the inline mode)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reasonrl.problems.types import Answer, Problem

from .types import DEFAULT_LIMITS, Limits, Verdict
from .user import run_reward

MODES = ("strict", "lenient")


@dataclass(frozen=True)
class ScoreItem:
    """One completion to score against a gold answer.

    `gold` may be the whole `Problem` (verify uses its answer; a user reward receives the problem).
    `reward` names a user reward (registered name, `file.py:function` or `module:function`) that scores
    the item *instead of* the verifier; to add one to correctness, score the completion twice.
    """

    gold: Answer | Problem | str
    completion: str
    kind: str | None = None
    mode: str = "strict"
    reward: str | None = None


def is_valid(item: Any) -> bool:
    """Cheap checks in the parent, so a malformed item gets `bad_input` without reaching a worker."""
    return (
        isinstance(item, ScoreItem)
        and isinstance(item.gold, (str, Answer, Problem))
        and isinstance(item.completion, str)
        and (item.kind is None or isinstance(item.kind, str))
        and item.mode in MODES
        and (item.reward is None or isinstance(item.reward, str))
    )


def kind_label(item: ScoreItem) -> str:
    """The latency bucket of an item: its kind, or `user:<reward>`, or `auto` for a plain gold string."""
    if item.reward is not None:
        return f"user:{item.reward.rpartition(':')[2] or item.reward}"
    if item.kind:
        return item.kind
    if isinstance(item.gold, Problem):
        return item.gold.answer.kind
    if isinstance(item.gold, Answer):
        return item.gold.kind
    return "auto"


def score_item(item: ScoreItem, limits: Limits = DEFAULT_LIMITS, hedging: str = "refuse") -> Verdict:
    """Score one valid item in this process. Never raises, except MemoryError (the pool handles it)."""
    if item.reward is not None:
        return run_reward(item.reward, item.gold, item.completion)
    from .verify import verify

    gold = item.gold.answer if isinstance(item.gold, Problem) else item.gold
    return verify(gold, item.completion, kind=item.kind, mode=item.mode, limits=limits, hedging=hedging)
