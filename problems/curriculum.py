"""A per-family difficulty that follows the policy's observed solve rate.

Problems the policy always or never solves carry no learning signal under group
baselines, so each family's level moves up when its recent solve rate is high and
down when it is low. The trainer calls `observe` with each step's outcomes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .registry import check_difficulty


@dataclass
class FamilyLevel:
    level: int
    solved: int = 0
    seen: int = 0


@dataclass
class Curriculum:
    families: list[str]
    start: int = 1
    raise_above: float = 0.8  # solve rate at which a family moves up a level
    lower_below: float = 0.2  # solve rate at which it moves down
    window: int = 64  # outcomes observed at a level before a move is considered
    min_level: int = 1
    max_level: int = 8  # levels 9-10 are the extrapolation band, kept for evaluation
    state: dict[str, FamilyLevel] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for d in (self.start, self.min_level, self.max_level):
            check_difficulty(d)
        if not self.min_level <= self.start <= self.max_level:
            raise ValueError(
                f"curriculum start {self.start} is outside min_level..max_level ({self.min_level}..{self.max_level})"
            )
        if not 0 <= self.lower_below < self.raise_above <= 1:
            raise ValueError("curriculum thresholds need 0 <= lower_below < raise_above <= 1")
        if self.window < 1:
            raise ValueError(f"curriculum window {self.window} must be >= 1")
        for name in self.families:
            self.state.setdefault(name, FamilyLevel(self.start))

    def level(self, family: str) -> int:
        return self.state[family].level

    def observe(self, family: str, difficulty: int, solved: int, seen: int) -> None:
        """Count outcomes of problems drawn at `difficulty`; outcomes of an older level are ignored."""
        s = self.state[family]
        if difficulty != s.level:
            return
        s.solved += solved
        s.seen += seen
        if s.seen < self.window:
            return
        rate = s.solved / s.seen
        if rate >= self.raise_above and s.level < self.max_level:
            s.level += 1
        elif rate <= self.lower_below and s.level > self.min_level:
            s.level -= 1
        s.solved = s.seen = 0

    def state_dict(self) -> dict[str, dict[str, int]]:
        return {name: asdict(s) for name, s in self.state.items()}

    def load_state_dict(self, state: dict[str, dict[str, int]]) -> None:
        self.state = {name: FamilyLevel(**s) for name, s in state.items()}
