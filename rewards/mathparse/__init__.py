"""The project's own grammar for answers in LaTeX and plain text: no eval, no sympify.

    parse_ast(text, limits)   -> ast.Node        (ParseError / Refused; never imports sympy)
    exact_rational(node)      -> Fraction | None (never imports sympy)
    to_sympy(node, limits)    -> sympy object or a container (imports sympy)

Refused limits: length, depth, tokens, digits, power, degree, factorial.
"""

from .ast import Node
from .build import to_sympy
from .containers import AnswerList, Bracketed, Degrees, Percent
from .exact import exact_rational, split_unit
from .parser import parse_ast

LIMIT_NAMES = ("length", "depth", "tokens", "digits", "power", "degree", "factorial")

__all__ = [
    "LIMIT_NAMES",
    "AnswerList",
    "Bracketed",
    "Degrees",
    "Node",
    "Percent",
    "exact_rational",
    "parse_ast",
    "split_unit",
    "to_sympy",
]
