"""The distance between two points in the plane (and in space at higher levels), exact in
simplest radical form; half-integer coordinates at the top levels."""

from __future__ import annotations

import random
from fractions import Fraction

from ..mathtext import frac_latex, frac_plain, sqrt_latex, sqrt_plain
from ..registry import Draft, Knobs, family
from ..types import Answer

LEVELS = [
    dict(dims=2, max_coord=6, negatives=0, halves=0),
    dict(dims=2, max_coord=10, negatives=1, halves=0),
    dict(dims=2, max_coord=12, negatives=1, halves=0),
    dict(dims=2, max_coord=15, negatives=1, halves=0),
    dict(dims=3, max_coord=15, negatives=1, halves=0),
    dict(dims=3, max_coord=15, negatives=1, halves=0),
    dict(dims=3, max_coord=20, negatives=1, halves=0),
    dict(dims=3, max_coord=20, negatives=1, halves=1),
    dict(dims=3, max_coord=30, negatives=1, halves=1),
    dict(dims=3, max_coord=50, negatives=1, halves=1),
]
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
QUESTIONS = (
    "Find the distance between the points ${p}{a}$ and ${q}{b}$.",
    "How long is the segment ${p}{q}$ with endpoints ${p}{a}$ and ${q}{b}$?",
    "What is the distance from ${p}{a}$ to ${q}{b}$?",
    "Points ${p}{a}$ and ${q}{b}$ are given. Find the length of $\\overline{{{p}{q}}}$.",
)


def _coord(rng: random.Random, k: Knobs) -> Fraction:
    lo = -k.max_coord if k.negatives else 0
    if k.halves and rng.random() < 0.4:
        return Fraction(rng.randint(2 * lo, 2 * k.max_coord), 2)
    return rng.randint(lo, k.max_coord)


def _point(coords: list[Fraction]) -> str:
    return "(" + ", ".join(frac_latex(c) for c in coords) + ")"


@family("distance", kind="number", category="geometry", levels=LEVELS)
def distance(rng: random.Random, k: Knobs) -> Draft:
    """Find the exact distance between two points (2D, then 3D and half-integer coordinates)."""
    dims = 3 if k.dims == 3 and rng.random() < 0.7 else 2
    a = [_coord(rng, k) for _ in range(dims)]
    b = [_coord(rng, k) for _ in range(dims)]
    if a == b:
        b[0] += 1
    p, q = rng.sample(LETTERS, 2)
    diffs = [y - x for x, y in zip(a, b)]
    sq = sum(d * d for d in diffs)
    question = rng.choice(QUESTIONS).format(p=p, q=q, a=_point(a), b=_point(b))
    question += " Give the exact distance in simplest radical form."
    names = "xyz"[:dims]
    terms = " + ".join(f"({frac_latex(d)})^2" for d in diffs)
    value = (sqrt_plain(sq), sqrt_latex(sq))
    steps = [
        "Use $d = \\sqrt{" + " + ".join(f"({n}_2 - {n}_1)^2" for n in names) + "}$.",
        "The differences are " + ", ".join(f"$\\Delta {n} = {frac_latex(d)}$" for n, d in zip(names, diffs)) + ".",
        f"$d = \\sqrt{{{terms}}} = \\sqrt{{{frac_latex(sq)}}}"
        + ("" if value[1] == f"\\sqrt{{{frac_latex(sq)}}}" else f" = {value[1]}")
        + "$.",
    ]
    data = {"points": [[frac_plain(c) for c in a], [frac_plain(c) for c in b]]}
    return Draft(question, Answer(kind="number", value=value[0], latex=value[1]), steps, data=data)
