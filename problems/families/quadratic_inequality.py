"""Quadratic inequalities built from chosen roots (integer, rational, then surd),
written expanded and (higher up) with terms on both sides; the answer is an
interval or a union of two. At the top levels a double root or no real root
gives answers such as (-oo, r) U (r, oo), all reals or the empty set."""

from __future__ import annotations

import random
from fractions import Fraction
from math import sqrt

from ..algebra_util import interval_text, ip_text, nonzero, num_pair
from ..mathtext import split_square, surd_latex, surd_plain
from ..poly import Poly
from ..registry import Draft, Knobs, family
from ..types import Answer

INTEGER, RATIONAL, SURD, SPECIAL = range(4)  # root_type: SPECIAL adds double roots and no real roots

LEVELS = [
    dict(root_type=INTEGER, max_abs=6, max_lead=1, rearranged=0),
    dict(root_type=INTEGER, max_abs=9, max_lead=2, rearranged=0),
    dict(root_type=INTEGER, max_abs=15, max_lead=3, rearranged=1),
    dict(root_type=RATIONAL, max_abs=15, max_lead=3, rearranged=1),
    dict(root_type=RATIONAL, max_abs=18, max_lead=4, rearranged=1),
    dict(root_type=SURD, max_abs=18, max_lead=4, rearranged=1),
    dict(root_type=SURD, max_abs=20, max_lead=5, rearranged=1),
    dict(root_type=SURD, max_abs=25, max_lead=6, rearranged=1),
    dict(root_type=SPECIAL, max_abs=25, max_lead=6, rearranged=1),
    dict(root_type=SPECIAL, max_abs=30, max_lead=8, rearranged=1),
]

# (latex, plain, strict, wants the polynomial positive)
RELATIONS = (("<", "<", True, False), ("\\le", "<=", False, False), (">", ">", True, True), ("\\ge", ">=", False, True))
_MIRROR = {0: 2, 1: 3, 2: 0, 3: 1}  # a < b  <=>  b > a


def _end(value: Fraction) -> tuple[str, str, float]:
    return (*num_pair(value), float(value))


@family("quadratic_inequality", kind="interval", category="algebra", levels=LEVELS)
def quadratic_inequality(rng: random.Random, k: Knobs) -> Draft:
    """Solve a quadratic inequality; the answer is an interval or a union of intervals."""
    root_type = k.root_type if rng.random() < 0.6 else rng.randint(INTEGER, k.root_type)
    sign = rng.choice((-1, 1))
    rel = rng.randrange(4)
    _, _, strict, want_positive = RELATIONS[rel]  # poly > 0 or >= 0 wants it positive
    special = None
    if root_type == SPECIAL and rng.random() < 0.5:
        special = "double" if rng.random() < 0.5 else "none"
        root_type = INTEGER if rng.random() < 0.5 else RATIONAL
    if root_type == SURD:
        c = rng.randint(-k.max_abs // 2, k.max_abs // 2)
        while True:  # bounded in practice: most n are not perfect squares
            n = rng.randint(2, 2 * k.max_abs)
            out, rad = split_square(n)
            if rad > 1:
                break
        poly = Poly((c * c - n, -2 * c, 1)) * (sign * rng.randint(1, k.max_lead))
        ends = []
        for s in (-1, 1):
            p, t = surd_plain(s * out, rad), surd_latex(s * out, rad)
            if c:
                p = f"{c} {'+' if s > 0 else '-'} {p.lstrip('-')}"
                t = f"{c} {'+' if s > 0 else '-'} {t.lstrip('-')}"
            ends.append((p, t, c + s * out * sqrt(rad)))
        how = f"The roots of ${ip_text(poly.c, 'x', True)} = 0$ are ${c} \\pm \\sqrt{{{n}}}$, that is ${ends[0][1]}$ and ${ends[1][1]}$."
    else:
        roots = []
        for _ in range(1 if special else 2):
            q = rng.randint(1, 4) if root_type == RATIONAL else 1
            roots.append(Fraction(rng.randint(-k.max_abs, k.max_abs), q))
        if special == "none":
            r = roots[0]
            m = nonzero(rng, k.max_abs) ** 2 if rng.random() < 0.5 else rng.randint(1, 2 * k.max_abs)
            base = Poly.linear(r.denominator, -r.numerator)
            poly = (base * base + Poly((m,))) * sign
            ends = []
            how = (
                f"The discriminant of ${ip_text(poly.c, 'x', True)}$ is ${poly.c[1] ** 2 - 4 * poly.c[2] * poly.c[0]} < 0$, "
                "so it has no real roots and keeps the sign of its leading coefficient."
            )
        else:
            if special == "double":
                roots = roots * 2
            elif roots[0] == roots[1]:
                roots[1] += 1
            roots.sort()
            poly = Poly((sign * (rng.randint(1, k.max_lead) if root_type == INTEGER else 1),))
            for r in roots:
                poly = poly * Poly.linear(r.denominator, -r.numerator)
            ends = [_end(r) for r in sorted(set(roots))]
            lin = [f"({ip_text((-r.numerator, r.denominator), 'x', True)})" for r in roots]
            factored = f"{lin[0]}^{{2}}" if special else "".join(lin)
            lead = Fraction(poly.c[-1], roots[0].denominator * roots[1].denominator)
            head = "" if lead == 1 else ("-" if lead == -1 else num_pair(lead)[1])
            how = f"Factor: ${ip_text(poly.c, 'x', True)} = {head}{factored}$, so the roots are ${', '.join(e[1] for e in ends)}$."

    # sign chart: with a positive leading coefficient the polynomial is positive outside its roots
    positive_outside = sign > 0
    word = "positive" if want_positive else "negative"
    if len(ends) == 2:
        lo, hi = ends
        if want_positive == positive_outside:
            pieces = [(None, False, lo, not strict), (hi, not strict, None, False)]
            where = "outside the roots"
        else:
            pieces = [(lo, not strict, hi, not strict)]
            where = "between the roots"
        chart = f"The parabola opens {'up' if sign > 0 else 'down'}, so the expression is {word} {where}" + (
            "." if strict else ", and zero at the roots, which are included."
        )
    elif len(ends) == 1:  # a double root: zero there, one sign everywhere else
        (r,) = ends
        if want_positive == positive_outside:
            pieces = [(None, False, r, False), (r, False, None, False)] if strict else [(None, False, None, False)]
        else:
            if not strict:  # the only solution would be the single point r: ask the strict question instead
                rel, strict = rel ^ 1, True
            pieces = []
        chart = (
            f"The expression is zero at $x = {r[1]}$ and {'positive' if positive_outside else 'negative'} "
            "everywhere else."
        )
    else:
        pieces = [(None, False, None, False)] if want_positive == positive_outside else []
        chart = f"The expression is {'positive' if positive_outside else 'negative'} for every real $x$."
    plain, latex = interval_text(pieces)

    r_latex, r_plain = RELATIONS[rel][:2]
    lhs, rhs = poly, Poly(())
    if k.rearranged:
        shift = Poly((rng.randint(-20, 20), rng.randint(-9, 9), rng.randint(-2, 2)))
        lhs, rhs = poly + shift, shift
    if rng.random() < 0.25 and rhs.c:  # write it the other way round
        shown = f"{ip_text(rhs.c, 'x', True)} {RELATIONS[_MIRROR[rel]][0]} {ip_text(lhs.c, 'x', True)}"
    else:
        shown = f"{ip_text(lhs.c, 'x', True)} {r_latex} {ip_text(rhs.c, 'x', True)}"
    steps = []
    if rhs.c:
        steps.append(f"Move every term to one side: ${ip_text(poly.c, 'x', True)} {r_latex} 0$.")
    steps.append(how)
    steps.append(chart)
    steps.append(f"The solution set is ${latex}$.")
    question = f"Solve the inequality ${shown}$. Give the solution set in interval notation."
    answer = Answer(kind="interval", value=plain, latex=latex, spec={"variable": "x"})
    data = {"inequality": [ip_text(lhs.c), r_plain, ip_text(rhs.c)], "variable": "x"}
    return Draft(question, answer, steps, data=data)
