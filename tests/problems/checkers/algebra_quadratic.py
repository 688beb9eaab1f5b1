import sympy

from reasonrl.problems import Problem

from . import checker
from .sympy_helpers import X, is_zero, parse, parse_set


@checker("quadratic")
def check_quadratic(p: Problem) -> None:
    eq = parse(p.meta["data"]["lhs"]) - parse(p.meta["data"]["rhs"])
    a, b, c = sympy.Poly(eq, X).all_coeffs()
    roots = parse_set(p.answer.value)
    for r in roots:
        assert is_zero(eq.subs(X, r)), f"{r} does not solve {eq} = 0"
    distinct = 1 if b * b - 4 * a * c == 0 else 2
    assert len(set(roots)) == len(roots) == distinct, f"{roots} is not the full solution set of {eq} = 0"
