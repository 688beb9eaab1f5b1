"""Helpers shared by the algebra families: random signs, variable names, linear
equations built from their solution, interval and matrix text, and a tiny exact
polynomial in one or two variables.

Everything is exact (ints and `Fraction`) and never calls a CAS.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction
from math import gcd

from .mathtext import Rational, frac_latex, frac_plain, signed_join

# Variable letters in the order higher levels unlock them (no e, i, o, l: they read as constants or digits).
VARIABLES = ("x", "y", "t", "n", "z", "a", "m", "k", "p", "u", "w", "r", "s", "b", "c", "q")


def nonzero(rng: random.Random, m: int) -> int:
    """A uniform integer in [-m, -1] U [1, m]."""
    v = rng.randint(1, 2 * m)
    return v if v <= m else m - v


def signed(rng: random.Random, lo: int, hi: int) -> int:
    """A uniform integer with lo <= |v| <= hi and a random sign."""
    v = rng.randint(lo, hi)
    return v if rng.random() < 0.5 else -v


def lcm(a: int, b: int) -> int:
    return a * b // gcd(a, b)


def _lin(a: int, b: int, v: str, star: str) -> str:
    """a*v + b for ints (a fast path of mathtext.poly_text)."""
    if a == 0:
        return str(b)
    head = v if a == 1 else ("-" + v if a == -1 else f"{a}{star}{v}")
    if b == 0:
        return head
    return f"{head} + {b}" if b > 0 else f"{head} - {-b}"


def lin_plain(a: int, b: int, v: str) -> str:
    return _lin(a, b, v, "*")


def lin_latex(a: int, b: int, v: str) -> str:
    return _lin(a, b, v, "")


def num_pair(q: Rational) -> tuple[str, str]:
    """(plain, latex) of an exact rational."""
    return frac_plain(q), frac_latex(q)


# ---------------------------------------------------------------- linear equations from their solution

# A chunk of one side of an equation: (negative, plain magnitude, latex magnitude).
Chunk = tuple[bool, str, str]

SIMPLE, BOTH_SIDES, BRACKETS, FRACTION, TWO_FRACTIONS, NESTED = range(6)


def _x(a: int, v: str) -> Chunk:
    m = abs(a)
    return (a < 0, v if m == 1 else f"{m}*{v}", v if m == 1 else f"{m}{v}")


def _c(c: int) -> Chunk:
    return (c < 0, str(abs(c)), str(abs(c)))


def _group(a: int, plain: str, latex: str) -> Chunk:
    m = abs(a)
    return (a < 0, f"({plain})" if m == 1 else f"{m}*({plain})", f"({latex})" if m == 1 else f"{m}({latex})")


def _frac(neg: bool, a: int, b: int, m: int, v: str) -> Chunk:
    return (neg, f"({lin_plain(a, b, v)})/{m}", f"\\frac{{{lin_latex(a, b, v)}}}{{{m}}}")


def _join(chunks: Sequence[Chunk]) -> tuple[str, str]:
    if not chunks:
        return "0", "0"
    return signed_join([(n, p) for n, p, _ in chunks]), signed_join([(n, t) for n, _, t in chunks])


class LinearSides:
    """lhs = rhs, linear in `var`, written as a student would see it, with its
    cleared form: scale*lhs = A1*var + B1 and scale*rhs = A2*var + B2 (ints, A1 != A2)."""

    __slots__ = ("lhs_plain", "lhs_latex", "rhs_plain", "rhs_latex", "scale", "A1", "B1", "A2", "B2", "has_brackets")

    def __init__(self, lhs: Sequence[Chunk], rhs: Sequence[Chunk], scale: int, coeffs: tuple, has_brackets: bool):
        self.lhs_plain, self.lhs_latex = _join(lhs)
        self.rhs_plain, self.rhs_latex = _join(rhs)
        self.scale = scale
        self.A1, self.B1, self.A2, self.B2 = coeffs
        self.has_brackets = has_brackets


def _den(rng: random.Random, q: int, hi: int) -> int:
    """A denominator in [2, hi] coprime to q where a few tries allow."""
    m = rng.randint(2, hi)
    for _ in range(4):
        if gcd(m, q) == 1:
            break
        m = rng.randint(2, hi)
    return m


def _coprime_multiple(rng: random.Random, q: int, m: int, bound: int) -> int:
    """A positive multiple of q, coprime to m where a few tries allow."""
    a = q * rng.randint(1, bound)
    for _ in range(4):
        if gcd(a, m) == 1:
            break
        a = q * rng.randint(1, bound)
    return a


def linear_sides(rng: random.Random, form: int, max_coef: int, p: int, q: int, v: str) -> LinearSides:
    """An equation in `v` of the given form whose only solution is p/q (q >= 1).

    Every coefficient of `v` that multiplies the solution is a multiple of q, so all
    the printed numbers are integers; the last constant is computed, never solved for.
    """
    c_range = 2 * max_coef
    qb = max(1, max_coef // q)  # keeps multiples of q near max_coef
    if form == SIMPLE:
        a, b = q * nonzero(rng, qb), nonzero(rng, c_range)
        c = a // q * p + b
        lhs = [_x(a, v), _c(b)] if rng.random() < 0.75 else [_c(b), _x(a, v)]
        if rng.random() < 0.8:
            return LinearSides(lhs, [_c(c)], 1, (a, b, 0, c), False)
        return LinearSides([_c(c)], lhs, 1, (0, c, a, b), False)
    if form == BOTH_SIDES:
        a, m = q * nonzero(rng, qb), nonzero(rng, qb)
        c = a - q * m or a + q * m
        b = rng.randint(-c_range, c_range)
        d = (a - c) // q * p + b
        lhs = [_x(a, v), _c(b)] if rng.random() < 0.7 else [_c(b), _x(a, v)]
        rhs = [_x(c, v), _c(d)] if rng.random() < 0.7 else [_c(d), _x(c, v)]
        return LinearSides([t for t in lhs if t[1] != "0"], [t for t in rhs if t[1] != "0"], 1, (a, b, c, d), False)
    if form == BRACKETS:
        a, b, c = signed(rng, 2, max_coef), nonzero(rng, max_coef), rng.randint(-c_range, c_range)
        d = a - q * nonzero(rng, qb)
        if d == 0:
            d = a + q * nonzero(rng, qb)
        lhs = [_group(a, lin_plain(1, b, v), lin_latex(1, b, v))] + ([_c(c)] if c else [])
        B1 = a * b + c
        if abs(d) >= 2 and rng.random() < 0.6:
            e = nonzero(rng, max_coef)
            rhs, B2 = [_group(d, lin_plain(1, e, v), lin_latex(1, e, v))], d * e
        else:
            rhs, B2 = [_x(d, v)], 0
        f = (a - d) // q * p + B1 - B2  # the closing constant makes p/q the solution
        if f:
            rhs.append(_c(f))
        return LinearSides(lhs, rhs, 1, (a, B1, d, B2 + f), True)
    if form == FRACTION:
        m = _den(rng, q, max(3, max_coef // 2))
        a, sg = _coprime_multiple(rng, q, m, qb), 1 if rng.random() < 0.7 else -1
        t1 = rng.randint(-max_coef, max_coef)
        b = m * t1 - a // q * p  # (a*s + b)/m == t1
        c = rng.randint(-max_coef, max_coef)
        lhs = [_frac(sg < 0, a, b, m, v)] + ([_c(c)] if c else [])
        if rng.random() < 0.6:
            n = _den(rng, q, max(3, max_coef // 2))
            d, sg2 = _coprime_multiple(rng, q, n, qb), 1 if rng.random() < 0.7 else -1
            if sg * a * n == sg2 * d * m:
                sg2 = -sg2
            t2 = rng.randint(-max_coef, max_coef)
            e = n * t2 - d // q * p
            f = sg * t1 + c - sg2 * t2
            rhs = [_frac(sg2 < 0, d, e, n, v)] + ([_c(f)] if f else [])
            scale = lcm(m, n)
            u, w = scale // m, scale // n
            return LinearSides(
                lhs, rhs, scale, (sg * a * u, (sg * b + c * m) * u, sg2 * d * w, (sg2 * e + f * n) * w), True
            )
        d = q * nonzero(rng, qb)
        if sg * a == d * m:
            d = -d
        f = sg * t1 + c - d // q * p
        rhs = [_x(d, v)] + ([_c(f)] if f else [])
        return LinearSides(lhs, rhs, m, (sg * a, sg * b + c * m, d * m, f * m), True)
    if form == TWO_FRACTIONS:
        m, n = _den(rng, q, max(3, max_coef // 2)), _den(rng, q, max(3, max_coef // 2))
        a, d = _coprime_multiple(rng, q, m, qb), _coprime_multiple(rng, q, n, qb)
        sign = 1 if rng.random() < 0.5 else -1
        if a * n + sign * d * m == 0:
            sign = -sign
        t1, t2 = rng.randint(-max_coef, max_coef), rng.randint(-max_coef, max_coef)
        b, e = m * t1 - a // q * p, n * t2 - d // q * p
        scale = lcm(m, n)
        A1 = a * scale // m + sign * d * scale // n
        B1 = b * scale // m + sign * e * scale // n
        lhs = [_frac(False, a, b, m, v), _frac(sign < 0, d, e, n, v)]
        return LinearSides(lhs, [_c(t1 + sign * t2)], scale, (A1, B1, 0, (t1 + sign * t2) * scale), True)
    if form == NESTED:
        a, b = signed(rng, 2, max(2, max_coef // 2)), signed(rng, 2, max(2, max_coef // 3))
        c, d, e = nonzero(rng, max_coef), nonzero(rng, c_range), rng.randint(-c_range, c_range)
        f = a * b - q * nonzero(rng, qb)
        if f == 0:
            f = a * b + q * nonzero(rng, qb)
        inner = _join([_group(b, lin_plain(1, c, v), lin_latex(1, c, v)), _c(d)])
        lhs = [_group(a, *inner)] + ([_c(e)] if e else [])
        B1 = a * (b * c + d) + e
        g = (a * b - f) // q * p + B1
        rhs = [_x(f, v)] + ([_c(g)] if g else [])
        return LinearSides(lhs, rhs, 1, (a * b, B1, f, g), True)
    raise ValueError(f"unknown linear form {form}")


# ---------------------------------------------------------------- intervals

# An endpoint: (plain, latex, sort value); None is -oo on the left and oo on the right.
Endpoint = tuple[str, str, float] | None
# A piece of a union: (low endpoint, low closed, high endpoint, high closed).
Piece = tuple[Endpoint, bool, Endpoint, bool]


def interval_text(pieces: Sequence[Piece]) -> tuple[str, str]:
    """(plain, latex) of a union of intervals: "(-oo, 2) U [3, oo)", "(-\\infty, 2) \\cup [3, \\infty)"."""
    if not pieces:
        return "EmptySet", "\\emptyset"
    if len(pieces) == 1 and pieces[0][0] is None and pieces[0][2] is None:
        return "Reals", "\\mathbb{R}"
    plain, latex = [], []
    for lo, lo_closed, hi, hi_closed in pieces:
        left = "[" if lo_closed else "("
        right = "]" if hi_closed else ")"
        lo_p, lo_l = ("-oo", "-\\infty") if lo is None else lo[:2]
        hi_p, hi_l = ("oo", "\\infty") if hi is None else hi[:2]
        plain.append(f"{left}{lo_p}, {hi_p}{right}")
        latex.append(f"{left}{lo_l}, {hi_l}{right}")
    return " U ".join(plain), " \\cup ".join(latex)


# ---------------------------------------------------------------- matrices


def matrix_plain(rows: Sequence[Sequence[Rational]]) -> str:
    return "[" + ", ".join("[" + ", ".join(frac_plain(x) for x in row) + "]" for row in rows) + "]"


def matrix_latex(rows: Sequence[Sequence[Rational]]) -> str:
    body = " \\\\ ".join(" & ".join(frac_latex(x) for x in row) for row in rows)
    return f"\\begin{{pmatrix}} {body} \\end{{pmatrix}}"


def det(m: Sequence[Sequence[Rational]]) -> Rational:
    """Determinant by cofactor expansion along the first row (sizes up to 4)."""
    n = len(m)
    if n == 1:
        return m[0][0]
    if n == 2:
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]
    total: Rational = 0
    for j in range(n):
        if m[0][j]:
            minor = [row[:j] + row[j + 1 :] for row in m[1:]]
            total += (-1) ** j * m[0][j] * det(minor)
    return total


def adjugate(m: Sequence[Sequence[int]]) -> list[list[int]]:
    n = len(m)
    if n == 2:
        return [[m[1][1], -m[0][1]], [-m[1][0], m[0][0]]]
    out = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            minor = [row[:j] + row[j + 1 :] for k, row in enumerate(m) if k != i]
            out[j][i] = (-1) ** (i + j) * det(minor)
    return out


def inverse(m: Sequence[Sequence[int]]) -> list[list[Rational]]:
    d = det(m)
    return [[Fraction(x, d) if x % d else x // d for x in row] for row in adjugate(m)]


# ---------------------------------------------------------------- polynomials in one or two variables

# {(power of the first variable, power of the second): integer coefficient}
MPoly = dict[tuple[int, int], int]


def mp_mul(a: MPoly, b: MPoly) -> MPoly:
    out: MPoly = {}
    for (i, j), x in a.items():
        for (k, m), y in b.items():
            key = (i + k, j + m)
            out[key] = out.get(key, 0) + x * y
    return {key: c for key, c in out.items() if c}


def mp_pow(a: MPoly, k: int) -> MPoly:
    out: MPoly = {(0, 0): 1}
    for _ in range(k):
        out = mp_mul(out, a)
    return out


_MONO: dict[tuple, str] = {}


def _mono(i: int, j: int, vars_: tuple[str, str], latex: bool) -> str:
    key = (i, j, vars_, latex)
    text = _MONO.get(key)
    if text is None:
        parts = []
        for power, v in ((i, vars_[0]), (j, vars_[1])):
            if power == 1:
                parts.append(v)
            elif power > 1:
                parts.append(f"{v}^{{{power}}}" if latex else f"{v}**{power}")
        text = ("" if latex else "*").join(parts)
        if len(_MONO) < 4096:
            _MONO[key] = text
    return text


def _order(key: tuple[int, int]) -> tuple[int, int]:
    return (-key[0] - key[1], -key[0])


def mp_text(a: MPoly, vars_: tuple[str, str], latex: bool = False) -> str:
    """Terms by total degree, then by the power of the first variable, highest first."""
    out = []
    star = "" if latex else "*"
    for key in sorted(a, key=_order):
        c = a[key]
        mono = _mono(key[0], key[1], vars_, latex)
        m = -c if c < 0 else c
        if not mono:
            text = str(m)
        elif m == 1:
            text = mono
        else:
            text = f"{m}{star}{mono}"
        if out:
            out.append(" - " if c < 0 else " + ")
        elif c < 0:
            out.append("-")
        out.append(text)
    return "".join(out) if out else "0"


def ip_text(c: Sequence[int], v: str = "x", latex: bool = False) -> str:
    """An integer polynomial (coefficients lowest power first, like Poly.c) as text: a fast path of
    mathtext.poly_text for integer coefficients."""
    out = []
    star = "" if latex else "*"
    for i in range(len(c) - 1, -1, -1):
        a = c[i]
        if not a:
            continue
        if i == 0:
            mono = ""
        elif i == 1:
            mono = v
        else:
            mono = f"{v}^{{{i}}}" if latex else f"{v}**{i}"
        m = -a if a < 0 else a
        text = str(m) if not mono else (mono if m == 1 else f"{m}{star}{mono}")
        if out:
            out.append(" - " if a < 0 else " + ")
        elif a < 0:
            out.append("-")
        out.append(text)
    return "".join(out) if out else "0"


def ip_mul(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """Product of two integer polynomials (coefficients lowest power first)."""
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return tuple(out)
