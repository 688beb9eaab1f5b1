"""`detect_gold`: the answer kind of a plain gold string (MATH, GSM8K, user data files).

Looks at the shape of the text only (brackets, commas, relations, letters), never
at its value, so it is cheap and needs no sympy; results are cached per string. The
judges then parse the gold with the same grammar as answers, so a LaTeX gold works
as `Answer.value`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reasonrl.problems.types import Answer

from .kinds.fastnum import parse_plain_number
from .normalize import (
    clean_latex,
    normalize_text,
    strip_currency,
    strip_degrees,
    strip_units,
    top_level_split,
    unwrap_text_commands,
)
from .types import DEFAULT_LIMITS, Refused

_CHOICE = re.compile(r"^\(?([A-E])\)?$")
_BOOLEAN = {"yes", "no", "true", "false"}
_MATRIX = re.compile(r"\\begin\s*\{(?:[pbvBV]?matrix|array|smallmatrix)\}|^\[\s*\[")
_INTERVAL_WORDS = re.compile(
    r"\\cup|∪|\sU\s|\\infty|\boo\b|\\mathbb\s*\{?R|^Reals$|^EmptySet$|\\emptyset|\\varnothing|all real numbers"
)
_RELATION = re.compile(r"\\le(?:q|qslant)?(?![a-z])|\\ge(?:q|qslant)?(?![a-z])|\\[lg]t(?![a-z])|<|>|≤|≥")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_WORD = re.compile(r"[A-Za-z]{4,}")

_CONSTANTS = {"e", "i", "E", "I", "pi", "oo"}
_FUNCTIONS = {"sqrt", "sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "asin", "acos", "atan", "sinh",
              "cosh", "tanh", "Abs", "factorial", "binomial", "floor", "ceiling", "arcsin", "arccos", "arctan"}  # fmt: skip
_NAME = re.compile(r"[A-Z][a-z]+")
_EQ_LHS = re.compile(r"^\s*([A-Za-z](?:_\{?\w+\}?)?)\s*$")
_WHOLE_TEXT = re.compile(r"\\(?:text|textbf|textit|mathrm|mbox)\s*\{[^{}]*\}")
_INFINITY = re.compile(r"[-+]?\s*(?:\\infty|oo|∞)")


def detect_gold(gold: str, kind: str | None = None) -> Answer:
    """An Answer for a plain gold string: `kind` when given, else detected from the text."""
    return _detect(gold, kind)


@lru_cache(maxsize=16384)
def _detect(gold: str, kind: str | None) -> Answer:
    s = clean_latex(gold)
    if kind is not None:
        return Answer(kind, _value_for(kind, s), gold, _spec_for(kind, s))
    found = detect_kind(s)
    return Answer(found, _value_for(found, s), gold, _spec_for(found, s))


def detect_kind(s: str) -> str:
    """The answer kind the shape of `s` (already through clean_latex) suggests."""
    flat = unwrap_text_commands(s).strip()
    if normalize_text(flat) in _BOOLEAN:
        return "boolean"
    if _CHOICE.match(flat.replace(" ", "")):
        return "choice"
    if _MATRIX.search(s):
        return "matrix"
    if _is_percent(s) or _plain_number(s):
        return "number"
    if _WHOLE_TEXT.fullmatch(s):
        return "text"
    if s.startswith("\\{") or (s.startswith("{") and s.endswith("}") and "," in s):
        return "set"
    if _INFINITY.fullmatch(s):
        return "number"
    if _INTERVAL_WORDS.search(s) or _RELATION.search(s) or _mixed_brackets(s):
        return "interval"
    if _is_bracketed_list(s, "(", ")"):
        return "tuple"
    if _is_bracketed_list(s, "[", "]"):
        return "interval"
    parts = top_level_split(s, (",", "\\text{ or }", " or ", "\\text{ and }", " and "))
    if "=" in s:
        return _equation_kind(parts)
    if len(parts) > 1:
        return "set" if all(_NAME.fullmatch(p.strip()) for p in parts) else "equation_solutions"
    if "\\pm" in s or "\\mp" in s:
        return "equation_solutions"
    core = unwrap_text_commands(strip_units(s))
    if is_text_like(core):
        return "text"
    return "expression" if _has_variable(core) else "number"


def _equation_kind(parts: list[str]) -> str:
    """`x = 5` is a number, `x = 1, x = 2` solutions, `a = 1, b = 2` a tuple; else an equation."""
    sides = [top_level_split(p, ("=",)) for p in parts]
    if all(len(side) == 2 and _EQ_LHS.match(side[0]) and not _has_variable(side[1]) for side in sides):
        names = [side[0].strip() for side in sides]
        if len(parts) == 1:
            return "number"
        return "tuple" if len(set(names)) == len(names) else "equation_solutions"
    return "expression"


def _value_for(kind: str, s: str) -> str:
    if kind == "number":
        s = s.split("=")[-1].strip() if "=" in s else s
        s = strip_degrees(strip_currency(s))
        s = re.sub(r"\s*\\?%$", "", s)
        return strip_units(s) if parse_plain_number(s, DEFAULT_LIMITS) is None else s
    if kind == "text":
        return unwrap_text_commands(s)
    return s


def _spec_for(kind: str, s: str) -> dict:
    if kind == "number" and _is_percent(s):
        return {"unit": "%"}
    if kind == "expression" and "=" in s:
        return {"equation": True}
    if kind == "interval":
        m = re.search(r"(?<![A-Za-z\\])([a-z])(?![A-Za-z])", _COMMAND.sub(" ", s))
        return {"variable": m[1]} if m else {}
    if kind == "tuple" and "=" in s:
        names = [top_level_split(p, ("=",))[0].strip() for p in top_level_split(s, (",",))]
        return {"variables": names}
    return {}


def _is_percent(s: str) -> bool:
    return bool(re.search(r"\d\s*\\?%$", s))


def _plain_number(s: str) -> bool:
    try:
        return parse_plain_number(s, DEFAULT_LIMITS) is not None
    except Refused:
        return True


def _mixed_brackets(s: str) -> bool:
    return len(s) > 2 and ((s[0] == "(" and s[-1] == "]") or (s[0] == "[" and s[-1] == ")"))


def _is_bracketed_list(s: str, left: str, right: str) -> bool:
    return s.startswith(left) and s.endswith(right) and len(top_level_split(s[1:-1], (",",))) > 1


def _has_variable(s: str) -> bool:
    """A letter left after removing LaTeX commands, function names and the constants e, i, pi."""
    rest = _COMMAND.sub(" ", s)
    for word in re.findall(r"[A-Za-z]+", rest):
        if word in _CONSTANTS or word in _FUNCTIONS:
            continue
        return True
    return False


def is_text_like(s: str) -> bool:
    """Prose rather than math: a word of four or more letters that is not a function name."""
    rest = _COMMAND.sub(" ", s)
    return any(w not in _FUNCTIONS for w in _WORD.findall(rest))
