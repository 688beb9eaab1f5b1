"""Learner-side recomputation of per-token log-probabilities, the same quantity the sampler reports."""

from __future__ import annotations

import torch


def position_ids_from_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """Positions count real tokens only, so left padding does not shift them."""
    return (attention_mask.long().cumsum(-1) - 1).clamp_(min=0)


def sequence_logprobs(
    model: torch.nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor, temperature: float = 1.0
) -> torch.Tensor:
    """(batch, T) ids -> (batch, T-1): log p(input_ids[:, t+1] | input_ids[:, :t+1]) under
    log_softmax(logits / temperature) in float32 (temperature 0 means 1, the greedy sampler's convention).
    Entries whose target is padding are meaningless; mask them with attention_mask[:, 1:]."""
    out = model(
        input_ids=input_ids,
        attention_mask=attention_mask,
        position_ids=position_ids_from_mask(attention_mask),
        use_cache=False,
    )
    logits = out.logits[:, :-1].float()
    if temperature > 0:
        logits = logits / temperature
    logp = torch.log_softmax(logits, dim=-1)
    return logp.gather(-1, input_ids[:, 1:, None]).squeeze(-1)
