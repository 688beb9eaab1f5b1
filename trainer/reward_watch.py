"""Warn when the batch reward is stuck at 0 or 1: every group then has zero advantage and the run learns nothing."""

from __future__ import annotations

ADVICE = {
    0.0: (
        "the policy never solves these problems; lower problems.difficulty, warm the model up with `reasonrl sft`, "
        "or check the answer format with `reasonrl verify`"
    ),
    1.0: "the policy solves every problem, so no group carries signal; raise problems.difficulty or use a curriculum",
}


class StuckRewardWatch:
    def __init__(self, steps: int):
        if not isinstance(steps, int) or steps < 1:
            raise ValueError(f"stuck-reward steps {steps!r} must be an integer >= 1")
        self.steps = steps
        self._value: float | None = None
        self._count = 0
        self._warned = False

    def observe(self, reward_mean: float) -> str | None:
        """The warning, once per stuck stretch, on the step the stretch reaches `steps` long."""
        value = float(reward_mean)
        if value not in ADVICE:
            self._value, self._count, self._warned = None, 0, False
            return None
        if value != self._value:
            self._value, self._count, self._warned = value, 0, False
        self._count += 1
        if self._count < self.steps or self._warned:
            return None
        self._warned = True
        return f"reward has been {value} for {self._count} steps: {ADVICE[value]}"
