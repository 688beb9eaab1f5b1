"""The number judge: one exact value (integer, fraction, decimal, surd, multiple of pi...).

Fast path: when both the gold and the answer are plain rationals (integers, decimals,
fractions, mixed numbers, percents), they are compared as Fractions without
importing sympy. Otherwise the grammar parses the answer; a rational made of
literals is still compared exactly, and only the rest goes to `numbers_equal`.

Exact golds are matched exactly: 0.333 is wrong for 1/3, 3.14 is wrong for pi. Two
spec keys loosen that: `tolerance` (relative, for float golds) and `rounding`
(decimal places the problem asked for). A gold with spec unit "%" accepts `30` and
`30\\%`; any other gold reads `30\\%` as 0.3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from reasonrl.problems.types import Answer

from ..normalize import after_last_equals, clean_latex, strip_units, top_level_split
from ..types import Limits
from . import judge
from .fastnum import parse_plain_number, quick_number
from .symbolic import gold_math, node_to_sympy, numbers_equal, require_expr

_PERCENT = re.compile(r"\s*(?:\\?%|\\text\{\s*\\?%\s*\}|\s*percent)\s*$")


@dataclass(frozen=True)
class GoldNumber:
    text: str
    exact: Fraction | None
    percent_unit: bool
    tolerance: float | None
    rounding: int | None

    def matches_rational(self, value: Fraction) -> bool:
        assert self.exact is not None
        if value == self.exact:
            return True
        if self.tolerance is not None:
            return abs(value - self.exact) <= Fraction(self.tolerance) * abs(self.exact)
        if self.rounding is not None:
            return abs(value - self.exact) <= Fraction(1, 2 * 10**self.rounding)
        return False

    @property
    def abs_tol(self) -> float | None:
        return None if self.rounding is None else 0.5 * 10.0**-self.rounding * (1 + 1e-12)


@lru_cache(maxsize=8192)
def gold_number(
    value: str, exact: str | None, unit: str | None, tolerance: float | None, rounding: int | None
) -> GoldNumber:
    """The gold parsed once per process (golds repeat across a batch's samples)."""
    from ..types import DEFAULT_LIMITS

    text = exact or value
    plain = parse_plain_number(text, DEFAULT_LIMITS)
    if plain is not None and plain.percent:  # a gold written "25\%": the percent is its unit
        return GoldNumber(str(plain.value), plain.value, True, tolerance, rounding)
    rational = plain.value if plain is not None else None
    return GoldNumber(text, rational, unit == "%", tolerance, rounding)


def gold_of(gold: Answer) -> GoldNumber:
    spec = gold.spec
    if not spec:
        return gold_number(gold.value, None, None, None, None)
    tol, rounding = spec.get("tolerance"), spec.get("rounding")
    return gold_number(
        gold.value,
        spec.get("exact"),
        spec.get("unit"),
        None if tol is None else float(tol),
        None if rounding is None else int(rounding),
    )


@judge("number")
def judge_number(gold: Answer, text: str, limits: Limits) -> bool:
    from ..mathparse import exact_rational

    g = gold_of(gold)
    if g.exact is not None and (quick := quick_number(text)) is not None:
        return g.matches_rational(quick)
    text, percent = answer_number_text(text)
    plain = parse_plain_number(text, limits)
    if plain is not None and g.exact is not None:
        return g.matches_rational(_scaled(plain.value, percent or plain.percent, g))
    node, percent = _split_unit(strip_units(text), limits, percent)
    exact = exact_rational(node)
    if exact is not None and g.exact is not None:
        return g.matches_rational(_scaled(exact, percent, g))
    answer = _unwrap_value(node_to_sympy(node, limits))
    if percent and not g.percent_unit:
        answer = answer / 100
    return numbers_equal(answer, gold_math(g.text), rel=g.tolerance, abs_tol=g.abs_tol)


def answer_number_text(text: str) -> tuple[str, bool]:
    """The number part of an answer line: `x = 5` -> `5`, `2\\sqrt2 \\approx 2.83` -> `2\\sqrt2`,
    and whether it ended with a percent sign."""
    s = clean_latex(text)
    if "\\approx" in s or "≈" in s:
        s = top_level_split(s, ("\\approx", "≈"))[0]
    if "=" in s:
        s = after_last_equals(s)
    m = _PERCENT.search(s)
    if m is not None:
        return s[: m.start()].strip(), True
    return s.strip(), False


def _split_unit(text: str, limits: Limits, percent: bool) -> tuple[Any, bool]:
    """The parsed answer without a trailing % or degree sign, and whether it had a %."""
    from ..mathparse import parse_ast, split_unit

    node, unit = split_unit(parse_ast(text, limits))
    return node, percent or unit == "percent"


def _scaled(value: Fraction, percent: bool, g: GoldNumber) -> Fraction:
    return value / 100 if percent and not g.percent_unit else value


def _unwrap_value(value: Any) -> Any:
    """`x = 5` read by the grammar -> 5; lists and sets are not numbers."""
    import sympy

    if isinstance(value, sympy.Equality) and isinstance(value.lhs, sympy.Symbol):
        value = value.rhs
    return require_expr(value, "number")
