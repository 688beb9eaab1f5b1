"""Preflight: versions from metadata, the known-bad table, and the grader scoring its own gold answers."""

from __future__ import annotations

import dataclasses
import platform
from io import StringIO

import pytest
from rich.console import Console

from reasonrl.launch.preflight import (
    PreflightError,
    check_problems,
    failure_message,
    grader_selfcheck,
    incompatibilities,
    run_preflight,
    versions,
)
from reasonrl.problems.generate import generate

FAMILIES = ["gcd_lcm", "quadratic", "derivative", "linear_system", "base_conversion"]
GOOD = {
    "torch": "2.13.0+cpu",
    "deepspeed": "0.19.8",
    "ray": "2.60.0",
    "transformers": "5.23.0",
    "vllm": None,
    "python": "3.11.7",
    "vllm_torch_pin": None,
}


def test_versions_reads_installed_packages() -> None:
    found = versions()
    assert found["torch"] is not None and found["torch"].startswith("2.")
    assert found["python"] == platform.python_version()
    assert set(found) >= {"torch", "deepspeed", "ray", "transformers", "vllm", "python"}


def test_incompatibilities_on_fake_versions() -> None:
    assert incompatibilities(GOOD) == []
    old = incompatibilities({**GOOD, "transformers": "4.57.1", "deepspeed": "0.18.2"})
    assert len(old) == 2 and "transformers >= 5" in old[0] and "deepspeed >= 0.19" in old[1]
    pinned = {**GOOD, "vllm": "0.11.0", "vllm_torch_pin": "==2.8.0"}
    assert incompatibilities({**pinned, "torch": "2.8.0+cu128"}) == []
    (message,) = incompatibilities(pinned)
    assert "vllm 0.11.0 requires torch==2.8.0 but torch 2.13.0+cpu is installed" in message
    assert incompatibilities({**GOOD, "ray": None}) == ["ray is not installed; reasonrl needs it"]


def test_grader_selfcheck_passes_on_real_families() -> None:
    check = grader_selfcheck(FAMILIES, difficulty=3, per_family=3)
    assert check.failures == []
    assert check.checked == len(FAMILIES) * 3 * 2  # gold and worked solution of each problem


def test_a_broken_problem_is_reported() -> None:
    good = generate("gcd_lcm", 0, 0, 2)
    wrong = str(int(good.answer.value) + 1)
    broken = dataclasses.replace(
        good, uid="broken/0", answer=dataclasses.replace(good.answer, value=wrong, latex=wrong)
    )
    check = check_problems([good, broken])
    assert check.checked == 4
    assert [(f.uid, f.what) for f in check.failures] == [("broken/0", "solution")]
    assert check.failures[0].reason.startswith("wrong")
    assert failure_message(check) == (
        f"the grader cannot score its own gold answers: broken/0 (solution): {check.failures[0].reason}; "
        "the run would learn from a wrong reward"
    )


def test_run_preflight_prints_and_raises_on_bad_input() -> None:
    out = StringIO()
    check = run_preflight(FAMILIES[:2], 1, Console(file=out, width=100), per_family=1)
    assert check.checked == 4 and "grader self-check: 4/4" in out.getvalue() and "transformers" in out.getvalue()
    with pytest.raises(ValueError, match="unknown problem family 'nope'"):
        grader_selfcheck(["nope"], 1)
    with pytest.raises(ValueError, match="difficulty 11 is out of range"):
        grader_selfcheck(FAMILIES, 11)
    assert issubclass(PreflightError, ValueError)
