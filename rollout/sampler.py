"""Next-token sampling: logits in, (token, sampler log-probability) out.

The reported log-probability is log_softmax(logits / temperature) of the chosen token, taken before the
top-k / top-p / min-p truncation, because that is what the learner recomputes from the same weights.
Randomness comes from caller-supplied uniforms (one per row, drawn from per-row seeded generators), so a
row's draws do not depend on which other rows share its batch.
"""

from __future__ import annotations

import torch

from reasonrl.rollout.types import SamplingParams


def row_generators(seeds: list[int]) -> list[torch.Generator]:
    """One CPU generator per row; rows never share a random stream."""
    gens = []
    for seed in seeds:
        g = torch.Generator()
        g.manual_seed(seed)
        gens.append(g)
    return gens


def draw_uniforms(generators: list[torch.Generator]) -> torch.Tensor:
    return torch.cat([torch.rand(1, generator=g, dtype=torch.float64) for g in generators])


def truncate(probs: torch.Tensor, sampling: SamplingParams) -> torch.Tensor:
    """Zero the probabilities top-k, then top-p, then min-p remove (the vLLM order); always keeps the argmax."""
    if sampling.top_k > 0 and sampling.top_k < probs.shape[-1]:
        kth = torch.topk(probs, sampling.top_k, dim=-1).values[..., -1:]
        probs = probs.masked_fill(probs < kth, 0.0)
    if sampling.top_p < 1.0:
        sorted_p, order = torch.sort(probs, dim=-1, descending=True)
        total = sorted_p.sum(-1, keepdim=True)
        before = (sorted_p.cumsum(-1) - sorted_p) / total  # mass strictly above each token
        drop_sorted = before >= sampling.top_p
        drop_sorted[..., 0] = False
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        probs = probs.masked_fill(drop, 0.0)
    if sampling.min_p > 0.0:
        top = probs.max(dim=-1, keepdim=True).values
        probs = probs.masked_fill(probs < sampling.min_p * top, 0.0)
    return probs


def sample_next(
    logits: torch.Tensor, sampling: SamplingParams, uniforms: torch.Tensor | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """logits (rows, vocab) -> (token ids (rows,), log-probabilities (rows,)). temperature 0 is greedy."""
    logits = logits.float()
    if sampling.temperature == 0.0:
        logp = torch.log_softmax(logits, dim=-1)
        tokens = logits.argmax(dim=-1)
        return tokens, logp.gather(-1, tokens[:, None]).squeeze(-1)
    if uniforms is None:
        raise ValueError("sampling: temperature > 0 needs one uniform per row")
    logp = torch.log_softmax(logits / sampling.temperature, dim=-1)
    probs = truncate(logp.exp(), sampling)
    cdf = probs.double().cumsum(-1)
    target = (uniforms.to(cdf.device) * cdf[:, -1]).unsqueeze(-1)
    tokens = torch.searchsorted(cdf, target, right=True).squeeze(-1).clamp_(max=logits.shape[-1] - 1)
    return tokens, logp.gather(-1, tokens[:, None]).squeeze(-1)
