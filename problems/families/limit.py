"""Finite limits: direct substitution, removable discontinuities p(x)/q(x) sharing a chosen
factor (x - a), rational functions at infinity, standard limits (sin(ax)/x, (e^{ax} - 1)/x,
(1 - cos ax)/x^2, ...), conjugates (sqrt(x + d) - e)/(x - b), and (1 + a/x)^{bx} -> e^{ab}.

Every limit is built from its answer: the cancelled factor, the leading coefficients,
or the standard limit's closed form.
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..calculus_terms import exact_text
from ..mathtext import frac_latex, frac_plain
from ..poly import Poly
from ..registry import Draft, Knobs, family
from ..types import Answer

SUBSTITUTION, REMOVABLE, INFINITY, STANDARD, CONJUGATE, EXP_LIMIT = range(6)  # the kinds knob

LEVELS = [
    dict(kinds=REMOVABLE, degree=1, max_coef=5, max_point=5),
    dict(kinds=REMOVABLE, degree=1, max_coef=9, max_point=6),
    dict(kinds=INFINITY, degree=2, max_coef=9, max_point=6),
    dict(kinds=STANDARD, degree=2, max_coef=9, max_point=8),
    dict(kinds=CONJUGATE, degree=2, max_coef=12, max_point=8),
    dict(kinds=EXP_LIMIT, degree=2, max_coef=12, max_point=9),
    dict(kinds=EXP_LIMIT, degree=3, max_coef=12, max_point=9),
    dict(kinds=EXP_LIMIT, degree=3, max_coef=15, max_point=10),
    dict(kinds=EXP_LIMIT, degree=3, max_coef=20, max_point=12),
    dict(kinds=EXP_LIMIT, degree=4, max_coef=25, max_point=15),
]

VARIABLES = ("x", "t", "u", "s")

# What a limit kind builds: plain expression, latex expression, point (plain, latex), answer (Fraction or
# ("E", n)), worked steps.
Built = tuple[str, str, tuple[str, str], object, list[str]]


def _nz(rng: random.Random, m: int) -> int:
    return rng.choice((-1, 1)) * rng.randint(1, m)


def _lin(k: int, v: str) -> tuple[str, str]:
    """k*v in plain and latex."""
    if k == 1:
        return v, v
    if k == -1:
        return f"-{v}", f"-{v}"
    return f"{k}*{v}", f"{k}{v}"


def _factored(lead: int, roots: list[int], v: str) -> str:
    """lead (v - r1)(v - r2)... in LaTeX."""
    head = "" if lead == 1 else ("-" if lead == -1 else str(lead))
    if not roots:
        return str(lead)
    return head + "".join(f"({Poly((-r, 1)).latex(v)})" for r in roots)


def _frac_poly(num: Poly, den: Poly, v: str) -> tuple[str, str]:
    return f"({num.plain(v)})/({den.plain(v)})", f"\\frac{{{num.latex(v)}}}{{{den.latex(v)}}}"


def _substitution(rng: random.Random, k: Knobs, v: str) -> Built:
    a = rng.randint(-k.max_point, k.max_point)
    num = Poly([rng.randint(-k.max_coef, k.max_coef) for _ in range(k.degree + 1)] + [_nz(rng, 5)])
    if rng.random() < 0.5:
        value = num(a)
        steps = [f"The polynomial is continuous, so substitute ${v} = {a}$: the limit is ${frac_latex(value)}$."]
        return num.plain(v), f"\\left({num.latex(v)}\\right)", (str(a), str(a)), Fraction(value), steps
    den = Poly((rng.choice([c for c in range(-9, 10) if c != -a]), 1))  # v + c with c != -a, so den(a) != 0
    value = Fraction(num(a), den(a))
    plain, latex = _frac_poly(num, den, v)
    steps = [
        f"The denominator is ${den(a)} \\neq 0$ at ${v} = {a}$, so the function is continuous there.",
        f"Substitute: $\\frac{{{num(a)}}}{{{den(a)}}} = {frac_latex(value)}$.",
    ]
    return plain, latex, (str(a), str(a)), value, steps


def _removable(rng: random.Random, k: Knobs, v: str) -> Built:
    a = rng.randint(-k.max_point, k.max_point)
    m = k.max_point
    dp, dq = rng.randint(0, k.degree), rng.randint(0, k.degree)
    if dp + dq < min(2, k.degree):  # at least two factors besides (v - a) once quadratics are allowed
        dp, dq = (dp + 1, dq) if rng.random() < 0.5 else (dp, dq + 1)
    if dp == dq == 0:
        dp = 1
    p_roots = [rng.randint(-m, m) for _ in range(dp)]
    q_roots = [rng.choice([r for r in range(-m, m + 1) if r != a]) for _ in range(dq)]
    p_lead, q_lead = _nz(rng, 4), rng.randint(1, 4)
    p1, q1 = Poly.from_roots(p_roots, p_lead), Poly.from_roots(q_roots, q_lead)
    factor = Poly((-a, 1))
    num, den = factor * p1, factor * q1
    value = Fraction(p1(a)) / Fraction(q1(a))
    plain, latex = _frac_poly(num, den, v)
    cancelled = f"\\frac{{{p1.latex(v)}}}{{{q1.latex(v)}}}"
    steps = [
        f"Substituting ${v} = {a}$ gives $\\frac{{0}}{{0}}$, so ${factor.latex(v)}$ is a factor of both parts.",
        f"Factor: numerator $= {_factored(p_lead, [a] + p_roots, v)}$, denominator $= {_factored(q_lead, [a] + q_roots, v)}$.",
        f"Cancel $({factor.latex(v)})$: for ${v} \\neq {a}$ the function equals ${cancelled}$.",
        f"Substitute ${v} = {a}$: $\\frac{{{p1(a)}}}{{{q1(a)}}} = {frac_latex(value)}$.",
    ]
    return plain, latex, (str(a), str(a)), value, steps


def _infinity(rng: random.Random, k: Knobs, v: str) -> Built:
    sign = -1 if rng.random() < 0.3 else 1
    point = ("oo", "\\infty") if sign > 0 else ("-oo", "-\\infty")
    dq = rng.randint(1, k.degree + 1)
    if k.degree >= 2 and rng.random() < 0.25:  # sqrt(a^2 v^2 + b v + c)/(d v + e) -> sign * a/d
        a, d = rng.randint(1, 9), _nz(rng, k.max_coef)
        b, c, e = rng.randint(-k.max_coef, k.max_coef), rng.randint(1, k.max_coef), rng.randint(-9, 9)
        inner, den = Poly((c, b, a * a)), Poly((e, d))
        value = Fraction(sign * a, d)
        plain = f"sqrt({inner.plain(v)})/({den.plain(v)})"
        latex = f"\\frac{{\\sqrt{{{inner.latex(v)}}}}}{{{den.latex(v)}}}"
        steps = [
            f"For large $|{v}|$, $\\sqrt{{{inner.latex(v)}}} = |{v}|\\sqrt{{{a * a} + \\cdots}} \\approx {a}|{v}|$.",
            f"As ${v} \\to {point[1]}$, $|{v}| = {'' if sign > 0 else '-'}{v}$, so the limit is "
            f"$\\frac{{{sign * a}}}{{{d}}} = {frac_latex(value)}$.",
        ]
        return plain, latex, point, value, steps
    dp = dq if rng.random() < 0.7 else rng.randint(0, dq - 1)
    num = Poly([rng.randint(-k.max_coef, k.max_coef) for _ in range(dp)] + [_nz(rng, k.max_coef)])
    den = Poly([rng.randint(-k.max_coef, k.max_coef) for _ in range(dq)] + [_nz(rng, k.max_coef)])
    plain, latex = _frac_poly(num, den, v)
    if dp == dq:
        value = Fraction(num.c[-1], den.c[-1])
        steps = [
            f"Numerator and denominator both have degree {dq}; divide both by ${v}^{{{dq}}}$."
            if dq > 1
            else f"Numerator and denominator both have degree 1; divide both by ${v}$.",
            f"Every other term tends to 0, so the limit is the ratio of leading coefficients "
            f"$\\frac{{{num.c[-1]}}}{{{den.c[-1]}}} = {frac_latex(value)}$.",
        ]
    else:
        value = Fraction(0)
        steps = [
            f"The numerator has degree {dp}, less than the denominator's degree {dq}.",
            f"Dividing both by ${v}^{{{dq}}}$, the numerator tends to 0 and the denominator to {den.c[-1]}, so the limit is 0.",
        ]
    return plain, latex, point, value, steps


def _standard(rng: random.Random, k: Knobs, v: str) -> Built:
    """Limits at 0 built on sin y ~ tan y ~ ln(1 + y) ~ e^y - 1 ~ y and 1 - cos y ~ y^2/2."""
    m = k.max_coef
    a, b, c = rng.randint(1, m), _nz(rng, m), _nz(rng, m)
    d = rng.choice((0, _nz(rng, m), _nz(rng, m)))
    av, bv, cv = _lin(a, v), _lin(b, v), _lin(c, v)
    which = rng.randrange(5)
    name = rng.choice(("sin", "tan", "log"))
    f_plain = f"{name}({av[0]})" if name != "log" else f"log(1 + {av[0]})"
    f_latex = f"\\{name}({av[1]})" if name != "log" else f"\\ln(1 + {av[1]})"
    std = {"sin": "\\sin y", "tan": "\\tan y", "log": "\\ln(1 + y)"}[name]
    use = f"Use $\\lim_{{y \\to 0}} \\frac{{{std}}}{{y}} = 1$: ${f_latex} \\approx {av[1]}$ for small ${v}$."
    extra_p = f" + ({_lin(d, v)[0]})" if d else ""
    extra_l = (f" + {_lin(d, v)[1]}" if d > 0 else f" - {_lin(-d, v)[1]}") if d else ""
    if which == 0:  # (f(a v) + d v)/(c v) -> (a + d)/c
        value = Fraction(a + d, c)
        plain, latex = f"({f_plain}{extra_p})/({cv[0]})", f"\\frac{{{f_latex}{extra_l}}}{{{cv[1]}}}"
        steps = [
            use,
            f"The numerator behaves like $({a + d}){v}$, so the limit is $\\frac{{{a + d}}}{{{c}}} = {frac_latex(value)}$.",
        ]
    elif which == 1:  # f(a v)/(c v + b v^2) -> a/c
        den = Poly((0, c, b))
        value = Fraction(a, c)
        plain, latex = f"{f_plain}/({den.plain(v)})", f"\\frac{{{f_latex}}}{{{den.latex(v)}}}"
        steps = [
            use,
            f"The denominator is ${v}({Poly((c, b)).latex(v)})$, which behaves like ${cv[1]}$; the limit is ${frac_latex(value)}$.",
        ]
    elif which == 2:  # (e^{a v} - e^{b v})/(c v) -> (a - b)/c
        b = rng.choice([n for n in range(-m, m + 1) if n != a])
        e1 = (f"exp({av[0]})", f"e^{{{av[1]}}}")
        e2 = ("1", "1") if b == 0 else (f"exp({_lin(b, v)[0]})", f"e^{{{_lin(b, v)[1]}}}")
        plain, latex = f"({e1[0]} - {e2[0]})/({cv[0]})", f"\\frac{{{e1[1]} - {e2[1]}}}{{{cv[1]}}}"
        value = Fraction(a - b, c)
        steps = [
            f"Use $e^{{y}} - 1 \\approx y$ for small $y$: $e^{{{av[1]}}} - {e2[1]} \\approx {av[1]} - ({_lin(b, v)[1] if b else '0'})$.",
            f"So the numerator behaves like $({a - b}){v}$ and the limit is $\\frac{{{a - b}}}{{{c}}} = {frac_latex(value)}$.",
        ]
    elif which == 3:  # (1 - cos(a v) + d v^2)/(b v^2) -> (a^2/2 + d)/b
        top_p = f"1 - cos({av[0]})" + (f" + ({d})*{v}**2" if d else "")
        top_l = f"1 - \\cos({av[1]})" + ((f" + {d}{v}^{{2}}" if d > 0 else f" - {-d}{v}^{{2}}") if d else "")
        den = Poly((0, 0, b))
        plain, latex = f"({top_p})/({den.plain(v)})", f"\\frac{{{top_l}}}{{{den.latex(v)}}}"
        value = (Fraction(a * a, 2) + d) / b
        steps = [
            f"Use $1 - \\cos y \\approx \\frac{{y^2}}{{2}}$: $1 - \\cos({av[1]}) \\approx \\frac{{{a * a}}}{{2}}{v}^{{2}}$.",
            f"The numerator behaves like $({frac_latex(Fraction(a * a, 2) + d)}){v}^{{2}}$, so the limit is ${frac_latex(value)}$.",
        ]
    else:  # (sin(a v) + d v)/g(b v) with g = sin or tan -> (a + d)/b
        g = rng.choice(("sin", "tan"))
        plain = f"(sin({av[0]}){extra_p})/{g}({bv[0]})"
        latex = f"\\frac{{\\sin({av[1]}){extra_l}}}{{\\{g}({bv[1]})}}"
        value = Fraction(a + d, b)
        steps = [
            f"For small ${v}$, $\\sin({av[1]}) \\approx {av[1]}$ and $\\{g}({bv[1]}) \\approx {bv[1]}$.",
            f"So the limit is $\\frac{{{a + d}}}{{{b}}} = {frac_latex(value)}$.",
        ]
    return plain, latex, ("0", "0"), value, steps


def _conjugate(rng: random.Random, k: Knobs, v: str) -> Built:
    e, m, c = rng.randint(1, 12), rng.randint(1, 4), _nz(rng, 5)
    b = rng.randint(-k.max_point, k.max_point)
    d = e * e - m * b  # m b + d = e^2
    inner = Poly((d, m))
    diff = Poly((-c * b, c))  # c (v - b)
    root = f"sqrt({inner.plain(v)})", f"\\sqrt{{{inner.latex(v)}}}"
    flip = rng.random() < 0.3
    top_p, top_l = f"{root[0]} - {e}", f"{root[1]} - {e}"
    if flip:
        plain, latex = f"({diff.plain(v)})/({top_p})", f"\\frac{{{diff.latex(v)}}}{{{top_l}}}"
        value = Fraction(2 * e * c, m)
        left = f"$\\frac{{{c}({root[1]} + {e})}}{{{m}}}$"
    else:
        plain, latex = f"({top_p})/({diff.plain(v)})", f"\\frac{{{top_l}}}{{{diff.latex(v)}}}"
        value = Fraction(m, 2 * e * c)
        left = f"$\\frac{{{m}}}{{{c}({root[1]} + {e})}}$"
    steps = [
        f"Multiply by the conjugate: $({top_l})({root[1]} + {e}) = {inner.latex(v)} - {e * e} = "
        f"{(inner - Poly((e * e,))).latex(v)} = {m}({Poly((-b, 1)).latex(v)})$.",
        f"The factor ${Poly((-b, 1)).latex(v)}$ cancels, leaving {left}; at ${v} = {b}$ the root is ${e}$.",
        f"The limit is ${frac_latex(value)}$.",
    ]
    return plain, latex, (str(b), str(b)), value, steps


def _exp_limit(rng: random.Random, k: Knobs, v: str) -> Built:
    a, b, c = _nz(rng, max(6, k.max_coef // 2)), _nz(rng, 6), rng.randint(1, 5)
    d = rng.choice((0, rng.randint(-9, 9), rng.randint(-9, 9)))  # a lower-order term that does not change the limit
    n = Fraction(a * b, c)  # the limit is e^n
    which = rng.randrange(3)
    bv = _lin(b, v)
    cv = _lin(c, v)
    if which == 0:  # (1 + a/(c v + d))^(b v) at oo
        sign = "+" if a > 0 else "-"
        den = Poly((d, c))
        plain = f"(1 {sign} {abs(a)}/({den.plain(v)}))**({bv[0]})"
        latex = f"\\left(1 {sign} \\frac{{{abs(a)}}}{{{den.latex(v)}}}\\right)^{{{bv[1]}}}"
        point = ("oo", "\\infty")
        how = (
            f"with $y = {den.latex(v)}$, $\\left(1 + \\frac{{{a}}}{{y}}\\right)^{{y}} \\to e^{{{a}}}$ and the exponent "
            f"${bv[1]}$ behaves like ${frac_latex(Fraction(b, c))}y$"
        )
    elif which == 1:  # (1 + a v + d v^2)^(b/(c v)) at 0
        base = Poly((1, a, d))
        plain = f"({base.plain(v)})**({b}/({cv[0]}))"
        latex = f"\\left({base.latex(v)}\\right)^{{\\frac{{{b}}}{{{cv[1]}}}}}"
        point = ("0", "0")
        how = (
            f"$\\ln\\left({base.latex(v)}\\right) \\approx {_lin(a, v)[1]}$ for small ${v}$, so "
            f"$\\left({base.latex(v)}\\right)^{{1/{v}}} \\to e^{{{a}}}$, and the exponent is "
            f"${frac_latex(Fraction(b, c))} \\cdot \\frac{{1}}{{{v}}}$"
        )
    else:  # ((c v + p)/(c v + q))^(b v) at oo, with p - q = a
        q = rng.randint(-9, 9)
        p = q + a
        top, bot = Poly((p, c)), Poly((q, c))
        plain = f"(({top.plain(v)})/({bot.plain(v)}))**({bv[0]})"
        latex = f"\\left(\\frac{{{top.latex(v)}}}{{{bot.latex(v)}}}\\right)^{{{bv[1]}}}"
        point = ("oo", "\\infty")
        how = (
            f"$\\frac{{{top.latex(v)}}}{{{bot.latex(v)}}} = 1 + \\frac{{{a}}}{{{bot.latex(v)}}}$ and "
            f"$\\left(1 + \\frac{{{a}}}{{y}}\\right)^{{y}} \\to e^{{{a}}}$ with $y = {bot.latex(v)}$; the exponent is "
            f"about ${frac_latex(Fraction(b, c))}y$"
        )
    value = ("E", n)
    steps = [
        f"Use $\\left(1 + \\frac{{a}}{{y}}\\right)^{{y}} \\to e^{{a}}$ as $y \\to \\infty$: {how}.",
        f"So the limit is $e^{{({a}) \\cdot ({frac_latex(Fraction(b, c))})}} = e^{{{frac_latex(n)}}}$.",
    ]
    return plain, latex, point, value, steps


BUILDERS = (_substitution, _removable, _infinity, _standard, _conjugate, _exp_limit)

QUESTIONS = (
    "Evaluate $\\lim_{{{v} \\to {a}}} {f}$.",
    "Find $\\lim_{{{v} \\to {a}}} {f}$.",
    "Compute the limit $\\lim_{{{v} \\to {a}}} {f}$.",
    "What is $\\lim_{{{v} \\to {a}}} {f}$?",
    "Determine $\\lim_{{{v} \\to {a}}} {f}$.",
    "Calculate the value of $\\lim_{{{v} \\to {a}}} {f}$.",
)


@family("limit", kind="number", category="calculus", levels=LEVELS)
def limit(rng: random.Random, k: Knobs) -> Draft:
    """Evaluate a finite limit: removable discontinuities, rational functions at infinity, standard limits."""
    v = rng.choice(VARIABLES)
    kind = rng.randint(SUBSTITUTION, k.kinds)
    plain, latex, point, value, steps = BUILDERS[kind](rng, k, v)
    if isinstance(value, tuple):
        ans_plain, ans_latex = exact_text({value: 1})
    else:
        ans_plain, ans_latex = frac_plain(value), frac_latex(value)
    question = rng.choice(QUESTIONS).format(v=v, a=point[1], f=latex) + " Give the exact value."
    data = {"expression": plain, "variable": v, "point": point[0]}
    return Draft(question, Answer(kind="number", value=ans_plain, latex=ans_latex), steps, data=data)
