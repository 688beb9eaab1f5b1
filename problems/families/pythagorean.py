"""The missing side of a right triangle, exact: integer triples at low levels, simplest radical
form higher up, given sides that are themselves surds at the top, and word contexts
(ladders, diagonals, walks, ramps, wires).

Sides are handled through their squares (a^2 + b^2 = c^2), so the answer is the
simplified square root of an integer.
"""

from __future__ import annotations

import random
from math import gcd, isqrt

from ..mathtext import split_square, surd_latex, surd_plain
from ..names import NAMES
from ..registry import Draft, Knobs, family
from ..types import Answer

LEVELS = [
    dict(surd=0, find_leg=0, max_side=25, surd_given=0, contexts=0),
    dict(surd=0, find_leg=1, max_side=30, surd_given=0, contexts=1),
    dict(surd=1, find_leg=1, max_side=30, surd_given=0, contexts=1),
    dict(surd=1, find_leg=1, max_side=35, surd_given=0, contexts=1),
    dict(surd=1, find_leg=1, max_side=40, surd_given=0, contexts=1),
    dict(surd=1, find_leg=1, max_side=40, surd_given=1, contexts=1),
    dict(surd=1, find_leg=1, max_side=60, surd_given=1, contexts=1),
    dict(surd=1, find_leg=1, max_side=80, surd_given=1, contexts=1),
    dict(surd=1, find_leg=1, max_side=100, surd_given=2, contexts=1),
    dict(surd=1, find_leg=1, max_side=150, surd_given=2, contexts=1),
]
# surd_given: 0 integer given sides; 1 sometimes one given side is a surd; 2 sometimes both are.


def _triples(limit: int) -> list[tuple[int, int, int]]:
    """All integer right triangles (a < b < c) with c <= limit, by Euclid's formula."""
    out = []
    m = 2
    while m * m + 1 <= limit:
        for n in range(1, m):
            if (m - n) % 2 and gcd(m, n) == 1:
                a, b, c = m * m - n * n, 2 * m * n, m * m + n * n
                for s in range(1, limit // c + 1):
                    out.append((min(a, b) * s, max(a, b) * s, c * s))
        m += 1
    return sorted(out)


TRIPLES = _triples(150)
SQUAREFREE = [n for n in range(2, 31) if split_square(n)[0] == 1]
UNITS = ("m", "ft", "cm", "in", "yd")
UNIT_WORDS = {"m": "meters", "ft": "feet", "cm": "centimeters", "in": "inches", "yd": "yards", "km": "kilometers",
              "mi": "miles"}  # fmt: skip


def _side(sq: int) -> tuple[str, str]:
    """sqrt(sq) simplified, as (plain, latex)."""
    out, rad = split_square(sq)
    if rad == 1:
        return str(out), str(out)
    return surd_plain(out, rad), surd_latex(out, rad)


def _given_square(rng: random.Random, k: Knobs, surd: bool) -> int:
    """The square of a given side: n^2, or (a sqrt b)^2 = a^2 b when a surd side is wanted."""
    if not surd:
        return rng.randint(1, k.max_side) ** 2
    b = rng.choice(SQUAREFREE)
    return rng.randint(1, max(1, isqrt(k.max_side * k.max_side // b))) ** 2 * b


def _squares(rng: random.Random, k: Knobs, find_leg: bool) -> tuple[int, int, int]:
    """(leg1^2, leg2^2, hyp^2); the unknown side is leg2 when find_leg, else the hypotenuse."""
    if not k.surd or rng.random() < 0.15:
        a, b, c = rng.choice([t for t in TRIPLES if t[2] <= (3 * k.max_side if k.surd else k.max_side)])
        if rng.random() < 0.5:
            a, b = b, a
        return a * a, b * b, c * c
    surds = [False, False]
    if k.surd_given >= 1 and rng.random() < 0.5:
        surds[rng.randrange(2)] = True
    if k.surd_given >= 2 and rng.random() < 0.3:
        surds = [True, True]
    x, y = _given_square(rng, k, surds[0]), _given_square(rng, k, surds[1])
    if not find_leg:
        return x, y, x + y
    if x == y:
        y = x + _given_square(rng, k, False)
    leg, hyp = min(x, y), max(x, y)
    return leg, hyp - leg, hyp


def _letters(rng: random.Random) -> tuple[str, str, str]:
    return tuple(rng.sample("ABCDEFGHJKLMNPQRSTUVWXYZ", 3))


@family("pythagorean", kind="number", category="geometry", levels=LEVELS)
def pythagorean(rng: random.Random, k: Knobs) -> Draft:
    """Find the missing side of a right triangle (integer triples, then simplest radical form, word problems)."""
    find_leg = bool(k.find_leg) and rng.random() < 0.5
    a2, b2, c2 = _squares(rng, k, find_leg)
    a, b, c = _side(a2), _side(b2), _side(c2)
    want2 = b2 if find_leg else c2
    style = rng.randrange(3) if k.contexts else 0
    unit = rng.choice(UNITS)
    if style == 0:  # named triangle
        p, q, r = _letters(rng)  # right angle at r; hypotenuse pq
        legs = (f"{p}{r}", f"{q}{r}")
        question = f"In right triangle ${p}{q}{r}$, the right angle is at ${r}$. "
        if find_leg:
            question += f"${legs[0]} = {a[1]}$ and ${p}{q} = {c[1]}$. Find ${legs[1]}$."
        else:
            question += f"${legs[0]} = {a[1]}$ and ${legs[1]} = {b[1]}$. Find ${p}{q}$."
    elif style == 1:  # named triangle with units
        p, q, r = _letters(rng)
        question = f"Triangle ${p}{q}{r}$ has a right angle at ${r}$, with "
        if find_leg:
            question += f"hypotenuse ${p}{q} = {c[1]}$ {unit} and leg ${p}{r} = {a[1]}$ {unit}. How long is ${q}{r}$?"
        else:
            question += (
                f"legs ${p}{r} = {a[1]}$ {unit} and ${q}{r} = {b[1]}$ {unit}. How long is the hypotenuse ${p}{q}$?"
            )
    else:
        question, unit = _context(rng, find_leg, a[1], b[1], c[1])
    form = " (in simplest radical form if it is not a whole number)" if k.surd else ""
    if style == 0:
        question += f" Give the exact length{form}."
    else:
        question += f" Give the exact number of {UNIT_WORDS[unit]}{form}."
    if find_leg:
        steps = [
            "By the Pythagorean theorem, $\\text{leg}^2 = \\text{hypotenuse}^2 - \\text{other leg}^2$.",
            f"$\\text{{leg}}^2 = {c2} - {a2} = {want2}$.",
        ]
    else:
        steps = [
            "By the Pythagorean theorem, $\\text{hypotenuse}^2 = \\text{leg}_1^2 + \\text{leg}_2^2$.",
            f"$\\text{{hypotenuse}}^2 = {a2} + {b2} = {want2}$.",
        ]
    value = _side(want2)
    simplified = "" if value[1] == f"\\sqrt{{{want2}}}" else f" = {value[1]}"
    steps.append(f"So the length is $\\sqrt{{{want2}}}{simplified}$.")
    data = {"legs_squared": [a2, b2], "hypotenuse_squared": c2, "unknown": "leg" if find_leg else "hypotenuse"}
    return Draft(question, Answer(kind="number", value=value[0], latex=value[1]), steps, data=data)


def _context(rng: random.Random, find_leg: bool, a: str, b: str, c: str) -> tuple[str, str]:
    """A word problem and its unit; a and b are the legs, c the hypotenuse (LaTeX lengths)."""
    name = rng.choice(NAMES)
    which = rng.randrange(5)
    if which == 1:
        thing, units = rng.choice(RECTANGLES)
    else:
        units = ("ft", "m", "ft", "m", "km", "mi", "ft", "m", "in", "ft")[2 * which : 2 * which + 2]
    unit = rng.choice(units)
    return _context_text(rng, name, which, thing if which == 1 else "", find_leg, (a, b, c), unit), unit


RECTANGLES = (
    ("rectangular garden", ("m", "ft", "yd")),
    ("rectangular table", ("cm", "in", "ft")),
    ("rectangular poster", ("cm", "in")),
    ("rectangular field", ("m", "yd")),
    ("rectangular screen", ("in", "cm")),
    ("rectangular tile", ("cm", "in")),
    ("rectangular window", ("cm", "in", "ft")),
    ("rectangular courtyard", ("m", "ft")),
)


def _context_text(
    rng: random.Random, name: str, which: int, thing: str, find_leg: bool, sides: tuple[str, str, str], unit: str
) -> str:
    a, b, c = sides
    if which == 0:  # ladder: foot distance a, height b, ladder c
        if find_leg:
            return (
                f"{name} leans a ${c}$ {unit} ladder against a vertical wall, with its foot ${a}$ {unit} from the "
                f"base of the wall on level ground. How high up the wall does the ladder reach?"
            )
        return (
            f"The foot of {name}'s ladder stands ${a}$ {unit} from a vertical wall on level ground, and the top "
            f"of the ladder touches the wall ${b}$ {unit} above the ground. How long is the ladder?"
        )
    if which == 1:  # rectangle diagonal
        if find_leg:
            return f"{name}'s {thing} has a diagonal of ${c}$ {unit} and one side of ${a}$ {unit}. How long is the other side?"
        return f"{name}'s {thing} measures ${a}$ {unit} by ${b}$ {unit}. How long is its diagonal?"
    if which == 2:  # walk
        d1, d2 = rng.choice((("north", "east"), ("north", "west"), ("south", "east"), ("south", "west")))
        if find_leg:
            return (
                f"{name} walks ${a}$ {unit} due {d1} and then turns and walks due {d2}, ending ${c}$ {unit} "
                f"from the starting point in a straight line. How far did {name} walk {d2}?"
            )
        return (
            f"{name} walks ${a}$ {unit} due {d1} and then ${b}$ {unit} due {d2}. How far is {name} from the "
            f"starting point in a straight line?"
        )
    if which == 3:  # wire from the top of a pole
        if find_leg:
            return (
                f"A taut wire of length ${c}$ {unit} runs from the top of a vertical pole to a point on level "
                f"ground ${a}$ {unit} from the base of the pole. {name} wants to know the height of the pole. How tall is it?"
            )
        return (
            f"{name} attaches a taut wire from the top of a ${b}$ {unit} vertical pole to a point on level ground "
            f"${a}$ {unit} from its base. How long is the wire?"
        )
    if find_leg:  # ramp
        return (
            f"{name} builds a straight ramp of length ${c}$ {unit} that covers a horizontal distance of ${a}$ {unit}. "
            f"How high does the ramp rise?"
        )
    return f"{name} builds a straight ramp that rises ${b}$ {unit} over a horizontal distance of ${a}$ {unit}. How long is the ramp?"
