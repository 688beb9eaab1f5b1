"""Arithmetic expression trees over given numbers, shared by the countdown and game24 families.

A node is either an int leaf (one of the given numbers) or a tuple
`(op, left, right, value)` with `op` one of + - * / and `value` the exact result
(an int, or a Fraction when a division does not come out even).
"""

from __future__ import annotations

from fractions import Fraction

from .mathtext import frac_latex

Node = int | tuple  # int leaf or (op, left, right, value)

_PREC = {"+": 1, "-": 1, "*": 2, "/": 2}
_LATEX_OP = {"+": "+", "-": "-", "*": "\\times", "/": "\\div"}


def combine(op: str, a: Node, b: Node) -> tuple:
    """The node `a op b`, with its exact value (ints stay ints when the result is whole)."""
    x, y = value(a), value(b)
    if op == "+":
        v = x + y
    elif op == "-":
        v = x - y
    elif op == "*":
        v = x * y
    elif isinstance(x, int) and isinstance(y, int) and x % y == 0:
        v = x // y
    else:
        v = Fraction(x) / y
    if isinstance(v, Fraction) and v.denominator == 1:
        v = v.numerator
    return (op, a, b, v)


def value(node: Node) -> int | Fraction:
    return node if isinstance(node, int) else node[3]


def leaves(node: Node) -> list[int]:
    if isinstance(node, int):
        return [node]
    return leaves(node[1]) + leaves(node[2])


def has_fraction(node: Node) -> bool:
    """Whether some intermediate result is not a whole number."""
    if isinstance(node, int):
        return False
    return isinstance(node[3], Fraction) or has_fraction(node[1]) or has_fraction(node[2])


def expr_text(node: Node, latex: bool = False) -> str:
    """The expression with the fewest parentheses that keep its value (plain: * /, LaTeX: \\times \\div)."""
    if isinstance(node, int):
        return str(node)
    op, a, b, _ = node
    p = _PREC[op]
    left, right = expr_text(a, latex), expr_text(b, latex)
    if not isinstance(a, int) and _PREC[a[0]] < p:
        left = f"({left})"
    if not isinstance(b, int) and (_PREC[b[0]] < p or (_PREC[b[0]] == p and op in "-/")):
        right = f"({right})"
    return f"{left} {_LATEX_OP[op] if latex else op} {right}"


def expr_steps(node: Node) -> list[str]:
    """One LaTeX line per operation, innermost first: "$25 + 3 = 28$"."""
    out: list[str] = []

    def walk(n: Node) -> None:
        if isinstance(n, int):
            return
        op, a, b, v = n
        walk(a)
        walk(b)
        out.append(f"${frac_latex(value(a))} {_LATEX_OP[op]} {frac_latex(value(b))} = {frac_latex(v)}$")

    walk(node)
    return out


def numbers_latex(numbers: list[int]) -> str:
    return ", ".join(str(x) for x in numbers)
