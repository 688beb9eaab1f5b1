"""Learner throughput and model FLOPs utilisation, against this CPU's measured matmul FLOP/s.

    python bench/learner.py [--steps 3] [--quick]

For the tiny model and a ~100M-parameter Llama (random init, from a config), the DeepSpeed learner
(LearnerGroup on Ray, gloo) trains on a fixed batch of 16 sequences (64 prompt + 192 completion tokens) with
1 rank (all cores) and 2 ranks (one core each). Beside it, plain PyTorch does the same work in this process:
forward with full logits, the same token-mean policy-gradient loss, backward, AdamW. FLOPs per step are
`6 x parameters x tokens`; the machine's FLOP/s is the median of fp32 matmuls (2048^2 x 2048) measured in
this run with the same thread count. Rates are medians over the timed steps (the first step is warm-up).

It then prints the peak memory of the chunked log-probability path against full logits at 8192 tokens
(bench/logprob_memory.py, each in a fresh process). The last line is `mfu_vs_measured_matmul: X` for the
~100M model on 1 rank (target at least 0.3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM

from reasonrl.launch.tiny_model import init_model
from reasonrl.trainer.learner_group import LearnerGroup
from reasonrl.trainer.types import Batch, LearnerConfig, LossConfig

SEQUENCES, PROMPT, COMPLETION = 16, 64, 192
BENCH_DIR = Path(__file__).parent


def measured_matmul_flops(threads: int, size: int = 2048, repeats: int = 7) -> float:
    torch.set_num_threads(threads)
    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    return 2 * size**3 / statistics.median(times)


def random_llama_100m(out: Path, tokenizer_dir: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        num_key_value_heads=4,
        intermediate_size=3072,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(out)
    tokenizer.save_pretrained(out)


def make_batch(vocab: int) -> Batch:
    gen = torch.Generator().manual_seed(0)
    prompts = torch.randint(3, vocab, (SEQUENCES, PROMPT), generator=gen).tolist()
    completions = torch.randint(3, vocab, (SEQUENCES, COMPLETION), generator=gen).tolist()
    advantages = (torch.rand(SEQUENCES, generator=gen) - 0.5).tolist()
    return Batch(prompts, completions, [[-7.0] * COMPLETION for _ in completions], advantages)


def plain_torch_seconds(path: Path, batch: Batch, steps: int) -> list[float]:
    """The same loss in plain PyTorch: one padded batch (all sequences have equal length), full logits."""
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    model.config.use_cache = False
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-6)
    ids = torch.tensor([p + c for p, c in zip(batch.prompt_ids, batch.completion_ids, strict=True)])
    advantages = torch.tensor(batch.advantages)[:, None]
    times = []
    for _ in range(steps + 1):
        start = time.perf_counter()
        logits = model(input_ids=ids, use_cache=False).logits[:, PROMPT - 1 : -1].float()
        logp = torch.log_softmax(logits, -1).gather(-1, ids[:, PROMPT:, None]).squeeze(-1)
        loss = -(torch.exp(logp - logp.detach()) * advantages).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - start)
    return times[1:]


def learner_seconds(path: Path, batch: Batch, world: int, steps: int, cores: int) -> list[float]:
    cfg = LearnerConfig(model=str(path), lr=1e-6, micro_token_budget=4096, logprob_chunk=1024)
    group = LearnerGroup(cfg, LossConfig(), world=world, num_cpus=cores // world, torch_threads=cores // world)
    try:
        return [group.train(batch)["train/seconds"] for _ in range(steps + 1)][1:]
    finally:
        group.shutdown()


def memory_line() -> str:
    peaks = {}
    for mode in ("chunked", "naive"):
        cmd = [sys.executable, str(BENCH_DIR / "logprob_memory.py"), "--mode", mode, "--tokens", "8192"]
        peaks[mode] = float(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()[-1])
    ratio = peaks["chunked"] / peaks["naive"]
    return f"log-prob peak memory at 8192 tokens: chunked {peaks['chunked']:.0f} MiB, naive {peaks['naive']:.0f} MiB ({ratio:.2f}x)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="tiny model only, no memory comparison")
    args = parser.parse_args()
    cores = max(1, min(os.cpu_count() or 1, 2))
    import ray

    ray.init(num_cpus=cores, include_dashboard=False, log_to_driver=False, configure_logging=False)
    flops = measured_matmul_flops(cores)
    print(f"measured fp32 matmul: {flops / 1e9:.1f} GFLOP/s on {cores} threads", flush=True)
    headline = None
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny"
        init_model(tiny, size="tiny", seed=0)
        models = [("tiny", tiny)]
        if not args.quick:
            random_llama_100m(Path(tmp) / "100M", tiny)
            models.append(("100M", Path(tmp) / "100M"))
        for name, path in models:
            params = sum(p.numel() for p in AutoModelForCausalLM.from_pretrained(path).parameters())
            batch = make_batch(len(AutoTokenizer.from_pretrained(path)))
            tokens = batch.num_tokens()
            torch.set_num_threads(cores)
            runs = {"plain torch": plain_torch_seconds(path, batch, args.steps)}
            for world in (1, 2):
                runs[f"learner {world} rank{'s' if world > 1 else ''}"] = learner_seconds(
                    path, batch, world, args.steps, cores
                )
            for label, seconds in runs.items():
                step_s = statistics.median(seconds)
                mfu = 6 * params * tokens / step_s / flops
                print(
                    f"{name:>5} ({params / 1e6:6.1f}M params) {label:<16} {tokens / step_s:9.0f} tokens/s  "
                    f"step {step_s:6.2f} s  MFU {mfu:.3f}",
                    flush=True,
                )
                if name == "100M" and label == "learner 1 rank":
                    headline = mfu
    ray.shutdown()
    if not args.quick:
        print(memory_line(), flush=True)
    if headline is not None:
        print(f"mfu_vs_measured_matmul: {headline:.3f}")


if __name__ == "__main__":
    main()
