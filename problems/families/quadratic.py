"""Quadratic equations with integer, rational, surd and (top levels) complex roots."""

from __future__ import annotations

import random
from fractions import Fraction

from ..mathtext import frac_latex, frac_plain, split_square, surd_latex, surd_plain
from ..poly import Poly
from ..registry import Draft, Knobs, family
from ..types import Answer

INTEGER, RATIONAL, SURD, COMPLEX = range(4)  # the root_type knob, in increasing difficulty

LEVELS = [
    dict(root_type=INTEGER, max_abs=5, max_lead=1, rearranged=0),
    dict(root_type=INTEGER, max_abs=9, max_lead=2, rearranged=0),
    dict(root_type=INTEGER, max_abs=20, max_lead=4, rearranged=1),
    dict(root_type=RATIONAL, max_abs=20, max_lead=4, rearranged=1),
    dict(root_type=RATIONAL, max_abs=20, max_lead=6, rearranged=1),
    dict(root_type=SURD, max_abs=20, max_lead=6, rearranged=1),
    dict(root_type=SURD, max_abs=25, max_lead=6, rearranged=1),
    dict(root_type=COMPLEX, max_abs=25, max_lead=6, rearranged=1),
    dict(root_type=COMPLEX, max_abs=30, max_lead=8, rearranged=1),
    dict(root_type=COMPLEX, max_abs=40, max_lead=12, rearranged=1),
]


def _nonzero(rng: random.Random, m: int) -> int:
    return rng.choice((-1, 1)) * rng.randint(1, m)


def _rational_roots(rng: random.Random, k: Knobs) -> tuple[Poly, list[Fraction]]:
    roots = []
    for _ in range(2):
        q = rng.randint(1, k.max_lead)
        roots.append(Fraction(rng.randint(-k.max_abs, k.max_abs), q))
    p = Poly.linear(roots[0].denominator, -roots[0].numerator) * Poly.linear(roots[1].denominator, -roots[1].numerator)
    return p, roots


def _conjugate_pair(rng: random.Random, k: Knobs, complex_roots: bool) -> tuple[Poly, Fraction, Fraction, int]:
    """Roots center +- coef*sqrt(rad) (or *I): (q*x - p)**2 = +-n."""
    p, q = rng.randint(-k.max_abs, k.max_abs), rng.choice((1, 1, 2))
    while True:
        n = rng.randint(2, 2 * k.max_abs)
        outside, rad = split_square(n)
        if complex_roots or rad > 1:
            break
    sign = -1 if complex_roots else 1
    poly = Poly((p * p - sign * n, -2 * p * q, q * q))
    return poly, Fraction(p, q), Fraction(outside, q), rad


def _magnitude(coef: Fraction, rad: int, imaginary: bool, latex: bool) -> str:
    """coef*sqrt(rad), times i when imaginary."""
    if rad > 1:
        mag = surd_latex(coef, rad) if latex else surd_plain(coef, rad)
    else:
        mag = "" if coef == 1 else (frac_latex(coef) if latex else frac_plain(coef))
    if not imaginary:
        return mag
    if latex:
        return f"{mag}i"
    return f"{mag}*I" if mag else "I"


def _pair_text(center: Fraction, coef: Fraction, rad: int, imaginary: bool, latex: bool) -> tuple[str, str]:
    mag = _magnitude(coef, rad, imaginary, latex)
    if center == 0:
        return mag, f"-{mag}"
    c = frac_latex(center) if latex else frac_plain(center)
    return f"{c} + {mag}", f"{c} - {mag}"


@family("quadratic", kind="equation_solutions", category="algebra", levels=LEVELS)
def quadratic(rng: random.Random, k: Knobs) -> Draft:
    """Solve a quadratic equation; the answer is its set of solutions."""
    root_type = k.root_type if rng.random() < 0.6 else rng.randint(INTEGER, k.root_type)
    lead = _nonzero(rng, k.max_lead) if root_type == INTEGER else rng.choice((-1, 1))
    if root_type in (INTEGER, RATIONAL):
        if root_type == INTEGER:
            roots = [Fraction(rng.randint(-k.max_abs, k.max_abs)) for _ in range(2)]
            poly = Poly.from_roots(roots)
        else:
            poly, roots = _rational_roots(rng, k)
        poly = poly * lead
        distinct = sorted(set(roots))
        plain = [frac_plain(r) for r in distinct]
        latex = [frac_latex(r) for r in distinct]
        how = f"Factor: {_factored_latex(poly.c[-1], distinct, roots)} = 0."
    else:
        imaginary = root_type == COMPLEX
        poly, center, coef, rad = _conjugate_pair(rng, k, imaginary)
        poly = poly * lead
        plain = list(_pair_text(center, coef, rad, imaginary, latex=False))
        latex = list(_pair_text(center, coef, rad, imaginary, latex=True))
        a, b, c = poly.c[2], poly.c[1], poly.c[0]
        how = (
            f"The discriminant is b^2 - 4ac = {b * b - 4 * a * c}, so x = \\frac{{-b \\pm \\sqrt{{b^2 - 4ac}}}}{{2a}} "
            f"= \\frac{{{-b} \\pm \\sqrt{{{b * b - 4 * a * c}}}}}{{{2 * a}}}."
        )
    lhs, rhs = poly, Poly(())
    if k.rearranged:
        # the same terms added to both sides, so the prompt is not in standard form
        shift = Poly((rng.randint(-k.max_abs, k.max_abs), rng.randint(-9, 9), rng.randint(-3, 3)))
        lhs, rhs = poly + shift, shift
    question = f"Solve for x: ${lhs.latex()} = {rhs.latex()}$."
    steps = []
    if rhs.c:
        steps.append(f"Move every term to the left side: ${poly.latex()} = 0$.")
    steps += [how, f"The solutions are {', '.join(latex)}."]
    answer = Answer(
        kind="equation_solutions",
        value="{" + ", ".join(plain) + "}",
        latex=", ".join(latex),
        spec={"variable": "x"},
    )
    return Draft(question, answer, steps, data={"lhs": lhs.plain(), "rhs": rhs.plain(), "variable": "x"})


def _factored_latex(lead: int, distinct: list[Fraction], roots: list[Fraction]) -> str:
    def factor(r: Fraction) -> str:
        if r == 0:
            return "x"
        lin = Poly.linear(r.denominator, -r.numerator)
        return f"({lin.latex()})"

    scale = Fraction(lead, roots[0].denominator * roots[1].denominator)
    head = "" if scale == 1 else ("-" if scale == -1 else frac_latex(scale))
    if len(distinct) == 1:
        return f"{head}{factor(roots[0])}^{{2}}"
    return head + "".join(factor(r) for r in roots)
