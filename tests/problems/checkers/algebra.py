"""Checkers for the algebra families (quadratic has its own file).

Each one recomputes or verifies the gold answer from `problem.meta["data"]` with
sympy or exact arithmetic, independently of the generator's code.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import sympy
from sympy.parsing.sympy_parser import parse_expr

from reasonrl.problems import Problem

from . import checker
from .sympy_helpers import parse


def _sym(name: str) -> sympy.Symbol:
    return sympy.Symbol(name)


def _parse_all(texts: list[str], *names: str) -> list:
    """Parse several trusted strings in one sympy call (parse_expr has a large fixed cost)."""
    return parse("[" + ", ".join(f"({t})" for t in texts) + "]", **{n: _sym(n) for n in names})


def _fr(r) -> Fraction:
    """A sympy (or Python) rational as a Fraction."""
    r = sympy.Rational(r)
    return Fraction(int(r.p), int(r.q))


def _coeffs(expr: sympy.Expr, x: sympy.Symbol) -> dict[int, sympy.Rational]:
    """{power: coefficient} of an expanded polynomial in x with rational coefficients (no expand call)."""
    out: dict[int, sympy.Rational] = {}
    for term, c in expr.as_coefficients_dict().items():
        if term == 1:
            k = 0
        elif term == x:
            k = 1
        else:
            assert term.is_Pow and term.base == x and term.exp.is_Integer and term.exp > 1, f"not a polynomial: {expr}"
            k = int(term.exp)
        assert c.is_Rational
        out[k] = out.get(k, 0) + c
    return out


def _poly(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Poly:
    c = _coeffs(expr, x)
    return sympy.Poly([c.get(k, 0) for k in range(max(c, default=0), -1, -1)], x, domain="QQ")


def _rat_latex(r: sympy.Rational) -> str:
    r = sympy.Rational(r)
    if r.q == 1:
        return str(r.p)
    return ("-" if r < 0 else "") + f"\\frac{{{abs(r.p)}}}{{{r.q}}}"


# ---------------------------------------------------------------- linear_equation


@checker("linear_equation")
def check_linear_equation(p: Problem) -> None:
    d = p.meta["data"]
    v = d["variable"]
    assert p.answer.spec == {"variable": v}
    x = _sym(v)
    lhs, rhs, sols = _parse_all([d["lhs"], d["rhs"], p.answer.value], v)
    eq = sympy.expand(lhs - rhs)
    slope, const = eq.coeff(x, 1), eq.coeff(x, 0)
    assert slope.is_Rational and slope != 0 and const.is_Rational, f"not linear in {v}: {eq}"
    assert eq == slope * x + const
    assert isinstance(sols, set) and len(sols) == 1
    (s,) = sols
    assert s.is_Rational
    assert s == -const / slope, f"{s} does not solve {eq} = 0"
    assert p.answer.latex == _rat_latex(s)


# ---------------------------------------------------------------- intervals (linear and quadratic inequalities)

_RELS = {"<": lambda a: a < 0, "<=": lambda a: a <= 0, ">": lambda a: a > 0, ">=": lambda a: a >= 0}


def _interval_ends(text: str) -> tuple[list[str], list[str]]:
    """'(-oo, 2) U [3, oo)' -> the pieces and their 'lo, hi' texts (EmptySet and Reals too)."""
    if text == "EmptySet":
        return [], []
    if text == "Reals":
        return ["(-oo, oo)"], ["-oo, oo"]
    pieces = text.split(" U ")
    for piece in pieces:
        assert piece[0] in "([" and piece[-1] in ")]" and piece.count(",") == 1, f"bad interval {piece!r}"
    return pieces, [piece[1:-1] for piece in pieces]


def _intervals(pieces: list[str], ends: list) -> list[tuple[sympy.Expr, bool, sympy.Expr, bool]]:
    """The parsed pieces as (lo, lo_closed, hi, hi_closed), checked to be ordered and disjoint."""
    out = [(lo, piece[0] == "[", hi, piece[-1] == "]") for piece, (lo, hi) in zip(pieces, ends)]
    for (_, _, hi, hc), (lo2, lc2, _, _) in zip(out, out[1:]):
        assert hi < lo2 or (hi == lo2 and not hc and not lc2), f"pieces out of order or overlapping: {pieces}"
    for lo, lc, hi, hc in out:
        assert lo < hi, f"empty or reversed piece: {pieces}"
        assert not (lc and lo.is_infinite) and not (hc and hi.is_infinite), f"closed at infinity: {pieces}"
    return out


@lru_cache(maxsize=4096)
def _float(e: sympy.Expr) -> float:
    return float(e)


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Exact equality of two real algebraic numbers, with a float filter first."""
    return abs(_float(a) - _float(b)) < 1e-9 and sympy.expand(a - b) == 0


def _inside(pt: sympy.Expr, pieces) -> bool:
    """Membership of pt in the union: exact at an endpoint, by floats elsewhere (or exactly for rationals)."""
    f = _float(pt)
    for lo, lc, hi, hc in pieces:
        if pt.is_Rational and lo.is_Rational | lo.is_infinite and hi.is_Rational | hi.is_infinite:
            left, right = lo < pt or (lc and lo == pt), pt < hi or (hc and hi == pt)
        else:
            left = (lc and _same(lo, pt)) if abs(_float(lo) - f) < 1e-9 else _float(lo) < f
            right = (hc and _same(hi, pt)) if abs(_float(hi) - f) < 1e-9 else f < _float(hi)
        if left and right:
            return True
    return False


def _horner(coeffs, pt):
    acc = sympy.Integer(0)
    for c in coeffs:
        acc = acc * pt + c
    return acc


def _value(coeffs, pt, exact: bool):
    """The polynomial at pt: exact at critical points, else a float well away from zero."""
    if pt.is_Rational:
        return _horner(coeffs, pt)
    if exact:
        return sympy.expand(_horner(coeffs, pt))
    v = float(_horner([float(c) for c in coeffs], float(pt)))
    assert abs(v) > 1e-9, f"probe {pt} is too close to a root"
    return v


def _check_truth_set(conds, critical: list[sympy.Expr], pieces) -> None:
    """Truth of all `conds` (coefficients of g highest power first, rel: g rel 0) is piecewise constant
    between the critical points (the roots of the g's), so comparing it with membership in the answer at
    every critical point and endpoint, between them and beyond them decides the answer."""
    pts = sorted(set(critical) | {e for lo, _, hi, _ in pieces for e in (lo, hi) if e.is_finite}, key=_float)
    probes = [(pt, True) for pt in pts] + [((a + b) / 2, False) for a, b in zip(pts, pts[1:])]
    probes += [(pts[0] - 1, False), (pts[-1] + 1, False)] if pts else [(sympy.Integer(0), False)]
    for pt, exact in probes:
        truth = all(_RELS[rel](_value(g, pt, exact)) for g, rel in conds)
        assert truth == _inside(pt, pieces), f"at {pt}: the inequality is {truth}, the answer says {not truth}"


@checker("linear_inequality")
def check_linear_inequality(p: Problem) -> None:
    d = p.meta["data"]
    x = _sym(d["variable"])
    assert p.answer.spec == {"variable": d["variable"]}
    pieces, ends = _interval_ends(p.answer.value)
    rows = d["inequalities"]
    parsed = _parse_all([f"({lhs}) - ({rhs})" for lhs, _, rhs in rows] + ends, d["variable"])
    conds, critical = [], []
    for (_, rel, _), g in zip(rows, parsed):
        g = sympy.expand(g)
        slope, const = g.coeff(x, 1), g.coeff(x, 0)
        assert slope.is_Rational and slope != 0 and g == slope * x + const, f"not linear: {g}"
        conds.append(((slope, const), rel))
        critical.append(-const / slope)
    _check_truth_set(conds, critical, _intervals(pieces, parsed[len(rows) :]))


# ---------------------------------------------------------------- linear_system


@checker("linear_system")
def check_linear_system(p: Problem) -> None:
    d = p.meta["data"]
    names = d["variables"]
    assert p.answer.spec == {"variables": names}
    syms = [_sym(n) for n in names]
    *eqs, sol = _parse_all([f"({lhs}) - ({rhs})" for lhs, rhs in d["equations"]] + [p.answer.value], *names)
    assert isinstance(sol, tuple) and len(sol) == len(names) == len(eqs)
    assert all(s.is_Rational for s in sol)
    rows = []
    for eq in eqs:
        terms = eq.as_coefficients_dict()  # the parse already distributes numeric factors
        assert set(terms) <= {*syms, sympy.S.One}, f"not linear: {eq}"
        assert all(c.is_Rational for c in terms.values())
        coeffs = [_fr(terms[s]) for s in syms]
        assert sum(c * _fr(v) for c, v in zip(coeffs, sol)) + _fr(terms[sympy.S.One]) == 0, f"{sol} does not solve {eq}"
        rows.append(coeffs)
    assert _gauss_det(rows) != 0, "the system has no unique solution"


def _gauss_det(rows: list[list[Fraction]]) -> Fraction:
    """Determinant by Gaussian elimination with exact fractions."""
    m = [list(r) for r in rows]
    n, total = len(m), Fraction(1)
    for c in range(n):
        pivot = next((r for r in range(c, n) if m[r][c] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != c:
            m[c], m[pivot] = m[pivot], m[c]
            total = -total
        total *= m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            m[r] = [a - f * b for a, b in zip(m[r], m[c])]
    return total


# ---------------------------------------------------------------- polynomial_roots


def _divide(num: list[Fraction], den: list[Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    """Polynomial long division, coefficients highest power first: (quotient, remainder)."""
    num = list(num)
    quot = []
    while len(num) >= len(den):
        f = num[0] / den[0]
        quot.append(f)
        num = [a - f * b for a, b in zip(num[1:], den[1:])] + num[len(den) :]
    return quot, num


@checker("polynomial_roots")
def check_polynomial_roots(p: Problem) -> None:
    d = p.meta["data"]
    assert p.answer.spec == {"variable": "x", "domain": "real"}
    x = _sym("x")
    lhs, rhs, roots = _parse_all([d["lhs"], d["rhs"], p.answer.value], "x")
    c = _coeffs(lhs - rhs, x)
    rest = [_fr(c.get(k, 0)) for k in range(max(c), -1, -1)]
    assert isinstance(roots, set) and len(rest) >= 4
    surds = [r for r in roots if not r.is_Rational]
    factors = []
    for r in roots:
        assert r.is_real, f"{r} is not real"
        if r.is_Rational:
            factors.append([Fraction(1), -_fr(r)])
        else:  # r and its conjugate are the roots of a rational quadratic factor
            pair = [t for t in surds if t != r and sympy.expand(r + t).is_Rational and sympy.expand(r * t).is_Rational]
            assert len(pair) == 1, f"{r} has no conjugate in {roots}"
            if sympy.default_sort_key(r) < sympy.default_sort_key(pair[0]):
                factors.append([Fraction(1), -_fr(sympy.expand(r + pair[0])), _fr(sympy.expand(r * pair[0]))])
    for f in factors:  # divide out every root as often as it divides (multiplicity)
        quot, rem = _divide(rest, f)
        assert not any(rem), f"the answer {f} is not a factor of {lhs - rhs}"
        while True:
            rest = quot
            quot, rem = _divide(rest, f)
            if any(rem) or len(rest) < len(f):
                break
    # what is left has no real root: a constant, or a quadratic with negative discriminant
    if len(rest) == 3:
        a, b, c0 = rest
        assert b * b - 4 * a * c0 < 0, f"{rest} has real roots missing from the answer"
    else:
        assert len(rest) == 1, f"left over factor {rest} of degree {len(rest) - 1}"


# ---------------------------------------------------------------- quadratic_inequality


@checker("quadratic_inequality")
def check_quadratic_inequality(p: Problem) -> None:
    d = p.meta["data"]
    assert p.answer.spec == {"variable": "x"}
    x = _sym("x")
    lhs, rel, rhs = d["inequality"]
    pieces, ends = _interval_ends(p.answer.value)
    g, *parsed = _parse_all([f"({lhs}) - ({rhs})", *ends], "x")
    c = _coeffs(g, x)
    a, b, c0 = (c.get(k, sympy.Integer(0)) for k in (2, 1, 0))
    assert a != 0 and set(c) <= {0, 1, 2}, f"not quadratic: {g}"
    coeffs = (a, b, c0)
    disc = b * b - 4 * a * c0
    # the real roots, from the discriminant (exact, with sympy's sqrt)
    critical = (
        [] if disc < 0 else sorted({(-b - sympy.sqrt(disc)) / (2 * a), (-b + sympy.sqrt(disc)) / (2 * a)}, key=float)
    )
    intervals = _intervals(pieces, parsed)
    for lo, _, hi, _ in intervals:
        for e in (lo, hi):
            if e.is_finite:
                assert any(_same(e, r) for r in critical), f"endpoint {e} is not a root of {g}"
    _check_truth_set([(coeffs, rel)], critical, intervals)


# ---------------------------------------------------------------- expand


def _int_identity(a: str, b: str, names: list[str], degree: int) -> None:
    """Two integer polynomial texts (sympy syntax, no division) agree at every point of a grid with degree + 1
    values per variable, which proves them identical. Evaluated exactly with Python ints (trusted test data)."""
    ca, cb = compile(a, "<a>", "eval"), compile(b, "<b>", "eval")
    grid = [{}]
    for n in names:
        grid = [{**g, n: v} for g in grid for v in range(-(degree // 2) - 1, degree - degree // 2)]
    for point in grid:
        va, vb = eval(ca, {"__builtins__": {}}, point), eval(cb, {"__builtins__": {}}, point)
        assert va == vb, f"{a} and {b} differ at {point}: {va} != {vb}"


@checker("expand")
def check_expand(p: Problem) -> None:
    d = p.meta["data"]
    names = d["variables"]
    assert p.answer.spec == {"form": "expanded", "variables": names}
    ans = parse(p.answer.value, **{n: _sym(n) for n in names})
    assert ans.free_symbols == {_sym(n) for n in names}
    assert "(" not in p.answer.value and "/" not in p.answer.value, f"the answer {p.answer.value} is not expanded"
    # every product here has degree <= 12 (the family's top level allows 6), so 13 values per variable decide it
    _int_identity(d["expression"], p.answer.value, names, 12)


# ---------------------------------------------------------------- factor


def _irreducible_primitive(f: sympy.Expr, syms: list[sympy.Symbol]) -> None:
    poly = sympy.Poly(f, *syms)
    assert poly.total_degree() >= 1, f"constant factor {f} inside the factorization"
    assert poly.content() == 1 if len(syms) == 1 else sympy.gcd_list(poly.coeffs()) == 1, f"{f} is not primitive"
    if poly.total_degree() >= 2:
        if len(syms) == 1:
            assert poly.is_irreducible, f"{f} factors further"
        else:
            assert len(sympy.factor_list(f)[1]) == 1, f"{f} factors further"


def _split_product(text: str) -> tuple[int, list[str]]:
    """'-3*x**2*(2*x - 3)**2' -> (-1, ['3', 'x**2', '(2*x - 3)**2']): top-level factors of a product text
    (parsed one by one, because sympy distributes a numeric factor over a sum: 2*(x + 8) -> 2*x + 16)."""
    depth = 0
    for i, ch in enumerate(text):  # a top-level sum is one factor, whatever products it contains
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and text[i : i + 3] in (" + ", " - "):
            return 1, [text]
    sign = 1
    if text.startswith("-"):
        sign, text = -1, text[1:]
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "*" and depth == 0:
            if text[i + 1] == "*":
                i += 2
                continue
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return sign, parts


@checker("factor")
def check_factor(p: Problem) -> None:
    d = p.meta["data"]
    names = d["variables"]
    assert p.answer.spec == {"form": "factored", "variables": names}
    syms = [_sym(n) for n in names]
    # the product of the factors is the polynomial (exactly, as integers on a grid that decides degree <= 12)
    _int_identity(d["polynomial"], p.answer.value, names, 12)
    # every factor but a leading integer is primitive and irreducible over the integers
    _, parts = _split_product(p.answer.value)
    factors = _parse_all(parts, *names)
    if factors[0].is_Integer:
        assert factors[0] > 1, "a constant factor of 1 or less is not written"
        factors = factors[1:]
    assert factors, "no polynomial factor"
    for f in factors:
        base = f.base if f.is_Pow and f.exp.is_Integer and f.exp > 1 else f
        assert not base.is_Number, f"a second constant factor {base}"
        _irreducible_primitive(base, syms)


# ---------------------------------------------------------------- rational_simplify


def _strip(p: list[int]) -> list[int]:
    while p and p[-1] == 0:
        p = p[:-1]
    return p


def _pmul(a: list[int], b: list[int]) -> list[int]:
    if not a or not b:
        return []
    out = [0] * (len(a) + len(b) - 1)
    for i, u in enumerate(a):
        for j, w in enumerate(b):
            out[i + j] += u * w
    return out


def _padd(a: list[int], b: list[int]) -> list[int]:
    n = max(len(a), len(b))
    return _strip([(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)])


def _gcd_degree(a: list[Fraction], b: list[Fraction]) -> int:
    """Degree of gcd(a, b) by Euclid's algorithm with exact fractions (coefficients highest power first)."""
    while any(b):
        while b and b[0] == 0:
            b = b[1:]
        _, r = _divide(a, b) if len(a) >= len(b) else ([], a)
        a, b = b, r
    return len(a) - 1


class _RF:
    """An exact rational function of one variable (integer coefficient lists, lowest power first), built by evaluating a
    trusted expression text with Python operators. Every division records the numerator of its divisor in
    `divisors`: the expression is undefined exactly at the real zeros of those polynomials."""

    divisors: list[list[int]] = []

    def __init__(self, n: list[int], d: list[int] | None = None):
        self.n, self.d = _strip(n), _strip(d if d is not None else [1])

    @staticmethod
    def of(v) -> _RF:
        assert isinstance(v, _RF | int), f"unexpected constant {v!r}"
        return v if isinstance(v, _RF) else _RF([v])

    def __add__(self, o):
        o = _RF.of(o)
        return _RF(_padd(_pmul(self.n, o.d), _pmul(o.n, self.d)), _pmul(self.d, o.d))

    __radd__ = __add__

    def __neg__(self):
        return _RF([-c for c in self.n], self.d)

    def __sub__(self, o):
        return self + (-_RF.of(o))

    def __rsub__(self, o):
        return _RF.of(o) + (-self)

    def __mul__(self, o):
        o = _RF.of(o)
        return _RF(_pmul(self.n, o.n), _pmul(self.d, o.d))

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = _RF.of(o)
        _RF.divisors.append(o.n)
        assert o.n, "division by zero"
        return _RF(_pmul(self.n, o.d), _pmul(self.d, o.n))

    def __rtruediv__(self, o):
        return _RF.of(o) / self

    def __pow__(self, k: int):
        out = _RF([1])
        for _ in range(k):
            out = out * self
        return out


def _rational_function(text: str, name: str) -> tuple[_RF, list[list[int]]]:
    _RF.divisors = []
    value = _RF.of(eval(text, {"__builtins__": {}}, {name: _RF([0, 1])}))
    return value, _RF.divisors


@checker("rational_simplify")
def check_rational_simplify(p: Problem) -> None:
    d = p.meta["data"]
    v = d["variable"]
    spec = p.answer.spec
    assert spec["form"] == "simplified" and spec["variables"] == [v]
    x = _sym(v)
    ans_sym, *excluded = _parse_all([p.answer.value, *spec["excluded"]], v)  # the answer parses with sympy
    assert ans_sym.free_symbols <= {x}
    expr, divisors = _rational_function(d["expression"], v)
    ans, _ = _rational_function(p.answer.value, v)
    # the same rational function (cross-multiplied, exactly)
    assert _pmul(expr.n, ans.d) == _pmul(ans.n, expr.d), f"{p.answer.value} differs from {d['expression']}"
    # in lowest terms: numerator and denominator have no common factor
    num, den = [Fraction(c) for c in ans.n[::-1]], [Fraction(c) for c in ans.d[::-1]]
    assert _gcd_degree(num, den) == 0, f"{p.answer.value} is not in lowest terms"
    # the excluded values are exactly where the expression is undefined: the real zeros of what it divides by
    product = [1]
    for f in divisors:
        product = _pmul(product, f)
    for e in excluded:
        assert e.is_Rational and sum(c * _fr(e) ** i for i, c in enumerate(product)) == 0, f"{e} is not excluded"
    count = sympy.Poly(product[::-1], x, domain="QQ").sqf_part().count_roots()
    assert count == len(set(excluded)), f"{count} excluded values, the spec lists {excluded}"


# ---------------------------------------------------------------- function_composition


@checker("function_composition")
def check_function_composition(p: Problem) -> None:
    d = p.meta["data"]
    x = _sym("x")
    assert p.answer.spec["variables"] == ["x"]
    ans = parse(p.answer.value)  # the answer parses with sympy
    # the functions as exact integer Python callables; the target evaluated through them
    env = {"__builtins__": {}}
    funcs = {n: eval(f"lambda x: {body}", env) for n, body in d["functions"].items()}
    target = compile(d["target"], "<target>", "eval")
    if p.answer.spec.get("form") == "expanded":
        assert ans.free_symbols <= {x} and "(" not in p.answer.value, f"{ans} is not an expanded polynomial"
        # both sides are polynomials of degree <= 12 here, so 13 points decide the identity
        degree = max(12, sympy.Poly(ans, x).degree())
        value = compile(p.answer.value, "<answer>", "eval")
        for pt in range(-(degree // 2), degree - degree // 2 + 1):
            want, got = eval(target, env, {**funcs, "x": pt}), eval(value, env, {"x": pt})
            assert want == got, f"at x = {pt}: {d['target']} = {want}, the answer gives {got}"
    else:
        assert ans.is_Integer and "x" not in d["target"]
        assert eval(target, env, funcs) == int(ans), f"{d['target']} = {eval(target, env, funcs)}, not {ans}"


# ---------------------------------------------------------------- matrix


@checker("matrix")
def check_matrix(p: Problem) -> None:
    d = p.meta["data"]
    mats = {name: sympy.Matrix(M) for name, M in d["matrices"].items()}
    if "**-1" in d["expression"]:
        assert mats["A"].det() != 0
    expected = parse_expr(d["expression"], local_dict=mats)
    value = p.answer.value
    assert value.startswith("[[") and value.endswith("]]")
    got = sympy.Matrix(parse(value))
    assert got.shape == expected.shape == (p.answer.spec["rows"], p.answer.spec["cols"])
    assert got == expected, f"{d['expression']} = {expected.tolist()}, not {value}"
