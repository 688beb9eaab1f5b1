"""The DeepSpeed config, generated from reasonrl's learner settings; a user's JSON is merged over it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reasonrl.trainer.optimizer import deepspeed_clips
from reasonrl.trainer.types import LearnerConfig


def build_ds_config(cfg: LearnerConfig, dtype: str) -> dict[str, Any]:
    """Micro-batching is reasonrl's (token budget, variable count per step), so DeepSpeed runs with
    unmanaged gradient accumulation: every backward accumulates, every `step()` is the boundary."""
    zero: dict[str, Any] = {"stage": cfg.zero_stage}
    if cfg.offload_optimizer:
        zero["offload_optimizer"] = {"device": "cpu", "pin_memory": True}
    if cfg.offload_params:
        zero["offload_param"] = {"device": "cpu", "pin_memory": True}
    if cfg.zero_stage == 3:
        zero["stage3_gather_16bit_weights_on_model_save"] = False  # export goes through zero_to_fp32
    config: dict[str, Any] = {
        "train_micro_batch_size_per_gpu": 1,
        "gradient_accumulation_steps": 1,
        "managed_gradient_accumulation": False,
        "gradient_clipping": cfg.grad_clip if deepspeed_clips(cfg, dtype) else 0.0,
        "zero_optimization": zero,
        "zero_allow_untested_optimizer": True,  # the optimizer is torch's AdamW, built by the learner
        "zero_force_ds_cpu_optimizer": False,
        "bf16": {"enabled": dtype == "bfloat16"},
        "fp16": {"enabled": dtype == "float16"},
        # Off for every ordinary load; trainer/reshard.py turns it on for the one load of a resharded checkpoint.
        "checkpoint": {"load_universal": False},
        "steps_per_print": 1 << 30,
        "wall_clock_breakdown": False,
    }
    if cfg.deepspeed_config:
        config = merge(config, load_user_config(cfg.deepspeed_config))
        section = config.get("checkpoint")
        if isinstance(section, dict) and section.get("load_universal"):
            raise ValueError(
                f"learner.deepspeed_config: {cfg.deepspeed_config} sets checkpoint.load_universal, which would make "
                "every resume expect a converted checkpoint; remove it: a checkpoint from another number of ranks "
                "is converted automatically"
            )
    return config


def load_user_config(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"learner.deepspeed_config: cannot read {path}: {err}") from err
    if not isinstance(data, dict):
        raise ValueError(f"learner.deepspeed_config: {path} must hold a JSON object")
    return data


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Recursive: the user's keys win, nested sections are merged rather than replaced."""
    out = dict(base)
    for key, value in override.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
