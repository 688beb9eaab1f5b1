"""`reasonrl eval` on the tiny model: a model folder, run folders (hf/ export and a raw checkpoint), bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
import yaml
from transformers import AutoModelForCausalLM
from typer.testing import CliRunner

from reasonrl.launch.cli import app
from reasonrl.trainer.checkpoint import CheckpointManager

FAST = ["--n", "2", "--k", "2", "--problems", "4", "--max-new-tokens", "8"]


def run(*args: str):
    return CliRunner().invoke(app, ["eval", *args])


def test_a_model_folder_is_evaluated_and_written_as_json(tiny_model_dir: Path, tmp_path: Path):
    out = tmp_path / "eval.json"
    args = ["--families", "fractions,gcd_lcm", "--difficulty", "1", "--difficulty", "2", "--json", str(out)]
    result = run(str(tiny_model_dir), *FAST, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1].startswith("pass@1: ")
    assert result.stdout.strip().endswith("%") and "maj@2" in result.stdout
    data = json.loads(out.read_text())
    assert {"n", "k", "overall", "families", "groups", "problems", "seconds", "meta"} <= set(data)
    assert (data["n"], data["k"]) == (2, 2)
    assert (data["overall"]["problems"], data["overall"]["samples"]) == (4, 8)
    assert sorted(data["families"]) == ["fractions", "gcd_lcm"]
    cells = {(g["family"], g["difficulty"]): g["problems"] for g in data["groups"]}
    assert cells == {("fractions", 1): 1, ("fractions", 2): 1, ("gcd_lcm", 1): 1, ("gcd_lcm", 2): 1}
    assert all(
        set(g) == {"family", "difficulty", "problems", "samples", "pass@1", "pass@2", "maj@2"} for g in data["groups"]
    )
    assert all(len(p["correct"]) == 2 for p in data["problems"])
    assert data["meta"]["difficulties"] == [1, 2] and data["meta"]["seed"] == 0


def write_run(root: Path, problems: dict) -> Path:
    root.mkdir()
    (root / "config.yaml").write_text(yaml.safe_dump({"model": {"path": "x"}, "problems": problems}))
    return root


def test_a_run_folder_uses_its_hf_export_and_its_problems(tiny_model_dir: Path, tmp_path: Path):
    runs = write_run(tmp_path / "run", {"mixture": "gcd_lcm:1,fractions:1", "difficulty": 2})
    shutil.copytree(tiny_model_dir, runs / "hf")
    out = tmp_path / "eval.json"
    result = run(str(runs), *FAST, "--json", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["meta"]["families"] == ["fractions", "gcd_lcm"] and data["meta"]["difficulties"] == [2]
    assert {g["difficulty"] for g in data["groups"]} == {2}


def test_a_run_without_hf_is_evaluated_from_its_latest_valid_checkpoint(tiny_model_dir: Path, tmp_path: Path):
    runs = write_run(tmp_path / "run", {"mixture": "gcd_lcm", "difficulty": 1})
    state = AutoModelForCausalLM.from_pretrained(tiny_model_dir).state_dict()

    def write(folder: Path) -> None:  # the learner's layout: ZeRO-0 module state + config/tokenizer files
        (folder / "learner" / "state").mkdir(parents=True)
        torch.save({"module": state}, folder / "learner" / "state" / "mp_rank_00_model_states.pt")
        shutil.copytree(tiny_model_dir, folder / "model", ignore=shutil.ignore_patterns("*.safetensors"))

    CheckpointManager(runs).save(3, write, {"step": 3})
    out = tmp_path / "eval.json"
    result = run(str(runs), *FAST, "--json", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["families"].keys() == {"gcd_lcm"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--families", "fractions,nope"], "--families: unknown problem family 'nope'"),
        (["--n", "2", "--k", "3"], "--k 3 must be between 1 and --n (2)"),
        (["--difficulty", "2,11"], "--difficulty '11'"),
        (["--problems", "0"], "--problems 0"),
    ],
)
def test_bad_options_fail_with_the_option_named(tiny_model_dir: Path, args: list[str], message: str):
    result = run(str(tiny_model_dir), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_missing_or_unusable_folders_are_refused(tmp_path: Path):
    missing = run(str(tmp_path / "nope"), *FAST)
    assert missing.exit_code == 2 and "MODEL_OR_RUN" in missing.stderr and "no such folder" in missing.stderr
    empty = run(str(tmp_path), *FAST)
    assert empty.exit_code == 2 and "neither config.yaml" in empty.stderr
    bare_run = write_run(tmp_path / "run", {"difficulty": 1})
    no_model = run(str(bare_run), *FAST)
    assert no_model.exit_code == 2 and "has no checkpoints" in no_model.stderr
