"""`reasonrl init-model`: a fresh tokenizer + small Llama model in a folder, a starting point for tests and demos."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .errors import user_errors

SIZES = ("tiny", "small")  # checked here so a bad size fails before torch is imported


def init_model(
    out: Annotated[Path, typer.Option("--out", help="a new or empty folder for the model and tokenizer")],
    size: Annotated[str, typer.Option(help="tiny (~1M parameters) or small (~14M)")] = "tiny",
    seed: Annotated[int, typer.Option(help="seed of the weight initialisation")] = 0,
) -> None:
    """Train a tokenizer on generated problems and save it with a randomly initialised Llama model."""
    with user_errors():
        if size not in SIZES:
            raise ValueError(f"unknown model size {size!r}; choose one of {', '.join(SIZES)}")
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise ValueError(f"--out {out} exists and is not an empty folder; choose a new or empty one")
    start = time.perf_counter()
    from transformers.utils import logging as hf_logging

    from reasonrl.launch.tiny_model import init_model as build_and_save
    from reasonrl.launch.tiny_model import param_count

    hf_logging.disable_progress_bar()
    model, tokenizer = build_and_save(out, size=size, seed=seed)
    files = ", ".join(sorted(p.name for p in out.iterdir()))
    typer.echo(
        f"{size} Llama model: {param_count(model):,} parameters, vocabulary {len(tokenizer):,}, seed {seed}; "
        f"wrote {out} ({files}) in {time.perf_counter() - start:.1f} s"
    )
