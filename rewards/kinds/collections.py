"""Judges for answers with several parts: solution sets, sets, tuples, intervals, matrices.

Parts are compared with the number equality of `symbolic.numbers_equal` (or the
expression equivalence when a part has variables). Sets and solution sets ignore
order and repeats; tuples and matrices are ordered; intervals are compared as sets
of reals after sympy's union canonicalisation, endpoint by endpoint.
"""

from __future__ import annotations

import re
from typing import Any

from reasonrl.problems.types import Answer

from ..normalize import clean_latex, normalize_text, top_level_split, unwrap_text_commands
from ..types import Limits, ParseError, Refused
from . import judge
from .symbolic import gold_math, numbers_equal, parse_math


def values_equal(a: Any, g: Any) -> bool:
    """Equality of two parts: numbers exactly (see numbers_equal), expressions by equivalence."""
    import sympy

    if not (isinstance(a, sympy.Expr) and isinstance(g, sympy.Expr)):
        return False
    if a.free_symbols or g.free_symbols:
        from .compare import expressions_equal

        return expressions_equal(a, g)
    return numbers_equal(a, g)


def same_set(answer: list[Any], gold: list[Any]) -> bool:
    return all(any(values_equal(a, g) for g in gold) for a in answer) and all(
        any(values_equal(a, g) for a in answer) for g in gold
    )


# ---- solution sets and sets ----------------------------------------------------


@judge("equation_solutions")
def judge_solutions(gold: Answer, text: str, limits: Limits) -> bool:
    answer = parse_math(_IN_PREFIX.sub("", clean_latex(text)), limits)
    return same_set(solution_values(answer), solution_values(gold_math(gold.value)))


def solution_values(value: Any) -> list[Any]:
    """`x = 2 or x = 3`, `x_1 = 2, x_2 = 3`, `\\{2, 3\\}`, `x = \\pm 2`, `\\emptyset` -> a flat list.
    A bracketed list `(2, 3)` is read as the list it writes (sloppy, but not ambiguous here)."""
    import sympy

    from ..mathparse.containers import AnswerList, Bracketed

    if isinstance(value, AnswerList):
        return [v for item in value.items for v in solution_values(item)]
    if isinstance(value, sympy.Set):
        if isinstance(value, sympy.FiniteSet):
            return list(value.args)
        if value is sympy.S.EmptySet:
            return []
        raise ParseError("an infinite set is not a list of solutions")
    if isinstance(value, sympy.Equality):
        if not isinstance(value.lhs, sympy.Symbol):
            raise ParseError("a solution is written `variable = value`")
        return solution_values(value.rhs)
    if isinstance(value, sympy.Or):
        return [v for arg in value.args for v in solution_values(arg)]
    if isinstance(value, Bracketed):
        return [v for item in value.items for v in solution_values(item)]
    if isinstance(value, sympy.Expr):
        return [value]
    raise ParseError(f"not a solution: {type(value).__name__}")


_EMPTY_WORDS = {"none", "nobody", "no one", "empty", "emptyset", "varnothing", "empty set", "neither", "none of them"}
_NAME_SEP = (",", ";", "&", " and ", "\\text{ and }")
_NAMEISH = re.compile(r"[A-Za-z][A-Za-z' .-]*")


@judge("set")
def judge_set(gold: Answer, text: str, limits: Limits) -> bool:
    gold_names = name_set(gold.value)
    if gold_names is not None or "people" in gold.spec:
        want = gold_names if gold_names is not None else set()
        return name_set(text, force=True) == want
    return judge_solutions(gold, text, limits)


def name_set(text: str, force: bool = False) -> set[str] | None:
    """`{Alice, Carol}`, `Alice and Carol`, `\\text{none}` -> {"alice", "carol"}; None when the
    text is not a list of names (and `force` is off)."""
    s = unwrap_text_commands(clean_latex(text)).strip()
    s = s.replace("\\{", "").replace("\\}", "").strip()
    if s.startswith("{") and s.endswith("}"):
        s = s[1:-1]
    parts = [p.strip() for p in top_level_split(s, _NAME_SEP)]
    parts = [p[4:].strip() if p.lower().startswith("and ") else p for p in parts if p.strip()]
    keys = {normalize_text(p).replace("\\", "") for p in parts}
    if keys <= _EMPTY_WORDS:
        return set()
    if not force and not all(_NAMEISH.fullmatch(p) and len(p) > 1 for p in parts):
        return None
    return keys


# ---- tuples ----------------------------------------------------------------------


@judge("tuple")
def judge_tuple(gold: Answer, text: str, limits: Limits) -> bool:
    names = [str(v) for v in gold.spec.get("variables", [])]
    want = tuple_items(gold_math(gold.value), names)
    got = tuple_items(parse_math(clean_latex(text), limits), names)
    length = gold.spec.get("length")
    if len(got) != len(want) or (length is not None and len(got) != int(length)):
        return False
    return all(values_equal(a, g) for a, g in zip(got, want))


def tuple_items(value: Any, names: list[str] | None) -> list[Any]:
    """`(1, 2)`, `1, 2`, `x = 1, y = 2` (put in the spec's variable order) -> [1, 2]."""
    import sympy

    from ..mathparse.containers import AnswerList, Bracketed

    if isinstance(value, Bracketed):
        if value.open not in ("(", "\\langle", "⟨", "[") or value.close not in (")", "\\rangle", "⟩", "]"):
            raise ParseError("not a tuple")
        items = value.items
    elif isinstance(value, AnswerList) and value.sep in (",", ";", "and"):
        items = value.items
    elif isinstance(value, sympy.Tuple):
        items = list(value.args)
    elif isinstance(value, sympy.MatrixBase) and 1 in value.shape:
        items = list(value)
    else:
        raise ParseError("not a tuple")
    if items and all(isinstance(v, sympy.Equality) and isinstance(v.lhs, sympy.Symbol) for v in items):
        by_name = {str(v.lhs): v.rhs for v in items}
        if names and set(by_name) == set(names):
            return [by_name[n] for n in names]
        return [v.rhs for v in items]
    return list(items)


# ---- intervals ---------------------------------------------------------------------

_UNION = ("\\cup", "∪", " U ", "\\text{ or }", "\\lor", " or ", "\\text{or}")
_INTERSECTION = ("\\cap", "∩", "\\text{ and }", "\\land", "\\wedge", " and ", "\\text{and}")

_REALS = {"reals", "\\mathbb{r}", "\\mathbb r", "mathbb{r}", "all real numbers", "r", "(-oo, oo)", "ℝ"}
_EMPTY = {"emptyset", "\\emptyset", "\\varnothing", "no solution", "no solutions", "no real solutions", "{}", "∅"}
_INFINITY = {"\\infty", "+\\infty", "oo", "+oo", "∞", "infinity", "inf"}
_IN_PREFIX = re.compile(r"^\s*[a-zA-Z]\s*(?:\\in|∈)\s*")


@judge("interval")
def judge_interval(gold: Answer, text: str, limits: Limits) -> bool:
    want = gold_interval(gold.value)
    return sets_equal(interval_set(text, limits), want)


def gold_interval(value: str) -> Any:
    from . import BadGold
    from .symbolic import GOLD_LIMITS

    try:
        return interval_set(value, GOLD_LIMITS)
    except (ParseError, Refused) as e:
        raise BadGold(f"gold interval {value[:60]!r}: {e}") from e


def interval_set(text: str, limits: Limits) -> Any:
    """A union of intervals, `\\mathbb{R}`, an inequality or a chain of them -> a sympy Set."""
    import sympy

    s = _IN_PREFIX.sub("", clean_latex(text))
    pieces = [top_level_split(p, _INTERSECTION) for p in top_level_split(s, _UNION)]
    return sympy.Union(*[sympy.Intersection(*[_piece(q.strip(), limits) for q in p]) for p in pieces])


def _piece(p: str, limits: Limits) -> Any:
    import sympy

    key = normalize_text(p).replace(" ", "")
    key_spaced = normalize_text(p)
    if key in _REALS or key_spaced in _REALS or key.replace("\\infty", "oo") == "(-oo,oo)":
        return sympy.S.Reals
    if key in _EMPTY or key_spaced in _EMPTY or p.strip() in _EMPTY:
        return sympy.S.EmptySet
    if p[:1] in "([" and p[-1:] in ")]":
        parts = top_level_split(p[1:-1], (",",))
        if len(parts) == 2:
            lo, hi = (_endpoint(x, limits) for x in parts)
            return sympy.Interval(lo, hi, p[0] == "(" or lo == -sympy.oo, p[-1] == ")" or hi == sympy.oo)
    value = parse_math(p, limits)
    return _as_set(value)


def _endpoint(text: str, limits: Limits) -> Any:
    import sympy

    t = text.strip().replace(" ", "")
    if t in _INFINITY:
        return sympy.oo
    if t.startswith("-") and t[1:] in _INFINITY:
        return -sympy.oo
    value = parse_math(text, limits)
    if not isinstance(value, sympy.Expr) or value.free_symbols or value.is_real is False:
        raise ParseError("an interval endpoint is a real number")
    return value


def _as_set(value: Any) -> Any:
    """An inequality (or a chain, or a set the grammar built) as a subset of the reals."""
    import sympy

    if isinstance(value, sympy.Set):
        return value
    if isinstance(value, sympy.And):
        return sympy.Intersection(*[_as_set(a) for a in value.args])
    if isinstance(value, sympy.Or):
        return sympy.Union(*[_as_set(a) for a in value.args])
    if isinstance(value, sympy.core.relational.Relational) and not isinstance(value, sympy.Equality):
        return _relation_set(value)
    raise ParseError("not an interval or inequality")


def _relation_set(rel: Any) -> Any:
    """`x < 3`, `3 >= x`, `2x - 4 > 0`: a relation linear in one variable, as an interval."""
    import sympy

    op = rel.rel_op
    expr = rel.lhs - rel.rhs
    symbols = expr.free_symbols
    if len(symbols) != 1:
        raise ParseError("an inequality in one variable")
    x = next(iter(symbols))
    slope, intercept = expr.coeff(x, 1), expr.coeff(x, 0)
    if slope.free_symbols or intercept.free_symbols or slope == 0 or (expr - slope * x - intercept) != 0:
        raise ParseError("an inequality linear in its variable")
    if not slope.is_real:
        raise ParseError("a real inequality")
    rhs = -intercept / slope
    if slope.is_negative:
        op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
    if op == "<":
        return sympy.Interval.open(-sympy.oo, rhs)
    if op == "<=":
        return sympy.Interval(-sympy.oo, rhs)
    if op == ">":
        return sympy.Interval.open(rhs, sympy.oo)
    if op == ">=":
        return sympy.Interval(rhs, sympy.oo)
    if op == "!=":
        return sympy.Union(sympy.Interval.open(-sympy.oo, rhs), sympy.Interval.open(rhs, sympy.oo))
    raise ParseError(f"unsupported relation {op}")


def sets_equal(a: Any, g: Any) -> bool:
    if a == g:
        return True
    pa, pg = _components(a), _components(g)
    if len(pa) != len(pg):
        return False
    return all(_same_component(x, y) for x, y in zip(pa, pg))


def _components(s: Any) -> list[Any]:
    import sympy

    parts = list(s.args) if isinstance(s, sympy.Union) else [s]
    out = []
    for p in parts:
        out.extend(sympy.FiniteSet(x) for x in p.args) if isinstance(p, sympy.FiniteSet) else out.append(p)
    return sorted(out, key=_start)


def _start(s: Any) -> float:
    import sympy

    lo = s.inf if s is not sympy.S.EmptySet else sympy.oo
    return float("-inf") if lo == -sympy.oo else float("inf") if lo == sympy.oo else float(sympy.N(lo, 30))


def _same_component(x: Any, y: Any) -> bool:
    import sympy

    if x == y:
        return True
    if isinstance(x, sympy.Interval) and isinstance(y, sympy.Interval):
        return (
            x.left_open == y.left_open
            and x.right_open == y.right_open
            and _endpoint_equal(x.start, y.start)
            and _endpoint_equal(x.end, y.end)
        )
    if isinstance(x, sympy.FiniteSet) and isinstance(y, sympy.FiniteSet):
        return _endpoint_equal(x.args[0], y.args[0])
    return False


def _endpoint_equal(a: Any, b: Any) -> bool:
    if a.is_infinite or b.is_infinite:
        return a == b
    return numbers_equal(a, b)


# ---- matrices ----------------------------------------------------------------------


@judge("matrix")
def judge_matrix(gold: Answer, text: str, limits: Limits) -> bool:
    from . import BadGold
    from .symbolic import GOLD_LIMITS

    try:
        want = read_matrix(gold.value, GOLD_LIMITS)
    except (ParseError, Refused) as e:
        raise BadGold(f"gold matrix {gold.value[:60]!r}: {e}") from e
    got = read_matrix(clean_latex(text), limits, vector_shape=want.shape)
    if got.shape != want.shape:
        return False
    return all(values_equal(a, g) for a, g in zip(got, want))


def read_matrix(text: str, limits: Limits, vector_shape: tuple[int, int] | None = None) -> Any:
    """pmatrix/bmatrix/array, nested lists `[[1, 2], [3, 4]]` (also with one-item rows), or a
    tuple `(1, 2, 3)` for a column or row vector gold -> an ImmutableMatrix."""
    import sympy

    from ..mathparse.containers import Bracketed

    s = text.strip()
    if s.startswith("[[") or s.startswith("[ ["):
        rows = [r.strip() for r in top_level_split(s[1:-1], (",",))]
        if rows and all(r.startswith("[") and r.endswith("]") for r in rows):
            cells = [[_cell(c, limits) for c in top_level_split(r[1:-1], (",",))] for r in rows]
            if len({len(r) for r in cells}) != 1:
                raise ParseError("ragged matrix")
            return sympy.ImmutableMatrix(cells)
    value = parse_math(s, limits)
    if isinstance(value, sympy.MatrixBase):
        m = sympy.ImmutableMatrix(value)
    elif isinstance(value, Bracketed) and vector_shape and 1 in vector_shape:
        m = sympy.ImmutableMatrix(value.items)
    else:
        raise ParseError("not a matrix")
    if vector_shape and 1 in m.shape and 1 in vector_shape and len(m) == vector_shape[0] * vector_shape[1]:
        m = m.reshape(*vector_shape)
    return m


def _cell(text: str, limits: Limits) -> Any:
    from .symbolic import require_expr

    return require_expr(parse_math(text, limits), "matrix entry")
