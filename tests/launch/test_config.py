"""The run config: shipped configs load, overrides apply, and every bad config names its field and the fix."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import torch
import yaml

from reasonrl.launch.config import (
    ConfigError,
    RunConfig,
    load_config,
    save_config,
    shipped_config,
    to_learner_config,
    to_loss_config,
    to_sampling,
    to_shaping,
)
from reasonrl.launch.config_checks import check_cluster_resources, demand


def write(tmp_path: Path, data: dict, name: str = "run.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def minimal(tmp_path: Path, **sections: dict) -> Path:
    return write(tmp_path, {"model": {"path": "some/model"}, **sections})


def error_of(path: Path | str, overrides: tuple[str, ...] = (), **kwargs: bool) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path, overrides, **kwargs)
    return str(info.value)


def test_debug_cpu_loads_with_environment_checks() -> None:
    cfg = load_config("debug-cpu")
    assert cfg.model.path == "runs/demo/sft-model"
    assert (cfg.topology.mode, cfg.topology.learner_ranks, cfg.learner.zero_stage) == ("local", 2, 2)
    assert (cfg.rollout.problems_per_step, cfg.rollout.group_size, cfg.rollout.sampling.max_new_tokens) == (16, 8, 96)
    assert demand(cfg)["CPU"] <= 2  # the demo's actors fit the 2 CPUs a small laptop's Ray has
    assert load_config(shipped_config("debug-cpu.yaml")) == cfg


@pytest.mark.parametrize("name", ["single-gpu", "multi-node"])
def test_gpu_configs_load_without_environment_checks(name: str) -> None:
    cfg = load_config(name, check_environment=False)
    assert cfg.model.path.startswith("Qwen/")
    assert cfg.problems.curriculum is not None and cfg.problems.difficulty is None
    if name == "multi-node":
        assert (cfg.rollout.engine, cfg.learner.zero_stage, cfg.algorithm.staleness) == ("vllm", 3, 1)
        assert (cfg.topology.mode, cfg.topology.address, cfg.topology.learner_ranks) == ("cluster", "auto", 8)


def test_unknown_shipped_name_lists_the_choices() -> None:
    message = error_of("debug-gpu")
    assert "debug-cpu" in message and "multi-node" in message


def test_override_nested_field_with_yaml_values(tmp_path: Path) -> None:
    cfg = load_config(
        minimal(tmp_path),
        [
            "rollout.sampling.max_new_tokens=64",
            "rollout.sampling.stop_strings=[</s>, END]",
            "rollout.system_prompt=null",
            "learner.gradient_checkpointing=true",
            "problems.mixture={quadratic: 2, sudoku: 1}",
        ],
    )
    assert cfg.rollout.sampling.max_new_tokens == 64
    assert cfg.rollout.sampling.stop_strings == ["</s>", "END"]
    assert cfg.learner.gradient_checkpointing is True
    assert cfg.problems.mixture == {"quadratic": 2.0, "sudoku": 1.0}


def test_override_creates_a_missing_section(tmp_path: Path) -> None:
    cfg = load_config(minimal(tmp_path), ["problems.curriculum.start=2"])
    assert cfg.problems.curriculum is not None and cfg.problems.curriculum.start == 2
    assert cfg.problems.difficulty is None  # a curriculum displaces the default fixed level


def test_unknown_key_suggests_the_close_name(tmp_path: Path) -> None:
    message = error_of(minimal(tmp_path, rollout={"grup_size": 4}))
    assert message == "config: rollout.grup_size: unknown key; did you mean rollout.group_size?"
    assert "did you mean learner.lr?" in error_of(minimal(tmp_path), ("rollout.lr=0.1",))


def test_wrong_type_names_field_and_default(tmp_path: Path) -> None:
    message = error_of(minimal(tmp_path, rollout={"group_size": "eight"}))
    assert message.startswith("config: rollout.group_size: must be a valid integer")
    assert message.endswith("set rollout.group_size=8")


def test_constraint_gives_the_reason(tmp_path: Path) -> None:
    message = error_of(minimal(tmp_path), ("rollout.group_size=1",))
    assert message == (
        "config: rollout.group_size: must be >= 2, got 1 (GRPO needs at least two samples per problem to form a "
        "baseline); set rollout.group_size=8"
    )


def test_all_problems_reported_one_per_line(tmp_path: Path) -> None:
    lines = error_of(minimal(tmp_path), ("rollout.group_size=1", "learner.lr=0", "model.dtype=fp8")).splitlines()
    assert sorted(line.split(":")[1].strip() for line in lines) == ["learner.lr", "model.dtype", "rollout.group_size"]


def test_unknown_advantage_lists_registered_names(tmp_path: Path) -> None:
    message = error_of(minimal(tmp_path), ("algorithm.advantage=gpro",))
    assert message.startswith("config: algorithm.advantage: unknown name 'gpro'; choose one of")
    assert "grpo" in message and "rloo" in message


def test_difficulty_and_curriculum_both_set(tmp_path: Path) -> None:
    message = error_of(minimal(tmp_path, problems={"difficulty": 2, "curriculum": {"start": 1}}))
    assert "config: problems.difficulty:" in message and "set problems.difficulty=null" in message


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vllm is installed here")
def test_vllm_engine_without_vllm(tmp_path: Path) -> None:
    message = error_of(minimal(tmp_path), ("rollout.engine=vllm",))
    assert "config: rollout.engine: vllm is not installed" in message
    assert "pip install reasonrl[vllm] or set rollout.engine=transformers" in message
    load_config(minimal(tmp_path), ["rollout.engine=vllm"], check_environment=False)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_gpus_asked_on_a_machine_without_them() -> None:
    message = error_of("debug-cpu", ("topology.rollout.gpus=1",))
    assert message.startswith("config: topology.rollout.gpus: local mode needs 1 GPU(s)")
    assert "this machine has 0" in message and "set topology.rollout.gpus=0" in message


def test_zero3_with_one_learner_rank_is_allowed(tmp_path: Path) -> None:
    """One GPU offloading optimizer state, or a run resumed on fewer ranks than it was checkpointed with."""
    cfg = load_config(minimal(tmp_path), ["learner.zero_stage=3", "learner.offload_optimizer=true"])
    assert cfg.learner.zero_stage == 3 and cfg.topology.learner_ranks == 1


def test_param_offload_needs_zero3(tmp_path: Path) -> None:
    message = error_of(minimal(tmp_path), ("learner.offload_params=true",))
    assert message.startswith("config: learner.offload_params:") and "learner.zero_stage=3" in message


def test_debug_mode_is_one_process(tmp_path: Path) -> None:
    message = error_of(minimal(tmp_path), ("topology.learner_ranks=2",))
    assert message.startswith("config: topology.learner_ranks: is 2 but debug mode runs everything in one process")


def test_cluster_resources_over_budget() -> None:
    cfg = load_config("multi-node", check_environment=False)
    check_cluster_resources(cfg, {"CPU": 64.0, "GPU": 16.0})
    with pytest.raises(ConfigError) as info:
        check_cluster_resources(cfg, {"CPU": 64.0, "GPU": 8.0})
    message = str(info.value)
    assert message.startswith("config: topology.learner.gpus, topology.rollout.gpus: cluster mode needs 16 GPU(s)")
    assert "the cluster has 8" in message and len(message.splitlines()) == 1  # CPUs suffice


def test_missing_source_file_names_its_index(tmp_path: Path) -> None:
    present = tmp_path / "train.jsonl"
    present.write_text('{"prompt": "1+1?", "answer": "2"}\n')
    sources = [{"path": str(present)}, {"path": str(tmp_path / "absent.jsonl")}]
    message = error_of(minimal(tmp_path, problems={"sources": sources}))
    assert message.startswith("config: problems.sources[1].path:") and "absent.jsonl" in message
    assert "does not exist" in message and "problems.sources[0]" not in message


@pytest.mark.parametrize("override", ["rollout.group_size 8", "rollout..group_size=8", "=8"])
def test_malformed_override(tmp_path: Path, override: str) -> None:
    message = error_of(minimal(tmp_path), (override,))
    assert message == f"config: override {override!r} is not key.sub=value; write e.g. rollout.group_size=8"


def test_override_through_a_value_is_refused() -> None:
    message = error_of("debug-cpu", ("rollout.group_size.x=1",))
    assert message == (
        "config: override 'rollout.group_size.x=1': rollout.group_size is a value (8), not a section; "
        "set rollout.group_size=... itself"
    )


def test_save_load_round_trip(tmp_path: Path) -> None:
    cfg = load_config("debug-cpu", ["learner.betas=[0.8, 0.95]", "rollout.sampling.stop_strings=[END]"])
    out = tmp_path / "run" / "config.yaml"
    save_config(cfg, out)
    again = load_config(out)
    assert again == cfg and isinstance(again, RunConfig)
    assert again.learner.betas == (0.8, 0.95)


def test_converters_to_the_component_configs(tmp_path: Path) -> None:
    cfg = load_config(
        minimal(tmp_path),
        [
            "learner.mini_batches=2",
            "learner.epochs=3",
            "schedule.steps=10",
            "rollout.sampling.temperature=0.7",
            "rewards.shaping.overlong_buffer=16",
            "rollout.sampling.stop_strings=[END]",
            "seed=5",
        ],
    )
    learner = to_learner_config(cfg)
    assert (learner.model, learner.total_steps, learner.seed, learner.mini_batches) == ("some/model", 60, 5, 2)
    loss = to_loss_config(cfg)
    assert (loss.temperature, loss.norm_length, loss.clip_high) == (0.7, 1024, 0.28)
    sampling = to_sampling(cfg, seed=3)
    assert (sampling.stop_strings, sampling.seed, sampling.temperature) == (("END",), 3, 0.7)
    assert to_shaping(cfg).max_length == 1024
    assert to_shaping(load_config(minimal(tmp_path))).max_length is None
