"""Where a run's numbers go: metrics.jsonl (the record of truth), TensorBoard, and optionally W&B.

metrics.jsonl is written line by line with an fsync, so a run killed at any moment keeps
every step it logged; TensorBoard and W&B are views of the same numbers.
"""

from __future__ import annotations

import json
import math
import os
import time
import uuid
from pathlib import Path
from typing import Any

METRICS_FILE = "metrics.jsonl"
SAMPLES_DIR = "samples"
TENSORBOARD_DIR = "tensorboard"
WANDB_ID_FILE = "wandb_id.txt"  # the W&B run id, kept so a resumed run continues the same W&B run
WANDB_MODES = ("online", "offline", "disabled")
SAMPLE_FIELDS = ("prompt", "completion", "reward", "correct", "extracted", "reason", "family", "difficulty")


class RunLogger:
    def __init__(
        self,
        run_dir: Path,
        tensorboard: bool = True,
        wandb: bool = False,
        wandb_project: str = "reasonrl",
        wandb_mode: str = "offline",
        config: dict | None = None,
        run_name: str | None = None,
        resume: bool = False,
    ):
        self.run_dir = Path(run_dir)
        self.metrics_path = self.run_dir / METRICS_FILE
        if wandb and wandb_mode not in WANDB_MODES:
            raise ValueError(f"logging.wandb_mode {wandb_mode!r} is unknown; choose one of {', '.join(WANDB_MODES)}")
        if not resume and self.metrics_path.exists() and self.metrics_path.stat().st_size > 0:
            raise ValueError(
                f"{self.metrics_path} already holds logged steps; resume the run or choose a new run folder"
            )
        wandb_module = _import_wandb() if wandb else None
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._tensorboard = tensorboard
        self._writer: Any = None
        self._purge_step: int | None = None
        self._file = self.metrics_path.open("a", encoding="utf-8")
        self._wandb_run: Any = None
        if wandb_module is not None:
            self._wandb_run = wandb_module.init(
                project=wandb_project,
                dir=str(self.run_dir),
                mode=wandb_mode,
                config=config,
                name=run_name,
                id=self._wandb_id(resume),
                resume="allow",
            )

    def log(self, step: int, metrics: dict[str, float]) -> None:
        values = {key: _as_float(key, value) for key, value in metrics.items()}
        row = {"step": int(step), "time": time.time(), **{k: _finite_or_none(v) for k, v in values.items()}}
        self._file.write(json.dumps(row, allow_nan=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        if self._tensorboard:
            writer = self._tensorboard_writer()
            for key, value in values.items():
                writer.add_scalar(key, value, global_step=step)
            writer.flush()
        if self._wandb_run is not None:
            self._wandb_run.log(values, step=step)

    def truncate_after(self, step: int) -> None:
        """Drop every logged step >= `step` (and a line cut short by a kill), so a resumed run never logs a step twice."""
        self._file.close()
        kept = [row for row in read_metrics(self.run_dir, missing_ok=True) if row["step"] < step]
        tmp = self.metrics_path.with_name(f".{METRICS_FILE}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(row, allow_nan=False) + "\n" for row in kept)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.metrics_path)
        self._file = self.metrics_path.open("a", encoding="utf-8")
        self._purge_step = step
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def write_samples(self, step: int, records: list[dict]) -> Path:
        for i, record in enumerate(records):
            missing = [f for f in SAMPLE_FIELDS if f not in record]
            if missing:
                raise ValueError(f"sample record {i} of step {step} lacks {missing}; each needs {list(SAMPLE_FIELDS)}")
        folder = self.run_dir / SAMPLES_DIR
        folder.mkdir(exist_ok=True)
        path = folder / f"{step:06d}.jsonl"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(_json_safe(record), ensure_ascii=False, allow_nan=False) + "\n")
        os.replace(tmp, path)
        return path

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._wandb_run is not None:
            self._wandb_run.finish()
            self._wandb_run = None

    def __enter__(self) -> RunLogger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tensorboard_writer(self) -> Any:
        """Opened on first use so a resume's purge step (events >= it are dropped) is known by then."""
        if self._writer is None:
            from torch.utils.tensorboard import SummaryWriter

            self._writer = SummaryWriter(str(self.run_dir / TENSORBOARD_DIR), purge_step=self._purge_step)
        return self._writer

    def _wandb_id(self, resume: bool) -> str:
        path = self.run_dir / WANDB_ID_FILE
        if resume and path.is_file():
            return path.read_text(encoding="utf-8").strip()
        run_id = uuid.uuid4().hex[:12]
        path.write_text(run_id + "\n", encoding="utf-8")
        return run_id


def read_metrics(run_dir: Path, missing_ok: bool = False) -> list[dict]:
    """Every logged step, in file order; a trailing line cut short by a kill is skipped."""
    path = Path(run_dir) / METRICS_FILE
    if not path.is_file():
        if missing_ok:
            return []
        raise FileNotFoundError(f"{run_dir} has no {METRICS_FILE}; is it a run folder (runs/NAME)?")
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            if number == len(lines):
                break
            raise ValueError(f"{path}:{number} is not valid JSON") from None
        rows.append(row)
    return rows


def _import_wandb() -> Any:
    try:
        import wandb
    except ImportError:
        raise ValueError(
            "logging.wandb is on but wandb is not installed; pip install wandb, or turn wandb off"
        ) from None
    return wandb


def _as_float(key: str, value: Any) -> float:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"metric {key!r} is a {type(value).__name__}, not a number")


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _json_safe(value: Any) -> Any:
    if isinstance(value, float):
        return _finite_or_none(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value
