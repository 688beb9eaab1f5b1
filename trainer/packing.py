"""Token-budget micro-batching and the two layouts of (prompt, completion) sequences for the learner.

- "packed": sequences concatenated into one row, told apart by `position_ids` that restart at 0. With
  `attention_mask=None` and no cache, transformers 5 (`masking_utils.find_packed_sequence_indices`) builds a
  block-diagonal causal mask, so no token attends across a sequence boundary. No padding at all, but only
  varlen attention kernels (flash attention) skip the masked blocks; sdpa and eager still compute the whole
  (total x total) score matrix, so a packed row of 16 sequences costs 16x the attention of one.
- "padded": one row per sequence, right-padded to the longest of the micro-batch, which holds sequences of
  similar length (sorted), so padding stays small and attention stays per sequence.

`layout_for(model)` picks packed for flash attention and padded otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

LAYOUTS = ("packed", "padded")


def layout_for(model: torch.nn.Module) -> str:
    attention = str(getattr(getattr(model, "config", None), "_attn_implementation", "") or "")
    return "packed" if attention.startswith("flash") else "padded"


def plan_micro_batches(lengths: list[int], token_budget: int, layout: str = "packed") -> list[list[int]]:
    """Sequence indices per micro-batch, each within `token_budget` tokens as the layout counts them."""
    _check_plan(lengths, token_budget)
    if layout == "padded":
        return _plan_padded(lengths, token_budget)
    if layout != "packed":
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    return _plan_packed(lengths, token_budget)


def _check_plan(lengths: list[int], token_budget: int) -> None:
    if token_budget <= 0:
        raise ValueError(f"token_budget must be > 0, got {token_budget}; set it to the tokens one micro-batch may hold")
    for i, length in enumerate(lengths):
        if length <= 0:
            raise ValueError(f"lengths[{i}] is {length}; every sequence needs at least one token")


def _plan_padded(lengths: list[int], token_budget: int) -> list[list[int]]:
    """Longest first, cut into runs whose padded size (rows x longest) fits the budget."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    bins: list[list[int]] = []
    for i in order:
        if bins and (len(bins[-1]) + 1) * lengths[bins[-1][0]] <= token_budget:
            bins[-1].append(i)
        else:
            bins.append([i])
    return bins


def _plan_packed(lengths: list[int], token_budget: int) -> list[list[int]]:
    """First-fit-decreasing bins of sequence indices whose lengths sum to at most `token_budget`.

    A sequence longer than the budget still has to train, so it gets a bin of its own (over budget) rather than
    being dropped. Ties in length keep index order, so the plan is deterministic.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    bins: list[list[int]] = []
    loads: list[int] = []
    for i in order:
        for b, load in enumerate(loads):
            if load + lengths[i] <= token_budget:
                bins[b].append(i)
                loads[b] += lengths[i]
                break
        else:
            bins.append([i])
            loads.append(lengths[i])
    return bins


@dataclass
class Packed:
    """One micro-batch of B sequences and the N completion tokens the loss is taken over.

    The logits at flat position `target_index[k]` (into the rows x width grid, row-major) predict `targets[k]`,
    the next token, which is a completion token of sequence `seq_of_target[k]`; targets are in sequence order,
    then token order.
    """

    input_ids: Tensor  # (rows, width) long: (1, total) packed, (B, longest) padded
    position_ids: Tensor  # (rows, width) long, restarting at 0 for each sequence
    target_index: Tensor  # (N,) long
    targets: Tensor  # (N,) long
    seq_of_target: Tensor  # (N,) long, 0..B-1
    completion_lengths: Tensor  # (B,) long
    attention_mask: Tensor | None = None  # (B, longest) for the padded layout; None when packed

    @property
    def num_sequences(self) -> int:
        return int(self.completion_lengths.numel())

    @property
    def num_targets(self) -> int:
        return int(self.targets.numel())


def pack(prompts: list[list[int]], completions: list[list[int]], layout: str = "packed") -> Packed:
    """Lay the sequences out (see the module docstring); only completion tokens become targets."""
    if layout == "padded":
        return _pad(prompts, completions)
    if layout != "packed":
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    return _pack(prompts, completions)


def _pad(prompts: list[list[int]], completions: list[list[int]]) -> Packed:
    """One right-padded row per sequence; target positions index the (B x longest) grid row-major."""
    flat = _pack(prompts, completions)  # validates, and gives the targets in the same order
    width = max(len(p) + len(c) for p, c in zip(prompts, completions, strict=True))
    input_ids = torch.zeros((len(prompts), width), dtype=torch.long)
    attention_mask = torch.zeros((len(prompts), width), dtype=torch.long)
    target_index = []
    for i, (prompt, completion) in enumerate(zip(prompts, completions, strict=True)):
        length = len(prompt) + len(completion)
        input_ids[i, :length] = torch.tensor(prompt + completion)
        attention_mask[i, :length] = 1
        first = i * width + len(prompt) - 1
        target_index.extend(range(first, first + len(completion)))
    return Packed(
        input_ids=input_ids,
        position_ids=torch.arange(width).expand(len(prompts), width).clone(),
        target_index=torch.tensor(target_index, dtype=torch.long),
        targets=flat.targets,
        seq_of_target=flat.seq_of_target,
        completion_lengths=flat.completion_lengths,
        attention_mask=attention_mask,
    )


def _pack(prompts: list[list[int]], completions: list[list[int]]) -> Packed:
    if len(prompts) != len(completions):
        raise ValueError(
            f"pack: {len(prompts)} prompts but {len(completions)} completions; pass one of each per sequence"
        )
    if not prompts:
        raise ValueError("pack: no sequences; pass at least one (prompt, completion) pair")
    input_ids: list[int] = []
    position_ids: list[int] = []
    target_index: list[int] = []
    targets: list[int] = []
    seq_of_target: list[int] = []
    for i, (prompt, completion) in enumerate(zip(prompts, completions, strict=True)):
        if not prompt:
            raise ValueError(f"pack: prompt of sequence {i} is empty; the first completion token needs a prompt token")
        if not completion:
            raise ValueError(f"pack: completion of sequence {i} is empty; drop it from the batch before packing")
        start = len(input_ids)
        input_ids.extend(prompt)
        input_ids.extend(completion)
        position_ids.extend(range(len(prompt) + len(completion)))
        first = start + len(prompt) - 1
        target_index.extend(range(first, first + len(completion)))
        targets.extend(completion)
        seq_of_target.extend([i] * len(completion))
    return Packed(
        input_ids=torch.tensor([input_ids], dtype=torch.long),
        position_ids=torch.tensor([position_ids], dtype=torch.long),
        target_index=torch.tensor(target_index, dtype=torch.long),
        targets=torch.tensor(targets, dtype=torch.long),
        seq_of_target=torch.tensor(seq_of_target, dtype=torch.long),
        completion_lengths=torch.tensor([len(c) for c in completions], dtype=torch.long),
    )


def _check_values(values: Tensor, packed: Packed) -> None:
    if values.dim() != 1 or values.shape[0] != packed.num_targets:
        raise ValueError(
            f"values has shape {tuple(values.shape)}; expected ({packed.num_targets},), one value per target of packed"
        )


def unpack_per_sequence(values: Tensor, packed: Packed) -> list[Tensor]:
    """Per-target values split back into one tensor per sequence (its completion tokens, in order)."""
    _check_values(values, packed)
    return list(torch.split(values, packed.completion_lengths.tolist()))


def to_padded(values: Tensor, packed: Packed) -> tuple[Tensor, Tensor]:
    """(B, Tmax) values and bool mask, the layout the per-token loss functions take; row i holds sequence i."""
    _check_values(values, packed)
    lengths = packed.completion_lengths.to(values.device)
    seq = packed.seq_of_target.to(values.device)
    starts = torch.cumsum(lengths, 0) - lengths
    column = torch.arange(values.shape[0], device=values.device) - starts[seq]
    shape = (packed.num_sequences, int(lengths.max()))
    padded = values.new_zeros(shape).index_put((seq, column), values)
    mask = torch.zeros(shape, dtype=torch.bool, device=values.device).index_put(
        (seq, column), torch.ones_like(values, dtype=torch.bool)
    )
    return padded, mask
