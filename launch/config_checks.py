"""Checks across fields, and against this machine, that pydantic's per-field constraints cannot express.

Each check is one small function that raises ConfigError naming the dotted field and the fix; adding a check is
adding a function to STATIC_CHECKS (depends only on the config) or ENVIRONMENT_CHECKS (depends on the machine:
GPUs, installed packages, files). `validate` runs them all and reports every problem at once.
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections.abc import Callable
from pathlib import Path

from reasonrl.problems.formats import ANSWER_FORMATS
from reasonrl.problems.mixture import Mixture
from reasonrl.problems.registry import get_family
from reasonrl.rewards.user import portable_ref
from reasonrl.trainer.advantages import ADVANTAGES
from reasonrl.trainer.losses import AGGREGATIONS, POLICY_LOSSES

from .config import ConfigError, RunConfig

Check = Callable[[RunConfig], None]
EPS = 1e-9  # fractional Ray resources (0.5 GPU) sum with float error


def fail(path: str, problem: str, fix: str) -> ConfigError:
    return ConfigError(f"config: {path}: {problem}; {fix}")


def raise_all(errors: list[ConfigError]) -> None:
    if errors:
        raise ConfigError("\n".join(str(e) for e in errors))


def check_registered_names(cfg: RunConfig) -> None:
    algo = cfg.algorithm
    wanted = [
        ("algorithm.advantage", algo.advantage, ADVANTAGES.names()),
        ("algorithm.policy_loss", algo.policy_loss, POLICY_LOSSES.names()),
        ("algorithm.aggregation", algo.aggregation, AGGREGATIONS.names()),
    ]
    raise_all(
        [
            fail(path, f"unknown name {value!r}", f"choose one of {', '.join(names)}")
            for path, value, names in wanted
            if value not in names
        ]
    )


def check_mixture(cfg: RunConfig) -> None:
    try:
        Mixture.parse(cfg.problems.mixture)
    except ValueError as e:
        raise fail("problems.mixture", str(e), "set problems.mixture=default or name registered families") from None


def check_difficulty_or_curriculum(cfg: RunConfig) -> None:
    problems = cfg.problems
    if problems.difficulty is not None and problems.curriculum is not None:
        raise fail(
            "problems.difficulty",
            f"is {problems.difficulty} but problems.curriculum is also set (the curriculum picks each family's level)",
            "set problems.difficulty=null to use the curriculum, or problems.curriculum=null for a fixed level",
        )
    if problems.difficulty is None and problems.curriculum is None:
        raise fail(
            "problems.difficulty",
            "is null and there is no problems.curriculum, so no level is chosen",
            "set problems.difficulty=3 or add problems.curriculum (e.g. problems.curriculum.start=1)",
        )


def check_curriculum_bounds(cfg: RunConfig) -> None:
    cur = cfg.problems.curriculum
    if cur is None:
        return
    errors = []
    if not cur.min_level <= cur.start <= cur.max_level:
        errors.append(
            fail(
                "problems.curriculum.start",
                f"{cur.start} is outside min_level..max_level ({cur.min_level}..{cur.max_level})",
                f"set problems.curriculum.start={max(cur.min_level, min(cur.start, cur.max_level))}",
            )
        )
    if not cur.lower_below < cur.raise_above:
        errors.append(
            fail(
                "problems.curriculum.lower_below",
                f"{cur.lower_below} must be below raise_above {cur.raise_above} or the level would move both ways",
                "set problems.curriculum.lower_below=0.2 and problems.curriculum.raise_above=0.8",
            )
        )
    raise_all(errors)


def check_answer_format(cfg: RunConfig) -> None:
    if cfg.problems.answer_format not in ANSWER_FORMATS:
        raise fail(
            "problems.answer_format",
            f"unknown format {cfg.problems.answer_format!r}",
            f"choose one of {', '.join(ANSWER_FORMATS)}",
        )


def check_problem_weights(cfg: RunConfig) -> None:
    problems = cfg.problems
    if problems.generated_weight + sum(s.weight for s in problems.sources) <= 0:
        raise fail(
            "problems.generated_weight",
            "is 0 and no problems.sources has a positive weight, so there is nothing to train on",
            "set problems.generated_weight=1.0 or add a source with weight > 0",
        )


def check_eval(cfg: RunConfig) -> None:
    ev = cfg.problems.eval
    errors = []
    for i, name in enumerate(ev.families or []):
        try:
            get_family(name)
        except ValueError as e:
            errors.append(
                fail(f"problems.eval.families[{i}]", str(e), "fix the name or set problems.eval.families=null")
            )
    if ev.k > ev.samples:
        errors.append(
            fail(
                "problems.eval.k",
                f"{ev.k} is more than problems.eval.samples={ev.samples} (pass@k needs k samples per problem)",
                f"set problems.eval.k={ev.samples} or problems.eval.samples={ev.k}",
            )
        )
    raise_all(errors)


def check_overlong_buffer(cfg: RunConfig) -> None:
    buffer, max_new = cfg.rewards.shaping.overlong_buffer, cfg.rollout.sampling.max_new_tokens
    if buffer > max_new:
        raise fail(
            "rewards.shaping.overlong_buffer",
            f"{buffer} is longer than rollout.sampling.max_new_tokens={max_new} (the penalty ramps up inside it)",
            f"set rewards.shaping.overlong_buffer={max_new // 4}",
        )


def check_debug_topology(cfg: RunConfig) -> None:
    topo = cfg.topology
    if topo.mode != "debug":
        return
    errors = [
        fail(
            f"topology.{name}",
            f"is {value} but debug mode runs everything in one process",
            f"set topology.{name}=1 or topology.mode=local",
        )
        for name, value in (("learner_ranks", topo.learner_ranks), ("rollout_workers", topo.rollout_workers))
        if value != 1
    ]
    raise_all(errors)


def check_zero(cfg: RunConfig) -> None:
    # ZeRO-2/3 on one rank is allowed: it is how one GPU offloads optimizer state, and how a run checkpointed on
    # several ranks resumes on fewer (the ZeRO stage must stay what the checkpoint was written with).
    learner = cfg.learner
    errors = []
    if learner.offload_params and learner.zero_stage != 3:
        errors.append(
            fail(
                "learner.offload_params",
                "needs ZeRO-3 (only stage 3 partitions parameters)",
                "set learner.zero_stage=3 or learner.offload_params=false",
            )
        )
    if learner.offload_optimizer and learner.zero_stage < 1:
        errors.append(
            fail(
                "learner.offload_optimizer",
                "needs ZeRO stage >= 1 (stage 0 keeps the optimizer on the device)",
                "set learner.zero_stage=1 or learner.offload_optimizer=false",
            )
        )
    raise_all(errors)


def check_cluster_address(cfg: RunConfig) -> None:
    topo = cfg.topology
    if topo.mode == "cluster" and not topo.address and not os.environ.get("RAY_ADDRESS"):
        raise fail(
            "topology.address",
            "cluster mode joins a running Ray cluster but no address is given (and RAY_ADDRESS is unset)",
            'set topology.address=auto on a cluster node, or topology.address="HEAD_IP:6379"',
        )
    if topo.mode != "cluster" and topo.address:
        raise fail(
            "topology.address",
            f"is {topo.address!r} but topology.mode={topo.mode} does not join a cluster",
            "set topology.mode=cluster, or topology.address=null",
        )


def check_vllm(cfg: RunConfig) -> None:
    if cfg.rollout.engine != "vllm":
        return
    if importlib.util.find_spec("vllm") is None:
        raise fail(
            "rollout.engine", "vllm is not installed", "pip install reasonrl[vllm] or set rollout.engine=transformers"
        )
    import torch

    if not torch.cuda.is_available():
        raise fail("rollout.engine", "vllm needs a CUDA GPU and none is visible", "set rollout.engine=transformers")


def demand(cfg: RunConfig) -> dict[str, float]:
    """CPUs and GPUs the learner and rollout actors reserve (Ray's logical resources)."""
    topo = cfg.topology
    return {
        "CPU": topo.learner_ranks * topo.learner.cpus + topo.rollout_workers * topo.rollout.cpus,
        "GPU": topo.learner_ranks * topo.learner.gpus + topo.rollout_workers * topo.rollout.gpus,
    }


def _shortfall(cfg: RunConfig, resource: str, need: float, have: float, where: str) -> ConfigError:
    topo, key = cfg.topology, resource.lower() + "s"
    asked = [f"topology.{role}.{key}" for role in ("learner", "rollout") if getattr(getattr(topo, role), key) > 0]
    formula = (
        f"topology.learner_ranks={topo.learner_ranks} x topology.learner.{key}={getattr(topo.learner, key):g} + "
        f"topology.rollout_workers={topo.rollout_workers} x topology.rollout.{key}={getattr(topo.rollout, key):g}"
    )
    fix = "lower " + " or ".join(asked)
    if resource == "GPU":
        fix = f"set {' and '.join(f'{a}=0' for a in asked)} to run on CPU, or lower them"
    return fail(
        ", ".join(asked) or f"topology.{key}",
        f"{topo.mode} mode needs {need:g} {resource}(s) ({formula}) but {where} has {have:g}",
        f"{fix}, or run where {need:g} {resource}(s) are available",
    )


def check_local_gpus(cfg: RunConfig) -> None:
    """Debug and local mode run on this machine; cluster mode is checked against the cluster once joined."""
    if cfg.topology.mode == "cluster":
        return
    need = demand(cfg)["GPU"]
    if cfg.topology.mode == "debug":  # one process on one device
        need = float(math.ceil(max(cfg.topology.learner.gpus, cfg.topology.rollout.gpus)))
    if need <= EPS:
        return
    import torch

    have = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if need > have + EPS:
        raise _shortfall(cfg, "GPU", need, have, "this machine")


def check_cluster_resources(cfg: RunConfig, resources: dict[str, float]) -> None:
    """After joining the cluster: the learner plus rollout must fit its `ray.cluster_resources()`."""
    raise_all(
        [
            _shortfall(cfg, resource, need, resources.get(resource, 0.0), "the cluster")
            for resource, need in demand(cfg).items()
            if need > resources.get(resource, 0.0) + EPS
        ]
    )


def check_source_files(cfg: RunConfig) -> None:
    sources = [(f"problems.sources[{i}].path", s.path) for i, s in enumerate(cfg.problems.sources)]
    if cfg.problems.eval.file is not None:
        sources.append(("problems.eval.file.path", cfg.problems.eval.file.path))
    raise_all(
        [
            fail(
                path,
                f"{value!r} does not exist (relative paths start at {Path.cwd()})",
                "fix the path or remove the source",
            )
            for path, value in sources
            if not Path(value).expanduser().exists()
        ]
    )


def check_deepspeed_config(cfg: RunConfig) -> None:
    path = cfg.learner.deepspeed_config
    if path is not None and not Path(path).expanduser().is_file():
        raise fail(
            "learner.deepspeed_config", f"{path!r} is not a file", "fix the path or set learner.deepspeed_config=null"
        )


def check_user_rewards(cfg: RunConfig) -> None:
    errors = []
    for i, ref in enumerate(cfg.rewards.user):
        try:
            portable_ref(ref)
        except ValueError as e:
            errors.append(
                fail(
                    f"rewards.user[{i}]",
                    str(e),
                    "give a registered reward name, path/to/file.py:function or module:function",
                )
            )
    raise_all(errors)


STATIC_CHECKS: list[Check] = [
    check_registered_names,
    check_mixture,
    check_difficulty_or_curriculum,
    check_curriculum_bounds,
    check_answer_format,
    check_problem_weights,
    check_eval,
    check_overlong_buffer,
    check_debug_topology,
    check_zero,
    check_cluster_address,
]
ENVIRONMENT_CHECKS: list[Check] = [
    check_vllm,
    check_local_gpus,
    check_source_files,
    check_deepspeed_config,
    check_user_rewards,
]


def validate(cfg: RunConfig, check_environment: bool = True) -> None:
    """Run every check and raise one ConfigError listing all problems found."""
    checks = STATIC_CHECKS + (ENVIRONMENT_CHECKS if check_environment else [])
    errors = []
    for check in checks:
        try:
            check(cfg)
        except ConfigError as e:
            errors.append(e)
    raise_all(errors)
