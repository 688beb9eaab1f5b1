"""Word anchors (`<answer>` tags, "Answer:" lines, "the final answer is", GSM8K `####`, bold) and
the lenient fallbacks (last math span, last number).

Every search walks backwards with `str.rfind` from the end of the text down to a floor (the start
of a later anchor already found), and checks each hit on a bounded window around it; a regex only
ever runs on such a window or on the one line an anchor introduces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX_WINDOW = 64  # how far back from "answer" the start of its line may be
MAX_UNCLOSED_TAG = 1_000  # an unclosed <answer> is read to the end of the text when the rest is this short
MAX_SPAN = 8_000  # how far a display-math answer (`$$`, `\[`) may run past its line
BOLD_WINDOW = 1_000  # bold counts only in this many final characters
MAX_HITS = 1_000  # occurrences of "answer" / "####" examined from the end (a model looping on the word)

_LINE_PREFIX = re.compile(r"[ \t>#*_\-]*(?:final[ \t]+)?[*_]*[ \t]*")
_LINE_COLON = re.compile(r"[*_]{0,2}[ \t]*[:：][*_]{0,2}[ \t]*")
_LINE_HEADING = re.compile(r"[*_:]{0,3}[ \t]*(?:\r?\n|$)")
_FINAL_BEFORE = re.compile(r"final[ \t*_]+$")
_FINAL_AFTER = re.compile(r"[*_]{0,2}[ \t]*(?:is\b|[:：=])[*_]{0,2}[ \t:]*")
_THE_BEFORE = re.compile(r"\b(?:the|my|our)[ \t]+$")
_THE_AFTER = re.compile(r"[ \t]+is\b[ \t:]*")
_BLOCK_END = re.compile(r"\n[ \t]*\n")
_LEADING_WS = re.compile(r"\s*")
_SENTENCE_END = re.compile(r"[.!?][ \t]+(?=[A-Z])")
_DISPLAY_OPEN = {"$$": "$$", "\\[": "\\]"}
_GSM8K = re.compile(r"\$?[-\u2212+]?\$?\d[\d,]*(?:\.\d+)?(?:[ \t]+[A-Za-z$%][A-Za-z $%]{0,20})?[ \t.]*")
_LATEX_CMD = re.compile(r"\\[A-Za-z]+")
_LETTER = re.compile(r"[A-Za-z]")
_BOLD = re.compile(r"\*\*([^*\n]{1,200})\*\*")
_BOLD_MATHY = re.compile(r"[\d\\=^+\-/()\[\]{}<>]")
_BOLD_HEADING = re.compile(r"(?i)\s*(?:step|case|part|note|final|answer|solution)\b")
_NUMBER = re.compile(r"[-\u2212]?\d+(?:,\d{3})*(?:\.\d+)?(?:[ \t]*/[ \t]*\d+)?")


@dataclass(frozen=True)
class Found:
    start: int
    anchor: str
    raw: str | None
    end: int = -1


def _line_end(text: str, pos: int) -> int:
    e = text.find("\n", pos)
    return len(text) if e < 0 else e


def answer_after(text: str, low: str, pos: int) -> str:
    """The answer that follows an anchor ending at pos: a display-math span that may run over
    several lines, else the rest of the line, cut at `</answer>` and at the end of its sentence."""
    pos = _LEADING_WS.match(text, pos, _line_end(text, pos)).end()
    for opener, closer in _DISPLAY_OPEN.items():
        if text.startswith(opener, pos):
            close = text.find(closer, pos + len(opener), pos + MAX_SPAN)
            if close > _line_end(text, pos):
                return text[pos : close + len(closer)]
    end = _line_end(text, pos)
    tag = low.find("</answer>", pos, end)
    if tag >= 0:
        end = tag
    span = _inline_math(text, pos, end)
    if span is not None:
        return span
    cut = _SENTENCE_END.search(text, pos, end)
    if cut and "$" not in text[cut.start() : end]:
        end = cut.start()
    return text[pos:end]


def _inline_math(text: str, pos: int, end: int) -> str | None:
    """`$x = 4$, as shown.` -> `$x = 4$`: an inline span that opens the answer and is the only one
    on its line (`$x = 2$ or $x = 3$` stays whole)."""
    for opener, closer in (("$", "$"), ("\\(", "\\)")):
        if text.startswith(opener, pos) and not text.startswith("$$", pos):
            close = text.find(closer, pos + len(opener), end)
            if close > pos + len(opener) and text.find(opener, close + len(closer), end) < 0:
                return text[pos : close + len(closer)]
    return None


def _block_after(text: str, low: str, pos: int) -> str:
    """The next paragraph (lines up to a blank line) after a heading such as `**Final Answer**`:
    one line for most answers, several for a grid."""
    pos = _LEADING_WS.match(text, pos).end()
    m = _BLOCK_END.search(text, pos)
    block = text[pos : m.start() if m else len(text)]
    if "\n" not in block.strip():
        return answer_after(text, low, pos)
    tag = block.lower().find("</answer>")
    return block if tag < 0 else block[:tag]


def _at_line_start(low: str, i: int) -> bool:
    lo = max(0, i - PREFIX_WINDOW)
    nl = low.rfind("\n", lo, i)
    if nl < 0 and lo > 0:
        return False
    return _LINE_PREFIX.fullmatch(low, nl + 1, i) is not None


def _tag_at(text: str, low: str, i: int, last_close: int) -> Found | None:
    """`<answer>` whose "answer" is at i: closed, or unclosed with a short rest (a stop string)."""
    content = i + len("answer>")
    if last_close >= content:
        return Found(i - 1, "answer_tag", text[content : low.find("</answer>", content)])
    if len(text) - content <= MAX_UNCLOSED_TAG:
        return Found(i - 1, "answer_tag", text[content:])
    return None


def _answer_word_at(text: str, low: str, i: int, lenient: bool, last_close: int) -> Found | None:
    """The anchor, if any, that the word "answer" at i belongs to."""
    after = i + len("answer")
    if i > 0 and low[i - 1] == "<" and low.startswith(">", after):
        return _tag_at(text, low, i, last_close)
    if _at_line_start(low, i):
        m = _LINE_COLON.match(low, after)
        if m:
            rest = answer_after(text, low, m.end())
            return Found(i, "answer_line", rest if rest.strip() else _block_after(text, low, m.end()))
        m = _LINE_HEADING.match(low, after)
        if m:
            return Found(i, "answer_line", _block_after(text, low, m.end()))
    before = low[max(0, i - 16) : i]
    if _FINAL_BEFORE.search(before):
        m = _FINAL_AFTER.match(low, after)
        if m:
            return Found(i, "final_answer", answer_after(text, low, m.end()))
    if lenient and _THE_BEFORE.search(before):
        m = _THE_AFTER.match(low, after)
        if m:
            return Found(i, "the_answer", answer_after(text, low, m.end()))
    return None


def answer_word_anchor(text: str, low: str, floor: int, lenient: bool) -> tuple[Found | None, Found | None]:
    """(last explicit anchor built on the word "answer" after floor, last lenient-only one:
    "the answer is"). Walks the occurrences of "answer" from the end."""
    hi = len(low)
    last_close = low.rfind("</answer>")
    fallback = None
    for _ in range(MAX_HITS):
        i = low.rfind("answer", floor, hi)
        if i < 0:
            break
        hi = i
        found = _answer_word_at(text, low, i, lenient and fallback is None, last_close)
        if found is None:
            continue
        if found.anchor != "the_answer":
            return found, fallback
        fallback = found
    return None, fallback


def gsm8k_anchor(text: str, floor: int) -> Found | None:
    """The last line `#### 42` after floor. A markdown heading (`#### Step 1. Setup`) is not one:
    the rest of the line must be a number, optionally with a short unit, or letter-free LaTeX."""
    hi = len(text)
    for _ in range(MAX_HITS):
        i = text.rfind("####", floor, hi)
        if i < 0:
            return None
        hi = i
        j = i - 1
        while j >= 0 and i - j <= PREFIX_WINDOW and text[j] in " \t":
            j -= 1
        if j >= 0 and text[j] != "\n":
            continue
        rest = text[i + 4 : _line_end(text, i)].strip()
        if rest and (_GSM8K.fullmatch(rest) or not _LETTER.search(_LATEX_CMD.sub("", rest))):
            return Found(i, "gsm8k", rest)
    return None


def bold_anchor(text: str) -> Found | None:
    """The last `**...**` in the final BOLD_WINDOW characters that looks like a value, not a heading."""
    lo = max(0, len(text) - BOLD_WINDOW)
    best = None
    for m in _BOLD.finditer(text, lo):
        inner = m.group(1).strip()
        if inner and not inner.endswith(":") and _BOLD_MATHY.search(inner) and not _BOLD_HEADING.match(inner):
            best = Found(m.start(), "bold", inner)
    return best


def last_math(text: str) -> Found | None:
    """The last `$...$`, `$$...$$`, `\\(...\\)` or `\\[...\\]` span, by where it ends."""
    spans = []
    for opener, closer in (("\\(", "\\)"), ("\\[", "\\]")):
        close = text.rfind(closer)
        start = text.rfind(opener, 0, close) if close > 0 else -1
        if start >= 0:
            spans.append(Found(start, "last_math", text[start + 2 : close], close + 2))
    close = text.rfind("$")
    if close > 0:
        if text[close - 1] == "$":
            start = text.rfind("$$", 0, close - 1)
            if start >= 0:
                spans.append(Found(start, "last_math", text[start + 2 : close - 1], close + 1))
        else:
            start = text.rfind("$", 0, close)
            if start >= 0:
                spans.append(Found(start, "last_math", text[start + 1 : close], close + 1))
    return max(spans, key=lambda f: f.end, default=None)


def last_number(text: str) -> Found | None:
    """The last number (integer, decimal, `a/b`), found from its last digit with ten rfinds."""
    d = max(text.rfind(c) for c in "0123456789")
    if d < 0:
        return None
    best = None
    for m in _NUMBER.finditer(text, max(0, d - 2_000), d + 1):
        best = m
    if best is None:  # pragma: no cover - the digit at d always matches
        return None
    return Found(best.start(), "last_number", best.group(), best.end())
