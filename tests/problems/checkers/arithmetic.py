"""Checkers for the arithmetic families: int_expression, fractions, decimals, percentages, powers_roots.

Each recomputes the gold answer from `problem.meta["data"]` with an exact evaluator of its own
(Python's `ast` over Fractions, or sympy for surds) and checks the gold value parses with sympy.
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal, localcontext
from fractions import Fraction

import sympy

from reasonrl.problems import Problem

from . import checker
from .sympy_helpers import parse

_BIN = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def exact(text: str, integer_division: bool = False) -> Fraction:
    """Evaluate a trusted arithmetic string (+ - * / ** and parentheses) exactly with Fractions.

    integer_division: assert every division is exact between integers.
    """

    def ev(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Pow):
                assert b.denominator == 1, f"non-integer exponent in {text}"
                return a ** int(b)
            if isinstance(node.op, ast.Div) and integer_division:
                assert a.denominator == b.denominator == 1 and a.numerator % b.numerator == 0, f"{a} / {b} is not exact"
            return _BIN[type(node.op)](a, b)
        raise AssertionError(f"unexpected syntax in {text!r}: {ast.dump(node)}")

    return ev(ast.parse(text, mode="eval"))


def _latex_of(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    return ("-" if q < 0 else "") + f"\\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"


def _lowest_terms_value(text: str) -> Fraction:
    """'p/q' with gcd 1 and q > 1, or an integer; returns its value."""
    m = re.fullmatch(r"(-?\d+)(?:/(\d+))?", text)
    assert m, f"not an integer or fraction: {text!r}"
    num, den = int(m.group(1)), int(m.group(2) or 1)
    q = Fraction(num, den)
    assert (q.numerator, q.denominator) == (num, den) and (den != 1 or m.group(2) is None), (
        f"{text} not in lowest terms"
    )
    return q


def _math_in(prompt: str) -> list[str]:
    return re.findall(r"\$([^$]*)\$", prompt.split("\n\n")[0])


@checker("int_expression")
def check_int_expression(p: Problem) -> None:
    expr = p.meta["data"]["expression"]
    value = exact(expr, integer_division=True)
    assert value.denominator == 1
    assert p.answer.value == str(value.numerator) == p.answer.latex
    assert parse(p.answer.value) == sympy.Integer(value.numerator)
    shown = _math_in(p.prompt)[0]
    assert shown.replace(" \\times ", "*").replace(" \\div ", "/") == expr, f"prompt shows {shown}, data {expr}"


@checker("fractions")
def check_fractions(p: Problem) -> None:
    expr = p.meta["data"]["expression"]
    value = exact(expr)
    assert _lowest_terms_value(p.answer.value) == value, f"{expr} = {value}, gold {p.answer.value}"
    assert p.answer.latex == _latex_of(value)
    assert parse(p.answer.value) == sympy.Rational(value.numerator, value.denominator)
    # the prompt shows the same expression: \frac{a}{b} -> (a/b), w\frac{a}{b} -> (w + a/b)
    shown = _math_in(p.prompt)[0]
    shown = re.sub(r"(\d+)\\frac\{(\d+)\}\{(\d+)\}", r"(\1 + \2/\3)", shown)
    shown = re.sub(r"\\frac\{(\d+)\}\{(\d+)\}", r"(\1/\2)", shown)
    shown = shown.replace("\\left(-", "(-").replace("\\right)", ")").replace(" \\times ", "*").replace(" \\div ", "/")
    assert exact(shown) == value, f"the prompt's expression {shown} differs from the data {expr}"


def _decimal_text(q: Fraction) -> str:
    """The exact decimal numeral of q (denominator 2**a * 5**b), by decimal long division."""
    with localcontext() as ctx:
        ctx.prec = 80
        d = Decimal(q.numerator) / Decimal(q.denominator)
        assert d * q.denominator == q.numerator, f"{q} has no terminating decimal"
        text = format(d.normalize(), "f")
    return text


def _check_decimal_answer(p: Problem, value: Fraction) -> None:
    assert re.fullmatch(r"-?\d+(\.\d*[1-9])?", p.answer.value), f"not a canonical decimal: {p.answer.value!r}"
    assert Fraction(p.answer.value) == value, f"gold {p.answer.value}, recomputed {value}"
    assert p.answer.value == _decimal_text(value)
    assert Fraction(p.answer.spec["exact"]) == value
    assert abs(float(parse(p.answer.value)) - float(value)) <= 1e-9 * (1 + abs(float(value)))


@checker("decimals")
def check_decimals(p: Problem) -> None:
    expr = p.meta["data"]["expression"]
    value = exact(expr)
    _check_decimal_answer(p, value)
    assert p.answer.latex == p.answer.value
    shown = _math_in(p.prompt)[0]
    assert shown.replace(" \\times ", "*").replace(" \\div ", "/") == expr, f"prompt shows {shown}, data {expr}"


@checker("percentages")
def check_percentages(p: Problem) -> None:
    d = p.meta["data"]
    kind = d["type"]
    num = {key: Fraction(v) for key, v in d.items() if key not in ("type", "changes")}
    changes = [Fraction(c) for c in d.get("changes", [])]
    factor = Fraction(1)
    for c in changes:
        assert c > -100
        factor *= 1 + c / 100
    if kind == "percent_of":
        value = num["percent"] * num["whole"] / 100
    elif kind == "what_percent":
        value = num["part"] / num["whole"] * 100
    elif kind == "percent_change":
        value = abs(num["end"] - num["start"]) / num["start"] * 100
        word = "increase" if num["end"] > num["start"] else "decrease"
        assert f"percent {word}" in p.prompt, "the question asks for the wrong direction"
    elif kind in ("change", "successive"):
        value = num["start"] * factor
        assert len(changes) == (1 if kind == "change" else len(changes)) >= 1
    elif kind == "reverse":
        value = num["end"] / factor
    else:
        raise AssertionError(f"unknown type {kind}")
    _check_decimal_answer(p, value)
    assert (p.answer.spec.get("unit") == "%") == (kind in ("what_percent", "percent_change"))
    question = p.prompt.split("\n\n")[0]
    for key, v in num.items():
        assert _decimal_text(v) in question, f"{key} = {_decimal_text(v)} is not in the question"
    for c in changes:
        assert _decimal_text(abs(c)) + "\\%" in question


def _squarefree(n: int) -> bool:
    return n > 1 and all(n % (f * f) for f in range(2, int(n**0.5) + 1))


class _Exact(ast.NodeTransformer):
    """Integer literals become sympy Integers, so / and ** stay exact."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, int):
            return ast.Call(ast.Name("Integer", ast.Load()), [node], [])
        raise AssertionError(f"unexpected literal {node.value!r}")


_SYMPY_NS = {"__builtins__": {}, "Integer": sympy.Integer, "sqrt": sympy.sqrt, "real_root": sympy.real_root}


def _sympy_eval(text: str) -> sympy.Expr:
    """Evaluate trusted arithmetic text (ints, + - * / **, sqrt, real_root) to an exact sympy number.

    Equivalent to sympy's parse_expr here, at a tenth of its cost (parse_expr dominates otherwise)."""
    tree = ast.fix_missing_locations(_Exact().visit(ast.parse(text, mode="eval")))
    return eval(compile(tree, "<gold>", "eval"), _SYMPY_NS)


@checker("powers_roots")
def check_powers_roots(p: Problem) -> None:
    # the gold answer's LaTeX, rewritten in sympy syntax, must denote the same number
    latex = re.sub(r"(\d)\\sqrt\{(\d+)\}", r"\1*sqrt(\2)", p.answer.latex)
    latex = re.sub(r"\\sqrt\{(\d+)\}", r"sqrt(\1)", latex)
    latex = re.sub(r"\\frac\{([^{}]*)\}\{(\d+)\}", r"(\1)/(\2)", latex)
    gold = parse(p.answer.value)  # the gold value must parse with sympy's own parser
    expr, shown = _sympy_eval(p.meta["data"]["expression"]), _sympy_eval(latex)
    assert sympy.expand(expr - gold) == 0, f"{p.meta['data']['expression']} = {expr}, gold {gold}"
    assert sympy.expand(shown - gold) == 0, f"latex {p.answer.latex} differs from {p.answer.value}"
    radicands = [int(r) for r in re.findall(r"sqrt\((\d+)\)", p.answer.value)]
    if p.answer.spec.get("form") == "simplest_radical":
        assert len(radicands) <= 1 and all(_squarefree(r) for r in radicands), f"not simplest form: {p.answer.value}"
        rest = re.sub(r"sqrt\(\d+\)", "", p.answer.value)
        assert "sqrt" not in rest and "**" not in rest
    else:
        assert not radicands
        value = _lowest_terms_value(p.answer.value)
        assert p.answer.latex == _latex_of(value)
