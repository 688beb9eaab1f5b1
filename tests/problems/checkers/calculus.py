"""Checkers for the calculus families: derivative, indefinite_integral, definite_integral, limit.

Exact symbolic comparison of transcendental expressions needs sympy simplify
(far too slow per item), so these checkers parse the gold answer with sympy (it
must be valid sympy syntax) and judge it numerically in 40-digit arithmetic:
derivatives by central differences of the given function, antiderivatives by
differentiating the answer, definite integrals by Gauss-Legendre quadrature,
limits by evaluating close to the limit point (or exactly, for rational functions).
"""

from __future__ import annotations

import mpmath
from mpmath import mp, mpf

from reasonrl.problems import Problem

from . import checker
from .sympy_helpers import parse

_NS = {
    "sin": mpmath.sin,
    "cos": mpmath.cos,
    "tan": mpmath.tan,
    "exp": mpmath.exp,
    "log": mpmath.log,
    "sqrt": mpmath.sqrt,
    "atan": mpmath.atan,
    "Abs": abs,
    "E": mpmath.e,
    "pi": mpmath.pi,
}
DPS = 40
POINTS = ("0.37", "1.71", "-0.83")


def numeric(text: str, var: str = "x"):
    """A numeric function of `var` from trusted gold text in sympy syntax (it is also Python syntax)."""
    code = compile(text, "<gold>", "eval")
    return lambda v: eval(code, {"__builtins__": {}, **_NS, var: v})


def _close(a, b, rel: float) -> bool:
    return abs(a - b) <= rel * (1 + abs(b))


def _deriv(f, x0):
    h = mpf("1e-15")
    return (f(x0 + h) - f(x0 - h)) / (2 * h)


@checker("derivative")
def check_derivative(p: Problem) -> None:
    parse(p.answer.value)
    assert p.answer.spec == {"variable": "x"}
    f, d = numeric(p.meta["data"]["function"]), numeric(p.answer.value)
    with mp.workdps(DPS):
        for s in POINTS:
            x0 = mpf(s)
            want, got = _deriv(f, x0), d(x0)
            assert _close(got, want, mpf("1e-20")), f"f'({s}) = {want}, gold gives {got}"


@checker("indefinite_integral")
def check_indefinite_integral(p: Problem) -> None:
    parse(p.answer.value)
    assert p.answer.spec["up_to_constant"] and p.answer.spec["variable"] == "x"
    assert "C" not in p.answer.value
    f, big_f = numeric(p.meta["data"]["integrand"]), numeric(p.answer.value)
    with mp.workdps(DPS):
        for s in POINTS:
            x0 = mpf(s)
            want, got = f(x0), _deriv(big_f, x0)
            assert _close(got, want, mpf("1e-20")), f"F'({s}) = {got}, integrand is {want}"


def _gauss_legendre(n: int) -> list[tuple[float, float]]:
    """Nodes and weights on [-1, 1] by Newton's method on the Legendre polynomial P_n."""
    import math

    out = []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for m in range(2, n + 1):
                p0, p1 = p1, ((2 * m - 1) * x * p1 - (m - 1) * p0) / m
            dp = n * (x * p1 - p0) / (x * x - 1)
            dx = p1 / dp
            x -= dx
            if abs(dx) < 1e-16:
                break
        out.append((x, 2 / ((1 - x * x) * dp * dp)))
    return out


_GL = _gauss_legendre(20)
_FLOAT_NS = {
    name: getattr(__import__("math"), name) for name in ("sin", "cos", "tan", "exp", "log", "sqrt", "atan", "pi")
} | {"E": __import__("math").e, "Abs": abs}


def _float_fn(text: str, var: str):
    code = compile(text, "<gold>", "eval")
    return lambda v: eval(code, {"__builtins__": {}, **_FLOAT_NS, var: v})


@checker("definite_integral")
def check_definite_integral(p: Problem) -> None:
    data = p.meta["data"]
    var = data["variable"]
    gold = float(parse(p.answer.value))
    f = _float_fn(data["integrand"], var)
    lo, hi = (float(eval(data[b], {"__builtins__": {}, **_FLOAT_NS})) for b in ("lower", "upper"))
    assert lo < hi
    panels, total, scale = 6, 0.0, 0.0
    width = (hi - lo) / panels
    for i in range(panels):
        mid = lo + (i + 0.5) * width
        for node, weight in _GL:
            y = f(mid + node * width / 2) * weight * width / 2
            total += y
            scale += abs(y)
    assert abs(total - gold) <= 1e-10 * (1 + scale), f"quadrature gives {total}, gold {gold}"


@checker("limit")
def check_limit(p: Problem) -> None:
    data = p.meta["data"]
    gold = float(parse(p.answer.value))
    f = numeric(data["expression"], data["variable"])
    point = data["point"]
    with mp.workdps(80):
        if point in ("oo", "-oo"):
            big = mpf(10) ** 30
            samples = [f(big if point == "oo" else -big)]
        else:
            a, h = mpf(int(point)), mpf(10) ** -20
            samples = [f(a + h), f(a - h)]
        for value in samples:
            assert abs(mpmath.im(value)) < 1e-30, f"the expression is not real near {point}: {value}"
            assert abs(float(mpmath.re(value)) - gold) <= 1e-12 * (1 + abs(gold)), f"near {point}: {value}, gold {gold}"
