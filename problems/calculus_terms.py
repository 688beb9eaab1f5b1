"""Signed terms and exact closed-form numbers for the calculus families, without a CAS.

A term is `coef * prod(num) / prod(den)` where each factor is a (plain, latex)
pair: plain in sympy syntax (`x**2`, `sin(3*x)`, `exp(-x)`, `log(x)`, `(2*x + 1)**3`),
LaTeX as a worked solution writes it (`x^{2}`, `\\sin(3x)`, `e^{-x}`, `\\ln(x)`).
Factors must be atomic for `*` and `/` in plain text (parenthesise sums).

An exact number is a dict from a basis key to a rational coefficient: `ONE`,
`("pi", j)` for pi**j, `("E", n)` for E**n, `("log", q)` for log(q); it prints as
`pi**2/8 + 1`, `E - 1`, `3*log(2)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .mathtext import Rational, frac_latex, frac_plain, signed_join
from .poly import Poly

Factor = tuple[str, str]
Term = tuple[Rational, tuple[Factor, ...], tuple[Factor, ...]]


# ---- factors -------------------------------------------------------------------------------------------------


def xpow(n: int, var: str = "x") -> Factor:
    """var**n for n >= 1."""
    return (var, var) if n == 1 else (f"{var}**{n}", f"{var}^{{{n}}}")


def linear_arg(k: int, var: str = "x") -> tuple[str, str]:
    """k*var as (plain, latex), for function arguments."""
    if k == 1:
        return var, var
    if k == -1:
        return f"-{var}", f"-{var}"
    return f"{k}*{var}", f"{k}{var}"


def poly_arg(p: Poly, var: str = "x") -> tuple[str, str]:
    return p.plain(var), p.latex(var)


def func(name: str, arg: tuple[str, str], power: int = 1) -> Factor:
    """sin/cos/tan of an argument, optionally raised to a power (sin(x)**3, \\sin^{3}(x))."""
    plain = f"{name}({arg[0]})"
    if power == 1:
        return plain, f"\\{name}({arg[1]})"
    return f"{plain}**{power}", f"\\{name}^{{{power}}}({arg[1]})"


def exp_f(arg: tuple[str, str]) -> Factor:
    return f"exp({arg[0]})", f"e^{{{arg[1]}}}"


def log_f(arg: tuple[str, str]) -> Factor:
    return f"log({arg[0]})", f"\\ln({arg[1]})"


def sqrt_f(arg: tuple[str, str]) -> Factor:
    return f"sqrt({arg[0]})", f"\\sqrt{{{arg[1]}}}"


def paren(p: Poly, power: int = 1, var: str = "x", bare_latex: bool = False) -> Factor:
    """(p)**power; with bare_latex and power 1 the LaTeX has no parentheses: only for the lone numerator or
    denominator of a term whose coefficient is an integer (render() writes \\frac{top}{bottom})."""
    plain, latex = p.plain(var), p.latex(var)
    if power == 1:
        return f"({plain})", latex if bare_latex else f"({latex})"
    return f"({plain})**{power}", f"({latex})^{{{power}}}"


# ---- terms ---------------------------------------------------------------------------------------------------


def term(coef: Rational, num: Sequence[Factor] = (), den: Sequence[Factor] = ()) -> Term:
    return coef, tuple(num), tuple(den)


def render(t: Term) -> tuple[bool, str, str]:
    """(negative, plain magnitude, latex magnitude) of one term."""
    coef, num, den = t
    neg = coef < 0
    p, q = abs(coef.numerator), coef.denominator
    ntok = ([str(p)] if p != 1 or not num else []) + [f[0] for f in num]
    dtok = ([str(q)] if q != 1 else []) + [f[0] for f in den]
    plain = "*".join(ntok)
    if dtok:
        plain += "/" + (dtok[0] if len(dtok) == 1 else "(" + "*".join(dtok) + ")")
    nlatex = "".join(f[1] for f in num)
    if not den:
        if q == 1:
            latex = (str(p) if p != 1 or not num else "") + nlatex
        else:
            latex = f"\\frac{{{p}}}{{{q}}}{nlatex}"
        return neg, plain, latex
    top = (str(p) if p != 1 or not num else "") + nlatex
    bottom = (str(q) if q != 1 else "") + "".join(f[1] for f in den)
    return neg, plain, f"\\frac{{{top}}}{{{bottom}}}"


def term_key(t: Term) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(f[0] for f in t[1]), tuple(f[0] for f in t[2])


def merge(terms: Sequence[Term]) -> list[Term]:
    """Collect like terms (same factors), keeping first-appearance order; drop zeros."""
    order: list[tuple] = []
    acc: dict[tuple, list] = {}
    for t in terms:
        key = term_key(t)
        if key in acc:
            acc[key][0] += t[0]
        else:
            acc[key] = [t[0], t[1], t[2]]
            order.append(key)
    return [(acc[k][0], acc[k][1], acc[k][2]) for k in order if acc[k][0] != 0]


def join(terms: Sequence[Term]) -> tuple[str, str]:
    """A sum of terms as (plain, latex); '0' when empty."""
    rendered = [render(t) for t in terms]
    return signed_join([(n, p) for n, p, _ in rendered]), signed_join([(n, s) for n, _, s in rendered])


def one_latex(t: Term) -> str:
    neg, _, latex = render(t)
    return ("-" if neg else "") + latex


# ---- exact closed-form numbers -------------------------------------------------------------------------------

ONE = ("1", 0)
Exact = dict


def _basis_factor(key: tuple) -> tuple[Factor, ...]:
    name, arg = key
    if name == "1":
        return ()
    if name == "pi":
        return (("pi", "\\pi"),) if arg == 1 else ((f"pi**{arg}", f"\\pi^{{{arg}}}"),)
    if name == "E":  # the exponent may be a fraction: E**(3/2), e^{\\frac{3}{2}}
        if arg == 1:
            return (("E", "e"),)
        plain = f"E**{arg}" if arg > 0 and Fraction(arg).denominator == 1 else f"E**({frac_plain(arg)})"
        return ((plain, f"e^{{{frac_latex(arg)}}}"),)
    if name == "log":
        return (
            (f"log({frac_plain(arg)})", f"\\ln {arg}" if Fraction(arg).denominator == 1 else f"\\ln {frac_latex(arg)}"),
        )
    raise ValueError(key)


def _basis_order(key: tuple) -> tuple:
    name, arg = key
    rank = {"pi": 0, "E": 1, "log": 2, "1": 3}[name]
    return (rank, -arg if name in ("pi", "E") else Fraction(arg))


def add(total: Exact, key: tuple, coef: Rational) -> None:
    total[key] = total.get(key, 0) + coef


def exact_terms(total: Exact) -> list[Term]:
    keys = sorted((k for k, v in total.items() if v != 0), key=_basis_order)
    return [term(total[k], _basis_factor(k)) for k in keys]


def exact_text(total: Exact) -> tuple[str, str]:
    """(plain, latex) of an exact number; '0' when every coefficient vanishes."""
    return join(exact_terms(total))


def draw_distinct(rng, k, builders: Sequence, template: int, terms: int) -> list:
    """`terms` built terms: one of the level's top template class, the rest of any class up to it,
    shuffled, each redrawn (a bounded number of times) when it repeats an earlier term."""
    classes = [template] + [rng.randint(0, template) for _ in range(terms - 1)]
    rng.shuffle(classes)
    parts: list = []
    seen: set = set()
    for cls in classes:
        for _ in range(8):
            built = builders[cls](rng, k)
            key = term_key(built[0])
            if key not in seen:
                break
        seen.add(key)
        parts.append(built)
    return parts
