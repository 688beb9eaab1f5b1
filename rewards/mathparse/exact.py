"""Exact rational value of a tree of literals, with `fractions` only: the fast path for
integer and fraction answers never touches sympy."""

from __future__ import annotations

from fractions import Fraction
from math import comb, factorial

from . import ast

_MAX_EXACT_BITS = 100_000  # a guard for trees built without parse_ast's limits
_MAX_EXACT_FACTORIAL = 2_000


class _NotRational(Exception):
    pass


def exact_rational(node: ast.Node) -> Fraction | None:
    """The value when `node` is a rational made of literals, + - * /, integer powers, mixed
    numbers, percent (as /100), factorials, binomials, abs, floor, ceiling; None otherwise
    (symbols, pi, sqrt, \\pm, relations, containers, degrees, division by zero)."""
    try:
        return _exact(node)
    except (_NotRational, ZeroDivisionError):
        return None


def split_unit(node: ast.Node) -> tuple[ast.Node, str | None]:
    """(inner node, "percent" | "degrees" | None): the judge decides what a trailing % or ° means."""
    if isinstance(node, ast.Pct):
        return node.arg, "percent"
    if isinstance(node, ast.Deg):
        return node.arg, "degrees"
    return node, None


def _exact(node: ast.Node) -> Fraction:
    t = type(node)
    if t is ast.Num:
        return Fraction(node.p) if node.q == 1 else Fraction(node.p, node.q)
    rule = _RULES.get(t)
    if rule is None:
        raise _NotRational
    return rule(node)


def _add(node: ast.Add) -> Fraction:
    total = Fraction(0)
    for term in node.terms:
        total += _exact(term)
    return total


def _mul(node: ast.Mul) -> Fraction:
    total = Fraction(1)
    for factor in node.factors:
        total *= _exact(factor)
    return total


def _pow(node: ast.Pow) -> Fraction:
    base, exp = _exact(node.base), _exact(node.exp)
    if exp.denominator != 1:
        raise _NotRational
    size = base.numerator.bit_length() + base.denominator.bit_length()
    if abs(exp.numerator) * size > _MAX_EXACT_BITS and abs(base) != 1 and base != 0:
        raise _NotRational
    return base**exp.numerator


def _func(node: ast.Func) -> Fraction:
    name = node.name
    if name not in _FUNCS:
        raise _NotRational
    args = [_exact(a) for a in node.args]
    return _FUNCS[name](*args)


def _integer(x: Fraction) -> int:
    if x.denominator != 1 or not 0 <= x.numerator <= _MAX_EXACT_FACTORIAL:
        raise _NotRational
    return x.numerator


def _binomial(n: Fraction, k: Fraction) -> Fraction:
    if n.denominator != 1 or k.denominator != 1 or n < 0 or k < 0:
        raise _NotRational
    n_int, k_int = n.numerator, k.numerator
    if k_int > n_int:
        return Fraction(0)
    if min(k_int, n_int - k_int) > _MAX_EXACT_FACTORIAL:
        raise _NotRational
    return Fraction(comb(n_int, k_int))


_FUNCS = {
    "factorial": lambda x: Fraction(factorial(_integer(x))),
    "binomial": _binomial,
    "abs": abs,
    "floor": lambda x: Fraction(x.__floor__()),
    "ceiling": lambda x: Fraction(x.__ceil__()),
}

_RULES = {
    ast.Neg: lambda n: -_exact(n.arg),
    ast.Add: _add,
    ast.Mul: _mul,
    ast.Recip: lambda n: 1 / _exact(n.arg),
    ast.Frac: lambda n: _exact(n.num) / _exact(n.den),
    ast.MixedNum: lambda n: Fraction(n.whole * n.q + n.p, n.q),
    ast.Pct: lambda n: _exact(n.arg) / 100,
    ast.Pow: _pow,
    ast.Func: _func,
}
