from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedModel, Qwen2Config, Qwen2ForCausalLM

from reasonrl.trainer.logprobs import (
    hidden_states_via_full_model,
    last_hidden_states,
    naive_token_logprobs,
    padded_logprobs,
    token_logprobs,
)
from reasonrl.trainer.packing import Packed, pack, unpack_per_sequence

VOCAB = 300
SIZES = {
    "vocab_size": VOCAB,
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
}
ARCHS = ["llama-sdpa", "llama-eager", "qwen2-sdpa"]
BENCH = Path(__file__).resolve().parents[2] / "bench" / "logprob_memory.py"


def build(arch: str) -> PreTrainedModel:
    torch.manual_seed(0)
    family, attn = arch.split("-")
    if family == "llama":
        return LlamaForCausalLM(LlamaConfig(**SIZES, attn_implementation=attn)).float()
    return Qwen2ForCausalLM(Qwen2Config(**SIZES, tie_word_embeddings=True, attn_implementation=attn)).float()


@pytest.fixture(scope="module", params=ARCHS)
def model(request: pytest.FixtureRequest) -> PreTrainedModel:
    return build(request.param)


@pytest.fixture(scope="module")
def sequences() -> tuple[list[list[int]], list[list[int]]]:
    gen = torch.Generator().manual_seed(1)
    shapes = [(3, 9), (11, 2), (1, 17), (6, 6), (14, 1)]
    prompts = [torch.randint(0, VOCAB, (p,), generator=gen).tolist() for p, _ in shapes]
    completions = [torch.randint(0, VOCAB, (c,), generator=gen).tolist() for _, c in shapes]
    return prompts, completions


@pytest.fixture(scope="module")
def packed(sequences: tuple[list[list[int]], list[list[int]]]) -> Packed:
    return pack(*sequences)


@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_packed_matches_each_sequence_run_alone(model, sequences, packed, temperature: float) -> None:
    with torch.no_grad():
        logp, _ = token_logprobs(model, packed, temperature=temperature, chunk_size=8)
        alone = padded_logprobs(model, *sequences, temperature=temperature)
    for got, want in zip(unpack_per_sequence(logp, packed), alone, strict=True):
        torch.testing.assert_close(got, want, atol=1e-5, rtol=0)


def test_padded_layout_matches_each_sequence_run_alone_and_full_logits(model, sequences) -> None:
    padded = pack(*sequences, layout="padded")
    assert padded.input_ids.shape == (5, 18) and padded.attention_mask is not None
    with torch.no_grad():
        logp, entropy = token_logprobs(model, padded, chunk_size=4, with_entropy=True)
        full, full_entropy = naive_token_logprobs(model, padded, with_entropy=True)
        alone = padded_logprobs(model, *sequences)
    for got, want in zip(unpack_per_sequence(logp, padded), alone, strict=True):
        torch.testing.assert_close(got, want, atol=1e-5, rtol=0)
    torch.testing.assert_close(logp, full, atol=1e-5, rtol=0)
    torch.testing.assert_close(entropy, full_entropy, atol=1e-5, rtol=0)


def test_without_restarting_positions_sequences_leak_into_each_other(model, sequences, packed) -> None:
    """The comparison above can fail: one causal mask over the whole row changes every later sequence."""
    unpacked = Packed(**{**vars(packed), "position_ids": torch.arange(packed.input_ids.shape[1]).unsqueeze(0)})
    with torch.no_grad():
        logp, _ = token_logprobs(model, unpacked)
        alone = padded_logprobs(model, *sequences)
    got = unpack_per_sequence(logp, packed)
    torch.testing.assert_close(got[0], alone[0], atol=1e-5, rtol=0)
    assert all((g - a).abs().max() > 1e-3 for g, a in zip(got[1:], alone[1:], strict=True))


@pytest.mark.parametrize("chunk_size", [1, 7, 1024])
@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_chunked_matches_full_logits(model, packed, chunk_size: int, temperature: float) -> None:
    with torch.no_grad():
        logp, entropy = token_logprobs(model, packed, temperature, chunk_size=chunk_size, with_entropy=True)
        ref_logp, _ = naive_token_logprobs(model, packed, temperature)
        out = model(input_ids=packed.input_ids, position_ids=packed.position_ids, use_cache=False)
    logits = out.logits[0, packed.target_index]
    ref_entropy = torch.distributions.Categorical(logits=logits / temperature).entropy()
    assert logp.dtype == torch.float32 and logp.shape == (packed.num_targets,)
    torch.testing.assert_close(logp, ref_logp, atol=1e-5, rtol=0)
    torch.testing.assert_close(entropy, ref_entropy, atol=1e-5, rtol=0)


@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_chunked_gradients_match_full_logits(model, packed, temperature: float) -> None:
    gen = torch.Generator().manual_seed(2)
    w_logp, w_ent = torch.randn(packed.num_targets, generator=gen), torch.randn(packed.num_targets, generator=gen)

    def grads(fn) -> list[torch.Tensor]:
        model.zero_grad()
        logp, entropy = fn()
        ((logp * w_logp).sum() + (entropy * w_ent).sum()).backward()
        return [p.grad.clone() for p in model.parameters()]

    chunked = grads(lambda: token_logprobs(model, packed, temperature, chunk_size=7, with_entropy=True))
    naive = grads(lambda: naive_token_logprobs(model, packed, temperature, with_entropy=True))
    model.zero_grad()
    assert any(g.abs().max() > 0 for g in naive)
    for got, want in zip(chunked, naive, strict=True):
        torch.testing.assert_close(got, want, atol=1e-5, rtol=0)


def test_decoder_and_full_model_give_the_same_hidden_states(model, packed) -> None:
    with torch.no_grad():
        torch.testing.assert_close(last_hidden_states(model, packed), hidden_states_via_full_model(model, packed))


def test_bf16_model_gives_float32_logprobs(packed) -> None:
    model = build("llama-sdpa").to(torch.bfloat16)
    with torch.no_grad():
        logp, entropy = token_logprobs(model, packed, chunk_size=4, with_entropy=True)
        ref, _ = naive_token_logprobs(model, packed)
    assert logp.dtype == entropy.dtype == torch.float32
    torch.testing.assert_close(logp, ref, atol=1e-5, rtol=0)


def test_bad_arguments_are_rejected(packed) -> None:
    model = build("llama-sdpa")
    with pytest.raises(ValueError, match="temperature"):
        token_logprobs(model, packed, temperature=0.0)
    with pytest.raises(ValueError, match="chunk_size"):
        token_logprobs(model, packed, chunk_size=0)
    with pytest.raises(ValueError, match="temperature"):
        naive_token_logprobs(model, packed, temperature=-1.0)
    with pytest.raises(ValueError, match="sequence 1"):
        padded_logprobs(model, [[1], [2]], [[3], []])
    with pytest.raises(ValueError, match="output embeddings"):
        token_logprobs(model.model, packed)


def test_chunked_peak_memory_is_under_half_of_full_logits() -> None:
    """4096 tokens x 32000 vocab: one float32 copy of the full logits is 0.5 GB; each path runs in its own process."""
    args = ["--tokens", "4096", "--vocab", "32000", "--chunk-size", "1024"]
    runs = {
        mode: subprocess.Popen(
            [sys.executable, str(BENCH), "--mode", mode, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in ("chunked", "naive")
    }
    peaks = {}
    for mode, proc in runs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        peaks[mode] = float(out.strip().splitlines()[-1])
    assert peaks["naive"] > 1000, peaks
    assert peaks["chunked"] < 0.5 * peaks["naive"], peaks


def test_a_fixed_chunk_count_gives_the_same_values(model, packed) -> None:
    """ZeRO-3 ranks agree on how often the head runs; padding rows must not change any result."""
    with torch.no_grad():
        want, _ = token_logprobs(model, packed, chunk_size=8)
        for chunks in (6, 40, 100):
            got, _ = token_logprobs(model, packed, chunk_size=8, num_chunks=chunks)
            torch.testing.assert_close(got, want, atol=1e-6, rtol=0)
    with pytest.raises(ValueError, match="num_chunks"):
        token_logprobs(model, packed, chunk_size=8, num_chunks=2)
