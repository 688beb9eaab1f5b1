"""Equivalence of symbolic expressions: exact canonical forms first, then numeric probing.

Order: structural equality and the difference collapsing to 0 (sympy's automatic
canonical form); for rational functions of modest size, `cancel` of the difference,
which decides exactly (a bound on the expanded size, computed without expanding,
keeps `(x+y+z+w)^{60}` away from it); otherwise probing both sides at fixed
pseudo-random points with mpmath (`PROBE_DPS` digits); `simplify` last, only when
probing could not decide (too few points where the gold is defined) and the
difference is small.

Probing counts a point only where the gold has a finite real value (complex golds
count everywhere), so an answer is judged on the gold's real domain: `x^{3/2}` and
`\\sqrt{x^3}` agree (both real for x > 0 only), `\\sqrt{x^2}` and `x` do not. A point
where the answer is undefined but the gold is not is a mismatch. Agreement at every
probe point (to `PROBE_REL`) is accepted as equality; one clear mismatch rejects.
"""

from __future__ import annotations

from collections.abc import Callable
from math import comb
from typing import Any

from .probe import Value, close, evaluate, sample_points

PROBE_DPS = 30
PROBE_REL = 1e-12
PROBE_ABS = 1e-18
PROBES = 8
MIN_VALID = 4
MAX_TRIES = 16  # per scale of probe.SCALES
SIMPLIFY_MAX_OPS = 60
MAX_EXPANSION = 200
MAX_EXACT_EXPONENT = 16

MAX_CONSTANT = 1e12


def expressions_equal(answer: Any, gold: Any) -> bool:
    import sympy

    from .symbolic import numbers_equal

    if answer == gold:
        return True
    if answer.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        return False
    diff = answer - gold
    if not diff.free_symbols:
        return numbers_equal(diff, sympy.Integer(0))
    if _probe(answer, gold, _same_value, enough=1) is False:  # most wrong answers fail at once
        return False
    verdict = exact_decision(diff)
    if verdict is None:
        verdict = _probe(answer, gold, _same_value)
    if verdict is not None:
        return verdict
    return _small_simplify_is_zero(diff)


def differ_by_constant(answer: Any, gold: Any) -> bool:
    """Antiderivatives: answer - gold takes one value at every probe point. The spread of the
    differences is measured against the gold's own size, and a constant over MAX_CONSTANT
    times that size is refused, so a huge constant (`100!`) cannot drown the variable part
    in rounding."""
    import sympy

    if answer.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        return False
    diff = answer - gold
    if not diff.free_symbols:
        return True
    first: list[tuple[Value, Value]] = []

    def same_offset(a: Value, g: Value) -> bool:
        if not first:
            first.append((a - g, g))
        d0, g0 = first[0]
        scale = max(1.0, abs(g), abs(g0))
        return abs((a - g) - d0) <= PROBE_REL * scale and abs(d0) <= MAX_CONSTANT * scale

    verdict = _probe(answer, gold, same_offset)
    if verdict is not None:
        return verdict
    return _small_simplify_is_zero(sympy.diff(diff, *sorted(diff.free_symbols, key=str)[:1]))


def proportional(answer: Any, gold: Any) -> bool:
    """Equations given as lhs - rhs: equal up to a nonzero constant factor. Decided exactly by
    `cancel` of the ratio for rational functions of modest size, else by probing the ratio."""
    import sympy

    if answer.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan) or answer == 0:
        return False
    symbols = answer.free_symbols | gold.free_symbols

    if symbols and max(expansion_size(answer), expansion_size(gold)) <= MAX_EXPANSION:
        ratio_expr = answer / gold
        if ratio_expr.is_rational_function(*symbols):
            ratio_expr = sympy.cancel(ratio_expr)
            return not ratio_expr.free_symbols and ratio_expr != 0
    ratio: list[Value] = []

    def same_ratio(a: Value, g: Value) -> bool:
        small_a, small_g = abs(a) <= PROBE_ABS, abs(g) <= PROBE_ABS
        if small_a or small_g:
            return small_a and small_g
        r = a / g
        if not ratio:
            ratio.append(r)
            return True
        return close(r, ratio[0], PROBE_REL * 10)

    return bool(_probe(answer, gold, same_ratio))


def exact_decision(diff: Any) -> bool | None:
    """Is `diff` identically zero, decided exactly for rational functions of modest size
    (`cancel` is a complete test there); None for anything else or anything too big."""
    import sympy

    symbols = diff.free_symbols
    if not symbols or expansion_size(diff) > MAX_EXPANSION or not diff.is_rational_function(*symbols):
        return None
    return sympy.cancel(diff) == 0


def expansion_size(e: Any) -> int:
    """An upper bound on the number of terms of `expand(e)`, computed without expanding
    (MAX_EXPANSION + 1, "too big", for an exponent over MAX_EXACT_EXPONENT)."""

    if e.is_Add:
        return sum(expansion_size(a) for a in e.args)
    if e.is_Mul:
        size = 1
        for a in e.args:
            size *= expansion_size(a)
            if size > MAX_EXPANSION:
                return size
        return size
    if e.is_Pow and e.exp.is_Integer:
        terms, n = expansion_size(e.base), abs(int(e.exp))
        if n > MAX_EXACT_EXPONENT:
            return MAX_EXPANSION + 1
        return comb(n + terms - 1, terms - 1)

    return 1


def _same_value(a: Value, g: Value) -> bool:
    return close(a, g, PROBE_REL, PROBE_ABS)


def _probe(answer: Any, gold: Any, agree: Callable[[Value, Value], bool], enough: int = PROBES) -> bool | None:
    """True when `agree` holds at `enough` valid points (MIN_VALID will do when the gold's domain
    is small), False at the first point where it fails, None when too few points are valid."""
    import sympy

    symbols = answer.free_symbols | gold.free_symbols
    complex_gold = gold.has(sympy.I)
    valid = 0
    for point in sample_points(symbols, MAX_TRIES):
        g = evaluate(gold, point, PROBE_DPS)
        if g is None or (not complex_gold and abs(g.imag) > PROBE_ABS * max(1.0, abs(g))):
            continue
        a = evaluate(answer, point, PROBE_DPS)
        if a is None or not agree(a, g):
            return False
        valid += 1
        if valid >= enough or not symbols:
            return True
    return True if valid >= min(enough, MIN_VALID) else None


def _small_simplify_is_zero(diff: Any) -> bool:
    import sympy

    if sympy.count_ops(diff) > SIMPLIFY_MAX_OPS:
        return False
    return sympy.simplify(diff) == 0
