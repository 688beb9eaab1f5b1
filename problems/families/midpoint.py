"""Midpoints of segments (2D, then 3D), or the other endpoint given one endpoint and the
midpoint; integer, then half-integer and fractional coordinates."""

from __future__ import annotations

import random
from fractions import Fraction

from ..mathtext import frac_latex, frac_plain, tuple_text
from ..registry import Draft, Knobs, family
from ..types import Answer

LEVELS = [
    dict(dims=2, max_coord=8, negatives=0, other_endpoint=0, fractions=0),
    dict(dims=2, max_coord=10, negatives=1, other_endpoint=0, fractions=0),
    dict(dims=2, max_coord=12, negatives=1, other_endpoint=1, fractions=0),
    dict(dims=2, max_coord=15, negatives=1, other_endpoint=1, fractions=0),
    dict(dims=3, max_coord=15, negatives=1, other_endpoint=1, fractions=0),
    dict(dims=3, max_coord=15, negatives=1, other_endpoint=1, fractions=1),
    dict(dims=3, max_coord=20, negatives=1, other_endpoint=1, fractions=1),
    dict(dims=3, max_coord=25, negatives=1, other_endpoint=1, fractions=1),
    dict(dims=3, max_coord=30, negatives=1, other_endpoint=1, fractions=2),
    dict(dims=3, max_coord=50, negatives=1, other_endpoint=1, fractions=2),
]
# fractions: 0 integer coordinates; 1 some halves; 2 some thirds and quarters as well.
LETTERS = "ABCDEFGHJKLNPQRSTUVWXYZ"
DENOMINATORS = ((1,), (1, 1, 2), (1, 1, 2, 3, 4))


def _coord(rng: random.Random, k: Knobs) -> Fraction:
    q = rng.choice(DENOMINATORS[k.fractions])
    lo = -k.max_coord if k.negatives else 0
    return Fraction(rng.randint(lo * q, k.max_coord * q), q)


def _paren(q: Fraction) -> str:
    """A coordinate in LaTeX, in parentheses when negative."""
    return f"({frac_latex(q)})" if q < 0 else frac_latex(q)


def _latex_point(coords) -> str:
    return "(" + ", ".join(frac_latex(c) for c in coords) + ")"


@family("midpoint", kind="tuple", category="geometry", levels=LEVELS)
def midpoint(rng: random.Random, k: Knobs) -> Draft:
    """Find the midpoint of a segment, or the missing endpoint given the midpoint."""
    dims = 3 if k.dims == 3 and rng.random() < 0.6 else 2
    a = [_coord(rng, k) for _ in range(dims)]
    b = [_coord(rng, k) for _ in range(dims)]
    if a == b:
        b[-1] += 1
    m = [(x + y) / 2 for x, y in zip(a, b)]
    p, q, r = rng.sample(LETTERS, 3)
    names = "xyz"[:dims]
    form = "as an ordered " + ("pair $(x, y)$" if dims == 2 else "triple $(x, y, z)$") + " with exact coordinates."
    if k.other_endpoint and rng.random() < 0.5:
        answer = b
        question = (
            f"The midpoint of segment ${p}{q}$ is $M{_latex_point(m)}$, and one endpoint is ${p}{_latex_point(a)}$. "
            f"Find the other endpoint ${q}$ {form}"
        )
        steps = [
            f"The midpoint averages the endpoints, so ${q} = 2M - {p}$ coordinate by coordinate.",
            ", ".join(
                f"${n} = 2 \\cdot {_paren(mc)} - {_paren(ac)} = {frac_latex(bc)}$"
                for n, mc, ac, bc in zip(names, m, a, b)
            )
            + ".",
        ]
        data = {
            "task": "other_endpoint",
            "endpoint": [frac_plain(c) for c in a],
            "midpoint": [frac_plain(c) for c in m],
        }
    else:
        answer = m
        if rng.random() < 0.5:
            question = (
                f"Find the midpoint of the segment joining ${p}{_latex_point(a)}$ and ${q}{_latex_point(b)}$, {form}"
            )
        else:
            question = f"Point ${r}$ is the midpoint of $\\overline{{{p}{q}}}$, where ${p}{_latex_point(a)}$ and ${q}{_latex_point(b)}$. Find ${r}$ {form}"
        steps = [
            "The midpoint averages the coordinates of the endpoints.",
            ", ".join(
                f"${n} = \\frac{{{frac_latex(ac)} + {_paren(bc)}}}{{2}} = {frac_latex(mc)}$"
                for n, ac, bc, mc in zip(names, a, b, m)
            )
            + ".",
        ]
        data = {"task": "midpoint", "endpoints": [[frac_plain(c) for c in a], [frac_plain(c) for c in b]]}
    value = tuple_text([frac_plain(c) for c in answer])
    latex = _latex_point(answer)
    return Draft(question, Answer(kind="tuple", value=value, latex=latex, spec={"length": dims}), steps, data=data)
