"""One rollout worker: owns one engine, receives packed weights, reports its health.

The same plain class runs in-process (debug mode) and as a Ray actor (`ray.remote(RolloutWorker)`), so
the weight checks and the generate path are one code path in both modes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reasonrl.rollout.types import Engine, Sample, SamplingParams
from reasonrl.rollout.weights import PackedWeights, WeightTransferError, unpack_weights

EngineFactory = Callable[[], Engine]


class RolloutWorker:
    """Wraps one engine. `engine_factory` is a picklable zero-argument callable (e.g. a functools.partial)
    so the engine is built where the worker runs, not shipped there."""

    def __init__(self, name: str, engine_factory: EngineFactory, torch_threads: int | None = None) -> None:
        if torch_threads:
            import torch

            torch.set_num_threads(torch_threads)
        self.name = name
        self.engine = engine_factory()
        self.started = time.time()
        self.generated = 0
        self.generating_since: float | None = None

    def generate(self, prompts: Sequence[str], n: int, sampling: SamplingParams) -> list[Sample]:
        self.generating_since = time.time()
        try:
            samples = self.engine.generate(list(prompts), n, sampling)
        finally:
            self.generating_since = None
        self.generated += len(samples)
        return samples

    def update_weights(self, version: int, payload: PackedWeights | list[Any], fetch_timeout_s: float = 300.0) -> int:
        """Load packed weights after checking them. `payload` is the PackedWeights itself or a one-element list
        holding its Ray ObjectRef (a list, so that Ray does not resolve it before we can bound the fetch)."""
        if isinstance(payload, list):
            import ray

            try:
                payload = ray.get(payload[0], timeout=fetch_timeout_s)
            except ray.exceptions.GetTimeoutError as err:
                raise WeightTransferError(
                    f"worker {self.name}: weight transfer for version {version} timed out after {fetch_timeout_s}s"
                ) from err
        named = unpack_weights(payload, self.name, expected_version=version)
        return self.apply_weights(version, named)

    def apply_weights(self, version: int, named_tensors: Mapping[str, Any]) -> int:
        """In-process path: tensors that never left this process need no checksum."""
        self.engine.update_weights(version, named_tensors)
        return self.engine.weight_version

    def health(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pid": os.getpid(),
            "weight_version": self.engine.weight_version,
            "uptime_s": time.time() - self.started,
            "samples_generated": self.generated,
            "generating_s": None if self.generating_since is None else time.time() - self.generating_since,
        }
