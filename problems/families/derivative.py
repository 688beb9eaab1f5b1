"""Derivatives of sums of terms whose derivatives are known in closed form.

Each term comes from a template class: power terms; elementary functions (sin, cos,
exp, log, sqrt, reciprocal powers); products (product rule); compositions (chain
rule); quotients (quotient rule). The derivative text is assembled from the
templates' known derivatives, so no CAS runs.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import gcd

from ..calculus_terms import (
    Factor,
    Term,
    draw_distinct,
    exp_f,
    func,
    join,
    linear_arg,
    log_f,
    merge,
    one_latex,
    paren,
    poly_arg,
    sqrt_f,
    term,
    xpow,
)
from ..poly import Poly
from ..registry import Draft, Knobs, family
from ..types import Answer

POWER, ELEMENTARY, PRODUCT, CHAIN, QUOTIENT = range(5)  # the template knob: the hardest class used

LEVELS = [
    dict(terms=2, template=POWER, max_coef=5, max_power=3, max_k=1),
    dict(terms=3, template=POWER, max_coef=9, max_power=5, max_k=1),
    dict(terms=3, template=ELEMENTARY, max_coef=9, max_power=5, max_k=3),
    dict(terms=3, template=ELEMENTARY, max_coef=12, max_power=6, max_k=5),
    dict(terms=3, template=PRODUCT, max_coef=12, max_power=6, max_k=5),
    dict(terms=3, template=CHAIN, max_coef=12, max_power=6, max_k=5),
    dict(terms=3, template=QUOTIENT, max_coef=12, max_power=6, max_k=5),
    dict(terms=4, template=QUOTIENT, max_coef=12, max_power=6, max_k=5),
    dict(terms=4, template=QUOTIENT, max_coef=15, max_power=8, max_k=6),
    dict(terms=5, template=QUOTIENT, max_coef=20, max_power=9, max_k=8),
]

X: Factor = ("x", "x")

# One template: (function term, derivative terms, the rule used).
Built = tuple[Term, list[Term], str]


def _nz(rng: random.Random, m: int) -> int:
    return rng.choice((-1, 1)) * rng.randint(1, m)


def _coprime(rng: random.Random, a: int) -> int:
    """A nonzero b in -9..9 with gcd(a, b) = 1, so a x + b has no common factor."""
    return rng.choice([b for b in range(-9, 10) if b and gcd(a, b) == 1])


def _sum_factor(terms: list[Term], bare_latex: bool) -> Factor:
    plain, latex = join(terms)
    return f"({plain})", latex if bare_latex else f"({latex})"


def _power(rng: random.Random, k: Knobs) -> Built:
    c, n = _nz(rng, k.max_coef), rng.randint(0, k.max_power)
    if n == 0:
        return term(c), [], "derivative of a constant"
    return term(c, [xpow(n)]), [term(c * n, [xpow(n - 1)] if n > 1 else [])], "power rule"


def _elementary(rng: random.Random, k: Knobs) -> Built:
    c, which = _nz(rng, k.max_coef), rng.randrange(6)
    kk = rng.randint(1, k.max_k)
    arg = linear_arg(kk)
    if which == 0:
        return term(c, [func("sin", arg)]), [term(c * kk, [func("cos", arg)])], "derivative of sine"
    if which == 1:
        return term(c, [func("cos", arg)]), [term(-c * kk, [func("sin", arg)])], "derivative of cosine"
    if which == 2:
        kk = rng.choice((-1, 1)) * kk
        a = exp_f(linear_arg(kk))
        return term(c, [a]), [term(c * kk, [a])], "derivative of the exponential"
    if which == 3:
        return term(c, [log_f(arg)]), [term(c, [], [X])], "derivative of the logarithm"
    if which == 4:
        s = sqrt_f(("x", "x"))
        return term(c, [s]), [term(Fraction(c, 2), [], [s])], "derivative of the square root"
    n = rng.randint(1, 3)
    den = [xpow(n)]
    return term(c, [], den), [term(-c * n, [], [xpow(n + 1)])], "power rule with a negative exponent"


def _product(rng: random.Random, k: Knobs) -> Built:
    c, which = _nz(rng, k.max_coef), rng.randrange(5)
    kk = rng.randint(1, k.max_k)
    if which == 3:  # e^{ax} sin(bx) or cos(bx)
        a = rng.choice((-1, 1)) * rng.randint(1, k.max_k)
        e = exp_f(linear_arg(a))
        name, other, sign = rng.choice((("sin", "cos", 1), ("cos", "sin", -1)))
        g, dg = func(name, linear_arg(kk)), func(other, linear_arg(kk))
        return term(c, [e, g]), [term(c * a, [e, g]), term(sign * c * kk, [e, dg])], "product rule"
    n = rng.randint(1, min(k.max_power, 4))
    xn = [xpow(n)]
    xn1 = [xpow(n - 1)] if n > 1 else []
    if which == 4:  # x^n ln x
        lg = log_f(("x", "x"))
        return term(c, xn + [lg]), [term(c * n, xn1 + [lg]), term(c, xn1)], "product rule"
    if which == 2:
        a = rng.choice((-1, 1)) * kk
        e = exp_f(linear_arg(a))
        return term(c, xn + [e]), [term(c * n, xn1 + [e]), term(c * a, xn + [e])], "product rule"
    name, other, sign = (("sin", "cos", 1), ("cos", "sin", -1))[which]
    g, dg = func(name, linear_arg(kk)), func(other, linear_arg(kk))
    return term(c, xn + [g]), [term(c * n, xn1 + [g]), term(sign * c * kk, xn + [dg])], "product rule"


def _chain(rng: random.Random, k: Knobs) -> Built:
    c, which = _nz(rng, k.max_coef), rng.randrange(6)
    a, b = _nz(rng, k.max_k), _nz(rng, 9)
    if which == 0:  # sin/cos(a x^m + b)
        m = rng.randint(2, 3)
        inner = Poly([b] + [0] * (m - 1) + [a])
        name, other, sign = rng.choice((("sin", "cos", 1), ("cos", "sin", -1)))
        arg = poly_arg(inner)
        return (
            term(c, [func(name, arg)]),
            [term(sign * c * a * m, [xpow(m - 1), func(other, arg)])],
            "chain rule",
        )
    if which == 1:  # (a x + b)^n
        n = rng.randint(2, k.max_power)
        inner = Poly((_coprime(rng, a), a))
        return term(c, [paren(inner, n)]), [term(c * n * a, [paren(inner, n - 1)])], "chain rule"
    if which == 2:  # exp(a x^2 + b x)
        inner = Poly((0, b, a))
        e = exp_f(poly_arg(inner))
        return term(c, [e]), [term(1, [paren(inner.deriv() * c), e])], "chain rule"
    if which == 3:  # ln(a x^2 + b), a, b > 0
        a, b = abs(a), abs(b)
        inner = Poly((b, 0, a))
        return term(c, [log_f(poly_arg(inner))]), [term(2 * a * c, [X], [paren(inner, bare_latex=True)])], "chain rule"
    if which == 4:  # sqrt(a x + b)
        inner = Poly((_coprime(rng, a), abs(a)))
        s = sqrt_f(poly_arg(inner))
        return term(c, [s]), [term(Fraction(c * abs(a), 2), [], [s])], "chain rule"
    n = rng.randint(2, 4)  # sin^n(kx) / cos^n(kx)
    kk = abs(a)
    name, other, sign = rng.choice((("sin", "cos", 1), ("cos", "sin", -1)))
    arg = linear_arg(kk)
    lower = [func(name, arg, n - 1)]
    return term(c, [func(name, arg, n)]), [term(sign * c * n * kk, lower + [func(other, arg)])], "chain rule"


def _quotient(rng: random.Random, k: Knobs) -> Built:
    c, which = _nz(rng, k.max_coef), rng.randrange(4)
    if which <= 1:  # rational: N/D with N, D of degree <= 2
        # N = n2 x^2 + c x + n0 over D = x^2 + e (no real root) or D = d x + e with N(-e/d) != 0,
        # so N/D never simplifies and the derivative's numerator N'D - ND' is never zero.
        n2 = rng.choice((0, 0, _nz(rng, 4))) if which == 1 else 0
        if which == 1 and rng.random() < 0.5:
            den, bad = Poly((rng.randint(1, 9), 0, 1)), None
        else:
            d = rng.randint(1, 4)
            e = rng.choice([e for e in range(-9, 10) if e and gcd(d, e) == 1])
            den, r = Poly((e, d)), Fraction(-e, d)
            bad = -(c * r + n2 * r * r)  # the n0 that makes N(-e/d) = 0
        n0 = rng.choice([n for n in range(-9, 10) if n != bad and (n or which == 1)])
        num = Poly((n0, c, n2))
        top = num.deriv() * den - num * den.deriv()
        f = term(1, [paren(num, bare_latex=True)], [paren(den, bare_latex=True)])
        head = [paren(top, bare_latex=True)] if top.degree > 0 else []
        return f, [term(top.c[0] if top.degree == 0 else 1, head, [paren(den, 2)])], "quotient rule"
    kk = rng.randint(1, k.max_k)
    x2 = [xpow(2)]
    if which == 2:  # sin(kx)/x or cos(kx)/x
        name, other, sign = rng.choice((("sin", "cos", 1), ("cos", "sin", -1)))
        g, dg = func(name, linear_arg(kk)), func(other, linear_arg(kk))
        top = [term(sign * c * kk, [X, dg]), term(-c, [g])]
        return term(c, [g], [X]), [term(1, [_sum_factor(top, True)], x2)], "quotient rule"
    a = rng.choice((-1, 1)) * kk  # e^{ax}/x
    e = exp_f(linear_arg(a))
    top = [term(c * a, [X, e]), term(-c, [e])]
    return term(c, [e], [X]), [term(1, [_sum_factor(top, True)], x2)], "quotient rule"


BUILDERS = (_power, _elementary, _product, _chain, _quotient)

QUESTIONS = (
    "Find the derivative of ${name}(x) = {f}$.",
    "Differentiate $y = {f}$ with respect to $x$.",
    "Compute $\\frac{{d}}{{dx}}\\left({f}\\right)$.",
    "Let ${name}(x) = {f}$. Find ${name}'(x)$.",
    "What is $\\frac{{dy}}{{dx}}$ if $y = {f}$?",
    "Find ${name}'(x)$, where ${name}(x) = {f}$.",
)


@family("derivative", kind="expression", category="calculus", levels=LEVELS)
def derivative(rng: random.Random, k: Knobs) -> Draft:
    """Differentiate a sum of power, trig, exp and log terms (product, chain and quotient rules higher up)."""
    parts: list[Built] = draw_distinct(rng, k, BUILDERS, k.template, k.terms)
    f_plain, f_latex = join([p[0] for p in parts])
    d_terms = merge([t for p in parts for t in p[1]])
    d_plain, d_latex = join(d_terms)
    template = rng.choice(QUESTIONS)
    name = rng.choice("fgh")
    question = template.format(name=name, f=f_latex)
    lhs = f"{name}'(x)" if "{name}" in template else "\\frac{dy}{dx}"
    steps = ["Differentiate term by term."]
    for f_t, d_t, rule in parts:
        d_text = join(d_t)[1]
        steps.append(f"$\\frac{{d}}{{dx}}\\left[{one_latex(f_t)}\\right] = {d_text}$ ({rule}).")
    steps.append(f"Adding the pieces: ${lhs} = {d_latex}$.")
    answer = Answer(kind="expression", value=d_plain, latex=d_latex, spec={"variable": "x"})
    return Draft(question, answer, steps, data={"function": f_plain, "variable": "x"})
