"""Systems of linear equations: 2x2 at low levels, 3x3 higher (4x4 at the top),
integer then rational solutions. The solution is chosen first; each column of the
coefficient matrix is a multiple of its variable's denominator, so the constants
are integers, and the matrix has a nonzero determinant (checked exactly)."""

from __future__ import annotations

import random
from fractions import Fraction

from ..algebra_util import det, num_pair
from ..mathtext import signed_join
from ..registry import Draft, Knobs, family
from ..types import Answer

# size: unknowns; max_den: largest denominator in the solution (1: integers);
# rearranged: 1 moves some terms to the right-hand side; n_names: variable-name sets in use
LEVELS = [
    dict(size=2, max_coef=3, max_sol=5, max_den=1, rearranged=0, n_names=1),
    dict(size=2, max_coef=4, max_sol=8, max_den=1, rearranged=0, n_names=2),
    dict(size=2, max_coef=5, max_sol=12, max_den=1, rearranged=0, n_names=4),
    dict(size=2, max_coef=6, max_sol=12, max_den=3, rearranged=1, n_names=6),
    dict(size=3, max_coef=6, max_sol=12, max_den=3, rearranged=1, n_names=6),
    dict(size=3, max_coef=6, max_sol=12, max_den=4, rearranged=1, n_names=6),
    dict(size=3, max_coef=7, max_sol=15, max_den=5, rearranged=1, n_names=6),
    dict(size=3, max_coef=8, max_sol=15, max_den=6, rearranged=1, n_names=6),
    dict(size=3, max_coef=9, max_sol=20, max_den=8, rearranged=1, n_names=6),
    dict(size=4, max_coef=9, max_sol=20, max_den=8, rearranged=1, n_names=6),
]

NAMES = {
    2: (("x", "y"), ("a", "b"), ("m", "n"), ("p", "q"), ("u", "v"), ("s", "t")),
    3: (("x", "y", "z"), ("a", "b", "c"), ("p", "q", "r"), ("u", "v", "w"), ("x", "y", "z"), ("a", "b", "c")),
    4: (("w", "x", "y", "z"), ("a", "b", "c", "d"), ("p", "q", "r", "s"), ("w", "x", "y", "z")) * 2,
}
TUPLE_WORD = {2: "ordered pair", 3: "ordered triple", 4: "ordered quadruple"}


def _term(c: int, v: str, latex: bool) -> tuple[bool, str]:
    m = abs(c)
    return c < 0, v if m == 1 else (f"{m}{v}" if latex else f"{m}*{v}")


def _side(terms: list[tuple[int, str]], const: int | None, latex: bool) -> str:
    parts = [_term(c, v, latex) for c, v in terms if c]
    if const is not None and (const or not parts):
        parts.insert(0, (const < 0, str(abs(const))))
    return signed_join(parts)


@family("linear_system", kind="tuple", category="algebra", levels=LEVELS)
def linear_system(rng: random.Random, k: Knobs) -> Draft:
    """Solve a system of linear equations; the answer is the ordered tuple of values."""
    n, max_coef, max_den, span = k.size, k.max_coef, k.max_den, 2 * k.max_coef + 1
    names = NAMES[n][rng.randrange(k.n_names)]
    sol = []
    for _ in range(n):
        q = 1 if max_den == 1 or rng.random() < 0.5 else rng.randint(2, max_den)
        sol.append(Fraction(rng.randint(-k.max_sol, k.max_sol), q))
    nums, dens = [s.numerator for s in sol], [s.denominator for s in sol]
    for _ in range(50):
        K = [[rng.randrange(span) - max_coef for _ in range(n)] for _ in range(n)]
        det_k = det(K)
        if det_k:
            break
    else:  # practically unreachable: a unimodular fallback
        K, det_k = [[1 if j >= i else 0 for j in range(n)] for i in range(n)], 1

    rows_latex, rows_data = [], []
    for Ki in K:
        Ai = [c * q for c, q in zip(Ki, dens)]
        bi = sum(c * p for c, p in zip(Ki, nums))
        terms = list(zip(Ai, names))
        nz = [j for j in range(n) if Ai[j]]
        if k.rearranged and len(nz) > 1 and rng.random() < 0.4:
            j = nz[rng.randrange(len(nz))]  # move one variable term to the right-hand side
            left = terms[:j] + terms[j + 1 :]
            right = [(-Ai[j], names[j])]
            rows_latex.append(f"{_side(left, None, True)} = {_side(right, bi, True)}")
            rows_data.append([_side(left, None, False), _side(right, bi, False)])
        else:
            rows_latex.append(f"{_side(terms, None, True)} = {bi}")
            rows_data.append([_side(terms, None, False), str(bi)])
    body = " \\\\ ".join(rows_latex)
    question = (
        f"Solve the system of equations $\\begin{{cases}} {body} \\end{{cases}}$. "
        f"Give the answer as an {TUPLE_WORD[n]} $({', '.join(names)})$"
        + (", with fractions in lowest terms." if k.max_den > 1 else ".")
    )

    D = det_k
    for q in dens:
        D *= q
    texts = [num_pair(x) for x in sol]
    steps = [f"Write every equation as a combination of {', '.join(names)} equal to a constant and use Cramer's rule."]
    steps.append(
        f"The determinant of the coefficient matrix is $D = {D}$, which is not zero, so the solution is unique."
    )
    for j in range(n):
        Dj = nums[j] * (D // dens[j])  # Cramer: sol[j] = D_j / D
        steps.append(
            f"Replacing the ${names[j]}$ column by the constants gives $D_{{{names[j]}}} = {Dj}$, "
            f"so ${names[j]} = \\frac{{{Dj}}}{{{D}}} = {texts[j][1]}$."
        )
    plain = "(" + ", ".join(t[0] for t in texts) + ")"
    latex = "(" + ", ".join(t[1] for t in texts) + ")"
    answer = Answer(kind="tuple", value=plain, latex=latex, spec={"variables": list(names)})
    return Draft(question, answer, steps, data={"equations": rows_data, "variables": list(names)})
