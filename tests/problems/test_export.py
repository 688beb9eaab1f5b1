"""Parquet export and the datasets views, through the real CLI in a subprocess."""

import json
import subprocess
import sys

import datasets
import pytest

from reasonrl.problems.export import iterable_dataset, row_problem
from reasonrl.problems.stream import ProblemStream

CLI = [sys.executable, "-m", "reasonrl.launch.cli"]


def test_export_writes_parquet_that_datasets_reads_back(tmp_path):
    out = tmp_path / "ds"
    run = subprocess.run(
        [*CLI, "problems", "export", "--n", "700", "--out", str(out), "--difficulty", "4", "--seed", "5", "--workers", "2"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["export.json", "part-00000.parquet"]
    ds = datasets.load_dataset(str(out), split="train")
    assert len(ds) == 700
    expected = ProblemStream("default", difficulty=4, seed=5).take(700)
    assert [row_problem(r) for r in ds] == expected
    assert json.loads((out / "export.json").read_text())["n"] == 700


def test_export_splits_into_shards_in_stream_order(tmp_path):
    from reasonrl.problems.export import export_parquet, plan_export

    plan = plan_export(tmp_path / "s", 45, "algebra", 2, 1, shard_size=20)
    assert export_parquet(plan, workers=2, progress=False) == 45
    parts = sorted((tmp_path / "s").glob("part-*.parquet"))
    assert len(parts) == 3
    ds = datasets.load_dataset("parquet", data_files=[str(p) for p in parts], split="train")
    assert [r["uid"] for r in ds] == [p.uid for p in ProblemStream("algebra", difficulty=2, seed=1).take(45)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--n", "5", "--mixture", "quadratic:-2"], "mixture weight for 'quadratic' is -2.0"),
        (["--n", "5", "--mixture", "quadratic:0"], "all zero"),
        (["--n", "5", "--mixture", "nope:1"], "unknown problem family 'nope'; choose one of"),
        (["--n", "5", "--difficulty", "11"], "difficulty 11 is out of range; choose an integer 1..10"),
        (["--n", "0"], "--n 0 must be at least 1"),
    ],
)
def test_bad_export_arguments_fail_in_one_line_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "never"
    run = subprocess.run([*CLI, "problems", "export", "--out", str(out), *args], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [f"error: {run.stderr.strip()[7:]}"]
    assert message in run.stderr
    assert not out.exists()


def test_existing_non_empty_output_folder_is_refused_and_kept(tmp_path):
    out = tmp_path / "full"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    run = subprocess.run([*CLI, "problems", "export", "--n", "5", "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 2 and "exists and is not empty" in run.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_iterable_dataset_view_matches_the_stream():
    ds = iterable_dataset(mixture="default", difficulty=2, seed=3)
    assert isinstance(ds, datasets.IterableDataset)
    rows = [row for _, row in zip(range(12), ds)]
    assert [row_problem(r) for r in rows] == ProblemStream("default", difficulty=2, seed=3).take(12)
