"""PNG plots of a run from its metrics.jsonl: reward, per-family solve rate, evaluation accuracy.

Figures are drawn on matplotlib's Agg canvas directly (no pyplot), so plotting never needs a
display and never changes the backend of a process that embeds the trainer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reasonrl.trainer.run_log import METRICS_FILE, read_metrics

SOLVE_RATE = re.compile(r"^solve_rate/([^/]+)$")
EVAL_OVERALL = re.compile(r"^eval/(pass|maj)@\d+$")
EVAL_FAMILY = re.compile(r"^eval/([^/]+)/pass@1$")
Series = dict[str, tuple[list[int], list[float]]]


def plot_run(run_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """Write reward.png, solve_rate.png and eval_accuracy.png (default folder: RUN/plots); return their paths."""
    run_dir = Path(run_dir)
    if not (run_dir / METRICS_FILE).is_file():
        raise ValueError(f"{run_dir} has no {METRICS_FILE}; give a run folder (runs/NAME) that has logged steps")
    rows = read_metrics(run_dir)
    if not rows:
        raise ValueError(f"{run_dir / METRICS_FILE} has no logged steps yet; plot again after the first step")
    out_dir = Path(out_dir) if out_dir is not None else run_dir / "plots"
    out_dir.mkdir(parents=True, exist_ok=True)
    plots: list[tuple[str, Callable[[Axes, list[dict]], None]]] = [
        ("reward.png", _draw_reward),
        ("solve_rate.png", _draw_solve_rate),
        ("eval_accuracy.png", _draw_eval),
    ]
    paths = []
    for name, draw in plots:
        fig = Figure(figsize=(8, 4.5), layout="constrained")
        ax = fig.add_subplot()
        draw(ax, rows)
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
        path = out_dir / name
        fig.savefig(path, dpi=110)
        paths.append(path)
    return paths


def series(rows: list[dict], keys: Callable[[str], str | None]) -> Series:
    """(steps, values) per label, where `keys` maps a metric key to its label (None: not plotted); nulls skipped."""
    out: Series = {}
    for row in rows:
        for key, value in row.items():
            label = keys(key)
            if label is None or value is None:
                continue
            steps, values = out.setdefault(label, ([], []))
            steps.append(row["step"])
            values.append(float(value))
    return dict(sorted(out.items()))


def rolling_mean(values: list[float], window: int) -> list[float]:
    """Trailing mean, so the smoothed curve at a step only uses steps up to it."""
    out, total = [], 0.0
    for i, value in enumerate(values):
        total += value
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def _draw_reward(ax: Axes, rows: list[dict]) -> None:
    data = series(rows, lambda k: "reward" if k == "reward/mean" else None)
    ax.set_title("batch reward")
    if not data:
        _empty(ax, "reward/mean")
        return
    steps, values = data["reward"]
    window = max(2, len(values) // 20)
    ax.plot(steps, values, alpha=0.35, label="reward/mean")
    ax.plot(steps, rolling_mean(values, window), linewidth=2, label=f"rolling mean ({window} steps)")
    ax.set_ylabel("reward")
    ax.legend(loc="best")


def _draw_solve_rate(ax: Axes, rows: list[dict]) -> None:
    data = series(rows, lambda k: m.group(1) if (m := SOLVE_RATE.match(k)) else None)
    ax.set_title("training solve rate by family")
    if not data:
        _empty(ax, "solve_rate/<family>")
        return
    for family, (steps, values) in data.items():
        ax.plot(steps, values, label=family)
    ax.set_ylabel("solve rate")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="best", fontsize="small", ncol=max(1, len(data) // 12))


def _draw_eval(ax: Axes, rows: list[dict]) -> None:
    overall = series(rows, lambda k: k.removeprefix("eval/") if EVAL_OVERALL.match(k) else None)
    family = series(rows, lambda k: f"{m.group(1)} pass@1" if (m := EVAL_FAMILY.match(k)) else None)
    ax.set_title("held-out evaluation accuracy")
    if not overall and not family:
        _empty(ax, "eval/pass@1")
        return
    for label, (steps, values) in sorted(overall.items(), key=_eval_order):
        ax.plot(steps, values, marker="o", linewidth=2, label=label)
    for label, (steps, values) in family.items():
        ax.plot(steps, values, linestyle="--", linewidth=1, alpha=0.8, label=label)
    ax.set_ylabel("accuracy")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="best", fontsize="small", ncol=max(1, (len(overall) + len(family)) // 12))


def _eval_order(item: tuple[str, object]) -> tuple[bool, int]:
    """pass@1, pass@k..., then maj@k..., the order a reader compares them in."""
    kind, k = item[0].split("@")
    return kind != "pass", int(k)


def _empty(ax: Axes, key: str) -> None:
    """An explicit note instead of a missing file, so every run has the same three plots."""
    ax.text(0.5, 0.5, f"no {key} metrics logged yet", ha="center", va="center", transform=ax.transAxes)
