"""Procedurally generated, verifiable problems: families, streams, curricula, export.

Never imports torch, ray or deepspeed (it runs in light reward processes).
"""

from .generate import SPLITS, generate
from .registry import Draft, Family, Knobs, all_families, family, get_family
from .types import ANSWER_KINDS, Answer, Problem

__all__ = [
    "ANSWER_KINDS",
    "SPLITS",
    "Answer",
    "Draft",
    "Family",
    "Knobs",
    "Problem",
    "all_families",
    "family",
    "generate",
    "get_family",
]
