"""Loading the policy and reference models, scoring sequences without gradients, saving model files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from reasonrl.trainer.packing import pack, unpack_per_sequence
from reasonrl.trainer.policy_module import Scorer
from reasonrl.trainer.types import Batch, LearnerConfig


def load_policy(cfg: LearnerConfig, dtype: str, load_tokenizer: bool) -> tuple[torch.nn.Module, Any]:
    model = AutoModelForCausalLM.from_pretrained(cfg.model, dtype=getattr(torch, dtype))
    if cfg.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.config.use_cache = False
    tokenizer = AutoTokenizer.from_pretrained(cfg.model) if load_tokenizer else None
    return model, tokenizer


def load_reference(cfg: LearnerConfig, dtype: str, device: torch.device) -> torch.nn.Module:
    """A frozen copy of the starting policy; loaded only when the KL coefficient is above 0."""
    model = AutoModelForCausalLM.from_pretrained(cfg.model, dtype=getattr(torch, dtype)).to(device).eval()
    model.requires_grad_(False)
    return model


@torch.no_grad()
def per_sequence_logprobs(
    score: Scorer, batch: Batch, plan: list[tuple[list[int], float]], layout: str
) -> dict[int, list[float]]:
    """Scores each micro-batch of `plan`; passes of weight 0 only keep ranks in step and are discarded."""
    out: dict[int, list[float]] = {}
    for chosen, weight in plan:
        packed = pack([batch.prompt_ids[i] for i in chosen], [batch.completion_ids[i] for i in chosen], layout)
        logp, _ = score(packed, False)
        if weight == 0:
            continue
        for i, values in zip(chosen, unpack_per_sequence(logp, packed), strict=True):
            out[i] = values.float().cpu().tolist()
    return out


def save_model_files(model: torch.nn.Module, tokenizer: Any, folder: Path) -> None:
    """What export needs besides the weights: config, generation config, tokenizer."""
    folder.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(folder)
    if getattr(model, "generation_config", None) is not None:
        model.generation_config.save_pretrained(folder)
    if tokenizer is not None:
        tokenizer.save_pretrained(folder)
