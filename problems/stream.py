"""An endless, resumable, shardable stream of problems from a weighted mixture.

Stream position p is a pure function of (seed, p): its family comes from a hash of
(seed, p) and the mixture weights, and its problem is `generate(family, seed, p,
level)`. Rank r of w draws positions r, r + w, r + 2w, ..., so ranks never overlap,
and saving the count drawn (plus the curriculum) restores the stream exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .curriculum import Curriculum
from .generate import SPLITS, generate
from .mixture import Mixture
from .registry import check_difficulty
from .seeding import hash64
from .types import Problem


class ProblemStream:
    def __init__(
        self,
        mixture: str | dict[str, float] | Mixture = "default",
        difficulty: int | None = None,
        curriculum: Curriculum | None = None,
        seed: int = 0,
        shard: tuple[int, int] = (0, 1),
        answer_format: str = "boxed",
        split: str = "train",
    ):
        if (difficulty is None) == (curriculum is None):
            raise ValueError("give a ProblemStream either a fixed difficulty or a curriculum, not both or neither")
        if difficulty is not None:
            check_difficulty(difficulty)
        rank, world = shard
        if not 0 <= rank < world:
            raise ValueError(f"shard {shard} needs 0 <= rank < world")
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
        self.mixture = Mixture.parse(mixture)
        if curriculum is not None and (missing := set(self.mixture.families) - set(curriculum.families)):
            raise ValueError(f"the curriculum has no level for {sorted(missing)}; build it with the mixture's families")
        self.difficulty, self.curriculum = difficulty, curriculum
        self.seed, self.rank, self.world = seed, rank, world
        self.answer_format, self.split = answer_format, split
        self.drawn = 0
        self._cumulative = self.mixture.cumulative()

    def family_at(self, position: int) -> str:
        u = hash64(f"mix|{self.seed}|{position}") / 2**64
        return self.mixture.pick(self._cumulative, u)

    def problem_at(self, position: int, difficulty: int | None = None) -> Problem:
        family = self.family_at(position)
        level = difficulty or self.difficulty or self.curriculum.level(family)
        return generate(family, self.seed, position, level, answer_format=self.answer_format, split=self.split)

    def __iter__(self) -> Iterator[Problem]:
        return self

    def __next__(self) -> Problem:
        problem = self.problem_at(self.rank + self.world * self.drawn)
        self.drawn += 1
        return problem

    def take(self, n: int) -> list[Problem]:
        return [next(self) for _ in range(n)]

    def state_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "shard": [self.rank, self.world],
            "split": self.split,
            "drawn": self.drawn,
            "curriculum": self.curriculum.state_dict() if self.curriculum else None,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        mine = (self.seed, [self.rank, self.world], self.split)
        theirs = (state["seed"], list(state["shard"]), state["split"])
        if mine != theirs:
            raise ValueError(f"stream state is for (seed, shard, split) = {theirs}, this stream is {mine}")
        self.drawn = state["drawn"]
        if self.curriculum is not None and state["curriculum"] is not None:
            self.curriculum.load_state_dict(state["curriculum"])


def heldout_problems(
    mixture: str | dict[str, float] | Mixture, difficulty: int, n: int, seed: int = 0
) -> list[Problem]:
    """A fixed evaluation set that no training stream can produce (content-partitioned)."""
    return ProblemStream(mixture, difficulty=difficulty, seed=seed, split="heldout").take(n)
