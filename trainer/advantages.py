"""Advantage estimators for outcome rewards: one scalar per sequence, broadcast over its tokens by the loss.

All estimators are per-sequence (the "gspo-compatible" form); rewards come as (num_groups, G), the G samples of
one problem per row, so group baselines are row statistics.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from reasonrl.trainer.registry import Registry

AdvantageFn = Callable[[torch.Tensor, float], torch.Tensor]

ADVANTAGES: Registry[AdvantageFn] = Registry("advantage estimator")
advantage = ADVANTAGES.register


def _group_centered(rewards: torch.Tensor) -> torch.Tensor:
    return rewards - rewards.mean(dim=1, keepdim=True)


def _whiten(x: torch.Tensor, eps: float) -> torch.Tensor:
    """Batch whitening with the unbiased std; a single value has no spread, so it maps to 0."""
    if x.numel() < 2:
        return torch.zeros_like(x)
    return (x - x.mean()) / (x.std() + eps)


@advantage("grpo")
def grpo(rewards: torch.Tensor, eps: float) -> torch.Tensor:
    """(r - mean) / (std + eps) per group, unbiased std as veRL and the GRPO paper; a lone sample gets 0."""
    if rewards.shape[1] < 2:
        return torch.zeros_like(rewards)
    return _group_centered(rewards) / (rewards.std(dim=1, keepdim=True) + eps)


@advantage("dr_grpo")
def dr_grpo(rewards: torch.Tensor, eps: float) -> torch.Tensor:
    """Dr. GRPO drops the std division, which over-weights near-uniform groups."""
    return _group_centered(rewards)


@advantage("rloo")
def rloo(rewards: torch.Tensor, eps: float) -> torch.Tensor:
    """Leave-one-out baseline keeps the estimator unbiased: r - mean(others) = G/(G-1) * (r - mean)."""
    g = rewards.shape[1]
    if g < 2:
        return torch.zeros_like(rewards)
    return _group_centered(rewards) * (g / (g - 1))


@advantage("reinforce_pp")
def reinforce_pp(rewards: torch.Tensor, eps: float) -> torch.Tensor:
    """REINFORCE++: a global (batch) baseline and scale instead of per-group ones."""
    return _whiten(rewards, eps)


@advantage("reinforce_pp_baseline")
def reinforce_pp_baseline(rewards: torch.Tensor, eps: float) -> torch.Tensor:
    """veRL's REINFORCE++-baseline: group mean as baseline, then batch whitening for a stable scale."""
    return _whiten(_group_centered(rewards), eps)


def compute_advantages(name: str, rewards: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Validate `rewards` once here so the estimators can stay bare formulas."""
    if not isinstance(rewards, torch.Tensor) or rewards.dim() != 2:
        shape = tuple(rewards.shape) if isinstance(rewards, torch.Tensor) else type(rewards).__name__
        raise ValueError(f"rewards must be a 2-D tensor (num_groups, G); got {shape}: reshape to (num_groups, G)")
    if rewards.shape[0] < 1 or rewards.shape[1] < 1:
        raise ValueError(f"rewards must hold at least one group of G >= 1 samples; got shape {tuple(rewards.shape)}")
    if not rewards.is_floating_point():
        raise ValueError(f"rewards must be floating point; got {rewards.dtype}: cast with .float()")
    if not torch.isfinite(rewards).all():
        raise ValueError("rewards must be finite; found NaN or inf: fix the reward function or filter those samples")
    if not eps > 0:
        raise ValueError(f"eps must be > 0 (it guards the division for all-equal groups); got {eps}")
    return ADVANTAGES.get(name)(rewards, eps)


def signal_mask(rewards: torch.Tensor) -> torch.Tensor:
    """Groups whose rewards all agree get zero advantage under group baselines, so they may be dropped."""
    if rewards.dim() != 2:
        raise ValueError(f"rewards must be a 2-D tensor (num_groups, G); got shape {tuple(rewards.shape)}")
    return (rewards != rewards[:, :1]).any(dim=1)


def advantage_stats(adv: torch.Tensor) -> dict[str, float]:
    """Metrics over every advantage; the population std so a single value does not give NaN."""
    if adv.numel() == 0:
        raise ValueError("adv is empty: compute stats only for a batch with at least one sequence")
    flat = adv.detach().float().flatten()
    return {
        "mean": flat.mean().item(),
        "std": flat.std(correction=0).item(),
        "min": flat.min().item(),
        "max": flat.max().item(),
        "frac_zero": (flat == 0).float().mean().item(),
    }
