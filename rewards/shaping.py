"""From a verdict to the scalar reward: correctness, an optional format bonus, DAPO's soft overlong penalty."""

from __future__ import annotations

from dataclasses import dataclass

from .types import Verdict


@dataclass(frozen=True)
class ShapingConfig:
    correct: float = 1.0  # times the verdict's score (1 or 0 from the verifier; any float from a user reward)
    format_reward: float = 0.0  # added when the completion has the required anchor, even if the answer is wrong
    overlong_buffer: int = 0  # L_cache: tokens before max_length where the penalty ramps up
    max_length: int | None = None  # L_max; None turns the overlong penalty off
    overlong_penalty: float = 1.0

    def __post_init__(self) -> None:
        if self.overlong_buffer < 0 or self.overlong_penalty < 0:
            raise ValueError("overlong_buffer and overlong_penalty must be >= 0")
        if self.max_length is not None and not 0 <= self.overlong_buffer <= self.max_length:
            raise ValueError(f"overlong_buffer {self.overlong_buffer} must be within 0..max_length {self.max_length}")


def overlong_penalty(completion_tokens: int, cfg: ShapingConfig) -> float:
    """DAPO soft overlong punishment: 0 up to L_max - L_cache, a linear ramp to -penalty at L_max, then -penalty."""
    if cfg.max_length is None:
        return 0.0
    start = cfg.max_length - cfg.overlong_buffer
    if completion_tokens <= start:
        return 0.0
    if completion_tokens > cfg.max_length:
        return -cfg.overlong_penalty
    return (start - completion_tokens) / cfg.overlong_buffer * cfg.overlong_penalty


def shape(verdict: Verdict, completion_tokens: int, has_format: bool, cfg: ShapingConfig = ShapingConfig()) -> float:
    """The reward of one completion."""
    reward = cfg.correct * verdict.score + overlong_penalty(completion_tokens, cfg)
    return reward + cfg.format_reward if has_format else reward


def has_format(completion: str, required: str | None = "boxed") -> bool:
    """Whether the completion states its final answer with the required anchor (`None`: any strict anchor)."""
    from .extract import extract

    anchor = extract(completion, mode="strict", hedging="last").anchor
    return anchor != "none" if required is None else anchor == required
