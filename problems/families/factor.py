"""Factor a polynomial completely over the integers. The factors are chosen first
(a common factor, monic and non-monic trinomials, differences of squares, perfect
squares, grouping, sums and differences of cubes, quartics, two variables), each
made primitive and irreducible by construction, then multiplied out."""

from __future__ import annotations

import random
from math import gcd

from ..algebra_util import VARIABLES, MPoly, mp_mul, mp_text, nonzero
from ..mathtext import is_square
from ..registry import Draft, Knobs, family
from ..types import Answer

# pattern (ordinal): the hardest pattern allowed
P_GCF, P_MONIC, P_SQUARES, P_TRINOMIAL, P_PERFECT, P_GROUPING, P_CUBES, P_QUARTIC, P_TWO_VARS = range(9)

LEVELS = [
    dict(pattern=P_MONIC, max_lead=1, max_const=9, max_content=1, max_mono=0, n_vars=1),
    dict(pattern=P_SQUARES, max_lead=3, max_const=10, max_content=5, max_mono=1, n_vars=4),
    dict(pattern=P_TRINOMIAL, max_lead=6, max_const=14, max_content=12, max_mono=2, n_vars=16),
    dict(pattern=P_PERFECT, max_lead=6, max_const=14, max_content=12, max_mono=2, n_vars=16),
    dict(pattern=P_GROUPING, max_lead=6, max_const=14, max_content=12, max_mono=2, n_vars=16),
    dict(pattern=P_CUBES, max_lead=6, max_const=14, max_content=12, max_mono=2, n_vars=16),
    dict(pattern=P_QUARTIC, max_lead=6, max_const=14, max_content=12, max_mono=2, n_vars=16),
    dict(pattern=P_TWO_VARS, max_lead=6, max_const=14, max_content=12, max_mono=2, n_vars=16),
    dict(pattern=P_TWO_VARS, max_lead=7, max_const=16, max_content=12, max_mono=3, n_vars=16),
    dict(pattern=P_TWO_VARS, max_lead=8, max_const=18, max_content=15, max_mono=3, n_vars=16),
]

TEMPLATES = (
    "Factor completely over the integers: ${poly}$.",
    "Factor ${poly}$ completely, using integer coefficients.",
    "Write ${poly}$ as a product of irreducible factors with integer coefficients.",
    "Factor the polynomial ${poly}$ as far as possible over the integers.",
)

X, X2, ONE, Y = (1, 0), (2, 0), (0, 0), (0, 1)
BIQUADRATIC = -1  # (x^2 - a^2)(x^2 - b^2): only a name for its worked solution, not a pattern level


def _coprime_pair(rng: random.Random, max_a: int, max_b: int) -> tuple[int, int]:
    """a >= 1 and b != 0 with gcd(a, b) == 1 (a few tries, then b = 1)."""
    for _ in range(6):
        a, b = rng.randint(1, max_a), nonzero(rng, max_b)
        if gcd(a, b) == 1:
            return a, b
    return a, 1


def _lin(a: int, b: int, second: tuple[int, int] = ONE) -> MPoly:
    """a x + b (or a x + b y)"""
    return {X: a, second: b}


def _irreducible_quadratic(rng: random.Random, k: Knobs) -> MPoly | None:
    a, b, c = rng.randint(1, k.max_lead), rng.randint(-k.max_const, k.max_const), nonzero(rng, k.max_const)
    if gcd(gcd(a, b), c) != 1 or is_square(b * b - 4 * a * c):
        return None
    return {key: v for key, v in ((X2, a), (X, b), (ONE, c)) if v}


def _pattern(rng: random.Random, k: Knobs, pattern: int) -> tuple[list[MPoly], bool, int]:
    """The irreducible factors of one pattern (with repetition), whether they use a second variable, and the
    pattern a student would recognize (for the worked solution)."""
    L, C = k.max_lead, k.max_const
    if pattern == P_GCF:
        q = _irreducible_quadratic(rng, k) if rng.random() < 0.4 else None
        return [q or _lin(*_coprime_pair(rng, L, C))], False, pattern
    if pattern == P_MONIC:
        return [_lin(1, nonzero(rng, C)), _lin(1, nonzero(rng, C))], False, pattern
    if pattern == P_SQUARES:
        a, b = _coprime_pair(rng, L + 3, 2 * C)
        return [_lin(a, -abs(b)), _lin(a, abs(b))], False, pattern
    if pattern == P_TRINOMIAL:
        return [_lin(*_coprime_pair(rng, L, C)), _lin(*_coprime_pair(rng, L, C))], False, pattern
    if pattern == P_PERFECT:
        f = _lin(*_coprime_pair(rng, L, C))
        return [f, f], False, pattern
    if pattern == P_GROUPING:  # (a x + b)(c x^2 + d), c x^2 + d irreducible
        c, d = _coprime_pair(rng, max(1, L // 2), C)
        if d < 0 and is_square(-c * d):
            d = -d
        return [_lin(*_coprime_pair(rng, L, C)), {X2: c, ONE: d}], False, pattern
    if pattern == P_CUBES:  # a^3 x^3 + b^3 = (a x + b)(a^2 x^2 - a b x + b^2)
        a, b = _coprime_pair(rng, 3, 6)
        return [_lin(a, b), {X2: a * a, X: -a * b, ONE: b * b}], False, pattern
    if pattern == P_QUARTIC:
        if rng.random() < 0.5:  # a^4 x^4 - b^4 = (a x - b)(a x + b)(a^2 x^2 + b^2)
            a, b = _coprime_pair(rng, 2, 4)
            b = abs(b)
            return [_lin(a, -b), _lin(a, b), {X2: a * a, ONE: b * b}], False, pattern
        a, b = rng.sample(range(1, 8), 2)  # (x^2 - a^2)(x^2 - b^2): four linear factors
        return [_lin(1, -a), _lin(1, a), _lin(1, -b), _lin(1, b)], False, BIQUADRATIC
    # P_TWO_VARS: (a x + b y)(c x + d y) or a^2 x^2 - b^2 y^2
    if rng.random() < 0.3:
        a, b = _coprime_pair(rng, L, C)
        return [_lin(a, -b, Y), _lin(a, b, Y)], True, P_SQUARES
    return [_lin(*_coprime_pair(rng, L, C), Y), _lin(*_coprime_pair(rng, L, C), Y)], True, pattern


def _normalize(f: MPoly) -> tuple[int, MPoly]:
    """(content with sign, primitive part with a positive leading coefficient)."""
    g = 0
    for c in f.values():
        g = gcd(g, c)
    lead = f[max(f, key=lambda key: (key[0] + key[1], key[0]))]
    if lead < 0:
        g = -g
    return g, {key: c // g for key, c in f.items()}


def _sort_key(key: tuple) -> tuple:
    """Linear factors first, by their root (so (x - 5)(x + 6)), then the rest by their coefficients."""
    f = dict(key)
    degree = max(i + j for i, j in f)
    if degree == 1:
        return (1, (f.get(ONE, 0) + f.get(Y, 0)) / f[X], key)
    return (degree, 0.0, key)


@family("factor", kind="expression", category="algebra", levels=LEVELS)
def factor(rng: random.Random, k: Knobs) -> Draft:
    """Factor a polynomial completely over the integers."""
    pattern = k.pattern if rng.random() < 0.7 else rng.randint(P_GCF, k.pattern)
    raw, two, how = _pattern(rng, k, pattern)
    v = VARIABLES[rng.randrange(k.n_vars)]
    names = (v, "y" if v != "y" else "x")
    content = 1 if k.max_content == 1 or rng.random() < 0.25 else nonzero(rng, k.max_content)
    mono = rng.randint(0, k.max_mono) if rng.random() < 0.6 else 0
    if pattern == P_GCF and abs(content) == 1 and mono == 0:  # a bare irreducible factor is not an exercise
        content, mono = content * rng.randint(2, max(2, k.max_content)), 1 if k.max_mono and rng.random() < 0.5 else 0
    factors: dict[tuple, int] = {}
    for f in raw:
        g, prim = _normalize(f)
        content *= g
        key = tuple(sorted(prim.items()))
        factors[key] = factors.get(key, 0) + 1

    product: MPoly = {(mono, 0): content}
    for key, mult in factors.items():
        for _ in range(mult):
            product = mp_mul(product, dict(key))
    poly_latex, poly_plain = mp_text(product, names, True), mp_text(product, names)

    order = sorted(factors, key=_sort_key)
    plain_parts, latex_parts = [], []
    if mono:
        plain_parts.append(v if mono == 1 else f"{v}**{mono}")
        latex_parts.append(v if mono == 1 else f"{v}^{{{mono}}}")
    for key in order:
        f, mult = dict(key), factors[key]
        p, t = f"({mp_text(f, names)})", f"({mp_text(f, names, True)})"
        plain_parts.append(p if mult == 1 else f"{p}**{mult}")
        latex_parts.append(t if mult == 1 else f"{t}^{{{mult}}}")
    sign = "-" if content < 0 else ""
    m = abs(content)
    value = sign + "*".join(([str(m)] if m != 1 else []) + plain_parts)
    latex = sign + ("" if m == 1 else str(m)) + "".join(latex_parts)

    steps = []
    if m != 1 or mono:
        common = sign + ("" if m == 1 else str(m)) + (latex_parts[0] if mono else "")
        rest: MPoly = {ONE: 1}
        for key, mult in factors.items():
            for _ in range(mult):
                rest = mp_mul(rest, dict(key))
        steps.append(f"Take out the common factor ${common}$: ${poly_latex} = {common}({mp_text(rest, names, True)})$.")
    steps.append(_HOW[how])
    steps.append(f"So ${poly_latex} = {latex}$, and no factor can be split further over the integers.")
    variables = list(names) if two else [v]
    question = TEMPLATES[rng.randrange(len(TEMPLATES))].format(poly=poly_latex)
    answer = Answer(kind="expression", value=value, latex=latex, spec={"form": "factored", "variables": variables})
    return Draft(question, answer, steps, data={"polynomial": poly_plain, "variables": variables})


_HOW = {
    P_GCF: "What is left has no further factorization over the integers.",
    P_MONIC: "Find two numbers whose product is the constant term and whose sum is the middle coefficient.",
    P_SQUARES: "Use the difference of squares $A^2 - B^2 = (A - B)(A + B)$.",
    P_TRINOMIAL: "Split the middle term using two numbers whose product is $ac$ and whose sum is $b$, then group.",
    P_PERFECT: "Recognize a perfect square $A^2 \\pm 2AB + B^2 = (A \\pm B)^2$.",
    P_GROUPING: "Group the terms in pairs and take out the common binomial factor.",
    P_CUBES: "Use $A^3 \\pm B^3 = (A \\pm B)(A^2 \\mp AB + B^2)$.",
    P_QUARTIC: "Use the difference of squares twice: $A^4 - B^4 = (A^2 - B^2)(A^2 + B^2)$, and $A^2 + B^2$ does not factor.",
    BIQUADRATIC: "Treat it as a quadratic in the square of the variable, then factor each difference of squares.",
    P_TWO_VARS: "Factor it like a quadratic trinomial in the first variable, with the second variable in the coefficients.",
}
