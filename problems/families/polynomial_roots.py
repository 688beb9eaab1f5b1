"""Polynomial equations of degree 3 to 5 built from chosen roots: integer roots,
then rational roots, then a quadratic factor with surd roots, and at the top a
quadratic factor with no real roots. The answer is the set of all real solutions."""

from __future__ import annotations

import random
from fractions import Fraction
from math import sqrt

from ..algebra_util import ip_text, nonzero, num_pair
from ..mathtext import split_square, surd_latex, surd_plain
from ..poly import Poly
from ..registry import Draft, Knobs, family
from ..types import Answer

INTEGER, RATIONAL, SURD, NO_REAL = range(4)  # the root_type knob: the hardest kind of factor allowed

LEVELS = [
    dict(degree=3, root_type=INTEGER, max_abs=5, max_den=1, max_lead=1, rearranged=0),
    dict(degree=3, root_type=INTEGER, max_abs=8, max_den=1, max_lead=2, rearranged=0),
    dict(degree=3, root_type=RATIONAL, max_abs=9, max_den=3, max_lead=3, rearranged=1),
    dict(degree=3, root_type=RATIONAL, max_abs=10, max_den=4, max_lead=3, rearranged=1),
    dict(degree=4, root_type=RATIONAL, max_abs=10, max_den=4, max_lead=3, rearranged=1),
    dict(degree=4, root_type=SURD, max_abs=10, max_den=4, max_lead=4, rearranged=1),
    dict(degree=4, root_type=SURD, max_abs=12, max_den=5, max_lead=4, rearranged=1),
    dict(degree=5, root_type=SURD, max_abs=12, max_den=5, max_lead=5, rearranged=1),
    dict(degree=5, root_type=NO_REAL, max_abs=12, max_den=6, max_lead=5, rearranged=1),
    dict(degree=5, root_type=NO_REAL, max_abs=15, max_den=6, max_lead=6, rearranged=1),
]

TEMPLATES = (
    "Find all real solutions of ${lhs} = {rhs}$.",
    "Solve ${lhs} = {rhs}$ over the real numbers, giving every real solution.",
    "Find every real number $x$ that satisfies ${lhs} = {rhs}$.",
)


def _linear_factor(r: Fraction) -> str:
    return "x" if r == 0 else f"({ip_text((-r.numerator, r.denominator), 'x', True)})"


@family("polynomial_roots", kind="equation_solutions", category="algebra", levels=LEVELS)
def polynomial_roots(rng: random.Random, k: Knobs) -> Draft:
    """Find all real roots of a cubic to quintic polynomial built from chosen factors."""
    root_type = k.root_type if rng.random() < 0.6 else rng.randint(INTEGER, k.root_type)
    degree = k.degree if rng.random() < 0.7 else rng.randint(3, k.degree)
    quad = None  # (center, n): a factor (x - center)**2 - n, with n > 0 not a square (surd) or n < 0 (no real root)
    if root_type >= SURD and (root_type == SURD or rng.random() < 0.5):
        while True:  # bounded: a non-square n comes up in a few draws
            n = rng.randint(2, 3 * k.max_abs)
            if split_square(n)[1] > 1:
                break
        quad = (rng.randint(-k.max_abs // 2, k.max_abs // 2), n)
    elif root_type == NO_REAL:
        quad = (rng.randint(-k.max_abs // 2, k.max_abs // 2), -rng.randint(1, 2 * k.max_abs))
    n_linear = degree - (2 if quad else 0)
    roots = []
    for i in range(n_linear):
        if root_type >= RATIONAL and i < 2 and rng.random() < 0.5:
            roots.append(Fraction(rng.randint(-k.max_abs, k.max_abs), rng.randint(2, k.max_den)))
        else:
            roots.append(Fraction(rng.randint(-k.max_abs, k.max_abs)))
    lead = rng.choice((-1, 1)) * (rng.randint(1, k.max_lead) if all(r.denominator == 1 for r in roots) else 1)
    poly = Poly((lead,))
    for r in roots:
        poly = poly * Poly.linear(r.denominator, -r.numerator)
    if quad:
        c, n = quad
        poly = poly * Poly((c * c - n, -2 * c, 1))
    lhs, rhs = poly, Poly(())
    if k.rearranged:  # the same terms added to both sides, so the equation is not in standard form
        shift = Poly((nonzero(rng, 20), rng.randint(-9, 9), rng.randint(-3, 3)))
        lhs, rhs = poly + shift, shift

    # the answer: distinct real roots in increasing order
    real = {r: (float(r), *num_pair(r)) for r in roots}
    items = sorted(real.values())
    surds = []
    if quad and quad[1] > 0:
        c, n = quad
        out, rad = split_square(n)
        for sign in (-1, 1):
            plain = surd_plain(sign * out, rad)
            latex = surd_latex(sign * out, rad)
            if c:
                plain = f"{c} {'+' if sign > 0 else '-'} {plain.lstrip('-')}"
                latex = f"{c} {'+' if sign > 0 else '-'} {latex.lstrip('-')}"
            items.append((c + sign * out * sqrt(rad), plain, latex))
            surds.append(latex)
        items.sort()
    plain = "{" + ", ".join(t[1] for t in items) + "}"
    latex = ", ".join(t[2] for t in items)

    factors = {}
    for r in roots:
        factors[r] = factors.get(r, 0) + 1
    scale = Fraction(lead)
    body = ""
    for r in sorted(factors, key=lambda r: (r != 0, r)):  # a bare x factor first
        f = _linear_factor(r)
        body += f if factors[r] == 1 else f"{f}^{{{factors[r]}}}"
    if quad:
        c, n = quad
        body += f"({ip_text((c * c - n, -2 * c, 1), 'x', True)})"
    head = "" if scale == 1 else ("-" if scale == -1 else str(scale))
    steps = []
    if rhs.c:
        steps.append(f"Move every term to the left side: ${ip_text(poly.c, 'x', True)} = 0$.")
    if roots:
        first = sorted(factors)[0]
        steps.append(
            f"By the rational root theorem, try candidates $\\pm p/q$; for example $x = {num_pair(first)[1]}$ "
            f"makes the polynomial zero, so ${_linear_factor(first)}$ is a factor."
        )
    steps.append(f"Dividing out the factors found this way gives ${head}{body} = 0$.")
    if quad:
        c, n = quad
        qtext = ip_text((c * c - n, -2 * c, 1), "x", True)
        if n > 0:
            steps.append(
                f"The quadratic factor ${qtext}$ has discriminant ${4 * n}$, so its roots are "
                f"$x = {c} \\pm \\sqrt{{{n}}}$, that is ${surds[0]}$ and ${surds[1]}$."
            )
        else:
            steps.append(f"The quadratic factor ${qtext}$ has discriminant ${4 * n} < 0$, so it has no real roots.")
    steps.append(f"The real solutions are ${latex}$.")
    question = TEMPLATES[rng.randrange(len(TEMPLATES))].format(
        lhs=ip_text(lhs.c, "x", True), rhs=ip_text(rhs.c, "x", True)
    )
    answer = Answer(kind="equation_solutions", value=plain, latex=latex, spec={"variable": "x", "domain": "real"})
    data = {"lhs": ip_text(lhs.c), "rhs": ip_text(rhs.c), "variable": "x", "domain": "real"}
    return Draft(question, answer, steps, data=data)
