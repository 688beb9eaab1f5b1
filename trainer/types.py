"""The learner's contract: what one training step receives (`Batch`) and the settings of the algorithm.

A Batch is plain Python lists so it crosses Ray and process boundaries cheaply and can be sharded by
sequence; the learner turns it into packed tensors itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Batch:
    """Every sequence of one step, in group order (the G samples of problem 0 first).

    `advantages` holds one value per sequence (broadcast over its tokens); `rollout_logprobs` are the
    sampler's per-token log-probabilities of `completion_ids`, used for the off-policy correction.
    """

    prompt_ids: list[list[int]]
    completion_ids: list[list[int]]
    rollout_logprobs: list[list[float]]
    advantages: list[float]
    group_index: list[int] = field(default_factory=list)
    weight_version: int = 0

    def __post_init__(self) -> None:
        n = len(self.prompt_ids)
        sizes = {
            "completion_ids": len(self.completion_ids),
            "rollout_logprobs": len(self.rollout_logprobs),
            "advantages": len(self.advantages),
        }
        if self.group_index:
            sizes["group_index"] = len(self.group_index)
        bad = {k: v for k, v in sizes.items() if v != n}
        if bad:
            raise ValueError(f"Batch: {bad} do not match prompt_ids ({n} sequences)")
        for i, (ids, lps) in enumerate(zip(self.completion_ids, self.rollout_logprobs, strict=True)):
            if len(ids) != len(lps):
                raise ValueError(f"Batch: sequence {i} has {len(ids)} completion ids but {len(lps)} logprobs")

    def __len__(self) -> int:
        return len(self.prompt_ids)

    def select(self, indices: list[int]) -> Batch:
        return Batch(
            prompt_ids=[self.prompt_ids[i] for i in indices],
            completion_ids=[self.completion_ids[i] for i in indices],
            rollout_logprobs=[self.rollout_logprobs[i] for i in indices],
            advantages=[self.advantages[i] for i in indices],
            group_index=[self.group_index[i] for i in indices] if self.group_index else [],
            weight_version=self.weight_version,
        )

    def num_tokens(self) -> int:
        return sum(len(p) + len(c) for p, c in zip(self.prompt_ids, self.completion_ids, strict=True))


@dataclass(frozen=True)
class LossConfig:
    """Policy-loss settings. Defaults follow DAPO: clip-higher, token-mean aggregation, no KL."""

    policy_loss: str = "ppo"  # registry name: "ppo" (token ratio) or "gspo" (sequence ratio)
    clip_low: float = 0.2
    clip_high: float = 0.28
    dual_clip: float | None = None  # e.g. 3.0; bounds the loss of negative-advantage tokens
    aggregation: str = "token_mean"  # "token_mean" | "seq_mean_token_mean" | "seq_mean_token_sum_norm"
    norm_length: int | None = None  # the fixed normaliser of seq_mean_token_sum_norm (default: max_new_tokens)
    kl_coef: float = 0.0  # 0: no reference model is loaded
    kl_estimator: str = "k3"  # "k1" | "k2" | "k3"
    kl_as_reward: bool = False  # subtract coef * KL from the reward instead of adding a loss term
    tis_cap: float | None = 2.0  # truncated importance sampling cap; None turns the correction off
    temperature: float = 1.0  # the sampler's temperature: log-probabilities are of logits / temperature
    entropy_coef: float = 0.0

    def __post_init__(self) -> None:
        checks = [
            (self.clip_low >= 0 and self.clip_high >= 0, "clip_low and clip_high must be >= 0"),
            (self.dual_clip is None or self.dual_clip > 1, "dual_clip must be > 1 (or null to turn it off)"),
            (self.kl_coef >= 0, "kl_coef must be >= 0"),
            (self.tis_cap is None or self.tis_cap >= 1, "tis_cap must be >= 1 (or null to turn it off)"),
            (self.temperature > 0, "temperature must be > 0"),
            (self.norm_length is None or self.norm_length > 0, "norm_length must be > 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"algorithm: {message}")


@dataclass(frozen=True)
class LearnerConfig:
    """How the policy is trained: model, DeepSpeed, optimizer, schedule and batching."""

    model: str  # local folder or hub name
    zero_stage: int = 0
    offload_optimizer: bool = False
    offload_params: bool = False
    dtype: str = "auto"  # auto: bfloat16 on GPU, float32 on CPU
    gradient_checkpointing: bool = False
    lr: float = 1e-6
    # Regex on parameter names (as the model names them) -> multiplier of lr; the first match wins. Adam moves
    # each weight by about lr a step, so a gain that must move far (the final norm, which sets how sharp
    # the policy is) needs its own, larger rate.
    lr_multipliers: dict[str, float] = field(default_factory=dict)
    weight_decay: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    warmup_steps: int = 0
    schedule: str = "constant"  # "constant" or "cosine" (after warm-up)
    total_steps: int = 1000  # optimizer steps the cosine schedule spans
    min_lr_ratio: float = 0.0
    grad_clip: float = 1.0  # 0 turns clipping off
    mini_batches: int = 1  # optimizer steps per epoch over one rollout batch
    epochs: int = 1
    micro_token_budget: int = 8192  # tokens per forward/backward pass on one rank
    logprob_chunk: int = 1024  # rows of full-vocabulary logits alive at once
    deepspeed_config: str | None = None  # a DeepSpeed JSON merged over the generated config
    seed: int = 0
    collective_timeout_s: float = 600.0

    def __post_init__(self) -> None:
        checks = [
            (self.zero_stage in (0, 1, 2, 3), "zero_stage must be 0, 1, 2 or 3"),
            (self.dtype in ("auto", "float32", "bfloat16", "float16"), "dtype must be auto, float32 or bfloat16"),
            (self.schedule in ("constant", "cosine"), "schedule must be constant or cosine"),
            (self.lr > 0, "lr must be > 0"),
            (self.mini_batches >= 1 and self.epochs >= 1, "mini_batches and epochs must be >= 1"),
            (self.micro_token_budget >= 16, "micro_token_budget must be >= 16 tokens"),
            (self.logprob_chunk >= 1, "logprob_chunk must be >= 1"),
            (self.grad_clip >= 0, "grad_clip must be >= 0 (0 turns it off)"),
            (self.offload_params is False or self.zero_stage == 3, "offload_params needs zero_stage 3"),
            (self.offload_optimizer is False or self.zero_stage >= 1, "offload_optimizer needs zero_stage >= 1"),
            (all(m > 0 for m in self.lr_multipliers.values()), "lr_multipliers values must be > 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"learner: {message}")
        for pattern in self.lr_multipliers:
            try:
                re.compile(pattern)
            except re.error as e:
                raise ValueError(f"learner: lr_multipliers key {pattern!r} is not a regular expression ({e})") from None
