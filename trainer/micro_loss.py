"""The loss of one micro-batch: policy term x truncated IS weight, plus KL and entropy terms, aggregated
with weights that make the sum over micro-batches and ranks equal the mini-batch loss."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from reasonrl.trainer.kl import kl_penalty
from reasonrl.trainer.losses import AGGREGATIONS, POLICY_LOSSES, AggregationScope, aggregate
from reasonrl.trainer.offpolicy import tis_weights
from reasonrl.trainer.packing import pack, to_padded
from reasonrl.trainer.policy_module import Scorer
from reasonrl.trainer.types import LossConfig


@dataclass
class MicroBatch:
    """Sequences of one forward/backward pass with their per-token reference values (lists per sequence).

    `old_logprobs` None means on-policy: this pass's own log-probabilities, detached, are the old ones.
    """

    prompt_ids: list[list[int]]
    completion_ids: list[list[int]]
    rollout_logprobs: list[list[float]]
    advantages: list[float]
    old_logprobs: list[list[float]] | None = None
    ref_logprobs: list[list[float]] | None = None


def _padded(rows: list[list[float]], like: torch.Tensor) -> torch.Tensor:
    out = torch.zeros_like(like, dtype=torch.float32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = torch.tensor(row, dtype=torch.float32)
    return out


def micro_batch_loss(
    score: Scorer, micro: MicroBatch, cfg: LossConfig, scope: AggregationScope, layout: str
) -> tuple[torch.Tensor, dict[str, float]]:
    """Returns the weighted loss to back-propagate and token-weighted metric sums (divide by `tokens`)."""
    packed = pack(micro.prompt_ids, micro.completion_ids, layout)
    logp_flat, entropy_flat = score(packed, True)
    device = logp_flat.device
    logp, mask = to_padded(logp_flat, packed)
    entropy, _ = to_padded(entropy_flat, packed)
    mask = mask.float()
    rollout = _padded(micro.rollout_logprobs, logp).to(device)
    old = logp.detach() if micro.old_logprobs is None else _padded(micro.old_logprobs, logp).to(device)
    advantages = torch.tensor(micro.advantages, dtype=torch.float32, device=device)

    per_token, stats = POLICY_LOSSES.get(cfg.policy_loss)(logp, old, advantages, mask, cfg)
    per_token = per_token * tis_weights(old, rollout, mask, cfg.tis_cap)
    kl = torch.zeros_like(per_token)
    if micro.ref_logprobs is not None:
        kl = kl_penalty(logp, _padded(micro.ref_logprobs, logp).to(device), cfg.kl_estimator) * mask
        if cfg.kl_coef > 0 and not cfg.kl_as_reward:
            per_token = per_token + cfg.kl_coef * kl
    if cfg.entropy_coef:
        per_token = per_token - cfg.entropy_coef * entropy
    weights = AGGREGATIONS.get(cfg.aggregation)(mask.sum(-1), scope)
    loss = aggregate(per_token, mask, weights)

    tokens = float(mask.sum())
    gap = ((old - rollout).abs() * mask).detach()
    metrics = {
        "tokens": tokens,
        "entropy": float((entropy.detach() * mask).sum()),
        "kl": float(kl.detach().sum()),
        "logprob_gap_abs": float(gap.sum()),
        **{name: float(value) * tokens for name, value in stats.items() if name.endswith(("_frac", "_mean"))},
    }
    return loss, metrics
