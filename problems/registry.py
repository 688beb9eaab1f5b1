"""The family registry: a family is one file in problems/families/ with a `@family` decorator.

A family declares its difficulty knobs as a table of ten rows (levels 1..10),
monotone in every knob, with levels 9-10 an extrapolation band strictly bigger
than level 8. The generator receives a seeded `random.Random` and the knobs of
the requested level and returns a `Draft`; `reasonrl.problems.generate` turns
the draft into a `Problem` (uid, prompt template, worked-solution ending).
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .types import ANSWER_KINDS, Answer

MIN_DIFFICULTY, MAX_DIFFICULTY = 1, 10
EXTRAPOLATION_LEVELS = (9, 10)


class Knobs(dict):
    """A level's knob values, readable as attributes (`k.digits`). Knobs are numbers;
    a categorical knob is an ordinal int documented by its family."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.__dict__.update(self)  # plain attribute lookups: generators read knobs in hot loops


@dataclass(frozen=True)
class Draft:
    """What a family generator returns: the question without the answer-format
    instruction, the gold answer, the worked steps (without the final-answer line),
    and the structured problem data that tests check independently."""

    question: str
    answer: Answer
    steps: list[str]
    data: dict[str, Any] = field(default_factory=dict)


Generator = Callable[[random.Random, Knobs], Draft]


@dataclass(frozen=True)
class Family:
    name: str
    kind: str
    category: str
    levels: tuple[Knobs, ...]
    generate: Generator
    version: int
    description: str

    def knobs(self, difficulty: int) -> Knobs:
        check_difficulty(difficulty)
        return self.levels[difficulty - 1]


_FAMILIES: dict[str, Family] = {}
_loaded = False


def check_difficulty(difficulty: int) -> None:
    if not isinstance(difficulty, int) or not MIN_DIFFICULTY <= difficulty <= MAX_DIFFICULTY:
        raise ValueError(
            f"difficulty {difficulty!r} is out of range; choose an integer {MIN_DIFFICULTY}..{MAX_DIFFICULTY}"
        )


def _validate_levels(name: str, levels: Sequence[dict[str, Any]]) -> tuple[Knobs, ...]:
    if len(levels) != MAX_DIFFICULTY:
        raise ValueError(f"family {name!r}: levels must have {MAX_DIFFICULTY} rows, got {len(levels)}")
    keys = set(levels[0])
    for i, row in enumerate(levels):
        if set(row) != keys:
            raise ValueError(f"family {name!r}: level {i + 1} knobs {sorted(row)} differ from level 1 {sorted(keys)}")
    for lo, hi in zip(levels, levels[1:]):
        for k in keys:
            if hi[k] < lo[k]:
                raise ValueError(f"family {name!r}: knob {k!r} decreases with difficulty ({lo[k]} -> {hi[k]})")
    for level in EXTRAPOLATION_LEVELS:
        below, at = levels[level - 2], levels[level - 1]
        if not any(at[k] > below[k] for k in keys):
            raise ValueError(f"family {name!r}: level {level} must raise some knob above level {level - 1}")
    return tuple(Knobs(row) for row in levels)


def family(
    name: str, *, kind: str, category: str, levels: Sequence[dict[str, Any]], version: int = 1
) -> Callable[[Generator], Generator]:
    """Register a problem family; the decorated function's docstring is its description."""
    if kind not in ANSWER_KINDS:
        raise ValueError(f"family {name!r}: unknown answer kind {kind!r}; choose one of {', '.join(ANSWER_KINDS)}")
    checked = _validate_levels(name, levels)

    def register(fn: Generator) -> Generator:
        if name in _FAMILIES and _FAMILIES[name].generate is not fn:
            raise ValueError(f"problem family {name!r} is registered twice")
        doc = (fn.__doc__ or "").strip().split("\n")[0]
        _FAMILIES[name] = Family(name, kind, category, checked, fn, version, doc)
        return fn

    return register


def _load_builtin_families() -> None:
    global _loaded
    if _loaded:
        return
    from . import families

    for mod in pkgutil.iter_modules(families.__path__):
        importlib.import_module(f"{families.__name__}.{mod.name}")
    _loaded = True


def get_family(name: str) -> Family:
    _load_builtin_families()
    try:
        return _FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown problem family {name!r}; choose one of {', '.join(sorted(_FAMILIES))}") from None


def all_families() -> list[Family]:
    _load_builtin_families()
    return [_FAMILIES[n] for n in sorted(_FAMILIES)]
