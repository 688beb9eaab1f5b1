"""Transformers engine: batched sampling with a KV cache on any causal LM, implementing `Engine`.

Each micro-batch prefills its distinct prompts once (left padded), copies each prompt's cache to its n rows,
then decodes step by step; finished rows leave the batch at once, so long stragglers do not carry dead rows.
Micro-batches keep (longest prompt + max_new_tokens) * rows under `token_budget`, bounding cache memory.
Completion ids include the stop token (eos or a stop id) because the learner scores it; the text drops
special tokens and is cut before a stop string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, DynamicCache

from reasonrl.rollout.logprobs import position_ids_from_mask
from reasonrl.rollout.prompts import encode_prompt
from reasonrl.rollout.sampler import draw_uniforms, row_generators, sample_next
from reasonrl.rollout.stops import StopChecker
from reasonrl.rollout.types import Sample, SamplingParams


@dataclass
class _Row:
    prompt_index: int
    sample_index: int
    seed: int


def _row_seed(base: int, prompt_index: int, sample_index: int) -> int:
    """Distinct reproducible stream per (call seed, prompt, sample), independent of batching."""
    return (base * 0x9E3779B97F4A7C15 + prompt_index * 0xBF58476D1CE4E5B9 + sample_index * 0x94D049BB) % (2**63)


class TransformersEngine:
    weight_version: int

    def __init__(
        self,
        model_name_or_path: str,
        *,
        dtype: str = "float32",
        device: str = "cpu",
        token_budget: int = 1 << 18,
        system_prompt: str | None = None,
        use_chat_template: bool = True,
        seed: int = 0,
    ) -> None:
        self.device = torch.device(device)
        self.tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
        self.model = AutoModelForCausalLM.from_pretrained(model_name_or_path, dtype=getattr(torch, dtype))
        self.model.to(self.device).eval()
        self.token_budget = token_budget
        self.system_prompt = system_prompt
        self.use_chat_template = use_chat_template and bool(getattr(self.tokenizer, "chat_template", None))
        self.weight_version = 0
        self.last_micro_batches = 0  # how many micro-batches the latest generate call ran
        self._seeds = torch.Generator().manual_seed(seed)
        self.pad_id = self._pad_id()
        self.eos_ids = self._eos_ids()

    def _pad_id(self) -> int:
        for candidate in (self.tokenizer.pad_token_id, self.tokenizer.eos_token_id):
            if candidate is not None:
                return int(candidate)
        return 0

    def _eos_ids(self) -> set[int]:
        ids: set[int] = set()
        if self.tokenizer.eos_token_id is not None:
            ids.add(int(self.tokenizer.eos_token_id))
        gen_eos = getattr(getattr(self.model, "generation_config", None), "eos_token_id", None)
        if gen_eos is not None:
            ids.update(int(t) for t in ([gen_eos] if isinstance(gen_eos, int) else gen_eos))
        return ids

    # -- prompts ---------------------------------------------------------------------------------------------
    def encode_prompt(self, prompt: str) -> list[int]:
        return encode_prompt(self.tokenizer, prompt, self.system_prompt, self.use_chat_template)

    # -- generation ------------------------------------------------------------------------------------------
    def generate(self, prompts: Sequence[str], n: int, sampling: SamplingParams) -> list[Sample]:
        """n samples per prompt, grouped by prompt in order."""
        if n < 1:
            raise ValueError("generate: n must be >= 1")
        encoded = [self.encode_prompt(p) for p in prompts]
        base = sampling.seed if sampling.seed is not None else int(torch.randint(0, 2**62, (1,), generator=self._seeds))
        rows = [_Row(p, j, _row_seed(base, p, j)) for p in range(len(encoded)) for j in range(n)]
        stops = StopChecker(self.tokenizer, self.eos_ids | set(sampling.stop_token_ids), sampling.stop_strings)
        results: dict[tuple[int, int], Sample] = {}
        batches = self._micro_batches(rows, encoded, sampling.max_new_tokens)
        self.last_micro_batches = len(batches)
        for batch in batches:
            for sample in self._generate_batch(batch, encoded, sampling, stops):
                results[(sample.prompt_index, sample.meta["sample_index"])] = sample
        return [results[(r.prompt_index, r.sample_index)] for r in rows]

    def _micro_batches(self, rows: list[_Row], encoded: list[list[int]], max_new: int) -> list[list[_Row]]:
        """Pack rows (shortest prompts first, to limit padding) while (longest + max_new) * rows <= budget."""
        order = sorted(rows, key=lambda r: (len(encoded[r.prompt_index]), r.prompt_index, r.sample_index))
        batches: list[list[_Row]] = []
        current: list[_Row] = []
        longest = 0
        for row in order:
            length = max(longest, len(encoded[row.prompt_index]))
            if current and (length + max_new) * (len(current) + 1) > self.token_budget:
                batches.append(current)
                current, length = [], len(encoded[row.prompt_index])
            current.append(row)
            longest = length
        if current:
            batches.append(current)
        return batches

    @torch.inference_mode()
    def _generate_batch(
        self, rows: list[_Row], encoded: list[list[int]], sampling: SamplingParams, stops: StopChecker
    ) -> list[Sample]:
        prompt_order = list(dict.fromkeys(r.prompt_index for r in rows))
        slot = {p: i for i, p in enumerate(prompt_order)}
        width = max(len(encoded[p]) for p in prompt_order)
        ids = torch.full((len(prompt_order), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(prompt_order), width), dtype=torch.long)
        for i, p in enumerate(prompt_order):
            ids[i, width - len(encoded[p]) :] = torch.tensor(encoded[p])
            mask[i, width - len(encoded[p]) :] = 1
        ids, mask = ids.to(self.device), mask.to(self.device)
        cache = DynamicCache(config=self.model.config)
        out = self.model(
            input_ids=ids,
            attention_mask=mask,
            position_ids=position_ids_from_mask(mask),
            past_key_values=cache,
            use_cache=True,
            logits_to_keep=1,
        )
        # Each prompt's prefill is shared by its rows: expand cache, mask and logits along the batch.
        expand = torch.tensor([slot[r.prompt_index] for r in rows], device=self.device)
        cache = out.past_key_values
        cache.batch_select_indices(expand)
        mask = mask[expand]
        logits = out.logits[expand, -1]
        positions = mask.sum(-1)

        generators = row_generators([r.seed for r in rows])
        alive = list(range(len(rows)))  # batch slot -> row index
        completions: list[list[int]] = [[] for _ in rows]
        logprobs: list[list[float]] = [[] for _ in rows]
        finish: list[str] = ["length"] * len(rows)
        for step in range(sampling.max_new_tokens):
            uniforms = None if sampling.temperature == 0 else draw_uniforms([generators[i] for i in alive])
            tokens, token_logps = sample_next(logits, sampling, uniforms)
            keep: list[int] = []
            for slot_i, (row, tok, lp) in enumerate(zip(alive, tokens.tolist(), token_logps.tolist())):
                completions[row].append(tok)
                logprobs[row].append(lp)
                if stops.is_stop_token(tok) or stops.hits_stop_string(completions[row]):
                    finish[row] = "stop"
                else:
                    keep.append(slot_i)
            if not keep or step == sampling.max_new_tokens - 1:
                break
            if len(keep) < len(alive):
                index = torch.tensor(keep, device=self.device)
                cache.batch_select_indices(index)
                mask, positions, tokens = mask[index], positions[index], tokens[index]
                alive = [alive[i] for i in keep]
            mask = torch.cat([mask, mask.new_ones((len(alive), 1))], dim=1)
            out = self.model(
                input_ids=tokens[:, None],
                attention_mask=mask,
                position_ids=positions[:, None],
                past_key_values=cache,
                use_cache=True,
            )
            cache, logits, positions = out.past_key_values, out.logits[:, -1], positions + 1
        return [
            Sample(
                prompt_ids=list(encoded[r.prompt_index]),
                completion_ids=completions[i],
                logprobs=logprobs[i],
                text=stops.final_text(completions[i]),
                finish_reason=finish[i],
                weight_version=self.weight_version,
                prompt_index=r.prompt_index,
                meta={"sample_index": r.sample_index},
            )
            for i, r in enumerate(rows)
        ]

    # -- weights ---------------------------------------------------------------------------------------------
    @torch.no_grad()
    def update_weights(self, version: int, named_tensors: Mapping[str, Any]) -> None:
        """Copy new weights in place. Unknown names, or missing ones that are not tied aliases, raise."""
        state = self.model.state_dict()
        unknown = sorted(set(named_tensors) - set(state))
        if unknown:
            raise KeyError(f"update_weights v{version}: unknown parameter names {unknown[:5]}")
        given_ptrs = {state[name].data_ptr() for name in named_tensors}
        missing = sorted(k for k in set(state) - set(named_tensors) if state[k].data_ptr() not in given_ptrs)
        if missing:
            raise KeyError(f"update_weights v{version}: missing parameter names {missing[:5]}")
        for name, value in named_tensors.items():
            tensor = torch.as_tensor(value)
            if tensor.shape != state[name].shape:
                raise ValueError(
                    f"update_weights v{version}: {name} has shape {tuple(tensor.shape)}, "
                    f"expected {tuple(state[name].shape)}"
                )
            state[name].copy_(tensor)
        self.weight_version = version
