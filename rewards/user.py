"""User rewards: `fn(problem_or_gold, completion) -> float`, registered by name or named as `file.py:function`.

They run inside the reward pool's workers with the verifier's limits, so a user function that loops or
allocates without bound costs one item (`timeout`, `worker_died`), never the run. Worker processes do not
share the parent's registry; the pool sends them a *reference* they can import themselves
(`module:qualname` or `/abs/path/file.py:function`), made by `portable_ref` in the parent.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import math
import numbers
import sys
from collections.abc import Callable
from functools import reduce
from pathlib import Path
from typing import Any, TypeVar

from .types import CORRECT, WRONG, Verdict

USER_ERROR = "user_error"  # the user function raised, or returned something other than a finite number

RewardFn = Callable[[Any, str], float]
F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

_REGISTRY: dict[str, RewardFn] = {}
_FILE_MODULES: dict[str, Path] = {}  # module name given to a loaded user file -> the file
_RESOLVED: dict[str, RewardFn] = {}  # per process: reference -> function
_WARNED: set[str] = set()


def reward_function(name: str) -> Callable[[F], F]:
    """Register `fn(problem_or_gold, completion) -> float` (or a Verdict) under `name`.

    Define it at module level: worker processes import it by module and name.
    """

    def register(fn: F) -> F:
        old = _REGISTRY.get(name)
        if old is not None and _ref_of(old) != _ref_of(fn):
            raise ValueError(f"reward '{name}' is already registered by {_ref_of(old)}")
        _REGISTRY[name] = fn
        return fn

    return register


def registered_rewards() -> list[str]:
    return sorted(_REGISTRY)


def is_file_spec(spec: str) -> bool:
    path, sep, fn = spec.rpartition(":")
    return bool(sep) and path.endswith(".py")


def load_reward(spec: str) -> RewardFn:
    """The function named by `path/to/file.py:function` (the file is imported once per process)."""
    path_text, _, fn_name = spec.rpartition(":")
    if not path_text.endswith(".py") or not fn_name:
        raise ValueError(f"reward '{spec}' must look like path/to/file.py:function")
    path = Path(path_text).expanduser().resolve()
    if not path.is_file():
        raise ValueError(f"reward file {path} does not exist (from '{spec}')")
    module = _import_file(path)
    fn = _attribute(module, fn_name)
    if not callable(fn):
        raise ValueError(f"reward file {path} has no function '{fn_name}'")
    return fn


def _import_file(path: Path) -> Any:
    name = "reasonrl_user_reward_" + hashlib.sha1(str(path).encode()).hexdigest()[:16]
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"reward file {path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    _FILE_MODULES[name] = path
    try:
        spec.loader.exec_module(module)
    except Exception as e:
        del sys.modules[name]
        raise ValueError(f"reward file {path} failed to import: {type(e).__name__}: {e}") from e
    return module


def _attribute(obj: Any, dotted: str) -> Any:
    try:
        return reduce(getattr, dotted.split("."), obj)
    except AttributeError:
        return None


def _ref_of(fn: Callable[..., Any]) -> str:
    module = getattr(fn, "__module__", None) or "?"
    qualname = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", "?")
    if module in _FILE_MODULES:
        return f"{_FILE_MODULES[module]}:{qualname}"
    return f"{module}:{qualname}"


def portable_ref(name_or_spec: str) -> str:
    """In the parent: a reference a fresh worker process can import (validated here, so typos fail early)."""
    if name_or_spec in _REGISTRY:
        ref = _ref_of(_REGISTRY[name_or_spec])
        if "<locals>" in ref or ref.startswith("?"):
            raise ValueError(f"reward '{name_or_spec}' ({ref}) must be defined at module level to run in workers")
        return ref
    resolve_reward(name_or_spec)
    if is_file_spec(name_or_spec):
        path, _, fn = name_or_spec.rpartition(":")
        return f"{Path(path).expanduser().resolve()}:{fn}"
    return name_or_spec


def resolve_reward(ref: str) -> RewardFn:
    """A registered name, `file.py:function` or `module:qualname` -> the function (cached per process)."""
    if ref in _REGISTRY:
        return _REGISTRY[ref]
    fn = _RESOLVED.get(ref)
    if fn is None:
        fn = load_reward(ref) if is_file_spec(ref) else _import_ref(ref)
        _RESOLVED[ref] = fn
    return fn


def _import_ref(ref: str) -> RewardFn:
    module_name, sep, qualname = ref.partition(":")
    if not sep:
        known = ", ".join(registered_rewards()) or "none registered"
        raise ValueError(f"unknown reward '{ref}' (registered: {known}; or give path/to/file.py:function)")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise ValueError(f"reward '{ref}': cannot import module {module_name}: {e}") from e
    fn = _attribute(module, qualname)
    if not callable(fn):
        raise ValueError(f"reward '{ref}': module {module_name} has no function '{qualname}'")
    return fn


def run_reward(ref: str, problem_or_gold: Any, completion: str) -> Verdict:
    """Resolve and call a user reward; a reference this process cannot load is a `user_error` too."""
    try:
        fn = resolve_reward(ref)
    except ValueError as e:
        _warn_once(ref, str(e))
        return Verdict.fail(USER_ERROR)
    return call_reward(fn, problem_or_gold, completion)


def call_reward(fn: RewardFn, problem_or_gold: Any, completion: str) -> Verdict:
    """Run one user reward; its failures become a `user_error` verdict (MemoryError is left to the pool)."""
    try:
        value = fn(problem_or_gold, completion)
    except MemoryError:
        raise
    except Exception as e:
        _warn_once(fn, f"raised {type(e).__name__}: {e}")
        return Verdict.fail(USER_ERROR)
    if isinstance(value, Verdict):
        return value
    if not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        _warn_once(fn, f"returned {value!r:.80}, not a finite number")
        return Verdict.fail(USER_ERROR)
    score = float(value)
    return Verdict(score > 0, score, None, CORRECT if score > 0 else WRONG)


def _warn_once(fn: RewardFn | str, what: str) -> None:
    ref = fn if isinstance(fn, str) else _ref_of(fn)
    if ref not in _WARNED:
        _WARNED.add(ref)
        log.warning("user reward %s %s (scored 0, reason user_error; reported once per process)", ref, what)
