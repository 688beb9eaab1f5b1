"""Start-up checks of user golds: concrete kinds for "auto" answers, and unjudgeable golds named by line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reasonrl.problems import generate
from reasonrl.problems.sources import FileSource, SourceError, load_source
from reasonrl.rewards import verify
from reasonrl.rewards.gold_check import check_golds, check_source, resolve_kinds


def load(tmp_path: Path, answers: list, kinds: list | None = None):
    rows = [{"prompt": f"q{i}", "answer": a} for i, a in enumerate(answers)]
    for row, kind in zip(rows, kinds or []):
        row["kind"] = kind
    path = tmp_path / "golds.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return load_source(FileSource(str(path), kind_field="kind" if kinds else None))


def test_auto_kinds_are_resolved_to_judge_ready_answers(tmp_path):
    problems = load(tmp_path, ["3/4", "(1, 2)", "{1, 2}", "x**2 + 1", "x = 5", 12])
    resolved = resolve_kinds(problems)
    assert [p.answer.kind for p in resolved] == ["number", "tuple", "set", "expression", "number", "number"]
    assert resolved[4].answer.value == "5" and resolved[4].answer.latex == "x = 5"
    assert [p.uid for p in resolved] == [p.uid for p in problems]
    assert verify(resolved[3].answer, "so \\boxed{1 + x^2}").correct
    assert not verify(resolved[1].answer, "\\boxed{(2, 1)}").correct


def test_a_named_kind_is_kept_and_generated_problems_pass_through(tmp_path):
    named = resolve_kinds(load(tmp_path, ["2, 3"], kinds=["equation_solutions"]))[0]
    assert named.answer.kind == "equation_solutions" and verify(named.answer, "\\boxed{3, 2}").correct
    generated = generate("fractions", 0, 0, 2)
    assert resolve_kinds([generated]) == [generated]


def test_unjudgeable_golds_are_reported_with_their_lines(tmp_path):
    problems = load(tmp_path, ["1", "((", "2", "3 +", "4"], kinds=[None, None, None, None, "colour"])
    bad = check_golds(problems)
    assert [uid for uid, _ in bad] == ["golds:2", "golds:4", "golds:5"]
    assert "parse_error" in bad[0][1] and bad[2][1] == "unknown answer kind 'colour'"
    assert len(check_golds(problems, limit_report=1)) == 1
    with pytest.raises(SourceError) as err:
        check_source(problems, "problems.sources[0]")
    message = str(err.value)
    assert message.startswith("problems.sources[0]: the verifier cannot judge the answer on lines 2, 4, 5 (line 2: ")
    assert "kind_field" in message
    check_source([p for p in problems if p.uid in ("golds:1", "golds:3")], "ok")


def test_ten_thousand_number_golds_check_quickly(tmp_path):
    problems = load(tmp_path, [i * 7919 - 5_000_000 for i in range(10_000)])
    start = time.perf_counter()
    assert check_golds(problems) == []
    resolved = resolve_kinds(problems)
    elapsed = time.perf_counter() - start
    assert {p.answer.kind for p in resolved} == {"number"}
    assert elapsed < 3.0, f"checking 10k number golds took {elapsed:.2f}s"
