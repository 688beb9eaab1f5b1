"""The live view of a run: a rich progress bar on a terminal, one plain line per step elsewhere.

Plain lines keep CI and SLURM logs readable, where a redrawn bar would leave control codes.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

REWARD, EVAL = "reward/mean", "eval/pass@1"
GEN_TOKENS, TRAIN_TOKENS = "tokens_per_s/generate", "tokens_per_s/train"


class RunProgress:
    def __init__(self, total: int, start_step: int = 0, console: Console | None = None, enabled: bool = True):
        """`start_step` is where a resumed run begins, so the ETA counts only steps taken in this process."""
        if total < 1 or not 0 <= start_step <= total:
            raise ValueError(f"progress needs total >= 1 and 0 <= start_step <= total (got {total}, {start_step})")
        self.total, self.start_step = total, start_step
        self.console = console or Console()
        self.live = enabled and self.console.is_terminal
        self._eval: float | None = None
        self._started = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> RunProgress:
        self._started = time.monotonic()
        if self.live:
            self._progress = Progress(
                TextColumn("step {task.completed}/{task.total}"),
                BarColumn(),
                TextColumn("reward {task.fields[reward]}"),
                TextColumn("eval {task.fields[eval]}"),
                TextColumn("{task.fields[tokens]}"),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                console=self.console,
            )
            self._progress.start()
            self._task = self._progress.add_task(
                "train", total=self.total, completed=self.start_step, reward="-", eval="-", tokens=""
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def update(self, step: int, metrics: dict[str, Any]) -> None:
        """`step` counts completed steps (1 after the first); `metrics` is that step's flat metrics dict."""
        if metrics.get(EVAL) is not None:
            self._eval = float(metrics[EVAL])
        reward = _fmt(metrics.get(REWARD), "{:.2f}")
        eval_text = "-" if self._eval is None else f"{self._eval:.1%}"
        tokens = " ".join(
            f"{label} {value:.0f} tok/s"
            for label, value in (("gen", metrics.get(GEN_TOKENS)), ("train", metrics.get(TRAIN_TOKENS)))
            if value is not None
        )
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=step, reward=reward, eval=eval_text, tokens=tokens)
            return
        parts = [f"step {step}/{self.total}", f"reward {reward}"]
        if self._eval is not None:
            parts.append(f"eval {eval_text}")
        if tokens:
            parts.append(tokens)
        parts.append(self._times(step))
        self.console.print(" ".join(parts), markup=False, highlight=False, soft_wrap=True)

    def _times(self, step: int) -> str:
        elapsed = time.monotonic() - self._started
        done = step - self.start_step
        eta = "-" if done <= 0 else _clock(elapsed / done * max(self.total - step, 0))
        return f"elapsed {_clock(elapsed)} eta {eta}"


def _fmt(value: Any, pattern: str) -> str:
    return "-" if value is None else pattern.format(float(value))


def _clock(seconds: float) -> str:
    return str(timedelta(seconds=round(seconds)))
