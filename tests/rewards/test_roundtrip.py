"""Every family's own gold, worked solution and plain value pass its judge, at every difficulty."""

from __future__ import annotations

import pytest

from reasonrl.problems import generate
from reasonrl.problems.registry import all_families
from reasonrl.rewards.verify import judge_answer, verify

FAMILIES = [f.name for f in all_families()]
SEEDS = (0, 1, 2, 3, 4)


@pytest.mark.parametrize("family", FAMILIES)
def test_family_roundtrip(family):
    failures = []
    for difficulty in range(1, 11):
        for seed in SEEDS:
            p = generate(family, seed=seed, index=seed * 7 + difficulty, difficulty=difficulty)
            checks = {
                "latex": judge_answer(p.answer, p.answer.latex),
                "solution": verify(p.answer, p.solution),
                "value": verify(p.answer, f"\\boxed{{{p.answer.value}}}"),
            }
            for name, verdict in checks.items():
                if verdict.score != 1.0:
                    failures.append((difficulty, seed, name, p.answer.value, verdict.reason))
    assert not failures, failures[:5]
