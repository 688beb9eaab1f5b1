"""Verifiable rewards: extract the final answer, judge it against the gold, shape the reward.

Model text is untrusted: nothing here evaluates it. `problems` and `rewards` never
import torch, ray or deepspeed, and the integer/fraction fast path never imports sympy.
"""

from .extract import Extraction, extract
from .pool import RewardPool, ScoreItem
from .types import DEFAULT_LIMITS, Limits, Verdict
from .verify import judge_answer, verify

__all__ = [
    "DEFAULT_LIMITS",
    "Extraction",
    "Limits",
    "RewardPool",
    "ScoreItem",
    "Verdict",
    "extract",
    "judge_answer",
    "verify",
]
