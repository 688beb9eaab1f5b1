"""Exact areas of triangles: base and height; two sides and the included angle (30, 45, 60,
90, 120, 135 or 150 degrees, so sin is rational or a simple surd); Heron's formula from
three sides; and the shoelace formula from vertex coordinates at higher levels.
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..mathtext import frac_latex, frac_plain, sqrt_latex, sqrt_plain, surd_latex, surd_plain
from ..registry import Draft, Knobs, family
from ..types import Answer

BASE_HEIGHT, SAS_EASY, SAS, HERON, COORDINATES = range(5)  # the kinds knob: the hardest method used

LEVELS = [
    dict(kinds=BASE_HEIGHT, max_side=12, max_coord=5),
    dict(kinds=SAS_EASY, max_side=15, max_coord=5),
    dict(kinds=SAS, max_side=20, max_coord=6),
    dict(kinds=HERON, max_side=20, max_coord=6),
    dict(kinds=COORDINATES, max_side=20, max_coord=8),
    dict(kinds=COORDINATES, max_side=25, max_coord=10),
    dict(kinds=COORDINATES, max_side=30, max_coord=12),
    dict(kinds=COORDINATES, max_side=40, max_coord=15),
    dict(kinds=COORDINATES, max_side=60, max_coord=20),
    dict(kinds=COORDINATES, max_side=90, max_coord=30),
]

# sin of the allowed angles as (rational coefficient, radicand): sin = coef * sqrt(radicand)
SINES = {
    30: (Fraction(1, 2), 1),
    45: (Fraction(1, 2), 2),
    60: (Fraction(1, 2), 3),
    90: (Fraction(1), 1),
    120: (Fraction(1, 2), 3),
    135: (Fraction(1, 2), 2),
    150: (Fraction(1, 2), 1),
}
EASY_ANGLES = (30, 90, 150)
ALL_ANGLES = tuple(SINES)
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
UNITS = ("cm", "m", "in", "ft", "units")
UNIT_WORDS = {"cm": "centimeters", "m": "meters", "in": "inches", "ft": "feet", "units": "units"}


def _num_text(coef: Fraction, rad: int) -> tuple[str, str]:
    if rad == 1:
        return frac_plain(coef), frac_latex(coef)
    return surd_plain(coef, rad), surd_latex(coef, rad)


def _sin_latex(angle: int) -> str:
    coef, rad = SINES[angle]
    return _num_text(coef, rad)[1]


@family("triangle_area", kind="number", category="geometry", levels=LEVELS)
def triangle_area(rng: random.Random, k: Knobs) -> Draft:
    """Find the exact area of a triangle (base-height, two sides and an angle, Heron, coordinates)."""
    kind = k.kinds if rng.random() < 0.5 else rng.randint(BASE_HEIGHT, k.kinds)
    p, q, r = rng.sample(LETTERS, 3)
    unit = rng.choice(UNITS)
    u = "" if unit == "units" else f" {unit}"
    with_units = rng.random() < 0.5
    m = k.max_side
    if kind == BASE_HEIGHT:
        b, h = rng.randint(1, m), rng.randint(1, m)
        area = Fraction(b * h, 2)
        value = _num_text(area, 1)
        if with_units:
            question = f"Triangle ${p}{q}{r}$ has base ${q}{r}$ of length ${b}${u} and height ${h}${u} from ${p}$ to ${q}{r}$. Find its area."
        else:
            question = f"In triangle ${p}{q}{r}$, ${q}{r} = {b}$ and the altitude from ${p}$ to side ${q}{r}$ has length ${h}$. Find the area of the triangle."
        steps = [
            f"Area $= \\frac{{1}}{{2}} \\cdot \\text{{base}} \\cdot \\text{{height}} = \\frac{{1}}{{2}} \\cdot {b} \\cdot {h} = {value[1]}$."
        ]
        data = {"method": "base_height", "base": b, "height": h}
    elif kind in (SAS_EASY, SAS):
        a, b = rng.randint(1, m), rng.randint(1, m)
        angle = rng.choice(EASY_ANGLES if kind == SAS_EASY else ALL_ANGLES)
        coef, rad = SINES[angle]
        value = _num_text(Fraction(a * b, 2) * coef, rad)
        if with_units:
            question = f"In triangle ${p}{q}{r}$, sides ${p}{q}$ and ${p}{r}$ measure ${a}${u} and ${b}${u}, and the angle between them is ${angle}^\\circ$. Find the area of the triangle."
        else:
            question = f"In triangle ${p}{q}{r}$, ${p}{q} = {a}$, ${p}{r} = {b}$ and $\\angle {q}{p}{r} = {angle}^\\circ$. Find the area of the triangle."
        steps = [
            "Area $= \\frac{1}{2}ab\\sin C$ with $C$ the angle between the sides $a$ and $b$.",
            f"$\\sin {angle}^\\circ = {_sin_latex(angle)}$, so the area is $\\frac{{1}}{{2}} \\cdot {a} \\cdot {b} \\cdot {_sin_latex(angle)} = {value[1]}$.",
        ]
        data = {"method": "sas", "sides": [a, b], "angle_degrees": angle}
    elif kind == HERON:
        a, b = rng.randint(2, m), rng.randint(2, m)
        c = rng.randint(abs(a - b) + 1, min(a + b - 1, m))  # strict triangle inequality
        sixteen = (a + b + c) * (-a + b + c) * (a - b + c) * (a + b - c)
        value = (sqrt_plain(Fraction(sixteen, 16)), sqrt_latex(Fraction(sixteen, 16)))
        s = Fraction(a + b + c, 2)
        if with_units:
            question = f"Triangle ${p}{q}{r}$ has sides ${p}{q} = {a}${u}, ${q}{r} = {b}${u} and ${r}{p} = {c}${u}. Find its area."
        else:
            question = f"In triangle ${p}{q}{r}$, ${p}{q} = {a}$, ${q}{r} = {b}$ and ${r}{p} = {c}$. Find the area of the triangle."
        sl = frac_latex(s)
        steps = [
            f"Heron's formula: the semi-perimeter is $s = \\frac{{{a} + {b} + {c}}}{{2}} = {sl}$.",
            f"Area $= \\sqrt{{s(s-a)(s-b)(s-c)}} = \\sqrt{{{sl} \\cdot {frac_latex(s - a)} \\cdot {frac_latex(s - b)} \\cdot {frac_latex(s - c)}}}"
            f" = \\sqrt{{{frac_latex(Fraction(sixteen, 16))}}} = {value[1]}$.",
        ]
        data = {"method": "heron", "sides": [a, b, c]}
    else:
        c = k.max_coord
        for _ in range(20):  # a random triple is rarely collinear
            pts = [(rng.randint(-c, c), rng.randint(-c, c)) for _ in range(3)]
            (x1, y1), (x2, y2), (x3, y3) = pts
            det = (x2 - x1) * (y3 - y1) - (x3 - x1) * (y2 - y1)
            if det:
                break
        else:
            pts = [(0, 0), (c, 0), (0, c)]
            (x1, y1), (x2, y2), (x3, y3) = pts
            det = c * c
        area = Fraction(abs(det), 2)
        value = _num_text(area, 1)
        where = ", ".join(f"${n}({x}, {y})$" for n, (x, y) in zip((p, q, r), pts))
        question = f"Find the area of the triangle with vertices {where}."
        steps = [
            "Shoelace formula: Area $= \\frac{1}{2}|(x_2 - x_1)(y_3 - y_1) - (x_3 - x_1)(y_2 - y_1)|$.",
            f"$= \\frac{{1}}{{2}}|({x2 - x1})({y3 - y1}) - ({x3 - x1})({y2 - y1})| = \\frac{{1}}{{2}} \\cdot {abs(det)} = {value[1]}$.",
        ]
        data = {"method": "coordinates", "vertices": [list(pt) for pt in pts]}
        with_units = False
    if with_units and u:
        question += f" Give the exact area in square {UNIT_WORDS[unit]}."
    else:
        question += " Give the exact area."
    return Draft(question, Answer(kind="number", value=value[0], latex=value[1]), steps, data=data)
