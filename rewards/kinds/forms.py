"""Form checks for expression golds whose spec asks for a form (after equivalence holds).

Checked on the syntax tree, because sympy's automatic evaluation rewrites `2(x+1)` as
`2x + 2` and would hide an unexpanded answer. Kept simple on purpose:
- expanded: no product or power of a sum anywhere (`2(x+1)`, `(x+2)^2`, `-(x-1)`);
  a sum over a constant denominator (`\\frac{x+1}{2}`) is allowed.
- factored: the top level is a product/power (a leading minus allowed) and every sum in
  it is irreducible over the rationals; a lone sum passes only if irreducible.
  Numeric content left inside a factor (`(2x + 4)(x + 1)`) is allowed.
- simplified: numerator and denominator share no non-constant polynomial factor.
"""

from __future__ import annotations

from typing import Any

from ..mathparse import ast
from ..types import Limits


def has_form(form: str, node: ast.Node, value: Any, limits: Limits) -> bool:
    check = {"expanded": is_expanded, "factored": is_factored, "simplified": is_simplified}.get(form)
    return True if check is None else check(node, value, limits)


def is_expanded(node: ast.Node, value: Any = None, limits: Limits | None = None) -> bool:
    return all(_expanded_here(n) for n in _walk(node))


def _expanded_here(n: ast.Node) -> bool:
    if isinstance(n, ast.Mul) and len(n.factors) > 1:
        return not any(_is_sum(_strip(f)) for f in n.factors if not isinstance(f, ast.Recip))
    if isinstance(n, ast.Pow):
        return not _is_sum(_strip(n.base))
    if isinstance(n, ast.Neg):
        return not isinstance(n.arg, ast.Add)
    return True


def is_factored(node: ast.Node, value: Any, limits: Limits) -> bool:
    from .symbolic import node_to_sympy

    top = _strip(node)
    if isinstance(top, ast.Add):
        return _irreducible(value)
    factors = top.factors if isinstance(top, ast.Mul) else [top]
    for f in factors:
        base = _strip(f)
        base = _strip(base.base) if isinstance(base, ast.Pow) else base
        if isinstance(base, ast.Add) and not _irreducible(node_to_sympy(base, limits)):
            return False
    return True


def is_simplified(node: ast.Node, value: Any, limits: Limits) -> bool:
    import sympy

    num, den = sympy.fraction(sympy.together(value))
    if not den.free_symbols:
        return True
    try:
        common = sympy.gcd(num, den)
    except (sympy.PolynomialError, ValueError, TypeError):
        return True
    return not common.free_symbols


def _irreducible(expr: Any) -> bool:
    import sympy

    try:
        _, factors = sympy.factor_list(expr)
    except (sympy.PolynomialError, ValueError, TypeError):
        return True
    return sum(m for f, m in factors if f.free_symbols) <= 1


def _is_sum(n: ast.Node) -> bool:
    return isinstance(n, ast.Add) and len(n.terms) > 1


def _strip(n: ast.Node) -> ast.Node:
    while isinstance(n, ast.Neg):
        n = n.arg
    return n


def _walk(node: ast.Node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        for name in getattr(type(n), "__slots__", ()):
            child = getattr(n, name, None)
            if isinstance(child, ast.Node):
                stack.append(child)
            elif isinstance(child, list):
                for c in child:
                    if isinstance(c, ast.Node):
                        stack.append(c)
                    elif isinstance(c, list):
                        stack.extend(x for x in c if isinstance(x, ast.Node))
