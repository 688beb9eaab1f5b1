"""Lockstep detection of a NaN/Inf loss or gradient, so every rank skips the same optimizer update.

One bad sequence (a NaN advantage, an overflowing ratio) would otherwise write NaN into the weights and Adam
moments of every rank for good. DeepSpeed's ZeRO optimizers already refuse a step whose gradient norm is not
finite; a plain torch optimizer (ZeRO 0, fp32) does not, so its gradients are checked here.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

from reasonrl.trainer import distributed


def is_finite(value: torch.Tensor) -> bool:
    return bool(torch.isfinite(value).all())


def grads_finite(params: Iterable[torch.nn.Parameter]) -> bool:
    """Checks one parameter at a time: never a second copy of the whole gradient."""
    return all(p.grad is None or is_finite(p.grad) for p in params)


def any_rank(flag: bool, device: torch.device | None) -> bool:
    """True on every rank when `flag` is true on any rank (a collective: call it on all ranks)."""
    return distributed.all_max(int(flag), device) > 0


def optimizer_checks_overflow(optimizer: object) -> bool:
    """DeepSpeed's ZeRO/bf16/fp16 wrappers expose `overflow` and skip a non-finite step themselves."""
    return hasattr(optimizer, "overflow")
