"""Linear inequalities in one variable (brackets, fractions, compound double
inequalities), answered in interval notation. The boundary is chosen first; the
sign flip when dividing by a negative number is part of the exercise."""

from __future__ import annotations

import random
from fractions import Fraction

from ..algebra_util import (
    BOTH_SIDES,
    BRACKETS,
    FRACTION,
    SIMPLE,
    TWO_FRACTIONS,
    VARIABLES,
    interval_text,
    lin_latex,
    lin_plain,
    linear_sides,
    nonzero,
    num_pair,
)
from ..registry import Draft, Knobs, family
from ..types import Answer

# form (ordinal): one-sided ax + b < c, both sides, brackets, compound lo < ax + b <= hi, a fraction, two fractions
F_SIMPLE, F_BOTH, F_BRACKETS, F_COMPOUND, F_FRACTION, F_TWO_FRACTIONS = range(6)
_SIDES_FORM = {F_SIMPLE: SIMPLE, F_BOTH: BOTH_SIDES, F_BRACKETS: BRACKETS, F_FRACTION: FRACTION}
_SIDES_FORM[F_TWO_FRACTIONS] = TWO_FRACTIONS

LEVELS = [
    dict(form=F_SIMPLE, max_coef=6, max_sol=10, max_den=1, n_vars=1),
    dict(form=F_BOTH, max_coef=9, max_sol=12, max_den=1, n_vars=1),
    dict(form=F_BRACKETS, max_coef=9, max_sol=15, max_den=1, n_vars=3),
    dict(form=F_COMPOUND, max_coef=9, max_sol=15, max_den=3, n_vars=4),
    dict(form=F_FRACTION, max_coef=9, max_sol=20, max_den=4, n_vars=6),
    dict(form=F_FRACTION, max_coef=12, max_sol=20, max_den=5, n_vars=8),
    dict(form=F_TWO_FRACTIONS, max_coef=12, max_sol=25, max_den=6, n_vars=10),
    dict(form=F_TWO_FRACTIONS, max_coef=15, max_sol=30, max_den=8, n_vars=12),
    dict(form=F_TWO_FRACTIONS, max_coef=20, max_sol=40, max_den=10, n_vars=14),
    dict(form=F_TWO_FRACTIONS, max_coef=25, max_sol=50, max_den=12, n_vars=16),
]

# relation: (latex, plain, is strict, points to the right i.e. "greater")
RELATIONS = (("<", "<", True, False), ("\\le", "<=", False, False), (">", ">", True, True), ("\\ge", ">=", False, True))
_FLIP = {0: 2, 1: 3, 2: 0, 3: 1}


def _boundary(rng: random.Random, k: Knobs) -> tuple[int, int]:
    q = 1 if k.max_den == 1 or rng.random() < 0.4 else rng.randint(2, k.max_den)
    return rng.randint(-k.max_sol, k.max_sol), q


@family("linear_inequality", kind="interval", category="algebra", levels=LEVELS)
def linear_inequality(rng: random.Random, k: Knobs) -> Draft:
    """Solve a linear inequality; the answer is an interval."""
    form = k.form if rng.random() < 0.6 else rng.randint(F_SIMPLE, k.form)
    v = VARIABLES[rng.randrange(k.n_vars)]
    if form == F_COMPOUND:
        return _compound(rng, k, v)
    p, q = _boundary(rng, k)
    s = Fraction(p, q)
    eq = linear_sides(rng, _SIDES_FORM[form], k.max_coef, p, q, v)
    rel = rng.randrange(4)
    r_latex, r_plain = RELATIONS[rel][:2]
    A, B = eq.A1 - eq.A2, eq.B2 - eq.B1
    final = rel if A > 0 else _FLIP[rel]
    f_latex, _, strict, greater = RELATIONS[final]
    s_plain, s_latex = num_pair(s)
    end = (s_plain, s_latex, float(s))
    piece = (end, not strict, None, False) if greater else (None, False, end, not strict)
    plain, latex = interval_text([piece])

    steps = []
    left, right = lin_latex(eq.A1, eq.B1, v), lin_latex(eq.A2, eq.B2, v)
    if eq.scale > 1:
        steps.append(
            f"Multiply both sides by {eq.scale} (positive, so the sign stays) and expand: ${left} {r_latex} {right}$."
        )
    elif eq.has_brackets:
        steps.append(f"Expand the brackets: ${left} {r_latex} {right}$.")
    steps.append(
        f"Collect the ${v}$ terms on the left and the constants on the right: ${lin_latex(A, 0, v)} {r_latex} {B}$."
    )
    if A < 0:
        steps.append(
            f"Divide both sides by ${A}$, reversing the inequality because it is negative: ${v} {f_latex} {s_latex}$."
        )
    elif A != 1:
        steps.append(f"Divide both sides by ${A}$: ${v} {f_latex} {s_latex}$.")
    steps.append(f"In interval notation: ${latex}$.")
    question = f"Solve the inequality ${eq.lhs_latex} {r_latex} {eq.rhs_latex}$ for ${v}$. Give the solution set in interval notation."
    answer = Answer(kind="interval", value=plain, latex=latex, spec={"variable": v})
    data = {"inequalities": [[eq.lhs_plain, r_plain, eq.rhs_plain]], "variable": v}
    return Draft(question, answer, steps, data=data)


def _compound(rng: random.Random, k: Knobs, v: str) -> Draft:
    """lo R1 a*v + b R2 hi with both endpoints chosen first (a multiple of their common denominator)."""
    q = 1 if k.max_den == 1 or rng.random() < 0.4 else rng.randint(2, k.max_den)
    p1 = rng.randint(-k.max_sol, k.max_sol)
    p2 = p1 + rng.randint(1, k.max_sol)
    a, b = q * nonzero(rng, max(1, k.max_coef // q)), rng.randint(-2 * k.max_coef, 2 * k.max_coef)
    e1, e2 = Fraction(p1, q), Fraction(p2, q)
    v1, v2 = a // q * p1 + b, a // q * p2 + b  # a*e + b at each endpoint
    lo, hi = min(v1, v2), max(v1, v2)
    r1, r2 = rng.randrange(2), rng.randrange(2)  # 0: <, 1: <=
    rel = ("<", "\\le")
    # the closedness at x = e1 comes from whichever bound a*e1 + b meets
    closed_lo_end, closed_hi_end = (r1 == 1, r2 == 1) if a > 0 else (r2 == 1, r1 == 1)
    ends = [(*num_pair(e), float(e)) for e in (e1, e2)]
    plain, latex = interval_text([(ends[0], closed_lo_end, ends[1], closed_hi_end)])
    mid_latex, mid_plain = lin_latex(a, b, v), lin_plain(a, b, v)
    question = (
        f"Solve the compound inequality ${lo} {rel[r1]} {mid_latex} {rel[r2]} {hi}$ for ${v}$. "
        "Give the solution set in interval notation."
    )
    steps = []
    if b:
        how = f"Subtract {b} from" if b > 0 else f"Add {-b} to"
        steps.append(f"{how} all three parts: ${lo - b} {rel[r1]} {lin_latex(a, 0, v)} {rel[r2]} {hi - b}$.")
    if a < 0:
        steps.append(
            f"Divide all three parts by ${a}$ and reverse both inequality signs, then read from the smaller end: "
            f"${ends[0][1]} {rel[r2]} {v} {rel[r1]} {ends[1][1]}$."
        )
    else:
        steps.append(f"Divide all three parts by ${a}$: ${ends[0][1]} {rel[r1]} {v} {rel[r2]} {ends[1][1]}$.")
    steps.append(f"In interval notation: ${latex}$.")
    answer = Answer(kind="interval", value=plain, latex=latex, spec={"variable": v})
    r_plain = ("<", "<=")
    data = {"inequalities": [[str(lo), r_plain[r1], mid_plain], [mid_plain, r_plain[r2], str(hi)]], "variable": v}
    return Draft(question, answer, steps, data=data)
