"""Integer arithmetic expressions: +, -, x and exact division, with precedence and parentheses.

The expression is built as a random tree (a sum of products whose factors are
numbers or parenthesised sub-sums); every division is made exact by choosing the
divisor first and the dividend as a multiple of it. The worked steps are the
operations in the order of evaluation (parentheses, then x and / left to right,
then + and - left to right).
"""

from __future__ import annotations

import random

from ..registry import Draft, Knobs, family
from ..types import Answer

ADD_SUB, WITH_MUL, WITH_DIV, WITH_NEG = range(4)  # the `ops` knob: operations in use, then negative operands

# leaves: numbers in the expression; max_value: largest operand; depth: parenthesis nesting
LEVELS = [
    dict(leaves=2, max_value=10, depth=0, ops=ADD_SUB),
    dict(leaves=3, max_value=20, depth=0, ops=WITH_MUL),
    dict(leaves=4, max_value=50, depth=1, ops=WITH_DIV),
    dict(leaves=4, max_value=100, depth=1, ops=WITH_DIV),
    dict(leaves=5, max_value=100, depth=1, ops=WITH_DIV),
    dict(leaves=5, max_value=200, depth=2, ops=WITH_NEG),
    dict(leaves=6, max_value=500, depth=2, ops=WITH_NEG),
    dict(leaves=7, max_value=1000, depth=2, ops=WITH_NEG),
    dict(leaves=8, max_value=1000, depth=3, ops=WITH_NEG),
    dict(leaves=10, max_value=2000, depth=3, ops=WITH_NEG),
]

_LATEX_OP = (" + ", " - ", " \\times ", " \\div ")
_PLAIN_OP = (" + ", " - ", "*", "/")
_TEMPLATES = ("Evaluate ${}$.", "Compute ${}$.", "What is the value of ${}$?", "Calculate ${}$.")


def _expr(
    rnd, n: int, depth: int, top: int, n_ops: int, neg: bool, steps: list[str], inner: bool
) -> tuple[str, str, int]:
    """A sum of products over n leaves: (latex, plain, value); the evaluation steps are appended to `steps`.

    top: the largest operand; n_ops: 2 (+ -), 3 (and x) or 4 (and /); neg: negative operands allowed.
    """
    lat: list[str] = []  # atom texts (LaTeX)
    pla: list[str | None] = []  # plain texts where they differ from LaTeX
    vals: list[int] = []
    leaf: list[bool] = []
    left = n
    while left:
        if depth and left >= 2 and rnd() < 0.4:
            size = 2 if left == 2 or rnd() < 0.5 else 3
            if size == n:  # a parenthesised copy of the whole would be pointless
                size -= 1
            if size >= 2:
                sl, sp, v = _expr(rnd, size, depth - 1, top, n_ops, neg, steps, True)
                lat.append(f"({sl})")
                pla.append(f"({sp})")
                vals.append(v)
                leaf.append(False)
                left -= size
                continue
        v = 1 + int(rnd() * top)
        if neg and rnd() < 0.25:
            v = -v
            lat.append(f"({v})")
        else:
            lat.append(str(v))
        pla.append(None)
        vals.append(v)
        leaf.append(True)
        left -= 1
    m = len(vals) - 1
    ops = [int(rnd() * n_ops) for _ in range(m)]
    if inner and m and min(ops) >= 2:
        ops[int(rnd() * m)] = int(rnd() * 2)
    if n_ops == 4:
        # exact division: the divisor is a leaf, the dividend the leaf before it, made a multiple of the divisor
        for i in range(m):
            if ops[i] != 3:
                continue
            if not (leaf[i] and leaf[i + 1]) or (i and ops[i - 1] == 3):
                ops[i] = 2
                continue
            dv = 2 + int(rnd() * min(top // 2, 24))
            q = 1 + int(rnd() * max(1, top // dv))
            if vals[i + 1] < 0:
                dv = -dv
            if vals[i] < 0:
                q = -q
            av = dv * q
            vals[i], vals[i + 1] = av, dv
            lat[i] = f"({av})" if av < 0 else str(av)
            lat[i + 1] = f"({dv})" if dv < 0 else str(dv)
    latex = [lat[0]]
    plain = [pla[0] or lat[0]]
    for i in range(m):
        op = ops[i]
        latex.append(_LATEX_OP[op])
        latex.append(lat[i + 1])
        plain.append(_PLAIN_OP[op])
        plain.append(pla[i + 1] or lat[i + 1])
    # x and / first, left to right; then + and -
    terms = [vals[0]]
    signs = []
    for i in range(m):
        op, v = ops[i], vals[i + 1]
        if op >= 2:
            a = terms[-1]
            r = a * v if op == 2 else a // v
            steps.append(f"${a}{_LATEX_OP[op]}{lat[i + 1] if leaf[i + 1] else v} = {r}$")
            terms[-1] = r
        else:
            terms.append(v)
            signs.append(op)
    acc = terms[0]
    for i, op in enumerate(signs):
        v = terms[i + 1]
        r = acc - v if op else acc + v
        steps.append(f"${acc}{_LATEX_OP[op]}{f'({v})' if v < 0 else v} = {r}$")
        acc = r
    return "".join(latex), "".join(plain), acc


@family("int_expression", kind="number", category="arithmetic", levels=LEVELS)
def int_expression(rng: random.Random, k: Knobs) -> Draft:
    """Evaluate an integer expression with +, -, x, exact division and parentheses."""
    rnd = rng.random
    steps: list[str] = []
    ops = k["ops"]
    n_ops = 2 + (ops >= WITH_MUL) + (ops >= WITH_DIV)
    latex, plain, value = _expr(rnd, k["leaves"], k["depth"], k["max_value"], n_ops, ops >= WITH_NEG, steps, False)
    question = _TEMPLATES[int(rnd() * 4)].format(latex)
    answer = Answer(kind="number", value=str(value), latex=str(value))
    return Draft(question, answer, steps, data={"expression": plain})
