"""Independent checks of gold answers, one per family, keyed by family name.

A checker receives a generated `Problem` and raises AssertionError when its gold
answer is wrong. It recomputes the answer from `problem.meta["data"]` with sympy
or exact arithmetic, never by calling the generator's own helpers.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from reasonrl.problems import Problem

Checker = Callable[[Problem], None]
CHECKERS: dict[str, Checker] = {}


def checker(family: str) -> Callable[[Checker], Checker]:
    def register(fn: Checker) -> Checker:
        assert family not in CHECKERS, f"two checkers for {family}"
        CHECKERS[family] = fn
        return fn

    return register


for _mod in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_mod.name}")
