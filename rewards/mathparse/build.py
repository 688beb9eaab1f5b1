"""Syntax tree -> sympy, with whitelisted constructors only (never sympify, parse_expr or eval).

Sizes were checked by `parse_ast` before this runs. sympy is imported here, lazily, so the
parser and the exact fast path stay free of it. Top-level shapes that sympy cannot hold
faithfully come back as containers (Bracketed, AnswerList, Percent, Degrees).
"""

from __future__ import annotations

import itertools
from functools import reduce
from typing import Any

from ..types import DEFAULT_LIMITS, Limits, ParseError, Refused
from . import ast
from .containers import AnswerList, Bracketed, Degrees, Percent

_MAX_BRANCHES = 16


def to_sympy(node: ast.Node, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A sympy object, or a container for a list, a bracket pair, a `\\pm` or a trailing % / °.

    Raises ParseError when the tree is well-formed but means nothing in sympy (a tuple times
    a number, an interval with complex ends) and Refused("tokens") for more than 4 `\\pm`."""
    try:
        if isinstance(node, ast.ListOf):
            items: list[Any] = []
            for item in node.items:
                items.extend(_branches(item))
            return AnswerList(items, node.sep)
        branches = _branches(node)
        return branches[0] if len(branches) == 1 else AnswerList(branches, "pm")
    except (ParseError, Refused):
        raise
    except RecursionError:
        raise Refused("depth", "tree too deep") from None
    except Exception as exc:  # sympy rejects nonsense with many exception types
        raise ParseError(f"not a mathematical object: {type(exc).__name__}: {str(exc)[:80]}") from exc


def _branches(item: ast.Node) -> list[Any]:
    """One value per choice of signs of the `\\pm` in the item (plus first)."""
    pms = [n for n in _walk(item) if isinstance(n, ast.PM)]
    if not pms:
        return [_top(_Builder({}), item)]
    if 2 ** len(pms) > _MAX_BRANCHES:
        raise Refused("tokens", f"{len(pms)} plus-minus signs")
    values = []
    for signs in itertools.product((1, -1), repeat=len(pms)):
        chosen = {id(pm): -s if pm.minus_first else s for pm, s in zip(pms, signs)}
        values.append(_top(_Builder(chosen), item))
    return values


def _top(b: _Builder, node: ast.Node) -> Any:
    if isinstance(node, ast.Pct):
        return Percent(b.conv(node.arg))
    if isinstance(node, ast.Deg):
        return Degrees(b.conv(node.arg))
    if isinstance(node, ast.Bracket):
        return Bracketed(node.open, [_top(b, x) for x in node.items], node.close)
    return b.conv(node)


def _walk(node: ast.Node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        for name in type(n).__slots__:
            child = getattr(n, name)
            if isinstance(child, ast.Node):
                stack.append(child)
            elif isinstance(child, list):
                for c in child:
                    if isinstance(c, list):
                        stack.extend(c)
                    elif isinstance(c, ast.Node):
                        stack.append(c)


class _Builder:
    """Converts nodes bottom-up; `signs` picks the branch of each `\\pm` (by node id)."""

    __slots__ = ("signs", "sp")

    def __init__(self, signs: dict[int, int]):
        self.signs = signs
        self.sp = _sympy()

    def conv(self, node: ast.Node) -> Any:
        return _RULES[type(node)](self, node)

    def num(self, n: ast.Num) -> Any:
        sp = self.sp
        return sp.Integer(n.p) if n.q == 1 else sp.Rational(n.p, n.q)

    def sym(self, n: ast.Sym) -> Any:
        return self.sp.Symbol(n.name)

    def const(self, n: ast.Const) -> Any:
        return self.sp.CONSTANTS[n.name]

    def special(self, n: ast.SpecialSet) -> Any:
        return self.sp.S.EmptySet if n.name == "EmptySet" else self.sp.S.Reals

    def expr(self, node: ast.Node) -> Any:
        """Convert an operand of arithmetic: a sympy Expr, not a set, a relation or a matrix
        (sympy would read `e^{M}` as a matrix exponential)."""
        x = _RULES[type(node)](self, node)
        if not isinstance(x, self.sp.Expr) or x.is_Matrix:
            raise ParseError(f"{type(x).__name__} used in arithmetic")
        return x

    def neg(self, n: ast.Neg) -> Any:
        return self.sp.Mul(self.sp.S.NegativeOne, self.expr(n.arg))

    def pm(self, n: ast.PM) -> Any:
        x = self.expr(n.arg)
        return x if self.signs[id(n)] > 0 else self.sp.Mul(self.sp.S.NegativeOne, x)

    def add(self, n: ast.Add) -> Any:
        return self.sp.Add(*[self.expr(t) for t in n.terms])

    def mul(self, n: ast.Mul) -> Any:
        return self.sp.Mul(*[self.expr(f) for f in n.factors])

    def recip(self, n: ast.Recip) -> Any:
        return self.sp.Pow(self.expr(n.arg), self.sp.S.NegativeOne)

    def frac(self, n: ast.Frac) -> Any:
        sp = self.sp
        return sp.Mul(self.expr(n.num), sp.Pow(self.expr(n.den), sp.S.NegativeOne))

    def mixed(self, n: ast.MixedNum) -> Any:
        return self.sp.Rational(n.whole * n.q + n.p, n.q)

    def pow(self, n: ast.Pow) -> Any:
        return self.sp.Pow(self.expr(n.base), self.expr(n.exp))

    def func(self, n: ast.Func) -> Any:
        args = [self.expr(a) for a in n.args]
        fn = self.sp.FUNCTIONS[n.name]
        if n.name in ("gcd", "lcm"):
            if not all(x.is_Integer for x in args):
                raise ParseError(f"{n.name} of non-integers")
            return reduce(fn, args)
        if n.name == "binomial" and not args[1].free_symbols:
            if not args[1].is_Integer:
                raise ParseError("binomial with a non-integer k")  # sympy's gamma route can take seconds
            if not args[0].is_Rational and not args[0].free_symbols:
                return fn(*args, evaluate=False)  # binomial(1000 + pi, 200) would expand 200 factors
        return fn(*args)

    def pct(self, n: ast.Pct) -> Any:
        return self.sp.Mul(self.expr(n.arg), self.sp.Rational(1, 100))

    def deg(self, n: ast.Deg) -> Any:
        sp = self.sp
        return sp.Mul(self.expr(n.arg), sp.S.Pi, sp.Rational(1, 180))

    def rel(self, n: ast.Rel) -> Any:
        sp = self.sp
        args = [self.conv(a) if op != "in" else None for a, op in zip(n.args, ["", *n.ops])]
        parts = []
        for i, op in enumerate(n.ops):
            if op == "in":
                parts.append(sp.Contains(args[i], self.as_set(n.args[i + 1]), evaluate=False))
            else:
                parts.append(sp.RELATIONS[op](args[i], args[i + 1], evaluate=False))
        return parts[0] if len(parts) == 1 else sp.And(*parts)

    def setop(self, n: ast.SetOp) -> Any:
        sp = self.sp
        result = self.as_set(n.args[0])
        for op, arg in zip(n.ops, n.args[1:]):
            other = self.as_set(arg)
            if op == "cup":
                result = sp.Union(result, other)
            elif op == "cap":
                result = sp.Intersection(result, other)
            else:
                result = sp.Complement(result, other)
        return result

    def as_set(self, node: ast.Node) -> Any:
        """The node read as a set: `(a, b]` is an interval here."""
        if isinstance(node, ast.Bracket) and len(node.items) == 2 and node.open in "([":
            lo, hi = (self.expr(x) for x in node.items)
            return self.sp.Interval(lo, hi, node.open == "(", node.close == ")")
        if isinstance(node, ast.SetOf | ast.SpecialSet | ast.SetOp):
            return self.conv(node)
        raise ParseError("expected a set or an interval")

    def bracket(self, n: ast.Bracket) -> Any:
        return self.sp.Tuple(*[self.conv(x) for x in n.items])

    def setof(self, n: ast.SetOf) -> Any:
        return self.sp.FiniteSet(*[self.conv(x) for x in n.items])

    def matrix(self, n: ast.Matrix) -> Any:
        return self.sp.ImmutableMatrix([[self.expr(x) for x in row] for row in n.rows])

    def listof(self, n: ast.ListOf) -> Any:
        raise ParseError("a list inside an expression")


_RULES = {
    ast.Num: _Builder.num,
    ast.Sym: _Builder.sym,
    ast.Const: _Builder.const,
    ast.SpecialSet: _Builder.special,
    ast.Neg: _Builder.neg,
    ast.PM: _Builder.pm,
    ast.Add: _Builder.add,
    ast.Mul: _Builder.mul,
    ast.Recip: _Builder.recip,
    ast.Frac: _Builder.frac,
    ast.MixedNum: _Builder.mixed,
    ast.Pow: _Builder.pow,
    ast.Func: _Builder.func,
    ast.Pct: _Builder.pct,
    ast.Deg: _Builder.deg,
    ast.Rel: _Builder.rel,
    ast.SetOp: _Builder.setop,
    ast.Bracket: _Builder.bracket,
    ast.SetOf: _Builder.setof,
    ast.Matrix: _Builder.matrix,
    ast.ListOf: _Builder.listof,
}

_SYMPY: Any = None


def _sympy() -> Any:
    """sympy plus the whitelist tables, built on first use."""
    global _SYMPY
    if _SYMPY is None:
        import sympy

        _SYMPY = _Namespace(sympy)
    return _SYMPY


class _Namespace:
    """The sympy names this module may call, and nothing else."""

    def __init__(self, sympy: Any):
        for name in (
            "Integer Rational Symbol Add Mul Pow Tuple FiniteSet Interval Union Intersection Complement "
            "ImmutableMatrix Contains And S Expr"
        ).split():
            setattr(self, name, getattr(sympy, name))
        self.CONSTANTS = {"pi": sympy.S.Pi, "E": sympy.S.Exp1, "I": sympy.S.ImaginaryUnit, "oo": sympy.S.Infinity}
        self.RELATIONS = {
            "=": sympy.Eq,
            "!=": sympy.Ne,
            "<": sympy.Lt,
            "<=": sympy.Le,
            ">": sympy.Gt,
            ">=": sympy.Ge,
        }
        same = "sin cos tan sec csc cot asin acos atan asec acsc acot sinh cosh tanh sech csch coth "
        same += "asinh acosh atanh exp log sqrt root floor ceiling factorial binomial gcd lcm"
        self.FUNCTIONS = {name: getattr(sympy, name) for name in same.split()}
        self.FUNCTIONS.update(abs=sympy.Abs, max=sympy.Max, min=sympy.Min)
