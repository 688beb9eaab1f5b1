"""Circles, exact in terms of pi: area and circumference from a radius or diameter; arc
length and sector area from a central angle; inverse problems (the radius from an area,
the angle from an arc); circles given by an equation or by points; composite regions
(rings, semicircles, quarter circles, a square minus its inscribed circle, a circle
around a rectangle).

Every answer has the form (c * sqrt(r)) * pi + d with rational c, d: "25*pi", "7*pi/3",
"2*sqrt(5)", "100 - 25*pi", or a number of degrees.
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..mathtext import frac_latex, frac_plain, signed_join, split_square
from ..names import NAMES
from ..registry import Draft, Knobs, family
from ..types import Answer

BASIC, ARC_SECTOR, INVERSE, EQUATION, COMPOSITE = range(5)  # the kind knobs (min_kind..max_kind are drawn)

LEVELS = [
    dict(min_kind=BASIC, max_kind=BASIC, max_radius=12, half_radius=0, angle_grain=0),
    dict(min_kind=BASIC, max_kind=ARC_SECTOR, max_radius=15, half_radius=0, angle_grain=0),
    dict(min_kind=ARC_SECTOR, max_kind=INVERSE, max_radius=20, half_radius=0, angle_grain=1),
    dict(min_kind=ARC_SECTOR, max_kind=EQUATION, max_radius=20, half_radius=0, angle_grain=1),
    dict(min_kind=ARC_SECTOR, max_kind=COMPOSITE, max_radius=25, half_radius=0, angle_grain=2),
    dict(min_kind=ARC_SECTOR, max_kind=COMPOSITE, max_radius=30, half_radius=0, angle_grain=2),
    dict(min_kind=INVERSE, max_kind=COMPOSITE, max_radius=30, half_radius=1, angle_grain=2),
    dict(min_kind=INVERSE, max_kind=COMPOSITE, max_radius=40, half_radius=1, angle_grain=3),
    dict(min_kind=INVERSE, max_kind=COMPOSITE, max_radius=60, half_radius=1, angle_grain=3),
    dict(min_kind=INVERSE, max_kind=COMPOSITE, max_radius=100, half_radius=1, angle_grain=3),
]
# angle_grain: central angles are multiples of 30 or 45 degrees (0), of 10 (1), of 5 (2), any whole degree (3).
ANGLE_STEPS = ((30, 45), (10,), (5,), (1,))

OBJECTS = (
    ("circular garden", ("m", "ft")),
    ("round pizza", ("in", "cm")),
    ("circular pond", ("m", "ft")),
    ("round table", ("ft", "cm", "in")),
    ("circular rug", ("ft", "m")),
    ("round clock face", ("cm", "in")),
    ("circular fountain", ("m", "ft")),
    ("round trampoline", ("ft", "m")),
    ("circular mirror", ("cm", "in")),
    ("round cake", ("cm", "in")),
    ("circular flower bed", ("m", "ft")),
    ("round window", ("cm", "in")),
)
UNIT_WORDS = {"m": "meters", "ft": "feet", "in": "inches", "cm": "centimeters"}
LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"
PI_FORM = "Give the exact answer in terms of $\\pi$."


# ---- exact values (c sqrt(rad)) pi^e + d ---------------------------------------------------------------------


def _value(coef: Fraction, rad: int = 1, pi: bool = True, const: Fraction = Fraction(0)) -> tuple[str, str]:
    """(plain, latex) of const + coef * sqrt(rad) * pi**pi, the constant first."""
    parts_plain, parts_latex = [], []
    if const:
        parts_plain.append((const < 0, frac_plain(abs(const))))
        parts_latex.append((const < 0, frac_latex(abs(const))))
    if coef:
        c = abs(Fraction(coef))
        p, q = c.numerator, c.denominator
        body_plain = ([str(p)] if p != 1 or (rad == 1 and not pi) else []) + ([f"sqrt({rad})"] if rad > 1 else [])
        body_plain += ["pi"] if pi else []
        plain = "*".join(body_plain) + (f"/{q}" if q != 1 else "")
        top = (str(p) if p != 1 or (rad == 1 and not pi) else "") + (f"\\sqrt{{{rad}}}" if rad > 1 else "")
        top += "\\pi" if pi else ""
        latex = f"\\frac{{{top}}}{{{q}}}" if q != 1 else top
        parts_plain.append((coef < 0, plain))
        parts_latex.append((coef < 0, latex))
    return signed_join(parts_plain), signed_join(parts_latex)


def _sqrt_value(n: Fraction, times: Fraction = Fraction(1), pi: bool = False) -> tuple[str, str]:
    """times * sqrt(n) (* pi), simplified."""
    n = Fraction(n)
    a, b = split_square(n.numerator * n.denominator)
    return _value(times * Fraction(a, n.denominator), b, pi)


def _len(q: Fraction) -> str:
    """A length for the question: integers as is, halves as decimals (3.5)."""
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    if q.denominator == 2:
        return f"{q.numerator / 2:.1f}"
    return frac_latex(q)


def _radius(rng: random.Random, k: Knobs, lo: int = 1) -> Fraction:
    if k.half_radius and rng.random() < 0.3:
        return Fraction(2 * rng.randint(lo, k.max_radius - 1) + 1, 2)
    return Fraction(rng.randint(lo, k.max_radius))


def _angle(rng: random.Random, k: Knobs, below: int = 360) -> int:
    step = rng.choice(ANGLE_STEPS[k.angle_grain])
    return step * rng.randint(1, (below - 1) // step)


# ---- settings ------------------------------------------------------------------------------------------------


def _setting(rng: random.Random) -> dict:
    """Either an abstract circle named by its center or a named person's round object."""
    if rng.random() < 0.5:
        return {"abstract": True, "center": rng.choice(LETTERS), "unit": ""}
    thing, units = rng.choice(OBJECTS)
    return {"abstract": False, "name": rng.choice(NAMES), "thing": thing, "unit": rng.choice(units)}


def _unit(s: dict, squared: bool = False) -> str:
    if s["abstract"]:
        return ""
    return f" square {UNIT_WORDS[s['unit']]}" if squared else f" {s['unit']}"


def _basic(rng: random.Random, k: Knobs, s: dict) -> tuple[str, tuple[str, str], list[str], dict]:
    r = _radius(rng, k)
    by_diameter = rng.random() < 0.5
    ask = rng.choice(("area", "circumference"))
    size = f"a diameter of ${_len(2 * r)}${_unit(s)}" if by_diameter else f"a radius of ${_len(r)}${_unit(s)}"
    if s["abstract"]:
        question = f"Circle ${s['center']}$ has {size}. Find its {ask}."
    else:
        question = f"{s['name']} has a {s['thing']} with {size}. What is its {ask}?"
    steps = (
        [f"The radius is $r = {_len(r)}$."]
        if not by_diameter
        else [f"The radius is half the diameter: $r = {_len(r)}$."]
    )
    if ask == "area":
        value = _value(r * r)
        steps.append(f"Area $= \\pi r^2 = \\pi \\cdot {_len(r)}^2 = {value[1]}$.")
    else:
        value = _value(2 * r)
        steps.append(f"Circumference $= 2\\pi r = 2\\pi \\cdot {_len(r)} = {value[1]}$.")
    return question + " " + PI_FORM, value, steps, {"type": "basic", "radius": frac_plain(r), "ask": ask}


def _arc_sector(rng: random.Random, k: Knobs, s: dict) -> tuple[str, tuple[str, str], list[str], dict]:
    r = _radius(rng, k)
    ask = rng.choice(("arc_length", "sector_area"))
    theta = _angle(rng, k, 180 if ask == "arc_length" and s["abstract"] else 360)
    if s["abstract"]:
        c, a, b = s["center"], *rng.sample([x for x in LETTERS if x != s["center"]], 2)
        head = f"Points ${a}$ and ${b}$ lie on circle ${c}$ of radius ${_len(r)}$, and $\\angle {a}{c}{b} = {theta}^\\circ$."
        if ask == "arc_length":
            question = f"{head} Find the length of the minor arc ${a}{b}$."
        else:
            question = (
                f"{head} Find the area of sector ${a}{c}{b}$ (the sector with central angle $\\angle {a}{c}{b}$)."
            )
    else:
        u = _unit(s)
        if ask == "arc_length":
            question = (
                f"{s['name']} marks a central angle of ${theta}^\\circ$ on a {s['thing']} of radius ${_len(r)}${u}. "
                f"How long is the arc of the edge that this angle cuts off?"
            )
        else:
            question = (
                f"{s['name']} cuts a sector with a central angle of ${theta}^\\circ$ from a {s['thing']} of radius "
                f"${_len(r)}${u}. What is the area of the sector?"
            )
    if ask == "arc_length":
        value = _value(r * theta / 180)
        steps = [
            f"Arc length $= 2\\pi r \\cdot \\frac{{\\theta}}{{360^\\circ}} = 2\\pi \\cdot {_len(r)} \\cdot \\frac{{{theta}}}{{360}} = {value[1]}$."
        ]
    else:
        value = _value(r * r * theta / 360)
        steps = [
            f"Sector area $= \\pi r^2 \\cdot \\frac{{\\theta}}{{360^\\circ}} = \\pi \\cdot {_len(r)}^2 \\cdot \\frac{{{theta}}}{{360}} = {value[1]}$."
        ]
    data = {"type": "arc_sector", "radius": frac_plain(r), "angle_degrees": theta, "ask": ask}
    return question + " " + PI_FORM, value, steps, data


def _inverse(rng: random.Random, k: Knobs, s: dict) -> tuple[str, tuple[str, str], list[str], dict]:
    which = rng.randrange(5)
    where = f"circle ${s['center']}$" if s["abstract"] else f"{s['name']}'s {s['thing']}"
    where_cap = where[0].upper() + where[1:]
    o = s.get("center", "O")
    a, b = rng.sample([x for x in LETTERS if x != o], 2)
    lead = f"Points ${a}$ and ${b}$ lie on circle ${o}$. " if s["abstract"] else ""

    def asked(ask: str) -> str:
        if s["abstract"] and ask == "radius":
            return f"the length of radius ${o}{a}$"
        if s["abstract"] and ask == "diameter":
            return f"the length of a diameter through ${b}$"
        return f"its {ask}"

    if which == 0:  # area n pi -> radius, diameter or circumference
        n = rng.randint(2, k.max_radius * k.max_radius)
        ask = rng.choice(("radius", "diameter", "circumference"))
        question = f"{lead}The area of {where} is ${_value(Fraction(n))[1]}${_unit(s, True)}. What is {asked(ask)}?"
        r_text = _sqrt_value(Fraction(n))
        steps = [f"$\\pi r^2 = {n}\\pi$, so $r^2 = {n}$ and $r = {r_text[1]}$."]
        if ask == "radius":
            value = r_text
        elif ask == "diameter":
            value = _sqrt_value(Fraction(n), Fraction(2))
            steps.append(f"The diameter is $2r = {value[1]}$.")
        else:
            value = _sqrt_value(Fraction(n), Fraction(2), pi=True)
            steps.append(f"The circumference is $2\\pi r = {value[1]}$.")
        form = " Give the exact answer" + (
            " in terms of $\\pi$." if ask == "circumference" else " in simplest radical form."
        )
        data = {"type": "inverse", "given": "area", "given_value": _value(Fraction(n))[0], "ask": ask}
        return question + form, value, steps, data
    if which == 1:  # circumference c pi -> radius, diameter or area
        r = Fraction(rng.randint(1, 4 * k.max_radius), 2)
        ask = rng.choice(("radius", "diameter", "area"))
        circ = _value(2 * r)
        question = f"{lead}The circumference of {where} is ${circ[1]}${_unit(s)}. What is {asked(ask)}?"
        steps = [f"$2\\pi r = {circ[1]}$, so $r = {_len(r)}$."]
        if ask in ("radius", "diameter"):
            value = _value(r if ask == "radius" else 2 * r, pi=False)
            form = " Give the exact value."
            if ask == "diameter":
                steps.append(f"The diameter is $2r = {value[1]}$.")
        else:
            value = _value(r * r)
            steps.append(f"The area is $\\pi r^2 = {value[1]}$.")
            form = " " + PI_FORM
        data = {"type": "inverse", "given": "circumference", "given_value": circ[0], "ask": ask}
        return question + form, value, steps, data
    r = _radius(rng, k)
    theta = _angle(rng, k)
    if which == 2:  # arc length and angle -> radius
        arc = _value(r * theta / 180)
        if s["abstract"]:
            question = f"{lead}Arc ${a}{b}$ has length ${arc[1]}$ and central angle $\\angle {a}{o}{b} = {theta}^\\circ$. What is the radius of the circle?"
        else:
            question = f"An arc of {where} has length ${arc[1]}${_unit(s)} and a central angle of ${theta}^\\circ$. What is the radius?"
        steps = [
            f"Arc length $= \\pi r \\cdot \\frac{{\\theta}}{{180^\\circ}}$, so $r = {arc[1]} \\cdot \\frac{{180}}{{{theta}\\pi}} = {_len(r)}$."
        ]
        data = {
            "type": "inverse",
            "given": "arc_length",
            "given_value": arc[0],
            "angle_degrees": theta,
            "ask": "radius",
        }
        return question + " Give the exact value.", _value(r, pi=False), steps, data
    if which == 3:  # sector area and angle -> radius
        area = _value(r * r * theta / 360)
        if s["abstract"]:
            question = f"{lead}Sector ${a}{o}{b}$ has area ${area[1]}$ and central angle $\\angle {a}{o}{b} = {theta}^\\circ$. What is the radius of the circle?"
        else:
            question = f"A sector of {where} has area ${area[1]}${_unit(s, True)} and a central angle of ${theta}^\\circ$. What is the radius?"
        steps = [
            f"Sector area $= \\pi r^2 \\cdot \\frac{{\\theta}}{{360^\\circ}}$, so $r^2 = {area[1]} \\cdot \\frac{{360}}{{{theta}\\pi}} = {frac_latex(r * r)}$ and $r = {_len(r)}$."
        ]
        data = {
            "type": "inverse",
            "given": "sector_area",
            "given_value": area[0],
            "angle_degrees": theta,
            "ask": "radius",
        }
        return question + " Give the exact value.", _value(r, pi=False), steps, data
    arc = _value(r * theta / 180)  # arc length and radius -> angle
    if s["abstract"]:
        question = f"{lead}Circle ${o}$ has radius ${_len(r)}$, and arc ${a}{b}$ has length ${arc[1]}$. What is the measure of the central angle $\\angle {a}{o}{b}$, in degrees?"
    else:
        question = f"{where_cap} has radius ${_len(r)}${_unit(s)}. An arc of its edge has length ${arc[1]}${_unit(s)}. What central angle, in degrees, does the arc subtend?"
    steps = [
        f"$\\theta = \\frac{{\\text{{arc}}}}{{2\\pi r}} \\cdot 360^\\circ = \\frac{{{arc[1]}}}{{2\\pi \\cdot {_len(r)}}} \\cdot 360^\\circ = {theta}^\\circ$."
    ]
    data = {
        "type": "inverse",
        "given": "arc_length",
        "given_value": arc[0],
        "radius": frac_plain(r),
        "ask": "angle_degrees",
    }
    return question + " Give the number of degrees.", (str(theta), str(theta)), steps, data


def _equation(rng: random.Random, k: Knobs, s: dict) -> tuple[str, tuple[str, str], list[str], dict]:
    m = max(6, k.max_radius // 2)
    h, kk = rng.randint(-m, m), rng.randint(-m, m)
    which = rng.randrange(3)
    ask = rng.choice(("area", "circumference", "radius") if which == 0 else ("area", "circumference"))
    if which == 0:
        n = rng.randint(1, k.max_radius * 4)
        d, e, f = -2 * h, -2 * kk, h * h + kk * kk - n
        lhs = "x^{2} + y^{2}" + _lin_tail(((d, "x"), (e, "y"), (f, "")))
        question = f"A circle has equation ${lhs} = 0$. Find its {ask}."
        steps = [
            f"Complete the squares: $({_shift('x', h)})^2 + ({_shift('y', kk)})^2 = {n}$.",
            f"So the center is $({h}, {kk})$ and $r^2 = {n}$.",
        ]
        data = {"type": "equation", "equation": f"x**2 + y**2 + ({d})*x + ({e})*y + ({f})", "ask": ask}
    elif which == 1:
        px, py = rng.randint(-m, m), rng.randint(-m, m)
        if (px, py) == (h, kk):
            px += 1
        n = (px - h) ** 2 + (py - kk) ** 2
        question = f"A circle has center $({h}, {kk})$ and passes through the point $({px}, {py})$. Find its {ask}."
        steps = [f"$r^2 = ({px} - {_neg(h)})^2 + ({py} - {_neg(kk)})^2 = {n}$."]
        data = {"type": "center_point", "center": [h, kk], "point": [px, py], "ask": ask}
    else:
        x1, y1, x2, y2 = (rng.randint(-m, m) for _ in range(4))
        if (x1, y1) == (x2, y2):
            x2 += 2
        n = Fraction((x2 - x1) ** 2 + (y2 - y1) ** 2, 4)
        question = (
            f"The points $({x1}, {y1})$ and $({x2}, {y2})$ are the endpoints of a diameter of a circle. Find its {ask}."
        )
        steps = [f"The diameter has length $\\sqrt{{{(x2 - x1) ** 2 + (y2 - y1) ** 2}}}$, so $r^2 = {frac_latex(n)}$."]
        data = {"type": "diameter_endpoints", "points": [[x1, y1], [x2, y2]], "ask": ask}
    n = Fraction(n)
    if ask == "area":
        value = _value(n)
        steps.append(f"Area $= \\pi r^2 = {value[1]}$.")
    elif ask == "circumference":
        value = _sqrt_value(n, Fraction(2), pi=True)
        steps.append(f"Circumference $= 2\\pi r = {value[1]}$.")
    else:
        value = _sqrt_value(n)
        steps.append(f"$r = {value[1]}$.")
    form = PI_FORM if ask != "radius" else "Give the exact value in simplest radical form."
    return question + " " + form, value, steps, data


def _neg(n: int) -> str:
    return f"({n})" if n < 0 else str(n)


def _lin_tail(terms) -> str:
    out = ""
    for c, var in terms:
        if c:
            mag = str(abs(c)) if abs(c) != 1 or not var else ""
            out += (" - " if c < 0 else " + ") + mag + var
    return out


def _shift(var: str, c: int) -> str:
    return var if c == 0 else (f"{var} - {c}" if c > 0 else f"{var} + {-c}")


RINGS = (("circular garden", "circular pond"), ("circular park", "circular lake"), ("circular plaza", "circular fountain"),
         ("circular lawn", "circular flower bed"))  # fmt: skip
HALVES = (("stage", ("m", "ft")), ("window", ("cm", "in")), ("rug", ("ft", "m")), ("garden bed", ("m", "ft")),
          ("table top", ("cm", "in")), ("patio", ("m", "ft")))  # fmt: skip
SHEETS = ("paper", "plywood", "fabric", "metal", "cardboard", "felt")
CORNERED = (("card", ("cm", "in")), ("photo", ("cm", "in")), ("tile", ("cm", "in")), ("board", ("ft", "m")))


def _composite(rng: random.Random, k: Knobs, s: dict) -> tuple[str, tuple[str, str], list[str], dict]:
    which = rng.randrange(5)
    u = _unit(s)
    named = not s["abstract"]
    o, a, b, c = rng.sample(LETTERS, 4)
    if which == 0:  # ring between concentric circles
        r1 = rng.randint(1, 2 * k.max_radius - 1)
        r2 = rng.randint(r1 + 1, 2 * k.max_radius)
        value = _value(Fraction(r2 * r2 - r1 * r1))
        if named:
            outer, inner = rng.choice(RINGS)
            question = (
                f"{s['name']}'s {outer} has radius ${r2}${u}, and a {inner} of radius ${r1}${u} sits at its center. "
                f"What is the area of the part of the {outer.split()[-1]} outside the {inner.split()[-1]}?"
            )
        else:
            question = (
                f"Two circles share the center ${o}$. Point ${a}$ lies on the smaller circle and point ${b}$ on the larger, "
                f"with ${o}{a} = {r1}$ and ${o}{b} = {r2}$. Find the area of the ring between the circles."
            )
        steps = [f"Ring area $= \\pi R^2 - \\pi r^2 = \\pi({r2 * r2} - {r1 * r1}) = {value[1]}$."]
        data = {"type": "annulus", "radii": [r1, r2]}
    elif which in (1, 2):  # semicircle (1) or quarter circle (2): perimeter or area
        r = _radius(rng, k) * 2 if rng.random() < 0.5 else _radius(rng, k)
        part = "semicircle" if which == 1 else "quarter circle"
        frac = Fraction(1, 2) if which == 1 else Fraction(1, 4)
        ask = rng.choice(("perimeter", "area"))
        if named:
            shape = "semicircular" if which == 1 else "quarter-circle"
            thing, units = rng.choice(HALVES)
            u = " " + rng.choice(units)
            question = f"{s['name']} builds a {shape} {thing} with radius ${_len(r)}${u}. What is its {ask}"
        elif which == 1:
            question = f"A semicircle has diameter ${a}{b}$ with ${a}{b} = {_len(2 * r)}$. Find its {ask}"
        else:
            question = f"A quarter circle ${o}{a}{b}$ has center ${o}$ and radius ${o}{a} = {_len(r)}$. Find its {ask}"
        question += " (the curved arc plus the straight edges)?" if ask == "perimeter" else "?"
        if not named:
            question = question[:-1] + "."
        if ask == "area":
            value = _value(r * r * frac)
            steps = [f"Area $= {frac_latex(frac)} \\pi r^2 = {value[1]}$."]
        else:
            straight = 2 * r
            value = _value(2 * r * frac, const=straight)
            edges = "the diameter adds" if which == 1 else "the two radii add"
            steps = [
                f"The arc is ${frac_latex(frac)} \\cdot 2\\pi r = {_value(2 * r * frac)[1]}$ and {edges} ${_len(straight)}$.",
                f"Perimeter $= {value[1]}$.",
            ]
        data = {"type": part.replace(" ", "_"), "radius": frac_plain(r), "ask": ask}
    elif which == 3:  # square minus inscribed circle
        side = rng.randint(2, 4 * k.max_radius)
        value = _value(Fraction(-side * side, 4), const=Fraction(side * side))
        if named:
            u = " " + rng.choice(("cm", "in"))
            question = (
                f"{s['name']} cuts the largest possible circle out of a square sheet of {rng.choice(SHEETS)} with side "
                f"${side}${u}. What area of the sheet is left over?"
            )
        else:
            question = (
                f"A circle is inscribed in square ${o}{a}{b}{c}$ of side ${side}$. Find the area of the region inside "
                f"the square but outside the circle."
            )
        steps = [
            f"The circle's radius is half the side, ${_len(Fraction(side, 2))}$, so its area is ${_value(Fraction(side * side, 4))[1]}$.",
            f"The region's area is the square's area minus the circle's: ${side}^2 - {_value(Fraction(side * side, 4))[1]} = {value[1]}$.",
        ]
        data = {"type": "square_minus_circle", "side": side}
    else:  # circle through the corners of a rectangle
        w, h = rng.randint(1, 2 * k.max_radius), rng.randint(1, 2 * k.max_radius)
        value = _value(Fraction(w * w + h * h, 4))
        if named:
            thing, units = rng.choice(CORNERED)
            u = " " + rng.choice(units)
            question = (
                f"{s['name']} draws the circle through the four corners of a rectangular {thing} measuring "
                f"${w}${u} by ${h}${u}. What is the area of the circle?"
            )
        else:
            question = f"Rectangle ${o}{a}{b}{c}$ with ${o}{a} = {w}$ and ${a}{b} = {h}$ is inscribed in a circle. Find the area of the circle."
        steps = [
            f"The diagonal of the rectangle is a diameter: $d^2 = {w}^2 + {h}^2 = {w * w + h * h}$.",
            f"Area $= \\pi \\frac{{d^2}}{{4}} = {value[1]}$.",
        ]
        data = {"type": "rectangle_in_circle", "sides": [w, h]}
    return question + " " + PI_FORM, value, steps, data


BUILDERS = (_basic, _arc_sector, _inverse, _equation, _composite)


@family("circle", kind="number", category="geometry", levels=LEVELS)
def circle(rng: random.Random, k: Knobs) -> Draft:
    """Circle measures in terms of pi: area, circumference, arcs, sectors, inverse and composite problems."""
    kind = rng.randint(k.min_kind, k.max_kind)
    s = _setting(rng)
    question, value, steps, data = BUILDERS[kind](rng, k, s)
    return Draft(question, Answer(kind="number", value=value[0], latex=value[1]), steps, data=data)
