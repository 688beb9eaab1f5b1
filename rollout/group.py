"""Rollout groups: one generate call fanned out over several workers, results gathered in prompt order.

`RolloutGroup` runs each worker as a Ray actor: a worker that dies mid-batch is replaced (with the latest
weights) and its shard resubmitted; every wait is bounded. `LocalRolloutGroup` has the same interface over
in-process workers, for debug mode (no Ray).
"""

from __future__ import annotations

import dataclasses
import heapq
import random
import time
from collections.abc import Mapping, Sequence
from typing import Any

from reasonrl.rollout.types import Sample, SamplingParams
from reasonrl.rollout.weights import PackedWeights, WeightTransferError, pack_weights, unpack_weights
from reasonrl.rollout.worker import EngineFactory, RolloutWorker

CHARS_PER_TOKEN = 4  # the driver holds no tokenizer; a prompt's length in tokens is estimated from its characters


class RolloutError(RuntimeError):
    """A generate call that could not complete: a worker kept dying or the batch ran past its timeout."""


def shard_prompts(prompts: Sequence[str], n: int, max_new_tokens: int, num_shards: int) -> list[list[int]]:
    """Split prompt indices into `num_shards` lists balanced by expected tokens, (prompt + max_new_tokens) * n.

    Each shard keeps its prompts in their original order.
    """
    return balanced_shards([(len(p) // CHARS_PER_TOKEN + 1 + max_new_tokens) * n for p in prompts], num_shards)


def balanced_shards(costs: Sequence[int], num_shards: int) -> list[list[int]]:
    """Indices split into `num_shards` lists of near-equal total cost: longest first onto the least-loaded
    shard (LPT), ties by index so every caller computes the same split; each list in ascending order."""
    heap = [(0, s) for s in range(num_shards)]
    shards: list[list[int]] = [[] for _ in range(num_shards)]
    for index in sorted(range(len(costs)), key=lambda i: (-costs[i], i)):
        load, s = heapq.heappop(heap)
        shards[s].append(index)
        heapq.heappush(heap, (load + costs[index], s))
    return [sorted(shard) for shard in shards]


def shard_sampling(sampling: SamplingParams, shards: list[list[int]], rng: random.Random) -> list[SamplingParams]:
    """One seed per shard. Workers number their prompts from 0, so a shared seed would give the first prompt of
    every shard the same random stream; a call without a seed still gets one, drawn from the group's generator."""
    base = sampling.seed if sampling.seed is not None else rng.getrandbits(62)
    return [
        dataclasses.replace(sampling, seed=(base * 0x9E3779B1 + shard[0]) % 2**62 if shard else base)
        for shard in shards
    ]


def _gather(prompt_count: int, n: int, shards: list[list[int]], results: list[list[Sample]]) -> list[Sample]:
    """Put each shard's samples back at their prompt's place; prompt_index becomes the index in the request."""
    by_prompt: list[list[Sample]] = [[] for _ in range(prompt_count)]
    for shard, samples in zip(shards, results, strict=True):
        if len(samples) != len(shard) * n:
            raise RolloutError(f"a shard of {len(shard)} prompts returned {len(samples)} samples, expected {n} each")
        for k, sample in enumerate(samples):
            local = sample.prompt_index if 0 <= sample.prompt_index < len(shard) else k // n
            sample.prompt_index = shard[local]
            by_prompt[shard[local]].append(sample)
    return [sample for group in by_prompt for sample in group]


class LocalRolloutGroup:
    """In-process workers, run one after the other: the debug-mode twin of RolloutGroup."""

    def __init__(self, engine_factory: EngineFactory, num_workers: int = 1, seed: int = 0) -> None:
        self.workers = [RolloutWorker(f"local-{i}", engine_factory) for i in range(num_workers)]
        self._rng = random.Random(seed)
        self.weight_version = self.workers[0].engine.weight_version
        self._stats: dict[str, Any] = {"workers": num_workers, "restarts": 0, "weight_syncs": 0}

    def generate(self, prompts: Sequence[str], n: int, sampling: SamplingParams) -> list[Sample]:
        start = time.perf_counter()
        shards = shard_prompts(prompts, n, sampling.max_new_tokens, len(self.workers))
        per_shard = shard_sampling(sampling, shards, self._rng)
        results = [
            worker.generate([prompts[i] for i in shard], n, params) if shard else []
            for worker, shard, params in zip(self.workers, shards, per_shard, strict=True)
        ]
        self._stats["last_generate_s"] = time.perf_counter() - start
        return _gather(len(prompts), n, shards, results)

    def update_weights(self, version: int, named_tensors: Mapping[str, Any]) -> None:
        start = time.perf_counter()
        for worker in self.workers:
            worker.apply_weights(version, named_tensors)
        self.weight_version = version
        self._stats["weight_syncs"] += 1
        self._stats["last_weight_sync_s"] = time.perf_counter() - start

    def push_weights(self, packed: PackedWeights) -> None:
        """The Ray group's entry point, so the loop syncs both groups the same way."""
        self.update_weights(packed.version, unpack_weights(packed, "local", packed.version))

    def health(self) -> list[dict[str, Any]]:
        return [worker.health() for worker in self.workers]

    def stats(self) -> dict[str, Any]:
        return {**self._stats, "weight_version": self.weight_version}

    def shutdown(self) -> None:
        self.workers = []


class RolloutGroup:
    """N Ray actors, one engine each. Call from the driver after `ray.init`."""

    def __init__(
        self,
        engine_factory: EngineFactory,
        num_workers: int,
        *,
        num_cpus: float = 1,
        num_gpus: float = 0,
        torch_threads: int | None = 1,
        generate_timeout_s: float = 3600.0,
        weight_timeout_s: float = 300.0,
        health_timeout_s: float = 60.0,
        max_restarts_per_call: int = 3,
        name: str = "rollout",
        seed: int = 0,
        scheduling: Sequence[Any] | None = None,
    ) -> None:
        """`scheduling`: one Ray scheduling strategy per worker (e.g. a placement-group bundle); a restarted
        worker takes its slot's strategy again, so it lands where the one it replaces was reserved."""
        import ray

        if scheduling is not None and len(scheduling) != num_workers:
            raise ValueError(f"scheduling has {len(scheduling)} strategies for {num_workers} rollout workers")
        self._scheduling = list(scheduling) if scheduling is not None else None

        self._ray = ray
        self._factory = engine_factory
        self._rng = random.Random(seed)
        self._actor_cls = ray.remote(concurrency_groups={"health": 1})(RolloutWorker)
        self._actor_options: dict[str, Any] = {"num_cpus": num_cpus, "num_gpus": num_gpus}
        self._torch_threads = torch_threads
        self.generate_timeout_s = generate_timeout_s
        self.weight_timeout_s = weight_timeout_s
        self.health_timeout_s = health_timeout_s
        self.max_restarts_per_call = max_restarts_per_call
        self.names = [f"{name}-{i}" for i in range(num_workers)]
        self.workers = [self._spawn(i) for i in range(num_workers)]
        self._latest: tuple[int, Any] | None = None  # (version, ObjectRef of PackedWeights) last delivered
        self.weight_version = self.health()[0]["weight_version"]
        self._stats: dict[str, Any] = {
            "workers": num_workers,
            "restarts": 0,
            "restarts_by_worker": {},  # the trainer stops a run when one worker keeps dying
            "weight_syncs": 0,
        }

    # --- workers -------------------------------------------------------------------------------------------

    def _spawn(self, i: int) -> Any:
        options = dict(self._actor_options)
        if self._scheduling is not None:
            options["scheduling_strategy"] = self._scheduling[i]
        return self._actor_cls.options(**options).remote(self.names[i], self._factory, self._torch_threads)

    def _restart(self, i: int) -> None:
        """Replace worker i by a fresh actor carrying the latest weights the group delivered."""
        start = time.perf_counter()
        self._ray.kill(self.workers[i], no_restart=True)
        self.workers[i] = self._spawn(i)
        self._stats["restarts"] += 1
        by_worker = self._stats["restarts_by_worker"]
        by_worker[self.names[i]] = by_worker.get(self.names[i], 0) + 1
        if self._latest is not None:
            version, ref = self._latest
            self._bounded_get(
                self.workers[i].update_weights.remote(version, [ref], self.weight_timeout_s),
                self.weight_timeout_s,
                what=f"worker {self.names[i]}: weight transfer for version {version} after restart",
                error=WeightTransferError,
            )
        self._stats["last_restart_s"] = time.perf_counter() - start

    def _replace_dead(self, i: int, restarts: dict[int, int], what: str, err: Exception) -> None:
        """Restart worker i, again if the replacement dies while it starts, within the per-call limit."""
        while True:
            restarts[i] += 1
            if restarts[i] > self.max_restarts_per_call:
                raise RolloutError(f"{what}: worker {self.names[i]} died {restarts[i]} times") from err
            try:
                self._restart(i)
                return
            except self._ray.exceptions.RayActorError as again:
                err = again

    def _bounded_get(
        self, ref: Any, timeout_s: float, what: str = "call", error: type[Exception] = RolloutError
    ) -> Any:
        try:
            return self._ray.get(ref, timeout=timeout_s)
        except self._ray.exceptions.GetTimeoutError as err:
            raise error(f"{what} timed out after {timeout_s}s") from err

    def _run(self, submit: Any, indices: list[int], timeout_s: float, what: str) -> dict[int, Any]:
        """Run `submit(i)` on each worker i, replacing and resubmitting to any worker that dies; bounded in time."""
        ray = self._ray
        deadline = time.monotonic() + timeout_s
        restarts = dict.fromkeys(indices, 0)
        pending = {submit(i): i for i in indices}
        results: dict[int, Any] = {}
        while pending:
            remaining = deadline - time.monotonic()
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=max(remaining, 0))
            if not ready:
                late = ", ".join(self.names[i] for i in sorted(pending.values()))
                for ref in pending:  # best effort: drops calls still queued; a running call is not interrupted
                    ray.cancel(ref)
                raise RolloutError(f"{what} timed out after {timeout_s}s waiting for workers {late}")
            for ref in ready:
                i = pending.pop(ref)
                try:
                    results[i] = ray.get(ref, timeout=max(deadline - time.monotonic(), 1.0))
                except ray.exceptions.RayActorError as err:
                    self._replace_dead(i, restarts, what, err)
                    pending[submit(i)] = i
                except ray.exceptions.RayTaskError as err:
                    if isinstance(err.cause, WeightTransferError):
                        raise err.cause from None  # its message names worker and version; the remote trace adds nothing
                    raise
        return results

    # --- the group interface ---------------------------------------------------------------------------------

    def generate(self, prompts: Sequence[str], n: int, sampling: SamplingParams) -> list[Sample]:
        start = time.perf_counter()
        shards = shard_prompts(prompts, n, sampling.max_new_tokens, len(self.workers))
        busy = [i for i, shard in enumerate(shards) if shard]
        texts = [[prompts[j] for j in shard] for shard in shards]
        per_shard = shard_sampling(sampling, shards, self._rng)
        results = self._run(
            lambda i: self.workers[i].generate.remote(texts[i], n, per_shard[i]),
            busy,
            self.generate_timeout_s,
            "generate",
        )
        self._stats["last_generate_s"] = time.perf_counter() - start
        return _gather(len(prompts), n, shards, [results.get(i, []) for i in range(len(shards))])

    def update_weights(self, version: int, named_tensors: Mapping[str, Any]) -> None:
        self.push_weights(pack_weights(version, named_tensors))

    def push_weights(self, packed: PackedWeights) -> None:
        """Put the packed weights in the object store once and send every worker its reference.

        On failure the group's version stays the last one every worker confirmed; the caller may push again.
        """
        start = time.perf_counter()
        version = packed.version
        ref = self._ray.put(packed)
        try:
            self._run(
                lambda i: self.workers[i].update_weights.remote(version, [ref], self.weight_timeout_s),
                list(range(len(self.workers))),
                self.weight_timeout_s,
                f"weight transfer for version {version}",
            )
        except RolloutError as err:
            raise WeightTransferError(str(err)) from err
        self._latest = (version, ref)
        self.weight_version = version
        self._stats["weight_syncs"] += 1
        self._stats["last_weight_sync_s"] = time.perf_counter() - start
        self._stats["weight_bytes"] = packed.nbytes

    def health(self) -> list[dict[str, Any]]:
        # A concurrency group of its own: health answers while a long generate is running.
        refs = [worker.health.options(concurrency_group="health").remote() for worker in self.workers]
        return self._bounded_get(refs, self.health_timeout_s, what="health")

    def stats(self) -> dict[str, Any]:
        return {
            **self._stats,
            "restarts_by_worker": dict(self._stats["restarts_by_worker"]),
            "weight_version": self.weight_version,
        }

    def shutdown(self) -> None:
        for worker in self.workers:
            self._ray.kill(worker, no_restart=True)
        self.workers = []
        self._latest = None
