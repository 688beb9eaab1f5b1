"""Modular arithmetic: sums, differences and products mod m, powers mod m (repeated squaring for large
exponents), modular inverses (extended Euclidean algorithm) and combined expressions. The answer is the
least non-negative residue."""

from __future__ import annotations

import random
from math import gcd

from ..numbers import inverse_steps, mod_pow_steps
from ..registry import Draft, Knobs, family
from ..types import Answer

ADD, MUL, POW, INV, COMBO = range(5)  # the `ops` knob: the highest kind of question in use

# max_m: largest modulus; max_a: largest operand; max_exp: largest exponent; neg: negative operands
LEVELS = [
    dict(ops=ADD, max_m=12, max_a=50, max_exp=2, neg=0),
    dict(ops=MUL, max_m=20, max_a=100, max_exp=2, neg=0),
    dict(ops=POW, max_m=30, max_a=2000, max_exp=40, neg=0),
    dict(ops=POW, max_m=50, max_a=2000, max_exp=50, neg=0),
    dict(ops=INV, max_m=60, max_a=10**4, max_exp=60, neg=0),
    dict(ops=INV, max_m=100, max_a=10**4, max_exp=100, neg=1),
    dict(ops=COMBO, max_m=200, max_a=10**5, max_exp=1000, neg=1),
    dict(ops=COMBO, max_m=500, max_a=10**6, max_exp=10**4, neg=1),
    dict(ops=COMBO, max_m=1000, max_a=10**7, max_exp=10**5, neg=1),
    dict(ops=COMBO, max_m=10**4, max_a=10**9, max_exp=10**6, neg=1),
]

_RESIDUE = " Give the least non-negative residue, an integer from $0$ to ${}$."
_TEMPLATES = ("Compute ${} \\bmod {}$.", "What is ${} \\bmod {}$?", "Find the remainder when ${}$ is divided by ${}$.")


def _p(v: int) -> str:
    return f"({v})" if v < 0 else str(v)


def _reduce_line(vals: list[int], m: int) -> str:
    parts = [f"{v} \\equiv {v % m}" for v in vals if v != v % m]
    return f"Reduce modulo ${m}$ first: ${', '.join(parts)}$." if parts else ""


def _power(a: int, e: int, m: int, steps: list[str]) -> int:
    """a**e mod m (a already reduced), with the worked steps appended."""
    if e <= 6 or a in (0, 1):
        r = pow(a, e, m)
        steps.append(f"${a}^{{{e}}} = {a**e} \\equiv {r} \\pmod{{{m}}}$.")
        return r
    r, lines = mod_pow_steps(a, e, m)
    steps.extend(lines)
    if not lines or "so" not in lines[-1]:
        steps.append(f"So ${a}^{{{e}}} \\equiv {r} \\pmod{{{m}}}$.")
    return r


@family("modular", kind="number", category="number_theory", levels=LEVELS)
def modular(rng: random.Random, k: Knobs) -> Draft:
    """Modular arithmetic: sums, products, powers and inverses modulo m (least non-negative residue)."""
    op = k["ops"] if rng.random() < 0.4 else rng.randint(ADD, k["ops"])
    max_a, neg = k["max_a"], k["neg"]
    m = rng.randint(3, k["max_m"])
    steps: list[str] = []

    def operand() -> int:
        v = rng.randint(2, max_a)
        return -v if neg and rng.random() < 0.3 else v

    if op in (ADD, MUL):
        a, b = operand(), operand()
        if op == ADD:
            minus = rng.random() < 0.4
            expr = f"({a} {'-' if minus else '+'} {_p(b)})"
            ra, rb = a % m, b % m
            s = ra - rb if minus else ra + rb
            value = s % m
            line = _reduce_line([a, b], m)
            if line:
                steps.append(line)
            steps.append(f"${ra} {'-' if minus else '+'} {rb} = {s} \\equiv {value} \\pmod{{{m}}}$.")
            data = {"op": "sub" if minus else "add", "a": a, "b": b, "m": m}
        else:
            expr = f"({a} \\cdot {_p(b)})"
            ra, rb = a % m, b % m
            value = ra * rb % m
            line = _reduce_line([a, b], m)
            if line:
                steps.append(line)
            steps.append(f"${ra} \\cdot {rb} = {ra * rb} \\equiv {value} \\pmod{{{m}}}$.")
            data = {"op": "mul", "a": a, "b": b, "m": m}
        question = rng.choice(_TEMPLATES).format(expr, m)
    elif op == POW:
        a = rng.randint(2, max_a)
        e = rng.randint(2, k["max_exp"])
        line = _reduce_line([a], m)
        if line:
            steps.append(line)
        value = _power(a % m, e, m, steps)
        question = rng.choice(_TEMPLATES).format(f"{a}^{{{e}}}", m)
        data = {"op": "pow", "a": a, "e": e, "m": m}
    elif op == INV:
        a = rng.randint(2, max_a)
        for _ in range(20):
            if gcd(a, m) == 1 and a % m > 1:
                break
            a = rng.randint(2, max_a)
        else:
            a = m - 1  # always a unit
        line = _reduce_line([a], m)
        if line:
            steps.append(line)
        value, lines = inverse_steps(a % m, m)
        steps.extend(lines)
        steps.append(
            f"So ${a % m}^{{-1}} \\equiv {value} \\pmod{{{m}}}$; check: ${a % m} \\cdot {value} = {a % m * value} \\equiv 1$."
        )
        question = (
            f"Find the multiplicative inverse of ${a}$ modulo ${m}$: the integer $x$ with $0 \\le x < {m}$ "
            f"and ${a}x \\equiv 1 \\pmod{{{m}}}$."
        )
        data = {"op": "inv", "a": a, "m": m}
    else:
        a, b, c = operand(), operand(), rng.randint(2, max_a)
        e = rng.randint(2, k["max_exp"])
        line = _reduce_line([a, b, c], m)
        if line:
            steps.append(line)
        prod = a % m * (b % m) % m
        steps.append(f"${a % m} \\cdot {b % m} = {a % m * (b % m)} \\equiv {prod} \\pmod{{{m}}}$.")
        pw = _power(c % m, e, m, steps)
        value = (prod + pw) % m
        steps.append(f"${prod} + {pw} = {prod + pw} \\equiv {value} \\pmod{{{m}}}$.")
        expr = f"({a} \\cdot {_p(b)} + {c}^{{{e}}})"
        question = rng.choice(_TEMPLATES).format(expr, m)
        data = {"op": "combo", "a": a, "b": b, "c": c, "e": e, "m": m}
    if op != INV:
        question += _RESIDUE.format(m - 1)
    answer = Answer(kind="number", value=str(value), latex=str(value))
    return Draft(question, answer, steps, data=data)
