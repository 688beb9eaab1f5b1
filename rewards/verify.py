"""`verify(gold, completion) -> Verdict`: extract the final answer, judge it by the gold's kind.

Never raises and never evaluates model text: every failure becomes a Verdict reason
(`no_answer`, `hedged`, `refused:<limit>`, `parse_error`, `bad_input`). The time bound
comes from the grammar's limits (checked before any sympy call) and, around it, from
the reward pool's per-item CPU budget.
"""

from __future__ import annotations

from reasonrl.problems.types import Answer

from .detect import detect_gold
from .extract import extract
from .kinds import BadGold, get_judge
from .types import (
    BAD_INPUT,
    DEFAULT_LIMITS,
    HEDGED,
    NO_ANSWER,
    PARSE_ERROR,
    Limits,
    ParseError,
    Refused,
    Verdict,
)

MODES = ("strict", "lenient")


def verify(
    gold: Answer | str,
    completion: str,
    *,
    kind: str | None = None,
    mode: str = "strict",
    limits: Limits = DEFAULT_LIMITS,
    hedging: str = "refuse",
) -> Verdict:
    """Score `completion` against `gold` (an Answer, or a MATH/GSM8K-style string whose kind is
    detected unless `kind` is given)."""
    try:
        answer = as_answer(gold, kind)
        if not isinstance(completion, str) or mode not in MODES:
            return Verdict.fail(BAD_INPUT)
        found = extract(completion, mode=mode, hedging=hedging, max_chars=limits.max_completion_chars)
    except Exception:
        return Verdict.fail(BAD_INPUT)
    if found.text is None:
        return Verdict.fail(NO_ANSWER)
    if found.hedged:
        return Verdict.fail(HEDGED, _clip(found.text, limits))
    return judge_answer(answer, found.text, limits)


def judge_answer(gold: Answer, answer_text: str, limits: Limits = DEFAULT_LIMITS) -> Verdict:
    """Judge an already extracted answer (no extraction step)."""
    if not isinstance(gold, Answer) or not isinstance(answer_text, str):
        return Verdict.fail(BAD_INPUT)
    if len(answer_text) > limits.max_answer_chars:
        return Verdict.fail(Refused("length").reason, _clip(answer_text, limits))
    try:
        fn = get_judge(gold.kind)
    except KeyError:
        return Verdict.fail(BAD_INPUT, answer_text)
    try:
        return Verdict.judged(bool(fn(gold, answer_text, limits)), answer_text)
    except BadGold:
        return Verdict.fail(BAD_INPUT, answer_text)
    except Refused as e:
        return Verdict.fail(e.reason, answer_text)
    except RecursionError:
        return Verdict.fail(Refused("depth").reason, answer_text)
    except MemoryError:
        return Verdict.fail(Refused("memory").reason, answer_text)
    except (ParseError, Exception):
        return Verdict.fail(PARSE_ERROR, answer_text)


def as_answer(gold: Answer | str, kind: str | None = None) -> Answer:
    """An Answer as given (with `kind` overriding its kind), or one detected from a string."""
    if isinstance(gold, Answer):
        return gold if kind is None or kind == gold.kind else Answer(kind, gold.value, gold.latex, gold.spec)
    if isinstance(gold, str) and gold.strip():
        return detect_gold(gold, kind)
    raise TypeError(f"gold must be an Answer or a non-empty str, not {type(gold).__name__}")


def _clip(text: str, limits: Limits) -> str:
    return text if len(text) <= limits.max_answer_chars else text[: limits.max_answer_chars]
