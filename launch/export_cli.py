"""`reasonrl export`: a run checkpoint as a Hugging Face model folder, checked by reloading it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reasonrl.trainer.checkpoint import CheckpointError, resolve_checkpoint

from .errors import fail, user_errors

DTYPES = ("float32", "bfloat16")  # checked here so a bad dtype fails before torch is imported


def export(
    run: Annotated[Path, typer.Argument(help="the run folder (holds checkpoints/STEP/)")],
    out: Annotated[Path, typer.Option("--out", help="a new or empty folder for the Hugging Face model")],
    step: Annotated[int | None, typer.Option(help="the checkpoint step; default: the newest that verifies")] = None,
    dtype: Annotated[str, typer.Option(help="float32 or bfloat16")] = "float32",
) -> None:
    """Export a checkpoint's weights, config and tokenizer, then reload them and compare logits."""
    with user_errors():
        if dtype not in DTYPES:
            raise ValueError(f"unknown --dtype {dtype!r}; choose one of {', '.join(DTYPES)}")
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise ValueError(f"--out {out} exists and is not an empty folder; choose a new or empty one")
        try:
            checkpoint = resolve_checkpoint(run, step)
        except CheckpointError as e:
            raise fail(str(e)) from None
    from transformers.utils import logging as hf_logging

    from reasonrl.trainer.export import export_checkpoint

    hf_logging.disable_progress_bar()
    result = export_checkpoint(checkpoint, out, dtype)
    typer.echo(
        f"exported {checkpoint} to {result.path} ({dtype}, {result.num_parameters:,} parameters); "
        f"reload check: max abs logits difference {result.max_abs_diff:.3g}"
    )
