"""What `to_sympy` returns where sympy has no faithful object: shapes the judges decide on.

Plain dataclasses, importable without sympy: `(1, 2]` may be a tuple or an interval and
`50\\%` may be a value or a unit, and only the gold's kind can tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Bracketed:
    """A top-level bracket pair holding two or more comma-separated items: `(1, 2]`, `[a, b]`."""

    open: str
    items: list[Any]
    close: str


@dataclass
class AnswerList:
    """Several answers: `a, b`, `x = 2 or x = 3`, or the branches of a `\\pm` (sep "pm")."""

    items: list[Any]
    sep: str


@dataclass
class Percent:
    """`expr` followed by a percent sign at the top of an answer; the judge decides if `%` is a unit."""

    expr: Any


@dataclass
class Degrees:
    """`expr` followed by `^\\circ` or `°` at the top of an answer (inside an expression degrees become `*pi/180`)."""

    expr: Any
