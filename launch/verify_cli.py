"""`reasonrl verify`: one verdict for a gold and a completion, or a JSON-lines file through the reward pool."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from .errors import user_errors

MODES = ("lenient", "strict")


def verify(
    gold: Annotated[str | None, typer.Option(help="the gold answer (LaTeX or plain text)")] = None,
    completion: Annotated[str | None, typer.Option(help="the model's completion")] = None,
    kind: Annotated[str | None, typer.Option(help="answer kind; detected from the gold when absent")] = None,
    mode: Annotated[
        str, typer.Option(help="lenient (fall back to the last math) or strict (anchor needed)")
    ] = "lenient",
    jsonl: Annotated[
        Path | None, typer.Option(help='a file of {"gold", "completion", "kind"?} lines, scored in the pool')
    ] = None,
    out: Annotated[Path | None, typer.Option(help="where --jsonl verdicts go (default: stdout)")] = None,
    workers: Annotated[int | None, typer.Option(help="pool processes (default: every core; 0: in-process)")] = None,
    timeout: Annotated[float, typer.Option(help="CPU seconds per item before it scores 0 as a timeout")] = 5.0,
    memory_mb: Annotated[int, typer.Option(help="address-space cap of each pool process")] = 2048,
) -> None:
    """Judge completions against gold answers; prints JSON verdicts (correct, score, extracted, reason)."""
    with user_errors():
        _check_args(gold, completion, kind, mode, jsonl, workers, timeout, memory_mb)
    if jsonl is None:
        from reasonrl.rewards.verify import verify as verify_one

        typer.echo(json.dumps(_verdict_dict(verify_one(gold, completion, kind=kind, mode=mode)), ensure_ascii=False))
        return
    with user_errors():
        _score_file(jsonl, out, kind, mode, workers, timeout, memory_mb)


def _check_args(
    gold: str | None,
    completion: str | None,
    kind: str | None,
    mode: str,
    jsonl: Path | None,
    workers: int | None,
    timeout: float,
    memory_mb: int,
) -> None:
    if jsonl is None and (gold is None or completion is None):
        raise ValueError("give --gold and --completion, or --jsonl FILE")
    if jsonl is not None and (gold is not None or completion is not None):
        raise ValueError("--jsonl cannot be combined with --gold/--completion")
    if jsonl is not None and not jsonl.is_file():
        raise ValueError(f"--jsonl {jsonl}: no such file")
    if mode not in MODES:
        raise ValueError(f"--mode {mode!r}: choose one of {', '.join(MODES)}")
    if kind is not None:
        from reasonrl.rewards.kinds import judge_kinds

        if kind not in judge_kinds():
            raise ValueError(f"--kind {kind!r} is unknown; choose one of {', '.join(judge_kinds())}")
    if workers is not None and workers < 0:
        raise ValueError(f"--workers {workers} must be >= 0")
    if timeout <= 0 or memory_mb <= 0:
        raise ValueError("--timeout and --memory-mb must be positive")


def _score_file(
    path: Path, out: Path | None, kind: str | None, mode: str, workers: int | None, timeout: float, memory_mb: int
) -> None:
    from tqdm import tqdm

    from reasonrl.rewards.pool import RewardPool

    total = _count_lines(path)
    counts: Counter[str] = Counter()
    start = time.monotonic()
    with _Output(out) as sink, RewardPool(workers, timeout, memory_mb) as pool:
        verdicts = pool.score_iter(_read_items(path, kind, mode))
        for verdict in tqdm(verdicts, total=total, unit="line", file=sys.stderr, disable=None):
            counts[verdict.reason] += 1
            sink.write(json.dumps(_verdict_dict(verdict), ensure_ascii=False) + "\n")
    _print_counts(counts, time.monotonic() - start, to_stderr=out is None)


def _read_items(path: Path, kind: str | None, mode: str) -> Iterator[Any]:
    """One ScoreItem per line, or None for a malformed one (the pool scores None as bad_input)."""
    with path.open("rb") as f:
        for raw in f:
            yield _parse_line(raw, kind, mode)


def _parse_line(raw: bytes, default_kind: str | None, mode: str) -> Any:
    from reasonrl.problems.types import Answer
    from reasonrl.rewards.pool import ScoreItem

    try:
        row = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(row, dict) or not isinstance(row.get("completion"), str):
        return None
    gold, kind = row.get("gold"), row.get("kind", default_kind)
    if isinstance(gold, (int, float)) and not isinstance(gold, bool):
        gold = str(gold)
    elif isinstance(gold, dict) and isinstance(gold.get("kind"), str) and isinstance(gold.get("value"), str):
        spec = gold.get("spec") or {}
        gold = Answer(gold["kind"], gold["value"], str(gold.get("latex", gold["value"])), spec)
    if not isinstance(gold, (str, Answer)) or not (kind is None or isinstance(kind, str)):
        return None
    return ScoreItem(gold, row["completion"], kind, mode)


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def _verdict_dict(v: Any) -> dict[str, Any]:
    return {"correct": v.correct, "score": v.score, "extracted": v.extracted, "reason": v.reason}


class _Output:
    """stdout, or a file written under a temporary name and renamed into place when complete."""

    def __init__(self, path: Path | None):
        self.path = path
        self.tmp = None if path is None else path.with_name(f".{path.name}.{os.getpid()}.tmp")

    def __enter__(self) -> Any:
        if self.tmp is None:
            return sys.stdout
        try:
            self.file = self.tmp.open("w", encoding="utf-8")
        except OSError as e:
            raise ValueError(f"--out {self.path}: {e.strerror}") from None
        return self.file

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if self.tmp is None:
            sys.stdout.flush()
            return
        self.file.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def _print_counts(counts: Counter[str], seconds: float, to_stderr: bool) -> None:
    n = sum(counts.values())
    typer.echo(f"scored {n} lines in {seconds:.2f} s ({n / max(seconds, 1e-9):.0f} lines/s)", err=to_stderr)
    for reason, count in counts.most_common():
        typer.echo(f"  {reason:<24} {count:>9}  {count / max(n, 1):6.1%}", err=to_stderr)
