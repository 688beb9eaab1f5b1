"""Problems as Hugging Face `datasets`: an IterableDataset view and parquet shards.

A row is the Problem flattened to a fixed schema (nested dicts as JSON strings), so
every family shares one parquet schema and `datasets.load_dataset("parquet", ...)`
reads an export back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .mixture import Mixture
from .registry import check_difficulty
from .stream import ProblemStream
from .types import Answer, Problem

COLUMNS = (
    "uid", "family", "difficulty", "prompt", "solution",
    "answer_kind", "answer_value", "answer_latex", "answer_spec", "meta", "version",
)  # fmt: skip
ROW_GROUP = 5_000


def problem_row(p: Problem) -> dict[str, Any]:
    return {
        "uid": p.uid,
        "family": p.family,
        "difficulty": p.difficulty,
        "prompt": p.prompt,
        "solution": p.solution,
        "answer_kind": p.answer.kind,
        "answer_value": p.answer.value,
        "answer_latex": p.answer.latex,
        "answer_spec": json.dumps(p.answer.spec, sort_keys=True),
        "meta": json.dumps(p.meta, sort_keys=True),
        "version": p.version,
    }


def row_problem(row: dict[str, Any]) -> Problem:
    return Problem(
        uid=row["uid"],
        family=row["family"],
        difficulty=row["difficulty"],
        prompt=row["prompt"],
        answer=Answer(row["answer_kind"], row["answer_value"], row["answer_latex"], json.loads(row["answer_spec"])),
        solution=row["solution"],
        meta=json.loads(row["meta"]),
        version=row["version"],
    )


def _rows(stream_kwargs: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for problem in ProblemStream(**stream_kwargs):
        yield problem_row(problem)


def iterable_dataset(**stream_kwargs: Any):
    """An endless `datasets.IterableDataset` over `ProblemStream(**stream_kwargs)`."""
    import datasets

    return datasets.IterableDataset.from_generator(_rows, gen_kwargs={"stream_kwargs": stream_kwargs})


@dataclass(frozen=True)
class ExportPlan:
    out: Path
    n: int
    mixture: Mixture
    difficulty: int
    seed: int
    shard_size: int

    def shards(self) -> list[tuple[int, int, int]]:
        """(shard number, first stream position, end position)."""
        return [(k, s, min(s + self.shard_size, self.n)) for k, s in enumerate(range(0, self.n, self.shard_size))]


def plan_export(
    out: str | Path, n: int, mixture: str, difficulty: int, seed: int, shard_size: int = 20_000
) -> ExportPlan:
    """Validate everything before any problem is generated or any file written."""
    out = Path(out)
    if n < 1:
        raise ValueError(f"--n {n} must be at least 1")
    check_difficulty(difficulty)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"output folder {out} exists and is not empty; choose a new --out or empty it")
    return ExportPlan(out, n, Mixture.parse(mixture), difficulty, seed, shard_size)


def _write_shard(plan: ExportPlan, shard: int, start: int, stop: int) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    stream = ProblemStream(dict(zip(plan.mixture.families, plan.mixture.weights)), plan.difficulty, seed=plan.seed)
    final = plan.out / f"part-{shard:05d}.parquet"
    tmp = final.with_suffix(".parquet.tmp")
    writer = None
    try:
        for lo in range(start, stop, ROW_GROUP):
            rows = [problem_row(stream.problem_at(i)) for i in range(lo, min(lo + ROW_GROUP, stop))]
            table = pa.Table.from_pylist(rows)
            writer = writer or pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    os.replace(tmp, final)
    return stop - start


def export_parquet(plan: ExportPlan, workers: int | None = None, progress: bool = True) -> int:
    """Write plan.n problems as parquet shards with every core; returns the count written.

    Shards are written under a temporary name and renamed when complete, so an
    interrupted export never leaves a truncated part that looks finished.
    """
    from tqdm import tqdm

    plan.out.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    written = 0
    with (
        ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool,
        tqdm(total=plan.n, unit="problem", disable=not progress, smoothing=0.1) as bar,
    ):
        futures = [pool.submit(_write_shard, plan, *shard) for shard in plan.shards()]
        for fut in as_completed(futures):
            count = fut.result()
            written += count
            bar.update(count)
    manifest = {
        "n": written,
        "difficulty": plan.difficulty,
        "seed": plan.seed,
        "mixture": dict(zip(plan.mixture.families, plan.mixture.weights)),
    }
    (plan.out / "export.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return written
