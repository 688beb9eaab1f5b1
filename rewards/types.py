"""What crosses the rewards package boundary: the `Verdict`, its reasons, and the `Limits`."""

from __future__ import annotations

from dataclasses import dataclass

# Reasons. A refused input uses "refused:<limit>" (e.g. "refused:depth"), so counters can
# group by the part before the colon and still tell the limits apart.
CORRECT = "correct"
WRONG = "wrong"
NO_ANSWER = "no_answer"  # no final answer found (e.g. a truncated completion)
HEDGED = "hedged"  # several different final answers
PARSE_ERROR = "parse_error"  # an answer was found but is not well-formed math
REFUSED = "refused"  # over a limit (prefix of "refused:<limit>")
TIMEOUT = "timeout"  # the reward pool killed the worker for its CPU-time budget
WORKER_DIED = "worker_died"  # the worker process died (e.g. out of memory)
BAD_INPUT = "bad_input"  # a malformed request (no gold, wrong types)


@dataclass(frozen=True)
class Verdict:
    correct: bool
    score: float
    extracted: str | None
    reason: str

    @classmethod
    def fail(cls, reason: str, extracted: str | None = None) -> Verdict:
        return cls(False, 0.0, extracted, reason)

    @classmethod
    def judged(cls, correct: bool, extracted: str) -> Verdict:
        return cls(correct, 1.0 if correct else 0.0, extracted, CORRECT if correct else WRONG)


class Refused(Exception):
    """Raised by the parser and judges when an input exceeds a limit; `limit` names it."""

    def __init__(self, limit: str, detail: str = ""):
        super().__init__(f"{limit}: {detail}" if detail else limit)
        self.limit = limit

    @property
    def reason(self) -> str:
        return f"{REFUSED}:{self.limit}"


class ParseError(Exception):
    """The answer text is not well-formed math in the grammar."""


@dataclass(frozen=True)
class Limits:
    """Checked before any sympy call, so no input can make sympy hang or blow up."""

    max_answer_chars: int = 1_000  # of the extracted answer
    max_depth: int = 40  # nesting of brackets and operators
    max_tokens: int = 400
    max_int_digits: int = 400  # digits of one integer literal
    max_power_bits: int = 4_000  # estimated |b| * log2|a| of a**b
    max_factorial: int = 200
    max_degree: int = 64  # polynomial degree in a variable
    max_completion_chars: int = 4_000_000  # longer completions are scanned from their end only


DEFAULT_LIMITS = Limits()
