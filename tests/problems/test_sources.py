"""User data files as problem sources (JSONL, parquet, datasets folders) and their weighted mix with generated ones."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reasonrl.problems.mixed_stream import MixedStream
from reasonrl.problems.sources import FileSource, SourceError, load_source
from reasonrl.problems.stream import ProblemStream

ROWS = [
    {"prompt": "What is 1 + 2?", "answer": "3", "sys": "Be brief.", "kind": None},
    {"prompt": "Solve x^2 = 4.", "answer": "{-2, 2}", "sys": None, "kind": "set"},
    {"prompt": "Half of 1?", "answer": 0.5, "sys": None, "kind": None},
]


def write_jsonl(path: Path, rows: list, extra_lines: dict[int, str] | None = None) -> Path:
    lines = [json.dumps(r) for r in rows]
    for at, text in (extra_lines or {}).items():
        lines.insert(at - 1, text)
    path.write_text("\n".join(lines) + "\n")
    return path


def assert_rows_loaded(problems, path: Path, name: str) -> None:
    assert [p.uid for p in problems] == [f"{name}:1", f"{name}:2", f"{name}:3"]
    assert {p.family for p in problems} == {f"file:{name}"} and {p.difficulty for p in problems} == {1}
    assert [p.prompt for p in problems] == [r["prompt"] for r in ROWS]
    assert [p.answer.value for p in problems] == ["3", "{-2, 2}", "0.5"]
    assert [p.answer.kind for p in problems] == ["auto", "set", "auto"]
    assert [p.meta["system"] for p in problems] == ["Be brief.", None, None]
    assert problems[1].meta == {"source": str(path), "line": 2, "system": None}


def test_jsonl_parquet_and_datasets_folder_load_the_same_problems(tmp_path):
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    jsonl = write_jsonl(tmp_path / "mathq.jsonl", ROWS)
    parquet_rows = [{**r, "answer": str(r["answer"])} for r in ROWS]
    pq.write_table(pa.Table.from_pylist(parquet_rows), tmp_path / "mathq.parquet")
    datasets.Dataset.from_list(parquet_rows).save_to_disk(str(tmp_path / "mathq_ds"))
    for path, name in ((jsonl, "mathq"), (tmp_path / "mathq.parquet", "mathq"), (tmp_path / "mathq_ds", "mathq_ds")):
        problems = load_source(FileSource(str(path), system_field="sys", kind_field="kind"))
        assert_rows_loaded(problems, path, name)
    assert load_source(FileSource(str(jsonl)), name="mine")[0].uid == "mine:1"


def test_custom_field_names_and_number_golds(tmp_path):
    path = write_jsonl(tmp_path / "gsm.jsonl", [{"question": "2*21?", "final": 42}, {"question": "7/2?", "final": 3.5}])
    problems = load_source(FileSource(str(path), prompt_field="question", answer_field="final"))
    assert [(p.prompt, p.answer.value, p.answer.latex) for p in problems] == [
        ("2*21?", "42", "42"),
        ("7/2?", "3.5", "3.5"),
    ]


def test_missing_fields_and_bad_values_are_all_reported_with_line_numbers(tmp_path):
    rows = [{"prompt": f"q{i}", "answer": str(i)} for i in range(1, 31)]
    for i in (2, 5, 9):
        del rows[i - 1]["answer"]
    for i in range(11, 24):
        rows[i - 1]["prompt"] = ""
    rows[25]["answer"] = [1, 2]
    with pytest.raises(SourceError) as err:
        load_source(FileSource(str(write_jsonl(tmp_path / "d.jsonl", rows))), key="problems.sources[0]")
    message = str(err.value)
    assert message.startswith(f"{tmp_path / 'd.jsonl'}: ")
    assert "field 'answer' missing on lines 2, 5, 9;" in message
    assert "field 'prompt' empty on lines 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 and 3 more;" in message
    assert "field 'answer' not a string or number on line 26;" in message
    assert len(err.value.issues) == 3


def test_field_absent_everywhere_names_the_setting_and_the_fields_found(tmp_path):
    path = write_jsonl(tmp_path / "qa.jsonl", [{"q": "x?", "a": "1"}, {"q": "y?", "a": "2"}])
    with pytest.raises(
        SourceError,
        match=r"set problems\.sources\[0\]\.answer_field to the field that holds the answer; fields found: q, a",
    ):
        load_source(FileSource(str(path), prompt_field="q"), key="problems.sources[0]")
    with pytest.raises(SourceError, match=r"'sys' not found on any row; set source\.system_field"):
        load_source(FileSource(str(path), prompt_field="q", answer_field="a", system_field="sys"))


def test_parquet_missing_column_is_reported_before_reading_rows(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([{"q": "x?", "a": "1"}]), tmp_path / "qa.parquet")
    with pytest.raises(
        SourceError,
        match=r"column 'answer' not found; set s\.answer_field to the column that holds the answer; columns found: q, a",
    ):
        load_source(FileSource(str(tmp_path / "qa.parquet"), prompt_field="q"), key="s")


def test_malformed_json_line_is_reported_with_its_line_number(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", ROWS, extra_lines={3: '{"prompt": "broken", "answer": ', 5: "[1, 2]"})
    with pytest.raises(SourceError) as err:
        load_source(FileSource(str(path)))
    assert err.value.issues == [
        "malformed JSON on line 3; write one JSON object per line (JSONL)",
        "not a JSON object on line 5; write one JSON object per line (JSONL), not arrays or bare values",
    ]


def test_empty_file_missing_path_and_unknown_suffix_are_errors(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n\n")
    with pytest.raises(SourceError, match="no rows"):
        load_source(FileSource(str(tmp_path / "empty.jsonl")))
    with pytest.raises(SourceError, match="no such file"):
        load_source(FileSource(str(tmp_path / "nope.jsonl")))
    (tmp_path / "data.csv").write_text("prompt,answer\n")
    with pytest.raises(SourceError, match=r"set source\.format to jsonl, parquet or datasets"):
        load_source(FileSource(str(tmp_path / "data.csv")))
    (tmp_path / "array.json").write_text(json.dumps(ROWS, indent=2))
    with pytest.raises(SourceError, match="line 1 opens a JSON array; write one JSON object per line"):
        load_source(FileSource(str(tmp_path / "array.json")))
    with pytest.raises(ValueError, match="format"):
        FileSource("x.jsonl", format="csv")


def test_loading_a_jsonl_source_imports_no_heavy_library(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", ROWS)
    script = (
        "import sys\nfrom reasonrl.problems.sources import FileSource, load_source\n"
        f"load_source(FileSource({str(path)!r}))\n"
        "print(','.join(m for m in ('torch', 'ray', 'sympy', 'datasets', 'pyarrow') if m in sys.modules))"
    )
    assert (
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip() == ""
    )


def file_problems(tmp_path: Path, name: str, n: int):
    rows = [{"prompt": f"{name} q{i}", "answer": str(i)} for i in range(n)]
    return load_source(FileSource(str(write_jsonl(tmp_path / f"{name}.jsonl", rows))))


def test_mixed_stream_follows_weights_and_is_deterministic_by_seed(tmp_path):
    files = [("a", file_problems(tmp_path, "a", 50), 2.0), ("b", file_problems(tmp_path, "b", 30), 1.0)]

    def stream(seed):
        return MixedStream(ProblemStream("arithmetic", difficulty=1, seed=seed), files, generated_weight=1.0, seed=seed)

    drawn = stream(3).take(2000)
    counts = collections.Counter(p.family if p.family.startswith("file:") else "generated" for p in drawn)
    assert abs(counts["file:a"] / 2000 - 0.5) < 0.05
    assert abs(counts["file:b"] / 2000 - 0.25) < 0.05
    assert abs(counts["generated"] / 2000 - 0.25) < 0.05
    assert [p.uid for p in stream(3).take(200)] == [p.uid for p in drawn[:200]]
    assert [p.uid for p in stream(4).take(200)] != [p.uid for p in drawn[:200]]


def test_mixed_stream_cycles_each_file_once_per_epoch_in_a_new_order(tmp_path):
    problems = file_problems(tmp_path, "a", 40)
    drawn = [p.uid for p in MixedStream(None, [("a", problems, 1.0)], generated_weight=0, seed=1).take(120)]
    epochs = [drawn[0:40], drawn[40:80], drawn[80:120]]
    assert all(sorted(e) == sorted(p.uid for p in problems) for e in epochs)
    assert epochs[0] != epochs[1] != epochs[2] and epochs[0] != [p.uid for p in problems]


def test_mixed_stream_resumes_exactly_from_its_state(tmp_path):
    files = [("a", file_problems(tmp_path, "a", 7), 1.0), ("b", file_problems(tmp_path, "b", 5), 3.0)]

    def fresh():
        return MixedStream(ProblemStream("arithmetic", difficulty=2, seed=5), files, generated_weight=1.0, seed=5)

    first = fresh()
    first.take(10)
    state = json.loads(json.dumps(first.state_dict()))
    expected = [p.uid for p in first.take(10)]
    resumed = fresh()
    resumed.load_state_dict(state)
    assert [p.uid for p in resumed.take(10)] == expected and resumed.drawn == 20
    other = MixedStream(None, [("a", files[0][1][:6], 1.0), ("b", files[1][1], 3.0)], generated_weight=0, seed=5)
    with pytest.raises(ValueError, match="sources"):
        other.load_state_dict(state)


def test_mixed_stream_rejects_bad_weights(tmp_path):
    problems = file_problems(tmp_path, "a", 3)
    with pytest.raises(ValueError, match="all source weights are 0"):
        MixedStream(None, [("a", problems, 0.0)], generated_weight=0)
    with pytest.raises(ValueError, match="no generated stream; set it to 0"):
        MixedStream(None, [("a", problems, 1.0)])
    with pytest.raises(ValueError, match="weights must be finite numbers >= 0"):
        MixedStream(None, [("a", problems, -1.0)], generated_weight=0)
    with pytest.raises(ValueError, match="used once"):
        MixedStream(None, [("a", problems, 1.0), ("a", problems, 1.0)], generated_weight=0)
    only_b = MixedStream(None, [("a", problems, 0.0), ("b", file_problems(tmp_path, "b", 3), 1.0)], generated_weight=0)
    assert {p.family for p in only_b.take(50)} == {"file:b"}
