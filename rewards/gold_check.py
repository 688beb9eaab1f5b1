"""Start-up checks of user gold answers: which golds the verifier cannot judge, and their concrete kinds.

A file row's gold is plain text with kind "auto" (or a kind the file names); the judges need
a concrete kind, value and spec, the same `detect_gold` gives a plain gold string at
scoring time. A gold is judgeable when a completion that boxes the gold itself is judged
correct: anything else would score every sample 0 and train on noise, so it is reported
before the run starts, with line numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from reasonrl.problems.sources import AUTO_KIND, FILE_FAMILY_PREFIX, SourceError, format_lines
from reasonrl.problems.types import Answer, Problem

from .detect import detect_gold
from .kinds import judge_kinds
from .kinds.fastnum import quick_number
from .verify import verify

_SHOWN_REASONS = 3


def resolve_answer(answer: Answer) -> Answer:
    """The judge-ready Answer of a file gold: kind detected when "auto", value and spec as `detect_gold` reads them."""
    if answer.kind in (AUTO_KIND, "number") and quick_number(answer.latex) is not None:
        return Answer("number", answer.latex, answer.latex)
    return detect_gold(answer.latex, None if answer.kind == AUTO_KIND else answer.kind)


def resolve_kinds(problems: Sequence[Problem]) -> list[Problem]:
    """File problems (family `file:*`) and any kind-"auto" problem with a concrete, judge-ready answer;
    generated problems pass through unchanged (their Answer is already canonical)."""
    return [dataclasses.replace(p, answer=resolve_answer(p.answer)) if _needs_resolving(p) else p for p in problems]


def check_golds(problems: Sequence[Problem], limit_report: int | None = 10) -> list[tuple[str, str]]:
    """(uid, reason) for each problem whose gold the verifier cannot judge, at most `limit_report` of them
    (None: all). Plain numbers skip the verifier and identical golds are judged once: 10k golds check in well
    under a second."""
    known = set(judge_kinds())
    seen: dict[tuple[str, str], str | None] = {}
    bad: list[tuple[str, str]] = []
    for p in problems:
        key = (p.answer.kind, p.answer.latex)
        if key not in seen:
            seen[key] = _unjudgeable(p, known)
        if (reason := seen[key]) is not None:
            bad.append((p.uid, reason))
            if limit_report is not None and len(bad) >= limit_report:
                break
    return bad


def check_source(problems: Sequence[Problem], source_label: str) -> None:
    """Raise SourceError naming the lines (meta["line"]) whose golds cannot be judged, before any training."""
    bad = check_golds(problems, limit_report=None)
    if not bad:
        return
    line_of = {p.uid: p.meta.get("line") for p in problems}
    lines = [line_of[uid] for uid, _ in bad]
    examples = "; ".join(f"line {line_of[uid]}: {reason}" for uid, reason in bad[:_SHOWN_REASONS])
    raise SourceError(
        source_label,
        [
            f"the verifier cannot judge the answer on {format_lines(lines)} ({examples}); "
            "fix those answers, or name each answer's kind in a kind column (kind_field) "
            f"with one of {', '.join(sorted(judge_kinds()))}"
        ],
    )


def _needs_resolving(p: Problem) -> bool:
    return p.answer.kind == AUTO_KIND or p.family.startswith(FILE_FAMILY_PREFIX)


def _unjudgeable(problem: Problem, known: set[str]) -> str | None:
    gold = problem.answer.latex
    if problem.answer.kind != AUTO_KIND and problem.answer.kind not in known:
        return f"unknown answer kind {problem.answer.kind!r}"
    answer = resolve_answer(problem.answer) if _needs_resolving(problem) else problem.answer
    if answer.kind == "number" and quick_number(gold) is not None:
        return None  # integers, decimals and plain fractions always judge themselves; skip 10k verifier calls
    verdict = verify(answer, "\\boxed{" + gold + "}")
    if verdict.correct:
        return None
    return f"gold {_clip(gold)!r} (read as {answer.kind}) does not match itself: {verdict.reason}"


def _clip(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 3] + "..."
