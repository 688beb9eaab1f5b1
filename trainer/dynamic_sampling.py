"""Phases 1-3 with DAPO's dynamic sampling: draw, generate, score, and refill groups that carry no signal.

A group whose G rewards are all equal has zero advantage under a group baseline: it costs a training pass
and teaches nothing. Such groups are dropped and more problems are drawn, for at most `max_extra_draws`
extra rounds, so a step trains on up to `problems_per_step` groups that do carry signal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from reasonrl.problems.types import Problem

from .scoring import ScoredGroup

# Never draw more than this many times the missing groups in one refill round, however low the keep rate.
MAX_OVERDRAW = 4.0


@dataclass
class Collected:
    kept: list[ScoredGroup]
    seen: list[ScoredGroup] = field(default_factory=list)  # every group scored this step, kept or not
    rounds: int = 0

    def metrics(self, want: int) -> dict[str, float]:
        dropped = len(self.seen) - len(self.kept)
        return {
            "dynamic/groups_drawn": float(len(self.seen)),
            "dynamic/groups_dropped": float(dropped),
            "dynamic/keep_rate": len([g for g in self.seen if g.has_signal]) / max(len(self.seen), 1),
            "dynamic/extra_rounds": float(max(self.rounds - 1, 0)),
            "dynamic/short_groups": float(max(want - len(self.kept), 0)),
        }


def collect_groups(
    draw: Callable[[int], list[Problem]],
    rollout_and_score: Callable[[list[Problem]], list[ScoredGroup]],
    want: int,
    dynamic: bool,
    max_extra_draws: int,
) -> Collected:
    """Up to `want` groups; with `dynamic`, only groups with signal, refilled within the draw bound.

    If the bound runs out the step trains on fewer groups (counted as `dynamic/short_groups`) rather than
    looping without end on problems the policy always or never solves.
    """
    out = Collected(kept=[])
    ask = want
    for _ in range(1 + (max_extra_draws if dynamic else 0)):
        groups = rollout_and_score(draw(ask))
        out.rounds += 1
        out.seen += groups
        out.kept += [g for g in groups if g.has_signal] if dynamic else groups
        missing = want - len(out.kept)
        if missing <= 0:
            break
        keep_rate = len([g for g in out.seen if g.has_signal]) / len(out.seen)
        ask = math.ceil(missing / max(keep_rate, 1 / MAX_OVERDRAW))
    out.kept = out.kept[:want]
    return out
