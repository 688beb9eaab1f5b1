"""`reasonrl plot`: PNG plots of a run's metrics, for a quick look without TensorBoard or W&B."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .errors import user_errors


def plot(
    run: Annotated[Path, typer.Argument(help="the run folder (holds metrics.jsonl)")],
    out: Annotated[Path | None, typer.Option("--out", help="where the PNGs go (default: RUN/plots)")] = None,
) -> None:
    """Plot reward, per-family solve rate and evaluation accuracy over training steps."""
    with user_errors():
        if not (run / "metrics.jsonl").is_file():
            raise ValueError(f"{run} has no metrics.jsonl; give a run folder (runs/NAME) that has logged steps")
        from .plots import plot_run

        paths = plot_run(run, out)
    for path in paths:
        typer.echo(str(path))
