"""A user reward for loop tests: an untrained model never solves a problem, so correctness alone gives
all-zero groups; this one varies with the text, so every group carries signal."""

from __future__ import annotations


def text_length_parity(problem: object, completion: str) -> float:
    return float(len(completion) % 2)
