"""Matrix arithmetic with integer matrices: sums and scalar combinations, products
(square, then non-square), transposes in products, inverses of unimodular
matrices (integer inverse) and then of matrices with a small determinant
(fractions), and at the top products with an inverse. 2x2 at low levels, 3x3
higher. Invertible matrices are built as L*U with unit triangular factors, so
the determinant is chosen, never searched for."""

from __future__ import annotations

import random

from ..algebra_util import adjugate, det, inverse, matrix_latex, matrix_plain, nonzero
from ..mathtext import as_int_if_whole
from ..registry import Draft, Knobs, family
from ..types import Answer

# op (ordinal): A + B / A - B; aA + bB; AB; with transposes; A^{-1} (det +-1); A^2 + cB, AB - BA;
# A^{-1} with a small determinant (fractions); A^{-1} B
ADD, COMBO, PRODUCT, TRANSPOSE, INVERSE_UNIMODULAR, POLY, INVERSE, SOLVE = range(8)

LEVELS = [
    dict(op=ADD, size=2, max_entry=6, max_det=1),
    dict(op=COMBO, size=2, max_entry=8, max_det=1),
    dict(op=PRODUCT, size=2, max_entry=9, max_det=1),
    dict(op=TRANSPOSE, size=2, max_entry=9, max_det=1),
    dict(op=INVERSE_UNIMODULAR, size=2, max_entry=9, max_det=1),
    dict(op=POLY, size=3, max_entry=9, max_det=1),
    dict(op=INVERSE, size=3, max_entry=9, max_det=3),
    dict(op=INVERSE, size=3, max_entry=9, max_det=5),
    dict(op=SOLVE, size=3, max_entry=10, max_det=6),
    dict(op=SOLVE, size=3, max_entry=12, max_det=8),
]

Matrix = list[list[int]]


def _rand(rng: random.Random, rows: int, cols: int, m: int) -> Matrix:
    span = 2 * m + 1
    return [[rng.randrange(span) - m for _ in range(cols)] for _ in range(rows)]


def _mul(a: Matrix, b: Matrix) -> Matrix:
    return [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]


def _add(a: Matrix, b: Matrix, s: int = 1, t: int = 1) -> Matrix:
    return [[s * x + t * y for x, y in zip(r, q)] for r, q in zip(a, b)]


def _t(a: Matrix) -> Matrix:
    return [list(c) for c in zip(*a)]


def _invertible(rng: random.Random, n: int, d: int) -> Matrix:
    """L * U * P with L unit lower triangular, U upper triangular with det U = +-d, P a row shuffle."""
    small = 2 if n == 3 else 3
    L = [[1 if i == j else (rng.randint(-small, small) if j < i else 0) for j in range(n)] for i in range(n)]
    diag = [1] * n
    diag[rng.randrange(n)] = d
    U = [
        [diag[i] * rng.choice((-1, 1)) if i == j else (rng.randint(-small, small) if j > i else 0) for j in range(n)]
        for i in range(n)
    ]
    A = _mul(L, U)
    rng.shuffle(A)
    return A


def _entry_step(a: Matrix, b: Matrix, name: str) -> str:
    """The (1,1) entry of a product, worked out, as a sample of the row-by-column rule."""
    terms = " + ".join(f"({x})({y})" if y < 0 or x < 0 else f"{x} \\cdot {y}" for x, y in zip(a[0], [r[0] for r in b]))
    value = sum(x * r[0] for x, r in zip(a[0], b))
    return f"Each entry of ${name}$ is a row times a column; for example the top-left entry is ${terms} = {value}$."


@family("matrix", kind="matrix", category="algebra", levels=LEVELS)
def matrix(rng: random.Random, k: Knobs) -> Draft:
    """Compute with integer matrices: sums, products, transposes and inverses."""
    op = k.op if rng.random() < 0.6 else rng.randint(ADD, k.op)
    n = k.size if rng.random() < 0.7 else 2
    m = k.max_entry if n == 2 else k.max_entry * 2 // 3  # 3x3 entries stay smaller
    mats: dict[str, Matrix] = {}
    steps: list[str] = []
    if op == ADD:
        A, B = _rand(rng, n, n, m), _rand(rng, n, n, m)
        sign = rng.choice((1, -1))
        result = _add(A, B, 1, sign)
        mats, expr, shown = {"A": A, "B": B}, f"A {'+' if sign > 0 else '-'} B", f"A {'+' if sign > 0 else '-'} B"
        steps.append(f"{'Add' if sign > 0 else 'Subtract'} entry by entry.")
    elif op == COMBO:
        A, B = _rand(rng, n, n, m), _rand(rng, n, n, m)
        s, t = nonzero(rng, 5), nonzero(rng, 5)
        if abs(s) == 1:
            s *= rng.randint(2, 5)
        result = _add(A, B, s, t)
        t_text = f"{'+' if t > 0 else '-'} {'' if abs(t) == 1 else abs(t)}B"
        mats, expr, shown = {"A": A, "B": B}, f"{s}*A {'+' if t > 0 else '-'} {abs(t)}*B", f"{s}A {t_text}"
        steps.append(f"Multiply every entry of $A$ by ${s}$ and every entry of $B$ by ${t}$, then add entry by entry.")
    elif op == PRODUCT:
        if n == 3 and rng.random() < 0.4:  # a non-square product: (2x3)(3x2) or (3x2)(2x3)
            r, c = (2, 3) if rng.random() < 0.5 else (3, 2)
            A, B = _rand(rng, r, c, m), _rand(rng, c, r, m)
        else:
            A, B = _rand(rng, n, n, m), _rand(rng, n, n, m)
        result = _mul(A, B)
        mats, expr, shown = {"A": A, "B": B}, "A*B", "AB"
        steps.append(_entry_step(A, B, "AB"))
    elif op == TRANSPOSE:
        A, B = _rand(rng, n, n, m), _rand(rng, n, n, m)
        form = rng.randrange(3)
        if form == 0:
            result, expr, shown = _mul(_t(A), B), "A.T*B", "A^{T}B"
            steps.append(f"Transpose $A$ (rows become columns): $A^{{T}} = {matrix_latex(_t(A))}$.")
            steps.append(_entry_step(_t(A), B, "A^{T}B"))
        elif form == 1:
            result, expr, shown = _mul(A, _t(B)), "A*B.T", "AB^{T}"
            steps.append(f"Transpose $B$ (rows become columns): $B^{{T}} = {matrix_latex(_t(B))}$.")
            steps.append(_entry_step(A, _t(B), "AB^{T}"))
        else:
            result, expr, shown = _t(_mul(A, B)), "(A*B).T", "(AB)^{T}"
            steps.append(f"First $AB = {matrix_latex(_mul(A, B))}$.")
            steps.append("Then transpose it (equivalently, $(AB)^{T} = B^{T}A^{T}$).")
        mats = {"A": A, "B": B}
    elif op == POLY:
        A, B = _rand(rng, n, n, min(m, 5)), _rand(rng, n, n, min(m, 5))
        if rng.random() < 0.5:
            c = nonzero(rng, 4)
            result = _add(_mul(A, A), B, 1, c)
            expr = f"A**2 {'+' if c > 0 else '-'} {abs(c)}*B"
            shown = f"A^{{2}} {'+' if c > 0 else '-'} {'' if abs(c) == 1 else abs(c)}B"
            steps.append(f"First $A^{{2}} = AA = {matrix_latex(_mul(A, A))}$.")
            steps.append(f"Then add ${c}B$ entry by entry.")
        else:
            result, expr, shown = _add(_mul(A, B), _mul(B, A), 1, -1), "A*B - B*A", "AB - BA"
            steps.append(f"$AB = {matrix_latex(_mul(A, B))}$ and $BA = {matrix_latex(_mul(B, A))}$.")
            steps.append("Subtract entry by entry (matrix products do not commute, so this is usually not zero).")
        mats = {"A": A, "B": B}
    else:  # inverses
        d = 1 if op == INVERSE_UNIMODULAR else rng.randint(1, k.max_det)
        A = _invertible(rng, n, d)
        D = det(A)
        adj = adjugate(A)
        inv = inverse(A)
        mats = {"A": A}
        steps.append(f"$\\det A = {D}$, which is not zero, so $A$ is invertible.")
        if n == 2:
            steps.append(
                f"For a $2 \\times 2$ matrix, swap the diagonal entries and negate the others: "
                f"$\\operatorname{{adj}} A = {matrix_latex(adj)}$."
            )
        else:
            steps.append(
                f"The adjugate (transposed matrix of cofactors) is $\\operatorname{{adj}} A = {matrix_latex(adj)}$."
            )
        steps.append(f"$A^{{-1}} = \\frac{{1}}{{{D}}} \\operatorname{{adj}} A = {matrix_latex(inv)}$.")
        if op == SOLVE and rng.random() < 0.7:
            B = _rand(rng, n, rng.randint(1, n), min(m, 5))
            mats["B"] = B
            result = [[sum(x * y for x, y in zip(row, col)) for col in zip(*B)] for row in inv]
            expr, shown = "A**-1*B", "A^{-1}B"
            steps.append("Multiply $A^{-1}$ by $B$: each entry is a row of $A^{-1}$ times a column of $B$.")
        else:
            result, expr, shown = inv, "A**-1", "A^{-1}"

    defs = [f"${name} = {matrix_latex(M)}$" for name, M in mats.items()]
    given = defs[0] if len(defs) == 1 else f"{defs[0]} and {defs[1]}"
    question = f"Let {given}. Compute ${shown}$."
    result = [[as_int_if_whole(x) for x in row] for row in result]
    if any(not isinstance(x, int) for row in result for x in row):
        question += " Write fractional entries in lowest terms."
    steps.append(f"So ${shown} = {matrix_latex(result)}$.")
    rows, cols = len(result), len(result[0])
    answer = Answer(
        kind="matrix", value=matrix_plain(result), latex=matrix_latex(result), spec={"rows": rows, "cols": cols}
    )
    data = {"matrices": {name: M for name, M in mats.items()}, "expression": expr}
    return Draft(question, answer, steps, data=data)
