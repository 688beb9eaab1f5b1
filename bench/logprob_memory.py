"""Peak host memory of the learner's log-probability pass, forward + backward: chunked against naive full logits.

    python bench/logprob_memory.py [--vocab 32000] [--chunk-size 1024] [--tokens 2048 4096 8192]
    python bench/logprob_memory.py --mode chunked --tokens 8192 [--vocab V] [--chunk-size C]   # prints one number

The model is a random Llama with hidden size 64, so the (tokens x vocab) logits dominate memory and the figure is
the cost of the head alone. One sequence of `tokens` tokens (32 prompt, the rest completion) runs through
`token_logprobs` (chunked, activation-checkpointed head) or `naive_token_logprobs` (full logits, log_softmax),
then `backward()` of the summed log-probabilities. The peak is the rise of ru_maxrss over that pass, so each
measurement needs a fresh process: the suite runs this script with `--mode` once per point, and other benches
should do the same (`bench/` is not a package) or call `peak_memory_mib` first thing in a new process.

Default vocabulary 32000: at 8192 tokens a vocabulary of 151936 costs 5 GB per float32 copy of the logits and the
naive pass holds several. The last line is `chunked_vs_naive_peak_memory: X` at the largest token count
(below 1 is good).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
from pathlib import Path

import torch
from transformers import LlamaConfig, LlamaForCausalLM

from reasonrl.trainer.logprobs import naive_token_logprobs, token_logprobs
from reasonrl.trainer.packing import pack

MODES = ("chunked", "naive")
PROMPT_TOKENS = 32


def _maxrss_mib() -> float:
    """Peak RSS of this process image. VmHWM belongs to the address space, which exec replaces; ru_maxrss is
    inherited across fork + exec, so a child of a big process would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def peak_memory_mib(mode: str, tokens: int, vocab: int, chunk_size: int) -> float:
    """Rise of this process's peak RSS (MiB) over one forward + backward; only meaningful in a fresh process."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if tokens <= PROMPT_TOKENS:
        raise ValueError(f"tokens must be > {PROMPT_TOKENS} (the prompt length), got {tokens}")
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=vocab,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=tokens,
        attn_implementation="sdpa",
    )
    model = LlamaForCausalLM(config)
    ids = torch.randint(0, vocab, (tokens,)).tolist()
    packed = pack([ids[:PROMPT_TOKENS]], [ids[PROMPT_TOKENS:]])
    before = _maxrss_mib()
    if mode == "chunked":
        logp, _ = token_logprobs(model, packed, chunk_size=chunk_size)
    else:
        logp, _ = naive_token_logprobs(model, packed)
    logp.sum().backward()
    return _maxrss_mib() - before


def measure_in_subprocess(mode: str, tokens: int, vocab: int, chunk_size: int) -> float:
    """`peak_memory_mib` in a fresh interpreter, so earlier passes cannot hide this one's peak."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--mode", mode, "--tokens", str(tokens)]
    cmd += ["--vocab", str(vocab), "--chunk-size", str(chunk_size)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (rc {done.returncode}):\n{done.stderr}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=MODES, help="measure one path in this process and print its peak MiB")
    parser.add_argument("--tokens", type=int, nargs="+", default=[2048, 4096, 8192])
    parser.add_argument("--vocab", type=int, default=32000)
    parser.add_argument("--chunk-size", type=int, default=1024)
    args = parser.parse_args()
    if args.mode is not None:
        if len(args.tokens) != 1:
            raise ValueError(f"--mode measures one point; pass a single --tokens value, got {args.tokens}")
        print(f"{peak_memory_mib(args.mode, args.tokens[0], args.vocab, args.chunk_size):.1f}")
        return
    print(f"vocab {args.vocab}, chunk_size {args.chunk_size}, hidden 64; peak RSS rise over forward + backward")
    print(f"{'tokens':>8} {'chunked MiB':>12} {'naive MiB':>10} {'ratio':>7}")
    ratio = float("nan")
    for tokens in sorted(args.tokens):
        chunked = measure_in_subprocess("chunked", tokens, args.vocab, args.chunk_size)
        naive = measure_in_subprocess("naive", tokens, args.vocab, args.chunk_size)
        ratio = chunked / naive
        print(f"{tokens:>8} {chunked:>12.1f} {naive:>10.1f} {ratio:>7.3f}")
    print(f"chunked_vs_naive_peak_memory: {ratio:.3f}")


if __name__ == "__main__":
    main()
