"""`reasonrl problems list | sample` as a user runs them."""

import json
import subprocess
import sys

from reasonrl.problems import all_families, generate

CLI = [sys.executable, "-m", "reasonrl.launch.cli"]


def run(*args):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})


def test_list_shows_every_family_with_its_kind():
    out = run("problems", "list")
    assert out.returncode == 0
    for f in all_families():
        line = next(line for line in out.stdout.splitlines() if f" {f.name} " in line)
        assert f.kind in line and "1-10" in line


def test_sample_json_lines_are_the_generated_problems():
    out = run("problems", "sample", "quadratic", "--difficulty", "6", "-n", "3", "--seed", "4", "--json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows == [generate("quadratic", 4, i, 6).to_dict() for i in range(3)]


def test_sample_errors_name_the_value_and_the_choices():
    bad_family = run("problems", "sample", "quadratik")
    assert bad_family.returncode == 2
    assert bad_family.stderr.startswith("error: unknown problem family 'quadratik'; choose one of ")
    assert "quadratic" in bad_family.stderr and len(bad_family.stderr.strip().splitlines()) == 1
    bad_level = run("problems", "sample", "quadratic", "--difficulty", "0")
    assert bad_level.returncode == 2 and "difficulty 0 is out of range; choose an integer 1..10" in bad_level.stderr
    bad_format = run("problems", "sample", "quadratic", "--answer-format", "latex")
    assert bad_format.returncode == 2 and "choose one of boxed, answer_tags, answer_line" in bad_format.stderr
