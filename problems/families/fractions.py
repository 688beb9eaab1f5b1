"""Exact fraction arithmetic: simplify a fraction (levels 1-2), then +, -, x and / of several
fractions with the usual precedence, mixed numbers and negative fractions at higher levels.
The answer is an integer or a fraction in lowest terms."""

from __future__ import annotations

import random
from fractions import Fraction
from math import gcd

from ..mathtext import frac_latex, frac_plain
from ..registry import Draft, Knobs, family
from ..types import Answer

ADD_SUB, WITH_MUL, WITH_DIV = range(3)  # the `ops` knob

# terms: fractions in the expression (1: simplify a single fraction); max_den: largest denominator;
# max_mult: largest common factor to cancel (simplify items); mixed: operands may be mixed numbers;
# neg: operands may be negative
LEVELS = [
    dict(terms=1, max_den=10, max_mult=6, ops=ADD_SUB, mixed=0, neg=0),
    dict(terms=1, max_den=16, max_mult=12, ops=ADD_SUB, mixed=0, neg=0),
    dict(terms=3, max_den=20, max_mult=12, ops=ADD_SUB, mixed=0, neg=0),
    dict(terms=3, max_den=20, max_mult=12, ops=WITH_MUL, mixed=0, neg=0),
    dict(terms=3, max_den=20, max_mult=12, ops=WITH_DIV, mixed=0, neg=0),
    dict(terms=3, max_den=20, max_mult=12, ops=WITH_DIV, mixed=1, neg=0),
    dict(terms=4, max_den=20, max_mult=12, ops=WITH_DIV, mixed=1, neg=1),
    dict(terms=4, max_den=24, max_mult=12, ops=WITH_DIV, mixed=1, neg=1),
    dict(terms=5, max_den=30, max_mult=12, ops=WITH_DIV, mixed=1, neg=1),
    dict(terms=6, max_den=40, max_mult=12, ops=WITH_DIV, mixed=1, neg=1),
]

_OP_LATEX = (" + ", " - ", " \\times ", " \\div ")
_OP_PLAIN = (" + ", " - ", "*", "/")
_SIMPLIFY = (
    "Simplify the fraction ${}$ to lowest terms.",
    "Write ${}$ in lowest terms.",
    "Reduce ${}$ to its simplest form.",
    "Express ${}$ as a fraction in lowest terms.",
)
_COMPUTE = ("Compute ${}$.", "Evaluate ${}$.", "Calculate ${}$.", "What is ${}$?")


def _reduced(rng: random.Random, max_den: int, improper: bool) -> tuple[int, int]:
    """A positive fraction a/b in lowest terms with 2 <= b <= max_den (a < b unless improper)."""
    b = rng.randint(2, max_den)
    top = 2 * b if improper else b
    for _ in range(8):
        a = rng.randint(1, top - 1)
        if gcd(a, b) == 1:
            return a, b
    return 1, b


def _operand(rng: random.Random, k: Knobs) -> tuple[Fraction, str, str]:
    """(value, latex, plain) of one operand; latex/plain are ready to stand next to an operator."""
    a, b = _reduced(rng, k["max_den"], False)
    whole = rng.randint(1, 5) if k["mixed"] and rng.random() < 0.4 else 0
    value = Fraction(whole * b + a, b)
    if whole:
        latex, plain = f"{whole}\\frac{{{a}}}{{{b}}}", f"({whole} + {a}/{b})"
    else:
        latex, plain = f"\\frac{{{a}}}{{{b}}}", f"({a}/{b})"
    if k["neg"] and rng.random() < 0.25:
        value = -value
        latex = f"\\left(-{latex}\\right)"
        plain = f"(-{plain})"
    return value, latex, plain


def _fl(q: Fraction) -> str:
    """A value as a right operand in LaTeX (negatives in parentheses)."""
    t = frac_latex(q)
    return f"\\left({t}\\right)" if q < 0 else t


def _combine(a: Fraction, op: int, b: Fraction) -> tuple[Fraction, str]:
    """a op b and the worked line."""
    la, lb = frac_latex(a), _fl(b)
    if op == 2:
        r = a * b
        return r, f"${la} \\times {lb} = {frac_latex(r)}$"
    if op == 3:
        r = a / b
        return r, f"${la} \\div {lb} = {la} \\times {_fl(1 / b)} = {frac_latex(r)}$"
    r = a + b if op == 0 else a - b
    da, db = a.denominator, b.denominator
    if da == db:
        return r, f"${la}{_OP_LATEX[op]}{lb} = {frac_latex(r)}$"
    lcd = da * db // gcd(da, db)
    na = a.numerator * (lcd // da)
    ea = f"\\frac{{{na}}}{{{lcd}}}" if na >= 0 else f"-\\frac{{{-na}}}{{{lcd}}}"
    nb = b.numerator * (lcd // db)
    eb = f"\\frac{{{nb}}}{{{lcd}}}" if nb >= 0 else f"\\left(-\\frac{{{-nb}}}{{{lcd}}}\\right)"
    num = r.numerator * (lcd // r.denominator)
    raw = f"\\frac{{{num}}}{{{lcd}}}" if num >= 0 else f"-\\frac{{{-num}}}{{{lcd}}}"
    tail = "" if r.denominator == lcd else f" = {frac_latex(r)}"
    return r, f"Use the common denominator ${lcd}$: ${la}{_OP_LATEX[op]}{lb} = {ea}{_OP_LATEX[op]}{eb} = {raw}{tail}$"


@family("fractions", kind="number", category="arithmetic", levels=LEVELS)
def fractions(rng: random.Random, k: Knobs) -> Draft:
    """Simplify a fraction, or compute with fractions and mixed numbers; answer in lowest terms."""
    n = k["terms"]
    if n == 1:
        a, b = _reduced(rng, k["max_den"], k["max_den"] > 10)
        m = rng.randint(2, k["max_mult"])
        num, den = a * m, b * m
        question = rng.choice(_SIMPLIFY).format(f"\\frac{{{num}}}{{{den}}}")
        value = Fraction(num, den)
        steps = [
            f"The greatest common divisor of ${num}$ and ${den}$ is ${m}$.",
            f"Divide the numerator and the denominator by ${m}$: "
            f"$\\frac{{{num}}}{{{den}}} = \\frac{{{num} \\div {m}}}{{{den} \\div {m}}} = {frac_latex(value)}$.",
        ]
        expression = f"{num}/{den}"
    else:
        n_ops = 2 + k["ops"]
        vals, lat, pla = [], [], []
        for _ in range(n):
            v, lt, pt = _operand(rng, k)
            vals.append(v)
            lat.append(lt)
            pla.append(pt)
        ops = [int(rng.random() * n_ops) for _ in range(n - 1)]
        latex = [lat[0]]
        plain = [pla[0]]
        for op, lt, pt in zip(ops, lat[1:], pla[1:]):
            latex += (_OP_LATEX[op], lt)
            plain += (_OP_PLAIN[op], pt)
        steps = []
        if k["mixed"] and any("+" in p for p in pla):
            mixed = ", ".join(f"${lt} = {_fl(v)}$" for v, lt, pt in zip(vals, lat, pla) if " + " in pt)
            steps.append(f"Write the mixed numbers as improper fractions: {mixed}.")
        terms, signs = [vals[0]], []
        for op, v in zip(ops, vals[1:]):
            if op >= 2:
                terms[-1], line = _combine(terms[-1], op, v)
                steps.append(line)
            else:
                terms.append(v)
                signs.append(op)
        value = terms[0]
        for op, v in zip(signs, terms[1:]):
            value, line = _combine(value, op, v)
            steps.append(line)
        expression = "".join(plain)
        question = rng.choice(_COMPUTE).format("".join(latex))
        if k["mixed"]:
            question += " Give the answer as an integer or an improper fraction in lowest terms."
        else:
            question += " Give the answer as an integer or a fraction in lowest terms."
    answer = Answer(kind="number", value=frac_plain(value), latex=frac_latex(value))
    return Draft(question, answer, steps, data={"expression": expression})
