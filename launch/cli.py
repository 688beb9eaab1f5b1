"""The `reasonrl` command. Sub-commands live in their own modules and are added here."""

from __future__ import annotations

import typer

from .eval_cli import eval_cmd
from .export_cli import export
from .init_model_cli import init_model
from .plot_cli import plot
from .problems_cli import app as problems_app
from .sft_cli import sft
from .train_cli import train
from .verify_cli import verify

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Reinforcement learning for reasoning language models."
)
app.add_typer(problems_app, name="problems")
app.command("verify")(verify)
app.command("init-model")(init_model)
app.command("export")(export)
app.command("eval")(eval_cmd)
app.command("plot")(plot)
app.command("sft")(sft)
app.command("train")(train)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
