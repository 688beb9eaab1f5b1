"""Simplify rational expressions: one fraction whose numerator and denominator share
chosen factors, then products and quotients of two fractions with cross-cancelling
factors. The simplified answer is chosen first (numerator and denominator built
from factors with distinct roots, so they are coprime); the cancelled factors are
multiplied in afterwards. The spec lists the values excluded from the domain."""

from __future__ import annotations

import random
from fractions import Fraction

from ..algebra_util import VARIABLES, ip_mul, ip_text, num_pair
from ..registry import Draft, Knobs, family
from ..types import Answer

SINGLE, PRODUCT, QUOTIENT = range(3)  # the ops knob

LEVELS = [
    dict(ops=SINGLE, max_common=1, max_side=1, max_root=6, max_den=1, max_const=1, quad=0, n_vars=1),
    dict(ops=SINGLE, max_common=1, max_side=2, max_root=9, max_den=1, max_const=3, quad=0, n_vars=2),
    dict(ops=SINGLE, max_common=1, max_side=2, max_root=12, max_den=2, max_const=4, quad=0, n_vars=8),
    dict(ops=SINGLE, max_common=2, max_side=2, max_root=12, max_den=3, max_const=4, quad=0, n_vars=8),
    dict(ops=PRODUCT, max_common=2, max_side=2, max_root=12, max_den=3, max_const=4, quad=0, n_vars=10),
    dict(ops=PRODUCT, max_common=2, max_side=2, max_root=12, max_den=3, max_const=5, quad=1, n_vars=12),
    dict(ops=QUOTIENT, max_common=2, max_side=2, max_root=12, max_den=4, max_const=5, quad=1, n_vars=14),
    dict(ops=QUOTIENT, max_common=2, max_side=2, max_root=12, max_den=4, max_const=6, quad=1, n_vars=16),
    dict(ops=QUOTIENT, max_common=3, max_side=2, max_root=15, max_den=5, max_const=6, quad=1, n_vars=16),
    dict(ops=QUOTIENT, max_common=3, max_side=2, max_root=20, max_den=6, max_const=8, quad=1, n_vars=16),
]


class _Factor:
    """A primitive factor with a positive leading coefficient: q x - p, or an irreducible x^2 + b x + c."""

    __slots__ = ("c", "root", "latex")

    def __init__(self, c: tuple[int, ...], root: Fraction | None, v: str):
        self.c, self.root = c, root  # coefficients lowest power first; the rational root of a linear factor
        self.latex = v if c == (0, 1) else f"({ip_text(c, v, True)})"


def _roots(rng: random.Random, k: Knobs, count: int) -> list[Fraction]:
    """`count` distinct rational roots (distinct roots keep the numerator and denominator coprime)."""
    out: list[Fraction] = []
    while len(out) < count:  # bounded: the pool has far more than `count` values
        q = rng.randint(2, k.max_den) if k.max_den > 1 and rng.random() < 0.35 else 1
        r = Fraction(rng.randint(-k.max_root, k.max_root), q)
        if r not in out:
            out.append(r)
    return out


def _text(const: int, factors: list[_Factor], v: str) -> str:
    """LaTeX of const * product of factors, factored, e.g. 2(x - 1)(3x + 2)."""
    if not factors:
        return str(const)
    return {1: "", -1: "-"}.get(const, str(const)) + "".join(f.latex for f in factors)


def _expanded(const: int, factors: list[_Factor]) -> tuple[int, ...]:
    p: tuple[int, ...] = (const,)
    for f in factors:
        p = ip_mul(p, f.c)
    return p


def _frac_latex(num: tuple[int, ...], den: tuple[int, ...], v: str) -> str:
    return f"\\frac{{{ip_text(num, v, True)}}}{{{ip_text(den, v, True)}}}"


@family("rational_simplify", kind="expression", category="algebra", levels=LEVELS)
def rational_simplify(rng: random.Random, k: Knobs) -> Draft:
    """Simplify a rational expression (or a product or quotient of two) to lowest terms."""
    ops = k.ops if rng.random() < 0.6 else rng.randint(SINGLE, k.ops)
    v = VARIABLES[rng.randrange(k.n_vars)]
    n_common = rng.randint(1, k.max_common)
    n_num = rng.randint(0, k.max_side)
    n_den = rng.randint(1, k.max_side) if rng.random() < 0.9 or n_num == 0 else 0
    if ops != SINGLE:
        n_common = max(n_common, 2)  # one cancelling factor across each fraction
    roots = _roots(rng, k, n_common + n_num + n_den)
    linear = [_Factor((-r.numerator, r.denominator), r, v) for r in roots]
    common, num, den = linear[:n_common], linear[n_common : n_common + n_num], linear[n_common + n_num :]
    if k.quad and rng.random() < 0.4:  # an irreducible quadratic (x - h)^2 + m in the shortest group
        h, m = rng.randint(-k.max_root // 2, k.max_root // 2), rng.randint(1, k.max_root)
        quad = _Factor((h * h + m, -2 * h, 1), None, v)
        min((num, den, common), key=len).append(quad)
    kn = rng.choice((-1, 1)) * rng.randint(1, k.max_const)
    kd = rng.randint(1, k.max_const)
    while Fraction(kn, kd).denominator != kd:  # coprime constants: the answer is in lowest terms
        kd -= 1
    g = rng.randint(1, k.max_const) if rng.random() < 0.4 else 1  # a common number that cancels too

    ans_num, ans_den = _expanded(kn, num), _expanded(kd, den)
    if ans_den == (1,):
        value, latex = ip_text(ans_num, v), ip_text(ans_num, v, True)
    else:
        top, bottom = ip_text(ans_num, v), ip_text(ans_den, v)
        value = f"{top if len(ans_num) == 1 else f'({top})'}/{bottom if len(ans_den) == 1 else f'({bottom})'}"
        latex = _frac_latex(ans_num, ans_den, v)
    ans_num_f, ans_den_f = _text(kn, num, v), _text(kd, den, v)
    if ans_den_f == "1":
        ans_factored = ans_num_f
    else:
        ans_factored = f"\\frac{{{ans_num_f}}}{{{ans_den_f}}}"

    steps = []
    if ops == SINGLE:
        N, D = _expanded(g * kn, num + common), _expanded(g * kd, den + common)
        excluded = [f.root for f in den + common if f.root is not None]
        shown = _frac_latex(N, D, v)
        plain = f"({ip_text(N, v)})/({ip_text(D, v)})"
        steps.append(
            f"Factor the numerator and the denominator: "
            f"${shown} = \\frac{{{_text(g * kn, num + common, v)}}}{{{_text(g * kd, den + common, v)}}}$."
        )
        cancelled = common
    else:
        c1, c2, rest = common[:1], common[1:2], common[2:]
        cut_n, cut_d = rng.randint(0, len(num)), rng.randint(0, len(den))
        n1, n2, d1, d2 = num[:cut_n], num[cut_n:], den[:cut_d], den[cut_d:]
        # F1 = g kn n1 c1 rest / (g kd d1 c2 rest) and F2 = n2 c2 / (d2 c1): their product is the answer
        f1n, f1d = n1 + c1 + rest, d1 + c2 + rest
        f2n, f2d = n2 + c2, d2 + c1
        N1, D1 = _expanded(g * kn, f1n), _expanded(g * kd, f1d)
        N2, D2 = _expanded(1, f2n), _expanded(1, f2d)
        excluded = [f.root for f in f1d + f2d if f.root is not None]
        if ops == PRODUCT:
            shown = f"{_frac_latex(N1, D1, v)} \\cdot {_frac_latex(N2, D2, v)}"
            plain = f"({ip_text(N1, v)})/({ip_text(D1, v)}) * ({ip_text(N2, v)})/({ip_text(D2, v)})"
            steps.append(
                f"Factor every numerator and denominator: "
                f"$\\frac{{{_text(g * kn, f1n, v)}}}{{{_text(g * kd, f1d, v)}}} \\cdot "
                f"\\frac{{{_text(1, f2n, v)}}}{{{_text(1, f2d, v)}}}$."
            )
        else:
            excluded += [f.root for f in f2n if f.root is not None]  # we divide by the second fraction
            shown = f"{_frac_latex(N1, D1, v)} \\div {_frac_latex(D2, N2, v)}"
            plain = f"({ip_text(N1, v)})/({ip_text(D1, v)}) / (({ip_text(D2, v)})/({ip_text(N2, v)}))"
            steps.append(
                f"Dividing by a fraction is multiplying by its reciprocal: "
                f"${_frac_latex(N1, D1, v)} \\cdot {_frac_latex(N2, D2, v)}$."
            )
            steps.append(
                f"Factor: $\\frac{{{_text(g * kn, f1n, v)}}}{{{_text(g * kd, f1d, v)}}} \\cdot "
                f"\\frac{{{_text(1, f2n, v)}}}{{{_text(1, f2d, v)}}}$."
            )
        cancelled = common
    what = ", ".join(f"${f.latex}$" for f in cancelled)
    if g > 1:
        what += f" and the number ${g}$"
    steps.append(f"Cancel the common factors {what}: ${ans_factored}$.")
    if latex != ans_factored:
        steps.append(f"Multiplied out: ${latex}$.")
    excluded_sorted = sorted(set(excluded))
    steps.append(
        "This equals the original expression wherever that is defined, i.e. for "
        + (
            f"${v} \\ne {', '.join(num_pair(e)[1] for e in excluded_sorted)}$."
            if excluded_sorted
            else f"every real ${v}$."
        )
    )
    question = (
        f"Simplify ${shown}$ completely. Give the result as a single fraction in lowest terms "
        "(or a polynomial, if the denominator cancels completely)."
    )
    spec = {"form": "simplified", "variables": [v], "excluded": [num_pair(e)[0] for e in excluded_sorted]}
    answer = Answer(kind="expression", value=value, latex=latex, spec=spec)
    return Draft(question, answer, steps, data={"expression": plain, "variable": v})
