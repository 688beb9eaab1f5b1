"""The run config: one YAML file validated into typed models before any process starts.

Every section forbids unknown keys, so a typo fails at load time with the dotted field name and a suggestion
instead of being silently ignored by a run that trains for hours with the default.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reasonrl.rewards.shaping import ShapingConfig
from reasonrl.rollout.types import SamplingParams
from reasonrl.trainer.types import LearnerConfig, LossConfig

from .config_errors import ConfigError, explain
from .config_overrides import apply_overrides

__all__ = ["ConfigError", "RunConfig", "apply_overrides", "load_config", "save_config"]

CONFIG_DIR = Path(__file__).parent / "configs"

Dtype = Literal["auto", "float32", "bfloat16"]
Difficulty = Annotated[int, Field(ge=1, le=10)]
Beta = Annotated[float, Field(ge=0, lt=1)]
Multiplier = Annotated[float, Field(gt=0)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelCfg(_Section):
    path: str = Field(min_length=1, description="a Hugging Face model folder or hub name")
    dtype: Dtype = "auto"


class CurriculumCfg(_Section):
    start: Difficulty = 1
    raise_above: float = Field(0.8, ge=0, le=1, description="solve rate at which a family moves up a level")
    lower_below: float = Field(0.2, ge=0, le=1, description="solve rate at which a family moves down a level")
    window: int = Field(64, ge=1, description="outcomes observed at a level before a move")
    min_level: Difficulty = 1
    max_level: Difficulty = 8


class FileSourceCfg(_Section):
    path: str = Field(min_length=1, description="a JSONL/Parquet file or a saved datasets folder")
    weight: float = Field(1.0, ge=0, description="share of problems drawn from this source")
    prompt_field: str = "prompt"
    answer_field: str = "answer"
    system_field: str | None = None
    kind_field: str | None = None
    format: Literal["auto", "jsonl", "parquet", "datasets"] = "auto"


class EvalCfg(_Section):
    problems: int = Field(64, ge=1, description="held-out problems per evaluation")
    difficulty: Difficulty | None = None
    families: list[str] | None = None
    samples: int = Field(4, ge=1, description="samples per problem")
    k: int = Field(4, ge=1, description="pass@k and maj@k")
    temperature: float = Field(1.0, ge=0, description="0 is greedy")
    file: FileSourceCfg | None = None


class ProblemsCfg(_Section):
    mixture: str | dict[str, float] = "default"
    difficulty: Difficulty | None = 3
    curriculum: CurriculumCfg | None = None
    generated_weight: float = Field(1.0, ge=0, description="weight of the generated mixture against file sources")
    sources: list[FileSourceCfg] = Field(default_factory=list)
    answer_format: str = "boxed"
    seed: int = 0
    eval: EvalCfg = Field(default_factory=EvalCfg)

    @model_validator(mode="before")
    @classmethod
    def _curriculum_replaces_default_difficulty(cls, data: Any) -> Any:
        """A curriculum picks each family's level, so it displaces the *default* difficulty (an explicit one
        still conflicts and is reported by the checks)."""
        if isinstance(data, dict) and data.get("curriculum") is not None and "difficulty" not in data:
            return {**data, "difficulty": None}
        return data


class SamplingCfg(_Section):
    temperature: float = Field(1.0, gt=0, description="RL needs sampling: greedy decoding gives identical samples")
    top_p: float = Field(1.0, gt=0, le=1)
    top_k: int = Field(0, ge=0, description="0 turns it off")
    min_p: float = Field(0.0, ge=0, lt=1)
    max_new_tokens: int = Field(1024, ge=1)
    stop_strings: list[str] = Field(default_factory=list)


class RolloutCfg(_Section):
    engine: Literal["transformers", "vllm"] = "transformers"
    problems_per_step: int = Field(16, ge=1)
    group_size: int = Field(8, ge=2, description="GRPO needs at least two samples per problem to form a baseline")
    sampling: SamplingCfg = Field(default_factory=SamplingCfg)
    system_prompt: str | None = None
    use_chat_template: bool = True
    token_budget: int = Field(65536, ge=1, description="engine micro-batch tokens")
    dtype: Dtype = "auto"


class ShapingCfg(_Section):
    correct: float = 1.0
    format_reward: float = 0.0
    overlong_buffer: int = Field(0, ge=0, description="tokens before max_new_tokens where the penalty ramps up")
    overlong_penalty: float = Field(1.0, ge=0)


class RewardsCfg(_Section):
    shaping: ShapingCfg = Field(default_factory=ShapingCfg)
    user: list[str] = Field(default_factory=list, description="user reward references, each added to correctness")
    workers: int = Field(2, ge=0, description="0 scores inline (debug)")
    timeout_s: float = Field(5.0, gt=0)
    memory_mb: int = Field(2048, ge=1)


class AlgorithmCfg(_Section):
    advantage: str = "grpo"
    policy_loss: str = "ppo"
    aggregation: str = "token_mean"
    clip_low: float = Field(0.2, ge=0)
    clip_high: float = Field(0.28, ge=0)
    dual_clip: float | None = Field(None, gt=1, description="null turns it off")
    norm_length: int | None = Field(None, ge=1, description="null: rollout.sampling.max_new_tokens")
    kl_coef: float = Field(0.0, ge=0, description="0 loads no reference model")
    kl_estimator: Literal["k1", "k2", "k3"] = "k3"
    kl_as_reward: bool = False
    tis_cap: float | None = Field(2.0, ge=1, description="null turns truncated importance sampling off")
    entropy_coef: float = 0.0
    dynamic_sampling: bool = True
    max_extra_draws: int = Field(2, ge=0, description="extra rounds of problems to refill dropped groups")
    staleness: int = Field(0, ge=0, description="0: synchronous; k: samples at most k weight versions old")


class LearnerCfg(_Section):
    zero_stage: int = Field(0, ge=0, le=3)
    offload_optimizer: bool = False
    offload_params: bool = False
    gradient_checkpointing: bool = False
    lr: float = Field(1e-6, gt=0)
    lr_multipliers: dict[str, Multiplier] = Field(
        default_factory=dict, description=r"regex on parameter names -> lr multiplier, e.g. {'model\.norm\.': 100}"
    )
    weight_decay: float = Field(0.0, ge=0)
    betas: tuple[Beta, Beta] = (0.9, 0.999)
    warmup_steps: int = Field(0, ge=0)
    schedule: Literal["constant", "cosine"] = "constant"
    min_lr_ratio: float = Field(0.0, ge=0, le=1)
    grad_clip: float = Field(1.0, ge=0, description="0 turns clipping off")
    mini_batches: int = Field(1, ge=1)
    epochs: int = Field(1, ge=1)
    micro_token_budget: int = Field(8192, ge=16, description="tokens per forward/backward pass on one rank")
    logprob_chunk: int = Field(1024, ge=1)
    deepspeed_config: str | None = None
    collective_timeout_s: float = Field(600.0, gt=0)

    @field_validator("lr_multipliers")
    @classmethod
    def _patterns_compile(cls, value: dict[str, float]) -> dict[str, float]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as e:
                raise ValueError(f"key {pattern!r} is not a regular expression ({e})") from None
        return value


class RoleResources(_Section):
    cpus: float = Field(1, ge=0)
    gpus: float = Field(0, ge=0)


class TopologyCfg(_Section):
    mode: Literal["debug", "local", "cluster"] = "debug"
    address: str | None = Field(None, description='Ray address for cluster mode, e.g. "auto" or "ip:port"')
    learner_ranks: int = Field(1, ge=1)
    rollout_workers: int = Field(1, ge=1)
    learner: RoleResources = Field(default_factory=RoleResources)
    rollout: RoleResources = Field(default_factory=RoleResources)
    placement: Literal["PACK", "SPREAD"] = "PACK"
    torch_threads: int | None = Field(1, ge=1)


class ScheduleCfg(_Section):
    steps: int = Field(100, ge=1)
    eval_every: int = Field(0, ge=0, description="0: only at start and end")
    checkpoint_every: int = Field(0, ge=0, description="0: only at the end")
    keep_last: int = Field(2, ge=1)


class LoggingCfg(_Section):
    run_dir: str = Field("runs", min_length=1)
    name: str | None = Field(None, description="null: config file stem + timestamp")
    tensorboard: bool = True
    wandb: bool = False
    wandb_project: str = "reasonrl"
    wandb_mode: Literal["online", "offline"] = "offline"
    samples_per_step: int = Field(4, ge=0)
    progress: bool = True
    stuck_reward_steps: int = Field(20, ge=1)


class FaultsCfg(_Section):
    """How much going wrong a run survives before it stops (with a resumable checkpoint and a message)."""

    max_worker_deaths: int = Field(
        3, ge=1, description="a rollout worker or reward worker slot dying this often within window_steps stops"
    )
    window_steps: int = Field(10, ge=1, description="the sliding window of steps max_worker_deaths counts over")
    max_nonfinite_in_a_row: int = Field(
        3, ge=1, description="consecutive steps whose update was skipped for a NaN/Inf before the run stops"
    )
    on_checkpoint_error: Literal["continue", "stop"] = Field(
        "continue", description="continue: keep training and retry the checkpoint next step; stop: stop at once"
    )
    max_checkpoint_failures: int = Field(
        3, ge=1, description="consecutive failed checkpoint attempts before even 'continue' stops the run"
    )


class RunConfig(_Section):
    model: ModelCfg = Field(description="the policy to train")
    problems: ProblemsCfg = Field(default_factory=ProblemsCfg)
    rollout: RolloutCfg = Field(default_factory=RolloutCfg)
    rewards: RewardsCfg = Field(default_factory=RewardsCfg)
    algorithm: AlgorithmCfg = Field(default_factory=AlgorithmCfg)
    learner: LearnerCfg = Field(default_factory=LearnerCfg)
    topology: TopologyCfg = Field(default_factory=TopologyCfg)
    schedule: ScheduleCfg = Field(default_factory=ScheduleCfg)
    logging: LoggingCfg = Field(default_factory=LoggingCfg)
    faults: FaultsCfg = Field(default_factory=FaultsCfg)
    seed: int = 0


def shipped_config(name: str) -> Path:
    """The packaged config `name` (`debug-cpu` or `debug-cpu.yaml`)."""
    path = CONFIG_DIR / (name if name.endswith(".yaml") else f"{name}.yaml")
    if not path.is_file():
        raise ConfigError(f"config: no shipped config named {name!r}; choose one of {', '.join(shipped_names())}")
    return path


def shipped_names() -> list[str]:
    return sorted(p.stem for p in CONFIG_DIR.glob("*.yaml"))


def load_config(path: str | Path, overrides: Sequence[str] = (), check_environment: bool = True) -> RunConfig:
    """Read, override and validate a run config; `check_environment=False` skips what depends on this machine
    (GPUs, vllm, files, user reward imports) so a cluster config can be checked on a laptop."""
    from .config_checks import validate  # here: it imports this module, and torch through the trainer registries

    data = apply_overrides(_read_yaml(_resolve(path)), overrides)
    cfg = _parse(data)
    validate(cfg, check_environment=check_environment)
    return cfg


def save_config(cfg: RunConfig, path: str | Path) -> None:
    """The resolved config, every field written, so the run can be repeated with `load_config(path)`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False))


def _resolve(path: str | Path) -> Path:
    candidate = Path(path).expanduser()
    if candidate.is_file():
        return candidate
    if candidate.parent == Path(".") and (CONFIG_DIR / f"{candidate.stem}.yaml").is_file():
        return shipped_config(candidate.name)
    raise ConfigError(
        f"config: file {str(path)!r} does not exist; give a YAML file or a shipped config "
        f"({', '.join(shipped_names())})"
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as e:
        raise ConfigError(f"config: {path} is not valid YAML ({' '.join(str(e).split())}); fix the syntax") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"config: {path} must be a mapping of sections (model:, rollout:, ...), not a {type(data).__name__}"
        )
    return data


def _parse(data: dict[str, Any]) -> RunConfig:
    try:
        return RunConfig.model_validate(data)
    except ValidationError as e:
        raise ConfigError(explain(e, RunConfig)) from None


def to_learner_config(cfg: RunConfig) -> LearnerConfig:
    same = {f.name for f in dataclasses.fields(LearnerConfig)} & set(LearnerCfg.model_fields)
    learner = cfg.learner
    return LearnerConfig(
        model=cfg.model.path,
        dtype=cfg.model.dtype,
        total_steps=cfg.schedule.steps * learner.mini_batches * learner.epochs,
        seed=cfg.seed,
        **{name: getattr(learner, name) for name in same},
    )


def to_loss_config(cfg: RunConfig) -> LossConfig:
    """`norm_length` defaults to max_new_tokens: Dr. GRPO's normaliser must be a constant, not the batch's longest."""
    algo = cfg.algorithm
    same = {f.name for f in dataclasses.fields(LossConfig)} & set(AlgorithmCfg.model_fields)
    fields = {name: getattr(algo, name) for name in same}
    fields["norm_length"] = algo.norm_length or cfg.rollout.sampling.max_new_tokens
    return LossConfig(temperature=cfg.rollout.sampling.temperature, **fields)


def to_sampling(cfg: RunConfig, seed: int | None = None) -> SamplingParams:
    s = cfg.rollout.sampling
    return SamplingParams(
        temperature=s.temperature,
        top_p=s.top_p,
        top_k=s.top_k,
        min_p=s.min_p,
        max_new_tokens=s.max_new_tokens,
        stop_strings=tuple(s.stop_strings),
        seed=seed,
    )


def to_shaping(cfg: RunConfig) -> ShapingConfig:
    shaping = cfg.rewards.shaping
    return ShapingConfig(
        correct=shaping.correct,
        format_reward=shaping.format_reward,
        overlong_buffer=shaping.overlong_buffer,
        max_length=cfg.rollout.sampling.max_new_tokens if shaping.overlong_buffer > 0 else None,
        overlong_penalty=shaping.overlong_penalty,
    )
