"""Supervised warm-up: the loss falls, only the solution is learned, and the saved folder is a usable model."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from reasonrl.problems.stream import ProblemStream
from reasonrl.rollout.engine_hf import TransformersEngine
from reasonrl.trainer.sft import IGNORE, encode_example, sft

MIX = {"int_expression": 1.0, "gcd_lcm": 1.0}


def _problems(n: int):
    return ProblemStream(MIX, difficulty=1, seed=0).take(n)


@torch.no_grad()
def _mean_loss(model_dir: Path, tokenizer_dir: Path, problems) -> float:
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    losses = []
    for problem in problems:
        ids, labels = encode_example(tokenizer, problem)
        losses.append(float(model(input_ids=torch.tensor([ids]), labels=torch.tensor([labels])).loss))
    return sum(losses) / len(losses)


def test_sft_lowers_loss_and_saves_a_reloadable_model(tiny_model_dir: Path, tmp_path: Path) -> None:
    problems = _problems(64)
    result = sft(str(tiny_model_dir), tmp_path / "a", problems, steps=30, lr=3e-3, batch_size=16, progress=False)
    assert len(result.losses) == 30 and result.out_dir == tmp_path / "a"
    assert sum(result.losses[-5:]) / 5 < 0.5 * sum(result.losses[:3]) / 3
    # The saved weights are the trained ones: they fit the data far better than the starting model.
    assert _mean_loss(result.out_dir, result.out_dir, problems[:8]) < 0.5 * _mean_loss(
        tiny_model_dir, tiny_model_dir, problems[:8]
    )
    assert (
        AutoTokenizer.from_pretrained(result.out_dir).get_vocab()
        == AutoTokenizer.from_pretrained(tiny_model_dir).get_vocab()
    )


def test_same_seed_saves_identical_logits(tiny_model_dir: Path, tmp_path: Path) -> None:
    problems = _problems(8)
    outs = [sft(str(tiny_model_dir), tmp_path / d, problems, steps=3, batch_size=4, progress=False) for d in "xy"]
    ids = torch.tensor([encode_example(AutoTokenizer.from_pretrained(tiny_model_dir), problems[0])[0]])
    logits = [AutoModelForCausalLM.from_pretrained(o.out_dir).eval()(input_ids=ids).logits for o in outs]
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()(input_ids=ids).logits
    assert torch.equal(logits[0], logits[1])
    assert not torch.allclose(logits[0], base)


def test_loss_mask_covers_only_the_completion(tiny_model_dir: Path) -> None:
    problem = _problems(1)[0]
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    ids, labels = encode_example(tokenizer, problem)
    engine_prompt = TransformersEngine(str(tiny_model_dir)).encode_prompt(problem.prompt)
    n = len(engine_prompt)
    assert ids[:n] == engine_prompt
    assert labels[:n] == [IGNORE] * n
    assert labels[n:] == ids[n:] and IGNORE not in labels[n:]
    assert labels[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(labels[n:-1]) == problem.solution


def test_problem_without_solution_is_an_error_naming_the_family(tmp_path: Path) -> None:
    problems = _problems(4)
    problems[2] = dataclasses.replace(problems[2], solution=None)
    with pytest.raises(ValueError, match=problems[2].family):
        sft(str(tmp_path / "no-model-needed"), tmp_path / "out", problems, steps=1, progress=False)
    assert not (tmp_path / "out").exists()


def test_cli_trains_and_rejects_unknown_family(tiny_model_dir: Path, tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "reasonrl.launch.cli", "sft", "--model", str(tiny_model_dir)]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    bad = subprocess.run([*cli, "--out", str(tmp_path / "bad"), "--families", "nope"], capture_output=True, text=True)
    assert bad.returncode == 2 and "nope" in bad.stderr and not (tmp_path / "bad").exists()
    args = ["--out", str(tmp_path / "ok"), "--problems", "16", "--steps", "4", "--batch-size", "4"]
    ok = subprocess.run([*cli, *args, "--families", "gcd_lcm"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "final loss" in ok.stdout and str(tmp_path / "ok") in ok.stdout
    assert (tmp_path / "ok" / "config.json").is_file()
