"""TransformersEngine against model.generate and the learner-side log-probability recomputation."""

from __future__ import annotations

import pytest
import torch

from reasonrl.rollout.engine_hf import TransformersEngine
from reasonrl.rollout.logprobs import sequence_logprobs
from reasonrl.rollout.sampler import sample_next
from reasonrl.rollout.types import SamplingParams

PROMPTS = ["What is 2 + 3?", "Solve x^2 = 4 for x, giving both roots please.", "7"]


@pytest.fixture(scope="module")
def engine(tiny_model_dir) -> TransformersEngine:
    return TransformersEngine(str(tiny_model_dir), seed=0)


def test_greedy_matches_model_generate(engine: TransformersEngine) -> None:
    sampling = SamplingParams(temperature=0.0, max_new_tokens=24)
    samples = engine.generate(PROMPTS, n=1, sampling=sampling)
    assert [s.prompt_index for s in samples] == [0, 1, 2]
    assert len({len(s.prompt_ids) for s in samples}) == 3
    for sample in samples:
        ids = torch.tensor([sample.prompt_ids])
        ref = engine.model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            do_sample=False,
            max_new_tokens=24,
            eos_token_id=sorted(engine.eos_ids),
            pad_token_id=engine.pad_id,
        )[0, ids.shape[1] :].tolist()
        assert sample.completion_ids == ref


def test_sampled_logprobs_match_recomputation(engine: TransformersEngine) -> None:
    for temperature in (1.0, 0.7):
        sampling = SamplingParams(temperature=temperature, top_p=0.9, top_k=50, min_p=0.01, max_new_tokens=16, seed=3)
        samples = engine.generate(PROMPTS, n=2, sampling=sampling)
        for s in samples:
            ids = torch.tensor([s.prompt_ids + s.completion_ids])
            with torch.no_grad():
                ref = sequence_logprobs(engine.model, ids, torch.ones_like(ids), temperature)[0]
            torch.testing.assert_close(torch.tensor(s.logprobs), ref[len(s.prompt_ids) - 1 :], atol=1e-4, rtol=0)


def test_max_new_tokens_and_stop_strings(engine: TransformersEngine) -> None:
    plain = engine.generate(PROMPTS, n=2, sampling=SamplingParams(max_new_tokens=12, seed=1))
    for s in plain:
        assert (s.finish_reason == "length") == (len(s.completion_ids) == 12)
        assert len(s.completion_ids) <= 12 and len(s.logprobs) == len(s.completion_ids)
        assert s.finish_reason == "length" or s.completion_ids[-1] in engine.eos_ids
    # A stop string taken from an unconstrained completion must end that completion early.
    long = engine.generate(["What is 2 + 3?"], n=1, sampling=SamplingParams(temperature=0.0, max_new_tokens=40))[0]
    text = long.text
    assert len(text) > 6
    stop = text[len(text) // 2 : len(text) // 2 + 2]
    cut = engine.generate(
        ["What is 2 + 3?"], n=1, sampling=SamplingParams(temperature=0.0, max_new_tokens=40, stop_strings=(stop,))
    )[0]
    assert cut.finish_reason == "stop" and stop not in cut.text
    assert text.startswith(cut.text) and cut.text == text[: text.find(stop)]
    assert long.completion_ids[: len(cut.completion_ids)] == cut.completion_ids
    # A stop token id ends the completion and stays in completion_ids.
    tok = long.completion_ids[3]
    first = long.completion_ids.index(tok)
    by_id = engine.generate(
        ["What is 2 + 3?"], n=1, sampling=SamplingParams(temperature=0.0, max_new_tokens=40, stop_token_ids=(tok,))
    )[0]
    assert by_id.finish_reason == "stop" and by_id.completion_ids == long.completion_ids[: first + 1]


def test_seeds_samples_differ_and_repeat(engine: TransformersEngine) -> None:
    sampling = SamplingParams(temperature=1.0, max_new_tokens=8, seed=7)
    a = engine.generate(PROMPTS, n=4, sampling=sampling)
    b = engine.generate(PROMPTS, n=4, sampling=sampling)
    assert [s.completion_ids for s in a] == [s.completion_ids for s in b]
    for p in range(len(PROMPTS)):
        group = [tuple(s.completion_ids) for s in a[p * 4 : (p + 1) * 4]]
        assert all(s.prompt_index == p for s in a[p * 4 : (p + 1) * 4])
        assert len(set(group)) > 1
    unseeded = SamplingParams(temperature=1.0, max_new_tokens=8)
    c = engine.generate(PROMPTS, n=2, sampling=unseeded)
    d = engine.generate(PROMPTS, n=2, sampling=unseeded)
    assert [s.completion_ids for s in c] != [s.completion_ids for s in d]


def test_token_budget_split_matches_one_batch(tiny_model_dir, engine: TransformersEngine) -> None:
    small = TransformersEngine(str(tiny_model_dir), token_budget=48)
    for sampling in (SamplingParams(temperature=0.0, max_new_tokens=12), SamplingParams(max_new_tokens=12, seed=5)):
        whole = engine.generate(PROMPTS, n=2, sampling=sampling)
        split = small.generate(PROMPTS, n=2, sampling=sampling)
        assert engine.last_micro_batches == 1 and small.last_micro_batches == 5
        assert [s.completion_ids for s in whole] == [s.completion_ids for s in split]
        torch.testing.assert_close(
            torch.tensor([x for s in whole for x in s.logprobs]),
            torch.tensor([x for s in split for x in s.logprobs]),
            atol=1e-4,
            rtol=0,
        )


def test_update_weights_changes_outputs_and_version(tiny_model_dir) -> None:
    eng = TransformersEngine(str(tiny_model_dir))
    sampling = SamplingParams(temperature=0.0, max_new_tokens=16)
    before = eng.generate(PROMPTS, n=1, sampling=sampling)
    assert all(s.weight_version == 0 for s in before)
    gen = torch.Generator().manual_seed(1)
    new = {k: v + 0.5 * torch.randn(v.shape, generator=gen) for k, v in eng.model.state_dict().items()}
    eng.update_weights(3, new)
    after = eng.generate(PROMPTS, n=1, sampling=sampling)
    assert eng.weight_version == 3 and all(s.weight_version == 3 for s in after)
    assert [s.completion_ids for s in before] != [s.completion_ids for s in after]
    with pytest.raises(KeyError, match="unknown"):
        eng.update_weights(4, {"not.a.param": torch.zeros(1)})
    with pytest.raises(KeyError, match="missing"):
        eng.update_weights(4, {k: v for k, v in new.items() if k != "model.norm.weight"})
    assert eng.weight_version == 3


def test_sampler_truncation_and_reported_logprob() -> None:
    probs = torch.tensor([[0.4, 0.3, 0.2, 0.1]])
    logits = probs.log().expand(200, 4)
    uniforms = torch.linspace(0, 0.999, 200, dtype=torch.float64)
    cases = {
        SamplingParams(top_k=2): {0, 1},
        SamplingParams(top_p=0.5): {0, 1},
        SamplingParams(min_p=0.6): {0, 1},
        SamplingParams(top_k=1): {0},
        SamplingParams(): {0, 1, 2, 3},
    }
    for sampling, support in cases.items():
        tokens, logps = sample_next(logits, sampling, uniforms)
        assert set(tokens.tolist()) == support
        # Reported log-probabilities come from the untruncated tempered distribution.
        torch.testing.assert_close(logps, probs[0].log()[tokens])
    tokens, logps = sample_next(logits[:3], SamplingParams(temperature=0.0), None)
    assert tokens.tolist() == [0, 0, 0]
    hot, _ = sample_next(logits, SamplingParams(temperature=2.0), uniforms)
    assert (hot == 3).sum() > (sample_next(logits, SamplingParams(), uniforms)[0] == 3).sum()
