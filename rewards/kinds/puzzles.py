"""Puzzle judges: sudoku grids and countdown / 24-game expressions.

Both are judged by the puzzle's rules, not by comparison with the stored solution:
any valid grid that keeps the givens, any expression over the allowed numbers that
reaches the target. Neither needs sympy; countdown has its own tiny parser over
exact Fractions (the grammar has no power operator, so values stay small).
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction

from reasonrl.problems.types import Answer

from ..normalize import clean_latex, matching_brace
from ..types import Limits, ParseError, Refused
from . import BadGold, judge

_ENV = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}(?:\s*\{[^{}]*\})?")
_LABEL = re.compile(r"\b(?:row|r|line)\s*\d+\s*[:.)]", re.IGNORECASE)
_COMMAND = re.compile(r"\\[a-zA-Z]+")


@judge("grid")
def judge_grid(gold: Answer, text: str, limits: Limits) -> bool:
    size = int(gold.spec.get("size") or _gold_size(gold.value))
    digits = grid_digits(text, size)
    if len(digits) != size * size:
        return False
    rows = [digits[r * size : (r + 1) * size] for r in range(size)]
    givens = gold.spec.get("givens")
    if not givens:
        return "".join(rows) == "".join(grid_digits(gold.value, size))
    box = gold.spec.get("box") or _square_box(size)
    return _keeps_givens(rows, givens) and _valid_sudoku(rows, size, (int(box[0]), int(box[1])))


def grid_digits(text: str, size: int) -> str:
    """The cell digits in reading order, whatever the layout (spaces, newlines, `|`, pmatrix)."""
    if size > 9:
        raise ParseError("grids above 9x9 need multi-digit cells")
    s = _COMMAND.sub(" ", _LABEL.sub(" ", _ENV.sub(" ", text)))
    return "".join(c for c in s if c.isdigit())


def _gold_size(value: str) -> int:
    n = sum(c.isdigit() for c in value)
    size = int(round(n**0.5))
    if size * size != n:
        raise BadGold("gold grid is not square")
    return size


def _square_box(size: int) -> tuple[int, int]:
    root = int(round(size**0.5))
    return (root, root) if root * root == size else (1, size)


def _keeps_givens(rows: list[str], givens: list[str]) -> bool:
    return all(g in (".", "0", cell) for row, grow in zip(rows, givens) for cell, g in zip(row, grow))


def _valid_sudoku(rows: list[str], size: int, box: tuple[int, int]) -> bool:
    want = set("123456789"[:size])
    cols = ["".join(r[c] for r in rows) for c in range(size)]
    bh, bw = box
    boxes = [
        "".join(rows[r][c] for r in range(br, br + bh) for c in range(bc, bc + bw))
        for br in range(0, size, bh)
        for bc in range(0, size, bw)
    ]
    return all(set(unit) == want and len(unit) == size for unit in (*rows, *cols, *boxes))


# ---- countdown ---------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\d+)|(\\times|\\cdot|\\div|[-+*/×÷−·:x])|([()\[\]]|\\\{|\\\}|[{}])|(=))")
_OPS = {"\\times": "*", "\\cdot": "*", "×": "*", "·": "*", "x": "*", "\\div": "/", "÷": "/", ":": "/", "−": "-"}


@judge("countdown")
def judge_countdown(gold: Answer, text: str, limits: Limits) -> bool:
    try:
        numbers = [int(n) for n in gold.spec["numbers"]]
        target = Fraction(gold.spec["target"])
    except (KeyError, TypeError, ValueError) as e:
        raise BadGold(f"countdown spec needs numbers and target: {e}") from e
    tokens = countdown_tokens(text, limits)
    tokens = _drop_target(tokens, target)
    if tokens is None:
        return False
    used = Counter(int(t[1]) for t in tokens if t[0] == "num")
    allowed = Counter(numbers)
    if gold.spec.get("use_all") and used != allowed:
        return False
    if any(used[n] > allowed[n] for n in used):
        return False
    value = _Expr(tokens, limits).parse()
    return value is not None and value == target


def countdown_tokens(text: str, limits: Limits) -> list[tuple[str, str]]:
    """Tokens (`num`, `op`, `(`, `)`, `=`) of the answer; anything else is a parse error."""
    s = _unwrap_braces(_frac_to_division(clean_latex(text)))
    if "^" in s or "**" in s:
        raise ParseError("countdown allows + - * / only")
    tokens: list[tuple[str, str]] = []
    pos = 0
    s = s.rstrip()
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if m is None:
            raise ParseError(f"unexpected {s[pos : pos + 10]!r}")
        pos = m.end()
        if m[1]:
            if len(m[1]) > min(limits.max_int_digits, 12):
                raise Refused("digits", "countdown literal")
            tokens.append(("num", m[1]))
        elif m[2]:
            tokens.append(("op", _OPS.get(m[2], m[2])))
        elif m[3]:
            tokens.append(("(" if m[3] in "([{" or m[3] == "\\{" else ")", m[3]))
        else:
            tokens.append(("=", "="))
        if len(tokens) > limits.max_tokens:
            raise Refused("tokens", f"over {limits.max_tokens}")
    return tokens


def _frac_to_division(s: str) -> str:
    """`\\frac{a}{b}` -> `((a)/(b))`, innermost last; a malformed fraction is left to the tokenizer."""
    while (i := s.find("\\frac")) >= 0:
        j = i + len("\\frac")
        while j < len(s) and s[j] == " ":
            j += 1
        num_end = matching_brace(s, j) if s[j : j + 1] == "{" else -1
        k = num_end + 1
        while 0 < k < len(s) and s[k] == " ":
            k += 1
        den_end = matching_brace(s, k) if num_end > 0 and s[k : k + 1] == "{" else -1
        if den_end < 0:
            raise ParseError("malformed \\frac")
        s = f"{s[:i]}(({s[j + 1 : num_end]})/({s[k + 1 : den_end]})){s[den_end + 1 :]}"
    return s


def _unwrap_braces(s: str) -> str:
    """A whole answer wrapped in one `{...}` group (from `\\boxed{{...}}`) loses the group."""
    while s.startswith("{") and matching_brace(s, 0) == len(s) - 1:
        s = s[1:-1].strip()
    return s


def _drop_target(tokens: list[tuple[str, str]], target: Fraction) -> list[tuple[str, str]] | None:
    """`expr = target` or `target = expr` -> expr; a different number after `=` is wrong."""
    eq = [i for i, t in enumerate(tokens) if t[0] == "="]
    if not eq:
        return tokens
    if len(eq) > 1:
        raise ParseError("more than one '='")
    i = eq[0]
    left, right = tokens[:i], tokens[i + 1 :]
    for side, expr in ((right, left), (left, right)):
        if len(side) == 1 and side[0][0] == "num":
            return expr if Fraction(int(side[0][1])) == target else None
    raise ParseError("'=' must be followed by the target")


class _Expr:
    """Recursive descent over + - * / and brackets; no unary operators, no juxtaposition."""

    def __init__(self, tokens: list[tuple[str, str]], limits: Limits):
        self.tokens = tokens
        self.pos = 0
        self.max_depth = limits.max_depth

    def parse(self) -> Fraction | None:
        if not self.tokens:
            raise ParseError("empty expression")
        value = self._sum(0)
        if self.pos != len(self.tokens):
            raise ParseError(f"unexpected {self.tokens[self.pos][1]!r}")
        return value

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _sum(self, depth: int) -> Fraction | None:
        value = self._product(depth)
        while (t := self._peek()) is not None and t[0] == "op" and t[1] in "+-":
            self.pos += 1
            rhs = self._product(depth)
            value = None if value is None or rhs is None else (value + rhs if t[1] == "+" else value - rhs)
        return value

    def _product(self, depth: int) -> Fraction | None:
        value = self._atom(depth)
        while (t := self._peek()) is not None and t[0] == "op" and t[1] in "*/":
            self.pos += 1
            rhs = self._atom(depth)
            if value is None or rhs is None or (t[1] == "/" and rhs == 0):
                value = None
            else:
                value = value * rhs if t[1] == "*" else value / rhs
        return value

    def _atom(self, depth: int) -> Fraction | None:
        if depth > self.max_depth:
            raise Refused("depth", f"over {self.max_depth}")
        t = self._peek()
        if t is None:
            raise ParseError("expression ends early")
        self.pos += 1
        if t[0] == "num":
            return Fraction(int(t[1]))
        if t[0] == "(":
            value = self._sum(depth + 1)
            if (close := self._peek()) is None or close[0] != ")":
                raise ParseError("unclosed bracket")
            self.pos += 1
            return value
        raise ParseError(f"unexpected {t[1]!r}")
