"""`reasonrl sft`: supervised warm-up on worked solutions, so RL starts from a model that earns some reward."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .errors import user_errors

DEFAULT_FAMILIES = "int_expression,modular,gcd_lcm"  # short worked solutions the tiny model learns in minutes


def _check(model: Path, out: Path, problems: int, steps: int, lr: float, batch_size: int) -> None:
    if not (model / "config.json").is_file():
        raise ValueError(f"--model {model} is not a model folder (no config.json); build one with reasonrl init-model")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"--out {out} exists and is not an empty folder; choose a new or empty one")
    for ok, message in [
        (problems >= 1, f"--problems {problems} must be at least 1"),
        (steps >= 1, f"--steps {steps} must be at least 1"),
        (lr > 0, f"--lr {lr} must be > 0"),
        (batch_size >= 1, f"--batch-size {batch_size} must be at least 1"),
    ]:
        if not ok:
            raise ValueError(message)


def sft(
    model: Annotated[Path, typer.Option("--model", help="the model folder to start from (e.g. from init-model)")],
    out: Annotated[Path, typer.Option("--out", help="a new or empty folder for the warmed-up model")],
    families: Annotated[str, typer.Option(help="comma-separated family names")] = DEFAULT_FAMILIES,
    difficulty: Annotated[int, typer.Option("--difficulty", "-d", help="difficulty of the training problems")] = 1,
    problems: Annotated[int, typer.Option(help="how many training problems")] = 2000,
    steps: Annotated[int, typer.Option(help="optimizer steps")] = 300,
    lr: Annotated[float, typer.Option(help="peak AdamW learning rate (warm-up, then cosine decay)")] = 1e-3,
    batch_size: Annotated[int, typer.Option(help="problems per step")] = 32,
    max_length: Annotated[int, typer.Option(help="longest prompt + solution in tokens")] = 256,
    seed: Annotated[int, typer.Option(help="seed of the problem stream, shuffling and initialisation")] = 0,
) -> None:
    """Train on prompt -> worked solution (loss on the solution only) and save model + tokenizer."""
    with user_errors():
        from reasonrl.problems.mixture import Mixture
        from reasonrl.problems.registry import check_difficulty

        names = [name.strip() for name in families.split(",") if name.strip()]
        if not names:
            raise ValueError("--families is empty; give comma-separated family names, e.g. int_expression,modular")
        mixture = Mixture.from_weights(dict.fromkeys(names, 1.0))
        check_difficulty(difficulty)
        _check(model, out, problems, steps, lr, batch_size)
    from transformers.utils import logging as hf_logging

    from reasonrl.problems.stream import ProblemStream
    from reasonrl.trainer.sft import sft as run_sft

    hf_logging.disable_progress_bar()
    train = ProblemStream(mixture, difficulty=difficulty, seed=seed, split="train").take(problems)
    with user_errors():
        result = run_sft(str(model), out, train, steps, lr=lr, batch_size=batch_size, seed=seed, max_length=max_length)
    typer.echo(
        f"sft: {steps} steps on {problems} problems ({', '.join(mixture.families)}, difficulty {difficulty}) "
        f"in {result.seconds:.1f} s; final loss {result.losses[-1]:.4f}; wrote {result.out_dir}"
    )
