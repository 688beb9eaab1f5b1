"""Policy losses (per token) and loss aggregations (per-sequence weights).

A policy loss returns an unreduced (B, T) loss; the aggregation turns mini-batch-global counts into one weight per
sequence, so summing `aggregate` over every micro-batch on every data-parallel rank reproduces the aggregated
mini-batch loss exactly, however the mini-batch was split.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from reasonrl.trainer.registry import Registry
from reasonrl.trainer.types import LossConfig

# exp(20) ~ 5e8: far outside any clip range, yet finite, so one diverged token cannot turn the step into inf/NaN.
LOG_RATIO_LIMIT = 20.0

PolicyLossFn = Callable[
    [torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, LossConfig],
    tuple[torch.Tensor, dict[str, torch.Tensor]],
]
AggregationFn = Callable[[torch.Tensor, "AggregationScope"], torch.Tensor]

POLICY_LOSSES: Registry[PolicyLossFn] = Registry("policy loss")
policy_loss = POLICY_LOSSES.register
AGGREGATIONS: Registry[AggregationFn] = Registry("loss aggregation")
aggregation = AGGREGATIONS.register


def _check_loss_inputs(
    logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, mask: torch.Tensor
) -> None:
    if logp.dim() != 2:
        raise ValueError(f"logp must be (B, T); got shape {tuple(logp.shape)}")
    for name, t in (("old_logp", old_logp), ("mask", mask)):
        if t.shape != logp.shape:
            raise ValueError(f"{name} must have logp's shape {tuple(logp.shape)}; got {tuple(t.shape)}")
    if advantages.shape != logp.shape[:1]:
        raise ValueError(
            f"advantages must be (B,) = ({logp.shape[0]},), one per sequence; got {tuple(advantages.shape)}"
        )


def _masked_mean(x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
    """0 for an all-padding micro-batch instead of NaN, so metrics stay averageable."""
    return torch.where(keep, x, 0).sum() / keep.sum().clamp(min=1)


def _clipped_surrogate(
    log_ratio: torch.Tensor, advantages: torch.Tensor, mask: torch.Tensor, cfg: LossConfig
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """PPO's pessimistic clipped objective with clip-higher and optional dual clip (veRL's semantics)."""
    keep = mask > 0
    adv = advantages[:, None]
    ratio = torch.exp(log_ratio.clamp(-LOG_RATIO_LIMIT, LOG_RATIO_LIMIT))
    loss_unclipped = -adv * ratio
    loss_clipped = -adv * ratio.clamp(1 - cfg.clip_low, 1 + cfg.clip_high)
    loss = torch.maximum(loss_unclipped, loss_clipped)
    clipped = loss_clipped > loss_unclipped
    dual = torch.zeros_like(keep)
    if cfg.dual_clip is not None:
        bound = -adv * cfg.dual_clip
        dual = (loss > bound) & (adv < 0)
        loss = torch.where(adv < 0, torch.minimum(loss, bound), loss)
    loss = torch.where(keep, loss * mask, 0)
    with torch.no_grad():
        metrics = {
            "clip_frac": _masked_mean(clipped.float(), keep),
            "ratio_mean": _masked_mean(ratio, keep),
            "ratio_max": torch.where(keep, ratio, 0).max(),  # ratio > 0, so padding's 0 never wins
            "dual_clip_frac": _masked_mean(dual.float(), keep),
        }
    return loss, metrics


@policy_loss("ppo")
def ppo(
    logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, mask: torch.Tensor, cfg: LossConfig
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Token-level ratio. Padding is zeroed before exp so garbage there cannot leak NaN into the gradient."""
    _check_loss_inputs(logp, old_logp, advantages, mask)
    log_ratio = torch.where(mask > 0, logp - old_logp, 0)
    return _clipped_surrogate(log_ratio, advantages, mask, cfg)


@policy_loss("gspo")
def gspo(
    logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, mask: torch.Tensor, cfg: LossConfig
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """GSPO-token: the length-normalised sequence ratio sg(s_i) times exp(logp - sg(logp)) (value 1).

    Every token of a sequence then shares s_i's value and clip decision, and each token's gradient is
    s_i * A_i * grad log p_t, as GSPO prescribes. It wants tiny clip ranges (e.g. 3e-4 / 4e-4) in the config.
    """
    _check_loss_inputs(logp, old_logp, advantages, mask)
    keep = mask > 0
    log_ratio = torch.where(keep, logp - old_logp, 0)
    lengths = mask.sum(dim=1).clamp(min=1)
    seq_log_ratio = (log_ratio * mask).sum(dim=1) / lengths
    token_log_ratio = seq_log_ratio.detach()[:, None] + torch.where(keep, logp - logp.detach(), 0)
    return _clipped_surrogate(token_log_ratio, advantages, mask, cfg)


def compute_policy_loss(
    logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, mask: torch.Tensor, cfg: LossConfig
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """The loss `cfg.policy_loss` names."""
    return POLICY_LOSSES.get(cfg.policy_loss)(logp, old_logp, advantages, mask, cfg)


@dataclass(frozen=True)
class AggregationScope:
    """Totals over the whole mini-batch (all micro-batches, all ranks), fixed before the first micro-batch."""

    num_sequences: int
    num_tokens: int
    norm_length: int

    def __post_init__(self) -> None:
        for name in ("num_sequences", "num_tokens", "norm_length"):
            value = getattr(self, name)
            if not value >= 1:
                raise ValueError(f"AggregationScope.{name} must be >= 1 (a mini-batch-global count); got {value}")


def _check_lengths(lengths: torch.Tensor) -> None:
    if lengths.dim() != 1:
        raise ValueError(f"lengths must be (B,), one completion length per sequence; got {tuple(lengths.shape)}")
    if (lengths < 0).any():
        raise ValueError("lengths must be >= 0: pass the number of completion tokens of each sequence")


@aggregation("token_mean")
def token_mean(lengths: torch.Tensor, scope: AggregationScope) -> torch.Tensor:
    """DAPO: every token of the mini-batch counts equally, so long answers are not diluted."""
    _check_lengths(lengths)
    return torch.full(lengths.shape, 1.0 / scope.num_tokens, dtype=torch.float32, device=lengths.device)


@aggregation("seq_mean_token_mean")
def seq_mean_token_mean(lengths: torch.Tensor, scope: AggregationScope) -> torch.Tensor:
    """Original GRPO: mean over tokens, then over sequences. An empty completion has no tokens to weight."""
    _check_lengths(lengths)
    return 1.0 / (scope.num_sequences * lengths.float().clamp(min=1))


@aggregation("seq_mean_token_sum_norm")
def seq_mean_token_sum_norm(lengths: torch.Tensor, scope: AggregationScope) -> torch.Tensor:
    """Dr. GRPO: a constant normaliser removes the length bias of dividing by each sequence's own length."""
    _check_lengths(lengths)
    return torch.full(
        lengths.shape, 1.0 / (scope.num_sequences * scope.norm_length), dtype=torch.float32, device=lengths.device
    )


def aggregate(per_token_loss: torch.Tensor, mask: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """This micro-batch's share of the mini-batch loss; the shares of all micro-batches and ranks sum to it."""
    if mask.shape != per_token_loss.shape or weights.shape != per_token_loss.shape[:1]:
        raise ValueError(
            f"aggregate: per_token_loss {tuple(per_token_loss.shape)} needs mask of the same shape and weights of "
            f"shape ({per_token_loss.shape[0]},); got mask {tuple(mask.shape)}, weights {tuple(weights.shape)}"
        )
    return torch.where(mask > 0, per_token_loss * mask * weights[:, None], 0).sum()
