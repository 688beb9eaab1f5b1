"""Linear equations in one variable: ax + b = c, variables on both sides, brackets,
fractions and nested brackets, with integer then rational solutions and varying
variable letters. The solution is chosen first; one constant is computed to fit it."""

from __future__ import annotations

import random
from fractions import Fraction

from ..algebra_util import (
    BOTH_SIDES,
    BRACKETS,
    FRACTION,
    NESTED,
    SIMPLE,
    TWO_FRACTIONS,
    VARIABLES,
    lin_latex,
    linear_sides,
    num_pair,
)
from ..registry import Draft, Knobs, family
from ..types import Answer

# form: SIMPLE < BOTH_SIDES < BRACKETS < FRACTION < TWO_FRACTIONS < NESTED (ordinal, see algebra_util)
# max_den: the largest denominator of the solution (1: integer solutions); n_vars: variable letters in use
LEVELS = [
    dict(form=SIMPLE, max_coef=6, max_sol=10, max_den=1, n_vars=1),
    dict(form=BOTH_SIDES, max_coef=9, max_sol=12, max_den=1, n_vars=1),
    dict(form=BRACKETS, max_coef=9, max_sol=20, max_den=1, n_vars=3),
    dict(form=BRACKETS, max_coef=9, max_sol=20, max_den=3, n_vars=4),
    dict(form=FRACTION, max_coef=9, max_sol=20, max_den=4, n_vars=6),
    dict(form=FRACTION, max_coef=12, max_sol=20, max_den=5, n_vars=8),
    dict(form=TWO_FRACTIONS, max_coef=12, max_sol=25, max_den=6, n_vars=10),
    dict(form=TWO_FRACTIONS, max_coef=15, max_sol=30, max_den=8, n_vars=12),
    dict(form=TWO_FRACTIONS, max_coef=20, max_sol=40, max_den=10, n_vars=14),
    dict(form=NESTED, max_coef=25, max_sol=50, max_den=12, n_vars=16),
]


@family("linear_equation", kind="equation_solutions", category="algebra", levels=LEVELS)
def linear_equation(rng: random.Random, k: Knobs) -> Draft:
    """Solve a linear equation in one variable (brackets, fractions, rational solutions)."""
    form = k.form if rng.random() < 0.6 else rng.randint(SIMPLE, k.form)
    v = VARIABLES[rng.randrange(k.n_vars)]
    q = 1 if k.max_den == 1 or rng.random() < 0.4 else rng.randint(2, k.max_den)
    p = rng.randint(-k.max_sol, k.max_sol)
    eq = linear_sides(rng, form, k.max_coef, p, q, v)
    s_plain, s_latex = num_pair(Fraction(p, q))

    steps = []
    A, B = eq.A1 - eq.A2, eq.B2 - eq.B1
    left, right = lin_latex(eq.A1, eq.B1, v), lin_latex(eq.A2, eq.B2, v)
    if eq.scale > 1:
        steps.append(f"Multiply both sides by {eq.scale} to clear the fractions and expand: ${left} = {right}$.")
    elif eq.has_brackets:
        steps.append(f"Expand the brackets: ${left} = {right}$.")
    steps.append(f"Collect the ${v}$ terms on the left and the constants on the right: ${lin_latex(A, 0, v)} = {B}$.")
    if A != 1:
        steps.append(f"Divide both sides by ${A}$: ${v} = {s_latex}$.")
    question = f"Solve for ${v}$: ${eq.lhs_latex} = {eq.rhs_latex}$."
    if k.max_den > 1:
        question += " Give the solution as an integer or a fraction in lowest terms."
    answer = Answer(kind="equation_solutions", value="{" + s_plain + "}", latex=s_latex, spec={"variable": v})
    return Draft(question, answer, steps, data={"lhs": eq.lhs_plain, "rhs": eq.rhs_plain, "variable": v})
