"""The rollout contract: sampling settings in, `Sample`s out, and the `Engine` every backend implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class SamplingParams:
    temperature: float = 1.0  # 0 means greedy
    top_p: float = 1.0
    top_k: int = 0  # 0: off
    min_p: float = 0.0
    max_new_tokens: int = 1024
    stop_token_ids: tuple[int, ...] = ()  # in addition to the tokenizer's eos
    stop_strings: tuple[str, ...] = ()
    seed: int | None = None

    def __post_init__(self) -> None:
        checks = [
            (self.temperature >= 0, "temperature must be >= 0"),
            (0 < self.top_p <= 1, "top_p must be in (0, 1]"),
            (self.top_k >= 0, "top_k must be >= 0 (0 turns it off)"),
            (0 <= self.min_p < 1, "min_p must be in [0, 1)"),
            (self.max_new_tokens >= 1, "max_new_tokens must be >= 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"sampling: {message}")


@dataclass
class Sample:
    """One completion. `logprobs[i]` is the sampler's log-probability of `completion_ids[i]` under the
    distribution it sampled from after temperature (and before top-p/top-k/min-p truncation), the
    quantity the learner recomputes from the same weights."""

    prompt_ids: list[int]
    completion_ids: list[int]
    logprobs: list[float]
    text: str
    finish_reason: str  # "stop" or "length"
    weight_version: int
    prompt_index: int = 0  # which prompt of the request this sample answers
    meta: dict[str, Any] = field(default_factory=dict)


class Engine(Protocol):
    weight_version: int

    def generate(self, prompts: Sequence[str], n: int, sampling: SamplingParams) -> list[Sample]:
        """n samples per prompt, grouped by prompt in order: prompt 0's n samples first."""
        ...

    def update_weights(self, version: int, named_tensors: Mapping[str, Any]) -> None: ...
