"""Independent checks of the puzzle families: sudoku, countdown, game24, knights_knaves.

Sudoku is re-solved by a backtracking search that counts solutions (the generator
only ever uses naked and hidden singles); countdown and game24 expressions are
evaluated with exact fractions from their syntax tree and with sympy; knights and
knaves puzzles are re-read from the prompt text and brute-forced over every
assignment of kinds.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections import Counter
from fractions import Fraction

from reasonrl.problems import Problem

from . import checker
from .sympy_helpers import parse

# ---------------------------------------------------------------- sudoku


def _count_solutions(cells: list[int], n: int, br: int, bc: int, limit: int = 2) -> int:
    """Number of completions of the grid (0 = empty), up to `limit`, by most-constrained-cell backtracking."""
    full = (1 << (n + 1)) - 2  # bits 1..n
    rows, cols, boxes = [0] * n, [0] * n, [0] * n
    box_of = [(i // n) // br * (n // bc) + (i % n) // bc for i in range(n * n)]
    for i, v in enumerate(cells):
        if v:
            r, c, b = i // n, i % n, box_of[i]
            bit = 1 << v
            assert not (rows[r] | cols[c] | boxes[b]) & bit, f"given {v} at cell {i} clashes"
            rows[r] |= bit
            cols[c] |= bit
            boxes[b] |= bit
    empty = [i for i, v in enumerate(cells) if not v]

    def search(todo: list[int]) -> int:
        if not todo:
            return 1
        best, best_free, best_count = -1, 0, n + 1
        for k, i in enumerate(todo):
            free = full & ~(rows[i // n] | cols[i % n] | boxes[box_of[i]])
            cnt = bin(free).count("1")
            if cnt < best_count:
                best, best_free, best_count = k, free, cnt
                if cnt <= 1:
                    break
        if best_count == 0:
            return 0
        i = todo[best]
        rest = todo[:best] + todo[best + 1 :]
        r, c, b = i // n, i % n, box_of[i]
        found = 0
        for v in range(1, n + 1):
            bit = 1 << v
            if best_free & bit:
                rows[r] |= bit
                cols[c] |= bit
                boxes[b] |= bit
                found += search(rest)
                rows[r] &= ~bit
                cols[c] &= ~bit
                boxes[b] &= ~bit
                if found >= limit:
                    return found
        return found

    return search(empty)


@checker("sudoku")
def check_sudoku(p: Problem) -> None:
    data, spec = p.meta["data"], p.answer.spec
    n, (br, bc) = data["size"], data["box"]
    givens = data["givens"]
    assert n == p.meta["knobs"]["size"] and br * bc == n and n % br == 0 and n % bc == 0
    assert spec == {"size": n, "box": [br, bc], "givens": givens}
    assert len(givens) == n and all(len(row) == n for row in givens)
    blanks = sum(row.count(".") for row in givens)
    assert blanks == data["blanks"] and 0 < blanks <= p.meta["knobs"]["empties"], blanks
    rows = p.answer.value.split("\n")
    assert p.answer.latex == " ".join(rows)
    assert len(rows) == n and all(len(row) == n for row in rows)
    grid = [[int(ch) for ch in row] for row in rows]
    digits = list(range(1, n + 1))
    for r in range(n):
        assert sorted(grid[r]) == digits, f"row {r + 1}"
        assert sorted(grid[i][r] for i in range(n)) == digits, f"column {r + 1}"
    for r0 in range(0, n, br):
        for c0 in range(0, n, bc):
            box = [grid[r0 + i][c0 + j] for i in range(br) for j in range(bc)]
            assert sorted(box) == digits, f"box at ({r0 + 1}, {c0 + 1})"
    for r in range(n):
        for c in range(n):
            assert givens[r][c] == "." or int(givens[r][c]) == grid[r][c], f"r{r + 1}c{c + 1} differs from the given"
    cells = [0 if ch == "." else int(ch) for row in givens for ch in row]
    assert _count_solutions(cells, n, br, bc) == 1, "the puzzle does not have exactly one solution"
    for row in givens:  # the prompt shows the givens, one row per line
        assert " ".join(row) in p.prompt


# ---------------------------------------------------------------- countdown and game24


def _evaluate(text: str) -> tuple[Fraction, list[int]]:
    """Exact value and the integer literals of an expression made of + - * / and parentheses."""
    leaves: list[int] = []

    def ev(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            leaves.append(node.value)
            return Fraction(node.value)
        assert isinstance(node, ast.BinOp), f"unexpected syntax {ast.dump(node)}"
        a, b = ev(node.left), ev(node.right)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        assert isinstance(node.op, ast.Div), f"unexpected operator {node.op}"
        assert b != 0, "division by zero"
        return a / b

    return ev(ast.parse(text, mode="eval").body), leaves


def _check_countdown_like(p: Problem, use_all: bool) -> None:
    data, spec = p.meta["data"], p.answer.spec
    numbers, target = data["numbers"], data["target"]
    assert spec == {"numbers": numbers, "target": target, "use_all": use_all}
    assert data["use_all"] is use_all and type(target) is int and target > 0
    assert all(type(x) is int and x > 0 for x in numbers)
    value, used = _evaluate(p.answer.value)
    assert value == target, f"{p.answer.value} = {value}, not {target}"
    have, need = Counter(numbers), Counter(used)
    if use_all:
        assert have == need, f"uses {sorted(used)}, not exactly {sorted(numbers)}"
    else:
        assert not need - have, f"uses {sorted(used)}, more than {sorted(numbers)} allows"
    assert parse(p.answer.value) == target  # sympy reads the plain form to the same exact value
    assert p.answer.latex.replace("\\times", "*").replace("\\div", "/") == p.answer.value
    shown = ", ".join(str(x) for x in numbers)
    assert f"${shown}$" in p.prompt and str(target) in p.prompt


@checker("countdown")
def check_countdown(p: Problem) -> None:
    k = p.meta["knobs"]
    _check_countdown_like(p, use_all=False)
    numbers, target = p.meta["data"]["numbers"], p.meta["data"]["target"]
    assert len(numbers) == k["count"] and target not in numbers
    assert len(_evaluate(p.answer.value)[1]) >= min(k["min_used"], len(numbers))


@checker("game24")
def check_game24(p: Problem) -> None:
    k = p.meta["knobs"]
    _check_countdown_like(p, use_all=True)
    numbers = p.meta["data"]["numbers"]
    assert p.meta["data"]["target"] == 24
    assert len(numbers) == k["count"] and all(1 <= x <= k["max_number"] for x in numbers)


# ---------------------------------------------------------------- knights and knaves

_NUMBERS = {w: i for i, w in enumerate(("no", "one", "two", "three", "four", "five", "six", "seven", "eight"))}
_KIND = r"(knight|knave)"


def _read_statement(text: str, speaker: str, names: set[str]):
    """The statement as a predicate over {name: is_knight}, read from its English text."""

    def person(word: str) -> str:
        who = speaker if word in ("I", "me") else word
        assert who in names, f"unknown person {word!r} in {text!r}"
        return who

    def clause(part: str):
        m = re.fullmatch(r"I am a " + _KIND, part) or re.fullmatch(r"(\w+) is a " + _KIND, part)
        assert m, f"cannot read clause {part!r}"
        who = speaker if part.startswith("I am") else person(m.group(1))
        kind = m.group(m.lastindex) == "knight"
        return lambda w: w[who] == kind

    def group(part: str) -> list[str]:
        if part == "us":
            return sorted(names)
        items = re.split(r", | and | nor ", part)
        return [person(x) for x in items]

    if m := re.fullmatch(r"(\w+) is a " + _KIND, text):
        who, kind = person(m.group(1)), m.group(2) == "knight"
        assert who != speaker
        return lambda w: w[who] == kind
    if m := re.fullmatch(r"(\w+) and (\w+) are the same kind", text):
        a, b = person(m.group(1)), person(m.group(2))
        return lambda w: w[a] == w[b]
    if m := re.fullmatch(r"(\w+) and (\w+) are different kinds", text):
        a, b = person(m.group(1)), person(m.group(2))
        return lambda w: w[a] != w[b]
    if m := re.fullmatch(r"At least one of (\w+) and (\w+) is a " + _KIND, text):
        a, b, kind = person(m.group(1)), person(m.group(2)), m.group(3) == "knight"
        return lambda w: w[a] == kind or w[b] == kind
    if m := re.fullmatch(r"(\w+) and (\w+) are both (knight|knave)s", text):
        a, b, kind = person(m.group(1)), person(m.group(2)), m.group(3) == "knight"
        return lambda w: w[a] == kind and w[b] == kind
    if m := re.fullmatch(r"If (.+), then (.+)", text):
        a, b = clause(m.group(1)), clause(m.group(2))
        return lambda w: not a(w) or b(w)
    if m := re.fullmatch(r"Exactly (\w+) of (.+) (?:is a knight|are knights)", text):
        count, people = _NUMBERS[m.group(1)], group(m.group(2))
        return lambda w: sum(w[x] for x in people) == count
    if m := re.fullmatch(r"(?:None of|Neither) (.+) is a knight", text):
        people = group(m.group(1))
        return lambda w: not any(w[x] for x in people)
    if m := re.fullmatch(r"All of us are knights", text):
        return lambda w: all(w.values())
    if m := re.fullmatch(r"(.+) are (?:both|all) knights", text):
        people = group(m.group(1))
        return lambda w: all(w[x] for x in people)
    if m := re.fullmatch(r"(.+ (?:is|am) a (?:knight|knave)) and (.+ (?:is|am) a (?:knight|knave))", text):
        a, b = clause(m.group(1)), clause(m.group(2))
        return lambda w: a(w) and b(w)
    raise AssertionError(f"cannot read statement {text!r}")


def _data_statement(st: dict):
    """The same statement, from the structured data."""
    op = st["op"]
    if op == "is":
        return lambda w: w[st["person"]] == st["knight"]
    if op == "same":
        return lambda w: w[st["people"][0]] == w[st["people"][1]]
    if op == "different":
        return lambda w: w[st["people"][0]] != w[st["people"][1]]
    if op == "at_least_one":
        return lambda w: any(w[x] == st["knight"] for x in st["people"])
    if op == "both":
        return lambda w: all(w[x] == st["knight"] for x in st["people"])
    if op == "if":
        return lambda w: w[st["if"][0]] != st["if"][1] or w[st["then"][0]] == st["then"][1]
    if op == "and":
        return lambda w: w[st["left"][0]] == st["left"][1] and w[st["right"][0]] == st["right"][1]
    assert op == "exactly", op
    return lambda w: sum(w[x] for x in st["people"]) == st["count"]


def _consistent(people: list[str], statements: list[tuple[str, object]]) -> list[frozenset[str]]:
    out = []
    for kinds in itertools.product((False, True), repeat=len(people)):
        w = dict(zip(people, kinds))
        if all(w[speaker] == bool(says(w)) for speaker, says in statements):
            out.append(frozenset(x for x in people if w[x]))
    return out


@checker("knights_knaves")
def check_knights_knaves(p: Problem) -> None:
    data, spec = p.meta["data"], p.answer.spec
    people, knights = data["people"], data["knights"]
    assert len(people) == len(set(people)) == p.meta["knobs"]["people"]
    assert spec == {"people": people, "knights": knights} and knights == sorted(knights)
    assert p.answer.value == "{" + ", ".join(knights) + "}"
    assert p.answer.latex == (", ".join(knights) if knights else "none")
    said = re.findall(r'^(\w+) says: "(.+)\."$', p.prompt, flags=re.M)
    assert [s for s, _ in said] == people, "each person speaks once, in order"
    from_text = [(s, _read_statement(t, s, set(people))) for s, t in said]
    assert _consistent(people, from_text) == [frozenset(knights)], "the statements do not single out the knights"
    from_data = [(st["speaker"], _data_statement(st)) for st in data["statements"]]
    assert _consistent(people, from_data) == [frozenset(knights)], "the data does not single out the knights"
