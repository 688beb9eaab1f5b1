"""Find the final answer in a completion of any length, in linear time.

Thinking is never the answer: text inside `<think>...</think>` (or `<thinking>`) is dropped; a
`</think>` with no opening tag (the chat template opened it) makes everything before it thinking,
and an unclosed `<think>` makes everything after it thinking.

In what is left, the LAST explicit anchor wins (by where it starts, so a box inside an answer line
or tag wins over the line or tag around it):
- `boxed`: `\\boxed{...}` / `\\fbox{...}` with nested braces, or the space form `\\boxed 5`. An
  unclosed box after it (cut off mid-answer) is skipped. `\\boxed{}` gives text None.
- `answer_tag`: `<answer>...</answer>`; an unclosed `<answer>` counts when at most 1,000 characters
  follow it (generation stopped on `</answer>`).
- `answer_line`: a line `Answer: ...`, `**Final Answer:** ...`, `### Final Answer` + the next paragraph.
- `final_answer`: "the final answer is X" / "final answer: X" anywhere in a line; X ends with its
  sentence ("I hope it is correct" dropped).
- `gsm8k`: a line `#### 42` (not a markdown heading like `#### Step 1`).

Hedging: the final part is the HEDGE_WINDOW (1,000) characters before the last box; if it holds
another box whose answer differs (after `hedge_key`: spacing, `\\dfrac`, `x =` ignored),
hedging="refuse" sets hedged=True (the text is still returned); hedging="last" takes the last box.

strict (training) accepts only the explicit anchors above: markdown bold is NOT explicit, because
chains of thought bold headings and intermediate results. lenient adds, in order, when no explicit
anchor is found: "the answer is X" (anchor `final_answer`) or a value-like `**bold**` in the last
1,000 characters (`bold`), whichever is later; the whole completion when it is one short line that
reads as only an answer (`whole`); the later of the last math span and the last number
(`last_math` / `last_number`).

The text returned is tidied by `clean_answer`: surrounding `$...$`, `\\(...\\)`, `\\[...\\]`, `**`
and a box around it all are removed, then trailing `.,;:`; `$x = 2$ or $x = 3$` loses its inner
delimiters. Nothing else is normalised: that is the judges' job.

Bounded work on hostile text (a model looping on a token): only the last `max_chars` characters
are read; at most MAX_HITS (1,000) occurrences of "answer" or "####", MAX_BOX_CANDIDATES (256) box
commands, MAX_SCAN_CHARS (200,000) characters of brace matching and MAX_THINK_BLOCKS (1,000) think
blocks are examined; a box longer than MAX_BOX_CHARS (100,000) counts as unclosed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reasonrl.rewards.extract_boxed import Box, hedging_boxes, last_box
from reasonrl.rewards.extract_clean import clean_answer, hedge_key
from reasonrl.rewards.extract_text import (
    Found,
    answer_word_anchor,
    bold_anchor,
    gsm8k_anchor,
    last_math,
    last_number,
)
from reasonrl.rewards.types import DEFAULT_LIMITS

MODES = ("strict", "lenient")
HEDGING = ("refuse", "last")
ANCHORS = (
    "boxed",
    "answer_tag",
    "answer_line",
    "final_answer",
    "gsm8k",
    "bold",
    "last_math",
    "last_number",
    "whole",
    "none",
)
WHOLE_MAX_CHARS = 200
MAX_THINK_BLOCKS = 1_000
_WORD = re.compile(r"[a-z]{2,}")
_LATEX_CMD = re.compile(r"\\[A-Za-z]+")
_PROSE = frozenset(
    "the is are was were be we you it its this that so thus therefore hence let me my our to of for with because "
    "since then find get got have has can will would should answer compute solve which what here there do does "
    "not know think sure need try".split()
)
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


@dataclass(frozen=True)
class Extraction:
    text: str | None
    anchor: str
    hedged: bool = False


NONE = Extraction(None, "none")


def extract(
    completion: str, mode: str = "strict", hedging: str = "refuse", *, max_chars: int | None = None
) -> Extraction:
    """The final answer of `completion`. Only the last `max_chars` characters (default
    `Limits.max_completion_chars`) are read, so the cost is bounded for any input."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if hedging not in HEDGING:
        raise ValueError(f"hedging must be one of {HEDGING}, not {hedging!r}")
    if not isinstance(completion, str):
        raise TypeError(f"completion must be str, not {type(completion).__name__}")
    limit = DEFAULT_LIMITS.max_completion_chars if max_chars is None else max_chars
    text = visible_text(completion[-limit:] if len(completion) > limit else completion)
    return _from_visible(text, lenient=mode == "lenient", hedging=hedging)


def final_boxes(completion: str, *, max_chars: int | None = None) -> list[str]:
    """The non-empty boxed answers of the final part (the last box and those hedging it), in text
    order, for a judge of a set-like kind to read `\\boxed{2} and \\boxed{3}` as one answer."""
    limit = DEFAULT_LIMITS.max_completion_chars if max_chars is None else max_chars
    text = visible_text(completion[-limit:])
    last = last_box(text)
    if last is None:
        return []
    boxes = [*reversed(hedging_boxes(text, last)), last]
    return [a for a in (clean_answer(b.content) for b in boxes) if a is not None]


def _from_visible(text: str, lenient: bool, hedging: str) -> Extraction:
    low = _ascii_lower(text)
    box = last_box(text)
    floor = box.start + 1 if box else 0
    gsm = gsm8k_anchor(text, floor)
    if gsm:
        floor = gsm.start + 1
    word, the_answer = answer_word_anchor(text, low, floor, lenient)
    best = word or gsm or box
    if isinstance(best, Box):
        return _boxed(text, best, hedging)
    if best is not None:
        return Extraction(clean_answer(best.raw), best.anchor)
    return _lenient(text, the_answer) if lenient else NONE


def _boxed(text: str, box: Box, hedging: str) -> Extraction:
    hedged = False
    if hedging == "refuse":
        key = hedge_key(box.content)
        hedged = any(hedge_key(other.content) != key for other in hedging_boxes(text, box))
    return Extraction(clean_answer(box.content), "boxed", hedged)


def _lenient(text: str, the_answer: Found | None) -> Extraction:
    candidates = [f for f in (the_answer, bold_anchor(text)) if f is not None]
    if candidates:
        found = max(candidates, key=lambda f: f.start)
        return Extraction(clean_answer(found.raw), "final_answer" if found is the_answer else "bold")
    whole = _whole_answer(text)
    if whole is not None:
        return Extraction(whole, "whole")
    spans = [f for f in (last_math(text), last_number(text)) if f is not None]
    for found in sorted(spans, key=lambda f: (f.end, f.anchor == "last_math"), reverse=True):
        answer = clean_answer(found.raw)
        if answer is not None:
            return Extraction(answer, found.anchor)
    return NONE


def _whole_answer(text: str) -> str | None:
    """The completion itself when it is one short line with no prose (`\\frac{-1}{2}`, `x = 5`,
    `{1, 2}`, `Alice, Carol`, `no real solutions`)."""
    s = text.strip()
    if not s or len(s) > WHOLE_MAX_CHARS or "\n" in s:
        return None
    words = _WORD.findall(_LATEX_CMD.sub(" ", s).lower())
    if len(words) > 8 or any(w in _PROSE for w in words):
        return None
    return clean_answer(s)


def _ascii_lower(text: str) -> str:
    """Lower case with every index kept (str.lower can lengthen a few non-ASCII characters)."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def _find_tag(text: str, prefix: str, pos: int) -> tuple[int, int]:
    """(start, end) of the first `<think>` / `<thinking>` (or closing) tag at or after pos, else (-1, -1)."""
    while (i := text.find(prefix, pos)) >= 0:
        j = i + len(prefix)
        if text.startswith(">", j):
            return i, j + 1
        if text.startswith("ing>", j):
            return i, j + 4
        pos = j
    return -1, -1


def _rfind_tag(text: str, prefix: str, lo: int, hi: int) -> tuple[int, int]:
    """(start, end) of the last such tag starting in [lo, hi), else (-1, -1)."""
    while (i := text.rfind(prefix, lo, hi)) >= 0:
        j = i + len(prefix)
        if text.startswith(">", j):
            return i, j + 1
        if text.startswith("ing>", j):
            return i, j + 4
        hi = i
    return -1, -1


def visible_text(text: str) -> str:
    """The text outside thinking blocks, pieces joined by newlines. After MAX_THINK_BLOCKS blocks
    (a model looping on the tags) only what follows the last closing tag is kept."""
    if "<think" not in text and "</think" not in text:
        return text
    pieces: list[str] = []
    pos = 0
    close = _find_tag(text, "</think", 0)
    for _ in range(MAX_THINK_BLOCKS):
        open_ = _find_tag(text, "<think", pos)
        if close[0] >= 0 and (open_[0] < 0 or close[0] < open_[0]):
            # closing tags with no opening one: everything before the last of them was thinking
            hi = open_[0] if open_[0] >= 0 else len(text)
            pieces, pos = [], _rfind_tag(text, "</think", close[0], hi)[1]
            close = _find_tag(text, "</think", pos)
            continue
        pieces.append(text[pos : open_[0]] if open_[0] >= 0 else text[pos:])
        if open_[0] < 0 or close[0] < 0:
            return "\n".join(pieces)  # no more thinking, or an unclosed block: the rest is thinking
        pos = close[1]
        close = _find_tag(text, "</think", pos)
    last_close, last_open = _rfind_tag(text, "</think", pos, len(text)), _rfind_tag(text, "<think", pos, len(text))
    return "" if last_open[0] > last_close[0] else text[max(pos, last_close[1]) :]
