"""The expression judge: symbolic equivalence, with the variants a spec asks for.

- equation (gold has `=`, or spec equation): lhs - rhs of both proportional, so
  `2y = 4x + 6` answers `y = 2x + 3`; an answer without `=` is read as the gold's
  right side when the gold is `y = ...`.
- up_to_constant (antiderivatives): the difference is constant; a `+ C` is ignored.
- log_abs_optional: `\\ln|x|` and `\\ln x` both accepted.
- form expanded / factored / simplified: equivalence AND the form, checked on the
  syntax tree (see forms.py).
An answer `f'(x) = ...` / `y = ...` for a non-equation gold is read after its `=`.
"""

from __future__ import annotations

from typing import Any

from reasonrl.problems.types import Answer

from ..normalize import after_last_equals, clean_latex
from ..types import Limits, ParseError
from . import judge
from .symbolic import gold_math, node_to_sympy, numbers_equal

_CONSTANT_NAMES = {"C", "c", "K", "C_1", "C_0", "C_{1}", "C_{0}"}


@judge("expression")
def judge_expression(gold: Answer, text: str, limits: Limits) -> bool:
    import sympy

    from ..mathparse import parse_ast
    from .compare import differ_by_constant, expressions_equal

    spec = gold.spec
    g = gold_math(gold.value)
    text = clean_latex(text)
    if isinstance(g, sympy.Equality):
        return _judge_equation(g, text, limits)
    node = parse_ast(after_last_equals(text), limits)
    a = _expr(node_to_sympy(node, limits))
    g = _expr(g)
    if spec.get("log_abs_optional"):
        a, g = _drop_log_abs(a), _drop_log_abs(g)
    if spec.get("up_to_constant"):
        a = _drop_constant(a, g)
        ok = differ_by_constant(a, g)
    elif not a.free_symbols and not g.free_symbols:
        ok = numbers_equal(a, g)
    else:
        ok = expressions_equal(a, g)
    form = spec.get("form")
    if ok and form:
        from .forms import has_form

        ok = has_form(form, node, a, limits)
    return ok


def _judge_equation(g: Any, text: str, limits: Limits) -> bool:
    import sympy

    from .compare import expressions_equal, proportional
    from .symbolic import parse_math

    a = parse_math(text, limits)
    if isinstance(a, sympy.Equality):
        return proportional(_expr(a.lhs - a.rhs), g.lhs - g.rhs)
    if isinstance(g.lhs, sympy.Symbol) and not (isinstance(a, sympy.Expr) and a.has(g.lhs)):
        return expressions_equal(_expr(a), g.rhs)
    return False


def _expr(value: Any) -> Any:
    import sympy

    if isinstance(value, sympy.Equality) and isinstance(value.lhs, sympy.Symbol):
        value = value.rhs
    if not isinstance(value, sympy.Expr):
        raise ParseError(f"expected an expression, got {type(value).__name__}")
    return value


def _drop_log_abs(e: Any) -> Any:
    import sympy

    return e.replace(
        lambda t: isinstance(t, sympy.log) and isinstance(t.args[0], sympy.Abs),
        lambda t: sympy.log(t.args[0].args[0]),
    )


def _drop_constant(a: Any, g: Any) -> Any:
    """`F(x) + C`: a symbol named like an integration constant and absent from the gold is 0."""
    extra = {s: 0 for s in a.free_symbols - g.free_symbols if s.name in _CONSTANT_NAMES}
    return a.xreplace(extra) if extra else a
