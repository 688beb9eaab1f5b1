"""Checkers for the geometry families: recompute each answer exactly with sympy from the
structured data (sides, angles, points, radii) and compare with the parsed gold value."""

from __future__ import annotations

import sympy
from sympy import Rational, pi, sqrt

from reasonrl.problems import Problem

from . import checker
from .sympy_helpers import X, parse

Y = sympy.Symbol("y")


def _q(text) -> sympy.Rational:
    return Rational(str(text))


def _same(gold: sympy.Expr, want: sympy.Expr) -> None:
    assert sympy.expand(gold - want) == 0, f"gold {gold} != recomputed {want}"


def _canonical(p: Problem, want: sympy.Expr) -> None:
    """The gold value equals `want` and is written in sympy's simplest form (simplest radical form)."""
    gold = parse(p.answer.value)
    _same(gold, want)
    assert gold == want, f"{p.answer.value} is not in simplest form ({want})"


@checker("pythagorean")
def check_pythagorean(p: Problem) -> None:
    d = p.meta["data"]
    a2, b2 = d["legs_squared"]
    c2 = d["hypotenuse_squared"]
    assert a2 > 0 and b2 > 0 and a2 + b2 == c2
    want = sqrt(b2 if d["unknown"] == "leg" else c2)
    _canonical(p, want)
    assert str(want) == p.answer.value.replace(" ", ""), f"{p.answer.value} is not simplest radical form {want}"


@checker("triangle_area")
def check_triangle_area(p: Problem) -> None:
    d = p.meta["data"]
    method = d["method"]
    if method == "base_height":
        want = Rational(d["base"] * d["height"], 2)
    elif method == "sas":
        a, b = d["sides"]
        want = Rational(a * b, 2) * sympy.sin(Rational(d["angle_degrees"], 180) * pi)
    elif method == "heron":
        a, b, c = (Rational(s) for s in d["sides"])
        assert a + b > c and b + c > a and a + c > b
        s = (a + b + c) / 2
        want = sqrt(s * (s - a) * (s - b) * (s - c))
    else:
        (x1, y1), (x2, y2), (x3, y3) = d["vertices"]
        want = abs(Rational(x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2), 2))
        assert want != 0
    _canonical(p, want)


def _circle_answer(d: dict, r: sympy.Expr) -> sympy.Expr:
    ask = d["ask"]
    return {"area": pi * r**2, "circumference": 2 * pi * r, "radius": r, "diameter": 2 * r}[ask]


@checker("circle")
def check_circle(p: Problem) -> None:
    d = p.meta["data"]
    t = d["type"]
    if t == "basic":
        want = _circle_answer(d, _q(d["radius"]))
    elif t == "arc_sector":
        r, theta = _q(d["radius"]), Rational(d["angle_degrees"])
        want = r * theta * pi / 180 if d["ask"] == "arc_length" else r**2 * theta * pi / 360
    elif t == "inverse":
        given = parse(d["given_value"])
        if d["given"] == "area":
            r = sqrt(given / pi)
        elif d["given"] == "circumference":
            r = given / (2 * pi)
        elif d["given"] == "sector_area":
            r = sqrt(given * 360 / (pi * d["angle_degrees"]))
        elif d["ask"] == "radius":  # arc length with angle
            r = given * 180 / (pi * d["angle_degrees"])
        else:  # arc length with radius -> angle in degrees
            r = _q(d["radius"])
        want = given * 180 / (pi * r) if d["ask"] == "angle_degrees" else _circle_answer(d, r)
    elif t == "equation":
        eq = sympy.expand(parse(d["equation"], y=Y))
        poly = sympy.Poly(eq, X, Y)
        assert poly.coeff_monomial(X**2) == 1 and poly.coeff_monomial(Y**2) == 1 and poly.coeff_monomial(X * Y) == 0
        h, k = -poly.coeff_monomial(X) / 2, -poly.coeff_monomial(Y) / 2
        r2 = h**2 + k**2 - poly.coeff_monomial(1)
        assert r2 > 0
        want = _circle_answer(d, sqrt(r2))
    elif t == "center_point":
        (h, k), (x, y) = d["center"], d["point"]
        want = _circle_answer(d, sqrt((x - h) ** 2 + (y - k) ** 2))
    elif t == "diameter_endpoints":
        (x1, y1), (x2, y2) = d["points"]
        want = _circle_answer(d, sqrt((x2 - x1) ** 2 + (y2 - y1) ** 2) / 2)
    elif t == "annulus":
        r1, r2 = d["radii"]
        assert 0 < r1 < r2
        want = pi * (r2**2 - r1**2)
    elif t in ("semicircle", "quarter_circle"):
        r = _q(d["radius"])
        share = Rational(1, 2) if t == "semicircle" else Rational(1, 4)
        want = share * pi * r**2 if d["ask"] == "area" else share * 2 * pi * r + 2 * r
    elif t == "square_minus_circle":
        s = Rational(d["side"])
        want = s**2 - pi * (s / 2) ** 2
    else:
        a, b = d["sides"]
        want = pi * (a**2 + b**2) / 4
    _same(parse(p.answer.value), want)


@checker("distance")
def check_distance(p: Problem) -> None:
    a, b = ([_q(c) for c in pt] for pt in p.meta["data"]["points"])
    assert len(a) == len(b) and a != b
    _canonical(p, sqrt(sum((x - y) ** 2 for x, y in zip(a, b))))


@checker("midpoint")
def check_midpoint(p: Problem) -> None:
    d = p.meta["data"]
    gold = parse(p.answer.value)
    assert isinstance(gold, tuple) and len(gold) == p.answer.spec["length"]
    if d["task"] == "midpoint":
        a, b = ([_q(c) for c in pt] for pt in d["endpoints"])
        want = [(x + y) / 2 for x, y in zip(a, b)]
    else:
        a, m = [_q(c) for c in d["endpoint"]], [_q(c) for c in d["midpoint"]]
        want = [2 * y - x for x, y in zip(a, m)]
        assert [(x + y) / 2 for x, y in zip(a, gold)] == m
    assert list(gold) == want, f"gold {gold}, recomputed {want}"


def _line(text: str) -> tuple[sympy.Expr, sympy.Expr]:
    """'y = m*x + b' -> (m, b)."""
    lhs, rhs = text.split("=")
    assert lhs.strip() == "y"
    expr = sympy.expand(parse(rhs))
    poly = sympy.Poly(expr, X)
    assert poly.degree() <= 1
    return poly.coeff_monomial(X), poly.coeff_monomial(1)


@checker("line_through_points")
def check_line_through_points(p: Problem) -> None:
    d = p.meta["data"]
    assert p.answer.spec == {"variables": ["x", "y"], "equation": True}
    m, b = _line(p.answer.value)

    def on_line(pt) -> bool:
        x, y = (_q(c) for c in pt)
        return y == m * x + b

    task = d["task"]
    if task == "two_points":
        p1, p2 = d["points"]
        assert on_line(p1) and on_line(p2) and p1 != p2
    elif task == "point_slope":
        assert on_line(d["point"]) and m == _q(d["slope"])
    elif task in ("parallel", "perpendicular"):
        m0, _ = _line(d["line"])
        assert on_line(d["point"])
        assert (m == m0) if task == "parallel" else (m * m0 == -1)
    else:  # perpendicular bisector
        (x1, y1), (x2, y2) = ([_q(c) for c in pt] for pt in d["points"])
        assert on_line([(x1 + x2) / 2, (y1 + y2) / 2])
        assert m * (y2 - y1) == -(x2 - x1), "not perpendicular to the segment"
