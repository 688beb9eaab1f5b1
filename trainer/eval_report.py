"""How an `EvalResult` is shown (a rich table) and kept (a JSON file written atomically)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rich.table import Table

from .evaluation import EvalMetrics, EvalResult


def _percent(x: float) -> str:
    return f"{100 * x:.1f}%"


def _cells(metrics: EvalMetrics) -> list[str]:
    return [
        str(metrics.problems),
        str(metrics.samples),
        _percent(metrics.pass_at_1),
        _percent(metrics.pass_at_k),
        _percent(metrics.maj_at_k),
    ]


def render_table(result: EvalResult) -> Table:
    """One row per (family, difficulty), then an `all` row over every problem."""
    table = Table(title=f"held-out evaluation (n={result.n}, k={result.k})")
    table.add_column("family")
    table.add_column("difficulty", justify="right")
    for name in ("problems", "samples", "pass@1", f"pass@{result.k}", f"maj@{result.k}"):
        table.add_column(name, justify="right")
    groups = result.by_group()
    for i, ((family, difficulty), metrics) in enumerate(groups.items()):
        table.add_row(family, str(difficulty), *_cells(metrics), end_section=i == len(groups) - 1)
    table.add_row("all", "", *_cells(result.overall), style="bold")
    return table


def write_json(result: EvalResult, path: str | Path) -> Path:
    """Written beside `path` and renamed into place, so a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(result.to_dict(), f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
