"""Checkers for the number-theory families: base_conversion, gcd_lcm, modular, prime_factorization,
divisor_count, congruence.

Each recomputes the gold answer from `problem.meta["data"]` with Python's int builtins (int(s, base),
math.gcd/lcm, pow with a modulus) or sympy's factorint, never with the generators' helpers.
"""

from __future__ import annotations

import math
import re

import sympy
from sympy.ntheory.modular import solve_congruence

from reasonrl.problems import Problem

from . import checker
from .sympy_helpers import parse


def _question(p: Problem) -> str:
    return p.prompt.split("\n\n")[0]


def _int_answer(p: Problem) -> int:
    assert re.fullmatch(r"-?\d+", p.answer.value), f"not an integer: {p.answer.value!r}"
    assert p.answer.latex == p.answer.value
    return int(p.answer.value)


@checker("gcd_lcm")
def check_gcd_lcm(p: Problem) -> None:
    d = p.meta["data"]
    nums = d["numbers"]
    assert len(nums) >= 2 and len(set(nums)) == len(nums) and all(n > 0 for n in nums)
    want = math.gcd(*nums) if d["op"] == "gcd" else math.lcm(*nums)
    assert _int_answer(p) == want
    q = _question(p)
    assert all(re.search(rf"(?<!\d){n}(?!\d)", q) for n in nums), "a number is missing from the question"
    assert ("common divisor" in q or "gcd" in q) == (d["op"] == "gcd")


@checker("prime_factorization")
def check_prime_factorization(p: Problem) -> None:
    n = p.meta["data"]["n"]
    assert f"${n}$" in _question(p)
    factors = sympy.factorint(n)
    spec = {int(q): e for q, e in p.answer.spec["factors"].items()}
    assert spec == factors, f"{n} = {factors}, spec says {spec}"
    terms = [f"{q}**{e}" if e > 1 else str(q) for q, e in sorted(factors.items())]
    assert p.answer.value == "*".join(terms)
    assert sympy.Integer(parse(p.answer.value)) == n
    latex_terms = [f"{q}^{{{e}}}" if e > 1 else str(q) for q, e in sorted(factors.items())]
    assert p.answer.latex == " \\cdot ".join(latex_terms)


@checker("divisor_count")
def check_divisor_count(p: Problem) -> None:
    d = p.meta["data"]
    n, ask = d["n"], d["ask"]
    assert f"${n}$" in _question(p)
    if ask == "count":
        want = int(sympy.divisor_count(n))
    elif ask == "sum":
        want = int(sympy.divisor_sigma(n))
    else:
        f = sympy.factorint(n)
        if ask == "odd":
            want = math.prod(e + 1 for q, e in f.items() if q != 2)
            assert " odd " in _question(p)
        elif ask == "even":
            want = f.get(2, 0) * math.prod(e + 1 for q, e in f.items() if q != 2)
            assert " even " in _question(p)
        else:
            assert ask == "square" and "perfect square" in _question(p)
            want = math.prod(e // 2 + 1 for e in f.values())
    assert _int_answer(p) == want, f"{ask} of {n}: {want}, gold {p.answer.value}"


@checker("modular")
def check_modular(p: Problem) -> None:
    d = p.meta["data"]
    op, m = d["op"], d["m"]
    assert m >= 2
    if op == "add":
        want = (d["a"] + d["b"]) % m
    elif op == "sub":
        want = (d["a"] - d["b"]) % m
    elif op == "mul":
        want = d["a"] * d["b"] % m
    elif op == "pow":
        want = pow(d["a"], d["e"], m)
    elif op == "inv":
        assert math.gcd(d["a"], m) == 1
        want = pow(d["a"], -1, m)
    else:
        assert op == "combo"
        want = (d["a"] * d["b"] + pow(d["c"], d["e"], m)) % m
    got = _int_answer(p)
    assert 0 <= got < m and got == want, f"{d}: {want}, gold {got}"
    q = _question(p)
    for key in ("a", "b", "c", "e", "m"):
        if key in d:
            assert re.search(rf"(?<!\d){abs(d[key])}(?!\d)", q), f"{key} = {d[key]} is not in the question"


_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@checker("base_conversion")
def check_base_conversion(p: Problem) -> None:
    d = p.meta["data"]
    n, src, dst = d["n"], d["from"], d["to"]
    assert 2 <= src <= 36 and 2 <= dst <= 36 and src != dst
    assert p.answer.spec == {"base": dst}
    value = p.answer.value
    assert value and set(value) <= set(_DIGITS[:dst]) and (value == "0" or value[0] != "0"), f"bad numeral {value!r}"
    assert int(value, dst) == n, f"{value} in base {dst} is {int(value, dst)}, not {n}"
    assert int(d["numeral"], src) == n
    q = _question(p)
    assert (f"\\mathrm{{{d['numeral']}}}_{{{src}}}" in q) if src != 10 else (f"${n}$" in q)
    assert f"base ${dst}$" in q or f"base-${dst}$" in q


@checker("congruence")
def check_congruence(p: Problem) -> None:
    d = p.meta["data"]
    x = _int_answer(p)
    period = p.answer.spec["modulus"]
    q = _question(p)
    if d["type"] == "linear":
        a, b, m = d["a"], d["b"], d["m"]
        assert f"{a}x \\equiv {b} \\pmod{{{m}}}" in q
        g = math.gcd(a, m)
        assert b % g == 0, "no solution"
        assert period == m // g
        assert (a * x - b) % m == 0, f"{x} does not solve {a}x = {b} (mod {m})"
        assert 0 <= x < period
        if m <= 5000:  # brute force: the solutions are exactly x + period * j
            sols = [y for y in range(m) if (a * y - b) % m == 0]
            assert sols == list(range(x, m, period)), f"solutions {sols[:5]}..., gold {x} mod {period}"
    else:
        pairs = [tuple(c) for c in d["congruences"]]
        assert len(pairs) >= 2
        for r, m in pairs:
            assert f"x \\equiv {r} \\pmod{{{m}}}" in q
        residues, moduli = zip(*pairs)
        want = solve_congruence(*pairs)
        assert want is not None, "inconsistent system"
        assert (x, period) == (int(want[0]), int(want[1])), f"CRT gives {want}, gold {x} mod {period}"
        assert all((x - r) % m == 0 for r, m in pairs)
        assert period == math.lcm(*moduli)
