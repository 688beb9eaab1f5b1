"""Expand a product of polynomials: two binomials at the lowest level, then three
or four factors, trinomials, powers such as (x + 2)^3, a constant or monomial in
front, and at the top factors in two variables. The answer is the expanded
polynomial, computed exactly by multiplying the chosen factors."""

from __future__ import annotations

import random

from ..algebra_util import VARIABLES, MPoly, mp_mul, mp_pow, mp_text, nonzero
from ..registry import Draft, Knobs, family
from ..types import Answer

# shapes (ordinal): binomials only, trinomials allowed, powers allowed, two variables allowed
BINOMIAL, TRINOMIAL, POWER, TWO_VARS = range(4)

LEVELS = [
    dict(shape=BINOMIAL, max_factors=2, max_degree=2, max_lead=1, max_const=6, n_vars=1),
    dict(shape=BINOMIAL, max_factors=2, max_degree=2, max_lead=3, max_const=9, n_vars=2),
    dict(shape=TRINOMIAL, max_factors=3, max_degree=3, max_lead=4, max_const=9, n_vars=6),
    dict(shape=TRINOMIAL, max_factors=3, max_degree=4, max_lead=4, max_const=9, n_vars=6),
    dict(shape=POWER, max_factors=3, max_degree=4, max_lead=4, max_const=9, n_vars=8),
    dict(shape=POWER, max_factors=3, max_degree=4, max_lead=5, max_const=10, n_vars=10),
    dict(shape=POWER, max_factors=4, max_degree=5, max_lead=5, max_const=10, n_vars=12),
    dict(shape=TWO_VARS, max_factors=4, max_degree=5, max_lead=5, max_const=10, n_vars=14),
    dict(shape=TWO_VARS, max_factors=4, max_degree=6, max_lead=6, max_const=12, n_vars=16),
    dict(shape=TWO_VARS, max_factors=5, max_degree=6, max_lead=6, max_const=12, n_vars=16),
]

TEMPLATES = (
    "Expand and simplify ${expr}$.",
    "Multiply out ${expr}$ and collect like terms.",
    "Write ${expr}$ as a polynomial in expanded form.",
)


def _factor(rng: random.Random, k: Knobs, shape: int, two: bool, room: int) -> tuple[MPoly, int]:
    """One factor and the power it is raised to, of total degree at most `room` (>= 1)."""
    lead = rng.randint(1, k.max_lead) if rng.random() < 0.85 else -rng.randint(1, k.max_lead)
    if two:  # a x + b y (+ c)
        f = {(1, 0): lead, (0, 1): nonzero(rng, k.max_const)}
        if rng.random() < 0.25:
            f[(0, 0)] = nonzero(rng, k.max_const)
    elif shape >= TRINOMIAL and room >= 2 and rng.random() < 0.35:  # a x^2 + b x + c (b may vanish)
        f = {(2, 0): lead, (1, 0): rng.randint(-k.max_const, k.max_const), (0, 0): nonzero(rng, k.max_const)}
    else:
        f = {(1, 0): lead, (0, 0): nonzero(rng, k.max_const)}
    f = {key: c for key, c in f.items() if c}
    degree = max(i + j for i, j in f)
    power = 1
    if shape >= POWER and len(f) == 2 and room >= 2 * degree and rng.random() < 0.35:
        power = 2 if room < 3 * degree or rng.random() < 0.6 else 3
    return f, power


def _factor_text(f: MPoly, power: int, names: tuple[str, str], latex: bool) -> str:
    inner = mp_text(f, names, latex)
    if power == 1:
        return f"({inner})"
    return f"({inner})^{{{power}}}" if latex else f"({inner})**{power}"


@family("expand", kind="expression", category="algebra", levels=LEVELS)
def expand(rng: random.Random, k: Knobs) -> Draft:
    """Expand a product of polynomials and collect like terms."""
    shape = k.shape if rng.random() < 0.7 else rng.randint(BINOMIAL, k.shape)
    v = VARIABLES[rng.randrange(k.n_vars)]
    two = shape == TWO_VARS and rng.random() < 0.6
    names = (v, "y" if v != "y" else "x") if two else (v, "")
    count = k.max_factors if rng.random() < 0.5 else rng.randint(2, k.max_factors)
    count = min(count, k.max_degree)
    factors, used = [], 0
    for i in range(count):
        f, power = _factor(rng, k, shape, two, k.max_degree - used - (count - i - 1))
        factors.append((f, power))
        used += power * max(a + b for a, b in f)
    front = 1
    if shape >= TRINOMIAL and rng.random() < 0.25:
        front = nonzero(rng, 5)
    head_latex = {1: "", -1: "-"}.get(front, str(front))
    head_plain = {1: "", -1: "-"}.get(front, f"{front}*")
    texts = [_factor_text(f, pw, names, True) for f, pw in factors]
    expr_latex = head_latex + "".join(texts)
    expr_plain = head_plain + "*".join(_factor_text(f, pw, names, False) for f, pw in factors)

    steps = []
    product: MPoly = {(0, 0): front}
    for i, (f, power) in enumerate(factors):
        if power > 1:
            f = mp_pow(f, power)
            steps.append(f"${texts[i]} = {mp_text(f, names, True)}$.")
        product = mp_mul(product, f)
        if 0 < i < len(factors) - 1:
            upto = head_latex + "".join(texts[: i + 1])
            steps.append(f"Multiply out the first {i + 1} factors: ${upto} = {mp_text(product, names, True)}$.")
    value = mp_text(product, names)
    latex = mp_text(product, names, latex=True)
    how = "Multiply every term by every term" if len(factors) == 2 else "Multiply by the last factor"
    steps.append(f"{how} and collect like terms: ${expr_latex} = {latex}$.")
    variables = [n for n in names if n]
    question = TEMPLATES[rng.randrange(len(TEMPLATES))].format(expr=expr_latex)
    answer = Answer(kind="expression", value=value, latex=latex, spec={"form": "expanded", "variables": variables})
    return Draft(question, answer, steps, data={"expression": expr_plain, "variables": variables})
