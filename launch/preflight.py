"""Checks before a run spends compute: library versions known to break it, and a grader self-check.

The self-check scores each family's own gold answers and worked solutions: if the grader rejects
them, every reward the run computes for those families is suspect.
"""

from __future__ import annotations

import importlib.metadata as metadata
import platform
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from packaging.requirements import Requirement
from packaging.version import Version
from rich.console import Console
from rich.table import Table

from reasonrl.problems.formats import check_format, final_line
from reasonrl.problems.generate import generate
from reasonrl.problems.registry import check_difficulty, get_family
from reasonrl.problems.types import Problem
from reasonrl.rewards import verify

PACKAGES = ("torch", "deepspeed", "ray", "transformers", "vllm")
REQUIRED = ("torch", "deepspeed", "ray", "transformers")
VLLM_TORCH = "vllm_torch_pin"  # the torch requirement vllm's metadata declares, e.g. "==2.8.0"
MAX_LISTED_FAILURES = 10

Versions = dict[str, str | None]


class KnownBad(NamedTuple):
    """A known-incompatible combination: `applies(versions)`, and a message formatted with the versions."""

    applies: Callable[[Versions], bool]
    message: str


def _below(name: str, minimum: str) -> Callable[[Versions], bool]:
    return lambda v: v.get(name) is not None and Version(v[name]) < Version(minimum)


def _torch_outside_vllm_pin(v: Versions) -> bool:
    pin = v.get(VLLM_TORCH)
    if v.get("vllm") is None or v.get("torch") is None or not pin:
        return False
    return not Requirement(f"torch{pin}").specifier.contains(Version(v["torch"]), prereleases=True)


KNOWN_BAD: list[KnownBad] = [
    KnownBad(_below("python", "3.10"), "python {python} is too old; reasonrl needs python >= 3.10"),
    KnownBad(
        _below("transformers", "5.0"),
        "transformers {transformers} is installed; reasonrl needs transformers >= 5 (packed sequence masks)",
    ),
    KnownBad(
        _below("deepspeed", "0.19"),
        "deepspeed {deepspeed} is installed; reasonrl needs deepspeed >= 0.19 (caller-owned gradient accumulation)",
    ),
    KnownBad(_below("ray", "2.40"), "ray {ray} is installed; reasonrl needs ray >= 2.40"),
    KnownBad(
        _torch_outside_vllm_pin,
        "vllm {vllm} requires torch{vllm_torch_pin} but torch {torch} is installed; vllm will fail to load its "
        "kernels: install the torch it pins (pip install 'torch{vllm_torch_pin}') or a vllm built for torch {torch}",
    ),
]


def versions() -> Versions:
    """Installed versions read from package metadata (importing vllm would initialise CUDA)."""
    found: Versions = {name: _installed(name) for name in PACKAGES}
    found["python"] = platform.python_version()
    found[VLLM_TORCH] = _vllm_torch_pin() if found["vllm"] else None
    return found


def incompatibilities(v: Versions) -> list[str]:
    missing = [f"{name} is not installed; reasonrl needs it" for name in REQUIRED if v.get(name) is None]
    return missing + [bad.message.format_map(v) for bad in KNOWN_BAD if bad.applies(v)]


class SelfCheckFailure(NamedTuple):
    uid: str
    what: str  # "gold" or "solution"
    reason: str


@dataclass
class SelfCheck:
    checked: int = 0
    failures: list[SelfCheckFailure] = field(default_factory=list)


class PreflightError(ValueError):
    """A ValueError, so the CLI reports it as one line (exit 2) before any model is loaded."""


def check_problems(problems: Iterable[Problem], answer_format: str = "boxed") -> SelfCheck:
    """Score each problem's gold answer, written as the format's final line, and its worked solution."""
    check_format(answer_format)
    result = SelfCheck()
    for problem in problems:
        texts = [("gold", final_line(answer_format, problem.answer.latex))]
        if problem.solution:
            texts.append(("solution", problem.solution))
        for what, text in texts:
            verdict = verify(problem.answer, text)
            result.checked += 1
            if not verdict.correct:
                detail = f"{verdict.reason}, extracted {verdict.extracted!r} vs gold {problem.answer.value!r}"
                result.failures.append(SelfCheckFailure(problem.uid, what, detail))
    return result


def grader_selfcheck(
    families: list[str], difficulty: int, per_family: int = 4, seed: int = 0, answer_format: str = "boxed"
) -> SelfCheck:
    check_difficulty(difficulty)
    check_format(answer_format)
    if per_family < 1:
        raise ValueError(f"per_family {per_family} must be >= 1")
    for name in families:
        get_family(name)
    problems = (
        generate(name, seed, index, difficulty, answer_format=answer_format)
        for name in families
        for index in range(per_family)
    )
    return check_problems(problems, answer_format)


def run_preflight(
    families: list[str], difficulty: int, console: Console, answer_format: str = "boxed", per_family: int = 4
) -> SelfCheck:
    """Print versions, warnings and the self-check; raise PreflightError if the grader fails its own gold."""
    found = versions()
    table = Table(title="reasonrl preflight")
    table.add_column("package")
    table.add_column("version")
    for name, version in found.items():
        if name != VLLM_TORCH or version:
            table.add_row(name, version or "not installed")
    console.print(table)
    for warning in incompatibilities(found):
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    check = grader_selfcheck(families, difficulty, per_family=per_family, answer_format=answer_format)
    ok = check.checked - len(check.failures)
    console.print(f"grader self-check: {ok}/{check.checked} gold answers and worked solutions score correct")
    if check.failures:
        raise PreflightError(failure_message(check))
    return check


def failure_message(check: SelfCheck) -> str:
    listed = "; ".join(f"{f.uid} ({f.what}): {f.reason}" for f in check.failures[:MAX_LISTED_FAILURES])
    more = len(check.failures) - MAX_LISTED_FAILURES
    if more > 0:
        listed += f"; and {more} more"
    return f"the grader cannot score its own gold answers: {listed}; the run would learn from a wrong reward"


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _vllm_torch_pin() -> str | None:
    for line in metadata.requires("vllm") or []:
        req = Requirement(line)
        if req.name == "torch" and (req.marker is None or req.marker.evaluate({"extra": ""})):
            return str(req.specifier) or None
    return None
