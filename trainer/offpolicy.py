"""Truncated importance sampling (TIS) between the sampler's log-probs and the learner's.

The rollout engine and the learner disagree numerically (kernels, precision), and in async mode the rollout is
also stale, so the tokens were drawn from pi_rollout, not pi_old. Multiplying the per-token policy loss by
min(pi_old / pi_rollout, cap) corrects this with bounded variance. The clip fraction needs the cap, so it lives in
`tis_stats`, next to `tis_weights`; `logprob_gap` reports the cap-free disagreement.
"""

from __future__ import annotations

import torch

from reasonrl.trainer.kl import kl_penalty


def _check(old_logp: torch.Tensor, rollout_logp: torch.Tensor, mask: torch.Tensor, cap: float | None) -> torch.Tensor:
    """Validate and return the masked log-ratio log(pi_old / pi_rollout), 0 on padding."""
    if old_logp.dim() != 2:
        raise ValueError(f"old_logp must be (B, T); got shape {tuple(old_logp.shape)}")
    for name, t in (("rollout_logp", rollout_logp), ("mask", mask)):
        if t.shape != old_logp.shape:
            raise ValueError(f"{name} must have old_logp's shape {tuple(old_logp.shape)}; got {tuple(t.shape)}")
    if cap is not None and not cap >= 1:
        raise ValueError(f"cap must be >= 1 (or None to turn the correction off); got {cap}")
    return torch.where(mask > 0, old_logp - rollout_logp, 0).detach()


def _masked_mean(x: torch.Tensor, keep: torch.Tensor) -> float:
    return (torch.where(keep, x, 0).sum() / keep.sum().clamp(min=1)).item()


def tis_weights(
    old_logp: torch.Tensor, rollout_logp: torch.Tensor, mask: torch.Tensor, cap: float | None
) -> torch.Tensor:
    """Detached per-token weights min(pi_old / pi_rollout, cap), 0 on padding; cap None gives 1 (no correction)."""
    log_ratio = _check(old_logp, rollout_logp, mask, cap)
    keep = mask > 0
    if cap is None:
        return keep.to(old_logp.dtype)
    return torch.where(keep, torch.exp(log_ratio).clamp(max=cap), 0).to(old_logp.dtype)


def tis_stats(
    old_logp: torch.Tensor, rollout_logp: torch.Tensor, mask: torch.Tensor, cap: float | None
) -> dict[str, float]:
    """How often the cap bit ("tis_clip_frac") and the mean applied weight, over completion tokens."""
    keep = mask > 0
    weights = tis_weights(old_logp, rollout_logp, mask, cap)
    log_ratio = _check(old_logp, rollout_logp, mask, cap)
    capped = torch.zeros_like(keep) if cap is None else (torch.exp(log_ratio) > cap) & keep
    return {"tis_clip_frac": _masked_mean(capped.float(), keep), "tis_weight_mean": _masked_mean(weights, keep)}


def logprob_gap(old_logp: torch.Tensor, rollout_logp: torch.Tensor, mask: torch.Tensor) -> dict[str, float]:
    """Sampler/learner disagreement; "rollout_kl_k3" estimates KL(rollout || learner) with the rollout as sampler."""
    log_ratio = _check(old_logp, rollout_logp, mask, None)
    keep = mask > 0
    gap = log_ratio.abs()
    # The rollout sampled the tokens, so it takes k3's `logp` place; k3 depends only on the log-ratio.
    kl = kl_penalty(torch.zeros_like(log_ratio), log_ratio, "k3")
    return {
        "logprob_gap_abs_mean": _masked_mean(gap, keep),
        "logprob_gap_abs_max": torch.where(keep, gap, 0).max().item(),
        "rollout_kl_k3": _masked_mean(kl, keep),
    }
