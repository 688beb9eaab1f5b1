"""The plain dataclasses that leave this package: a `Problem` and its gold `Answer`.

Everything here is JSON-native (str, int, float, bool, list, dict), so a problem
crosses process boundaries, parquet files and the reward pool unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The answer kinds a family may declare. The verifier (reasonrl.rewards) judges by kind.
ANSWER_KINDS = (
    "number",  # one exact value: integer, fraction, surd, multiple of pi, e - 1, ...
    "expression",  # symbolic; spec may say up_to_constant (antiderivatives) or form (expanded, factored)
    "equation_solutions",  # the set of solutions of an equation, "{2, -1/3}"
    "set",  # a finite set of numbers or names, "{Alice, Carol}"
    "interval",  # a union of intervals, "(-oo, 2) U [3, oo)"
    "tuple",  # an ordered tuple or point, "(1, -2, 3)"
    "matrix",  # "[[1, 2], [3, 4]]"
    "grid",  # a sudoku grid: rows of digits, judged by validity against the givens
    "countdown",  # an arithmetic expression over given numbers that must reach a target
    "factorization",  # a product of prime powers, "2**3*3**2*5"
    "text",  # a normalised string, e.g. a numeral in another base
)


@dataclass(frozen=True)
class Answer:
    """A gold answer the verifier can judge without guessing.

    `value` is the canonical plain-text form, in sympy-compatible syntax where the
    answer is mathematical (`**`, `sqrt(2)`, `pi`, `E`, `I`, `oo`), so tests can
    parse it with sympy and the verifier's own grammar reads it too. `latex` is how
    a worked solution writes it inside `\\boxed{}`. `spec` carries what the kind
    needs to judge (the variable, the countdown numbers, the sudoku givens, ...).
    """

    kind: str
    value: str
    latex: str
    spec: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """One verifiable problem. `meta` holds `knobs` (the difficulty settings used)
    and `data` (the structured problem, for independent checking)."""

    uid: str
    family: str
    difficulty: int
    prompt: str
    answer: Answer
    solution: str | None
    meta: dict[str, Any]
    version: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Problem:
        return cls(**{**d, "answer": Answer(**d["answer"])})
