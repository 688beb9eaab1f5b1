"""AdamW for the learner, and who clips the gradients.

DeepSpeed's ZeRO and bf16 optimizer wrappers clip and report the global gradient norm themselves. Plain
fp32 without ZeRO hands the step to the client optimizer and reports no norm, so there the optimizer
clips (its gradients are already averaged over ranks when `step` runs) and records the norm where the
engine looks for it.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

from reasonrl.trainer.types import LearnerConfig


class ClippingAdamW(torch.optim.AdamW):
    def __init__(self, params: Iterable[torch.nn.Parameter], max_norm: float, **kwargs: object) -> None:
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


def build_optimizer(params: Iterable[torch.nn.Parameter], cfg: LearnerConfig, dtype: str) -> torch.optim.Optimizer:
    kwargs = {"lr": cfg.lr, "betas": cfg.betas, "weight_decay": cfg.weight_decay}
    if deepspeed_clips(cfg, dtype):
        return torch.optim.AdamW(params, **kwargs)
    return ClippingAdamW(params, max_norm=cfg.grad_clip, **kwargs)
