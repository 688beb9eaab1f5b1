"""The syntax tree of an answer: plain dataclasses, no sympy, so the cheap paths stay cheap.

Sums and products are n-ary (`Add`, `Mul`) so a long answer gives a flat tree, not a deep one;
subtraction is `Neg` inside `Add` and division `Recip` inside `Mul`.
"""

from __future__ import annotations

from dataclasses import dataclass


class Node:
    __slots__ = ()


@dataclass(slots=True)
class Num(Node):
    """The exact literal p/q (reduced, q > 0). `form` says how it was written: int, decimal,
    repeating or sci, so a judge can tell `0.33` from `1/3`; `text` is the literal's digits."""

    p: int
    q: int = 1
    form: str = "int"
    text: str = ""


@dataclass(slots=True)
class Sym(Node):
    name: str


@dataclass(slots=True)
class Const(Node):
    """pi, E, I or oo."""

    name: str


@dataclass(slots=True)
class SpecialSet(Node):
    """EmptySet or Reals."""

    name: str


@dataclass(slots=True)
class Neg(Node):
    arg: Node


@dataclass(slots=True)
class PM(Node):
    """`\\pm arg` (or `\\mp arg` when minus_first): the answer has one branch per sign."""

    arg: Node
    minus_first: bool = False


@dataclass(slots=True)
class Add(Node):
    terms: list[Node]


@dataclass(slots=True)
class Mul(Node):
    factors: list[Node]


@dataclass(slots=True)
class Recip(Node):
    """A divisor inside `Mul`: `a / b` is Mul([a, Recip(b)])."""

    arg: Node


@dataclass(slots=True)
class Frac(Node):
    """`\\frac{num}{den}` (kept apart from `/` so mixed numbers and judges can see it)."""

    num: Node
    den: Node


@dataclass(slots=True)
class MixedNum(Node):
    """`2\\frac{1}{3}` or `2 1/3`: whole + p/q with 0 < p < q."""

    whole: int
    p: int
    q: int


@dataclass(slots=True)
class Pow(Node):
    base: Node
    exp: Node


@dataclass(slots=True)
class Func(Node):
    """A whitelisted function by canonical name (see names.FUNCTIONS); `log` may take a base as 2nd arg."""

    name: str
    args: list[Node]


@dataclass(slots=True)
class Pct(Node):
    """`arg %`."""

    arg: Node


@dataclass(slots=True)
class Deg(Node):
    """`arg ^\\circ`."""

    arg: Node


@dataclass(slots=True)
class Rel(Node):
    """A chain of relations: `1 < x <= 3` is Rel(["<", "<="], [1, x, 3]); ops are = != < > <= >= in."""

    ops: list[str]
    args: list[Node]


@dataclass(slots=True)
class SetOp(Node):
    """`A \\cup B \\cap C`, left to right; ops are cup, cap, minus."""

    ops: list[str]
    args: list[Node]


@dataclass(slots=True)
class Bracket(Node):
    """Two or more items in brackets: a tuple, a point or an interval; `open`/`close` are the characters."""

    open: str
    items: list[Node]
    close: str


@dataclass(slots=True)
class SetOf(Node):
    """`\\{a, b\\}` (or plain `{a, b}` with a comma)."""

    items: list[Node]


@dataclass(slots=True)
class Matrix(Node):
    rows: list[list[Node]]


@dataclass(slots=True)
class ListOf(Node):
    """Top-level answers separated by `sep` (",", ";", "or", "and", "quad")."""

    items: list[Node]
    sep: str
