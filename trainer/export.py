"""Turns a run checkpoint (DeepSpeed `learner/` + `model/` configs) into a plain Hugging Face model folder.

The folder is built beside `out` and renamed into place only after a reload of it gives the same logits as the
weights read from the checkpoint, so a half-written or wrong export is never left at `out`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedModel

from .checkpoint import resolve_checkpoint
from .policy_module import PREFIX as POLICY_PREFIX

__all__ = [
    "ExportResult",
    "build_model",
    "export_checkpoint",
    "export_hf",
    "load_learner_state_dict",
    "max_logit_diff",
    "resolve_checkpoint",
]

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}
# Same-dtype models on the same CPU should agree bit for bit; the slack only absorbs kernel choice differences.
TOLERANCE = {"float32": 1e-5, "bfloat16": 1e-2}
TAG = "state"
CHECK_SHAPE = (2, 16)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    max_abs_diff: float
    num_parameters: int


def load_learner_state_dict(learner: Path) -> dict[str, torch.Tensor]:
    """Full fp32 weights from a DeepSpeed checkpoint of any ZeRO stage and rank count, named as in the bare
    model: without DeepSpeed's "module." prefix or the learner's scorer wrapper prefix."""
    state_dir = learner / TAG
    if not state_dir.is_dir():
        raise ValueError(f"{state_dir} is missing; the learner must save with tag={TAG!r}")
    if any(state_dir.glob("*optim_states.pt")):
        from deepspeed.utils.zero_to_fp32 import get_fp32_state_dict_from_zero_checkpoint

        state = get_fp32_state_dict_from_zero_checkpoint(str(learner), tag=TAG)
    else:
        state = _stage0_state_dict(state_dir)
    return {k.removeprefix("module.").removeprefix(POLICY_PREFIX): v for k, v in state.items()}


def _stage0_state_dict(state_dir: Path) -> dict[str, torch.Tensor]:
    """ZeRO-0 keeps no separate fp32 partitions: the module's own state dict is the full model."""
    file = state_dir / "mp_rank_00_model_states.pt"
    if not file.is_file():
        raise ValueError(f"{file} is missing; {state_dir} is not a DeepSpeed checkpoint")
    # The file also pickles DeepSpeed's config and optimizer objects, so weights_only cannot load it; it is our own.
    module = torch.load(file, map_location="cpu", weights_only=False)["module"]
    low = sorted({str(v.dtype) for v in module.values() if v.is_floating_point() and v.dtype != torch.float32})
    if low:
        raise ValueError(
            f"{file} holds {', '.join(low)} weights: ZeRO-0 with fp16 keeps fp32 masters only in the optimizer; "
            "train with ZeRO >= 1 or bf16 so the fp32 weights are saved"
        )
    return module


def build_model(model_dir: Path, state: dict[str, torch.Tensor], dtype: str = "float32") -> PreTrainedModel:
    """Loads strictly; the only keys allowed missing are parameters tied to one that is present.

    Built in the target dtype (not cast afterwards) so its buffers match what from_pretrained gives the reload.
    """
    config = AutoConfig.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_config(config, dtype=DTYPES[dtype])
    result = model.load_state_dict(state, strict=False)
    if result.unexpected_keys:
        raise ValueError(f"checkpoint has weights the model config does not: {sorted(result.unexpected_keys)[:5]}")
    missing = set(result.missing_keys) - _tied_to_present(model, set(state))
    if missing:
        raise ValueError(f"checkpoint lacks weights of the model: {sorted(missing)[:5]}")
    return model.eval()


def _tied_to_present(model: torch.nn.Module, present: set[str]) -> set[str]:
    by_tensor: dict[int, set[str]] = {}
    for name, param in model.named_parameters(remove_duplicate=False):
        by_tensor.setdefault(id(param), set()).add(name)
    return {n for names in by_tensor.values() if names & present for n in names}


@torch.no_grad()
def max_logit_diff(a: PreTrainedModel, b: PreTrainedModel) -> float:
    vocab = a.config.vocab_size
    ids = torch.randint(0, vocab, CHECK_SHAPE, generator=torch.Generator().manual_seed(0))
    return (a(input_ids=ids).logits.float() - b(input_ids=ids).logits.float()).abs().max().item()


def export_checkpoint(checkpoint: Path, out: Path, dtype: str = "float32") -> ExportResult:
    """Exports and checks; the result carries the logits difference of the check for the caller to report."""
    checkpoint, out = Path(checkpoint), Path(out)
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype!r} is not supported; choose one of {', '.join(DTYPES)}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"out {out} exists and is not an empty folder; choose a new or empty one")
    model_dir = checkpoint / "model"
    if not (model_dir / "config.json").is_file():
        raise ValueError(f"{model_dir}/config.json is missing; {checkpoint} is not a run checkpoint")
    model = build_model(model_dir, load_learner_state_dict(checkpoint / "learner"), dtype)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        model.save_pretrained(tmp)  # transformers 5 always writes model.safetensors
        for file in model_dir.iterdir():
            if file.is_file() and file.name != "config.json":
                shutil.copy2(file, tmp / file.name)
        reloaded = AutoModelForCausalLM.from_pretrained(tmp, dtype=DTYPES[dtype]).eval()
        diff = max_logit_diff(model, reloaded)
        if not diff <= TOLERANCE[dtype]:
            raise RuntimeError(
                f"export check failed: reloaded {tmp} differs from the checkpoint weights by {diff:.3g} "
                f"(allowed {TOLERANCE[dtype]:g} for {dtype})"
            )
        if out.exists():
            out.rmdir()
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ExportResult(path=out, max_abs_diff=diff, num_parameters=sum(p.numel() for p in model.parameters()))


def export_hf(checkpoint: Path, out: Path, dtype: str = "float32") -> Path:
    """Hugging Face folder (model.safetensors, config, generation config, tokenizer) for the checkpoint at `out`."""
    return export_checkpoint(checkpoint, out, dtype).path
