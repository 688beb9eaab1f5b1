"""The judge registry: one judge per answer kind, registered with `@judge("kind")`.

A judge answers one question -- does this extracted answer text match this gold? --
and returns a bool. It raises `Refused` (over a limit) or `ParseError` (not
well-formed); `reasonrl.rewards.verify` turns those into a `Verdict` reason, so
judges stay free of bookkeeping. Judges import sympy lazily: the number fast path
and the text, grid and countdown judges never touch it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from reasonrl.problems.types import Answer

from ..types import Limits

Judge = Callable[[Answer, str, Limits], bool]


class BadGold(Exception):
    """The gold itself cannot be read (or its spec lacks what the kind needs): a bad request,
    not a wrong answer."""


_JUDGES: dict[str, Judge] = {}
_BUILTIN_MODULES = ("number", "expression", "collections", "puzzles", "text")
_loaded = False


def judge(kind: str) -> Callable[[Judge], Judge]:
    """Register `fn` as the judge for answers of `kind` (a later registration replaces it)."""

    def register(fn: Judge) -> Judge:
        _JUDGES[kind] = fn
        return fn

    return register


def _load_builtins() -> None:
    global _loaded
    if not _loaded:
        for name in _BUILTIN_MODULES:
            importlib.import_module(f"{__name__}.{name}")
        _loaded = True


def get_judge(kind: str) -> Judge:
    """The judge for `kind`; KeyError names the known kinds."""
    _load_builtins()
    try:
        return _JUDGES[kind]
    except KeyError:
        raise KeyError(f"no judge for answer kind {kind!r}; known: {sorted(_JUDGES)}") from None


def judge_kinds() -> list[str]:
    _load_builtins()
    return sorted(_JUDGES)
