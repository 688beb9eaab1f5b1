"""`reasonrl problems list | sample | export`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from reasonrl.problems import all_families, generate, get_family
from reasonrl.problems.export import export_parquet, plan_export
from reasonrl.problems.formats import check_format
from reasonrl.problems.registry import MAX_DIFFICULTY, MIN_DIFFICULTY, check_difficulty

from .errors import user_errors

app = typer.Typer(no_args_is_help=True, help="Generate verifiable problems.")

Difficulty = Annotated[int, typer.Option("--difficulty", "-d", help=f"{MIN_DIFFICULTY}..{MAX_DIFFICULTY}")]


@app.command("list")
def list_families() -> None:
    """The families with their answer kind and difficulty range."""
    from rich.console import Console
    from rich.table import Table

    table = Table("family", "category", "answer kind", "difficulty", "description")
    for f in all_families():
        table.add_row(f.name, f.category, f.kind, f"{MIN_DIFFICULTY}-{MAX_DIFFICULTY}", f.description)
    Console().print(table)


@app.command()
def sample(
    family: Annotated[str, typer.Argument(help="a family name, or 'all' for one of each")],
    difficulty: Difficulty = 3,
    n: Annotated[int, typer.Option("-n", help="how many problems")] = 3,
    seed: int = 0,
    answer_format: Annotated[str, typer.Option(help="boxed, answer_tags or answer_line")] = "boxed",
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines")] = False,
) -> None:
    """Print problems of one family."""
    with user_errors():
        names = [f.name for f in all_families()] if family == "all" else [get_family(family).name]
        check_difficulty(difficulty)
        check_format(answer_format)
        if n < 1:
            raise ValueError(f"-n {n} must be at least 1")
    for p in (generate(name, seed, i, difficulty, answer_format=answer_format) for name in names for i in range(n)):
        if as_json:
            typer.echo(json.dumps(p.to_dict(), ensure_ascii=False))
        else:
            typer.echo(f"--- {p.uid}  [{p.answer.kind}: {p.answer.value}]\n{p.prompt}\n\n{p.solution}\n")


@app.command()
def export(
    n: Annotated[int, typer.Option("--n", help="how many problems")],
    out: Annotated[Path, typer.Option("--out", help="a new or empty folder for the parquet shards")],
    mixture: Annotated[str, typer.Option(help="default, a category, 'fam:w,fam:w', or a YAML/JSON file")] = "default",
    difficulty: Difficulty = 3,
    seed: int = 0,
    workers: Annotated[int, typer.Option(help="processes; 0 = every core")] = 0,
) -> None:
    """Write problems as parquet shards (read them back with datasets.load_dataset(OUT))."""
    with user_errors():
        plan = plan_export(out, n, mixture, difficulty, seed)
    written = export_parquet(plan, workers=workers or None)
    typer.echo(f"wrote {written} problems to {out}")
