"""Render exact numbers, surds and polynomials as plain text (sympy syntax) and LaTeX.

Plain text is what `Answer.value` holds (tests parse it with sympy; the verifier's
grammar reads it); LaTeX is what prompts and worked solutions show.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import isqrt

Rational = int | Fraction


def as_int_if_whole(q: Rational) -> Rational:
    return q.numerator if isinstance(q, Fraction) and q.denominator == 1 else q


def frac_plain(q: Rational) -> str:
    q = as_int_if_whole(q)
    return str(q) if isinstance(q, int) else f"{q.numerator}/{q.denominator}"


def frac_latex(q: Rational) -> str:
    q = as_int_if_whole(q)
    if isinstance(q, int):
        return str(q)
    sign = "-" if q < 0 else ""
    return f"{sign}\\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"


def split_square(n: int) -> tuple[int, int]:
    """n = outside**2 * inside with `inside` squarefree (n >= 0)."""
    outside, inside = 1, n
    f = 2
    while f * f <= inside:
        while inside % (f * f) == 0:
            inside //= f * f
            outside *= f
        f += 1
    return outside, inside


def is_square(n: int) -> bool:
    return n >= 0 and isqrt(n) ** 2 == n


def surd_plain(coef: Rational, radicand: int) -> str:
    """coef * sqrt(radicand), radicand squarefree and > 1."""
    coef = as_int_if_whole(coef)
    num, den = (coef, 1) if isinstance(coef, int) else (coef.numerator, coef.denominator)
    head = {1: "", -1: "-"}.get(num, f"{num}*")
    return f"{head}sqrt({radicand})" + (f"/{den}" if den != 1 else "")


def surd_latex(coef: Rational, radicand: int) -> str:
    coef = as_int_if_whole(coef)
    num, den = (coef, 1) if isinstance(coef, int) else (coef.numerator, coef.denominator)
    sign = "-" if num < 0 else ""
    head = "" if abs(num) == 1 else str(abs(num))
    body = f"{head}\\sqrt{{{radicand}}}"
    return f"{sign}\\frac{{{body}}}{{{den}}}" if den != 1 else f"{sign}{body}"


def sqrt_plain(n: Rational) -> str:
    """Simplified sqrt(n) of a non-negative rational as plain text."""
    coef, rad = _sqrt_parts(n)
    return frac_plain(coef) if rad == 1 else surd_plain(coef, rad)


def sqrt_latex(n: Rational) -> str:
    coef, rad = _sqrt_parts(n)
    return frac_latex(coef) if rad == 1 else surd_latex(coef, rad)


def _sqrt_parts(n: Rational) -> tuple[Fraction, int]:
    """sqrt(p/q) = sqrt(p*q)/q = (a/q)*sqrt(b)."""
    q = Fraction(n)
    a, b = split_square(q.numerator * q.denominator)
    return Fraction(a, q.denominator), b


def _term(coef: Rational, power: int, var: str, latex: bool) -> str:
    """|coef| * var**power, without its sign."""
    c = abs(as_int_if_whole(coef))
    if power == 0:
        return frac_latex(c) if latex else frac_plain(c)
    x = var if power == 1 else (f"{var}^{{{power}}}" if latex else f"{var}**{power}")
    if c == 1:
        return x
    if isinstance(c, int):
        return f"{c}{x}" if latex else f"{c}*{x}"
    if latex:
        return f"\\frac{{{c.numerator}}}{{{c.denominator}}}{x}"
    return f"{x}/{c.denominator}" if c.numerator == 1 else f"{c.numerator}*{x}/{c.denominator}"


def signed_join(parts: Sequence[tuple[bool, str]]) -> str:
    """Join (negative, magnitude-text) pairs into 'a - b + c'."""
    if not parts:
        return "0"
    neg, text = parts[0]
    out = [("-" if neg else "") + text]
    out += [(" - " if n else " + ") + t for n, t in parts[1:]]
    return "".join(out)


def poly_text(coeffs: Sequence[Rational], var: str = "x", latex: bool = False) -> str:
    """coeffs[i] is the coefficient of var**i; printed from the highest power down."""
    parts = [(c < 0, _term(c, i, var, latex)) for i, c in reversed(list(enumerate(coeffs))) if c != 0]
    return signed_join(parts)


def poly_plain(coeffs: Sequence[Rational], var: str = "x") -> str:
    return poly_text(coeffs, var, latex=False)


def poly_latex(coeffs: Sequence[Rational], var: str = "x") -> str:
    return poly_text(coeffs, var, latex=True)


def set_plain(items: Sequence[str]) -> str:
    return "{" + ", ".join(items) + "}"


def set_latex(items: Sequence[str]) -> str:
    return "\\{" + ", ".join(items) + "\\}" if items else "\\emptyset"


def tuple_text(items: Sequence[str]) -> str:
    return "(" + ", ".join(items) + ")"
