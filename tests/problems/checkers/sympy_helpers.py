"""Parsing trusted gold text with sympy (tests only; model text never goes through here)."""

from __future__ import annotations

import sympy
from sympy.parsing.sympy_parser import parse_expr

X = sympy.Symbol("x")


def parse(text: str, **symbols: sympy.Symbol) -> sympy.Expr:
    local = {"x": X, "I": sympy.I, "E": sympy.E, "pi": sympy.pi, "oo": sympy.oo, **symbols}
    return parse_expr(text, local_dict=local)


def parse_set(text: str) -> list[sympy.Expr]:
    inner = text.strip()
    assert inner.startswith("{") and inner.endswith("}"), f"not a set: {text!r}"
    inner = inner[1:-1].strip()
    return [parse(part) for part in inner.split(",")] if inner else []


def is_zero(expr: sympy.Expr) -> bool:
    return sympy.expand(expr) == 0
