"""Per-token log-probabilities (and entropy) of completion tokens without full-vocabulary logits of a sequence.

The lm head runs only on the hidden states of completion-predicting positions, `chunk_size` rows at a time, and
each chunk is activation-checkpointed: the backward pass recomputes one chunk's logits at a time, so peak memory
grows with `chunk_size * vocab`, not with `sequence_length * vocab`. Softmax math is float32 whatever the model's
dtype, because bf16 log-probabilities are too coarse for importance ratios.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.utils.checkpoint import checkpoint

from .packing import Packed


def _check_args(temperature: float, chunk_size: int | None = None) -> None:
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}; use the sampler's temperature")
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError(f"chunk_size must be > 0, got {chunk_size}; 1024 is a good default")


def _mask(packed: Packed, device: torch.device) -> Tensor | None:
    """None for a packed row: transformers reads the sequence boundaries from position_ids only then."""
    return None if packed.attention_mask is None else packed.attention_mask.to(device)


def _lm_head(model: nn.Module) -> nn.Module:
    head = model.get_output_embeddings()
    if head is None:
        raise ValueError(f"model {type(model).__name__} has no output embeddings; pass a *ForCausalLM model")
    return head


def last_hidden_states(model: nn.Module, packed: Packed) -> Tensor:
    """(1, total, H) final (normed) hidden states, from the decoder alone so no logits are made."""
    device = model.get_input_embeddings().weight.device
    inputs = {
        "input_ids": packed.input_ids.to(device),
        "position_ids": packed.position_ids.to(device),
        "attention_mask": _mask(packed, device),
        "use_cache": False,
    }
    decoder = model.get_decoder()
    if decoder is not model:
        return decoder(**inputs).last_hidden_state
    return hidden_states_via_full_model(model, packed)


def hidden_states_via_full_model(model: nn.Module, packed: Packed) -> Tensor:
    """Fallback for models without a separable decoder; `logits_to_keep=1` keeps the head to a single row."""
    device = model.get_input_embeddings().weight.device
    out = model(
        input_ids=packed.input_ids.to(device),
        position_ids=packed.position_ids.to(device),
        attention_mask=_mask(packed, device),
        use_cache=False,
        output_hidden_states=True,
        logits_to_keep=1,
    )
    return out.hidden_states[-1]


def _logprobs_from_logits(
    logits: Tensor, targets: Tensor, temperature: float, with_entropy: bool
) -> tuple[Tensor, ...]:
    logits = logits.float()
    if temperature != 1.0:  # skipping the no-op division saves one (rows x vocab) copy
        logits = logits / temperature
    logp = torch.log_softmax(logits, dim=-1)
    token = logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    if not with_entropy:
        return (token,)
    return token, -(logp.exp() * logp).sum(-1)


def token_logprobs(
    model: nn.Module,
    packed: Packed,
    temperature: float = 1.0,
    chunk_size: int = 1024,
    with_entropy: bool = False,
    num_chunks: int | None = None,
) -> tuple[Tensor, Tensor | None]:
    """(N,) log-probabilities of `packed.targets` under logits / temperature, and their (N,) entropies if asked.

    `num_chunks` fixes how many times the head runs (chunks of at most `chunk_size` rows need
    num_chunks >= ceil(N / chunk_size)): under ZeRO-3 every head call gathers its weight, a collective, so
    ranks holding different numbers of tokens must still call it equally often.
    """
    _check_args(temperature, chunk_size)
    head = _lm_head(model)
    hidden = last_hidden_states(model, packed)
    device = hidden.device
    selected = hidden.reshape(-1, hidden.shape[-1])[packed.target_index.to(device)]
    targets = packed.targets.to(device)
    count = selected.shape[0]
    if num_chunks is not None:
        if num_chunks < -(-count // chunk_size):
            raise ValueError(f"num_chunks {num_chunks} cannot hold {count} rows in chunks of {chunk_size}")
        if count < num_chunks:  # one row per chunk at least: pad with rows whose results are dropped
            selected = torch.cat([selected, selected.new_zeros(num_chunks - count, selected.shape[1])])
            targets = torch.cat([targets, targets.new_zeros(num_chunks - count)])
        chunk_size = -(-selected.shape[0] // num_chunks)

    def chunk_fn(h: Tensor, t: Tensor) -> tuple[Tensor, ...]:
        return _logprobs_from_logits(head(h), t, temperature, with_entropy)

    needs_grad = selected.requires_grad or any(p.requires_grad for p in head.parameters())
    recompute = torch.is_grad_enabled() and needs_grad
    parts: list[tuple[Tensor, ...]] = []
    for start in range(0, selected.shape[0], chunk_size):
        h, t = selected[start : start + chunk_size], targets[start : start + chunk_size]
        parts.append(checkpoint(chunk_fn, h, t, use_reentrant=False) if recompute else chunk_fn(h, t))
    logp = torch.cat([p[0] for p in parts])[:count]
    entropy = torch.cat([p[1] for p in parts])[:count] if with_entropy else None
    return logp, entropy


def naive_token_logprobs(
    model: nn.Module, packed: Packed, temperature: float = 1.0, with_entropy: bool = False
) -> tuple[Tensor, Tensor | None]:
    """Reference: full logits of the whole packed row, then log_softmax and gather (memory ~ total * vocab)."""
    _check_args(temperature)
    device = model.get_input_embeddings().weight.device
    logits = model(
        input_ids=packed.input_ids.to(device),
        position_ids=packed.position_ids.to(device),
        attention_mask=_mask(packed, device),
        use_cache=False,
    ).logits.flatten(0, 1)
    logp_all = torch.log_softmax(logits.float() / temperature, dim=-1)
    rows = logp_all[packed.target_index.to(device)]
    logp = rows.gather(-1, packed.targets.to(device).unsqueeze(-1)).squeeze(-1)
    entropy = -(rows.exp() * rows).sum(-1) if with_entropy else None
    return logp, entropy


def padded_logprobs(
    model: nn.Module, prompts: list[list[int]], completions: list[list[int]], temperature: float = 1.0
) -> list[Tensor]:
    """Reference without packing: each sequence runs alone (batch 1), so no cross-sequence mask is involved."""
    _check_args(temperature)
    if len(prompts) != len(completions):
        raise ValueError(f"{len(prompts)} prompts but {len(completions)} completions; pass one of each per sequence")
    device = model.get_input_embeddings().weight.device
    result: list[Tensor] = []
    for i, (prompt, completion) in enumerate(zip(prompts, completions, strict=True)):
        if not prompt or not completion:
            raise ValueError(f"sequence {i} has an empty prompt or completion; both need at least one token")
        ids = torch.tensor([prompt + completion], dtype=torch.long, device=device)
        logits = model(input_ids=ids, use_cache=False).logits[0, len(prompt) - 1 : -1]
        targets = torch.tensor(completion, dtype=torch.long, device=device)
        result.append(_logprobs_from_logits(logits, targets, temperature, with_entropy=False)[0])
    return result
