"""`reasonrl verify` end to end, in a subprocess as a user runs it."""

import json
import subprocess
import sys

CLI = [sys.executable, "-m", "reasonrl.launch.cli", "verify"]


def run(*args):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_one_verdict_is_printed_as_json():
    out = run("--gold", "12", "--completion", "Adding them gives \\boxed{12}.")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"correct": True, "score": 1.0, "extracted": "12", "reason": "correct"}


def test_the_default_mode_is_lenient():
    assert json.loads(run("--gold", "12", "--completion", "12").stdout)["reason"] == "correct"
    strict = json.loads(run("--gold", "12", "--completion", "12", "--mode", "strict").stdout)
    assert (strict["correct"], strict["reason"]) == (False, "no_answer")


LINES = [
    json.dumps({"gold": "7", "completion": "so \\boxed{7}"}),
    json.dumps({"gold": "7", "completion": "so \\boxed{8}"}),
    "{not json",
    json.dumps(["gold", "completion"]),
    json.dumps({"gold": "7"}),
    "",
    json.dumps({"gold": {"kind": "number", "value": "5", "latex": "5", "spec": {}}, "completion": "\\boxed{5}"}),
    json.dumps({"gold": 42, "completion": "The answer is \\boxed{42}", "id": "extra keys are ignored"}),
]
REASONS = ["correct", "wrong", "bad_input", "bad_input", "bad_input", "bad_input", "correct", "correct"]


def test_a_jsonl_file_is_scored_in_order_and_bad_lines_do_not_stop_it(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(LINES) + "\n")
    out = run("--jsonl", str(src), "--out", str(dst), "--workers", "2")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in dst.read_text().splitlines()]
    assert [r["reason"] for r in rows] == REASONS
    assert set(rows[0]) == {"correct", "score", "extracted", "reason"}
    assert "scored 8 lines" in out.stdout
    assert any(line.split()[:2] == ["bad_input", "4"] for line in out.stdout.splitlines())
    assert not list(tmp_path.glob(".*.tmp"))


def test_without_out_the_verdicts_go_to_stdout_in_process(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(LINES))  # no final newline
    out = run("--jsonl", str(src), "--workers", "0", "--mode", "strict")
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["reason"] for line in out.stdout.splitlines()] == REASONS
    assert "scored 8 lines" in out.stderr


def test_bad_arguments_are_one_line_errors(tmp_path):
    cases = [
        ((), "give --gold and --completion, or --jsonl FILE"),
        (("--jsonl", str(tmp_path / "missing.jsonl")), "no such file"),
        (("--jsonl", str(tmp_path), "--gold", "1"), "cannot be combined"),
        (("--gold", "1", "--completion", "1", "--mode", "loose"), "choose one of lenient, strict"),
        (("--gold", "1", "--completion", "1", "--kind", "numbr"), "--kind 'numbr' is unknown"),
        (("--gold", "1", "--completion", "1", "--workers", "-1"), "--workers -1"),
    ]
    for args, message in cases:
        out = run(*args)
        assert out.returncode == 2, (args, out.stderr)
        assert out.stderr.startswith("error: ") and message in out.stderr and len(out.stderr.splitlines()) == 1
