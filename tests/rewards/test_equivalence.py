"""The labeled equivalence set: verify() must agree with the labels and never pass a wrong answer.

tests/data/equivalence.jsonl holds one case a line: a gold (a plain MATH/GSM8K string or an
`Answer` as a dict), a completion, an optional kind, the extraction mode, the label `equivalent`
and a note. A false positive (a non-equivalent pair judged correct) is a reward the policy can
learn to exploit, so there must be none; a false negative only costs signal, so a few are tolerated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from reasonrl.problems.types import Answer

DATA = Path(__file__).resolve().parents[1] / "data" / "equivalence.jsonl"
MIN_AGREEMENT = 0.97


@dataclass(frozen=True)
class Outcome:
    line: int
    case: dict
    correct: bool
    reason: str
    extracted: str | None

    @property
    def agrees(self) -> bool:
        return self.correct == self.case["equivalent"]

    def describe(self) -> str:
        gold = self.case["gold"]
        gold_text = gold["value"] if isinstance(gold, dict) else gold
        tail = self.case["completion"][-120:].replace("\n", "\\n")
        return (
            f"line {self.line} [{self.case['note']}] gold={gold_text!r} expected={self.case['equivalent']} "
            f"got correct={self.correct} reason={self.reason} extracted={self.extracted!r} completion=...{tail!r}"
        )


def load_cases() -> list[dict]:
    with DATA.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_of(case: dict) -> Answer | str:
    gold = case["gold"]
    return Answer(**gold) if isinstance(gold, dict) else gold


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    from reasonrl.rewards.verify import verify

    results = []
    for line, case in enumerate(load_cases(), start=1):
        v = verify(gold_of(case), case["completion"], kind=case.get("kind"), mode=case["mode"])
        results.append(Outcome(line, case, v.correct, v.reason, v.extracted))
    return results


def test_dataset_shape() -> None:
    cases = load_cases()
    assert len(cases) >= 320
    assert all(c["mode"] in ("strict", "lenient") and isinstance(c["equivalent"], bool) for c in cases)
    negatives = sum(not c["equivalent"] for c in cases)
    assert negatives / len(cases) >= 0.40
    long_cot = [c for c in cases if len(c["completion"]) >= 1000 and "\n\n" in c["completion"]]
    assert len(long_cot) >= 60
    kinds = {c["gold"]["kind"] for c in cases if isinstance(c["gold"], dict)} | {c.get("kind") for c in cases}
    for kind in (
        "number",
        "expression",
        "equation_solutions",
        "set",
        "interval",
        "tuple",
        "matrix",
        "grid",
        "countdown",
        "factorization",
        "text",
        "choice",
        "boolean",
    ):
        assert kind in kinds, kind


def test_no_false_positives(outcomes: list[Outcome]) -> None:
    false_positives = [o for o in outcomes if o.correct and not o.case["equivalent"]]
    assert not false_positives, "judged correct but not equivalent:\n" + "\n".join(
        o.describe() for o in false_positives
    )


def test_agreement(outcomes: list[Outcome]) -> None:
    disagreements = [o for o in outcomes if not o.agrees]
    for o in disagreements:
        print(o.describe())
    agreement = 1 - len(disagreements) / len(outcomes)
    print(f"agreement {agreement:.2%} over {len(outcomes)} cases, {len(disagreements)} disagreements")
    assert agreement >= MIN_AGREEMENT, f"agreement {agreement:.2%} < {MIN_AGREEMENT:.0%}:\n" + "\n".join(
        o.describe() for o in disagreements
    )
