"""`init_model` and `reasonrl init-model`: the saved folder reloads through the Auto classes unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM, AutoTokenizer

from reasonrl.launch.tiny_model import build_model, init_model, param_count
from reasonrl.launch.tokenizer_build import BOS, EOS, PAD, ROLE_TOKENS
from reasonrl.problems.stream import ProblemStream

CLI = [sys.executable, "-m", "reasonrl.launch.cli", "init-model"]

TRICKY = [
    r"Solve $x^2 - 5x + 6 = 0$ and put the answer in \boxed{\left\{2, 3\right\}}.",
    "  leading and trailing spaces, double  spaces,\ttabs\r\nwindows newlines\n\n",
    "unicode: π ≤ √2 · 10⁻³ × ÷ ∞ é ü ñ 中文 日本語 😀 \u200b zero-width, \x00 nul, \x7f del",
    "digits 0123456789 9876543210 -3.14159 1/7 1e-9 0x1F",
    "<|user|> looks like a marker but is text inside a message <|end|>",
    "",
]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory):
    """A second build with the fixture's arguments, held in memory."""
    out = tmp_path_factory.mktemp("again") / "model"
    model, tokenizer = init_model(out, size="tiny", seed=0)
    return out, model, tokenizer


@pytest.fixture(scope="module")
def loaded(tiny_model_dir: Path):
    return AutoModelForCausalLM.from_pretrained(tiny_model_dir), AutoTokenizer.from_pretrained(tiny_model_dir)


def problem_texts() -> list[str]:
    texts = []
    for level in range(1, 11):
        for problem in ProblemStream("default", difficulty=level, seed=7, split="heldout").take(20):
            texts += [problem.prompt, problem.solution or ""]
    return texts


def test_same_seed_gives_identical_files(tiny_model_dir: Path, fresh) -> None:
    out, _, _ = fresh
    ours, theirs = load_file(tiny_model_dir / "model.safetensors"), load_file(out / "model.safetensors")
    assert ours.keys() == theirs.keys()
    assert all(torch.equal(ours[k], theirs[k]) for k in ours)
    for name in ("tokenizer.json", "tokenizer_config.json", "config.json", "chat_template.jinja"):
        assert (tiny_model_dir / name).read_text() == (out / name).read_text(), name


def test_other_seed_gives_other_weights(fresh) -> None:
    _, model, tokenizer = fresh
    other = build_model(tokenizer, "tiny", seed=1)
    weight = "model.layers.0.self_attn.q_proj.weight"
    assert not torch.equal(model.state_dict()[weight], other.state_dict()[weight])


def test_tokenizer_round_trip_through_auto_tokenizer(fresh, loaded) -> None:
    _, _, built = fresh
    _, tokenizer = loaded
    assert len(tokenizer) == len(built) == 2048
    unk_free = set()
    for text in TRICKY + problem_texts():
        ids = tokenizer(text, add_special_tokens=True)["input_ids"]
        assert ids == built(text, add_special_tokens=True)["input_ids"]
        assert tokenizer.decode(ids) == text
        unk_free.update(ids)
    assert tokenizer.unk_token_id is None or tokenizer.unk_token_id not in unk_free


def test_special_tokens_survive_the_reload(tiny_model_dir: Path, loaded) -> None:
    model, tokenizer = loaded
    assert (tokenizer.bos_token, tokenizer.eos_token, tokenizer.pad_token) == (BOS, EOS, PAD)
    ids = (tokenizer.bos_token_id, tokenizer.eos_token_id, tokenizer.pad_token_id)
    assert ids == (model.config.bos_token_id, model.config.eos_token_id, model.config.pad_token_id)
    generation = model.generation_config
    assert ids == (generation.bos_token_id, generation.eos_token_id, generation.pad_token_id)
    for marker in ROLE_TOKENS:
        assert marker in tokenizer.all_special_tokens
        assert len(tokenizer(marker)["input_ids"]) == 1
    assert tokenizer.decode(tokenizer(f"{BOS}hi{EOS}")["input_ids"], skip_special_tokens=True) == "hi"
    assert model.config.model_type == "llama" and model.config.tie_word_embeddings


def test_chat_template_renders_and_tokenizes(loaded) -> None:
    _, tokenizer = loaded
    messages = [{"role": "system", "content": "Think step by step."}, {"role": "user", "content": "What is 2+2?"}]
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    expected = "<|bos|><|system|>\nThink step by step.<|end|>\n<|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n"
    assert text == expected
    without = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=False)
    assert without == expected.removesuffix("<|assistant|>\n")
    ids = tokenizer.apply_chat_template(messages, tokenize=True, add_generation_prompt=True, return_dict=True)
    ids = ids["input_ids"]
    assert ids == tokenizer(text, add_special_tokens=True)["input_ids"]  # no second bos from add_special_tokens
    assert ids.count(tokenizer.bos_token_id) == 1 and ids[0] == tokenizer.bos_token_id
    assert ids.count(tokenizer.eos_token_id) == 2
    assert tokenizer.decode(ids) == text
    turn = [*messages, {"role": "assistant", "content": "4"}]
    rendered = tokenizer.apply_chat_template(turn, return_dict=True, return_assistant_tokens_mask=True)
    mask, turn_ids = rendered["assistant_masks"], rendered["input_ids"]
    assert tokenizer.decode([t for t, m in zip(turn_ids, mask) if m]) == "4<|end|>"
    with pytest.raises(Exception, match="unknown chat role"):
        tokenizer.apply_chat_template([{"role": "tool", "content": "x"}], tokenize=False)


def test_reloaded_model_gives_the_same_logits(fresh, loaded) -> None:
    _, built_model, tokenizer = fresh
    model, _ = loaded
    ids = torch.tensor([tokenizer("Compute $\\frac{3}{15}$ in lowest terms.")["input_ids"]])
    with torch.no_grad():
        expected, got = built_model(ids).logits, model(ids).logits
    assert got.shape == (1, ids.shape[1], 2048)
    torch.testing.assert_close(got, expected, rtol=0, atol=0)
    out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=5, do_sample=False)
    assert out.shape == (1, ids.shape[1] + 5) or int(out[0, -1]) == tokenizer.eos_token_id


def test_tiny_and_small_sizes() -> None:
    from reasonrl.launch.tokenizer_build import build_tokenizer

    tiny = build_model(build_tokenizer(2048, per_level=20), "tiny", seed=0)
    assert 0.5e6 < param_count(tiny) < 5e6
    small_tokenizer = build_tokenizer(4096, per_level=1000)
    assert len(small_tokenizer) == 4096
    assert 10e6 < param_count(build_model(small_tokenizer, "small", seed=0)) < 20e6
    with pytest.raises(ValueError, match="unknown model size 'huge'"):
        build_model(small_tokenizer, "huge")


def test_cli_writes_a_model_and_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "m"
    done = subprocess.run([*CLI, "--out", str(out), "--seed", "3"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "1,049,728 parameters" in done.stdout and str(out) in done.stdout
    assert {"config.json", "model.safetensors", "tokenizer.json", "chat_template.jinja"} <= {
        p.name for p in out.iterdir()
    }
    again = subprocess.run([*CLI, "--out", str(out)], capture_output=True, text=True)
    assert again.returncode == 2
    assert again.stderr.startswith("error: --out ") and "not an empty folder" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    bad = subprocess.run([*CLI, "--out", str(tmp_path / "n"), "--size", "huge"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("error: unknown model size 'huge'")
    assert not (tmp_path / "n").exists()
