"""Supervised warm-up: teach a fresh model the answer format on worked solutions before RL.

A randomly initialised model never writes a boxed answer, so every reward is zero and GRPO has no signal. A few
hundred steps of next-token training on (prompt -> worked solution) fix that. The prompt is tokenized exactly as
`TransformersEngine.encode_prompt` does, so the model learns to continue the very ids it will be sampled from.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerBase

from reasonrl.problems.types import Problem
from reasonrl.rollout.prompts import encode_prompt

IGNORE = -100  # label value the loss skips (prompt and padding)
WARMUP_FRACTION = 0.05
FINAL_LR_FRACTION = 0.1  # cosine decays to this fraction of lr, so late steps still learn


@dataclass
class SFTResult:
    losses: list[float]
    seconds: float
    out_dir: Path


def prompt_ids(
    tokenizer: PreTrainedTokenizerBase, prompt: str, system_prompt: str | None = None, use_chat_template: bool = True
) -> list[int]:
    return encode_prompt(tokenizer, prompt, system_prompt, use_chat_template)


def _require_solution(problem: Problem) -> None:
    if not problem.solution:
        raise ValueError(
            f"problem {problem.uid} of family {problem.family!r} has no worked solution; "
            "supervised warm-up needs families that write one (remove it from --families)"
        )


def encode_example(
    tokenizer: PreTrainedTokenizerBase,
    problem: Problem,
    system_prompt: str | None = None,
    use_chat_template: bool = True,
) -> tuple[list[int], list[int]]:
    """(input ids, labels): labels are IGNORE on the prompt, the solution's ids then eos, as the engine samples."""
    _require_solution(problem)
    head = prompt_ids(tokenizer, problem.prompt, system_prompt, use_chat_template)
    tail = list(tokenizer(problem.solution, add_special_tokens=False)["input_ids"]) + [int(tokenizer.eos_token_id)]
    return head + tail, [IGNORE] * len(head) + tail


def _check_inputs(problems: Sequence[Problem], steps: int, lr: float, batch_size: int, max_length: int) -> None:
    if not problems:
        raise ValueError("sft: problems is empty; give at least one problem with a worked solution")
    checks = [(steps >= 1, f"steps={steps} must be >= 1"), (lr > 0, f"lr={lr} must be > 0")]
    checks += [(batch_size >= 1, f"batch_size={batch_size} must be >= 1"), (max_length >= 8, "max_length must be >= 8")]
    for ok, message in checks:
        if not ok:
            raise ValueError(f"sft: {message}")
    for problem in problems:
        _require_solution(problem)


def _collate(examples: list[tuple[list[int], list[int]]], pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(ids) for ids, _ in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for i, (row, row_labels) in enumerate(examples):
        ids[i, : len(row)] = torch.tensor(row)
        labels[i, : len(row)] = torch.tensor(row_labels)
        mask[i, : len(row)] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def _schedule(step: int, steps: int) -> float:
    """Linear warm-up, then cosine down to FINAL_LR_FRACTION."""
    warmup = max(1, int(steps * WARMUP_FRACTION))
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return FINAL_LR_FRACTION + (1 - FINAL_LR_FRACTION) * 0.5 * (1 + math.cos(math.pi * progress))


def _batches(count: int, batch_size: int, steps: int, seed: int) -> list[list[int]]:
    """Epoch-wise shuffles, so every example is seen once before any is seen twice."""
    generator = torch.Generator().manual_seed(seed)
    order: list[int] = []
    while len(order) < steps * batch_size:
        order += torch.randperm(count, generator=generator).tolist()
    return [order[s * batch_size : (s + 1) * batch_size] for s in range(steps)]


def sft(
    model_dir: str,
    out_dir: Path,
    problems: Sequence[Problem],
    steps: int,
    lr: float = 1e-3,
    batch_size: int = 32,
    seed: int = 0,
    max_length: int = 256,
    system_prompt: str | None = None,
    use_chat_template: bool = True,
    log_every: int = 10,
    progress: bool = True,
) -> SFTResult:
    """Train on prompt -> worked solution (loss on completion tokens and eos only) and save model + tokenizer."""
    from tqdm.auto import tqdm

    _check_inputs(problems, steps, lr, batch_size, max_length)
    start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    examples = [encode_example(tokenizer, p, system_prompt, use_chat_template) for p in problems]
    too_long = [p.uid for p, (ids, _) in zip(problems, examples) if len(ids) > max_length]
    if too_long:
        raise ValueError(
            f"sft: {len(too_long)} of {len(problems)} examples are longer than max_length={max_length} tokens "
            f"(first: {too_long[0]}); raise max_length or use an easier difficulty"
        )
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: _schedule(s, steps))
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else int(tokenizer.eos_token_id)
    losses: list[float] = []
    bar = tqdm(total=steps, desc="sft", disable=not progress)
    for step, indices in enumerate(_batches(len(examples), batch_size, steps, seed)):
        loss = model(**_collate([examples[i] for i in indices], pad_id)).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        losses.append(float(loss.detach()))
        bar.update(1)
        if (step + 1) % log_every == 0 or step + 1 == steps:
            bar.set_postfix(loss=f"{sum(losses[-log_every:]) / len(losses[-log_every:]):.3f}")
    bar.close()
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return SFTResult(losses=losses, seconds=time.perf_counter() - start, out_dir=out_dir)
