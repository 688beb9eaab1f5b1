"""Definite integrals with exact values: polynomials over integer (or half-integer) bounds,
then exponentials, 1/x, trig over multiples of pi/2, parts and arctan at higher levels.

The antiderivative is a list of atoms coef * x^j * g(k x) with g in {1, sin, cos, exp,
log, atan}; each bound is chosen so that every atom evaluates to an exact number
(a rational combination of 1, pi^j, e^n and log q), printed like `pi**2/8 + 1` or `E - 1`.
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..calculus_terms import (
    ONE,
    Exact,
    Factor,
    Term,
    add,
    exact_text,
    exp_f,
    func,
    join,
    linear_arg,
    log_f,
    term,
    xpow,
)
from ..mathtext import frac_latex, frac_plain
from ..registry import Draft, Knobs, family
from ..types import Answer

POLY, EXP_RECIP, TRIG, SPECIAL = range(4)  # the kinds knob: the hardest integrand class used

LEVELS = [
    dict(kinds=POLY, terms=2, degree=1, max_coef=5, max_bound=3, half_bounds=0),
    dict(kinds=POLY, terms=2, degree=2, max_coef=6, max_bound=4, half_bounds=0),
    dict(kinds=POLY, terms=3, degree=3, max_coef=9, max_bound=5, half_bounds=0),
    dict(kinds=EXP_RECIP, terms=3, degree=3, max_coef=9, max_bound=5, half_bounds=0),
    dict(kinds=TRIG, terms=3, degree=3, max_coef=9, max_bound=5, half_bounds=0),
    dict(kinds=TRIG, terms=3, degree=4, max_coef=10, max_bound=6, half_bounds=0),
    dict(kinds=SPECIAL, terms=3, degree=4, max_coef=10, max_bound=6, half_bounds=0),
    dict(kinds=SPECIAL, terms=4, degree=4, max_coef=12, max_bound=6, half_bounds=0),
    dict(kinds=SPECIAL, terms=4, degree=4, max_coef=12, max_bound=6, half_bounds=1),
    dict(kinds=SPECIAL, terms=5, degree=5, max_coef=15, max_bound=6, half_bounds=1),
]

VARIABLES = ("x", "t", "u")
# A bound: ("q", r) is the rational r, ("pi", r) is r*pi, ("log", m) is ln m.
Bound = tuple[str, Fraction]
# An antiderivative atom: coef * var^j * g(k var); for atan, k is a in atan(var/a).
Atom = tuple[Fraction, int, str, int]
PI_BOUNDS = [Fraction(n, 2) for n in (-2, -1, 0, 1, 2, 3, 4)]


def _nz(rng: random.Random, m: int) -> int:
    return rng.choice((-1, 1)) * rng.randint(1, m)


# ---- evaluation of atoms at exact bounds ---------------------------------------------------------------------


def _sin_cos(g: str, halves: int) -> int:
    """sin or cos of halves * pi/2."""
    return (0, 1, 0, -1)[halves % 4] if g == "sin" else (1, 0, -1, 0)[halves % 4]


def _eval_atom(atom: Atom, bound: Bound, total: Exact, sign: int) -> None:
    coef, j, g, k = atom
    kind, r = bound
    c = sign * coef
    if kind == "log":  # only e^{k x} and c x (from a constant integrand) are evaluated at ln m
        if g == "exp":
            assert j == 0
            add(total, ONE, c * Fraction(r) ** k)
        else:
            assert g == "1" and j == 1
            if r != 1:
                add(total, ("log", r), c)
        return
    xj = r**j
    if kind == "pi":
        basis = ("pi", j) if j else ONE
        if g == "1":
            add(total, basis, c * xj)
        else:
            assert g in ("sin", "cos") and (2 * k * r).denominator == 1
            add(total, basis, c * xj * _sin_cos(g, int(2 * k * r)))
        return
    if g == "1":
        add(total, ONE, c * xj)
    elif g in ("sin", "cos"):
        assert r == 0
        add(total, ONE, c * xj * _sin_cos(g, 0))
    elif g == "exp":
        n = k * r
        assert n.denominator == 1
        add(total, ("E", int(n)) if n else ONE, c * xj)
    elif g == "log":
        assert r > 0
        if r != 1:
            add(total, ("log", r), c * xj)
    else:  # atan(r/k) with r/k in {-1, 0, 1}
        assert j == 0 and abs(r) in (0, k)
        add(total, ("pi", 1), c * Fraction(r, k) / 4)


def _evaluate(atoms: list[Atom], bound: Bound) -> Exact:
    total: Exact = {}
    for atom in atoms:
        _eval_atom(atom, bound, total, 1)
    return total


def _difference(at_hi: Exact, at_lo: Exact) -> Exact:
    """F(hi) - F(lo), with c ln(a) - c ln(b) written as c ln(a/b)."""
    total = dict(at_hi)
    for key, coef in at_lo.items():
        add(total, key, -coef)
    logs = [key for key, coef in total.items() if key[0] == "log" and coef]
    if len(logs) == 2 and total[logs[0]] == -total[logs[1]]:
        (_, a), (_, b) = logs
        c = total.pop(logs[0])
        del total[logs[1]]
        ratio = Fraction(a) / b
        if ratio < 1:
            ratio, c = 1 / ratio, -c
        add(total, ("log", ratio), c)
    return total


# ---- rendering -----------------------------------------------------------------------------------------------


def _g_factor(g: str, k: int, var: str) -> list[Factor]:
    if g == "1":
        return []
    if g in ("sin", "cos"):
        return [func(g, linear_arg(k, var))]
    if g == "exp":
        return [exp_f(linear_arg(k, var))]
    if g == "log":
        return [log_f((var, var))]
    arg = (var, var) if k == 1 else (f"{var}/{k}", f"\\frac{{{var}}}{{{k}}}")
    return [(f"atan({arg[0]})", f"\\arctan\\left({arg[1]}\\right)")]


def _atom_term(atom: Atom, var: str) -> Term:
    coef, j, g, k = atom
    return term(coef, ([xpow(j, var)] if j else []) + _g_factor(g, k, var))


def _bound_text(b: Bound) -> tuple[str, str]:
    kind, r = b
    if kind == "q":
        return frac_plain(r), frac_latex(r)
    if kind == "log":
        return ("0", "0") if r == 1 else (f"log({r})", f"\\ln {r}")
    if r == 0:
        return "0", "0"
    sign, r = ("-" if r < 0 else ""), abs(r)
    top = "\\pi" if r.numerator == 1 else f"{r.numerator}\\pi"
    latex = top if r.denominator == 1 else f"\\frac{{{top}}}{{{r.denominator}}}"
    plain = ("" if r.numerator == 1 else f"{r.numerator}*") + "pi" + ("" if r.denominator == 1 else f"/{r.denominator}")
    return sign + plain, sign + latex


# ---- integrands ----------------------------------------------------------------------------------------------


def _poly_part(rng: random.Random, n_terms: int, degree: int, max_coef: int, var: str) -> tuple[list[Term], list[Atom]]:
    powers = rng.sample(range(degree + 1), min(n_terms, degree + 1))
    terms, atoms = [], []
    for n in powers:
        c = _nz(rng, max_coef)
        terms.append(term(c, [xpow(n, var)] if n else []))
        atoms.append((Fraction(c, n + 1), n + 1, "1", 0))
    return terms, atoms


def _int_pair(rng: random.Random, lo: int, hi: int) -> tuple[int, int]:
    a, b = rng.sample(range(lo, hi + 1), 2)
    return min(a, b), max(a, b)


def _special(rng: random.Random, k: Knobs, kind: int, var: str) -> tuple[list[Term], list[Atom], Bound, Bound, int]:
    """One non-polynomial term, its antiderivative atoms, bounds, and the largest polynomial degree allowed with it."""
    c = _nz(rng, k.max_coef)
    X = (var, var)
    if kind == EXP_RECIP:
        if rng.random() < 0.5:
            kk = rng.choice((-2, -1, 1, 1, 2))
            a, b = _int_pair(rng, -2, 2)
            return [term(c, [exp_f(linear_arg(kk, var))])], [(Fraction(c, kk), 0, "exp", kk)], ("q", a), ("q", b), 3
        a, b = _int_pair(rng, 1, max(4, k.max_bound))
        return [term(c, [], [X])], [(Fraction(c), 0, "log", 1)], ("q", a), ("q", b), 3
    if kind == TRIG:
        if rng.random() < 0.25:  # e^{kx} over [ln a, ln b], with at most a constant beside it
            kk = rng.choice((-2, -1, 1, 1, 2, 3))
            a, b = _int_pair(rng, 1, 9)
            return [term(c, [exp_f(linear_arg(kk, var))])], [(Fraction(c, kk), 0, "exp", kk)], ("log", a), ("log", b), 0
        kk, g = rng.randint(1, 3), rng.choice(("sin", "cos"))
        lo, hi = sorted(rng.sample(PI_BOUNDS, 2))
        atom = (Fraction(-c, kk), 0, "cos", kk) if g == "sin" else (Fraction(c, kk), 0, "sin", kk)
        return [term(c, [func(g, linear_arg(kk, var))])], [atom], ("pi", lo), ("pi", hi), 2
    which = rng.randrange(4)
    if which == 0:  # x e^{kx}
        kk = rng.choice((-1, 1, 1, 2))
        a, b = rng.choice(((0, 1), (-1, 0), (-1, 1), (0, 2), (1, 2)))
        e = exp_f(linear_arg(kk, var))
        atoms = [(Fraction(c, kk), 1, "exp", kk), (Fraction(-c, kk * kk), 0, "exp", kk)]
        return [term(c, [X, e])], atoms, ("q", a), ("q", b), 3
    if which == 1:  # x sin kx, x cos kx
        kk, g = rng.randint(1, 2), rng.choice(("sin", "cos"))
        lo, hi = sorted(rng.sample(PI_BOUNDS, 2))
        if g == "sin":
            atoms = [(Fraction(-c, kk), 1, "cos", kk), (Fraction(c, kk * kk), 0, "sin", kk)]
        else:
            atoms = [(Fraction(c, kk), 1, "sin", kk), (Fraction(c, kk * kk), 0, "cos", kk)]
        return [term(c, [X, func(g, linear_arg(kk, var))])], atoms, ("pi", lo), ("pi", hi), 2
    if which == 2:  # ln x or x ln x over [1, m]
        m = rng.randint(2, 6)
        lg = log_f((var, var))
        if rng.random() < 0.5:
            return [term(c, [lg])], [(Fraction(c), 1, "log", 1), (Fraction(-c), 1, "1", 0)], ("q", 1), ("q", m), 3
        atoms = [(Fraction(c, 2), 2, "log", 1), (Fraction(-c, 4), 2, "1", 0)]
        return [term(c, [X, lg])], atoms, ("q", 1), ("q", m), 3
    a = rng.randint(1, 4)  # c/(x^2 + a^2) -> (c/a) atan(x/a)
    lo, hi = rng.choice(((0, a), (-a, a), (-a, 0)))
    den = (f"({var}**2 + {a * a})", f"{var}^{{2}} + {a * a}")
    return [term(c, [], [den])], [(Fraction(c, a), 0, "atan", a)], ("q", lo), ("q", hi), 3


def _poly_bounds(rng: random.Random, k: Knobs) -> tuple[Bound, Bound]:
    if k.half_bounds and rng.random() < 0.5:
        a, b = rng.sample(range(-2 * k.max_bound, 2 * k.max_bound + 1), 2)
        lo, hi = sorted((Fraction(a, 2), Fraction(b, 2)))
        return ("q", lo), ("q", hi)
    a, b = _int_pair(rng, -k.max_bound, k.max_bound)
    return ("q", a), ("q", b)


QUESTIONS = (
    "Evaluate $\\int_{{{lo}}}^{{{hi}}} {f}\\,d{v}$.",
    "Compute the definite integral $\\int_{{{lo}}}^{{{hi}}} {f}\\,d{v}$.",
    "Find the exact value of $\\int_{{{lo}}}^{{{hi}}} {f}\\,d{v}$.",
    "What is $\\int_{{{lo}}}^{{{hi}}} {f}\\,d{v}$?",
)


@family("definite_integral", kind="number", category="calculus", levels=LEVELS)
def definite_integral(rng: random.Random, k: Knobs) -> Draft:
    """Evaluate a definite integral exactly (polynomials, then exp, 1/x, trig, parts, arctan)."""
    var = rng.choice(VARIABLES)
    kind = k.kinds if rng.random() < 0.5 else rng.randint(POLY, k.kinds)
    if kind == POLY:
        terms, atoms = _poly_part(rng, k.terms, k.degree, k.max_coef, var)
        lo, hi = _poly_bounds(rng, k)
    else:
        s_terms, s_atoms, lo, hi, max_degree = _special(rng, k, kind, var)
        n_poly = k.terms - 1 if max_degree else 1  # beside e^{kx} over log bounds: one constant term
        p_terms, p_atoms = _poly_part(rng, n_poly, min(k.degree, max_degree), k.max_coef, var)
        order = rng.random() < 0.5
        terms = p_terms + s_terms if order else s_terms + p_terms
        atoms = p_atoms + s_atoms
    f_plain, f_latex = join(terms)
    if len(terms) > 1:
        f_latex = f"\\left({f_latex}\\right)"
    (lo_plain, lo_latex), (hi_plain, hi_latex) = _bound_text(lo), _bound_text(hi)
    at_hi, at_lo = _evaluate(atoms, hi), _evaluate(atoms, lo)
    value, latex = exact_text(_difference(at_hi, at_lo))
    template = rng.choice(QUESTIONS)
    question = template.format(lo=lo_latex, hi=hi_latex, f=f_latex, v=var)
    if "exact value" not in template:
        question += " Give the exact value."
    anti = join([_atom_term(a, var) for a in atoms])[1]
    steps = [
        f"An antiderivative is $F({var}) = {anti}$.",
        f"$F({hi_latex}) = {exact_text(at_hi)[1]}$ and $F({lo_latex}) = {exact_text(at_lo)[1]}$.",
        f"The integral is $F({hi_latex}) - F({lo_latex}) = {latex}$.",
    ]
    data = {"integrand": f_plain, "variable": var, "lower": lo_plain, "upper": hi_plain}
    return Draft(question, Answer(kind="number", value=value, latex=latex), steps, data=data)
