"""Rollout tokens/s: reasonrl's TransformersEngine against plain `model.generate` on the same prompts, same run.

    python bench/rollout.py [--quick | --full] [--repeats R]

Both sides sample (temperature 1.0, top-p 0.95, top-k off) n completions for each of B prompts: the engine with
`generate(prompts, n, ...)`, transformers with `generate(do_sample=True, num_return_sequences=n)` on the same
left-padded, chat-templated prompt ids. The rate is completion tokens per second, counting each completion up to
and including its stop token (what the learner trains on), never the padding after it.

Two regimes per setting:
- `full`: every completion runs to max_new_tokens (transformers: `min_new_tokens`; engine: eos not a stop), so
  both sides do the same work and the ratio is the per-token cost alone.
- `spread`: completions end at a sampled stop token, with lengths spread like an RL policy's (mean about a
  quarter of max_new_tokens, a few truncated). A random-init model puts near-uniform mass on its vocabulary,
  so treating vocab * 4 / max_new_tokens token ids as stop ids on both sides gives that spread. Here
  `generate` keeps finished rows in its batch until the longest row ends; the engine drops them.
The engine's token budget is raised to hold the whole request, as `generate` holds it. Each timed repeat runs
both sides, alternating which goes first; rates are medians over repeats.

--quick (default without a GPU): B 8 x n 4, lengths 64 and 256, models tiny and ~20M.
--full (default with a GPU): B 64 x n 8, lengths 256 and 2048, models tiny and ~100M (random init, from a config).
The last line is `speedup_vs_hf_generate: X`, the geometric mean of the per-setting speedups over both regimes
(the minimum and the per-regime means are printed before it).
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM

from reasonrl.launch.tiny_model import init_model
from reasonrl.rollout.engine_hf import TransformersEngine
from reasonrl.rollout.types import SamplingParams

TEMPERATURE, TOP_P = 1.0, 0.95
PROMPTS = [
    "Compute 17 * 23 - 4.",
    "Solve for x: 3x + 7 = 22.",
    "Find all real roots of x^2 - 5x + 6 = 0 and give them as a set.",
    "What is the greatest common divisor of 84 and 126? Show your reasoning step by step.",
    "A bag holds 3 red and 5 blue marbles. Two are drawn without replacement. What is the probability both are red?",
    "Simplify \\frac{x^2 - 1}{x - 1} for x \\neq 1.",
    "Evaluate the sum 1 + 2 + ... + 100.",
    "The sides of a right triangle are 6 and 8. Find the hypotenuse, then the area, then the perimeter.",
]


@dataclass(frozen=True)
class Setting:
    model: str
    batch: int
    n: int
    max_new: int
    regime: str  # "full" or "spread"

    def stop_ids(self, vocab: int, first: int) -> tuple[int, ...]:
        if self.regime == "full":
            return ()
        count = max(1, vocab * 4 // self.max_new)
        return tuple(range(first, first + count))


def random_llama(out: Path, tokenizer_dir: Path, hidden: int, layers: int, heads: int, inter: int) -> int:
    """A random-init Llama from a config, saved with the tiny model's tokenizer; returns its parameter count."""
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    ids = {"bos_token_id": tokenizer.bos_token_id, "eos_token_id": tokenizer.eos_token_id}
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=max(1, heads // 3),
        intermediate_size=inter,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        **ids,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return sum(p.numel() for p in model.parameters())


class HFGenerate:
    """Plain `model.generate` on the engine's prompt ids (same chat template)."""

    def __init__(self, path: Path, engine: TransformersEngine, device: torch.device, dtype: torch.dtype) -> None:
        self.model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype).to(device).eval()
        self.engine, self.device = engine, device

    @torch.inference_mode()
    def run(self, prompts: list[str], n: int, max_new: int, stop_ids: tuple[int, ...]) -> int:
        encoded = [self.engine.encode_prompt(p) for p in prompts]
        width = max(map(len, encoded))
        pad = self.engine.pad_id
        ids = torch.tensor([[pad] * (width - len(e)) + e for e in encoded], device=self.device)
        mask = torch.tensor([[0] * (width - len(e)) + [1] * len(e) for e in encoded], device=self.device)
        out = self.model.generate(
            input_ids=ids,
            attention_mask=mask,
            do_sample=True,
            temperature=TEMPERATURE,
            top_p=TOP_P,
            top_k=0,
            max_new_tokens=max_new,
            min_new_tokens=0 if stop_ids else max_new,
            num_return_sequences=n,
            pad_token_id=pad,
            eos_token_id=[*stop_ids, *self.engine.eos_ids] if stop_ids else None,
        )
        completions = out[:, width:]
        if not stop_ids:
            return int(completions.numel())
        stops = torch.isin(completions, torch.tensor([*stop_ids, *self.engine.eos_ids], device=out.device))
        first_stop = torch.where(stops.any(1), stops.int().argmax(1) + 1, completions.shape[1])
        return int(first_stop.sum())


def engine_tokens(
    engine: TransformersEngine, prompts: list[str], n: int, max_new: int, stop_ids: tuple[int, ...]
) -> int:
    sampling = SamplingParams(temperature=TEMPERATURE, top_p=TOP_P, max_new_tokens=max_new, stop_token_ids=stop_ids)
    eos = engine.eos_ids
    engine.eos_ids = eos if stop_ids else set()  # full regime: eos is not a stop, like min_new_tokens
    try:
        samples = engine.generate(prompts, n, sampling)
    finally:
        engine.eos_ids = eos
    return sum(len(s.completion_ids) for s in samples)


def timed(fn) -> tuple[float, int]:  # noqa: ANN001
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    tokens = fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start, tokens


def bench_model(name: str, path: Path, settings: list[Setting], repeats: int, device: str) -> dict[Setting, float]:
    dtype = "bfloat16" if device == "cuda" else "float32"
    need = max(s.batch * s.n * (256 + s.max_new) for s in settings)
    engine = TransformersEngine(str(path), dtype=dtype, device=device, token_budget=max(need, 1 << 18))
    hf = HFGenerate(path, engine, torch.device(device), getattr(torch, dtype))
    vocab, first_plain = len(engine.tokenizer), len(engine.tokenizer.all_special_ids)
    speedups: dict[Setting, float] = {}
    for s in settings:
        prompts = [PROMPTS[i % len(PROMPTS)] for i in range(s.batch)]
        stop_ids = s.stop_ids(vocab, first_plain)
        sides = {
            "engine": partial(engine_tokens, engine, prompts, s.n, s.max_new, stop_ids),
            "hf_generate": partial(hf.run, prompts, s.n, s.max_new, stop_ids),
        }
        engine_tokens(engine, prompts, s.n, 8, ())  # warm-up, short
        hf.run(prompts, s.n, 8, ())
        rates: dict[str, list[float]] = {k: [] for k in sides}
        tokens: dict[str, int] = {}
        for r in range(repeats):
            for key in list(sides)[:: 1 if r % 2 == 0 else -1]:
                seconds, tokens[key] = timed(sides[key])
                rates[key].append(tokens[key] / seconds)
        med = {k: statistics.median(v) for k, v in rates.items()}
        speedups[s] = med["engine"] / med["hf_generate"]
        print(
            f"{name:>6} B{s.batch:>3} x n{s.n} len {s.max_new:>5} {s.regime:>6}: engine {med['engine']:9.1f} tok/s, "
            f"hf_generate {med['hf_generate']:9.1f} tok/s (tokens {tokens['engine']} vs {tokens['hf_generate']}), "
            f"speedup {speedups[s]:.2f}",
            flush=True,
        )
    return speedups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="CPU-sized settings (default without a GPU)")
    mode.add_argument("--full", action="store_true", help="the issue's settings (default with a GPU)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    full = args.full or (device == "cuda" and not args.quick)
    batch, n, lengths = (64, 8, (256, 2048)) if full else (8, 4, (64, 256))
    big = ("100M", 768, 12, 12, 2816) if full else ("20M", 512, 6, 8, 1408)
    print(
        f"rollout bench: {'full' if full else 'quick'}, device {device}, torch threads {torch.get_num_threads()}",
        flush=True,
    )
    speedups: dict[Setting, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny"
        init_model(tiny, size="tiny", seed=0)
        big_dir = Path(tmp) / big[0]
        count = random_llama(big_dir, tiny, *big[1:])
        print(f"models: tiny, {big[0]} ({count / 1e6:.1f}M params, random init)", flush=True)
        for name, path in (("tiny", tiny), (big[0], big_dir)):
            settings = [Setting(name, batch, n, length, regime) for length in lengths for regime in ("full", "spread")]
            speedups.update(bench_model(name, path, settings, args.repeats, device))
    for regime in ("full", "spread"):
        print(f"speedup_{regime}: {geomean([v for s, v in speedups.items() if s.regime == regime]):.2f}")
    print(f"min_speedup_vs_hf_generate: {min(speedups.values()):.2f}")
    print(f"speedup_vs_hf_generate: {geomean(list(speedups.values())):.2f}  (geometric mean)")


def geomean(values: list[float]) -> float:
    return math.exp(statistics.fmean(map(math.log, values)))


if __name__ == "__main__":
    main()
