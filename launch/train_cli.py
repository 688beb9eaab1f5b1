"""`reasonrl train CONFIG [key.sub=value ...] [--resume] [--run-dir DIR]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .errors import user_errors


def train(
    config: Annotated[str, typer.Argument(help="a YAML file, or a shipped config name (debug-cpu, single-gpu, ...)")],
    overrides: Annotated[list[str] | None, typer.Argument(help="key.sub=value overrides of any config field")] = None,
    resume: Annotated[
        bool, typer.Option(help="continue the run in --run-dir from its newest valid checkpoint")
    ] = False,
    run_dir: Annotated[Path | None, typer.Option(help="run folder (default: logging.run_dir/logging.name)")] = None,
) -> None:
    """Train a policy with reinforcement learning on verifiable problems."""
    console = Console()
    with user_errors():
        from .config import load_config
        from .train import execute, prepare, run_dir_for

        cfg = load_config(config, overrides or [])
        prepared = prepare(cfg, run_dir or run_dir_for(cfg, Path(config).stem), resume=resume, console=console)
    result = execute(prepared, console)
    if result.exit_code:
        raise typer.Exit(result.exit_code)
    first, last = result.eval_accuracy()
    console.print(f"run folder: {result.run_dir}")
    console.print(f"exported model: {result.hf_dir}")
    console.print(f"plots: {', '.join(str(p) for p in result.plots)}")
    if first is not None and last is not None:
        console.print(f"eval_accuracy: {100 * first:.1f} -> {100 * last:.1f}")
