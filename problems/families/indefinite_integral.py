"""Indefinite integrals of sums of terms with known antiderivatives.

Template classes: power terms; elementary functions (1/x, sin, cos, exp, sqrt,
reciprocal powers); integration by parts (x e^{kx}, x sin kx, ln x, x^n ln x);
substitution (x cos(ax^2 + b), (ax + b)^n, x/(x^2 + b), sin^n x cos x, ...).
The answer is one antiderivative without the constant; log(x) stands for ln|x|.
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

POWER, ELEMENTARY, PARTS, SUBSTITUTION = range(4)  # the template knob: the hardest class used

LEVELS = [
    dict(terms=2, template=POWER, max_coef=5, max_power=3, max_k=1),
    dict(terms=3, template=POWER, max_coef=9, max_power=5, max_k=1),
    dict(terms=3, template=ELEMENTARY, max_coef=9, max_power=5, max_k=3),
    dict(terms=3, template=ELEMENTARY, max_coef=12, max_power=6, max_k=5),
    dict(terms=3, template=PARTS, max_coef=12, max_power=6, max_k=5),
    dict(terms=3, template=SUBSTITUTION, max_coef=12, max_power=6, max_k=5),
    dict(terms=4, template=SUBSTITUTION, max_coef=12, max_power=6, max_k=5),
    dict(terms=4, template=SUBSTITUTION, max_coef=15, max_power=6, max_k=5),
    dict(terms=4, template=SUBSTITUTION, max_coef=15, max_power=8, max_k=6),
    dict(terms=5, template=SUBSTITUTION, max_coef=20, max_power=9, max_k=8),
]

X: Factor = ("x", "x")
LOG_X: Factor = ("log(x)", "\\ln(x)")

# One template: (integrand term, antiderivative terms, the method used).
Built = tuple[Term, list[Term], str]


def _nz(rng: random.Random, m: int) -> int:
    return rng.choice((-1, 1)) * rng.randint(1, m)


def _coef(rng: random.Random, k: Knobs, divisor: int) -> int:
    """The integrand coefficient; half the time a multiple of `divisor`, so the answer has integer coefficients."""
    room = k.max_coef // abs(divisor)
    if room >= 1 and rng.random() < 0.5:
        return _nz(rng, room) * abs(divisor)
    return _nz(rng, k.max_coef)


def _coprime(rng: random.Random, a: int) -> int:
    """A nonzero b in -9..9 with gcd(a, b) = 1, so a x + b has no common factor."""
    return rng.choice([b for b in range(-9, 10) if b and gcd(a, b) == 1])


def _power(rng: random.Random, k: Knobs) -> Built:
    n = rng.randint(0, k.max_power)
    c = _coef(rng, k, n + 1)
    body = [xpow(n)] if n else []
    return term(c, body), [term(Fraction(c, n + 1), [xpow(n + 1)])], "power rule"


def _elementary(rng: random.Random, k: Knobs) -> Built:
    which, kk = rng.randrange(6), rng.randint(1, k.max_k)
    if which == 0:
        c = _nz(rng, k.max_coef)
        return term(c, [], [X]), [term(c, [LOG_X])], "$\\int \\frac{1}{x}\\,dx = \\ln|x|$"
    if which <= 3:
        c = _coef(rng, k, kk)
        if which == 3:
            kk = rng.choice((-1, 1)) * kk
            e = exp_f(linear_arg(kk))
            return term(c, [e]), [term(Fraction(c, kk), [e])], "$\\int e^{kx}\\,dx = \\frac{1}{k}e^{kx}$"
        arg = linear_arg(kk)
        if which == 1:
            return term(c, [func("sin", arg)]), [term(Fraction(-c, kk), [func("cos", arg)])], "antiderivative of sine"
        return term(c, [func("cos", arg)]), [term(Fraction(c, kk), [func("sin", arg)])], "antiderivative of cosine"
    if which == 4:
        if rng.random() < 0.5:  # sqrt(x) -> (2/3) x^{3/2}
            c = _coef(rng, k, 3)
            return (
                term(c, [sqrt_f(X)]),
                [term(Fraction(2 * c, 3), [("x**(3/2)", "x^{3/2}")])],
                "power rule with exponent 1/2",
            )
        c = _nz(rng, k.max_coef)  # 1/sqrt(x) -> 2 sqrt(x)
        return term(c, [], [sqrt_f(X)]), [term(2 * c, [sqrt_f(X)])], "power rule with exponent -1/2"
    n = rng.randint(2, 4)  # x^{-n} -> x^{1-n}/(1-n)
    c = _coef(rng, k, n - 1)
    return term(c, [], [xpow(n)]), [term(Fraction(-c, n - 1), [], [xpow(n - 1)])], "power rule with a negative exponent"


def _parts(rng: random.Random, k: Knobs) -> Built:
    which, kk = rng.randrange(5), rng.randint(1, k.max_k)
    how = "integration by parts"
    if which == 0:  # x e^{kx} -> (x/k - 1/k^2) e^{kx}
        kk = rng.choice((-1, 1)) * kk
        c = _coef(rng, k, kk * kk)
        e = exp_f(linear_arg(kk))
        return term(c, [X, e]), [term(Fraction(c, kk), [X, e]), term(Fraction(-c, kk * kk), [e])], how
    if which <= 2:  # x sin kx, x cos kx
        c = _coef(rng, k, kk * kk)
        arg = linear_arg(kk)
        s, co = func("sin", arg), func("cos", arg)
        if which == 1:
            return term(c, [X, s]), [term(Fraction(-c, kk), [X, co]), term(Fraction(c, kk * kk), [s])], how
        return term(c, [X, co]), [term(Fraction(c, kk), [X, s]), term(Fraction(c, kk * kk), [co])], how
    if which == 3:  # ln x -> x ln x - x
        c = _nz(rng, k.max_coef)
        return term(c, [LOG_X]), [term(c, [X, LOG_X]), term(-c, [X])], how
    n = rng.randint(1, min(3, k.max_power))  # x^n ln x -> x^{n+1} ln x/(n+1) - x^{n+1}/(n+1)^2
    c = _coef(rng, k, (n + 1) ** 2)
    xn1 = xpow(n + 1)
    return (
        term(c, [xpow(n), LOG_X]),
        [term(Fraction(c, n + 1), [xn1, LOG_X]), term(Fraction(-c, (n + 1) ** 2), [xn1])],
        how,
    )


def _substitution(rng: random.Random, k: Knobs) -> Built:
    which = rng.randrange(7)
    a, b = rng.randint(1, k.max_k), _nz(rng, 9)
    if which <= 1:  # x cos(a x^2 + b), x sin(a x^2 + b)
        c = _coef(rng, k, 2 * a)
        arg = poly_arg(Poly((b, 0, a)))
        how = f"substitution $u = {arg[1]}$"
        if which == 0:
            return term(c, [X, func("cos", arg)]), [term(Fraction(c, 2 * a), [func("sin", arg)])], how
        return term(c, [X, func("sin", arg)]), [term(Fraction(-c, 2 * a), [func("cos", arg)])], how
    if which == 2:  # x e^{a x^2}
        a = rng.choice((-1, 1)) * a
        c = _coef(rng, k, 2 * a)
        arg = poly_arg(Poly((0, 0, a)))
        e = exp_f(arg)
        return term(c, [X, e]), [term(Fraction(c, 2 * a), [e])], f"substitution $u = {arg[1]}$"
    if which == 3:  # (a x + b)^n
        n = rng.randint(2, k.max_power)
        inner = Poly((_coprime(rng, a), a))
        c = _coef(rng, k, a * (n + 1))
        how = f"substitution $u = {inner.latex()}$"
        return term(c, [paren(inner, n)]), [term(Fraction(c, a * (n + 1)), [paren(inner, n + 1)])], how
    if which == 4:  # x (x^2 + b)^n
        n = rng.randint(1, min(4, k.max_power))
        inner = Poly((b, 0, 1))
        c = _coef(rng, k, 2 * (n + 1))
        how = f"substitution $u = {inner.latex()}$"
        return term(c, [X, paren(inner, n)]), [term(Fraction(c, 2 * (n + 1)), [paren(inner, n + 1)])], how
    if which == 5:  # x/(x^2 + b), b > 0, or 1/(a x + b)
        if rng.random() < 0.5:
            inner = Poly((abs(b), 0, 1))
            c = _coef(rng, k, 2)
            g = log_f(poly_arg(inner))
            return (
                term(c, [X], [paren(inner, bare_latex=True)]),
                [term(Fraction(c, 2), [g])],
                "substitution $u = x^{2} + " + f"{abs(b)}$",
            )
        inner = Poly((_coprime(rng, a), a))
        c = _coef(rng, k, a)
        g = log_f(poly_arg(inner))
        how = f"substitution $u = {inner.latex()}$"
        return term(c, [], [paren(inner, bare_latex=True)]), [term(Fraction(c, a), [g])], how
    n = rng.randint(1, 4)  # sin^n x cos x, cos^n x sin x, e^{sin x} cos x
    c = _coef(rng, k, n + 1)
    pick = rng.randrange(3)
    if pick == 0:
        s = func("sin", ("x", "x"), n)
        dc = func("cos", ("x", "x"))
        return (
            term(c, [s, dc]),
            [term(Fraction(c, n + 1), [func("sin", ("x", "x"), n + 1)])],
            "substitution $u = \\sin(x)$",
        )
    if pick == 1:
        co = func("cos", ("x", "x"), n)
        ds = func("sin", ("x", "x"))
        return (
            term(c, [co, ds]),
            [term(Fraction(-c, n + 1), [func("cos", ("x", "x"), n + 1)])],
            "substitution $u = \\cos(x)$",
        )
    c = _nz(rng, k.max_coef)
    e = exp_f(("sin(x)", "\\sin(x)"))
    return term(c, [func("cos", ("x", "x")), e]), [term(c, [e])], "substitution $u = \\sin(x)$"


BUILDERS = (_power, _elementary, _parts, _substitution)

QUESTIONS = (
    "Find $\\int {f}\\,dx$.",
    "Evaluate the indefinite integral $\\int {f}\\,dx$.",
    "Find an antiderivative of ${name}(x) = {g}$.",
    "Integrate ${g}$ with respect to $x$.",
    "Compute $\\int {f}\\,dx$.",
    "Let ${name}(x) = {g}$. Find a function whose derivative is ${name}(x)$.",
)
FORM = "Give one antiderivative; you may omit the constant of integration."


@family("indefinite_integral", kind="expression", category="calculus", levels=LEVELS)
def indefinite_integral(rng: random.Random, k: Knobs) -> Draft:
    """Find an antiderivative of a sum of power, trig, exp and log terms (parts and substitution higher up)."""
    parts: list[Built] = draw_distinct(rng, k, BUILDERS, k.template, k.terms)
    f_plain, f_latex = join([p[0] for p in parts])
    a_terms = merge([t for p in parts for t in p[1]])
    a_plain, a_latex = join(a_terms)
    wrapped = f"\\left({f_latex}\\right)" if len(parts) > 1 else f_latex
    question = rng.choice(QUESTIONS).format(f=wrapped, g=f_latex, name=rng.choice("fgh")) + " " + FORM
    steps = ["Integrate term by term."]
    for f_t, a_t, how in parts:
        steps.append(f"$\\int {one_latex(f_t)}\\,dx = {join(a_t)[1]} + C$ ({how}).")
    steps.append(f"So $\\int {wrapped}\\,dx = {a_latex} + C$; one antiderivative is ${a_latex}$.")
    answer = Answer(
        kind="expression",
        value=a_plain,
        latex=a_latex,
        spec={"variable": "x", "up_to_constant": True, "log_abs_optional": True},
    )
    return Draft(question, answer, steps, data={"integrand": f_plain, "variable": "x"})
