"""Numeric evaluation of sympy trees with mpmath, at a fixed precision.

A direct tree walk: no `lambdify` (it builds source code and execs it) and no
`evalf(subs=...)` (sympy re-simplifies the whole tree at every point, ~100x slower).
Each node maps to one mpmath operation on complex numbers, so branch cuts are the
principal ones on both sides of a comparison. A point where either side is
undefined (pole, log 0, overflow, unknown function) yields None and is skipped.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

import mpmath
import sympy

Value = Any  # mpmath.mpc
_UNARY: dict[str, Callable[[Value], Value]] = {
    "exp": mpmath.exp,
    "log": mpmath.log,
    "sin": mpmath.sin,
    "cos": mpmath.cos,
    "tan": mpmath.tan,
    "cot": mpmath.cot,
    "sec": mpmath.sec,
    "csc": mpmath.csc,
    "asin": mpmath.asin,
    "acos": mpmath.acos,
    "atan": mpmath.atan,
    "acot": mpmath.acot,
    "asec": mpmath.asec,
    "acsc": mpmath.acsc,
    "sinh": mpmath.sinh,
    "cosh": mpmath.cosh,
    "tanh": mpmath.tanh,
    "coth": mpmath.coth,
    "asinh": mpmath.asinh,
    "acosh": mpmath.acosh,
    "atanh": mpmath.atanh,
    "Abs": lambda z: mpmath.mpc(abs(z)),
    "sign": mpmath.sign,
    "gamma": mpmath.gamma,
    "factorial": mpmath.factorial,
    "floor": lambda z: mpmath.mpc(mpmath.floor(z.real)) if z.imag == 0 else None,
    "ceiling": lambda z: mpmath.mpc(mpmath.ceil(z.real)) if z.imag == 0 else None,
    "re": lambda z: mpmath.mpc(z.real),
    "im": lambda z: mpmath.mpc(z.imag),
    "conjugate": mpmath.conj,
}
_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "binomial": mpmath.binomial,
    "atan2": lambda y, x: mpmath.atan2(y.real, x.real),
}
_LIMIT = mpmath.mpf(10) ** 300


class Undefined(Exception):
    """The expression has no finite value at this point."""


def evaluate(expr: sympy.Basic, env: dict[sympy.Symbol, Value], dps: int) -> Value | None:
    """The complex value of `expr` with symbols from `env` at `dps` digits, or None."""
    with mpmath.workdps(dps):
        try:
            value = _eval(expr, env)
        except (Undefined, ZeroDivisionError, ValueError, OverflowError, TypeError, ArithmeticError):
            return None
        if not mpmath.isfinite(value) or abs(value) > _LIMIT:
            return None
        return value


def _eval(e: sympy.Basic, env: dict[sympy.Symbol, Value]) -> Value:
    if e.is_Symbol:
        if e not in env:
            raise Undefined(str(e))
        return env[e]
    if e.is_Number:
        if e.is_Rational:
            return mpmath.mpc(mpmath.mpf(e.p) / e.q)
        if e.is_Float:
            return mpmath.mpc(mpmath.mpf(e))
        raise Undefined(str(e))  # oo, zoo, nan
    if e is sympy.pi:
        return mpmath.mpc(mpmath.pi)
    if e is sympy.E:
        return mpmath.mpc(mpmath.e)
    if e.is_NumberSymbol:
        return mpmath.mpc(e.evalf(mpmath.mp.dps + 5))
    if e is sympy.I:
        return mpmath.mpc(0, 1)
    args = e.args
    if e.is_Add:
        total = _eval(args[0], env)
        for a in args[1:]:
            total += _eval(a, env)
        return total
    if e.is_Mul:
        product = _eval(args[0], env)
        for a in args[1:]:
            product *= _eval(a, env)
        return product
    if e.is_Pow:
        return _power(_eval(args[0], env), args[1], env)
    name = type(e).__name__
    if name in _UNARY and len(args) == 1:
        return _UNARY[name](_eval(args[0], env))
    if name in _BINARY and len(args) == 2:
        return _BINARY[name](_eval(args[0], env), _eval(args[1], env))
    if name == "log" and len(args) == 2:
        return mpmath.log(_eval(args[0], env)) / mpmath.log(_eval(args[1], env))
    if name in ("Max", "Min") and args:
        values = [_eval(a, env) for a in args]
        if any(v.imag != 0 for v in values):
            raise Undefined(name)
        pick = max if name == "Max" else min
        return pick(values, key=lambda v: v.real)
    raise Undefined(name)


def _power(base: Value, exponent: sympy.Basic, env: dict[sympy.Symbol, Value]) -> Value:
    if exponent.is_Integer:
        if base == 0 and exponent < 0:
            raise Undefined("0 to a negative power")
        return base ** int(exponent)
    if exponent.is_Rational and exponent.q == 2:
        root = mpmath.sqrt(base)
        return root ** int(exponent.p) if exponent.p > 0 else (1 / root) ** int(-exponent.p)
    power = _eval(exponent, env)
    if base == 0:
        if power.real > 0:
            return mpmath.mpc(0)
        raise Undefined("0 to a non-positive power")
    return mpmath.power(base, power)


def close(a: Value, b: Value, rel: float, floor: float = 0.0) -> bool:
    """|a - b| within `rel` of the larger magnitude (or within `floor` absolutely)."""
    diff = abs(a - b)
    return diff <= rel * max(abs(a), abs(b)) or diff <= floor


SCALES = (1.0, 10.0, 100.0)


def sample_points(symbols: Iterable[sympy.Symbol], count: int, seed: int = 20240611) -> list[dict[sympy.Symbol, Value]]:
    """Fixed pseudo-random real points, `count` per scale in SCALES: three in four in
    scale * (0.05, 0.95) (the domain of logs and roots), the rest the negatives of those;
    never at 0, where removable singularities live. Later scales reach domains like
    `\\ln(x - 9)`; a probe stops as soon as it has enough points."""
    rng = random.Random(seed)
    names = sorted(symbols, key=str)
    points = []
    for scale in SCALES:
        for _ in range(count):
            point = {}
            for s in names:
                x = scale * rng.uniform(0.05, 0.95) * rng.choice((1, 1, 1, -1))
                point[s] = mpmath.mpc(mpmath.mpf(round(x, 12)))
            points.append(point)
    return points
