"""Per-token estimators of KL(pi || ref) from the log-probs of tokens sampled from pi (Schulman's k1/k2/k3)."""

from __future__ import annotations

from collections.abc import Callable

import torch

from reasonrl.trainer.registry import Registry

KLFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]

KL_ESTIMATORS: Registry[KLFn] = Registry("KL estimator")
kl_estimator = KL_ESTIMATORS.register


@kl_estimator("k1")
def k1(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Unbiased but high-variance, and negative on many tokens."""
    return logp - ref_logp


@kl_estimator("k2")
def k2(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Biased, low variance; its gradient is the one of the true KL (GRPO-as-loss analysis)."""
    return 0.5 * (logp - ref_logp) ** 2


@kl_estimator("k3")
def k3(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Unbiased, always >= 0, low variance: the GRPO default."""
    log_r = ref_logp - logp
    return torch.exp(log_r) - log_r - 1


def kl_penalty(logp: torch.Tensor, ref_logp: torch.Tensor, kind: str) -> torch.Tensor:
    """The estimator `kind` names, per token."""
    if logp.shape != ref_logp.shape:
        raise ValueError(f"ref_logp must have logp's shape {tuple(logp.shape)}; got {tuple(ref_logp.shape)}")
    return KL_ESTIMATORS.get(kind)(logp, ref_logp)


def kl_reward_penalty(
    rewards: torch.Tensor, kl_per_token: torch.Tensor, mask: torch.Tensor, coef: float
) -> torch.Tensor:
    """KL-in-reward: the sequence's summed KL is charged to its reward before advantages are computed."""
    if kl_per_token.dim() != 2 or mask.shape != kl_per_token.shape or rewards.shape != kl_per_token.shape[:1]:
        raise ValueError(
            f"kl_reward_penalty needs rewards (B,), kl_per_token (B, T), mask (B, T); got rewards "
            f"{tuple(rewards.shape)}, kl_per_token {tuple(kl_per_token.shape)}, mask {tuple(mask.shape)}"
        )
    if coef < 0:
        raise ValueError(f"coef must be >= 0 (a penalty); got {coef}")
    return rewards - coef * torch.where(mask > 0, kl_per_token * mask, 0).sum(dim=1)
