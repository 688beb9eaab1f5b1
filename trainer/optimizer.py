"""AdamW for the learner, and who clips the gradients.

DeepSpeed's ZeRO and bf16 optimizer wrappers clip and report the global gradient norm themselves. Plain
fp32 without ZeRO hands the step to the client optimizer and reports no norm, so there the optimizer
clips (its gradients are already averaged over ranks when `step` runs) and records the norm where the
engine looks for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import torch
from torch import nn

from reasonrl.trainer.types import LearnerConfig


class ClippingAdamW(torch.optim.AdamW):
    def __init__(self, params: Iterable[torch.nn.Parameter] | list[dict], max_norm: float, **kwargs: object) -> None:
        super().__init__(params, **kwargs)
        self.max_norm = max_norm
        self._global_grad_norm: float | None = None  # read by DeepSpeed's engine after each step

    @torch.no_grad()
    def step(self, closure=None):  # noqa: ANN001, ANN201 - torch's signature
        params = [p for group in self.param_groups for p in group["params"] if p.grad is not None]
        limit = self.max_norm if self.max_norm > 0 else float("inf")
        self._global_grad_norm = float(torch.nn.utils.clip_grad_norm_(params, limit))
        return super().step(closure)


def deepspeed_clips(cfg: LearnerConfig, dtype: str) -> bool:
    return cfg.zero_stage > 0 or dtype != "float32"


def param_groups(model: nn.Module, lr: float, multipliers: dict[str, float]) -> list[dict]:
    """One optimizer group per `lr_multipliers` pattern (first match wins), then the rest at `lr`.

    A pattern that matches no parameter is an error: a typo would otherwise train at the base rate unnoticed.
    """
    groups: dict[str | None, list[nn.Parameter]] = {pattern: [] for pattern in multipliers}
    groups[None] = []
    names = []
    for name, param in model.named_parameters():
        names.append(name)
        pattern = next((p for p in multipliers if re.search(p, name)), None)
        groups[pattern].append(param)
    unmatched = [p for p in multipliers if not groups[p]]
    if unmatched:
        raise ValueError(
            f"learner.lr_multipliers: {unmatched} match no parameter of the model; names look like "
            f"{names[:3]} (the patterns are regular expressions searched in these names)"
        )
    rest = [{"params": groups[None], "lr": lr}] if groups[None] else []
    return rest + [{"params": groups[p], "lr": lr * m} for p, m in multipliers.items()]


def build_optimizer(model: nn.Module, cfg: LearnerConfig, dtype: str) -> torch.optim.Optimizer:
    groups = param_groups(model, cfg.lr, cfg.lr_multipliers)
    kwargs = {"lr": cfg.lr, "betas": cfg.betas, "weight_decay": cfg.weight_decay}
    if deepspeed_clips(cfg, dtype):
        return torch.optim.AdamW(groups, **kwargs)
    return ClippingAdamW(groups, max_norm=cfg.grad_clip, **kwargs)
