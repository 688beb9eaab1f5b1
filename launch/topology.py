"""Process topology: where the learner ranks, rollout engines and reward workers run.

- debug: one process, no Ray (the learner and the engine side by side on one device);
- local: a private Ray on this machine, learner ranks and rollout workers as actors;
- cluster: a running Ray cluster, each group reserved with a placement group so ranks land on nodes as asked.
The reward pool is always worker processes of the driver (or inline when rewards.workers is 0).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Any

from reasonrl.rewards.pool import RewardPool
from reasonrl.rollout.engines import make_engine

from .config import RunConfig, to_learner_config, to_loss_config, to_sampling
from .config_checks import check_cluster_resources, demand


@dataclass
class Components:
    rollout: Any  # LocalRolloutGroup | RolloutGroup
    learner: Any  # LocalLearnerGroup | LearnerGroup
    pool: RewardPool
    placement_groups: list[Any] = field(default_factory=list)
    uses_ray: bool = False

    def shutdown(self) -> None:
        """Stops everything this run started; each part is tried even if an earlier one fails."""
        errors = []
        for stop in (self.pool.close, self.rollout.shutdown, self.learner.shutdown, self._release):
            try:
                stop()
            except Exception as err:  # noqa: BLE001 - collected and re-raised below
                errors.append(err)
        if errors:
            raise errors[0]

    def _release(self) -> None:
        if not self.uses_ray:
            return
        from . import ray_cluster
        from .placement import release

        for pg in self.placement_groups:
            release(pg)
        ray_cluster.shutdown()


def engine_factory(cfg: RunConfig) -> functools.partial:
    """Picklable, so Ray workers (and restarted ones) build the same engine."""
    device = engine_device(cfg)
    dtype = cfg.rollout.dtype if cfg.rollout.dtype != "auto" else ("bfloat16" if device == "cuda" else "float32")
    opts = {"device": device} if cfg.rollout.engine == "transformers" else {}
    return functools.partial(
        make_engine,
        cfg.rollout.engine,
        cfg.model.path,
        to_sampling(cfg),
        dtype=dtype,
        token_budget=cfg.rollout.token_budget,
        system_prompt=cfg.rollout.system_prompt,
        use_chat_template=cfg.rollout.use_chat_template,
        **opts,
    )


def engine_device(cfg: RunConfig) -> str:
    """Debug mode shares the one device with the learner; a Ray worker sees the GPUs it was given, if any."""
    if cfg.topology.mode == "debug":
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    return "cuda" if cfg.topology.rollout.gpus > 0 else "cpu"


def build(cfg: RunConfig) -> Components:
    pool = RewardPool(num_workers=cfg.rewards.workers, timeout_s=cfg.rewards.timeout_s, memory_mb=cfg.rewards.memory_mb)
    try:
        if cfg.topology.mode == "debug":
            return _debug(cfg, pool)
        return _ray(cfg, pool)
    except BaseException:
        pool.close()
        raise


def _debug(cfg: RunConfig, pool: RewardPool) -> Components:
    from reasonrl.rollout.group import LocalRolloutGroup
    from reasonrl.trainer.learner_group import LocalLearnerGroup

    learner = LocalLearnerGroup(to_learner_config(cfg), to_loss_config(cfg))
    rollout = LocalRolloutGroup(engine_factory(cfg), num_workers=1, seed=cfg.seed)
    return Components(rollout, learner, pool)


def _ray(cfg: RunConfig, pool: RewardPool) -> Components:
    from reasonrl.rollout.group import RolloutGroup
    from reasonrl.trainer.learner_group import LearnerGroup

    from . import ray_cluster

    topo = cfg.topology
    need = demand(cfg)
    # A private local Ray gets enough logical CPUs for every actor; they share the real cores.
    num_cpus = max(os.cpu_count() or 1, int(need.get("CPU", 1) + 0.999)) if topo.mode == "local" else None
    resources = ray_cluster.connect(topo.mode, topo.address, num_cpus=num_cpus)
    parts = Components(rollout=None, learner=None, pool=pool, uses_ray=True)
    try:
        check_cluster_resources(cfg, resources)
        learner_at, rollout_at = _placement(cfg, parts) if topo.mode == "cluster" else (None, None)
        parts.learner = LearnerGroup(
            to_learner_config(cfg),
            to_loss_config(cfg),
            world=topo.learner_ranks,
            num_cpus=topo.learner.cpus,
            num_gpus=topo.learner.gpus,
            torch_threads=topo.torch_threads,
            scheduling=learner_at,
        )
        parts.rollout = RolloutGroup(
            engine_factory(cfg),
            topo.rollout_workers,
            num_cpus=topo.rollout.cpus,
            num_gpus=topo.rollout.gpus,
            torch_threads=topo.torch_threads,
            seed=cfg.seed,
            scheduling=rollout_at,
        )
    except BaseException:
        for group in (parts.learner, parts.rollout):
            if group is not None:
                group.shutdown()
        parts.rollout = parts.learner = _Nothing()
        parts._release()
        raise
    return parts


def _placement(cfg: RunConfig, parts: Components) -> tuple[list[Any], list[Any]]:
    from .placement import reserve, strategies

    topo = cfg.topology
    groups = []
    for role, count, res in (
        ("learner", topo.learner_ranks, topo.learner),
        ("rollout", topo.rollout_workers, topo.rollout),
    ):
        bundle = {"CPU": res.cpus} | ({"GPU": res.gpus} if res.gpus else {})
        pg = reserve([bundle] * count, strategy=topo.placement, name=role)
        parts.placement_groups.append(pg)
        groups.append(strategies(pg, count))
    return groups[0], groups[1]


class _Nothing:
    def shutdown(self) -> None:
        return None
