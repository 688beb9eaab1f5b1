"""Export round trips through real DeepSpeed checkpoints (ZeRO 0/2/3, 1 and 2 ranks) written on CPU."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import torch
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

from reasonrl.trainer.checkpoint import CheckpointError, CheckpointManager
from reasonrl.trainer.export import export_checkpoint, export_hf, max_logit_diff, resolve_checkpoint

SCRIPT = Path(__file__).with_name("ds_ckpt_script.py")
STEP = 2


@dataclass(frozen=True)
class Case:
    stage: int
    ranks: int
    tie: bool
    tokenizer: bool

    @property
    def name(self) -> str:
        return f"zero{self.stage}-{self.ranks}rank" + ("-tied" if self.tie else "")


CASES = [
    Case(stage=0, ranks=2, tie=False, tokenizer=True),
    Case(stage=3, ranks=2, tie=True, tokenizer=True),
    Case(stage=2, ranks=1, tie=True, tokenizer=False),
]


@dataclass(frozen=True)
class Written:
    run: Path
    reference: dict[str, torch.Tensor]
    case: Case


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(case: Case, ckpt: Path, out: Path, log: IO[str]) -> subprocess.Popen:
    env = os.environ | {"DS_ACCELERATOR": "cpu", "OMP_NUM_THREADS": "1"}
    args = [str(SCRIPT), "--stage", str(case.stage), "--ckpt", str(ckpt), "--out", str(out), "--seed", "3"]
    args += ["--tie"] if case.tie else []
    args += [] if case.tokenizer else ["--no-tokenizer"]
    port = str(free_port())
    if case.ranks == 1:
        env |= {"RANK": "0", "WORLD_SIZE": "1", "LOCAL_RANK": "0", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": port}
        command = [sys.executable, *args]
    else:
        command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(case.ranks)]
        command += ["--master_addr", "127.0.0.1", "--master_port", port, *args]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Written]:
    """Every case trained and checkpointed in parallel, then committed through the CheckpointManager."""
    base = tmp_path_factory.mktemp("runs")
    started = {}
    for case in CASES:
        manager = CheckpointManager(base / case.name)
        tmp = manager.begin(STEP)
        log = open(base / f"{case.name}.log", "w")  # closed once the process is done, below
        started[case.name] = (case, manager, tmp, log, launch(case, tmp, base / f"{case.name}-ref", log))
    result = {}
    for name, (case, manager, tmp, log_file, proc) in started.items():
        rc = proc.wait(timeout=300)
        log_file.close()
        log = (base / f"{name}.log").read_text()
        assert rc == 0, f"{name} failed:\n{log[-3000:]}"
        manager.commit(tmp, STEP, {"step": STEP, "weight_version": STEP})
        reference = torch.load(base / f"{name}-ref" / "reference.pt")
        result[name] = Written(run=base / name, reference=reference, case=case)
    return result


def checkpoint_of(w: Written) -> Path:
    return w.run / "checkpoints" / str(STEP)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_export_round_trip_matches_the_trained_weights(written: dict[str, Written], case: Case, tmp_path: Path) -> None:
    w = written[case.name]
    out = tmp_path / "hf"
    result = export_checkpoint(checkpoint_of(w), out)
    assert result.path == out and result.max_abs_diff <= 1e-5

    model = AutoModelForCausalLM.from_pretrained(out).eval()
    params = dict(model.named_parameters())
    assert set(params) == set(w.reference)
    for name, ref in w.reference.items():
        assert torch.equal(params[name].detach(), ref), name
    assert model.config.tie_word_embeddings is case.tie
    assert (model.lm_head.weight is model.model.embed_tokens.weight) is case.tie

    # independent of export's own check: a model built straight from the reference weights
    direct = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(out), dtype=torch.float32).eval()
    direct.load_state_dict(w.reference, strict=not case.tie)
    assert max_logit_diff(model, direct) <= 1e-5

    files = {p.name for p in out.iterdir()}
    assert {"model.safetensors", "config.json", "generation_config.json"} <= files
    assert model.generation_config.max_new_tokens == 7
    assert ("tokenizer.json" in files) is case.tokenizer
    if case.tokenizer:
        assert AutoTokenizer.from_pretrained(out)("w5 w7")["input_ids"][-2:] == [5, 7]
    assert not [p for p in tmp_path.iterdir() if p.name != "hf"], "temp export folder left behind"


def test_bfloat16_export_holds_the_cast_weights(written: dict[str, Written], tmp_path: Path) -> None:
    w = written["zero3-2rank-tied"]
    out = export_hf(checkpoint_of(w), tmp_path / "bf16", dtype="bfloat16")
    model = AutoModelForCausalLM.from_pretrained(out, dtype=torch.bfloat16)
    params = dict(model.named_parameters())
    assert all(p.dtype == torch.bfloat16 for p in params.values())
    for name, ref in w.reference.items():
        assert torch.equal(params[name].detach(), ref.to(torch.bfloat16)), name


def test_export_refuses_bad_input_and_writes_nothing(written: dict[str, Written], tmp_path: Path) -> None:
    ckpt = checkpoint_of(written["zero2-1rank-tied"])
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="exists and is not an empty folder"):
        export_hf(ckpt, taken)
    with pytest.raises(ValueError, match="dtype 'float16' is not supported"):
        export_hf(ckpt, tmp_path / "x", dtype="float16")
    with pytest.raises(ValueError, match="config.json is missing"):
        export_hf(tmp_path, tmp_path / "y")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert [p.name for p in taken.iterdir()] == ["keep.txt"]


def test_resolve_checkpoint(written: dict[str, Written], tmp_path: Path) -> None:
    run = written["zero0-2rank"].run
    assert resolve_checkpoint(run, None) == checkpoint_of(written["zero0-2rank"])
    assert resolve_checkpoint(run, STEP) == checkpoint_of(written["zero0-2rank"])
    with pytest.raises(CheckpointError, match=r"no checkpoint 9 .*present: 2"):
        resolve_checkpoint(run, 9)
    with pytest.raises(ValueError, match="does not exist"):
        resolve_checkpoint(tmp_path / "nope", None)
    with pytest.raises(ValueError, match="has no checkpoints"):
        resolve_checkpoint(tmp_path, None)


def cli(*args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"DS_ACCELERATOR": "cpu"}
    command = [sys.executable, "-m", "reasonrl.launch.cli", "export", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_cli_exports_and_reports_the_check(written: dict[str, Written], tmp_path: Path) -> None:
    out = tmp_path / "hf"
    done = cli(str(written["zero3-2rank-tied"].run), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"to {out} (float32" in done.stdout and "max abs logits difference 0" in done.stdout
    assert (out / "model.safetensors").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}"], "does not exist"),
        (["{run}", "--step", "5"], "no checkpoint 5"),
        (["{run}", "--dtype", "int8"], "unknown --dtype 'int8'"),
    ],
    ids=["no-run", "bad-step", "bad-dtype"],
)
def test_cli_bad_input_is_one_error_line(
    written: dict[str, Written], tmp_path: Path, args: list[str], message: str
) -> None:
    names = {"missing": str(tmp_path / "missing"), "run": str(written["zero0-2rank"].run)}
    done = cli(*[a.format(**names) for a in args], "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], done.stderr
    assert not (tmp_path / "out").exists()
