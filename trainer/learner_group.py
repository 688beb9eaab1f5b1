"""Learner groups: N DeepSpeed ranks as Ray actors, or one in-process rank for debug mode.

Both expose train / gather_weights / save / load / shutdown. Every call into the ranks is a collective, so
the Ray group waits on all of them with a timeout: a dead or stuck rank ends the call with an error that
names it, never a hang.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from reasonrl.rollout.weights import PackedWeights, pack_weights
from reasonrl.trainer.distributed import free_address
from reasonrl.trainer.types import Batch, LearnerConfig, LossConfig


class LearnerError(RuntimeError):
    """A learner call that failed or timed out on some rank."""


class LearnerLost(LearnerError):
    """A rank died or stopped answering: the group is broken; the run resumes from its last checkpoint."""


class LearnerActor:
    """The Ray-side shell of a rank: built empty so rank 0 can report its address before the group forms."""

    def __init__(self, torch_threads: int | None = None) -> None:
        if torch_threads:
            torch.set_num_threads(torch_threads)
        self.rank: Any = None

    def address(self) -> tuple[str, int]:
        return free_address()

    def setup(self, cfg: LearnerConfig, loss: LossConfig, rank: int, world: int, addr: str, port: int) -> dict:
        from reasonrl.trainer.learner import LearnerRank

        self.rank = LearnerRank(cfg, loss, rank, world, addr, port)
        return self.rank.info()

    def call(self, method: str, *args: Any) -> Any:
        return getattr(self.rank, method)(*args)

    def pid(self) -> int:
        import os

        return os.getpid()


class LocalLearnerGroup:
    """One rank in this process (world size 1): the debug-mode twin of LearnerGroup."""

    def __init__(self, cfg: LearnerConfig, loss: LossConfig) -> None:
        from reasonrl.trainer.learner import LearnerRank

        _, port = free_address()
        self.rank = LearnerRank(cfg, loss, 0, 1, "127.0.0.1", port)
        self.world = 1

    def train(self, batch: Batch) -> dict[str, float]:
        return self.rank.train(batch)

    def gather_weights(self, version: int) -> PackedWeights:
        start = time.perf_counter()
        packed = pack_weights(version, self.rank.gather_weights())
        packed.meta["gather_s"] = time.perf_counter() - start
        return packed

    def named_weights(self) -> dict[str, torch.Tensor]:
        return self.rank.gather_weights()

    def save(self, folder: Path) -> None:
        self.rank.save(folder)

    def load(self, folder: Path) -> int:
        return self.rank.load(folder)

    def shutdown(self) -> None:
        self.rank.shutdown()


def _check_fits(cluster: dict[str, float], world: int, num_cpus: float, num_gpus: float) -> None:
    """Fail at once when the whole cluster is smaller than the group: Ray would queue the ranks until the setup
    timeout. (Resources held by other actors are not counted: those may be freed while we wait.)"""
    for resource, each in (("CPU", num_cpus), ("GPU", num_gpus)):
        have = cluster.get(resource, 0.0)
        if each and world * each > have:
            raise LearnerError(
                f"learner: {world} ranks x {each:g} {resource} = {world * each:g} {resource}, but the Ray cluster has "
                f"{have:g} {resource} in all; use fewer ranks or fewer {resource}s per rank, or add nodes"
            )


class LearnerGroup:
    """`world` ranks as Ray actors (one CPU process or one GPU each). Call after `ray.init`."""

    def __init__(
        self,
        cfg: LearnerConfig,
        loss: LossConfig,
        world: int,
        *,
        num_cpus: float = 1,
        num_gpus: float = 0,
        torch_threads: int | None = 1,
        setup_timeout_s: float = 600.0,
        step_timeout_s: float = 3600.0,
        name: str = "learner",
        scheduling: Sequence[Any] | None = None,
    ) -> None:
        """`scheduling`: one Ray scheduling strategy per rank (e.g. placement-group bundles from
        launch/placement.py); without it the ranks go wherever Ray puts them, checked first against the cluster."""
        import ray

        self._ray = ray
        self.world = world
        self.step_timeout_s = step_timeout_s
        self.names = [f"{name}-{r}" for r in range(world)]
        if scheduling is None:
            _check_fits(ray.cluster_resources(), world, num_cpus, num_gpus)
        elif len(scheduling) != world:
            raise ValueError(
                f"scheduling has {len(scheduling)} strategies for {world} learner ranks; give one per rank"
            )
        actor = ray.remote(LearnerActor)
        placed = [{"scheduling_strategy": scheduling[r]} if scheduling else {} for r in range(world)]
        self.actors = [
            actor.options(num_cpus=num_cpus, num_gpus=num_gpus, **placed[r]).remote(torch_threads) for r in range(world)
        ]
        addr, port = self._wait([self.actors[0].address.remote()], setup_timeout_s, "address")[0]
        self._wait(
            [a.setup.remote(cfg, loss, r, world, addr, port) for r, a in enumerate(self.actors)],
            setup_timeout_s,
            "setup",
        )

    def _wait(self, refs: list[Any], timeout_s: float, what: str) -> list[Any]:
        """All results in rank order, or LearnerError naming the first rank that failed or the ranks that did not
        answer in time. Results are taken as they arrive: when one rank dies, the others sit in a collective
        until its timeout, so waiting for all of them first would turn a crash into a long hang."""
        ray = self._ray
        deadline = time.monotonic() + timeout_s
        results: dict[int, Any] = {}
        pending = list(refs)
        while pending:
            ready, pending = ray.wait(pending, num_returns=1, timeout=max(0.0, deadline - time.monotonic()))
            if not ready:
                late = [self.names[refs.index(r)] for r in pending]
                raise LearnerLost(f"learner {what}: ranks {', '.join(late)} did not answer within {timeout_s}s")
            for ref in ready:
                rank = refs.index(ref)
                try:
                    results[rank] = ray.get(ref)
                except ray.exceptions.RayActorError as err:
                    raise LearnerLost(f"learner {what}: rank {self.names[rank]} died: {err}") from err
                except ray.exceptions.RayTaskError as err:
                    raise LearnerError(f"learner {what}: rank {self.names[rank]} failed: {err}") from err
        return [results[r] for r in range(len(refs))]

    def _all(self, method: str, *args: Any, timeout_s: float | None = None) -> list[Any]:
        refs = [a.call.remote(method, *args) for a in self.actors]
        return self._wait(refs, timeout_s or self.step_timeout_s, method)

    def train(self, batch: Batch) -> dict[str, float]:
        ref = self._ray.put(batch)  # one copy in the object store, read by every rank
        return self._all("train", ref)[0]

    def named_weights(self) -> dict[str, torch.Tensor]:
        return self._all("gather_weights")[0]

    def gather_weights(self, version: int) -> PackedWeights:
        start = time.perf_counter()
        packed = pack_weights(version, self.named_weights())
        packed.meta["gather_s"] = time.perf_counter() - start
        return packed

    def save(self, folder: Path) -> None:
        self._all("save", Path(folder))

    def load(self, folder: Path) -> int:
        return self._all("load", Path(folder))[0]

    def pids(self) -> list[int]:
        return self._wait([a.pid.remote() for a in self.actors], 60, "pid")

    def shutdown(self) -> None:
        for actor in self.actors:
            self._ray.kill(actor, no_restart=True)
        self.actors = []
