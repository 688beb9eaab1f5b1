"""Engine registry: a name from the config -> a factory, with start-up validation of the sampling settings.

Validation runs before any model is loaded so a setting an engine cannot honour fails the run at start-up with a
message naming the field and the fix, instead of being silently ignored mid-training. vLLM is imported only when
the "vllm" engine is built (its module keeps the import inside the class).
"""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reasonrl.rollout.types import Engine, SamplingParams

Factory = Callable[..., Engine]
Validator = Callable[[SamplingParams, Mapping[str, Any]], None]


@dataclass(frozen=True)
class EngineSpec:
    name: str
    factory: Factory  # factory(model, sampling, **opts) -> Engine
    validate: Validator  # validate(sampling, opts): raises ValueError, loads nothing


_REGISTRY: dict[str, EngineSpec] = {}


def engine(name: str, *, validate: Validator | None = None) -> Callable[[Factory], Factory]:
    """Register `factory(model, sampling, **opts)` under `name` (decorator)."""

    def register(factory: Factory) -> Factory:
        if name in _REGISTRY:
            raise ValueError(f"engine: {name!r} is already registered")
        _REGISTRY[name] = EngineSpec(name, factory, validate or (lambda sampling, opts: None))
        return factory

    return register


def engine_names() -> list[str]:
    return sorted(_REGISTRY)


def _spec(name: str) -> EngineSpec:
    if name not in _REGISTRY:
        raise ValueError(f"engine: unknown engine {name!r}; choose one of {engine_names()}")
    return _REGISTRY[name]


def validate_engine(name: str, sampling: SamplingParams, **opts: Any) -> None:
    """Check that `name` can run with these settings (no model load): raises ValueError naming field and fix."""
    _spec(name).validate(sampling, opts)


def make_engine(name: str, model: str, sampling: SamplingParams, **opts: Any) -> Engine:
    """Validate, then build the engine. `sampling` is the run's sampling config, checked here at start-up."""
    spec = _spec(name)
    spec.validate(sampling, opts)
    return spec.factory(model, sampling, **opts)


def _check_options(engine_name: str, opts: Mapping[str, Any], accepted: set[str]) -> None:
    unknown = sorted(set(opts) - accepted)
    if unknown:
        raise ValueError(
            f"engine.{unknown[0]}: the {engine_name} engine has no option {unknown[0]!r}; "
            f"remove it or choose one of {sorted(accepted)}"
        )


# ---- transformers -------------------------------------------------------------------------------------------------


def _transformers_options() -> set[str]:
    from reasonrl.rollout.engine_hf import TransformersEngine

    params = inspect.signature(TransformersEngine.__init__).parameters
    return {p for p, v in params.items() if p != "self" and v.kind is inspect.Parameter.KEYWORD_ONLY}


def _validate_transformers(sampling: SamplingParams, opts: Mapping[str, Any]) -> None:
    # Every SamplingParams field is implemented by rollout/sampler.py and rollout/stops.py; only options can be wrong.
    _check_options("transformers", opts, _transformers_options())


@engine("transformers", validate=_validate_transformers)
def _make_transformers(model: str, sampling: SamplingParams, **opts: Any) -> Engine:
    from reasonrl.rollout.engine_hf import TransformersEngine

    return TransformersEngine(model, **opts)


# ---- vLLM ---------------------------------------------------------------------------------------------------------


def vllm_installed() -> bool:
    return importlib.util.find_spec("vllm") is not None


def _validate_vllm(sampling: SamplingParams, opts: Mapping[str, Any]) -> None:
    from reasonrl.rollout import engine_vllm  # no vllm import at module level

    _check_options("vllm", opts, engine_vllm.OPTIONS)
    if not vllm_installed():
        raise ValueError(
            "engine: 'vllm' is selected but vLLM is not installed; "
            "fix: `pip install vllm` on a GPU machine, or set engine: transformers"
        )
    engine_vllm.check_sampling(sampling, **opts)


@engine("vllm", validate=_validate_vllm)
def _make_vllm(model: str, sampling: SamplingParams, **opts: Any) -> Engine:
    from reasonrl.rollout.engine_vllm import VLLMEngine

    return VLLMEngine(model, sampling=sampling, **opts)
