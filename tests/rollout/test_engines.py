"""Engine registry and start-up validation (runs without vLLM); the vLLM engine itself only where it is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonrl.rollout import engine_vllm
from reasonrl.rollout.engines import engine, engine_names, make_engine, validate_engine, vllm_installed
from reasonrl.rollout.types import SamplingParams

GREEDY = SamplingParams(temperature=0.0, max_new_tokens=6)


def test_both_engines_are_registered() -> None:
    assert {"transformers", "vllm"} <= set(engine_names())


def test_unknown_engine_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown engine 'sglang'.*transformers.*vllm"):
        validate_engine("sglang", GREEDY)


def test_registering_a_name_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        engine("transformers")(lambda model, sampling: None)


@pytest.mark.skipif(vllm_installed(), reason="vLLM is installed here")
def test_vllm_without_vllm_installed_says_how_to_fix() -> None:
    with pytest.raises(
        ValueError, match=r"'vllm' is selected but vLLM is not installed.*pip install vllm.*transformers"
    ):
        make_engine("vllm", "/nonexistent", GREEDY)


def test_options_an_engine_lacks_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"engine\.tensor_parallel_size: the transformers engine has no option"):
        validate_engine("transformers", GREEDY, tensor_parallel_size=2)
    with pytest.raises(ValueError, match=r"engine\.token_budget: the vllm engine has no option"):
        validate_engine("vllm", GREEDY, token_budget=1024)


def test_vllm_logprob_mode_follows_the_contract() -> None:
    assert engine_vllm.logprobs_mode_for(SamplingParams(temperature=1.0, top_p=0.9, top_k=20)) == "raw_logprobs"
    assert engine_vllm.logprobs_mode_for(GREEDY) == "raw_logprobs"
    assert engine_vllm.logprobs_mode_for(SamplingParams(temperature=0.7)) == "processed_logprobs"
    truncated = SamplingParams(temperature=0.7, min_p=0.05)
    with pytest.raises(ValueError, match=r"sampling\.temperature=0\.7 with truncation.*fix:"):
        engine_vllm.check_sampling(truncated)
    assert engine_vllm.logprobs_mode_for(truncated, allow_truncated_logprobs=True) == "processed_logprobs"
    assert not engine_vllm.mode_honours("raw_logprobs", SamplingParams(temperature=0.7))
    assert not engine_vllm.mode_honours("processed_logprobs", truncated)


def test_vllm_max_model_len_must_leave_room_for_the_prompt() -> None:
    with pytest.raises(ValueError, match=r"sampling\.max_new_tokens=4096.*engine\.max_model_len=4096"):
        engine_vllm.check_sampling(SamplingParams(max_new_tokens=4096), max_model_len=4096)
    engine_vllm.check_sampling(SamplingParams(max_new_tokens=1024), max_model_len=4096)


def test_vllm_per_sample_seeds_are_distinct_and_reproducible() -> None:
    seeds = {engine_vllm.sample_seed(7, i, j) for i in range(4) for j in range(8)}
    assert len(seeds) == 32 and all(0 <= s < 2**63 for s in seeds)
    assert engine_vllm.sample_seed(7, 1, 2) == engine_vllm.sample_seed(7, 1, 2) != engine_vllm.sample_seed(8, 1, 2)


def test_make_transformers_engine_generates(tiny_model_dir: Path) -> None:
    eng = make_engine("transformers", str(tiny_model_dir), GREEDY, token_budget=4096)
    samples = eng.generate(["1 + 1 =", "Solve x + 2 = 5."], 2, GREEDY)
    assert [s.prompt_index for s in samples] == [0, 0, 1, 1]
    assert samples[0].completion_ids == samples[1].completion_ids  # greedy
    assert all(1 <= len(s.completion_ids) <= 6 and s.weight_version == 0 for s in samples)


def test_vllm_greedy_matches_transformers(tiny_model_dir: Path) -> None:
    pytest.importorskip("vllm")
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("vLLM needs a GPU")
    prompts = ["1 + 1 =", "Solve x + 2 = 5.", "Find the roots of x^2 - 4."]
    sampling = SamplingParams(temperature=0.0, max_new_tokens=16)
    ours = make_engine("transformers", str(tiny_model_dir), sampling, device="cuda").generate(prompts, 1, sampling)
    theirs = make_engine(
        "vllm", str(tiny_model_dir), sampling, dtype="float32", gpu_memory_utilization=0.3, enforce_eager=True
    ).generate(prompts, 1, sampling)
    assert [s.prompt_ids for s in theirs] == [s.prompt_ids for s in ours]
    assert [s.completion_ids for s in theirs] == [s.completion_ids for s in ours]
