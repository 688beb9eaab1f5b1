"""The line through two points, through a point with a given slope, parallel or perpendicular
to a given line through a point, or the perpendicular bisector of a segment, answered in
slope-intercept form y = m*x + b (the answer is never a vertical line).

The line is chosen first (slope and intercept), then the points on it.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import gcd

from ..mathtext import frac_latex, frac_plain, poly_latex, poly_plain
from ..registry import Draft, Knobs, family
from ..types import Answer

TWO_POINTS_INT, TWO_POINTS, POINT_SLOPE, PARALLEL_PERP, STANDARD_FORM, BISECTOR = range(6)  # the kinds knob

LEVELS = [
    dict(kinds=TWO_POINTS_INT, max_coord=6, max_slope=3),
    dict(kinds=TWO_POINTS, max_coord=8, max_slope=4),
    dict(kinds=POINT_SLOPE, max_coord=10, max_slope=5),
    dict(kinds=PARALLEL_PERP, max_coord=10, max_slope=5),
    dict(kinds=STANDARD_FORM, max_coord=10, max_slope=6),
    dict(kinds=BISECTOR, max_coord=12, max_slope=6),
    dict(kinds=BISECTOR, max_coord=15, max_slope=8),
    dict(kinds=BISECTOR, max_coord=20, max_slope=9),
    dict(kinds=BISECTOR, max_coord=30, max_slope=10),
    dict(kinds=BISECTOR, max_coord=50, max_slope=12),
]
FORM = "Give the equation in slope-intercept form $y = mx + b$."
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _nz(rng: random.Random, m: int) -> int:
    return rng.choice((-1, 1)) * rng.randint(1, m)


def _slope(rng: random.Random, k: Knobs, integer: bool, nonzero: bool = False) -> Fraction:
    if integer or rng.random() < 0.3:
        return Fraction(_nz(rng, k.max_slope) if nonzero or rng.random() < 0.9 else 0)
    q = rng.randint(2, k.max_slope)
    p = rng.choice([p for p in range(-2 * k.max_slope, 2 * k.max_slope + 1) if p and gcd(p, q) == 1])
    return Fraction(p, q)


def _points_on(rng: random.Random, k: Knobs, m: Fraction, b: Fraction, n: int) -> list[tuple[Fraction, Fraction]]:
    """n distinct points of y = m x + b with integer x a multiple of m's denominator (integer y when b is)."""
    q = m.denominator
    span = max(1, k.max_coord // q)
    ts = rng.sample(range(-span, span + 1), n)
    return [(Fraction(t * q), m * t * q + b) for t in ts]


def _neg(q: Fraction) -> str:
    return f"({frac_latex(q)})" if q < 0 else frac_latex(q)


def _intercept(p, m: Fraction, b: Fraction) -> str:
    """y1 - m x1 = b in LaTeX."""
    return f"{frac_latex(p[1])} - {_neg(m)} \\cdot {_neg(p[0])} = {frac_latex(b)}"


def _pt(p) -> str:
    return f"({frac_latex(p[0])}, {frac_latex(p[1])})"


def _line(m: Fraction, b: Fraction) -> tuple[str, str]:
    return f"y = {poly_plain([b, m])}", f"y = {poly_latex([b, m])}"


def _standard(m: Fraction, c: Fraction) -> str:
    """y = m x + c as a x + b y = d with integers, a >= 0 and gcd 1, in LaTeX."""
    den = m.denominator * c.denominator // gcd(m.denominator, c.denominator)
    a, bb, d = -m * den, Fraction(den), c * den  # a x + bb y = d
    a, bb, d = int(a), int(bb), int(d)
    if a < 0 or (a == 0 and bb < 0):
        a, bb, d = -a, -bb, -d
    g = gcd(gcd(a, bb), d) or 1
    a, bb, d = a // g, bb // g, d // g
    x = "" if a == 0 else ("x" if a == 1 else f"{a}x")
    y = f"{'' if abs(bb) == 1 else abs(bb)}y"
    lhs = (f"{x} - {y}" if bb < 0 else f"{x} + {y}") if x else (f"-{y}" if bb < 0 else y)
    return f"{lhs} = {d}"


@family("line_through_points", kind="expression", category="geometry", levels=LEVELS)
def line_through_points(rng: random.Random, k: Knobs) -> Draft:
    """Find a line in slope-intercept form: through two points, point and slope, parallel/perpendicular, bisector."""
    kind = rng.randint(TWO_POINTS_INT, k.kinds)
    b = Fraction(rng.randint(-k.max_coord, k.max_coord))
    p, q = rng.sample(LETTERS, 2)
    if kind in (TWO_POINTS_INT, TWO_POINTS):
        m = _slope(rng, k, integer=kind == TWO_POINTS_INT)
        p1, p2 = _points_on(rng, k, m, b, 2)
        question = f"Find the equation of the line through ${p}{_pt(p1)}$ and ${q}{_pt(p2)}$. {FORM}"
        steps = [
            f"The slope is $m = \\frac{{{frac_latex(p2[1])} - {_neg(p1[1])}}}{{{frac_latex(p2[0])} - {_neg(p1[0])}}} = {frac_latex(m)}$.",
            f"Then $b = y_1 - m x_1 = {_intercept(p1, m, b)}$.",
        ]
        data = {"task": "two_points", "points": [[frac_plain(c) for c in p1], [frac_plain(c) for c in p2]]}
    elif kind == POINT_SLOPE:
        m = _slope(rng, k, integer=False)
        p1 = (Fraction(rng.randint(-k.max_coord, k.max_coord)), Fraction(rng.randint(-k.max_coord, k.max_coord)))
        b = p1[1] - m * p1[0]
        ml, pl = frac_latex(m), f"{p}{_pt(p1)}"
        question = rng.choice(
            (
                f"Find the equation of the line with slope ${ml}$ that passes through ${pl}$.",
                f"A line passes through ${pl}$ and has slope ${ml}$. Find its equation.",
                f"Line $\\ell$ has slope ${ml}$ and contains the point ${pl}$. Find the equation of $\\ell$.",
            )
        )
        question += f" {FORM}"
        steps = [f"$b = y_1 - m x_1 = {_intercept(p1, m, b)}$."]
        data = {"task": "point_slope", "point": [frac_plain(c) for c in p1], "slope": frac_plain(m)}
    elif kind in (PARALLEL_PERP, STANDARD_FORM):
        perp = rng.random() < 0.5
        m0 = _slope(rng, k, integer=False, nonzero=perp)
        m = -1 / m0 if perp else m0
        c0 = Fraction(rng.randint(-k.max_coord, k.max_coord))
        given = _standard(m0, c0) if kind == STANDARD_FORM else _line(m0, c0)[1]
        p1 = (Fraction(rng.randint(-k.max_coord, k.max_coord)), Fraction(rng.randint(-k.max_coord, k.max_coord)))
        b = p1[1] - m * p1[0]
        rel = "perpendicular" if perp else "parallel"
        question = f"Find the equation of the line through ${p}{_pt(p1)}$ that is {rel} to the line ${given}$. {FORM}"
        steps = [
            f"The given line has slope ${frac_latex(m0)}$"
            + (f" (solve for $y$: ${_line(m0, c0)[1]}$)." if kind == STANDARD_FORM else ".")
        ]
        steps.append(f"A {rel} line has slope $m = {frac_latex(m)}$" + (" (the negative reciprocal)." if perp else "."))
        steps.append(f"$b = y_1 - m x_1 = {_intercept(p1, m, b)}$.")
        data = {"task": rel, "point": [frac_plain(c) for c in p1], "line": _line(m0, c0)[0]}
    else:  # perpendicular bisector of AB
        m = _slope(rng, k, integer=False, nonzero=True)
        (mid,) = _points_on(rng, k, m, b, 1)
        # A and B symmetric about mid along the direction of slope -1/m, with integer offsets
        s = -1 / m
        dx = s.denominator * rng.randint(1, 3)
        dy = s * dx
        a_pt, b_pt = (mid[0] - dx, mid[1] - dy), (mid[0] + dx, mid[1] + dy)
        question = f"Find the perpendicular bisector of the segment from ${p}{_pt(a_pt)}$ to ${q}{_pt(b_pt)}$. {FORM}"
        steps = [
            f"The midpoint is ${_pt(mid)}$ and the segment's slope is ${frac_latex(s)}$.",
            f"The bisector is perpendicular, so $m = {frac_latex(m)}$, and $b = {_intercept(mid, m, b)}$.",
        ]
        data = {
            "task": "perpendicular_bisector",
            "points": [[frac_plain(c) for c in a_pt], [frac_plain(c) for c in b_pt]],
        }
    plain, latex = _line(m, b)
    steps.append(f"The line is ${latex}$.")
    answer = Answer(kind="expression", value=plain, latex=latex, spec={"variables": ["x", "y"], "equation": True})
    return Draft(question, answer, steps, data=data)
