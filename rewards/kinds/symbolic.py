"""The sympy side shared by the mathematical judges: parsing through the project's
grammar and deciding whether two numbers are equal.

Equality of numbers (`numbers_equal`), in order: structural (sympy's automatic canonical
form already merges `\\sqrt{375}` and `5\\sqrt{15}`); a rational answer must equal the
gold exactly, so a rounded decimal is wrong for an irrational gold however many digits
it has; a difference that sympy collects into a nonzero rational (`\\pi + 10^{-30}`) is
wrong; otherwise both sides are evaluated with mpmath at `DPS` digits and accepted
within `REL_TOL` (25 significant digits). That last step is the documented price of
not running `simplify` on model text: a symbolic answer built to agree with the gold to
25 digits without being equal would pass.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..types import Limits, ParseError, Refused

DPS = 40
REL_TOL = 1e-25
GOLD_LIMITS = Limits(
    max_answer_chars=100_000, max_depth=400, max_tokens=100_000, max_int_digits=2_000, max_power_bits=100_000
)


def parse_math(text: str, limits: Limits) -> Any:
    """Untrusted text -> sympy object or container, through the grammar (never eval)."""
    from ..mathparse import parse_ast, to_sympy

    return to_sympy(parse_ast(text, limits), limits)


def node_to_sympy(node: Any, limits: Limits) -> Any:
    from ..mathparse import to_sympy

    return to_sympy(node, limits)


@lru_cache(maxsize=8192)
def gold_math(text: str) -> Any:
    """A gold value is trusted sympy-syntax text; parsed once per process."""
    from . import BadGold

    try:
        return parse_math(text, GOLD_LIMITS)
    except (ParseError, Refused) as e:
        raise BadGold(f"gold {text[:60]!r}: {e}") from e


def numbers_equal(answer: Any, gold: Any, *, rel: float | None = None, abs_tol: float | None = None) -> bool:
    """Equality of two sympy numbers (no free symbols); `rel`/`abs_tol` loosen it for float golds."""
    import sympy

    from .probe import close, evaluate

    if not (isinstance(answer, sympy.Expr) and isinstance(gold, sympy.Expr)):
        return False
    if answer.free_symbols or gold.free_symbols:
        return False
    if _infinite(answer) or _infinite(gold):
        return answer == gold
    loose = rel is not None or abs_tol is not None
    if not loose:
        if answer == gold:
            return True
        if answer.is_Rational:  # both rational and different, or a rounded decimal for an irrational gold
            return False
        if (answer - gold).is_Rational:  # `\\pi + 10^{-30}`: sympy's own collection shows the offset
            return False
    a, g = evaluate(answer, {}, DPS), evaluate(gold, {}, DPS)
    if a is None or g is None:
        return False
    if loose:
        return close(a, g, rel or 0.0, abs_tol or 0.0)
    return close(a, g, REL_TOL, 1e-30)


def _infinite(e: Any) -> bool:
    import sympy

    return e.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan)


def require_expr(value: Any, what: str = "expression") -> Any:
    import sympy

    if not isinstance(value, sympy.Expr):
        raise ParseError(f"expected a single {what}, got {type(value).__name__}")
    return value
