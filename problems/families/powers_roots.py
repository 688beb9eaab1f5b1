"""Powers and roots: integer powers, exact square and cube roots, zero and negative exponents,
laws of exponents and fractional exponents (rational answers), and surds: simplifying sums of
like surds, products and quotients of surds, and products of binomial surds (answers in
simplest radical form, such as 6*sqrt(2) or 7 + 4*sqrt(3)).
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..mathtext import frac_latex, frac_plain, split_square, surd_latex, surd_plain
from ..registry import Draft, Knobs, family
from ..types import Answer

# the `kinds` knob: the highest kind of item in use (rational kinds combine into sums; surd kinds stand alone)
POWER, ROOT, NEG_ZERO, SURD_SUM, LAWS, SURD_PRODUCT, FRACTIONAL, SURD_BINOMIAL = range(8)
_RATIONAL = (POWER, ROOT, NEG_ZERO, LAWS, FRACTIONAL)

# terms: pieces added or subtracted; max_base: largest base or root; cap: largest |power|; neg: negative bases
LEVELS = [
    dict(kinds=ROOT, terms=1, max_base=10, cap=1000, neg=0),
    dict(kinds=NEG_ZERO, terms=2, max_base=12, cap=10**4, neg=0),
    dict(kinds=SURD_SUM, terms=3, max_base=15, cap=10**4, neg=0),
    dict(kinds=LAWS, terms=3, max_base=15, cap=10**5, neg=1),
    dict(kinds=SURD_PRODUCT, terms=3, max_base=20, cap=10**5, neg=1),
    dict(kinds=FRACTIONAL, terms=3, max_base=20, cap=10**6, neg=1),
    dict(kinds=SURD_BINOMIAL, terms=4, max_base=25, cap=10**6, neg=1),
    dict(kinds=SURD_BINOMIAL, terms=4, max_base=30, cap=10**7, neg=1),
    dict(kinds=SURD_BINOMIAL, terms=5, max_base=40, cap=10**8, neg=1),
    dict(kinds=SURD_BINOMIAL, terms=6, max_base=50, cap=10**9, neg=1),
]

SQUAREFREE = tuple(n for n in range(2, 60) if split_square(n)[0] == 1)
NON_SQUARES = tuple(n for n in range(2, 101) if split_square(n)[1] > 1)
_EVAL = ("Evaluate ${}$.", "Compute ${}$.", "Find the value of ${}$.", "Calculate ${}$.")
_SIMPLIFY = ("Simplify ${}$.", "Write ${}$ in simplest radical form.", "Simplify ${}$ completely.")
_RATIONAL_TAIL = " Give the answer as an integer or a fraction in lowest terms."
_SURD_TAIL = " Give the answer in simplest radical form."


def _max_exp(a: int, cap: int) -> int:
    n, p = 1, abs(a)
    while p * abs(a) <= cap and n < 12:
        p *= abs(a)
        n += 1
    return n


def _piece(rng: random.Random, kind: int, k: Knobs) -> tuple[str, str, Fraction]:
    """One rational piece: (latex, sympy text, value)."""
    mb, cap, neg = k["max_base"], k["cap"], k["neg"]
    if kind == POWER:
        a = rng.randint(2, mb)
        n = rng.randint(2, max(2, _max_exp(a, cap)))
        if neg and rng.random() < 0.3:
            return f"(-{a})^{{{n}}}", f"(-{a})**{n}", Fraction((-a) ** n)
        return f"{a}^{{{n}}}", f"{a}**{n}", Fraction(a**n)
    if kind == ROOT:
        if rng.random() < 0.7:
            r = rng.randint(2, 2 * mb)
            return f"\\sqrt{{{r * r}}}", f"sqrt({r * r})", Fraction(r)
        r = rng.randint(2, min(mb, 12))
        if neg and rng.random() < 0.4:
            r = -r
        return f"\\sqrt[3]{{{r**3}}}", f"real_root({r**3}, 3)", Fraction(r)
    if kind == NEG_ZERO:
        u = rng.random()
        if u < 0.15:
            a = rng.randint(2, 10 * mb)
            return f"{a}^{{0}}", f"{a}**0", Fraction(1)
        if u < 0.6:
            a = rng.randint(2, mb)
            n = rng.randint(1, min(4, _max_exp(a, cap)))
            return f"{a}^{{-{n}}}", f"{a}**(-{n})", Fraction(1, a**n)
        p = rng.randint(1, 9)
        q = rng.randint(p + 1, 10)
        while Fraction(p, q).denominator != q:
            p -= 1
        n = rng.randint(1, 3)
        return f"\\left(\\frac{{{p}}}{{{q}}}\\right)^{{-{n}}}", f"({p}/{q})**(-{n})", Fraction(q, p) ** n
    if kind == LAWS:
        a = rng.randint(2, min(mb, 9))
        e = rng.randint(0, min(3, _max_exp(a, cap)))
        if rng.random() < 0.5:
            m, n = rng.randint(2, 9), rng.randint(2, 9)
            j = m + n - e
            return (
                f"\\frac{{{a}^{{{m}}} \\cdot {a}^{{{n}}}}}{{{a}^{{{j}}}}}",
                f"({a}**{m}*{a}**{n}/{a}**{j})",
                Fraction(a**e),
            )
        m, n = rng.randint(2, 4), rng.randint(2, 4)
        j = m * n - e
        return (
            f"\\frac{{\\left({a}^{{{m}}}\\right)^{{{n}}}}}{{{a}^{{{j}}}}}",
            f"(({a}**{m})**{n}/{a}**{j})",
            Fraction(a**e),
        )
    # FRACTIONAL: (r**q)**(p/q) = r**p
    q = 2 if rng.random() < 0.5 else 3
    r = rng.randint(2, 9 if q == 2 else 5)
    p = rng.choice((1, 2, 3) if q == 2 else (1, 2, 4))
    if p % q == 0:
        p = 1
    b = r**q
    value = Fraction(r**p)
    if neg and rng.random() < 0.4:
        return f"{b}^{{-\\frac{{{p}}}{{{q}}}}}", f"{b}**(-{p}/{q})", 1 / value
    return f"{b}^{{\\frac{{{p}}}{{{q}}}}}", f"{b}**({p}/{q})", value


def _wrap(latex: str) -> str:
    """A piece as an operand after + or -: parenthesise it if it starts with a sign."""
    return f"\\left({latex}\\right)" if latex.startswith("-") else latex


def _rational_item(rng: random.Random, kind: int, k: Knobs) -> tuple[str, str, Fraction, list[str]]:
    allowed = [c for c in _RATIONAL if c <= k["kinds"]]
    kinds = [kind] + [rng.choice(allowed) for _ in range(k["terms"] - 1)]
    rng.shuffle(kinds)
    latex, plain, steps, parts, total = [], [], [], [], Fraction(0)
    for i, c in enumerate(kinds):
        lt, pt, v = _piece(rng, c, k)
        if i:
            minus = rng.random() < 0.5
            op = " - " if minus else " + "
            latex.append(op)
            plain.append(op)
            parts.append(f"{op}{_wrap(frac_latex(v))}")
            total = total - v if minus else total + v
        else:
            parts.append(frac_latex(v))
            total = v
        latex.append(lt)
        plain.append(pt)
        steps.append(f"${lt} = {frac_latex(v)}$")
    if len(kinds) > 1:
        steps.append(f"Combine: ${''.join(parts)} = {frac_latex(total)}$")
    return "".join(latex), "".join(plain), total, steps


def _surd_text(c: int, r: int, latex: bool) -> str:
    """c*sqrt(r) (r > 1), c may be negative."""
    return surd_latex(c, r) if latex else surd_plain(c, r)


def _a_plus_b_root(a: Fraction, b: Fraction, r: int, latex: bool) -> str:
    """a + b*sqrt(r) (r squarefree > 1) in simplest form."""
    fr = frac_latex if latex else frac_plain
    if b == 0:
        return fr(a)
    s = surd_latex(abs(b), r) if latex else surd_plain(abs(b), r)
    if a == 0:
        return ("-" if b < 0 else "") + s
    return f"{fr(a)} {'-' if b < 0 else '+'} {s}"


def _surd_sum(rng: random.Random, k: Knobs) -> tuple[str, str, Fraction, Fraction, int, list[str]]:
    r = rng.choice([s for s in SQUAREFREE if s <= max(15, k["max_base"])])
    n = max(2, k["terms"])
    coefs = [rng.randint(1, 5) if rng.random() < 0.4 else 1 for _ in range(n)]
    mults = [rng.randint(1, max(3, 2 * k["max_base"] // 3)) for _ in range(n)]
    signs = [1] + [rng.choice((1, -1)) for _ in range(n - 1)]
    total = sum(s * c * m for s, c, m in zip(signs, coefs, mults))
    if total == 0:
        signs[-1] = -signs[-1]
        total = sum(s * c * m for s, c, m in zip(signs, coefs, mults))
    latex, plain, simp = [], [], []
    for i, (s, c, m) in enumerate(zip(signs, coefs, mults)):
        op = (" - " if s < 0 else " + ") if i else ""
        head = "" if c == 1 else str(c)
        latex.append(f"{op}{head}\\sqrt{{{m * m * r}}}")
        plain.append(f"{op}{'' if c == 1 else f'{c}*'}sqrt({m * m * r})")
        simp.append(f"{op}{_surd_text(c * m, r, True)}")
    steps = []
    for m in mults:
        if m > 1:
            steps.append(f"$\\sqrt{{{m * m * r}}} = \\sqrt{{{m * m} \\cdot {r}}} = {m}\\sqrt{{{r}}}$")
    steps.append(f"Collect the like surds: ${''.join(simp)} = {_surd_text(total, r, True)}$")
    return "".join(latex), "".join(plain), Fraction(0), Fraction(total), r, steps


def _surd_product(rng: random.Random, k: Knobs) -> tuple[str, str, Fraction, Fraction, int, list[str]]:
    top = max(20, 2 * k["max_base"])
    pool = [s for s in NON_SQUARES if s <= top]
    x, y = rng.choice(pool), rng.choice(pool)
    cx = rng.randint(1, 6) if rng.random() < 0.4 else 1
    cy = rng.randint(1, 6) if rng.random() < 0.4 else 1
    hx, hy = ("" if cx == 1 else str(cx)), ("" if cy == 1 else str(cy))
    px, py = ("" if cx == 1 else f"{cx}*"), ("" if cy == 1 else f"{cy}*")
    if rng.random() < 0.5:
        out, rad = split_square(x * y)
        coef = Fraction(cx * cy * out)
        latex = f"{hx}\\sqrt{{{x}}} \\cdot {hy}\\sqrt{{{y}}}"
        plain = f"{px}sqrt({x})*{py}sqrt({y})"
        steps = [f"${latex} = {cx * cy}\\sqrt{{{x * y}}}$"]
    else:
        out, rad = split_square(x * y)  # sqrt(x)/sqrt(y) = sqrt(x*y)/y
        coef = Fraction(cx * out, cy * y)
        latex = f"\\frac{{{hx}\\sqrt{{{x}}}}}{{{hy}\\sqrt{{{y}}}}}"
        plain = f"({px}sqrt({x}))/({py}sqrt({y}))"
        steps = [
            f"Rationalise the denominator: ${latex} = \\frac{{{hx}\\sqrt{{{x}}} \\cdot \\sqrt{{{y}}}}}"
            f"{{{hy}\\sqrt{{{y}}} \\cdot \\sqrt{{{y}}}}} = \\frac{{{cx}\\sqrt{{{x * y}}}}}{{{cy * y}}}$"
        ]
    if out > 1:
        steps.append(f"$\\sqrt{{{x * y}}} = {out}\\sqrt{{{rad}}}$" if rad > 1 else f"$\\sqrt{{{x * y}}} = {out}$")
    return latex, plain, Fraction(0), coef, rad, steps


def _surd_binomial(rng: random.Random, k: Knobs) -> tuple[str, str, Fraction, Fraction, int, list[str]]:
    r = rng.choice([s for s in SQUAREFREE if s <= max(10, k["max_base"] // 2)])
    lim = max(5, k["max_base"] // 3)
    a, b = rng.randint(-lim, lim), rng.choice((-1, 1)) * rng.randint(1, 5)
    u = rng.random()
    if u < 0.3:
        c, d = a, b  # a square
    elif u < 0.5:
        c, d = a, -b  # conjugates
    else:
        c, d = rng.randint(-lim, lim), rng.choice((-1, 1)) * rng.randint(1, 5)
    first, second = _a_plus_b_root(Fraction(a), Fraction(b), r, True), _a_plus_b_root(Fraction(c), Fraction(d), r, True)
    p1, p2 = _a_plus_b_root(Fraction(a), Fraction(b), r, False), _a_plus_b_root(Fraction(c), Fraction(d), r, False)
    if (a, b) == (c, d):
        latex, plain = f"\\left({first}\\right)^{{2}}", f"({p1})**2"
    else:
        latex, plain = f"\\left({first}\\right)\\left({second}\\right)", f"({p1})*({p2})"
    rat, coef = Fraction(a * c + b * d * r), Fraction(a * d + b * c)
    steps = [
        f"Expand: ${latex} = {a * c} + {a * d}\\sqrt{{{r}}} + {b * c}\\sqrt{{{r}}} + {b * d} \\cdot {r}$".replace(
            "+ -", "- "
        ),
        f"Collect the rational parts and the $\\sqrt{{{r}}}$ parts: ${_a_plus_b_root(rat, coef, r, True)}$",
    ]
    return latex, plain, rat, coef, r, steps


@family("powers_roots", kind="number", category="arithmetic", levels=LEVELS)
def powers_roots(rng: random.Random, k: Knobs) -> Draft:
    """Evaluate powers and roots (negative and fractional exponents) or simplify surds."""
    kind = rng.randint(POWER, k["kinds"])
    if kind in _RATIONAL:
        latex, plain, value, steps = _rational_item(rng, kind, k)
        question = rng.choice(_EVAL).format(latex) + (_RATIONAL_TAIL if k["kinds"] >= NEG_ZERO else "")
        answer = Answer(kind="number", value=frac_plain(value), latex=frac_latex(value))
    else:
        if kind == SURD_SUM:
            latex, plain, rat, coef, rad, steps = _surd_sum(rng, k)
        elif kind == SURD_PRODUCT:
            latex, plain, rat, coef, rad, steps = _surd_product(rng, k)
        else:
            latex, plain, rat, coef, rad, steps = _surd_binomial(rng, k)
        question = rng.choice(_SIMPLIFY).format(latex) + _SURD_TAIL
        if rad == 1:
            rat, coef = rat + coef, Fraction(0)
            rad = 2
        answer = Answer(
            kind="number",
            value=_a_plus_b_root(rat, coef, rad, False),
            latex=_a_plus_b_root(rat, coef, rad, True),
            spec={"form": "simplest_radical"},
        )
    return Draft(question, answer, steps, data={"expression": plain})
