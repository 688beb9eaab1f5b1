"""Decimal arithmetic with exact decimal answers: sums and differences, products, and divisions
that terminate (the quotient is chosen first, the dividend is quotient x divisor).

The answer value is the exact decimal string ("12.375"); since sympy reads a decimal as a
Float, spec["exact"] also gives it as an exact rational ("99/8").
"""

from __future__ import annotations

import random
from math import gcd

from ..registry import Draft, Knobs, family
from ..types import Answer

SUMS, PRODUCTS, QUOTIENTS = range(3)  # the `ops` knob: which kinds of terms appear

# terms: terms added or subtracted; places: most decimal places of an operand; max_int: bound on
# operands' integer parts; neg: negative operands
LEVELS = [
    dict(terms=2, places=1, max_int=10, ops=SUMS, neg=0),
    dict(terms=2, places=2, max_int=20, ops=PRODUCTS, neg=0),
    dict(terms=2, places=2, max_int=100, ops=QUOTIENTS, neg=0),
    dict(terms=3, places=2, max_int=100, ops=QUOTIENTS, neg=0),
    dict(terms=3, places=3, max_int=100, ops=QUOTIENTS, neg=0),
    dict(terms=3, places=3, max_int=1000, ops=QUOTIENTS, neg=1),
    dict(terms=4, places=3, max_int=1000, ops=QUOTIENTS, neg=1),
    dict(terms=4, places=4, max_int=1000, ops=QUOTIENTS, neg=1),
    dict(terms=5, places=4, max_int=10000, ops=QUOTIENTS, neg=1),
    dict(terms=6, places=5, max_int=10000, ops=QUOTIENTS, neg=1),
]

_TEMPLATES = ("Compute ${}$.", "Evaluate ${}$.", "Calculate ${}$.", "What is ${}$?")
_TAIL = " Give the exact answer as a decimal number."


def _fmt(v: int, e: int) -> str:
    """The decimal numeral of v / 10**e, without trailing zeros."""
    s = str(abs(v)).rjust(e + 1, "0")
    whole, frac = s[:-e], s[-e:].rstrip("0")
    sign = "-" if v < 0 else ""
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def _exact(v: int, e: int) -> str:
    """v / 10**e as a fraction in lowest terms, plain text."""
    g = gcd(v, 10**e)
    num, den = v // g, 10**e // g
    return str(num) if den == 1 else f"{num}/{den}"


@family("decimals", kind="number", category="arithmetic", levels=LEVELS)
def decimals(rng: random.Random, k: Knobs) -> Draft:
    """Add, subtract, multiply and divide decimals (terminating); exact decimal answer."""
    places, max_int, ops, neg = k["places"], k["max_int"], k["ops"], k["neg"]
    e = places + 2  # every value is an integer count of 10**-e: products add at most 2 places, quotients 1
    one = 10**e
    small = min(max_int, 20)
    rnd, randint = rng.random, rng.randint

    def decimal(top: int, most: int, low: int = 1) -> int:
        """A positive decimal with 1..most places below top, scaled by 10**e."""
        p = randint(1, most)
        return randint(low, top * 10**p) * 10 ** (e - p)

    def fmt(v: int) -> str:
        return _fmt(v, e)

    def par(v: int) -> str:
        return f"({_fmt(v, e)})" if v < 0 else _fmt(v, e)

    values, shown, plain, steps = [], [], [], []
    for _ in range(k["terms"]):
        kind = SUMS if rnd() < 0.4 else randint(SUMS, ops)
        if kind == SUMS:
            v = decimal(max_int, places)
            if neg and rnd() < 0.3:
                v = -v
            t = par(v)
            shown.append(t)
            plain.append(t)
        elif kind == PRODUCTS:
            a = decimal(max_int, places)
            b = decimal(small, min(places, 2), 2)
            if neg and rnd() < 0.3:
                b = -b
            v = a * b // one
            sa, sb = fmt(a), par(b)
            shown.append(f"{sa} \\times {sb}")
            plain.append(f"{sa}*{sb}")
            steps.append(f"${sa} \\times {sb} = {fmt(v)}$")
        else:
            v = decimal(max_int, places)
            whole = rnd() < 0.5
            d = randint(2, small) * one if whole else decimal(small, 1, 2)
            if neg and rnd() < 0.3:
                d = -d
            a = v * d // one
            sa, sd, sv = par(a), par(d), fmt(v)
            shown.append(f"{sa} \\div {sd}")
            plain.append(f"{sa}/{sd}")
            if d % one:
                steps.append(
                    "Multiply both numbers by $10$ to make the divisor whole: "
                    f"${sa} \\div {sd} = {par(a * 10)} \\div {par(d * 10)} = {sv}$"
                )
            else:
                steps.append(f"${sa} \\div {sd} = {sv}$")
        values.append(v)
    acc = values[0]
    latex, text = [shown[0]], [plain[0]]
    for v, s, p in zip(values[1:], shown[1:], plain[1:]):
        minus = rnd() < 0.5
        op = " - " if minus else " + "
        latex += (op, s)
        text += (op, p)
        r = acc - v if minus else acc + v
        steps.append(f"${fmt(acc)}{op}{par(v)} = {fmt(r)}$")
        acc = r
    question = _TEMPLATES[int(rnd() * 4)].format("".join(latex)) + _TAIL
    value = fmt(acc)
    answer = Answer(kind="number", value=value, latex=value, spec={"exact": _exact(acc, e)})
    return Draft(question, answer, steps, data={"expression": "".join(text)})
