"""Size estimates on the syntax tree, so nothing sympy is asked to build can be huge.

Bottom-up, each node gets (value, error, bits, degree):
- value: an approximate complex value when the node has no symbols (None otherwise), and
  error: a bound on how far the exact value may be from it. Rounding, cancellation
  (`(10^{30} + 10^9 + \\pi) - 10^{30} - \\pi`) and `\\pm` (either sign) all widen the error, so
  |value| + error bounds the magnitude that sympy will see;
- bits: the size of the exact number sympy would build;
- degree: the polynomial degree.

Refused: `a^b` over max_power_bits (|b| * bits(a)), an exact exponent over 128 bits
(`2^{10^{-300}}`), `x^n` over max_degree (n * degree), `n!` and binomials over max_factorial,
`exp(b)` with |b| over max_power_bits. A value that cannot be estimated counts as infinite.
"""

from __future__ import annotations

import cmath
import math

from ..types import Limits, Refused
from . import ast

INF = float("inf")
EPS = 2.0**-50  # rounding of one float operation, generously
_MAX_EXPONENT_BITS = 128
_LN2 = math.log(2)
_UNKNOWN = (complex(INF), INF)
Stat = tuple  # (value: complex | None, error: float, bits: float, degree: float)


def check_sizes(node: ast.Node, limits: Limits) -> None:
    """Raise Refused when building `node` in sympy could be slow or huge."""
    _Guard(limits).stat(node)


def _log2(n: int) -> float:
    return math.log2(abs(n)) if n else 0.0


def _bound(v: complex, err: float) -> float:
    """An upper bound of the exact magnitude."""
    m = abs(v) + err
    return INF if m != m else m


class _Guard:
    __slots__ = ("limits",)

    def __init__(self, limits: Limits):
        self.limits = limits

    def stat(self, node: ast.Node) -> Stat:
        return _RULES[type(node)](self, node)

    def num(self, n: ast.Num) -> Stat:
        try:
            v = complex(n.p / n.q)
        except OverflowError:
            return complex(INF), INF, _log2(n.p) + _log2(n.q), 0.0
        exact = n.q == 1 and abs(n.p) < 2**53
        return v, 0.0 if exact else abs(v) * EPS, _log2(n.p) + _log2(n.q), 0.0

    def const(self, c: ast.Const) -> Stat:
        return _CONSTS[c.name]

    def sym(self, _: ast.Node) -> Stat:
        return None, 0.0, 0.0, 1.0

    def neg(self, n: ast.Neg) -> Stat:
        v, err, bits, deg = self.stat(n.arg)
        return (None if v is None else -v), err, bits, deg

    def pm(self, n: ast.PM) -> Stat:
        v, err, bits, deg = self.stat(n.arg)
        return (None if v is None else complex(0)), (0.0 if v is None else abs(v) + err), bits, deg

    def add(self, n: ast.Add) -> Stat:
        total, err, size, bits, deg, numeric = complex(0), 0.0, 0.0, 0.0, 0.0, True
        for term in n.terms:
            v, e, b, d = self.stat(term)
            bits, deg = bits + b, max(deg, d)
            if v is None:
                numeric = False
            elif numeric:
                total, err, size = total + v, err + e, size + abs(v)
        if not numeric:
            return None, 0.0, bits, deg
        err += EPS * size * len(n.terms)
        return (total, err, bits, deg) if total == total else (*_UNKNOWN, bits, deg)

    def mul(self, n: ast.Mul) -> Stat:
        v, err, bits, deg = self.stat(n.factors[0])
        for factor in n.factors[1:]:
            w, f, b, d = self.stat(factor)
            bits, deg = bits + b, deg + d
            v, err = (None, 0.0) if v is None or w is None else _times(v, err, w, f)
        return v, err, bits, deg

    def recip(self, n: ast.Recip) -> Stat:
        v, err, bits, deg = self.stat(n.arg)
        return (*_inverse(v, err), bits, deg) if v is not None else (None, 0.0, bits, deg)

    def frac(self, n: ast.Frac) -> Stat:
        vn, en, bn, dn = self.stat(n.num)
        vd, ed, bd, dd = self.stat(n.den)
        if vn is None or vd is None:
            return None, 0.0, bn + bd, dn + dd
        return (*_times(vn, en, *_inverse(vd, ed)), bn + bd, dn + dd)

    def mixed(self, n: ast.MixedNum) -> Stat:
        v = n.whole + n.p / n.q
        return complex(v), abs(v) * EPS, _log2(n.whole * n.q + n.p) + _log2(n.q), 0.0

    def scaled(self, n: ast.Pct | ast.Deg) -> Stat:
        v, err, bits, deg = self.stat(n.arg)
        scale = 0.01 if isinstance(n, ast.Pct) else math.pi / 180
        return (None if v is None else v * scale), err * scale + EPS, bits + 8, deg

    def container(self, n: ast.Node) -> Stat:
        """Relations, sets, tuples, matrices: no value; degree >= 1 so a matrix power stays small."""
        bits, deg = 0.0, 1.0
        for child in _children(n):
            _, _, b, d = self.stat(child)
            bits, deg = bits + b, max(deg, d)
        return None, 0.0, bits, deg

    def pow(self, n: ast.Pow) -> Stat:
        vb, eb, bb, db = self.stat(n.base)
        ve, ee, be, de = self.stat(n.exp)
        if ve is None:
            return None, 0.0, bb + be, db + de + 1
        if be > _MAX_EXPONENT_BITS:
            raise Refused("power", f"exponent of {be:.0f} bits")  # 2^{10^{-300}}: floor() would chase its digits
        e = _bound(ve, ee)
        if vb is None:
            return self._symbolic_power(e, bb, db)
        if bb == 0 and eb == 0 and vb in (0, 1, -1):
            v = _power(vb, ve)
            return v, (0.0 if vb == 0 else 2.0), 0.0, 0.0
        bits = e * max(bb, 1.0)
        if not bits <= self.limits.max_power_bits:
            raise Refused("power", f"about {bits:.3g} bits")
        return _power(vb, ve), _power_error(vb, eb, ve, ee, e), max(bits, 1.0), 0.0

    def _symbolic_power(self, e: float, bb: float, db: float) -> Stat:
        deg = e * db
        if not deg <= self.limits.max_degree:
            raise Refused("degree", f"degree about {deg:.3g}")
        bits = e * bb
        if not bits <= self.limits.max_power_bits:
            raise Refused("power", f"about {bits:.3g} bits")
        return None, 0.0, bits, deg

    def func(self, n: ast.Func) -> Stat:
        stats = [self.stat(a) for a in n.args]
        if n.name == "factorial":
            return self._factorial(stats[0])
        if n.name == "binomial":
            return self._binomial(stats[0], stats[1])
        bits = max(1.0, max(s[2] for s in stats))
        if any(s[0] is None for s in stats):
            return None, 0.0, bits, 1.0
        values, errors = [s[0] for s in stats], [s[1] for s in stats]
        if n.name in _GROWTH:
            bits = max(bits, _bound(values[0], errors[0]))
            if not bits <= self.limits.max_power_bits:
                raise Refused("power", f"{n.name} of about {bits:.3g}")
        v = _evaluate(n.name, values)
        return v, _propagate(n.name, v, values, errors), bits, 0.0

    def _factorial(self, arg: Stat) -> Stat:
        v, err, bits, _ = arg
        if v is None:
            return None, 0.0, bits, 1.0
        n = _bound(v, err)
        if not n <= self.limits.max_factorial:
            raise Refused("factorial", f"factorial of about {n:.3g}")
        bits = math.lgamma(n + 1) / _LN2
        return complex(2.0 ** min(bits, 1000.0)), 2.0 ** min(bits, 1000.0), bits, 0.0

    def _binomial(self, n_stat: Stat, k_stat: Stat) -> Stat:
        vn, en, bn, dn = n_stat
        vk, ek, bk, dk = k_stat
        if vn is None or vk is None:
            return None, 0.0, bn + bk, max(dn, dk, 1.0)
        n, k = _bound(vn, en), _bound(vk, ek)
        integral_n = en == 0 and vn.imag == 0 and vn.real == int(vn.real) if n != INF else False
        small = min(k, abs(n - k)) if integral_n else k  # sympy multiplies k terms unless n is an integer
        if not small <= self.limits.max_factorial:
            raise Refused("factorial", f"binomial with k about {small:.3g}")
        bits = small * math.log2(max(n, 2.0))
        if not bits <= self.limits.max_power_bits:
            raise Refused("power", f"binomial of about {bits:.3g} bits")
        return complex(2.0 ** min(bits, 1000.0)), 2.0 ** min(bits, 1000.0), bits, 0.0


def _times(v: complex, e: float, w: complex, f: float) -> tuple[complex, float]:
    try:
        p = v * w
        err = abs(v) * f + abs(w) * e + e * f + EPS * abs(p)
    except OverflowError:
        return _UNKNOWN
    return (p, err) if p == p and err == err else _UNKNOWN


def _inverse(v: complex, e: float) -> tuple[complex, float]:
    m = abs(v)
    if m <= e or m == 0:
        return _UNKNOWN  # the exact value may be zero: its inverse is unbounded
    try:
        return 1 / v, e / (m * (m - e)) + EPS / m
    except (OverflowError, ZeroDivisionError):
        return _UNKNOWN


def _power(base: complex, exp: complex) -> complex:
    try:
        v = base**exp
    except (OverflowError, ZeroDivisionError):
        return complex(INF)
    return v if v == v else complex(INF)


def _power_error(vb: complex, eb: float, ve: complex, ee: float, e: float) -> float:
    """|a^b - A^B| <= |a^b| * expm1(e * |da|/|a| + |log|a|| * |db|), roughly."""
    if vb == 0:
        return INF
    size = abs(_power(vb, ve))
    rel = eb / abs(vb) * e + abs(math.log(abs(vb))) * ee
    err = size * (math.expm1(min(rel, 700.0)) + EPS)
    return INF if err != err else err


def _real(v: complex) -> float:
    return v.real


_CMATH = {
    name: getattr(cmath, name)
    for name in "sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh exp sqrt".split()
}
_GROWTH = frozenset({"exp", "sinh", "cosh"})  # exp(b) is as big as e^b
_RECIPROCAL = {"sec": "cos", "csc": "sin", "cot": "tan", "sech": "cosh", "csch": "sinh", "coth": "tanh"}
_OF_RECIPROCAL = {"asec": "acos", "acsc": "asin", "acot": "atan"}


def _evaluate(name: str, args: list[complex]) -> complex:
    """Approximate value of a whitelisted function; anything that fails counts as infinite."""
    try:
        x = args[0]
        if name in _CMATH:
            v = _CMATH[name](x)
        elif name in _RECIPROCAL:
            v = 1 / _CMATH[_RECIPROCAL[name]](x)
        elif name in _OF_RECIPROCAL:
            v = _CMATH[_OF_RECIPROCAL[name]](1 / x)
        elif name == "log":
            v = cmath.log(x) if len(args) == 1 else cmath.log(x) / cmath.log(args[1])
        elif name == "root":
            v = x ** (1 / args[1])
        elif name == "abs":
            v = complex(abs(x))
        elif name in ("floor", "ceiling"):
            v = complex(math.floor(x.real) if name == "floor" else math.ceil(x.real))
        elif name in ("max", "min"):
            v = (max if name == "max" else min)(args, key=_real)
        elif name == "gcd":
            v = complex(max(abs(a) for a in args))  # an upper bound is what the guard needs
        else:  # lcm
            v = complex(math.prod(abs(a) for a in args))
    except (ArithmeticError, ValueError, TypeError):
        return complex(INF)
    return v if v == v else complex(INF)


def _propagate(name: str, out: complex, args: list[complex], errors: list[float]) -> float:
    """A rough bound on how far the exact result may be from `out`, given the arguments' errors."""
    size = abs(out)
    if size == INF:
        return INF
    e = max(errors)
    if name in ("floor", "ceiling"):
        return e + 1.0
    if name in ("abs", "max", "min", "gcd"):
        return e
    if name == "sqrt":
        return math.sqrt(e) + EPS * size
    if name in _GROWTH:
        return (size + 1.0) * math.expm1(min(e, 700.0)) + EPS * size
    if name == "log" and len(args) == 1:
        m = abs(args[0])
        return e / (m - e) + EPS if m > e else INF
    if e == 0:
        return EPS * (size + 1.0)
    return (size + 1.0) * e * 4.0 + EPS * size


def _children(node: ast.Node) -> list[ast.Node]:
    if isinstance(node, ast.Matrix):
        return [x for row in node.rows for x in row]
    if isinstance(node, ast.Bracket | ast.SetOf | ast.ListOf):
        return node.items
    if isinstance(node, ast.Rel | ast.SetOp):
        return node.args
    return []


_CONSTS: dict[str, Stat] = {
    "pi": (complex(math.pi), EPS * 4, 1.0, 0.0),
    "E": (complex(math.e), EPS * 4, 1.0, 0.0),
    "I": (1j, 0.0, 1.0, 0.0),
    "oo": (complex(INF), INF, 0.0, 0.0),
}

_RULES = {
    ast.Num: _Guard.num,
    ast.Sym: _Guard.sym,
    ast.Const: _Guard.const,
    ast.SpecialSet: _Guard.container,
    ast.Neg: _Guard.neg,
    ast.PM: _Guard.pm,
    ast.Add: _Guard.add,
    ast.Mul: _Guard.mul,
    ast.Recip: _Guard.recip,
    ast.Frac: _Guard.frac,
    ast.MixedNum: _Guard.mixed,
    ast.Pow: _Guard.pow,
    ast.Func: _Guard.func,
    ast.Pct: _Guard.scaled,
    ast.Deg: _Guard.scaled,
    ast.Rel: _Guard.container,
    ast.SetOp: _Guard.container,
    ast.Bracket: _Guard.container,
    ast.SetOf: _Guard.container,
    ast.Matrix: _Guard.container,
    ast.ListOf: _Guard.container,
}
