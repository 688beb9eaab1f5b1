"""Learning-rate schedule: linear warm-up, then constant or cosine down to min_lr_ratio."""

from __future__ import annotations

import math
from collections.abc import Callable

from reasonrl.trainer.types import LearnerConfig


def lr_lambda(cfg: LearnerConfig) -> Callable[[int], float]:
    """Multiplier of the base lr at optimizer step `step` (for torch's LambdaLR)."""

    def factor(step: int) -> float:
        if cfg.warmup_steps and step < cfg.warmup_steps:
            return (step + 1) / cfg.warmup_steps
        if cfg.schedule == "constant":
            return 1.0
        span = max(1, cfg.total_steps - cfg.warmup_steps)
        progress = min(1.0, (step - cfg.warmup_steps) / span)
        return cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))

    return factor
