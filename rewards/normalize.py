"""Text clean-up of an extracted answer before any parsing.

Models decorate answers: `$...$`, `\\displaystyle`, `\\left(`, currency signs, units in
`\\text{}`, degree marks, thousands separators written as `{,}` or `\\,`, a closing
period. These helpers remove the decoration and nothing else; what they return is
still untrusted text for a parser. Every function is a single linear pass or a few
anchored regexes over text already capped at `Limits.max_answer_chars`.
"""

from __future__ import annotations

import re

from .braces import matching_brace

_TEXT_CMD = re.compile(
    r"\\(?:text|textbf|textit|textrm|textsf|texttt|mathrm|mathbf|mathit|mathsf|mbox|operatorname)\s*\{"
)
_SPACING = re.compile(r"(\\\\)|\\[,;:! ]")

_SIZING = re.compile(r"\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|bigg|Bigg)(?![a-zA-Z])\s*")
_STYLE = re.compile(r"\\(?:displaystyle|textstyle|scriptstyle)(?![a-zA-Z])\s*")
_DIGIT_SEP = re.compile(r"(?<=\d)(?:\{,\}|\\,|\\!|\\ |\{\\,\})(?=\d)")
_DEGREE = re.compile(r"\^\s*\{?\s*\\circ\s*\}?|°|\\degree(?![a-zA-Z])")
_CURRENCY = re.compile(r"\\\$|\$|€|£|¥|₹|\\euro(?![a-zA-Z])|\\pounds(?![a-zA-Z])|\b(?:USD|EUR|GBP|Rs\.?)(?![a-zA-Z])")
_UNIT_WORD = re.compile(r"[A-Za-z]{2,}\.?(?:\^\{?\d\}?|\d)?|[mgsLhKAVWJN]\.?(?:\^\{?\d\}?|\d)?|/|per")
_UNIT_FILLERS = {"square", "cubic", "sq", "per", "a", "an", "each", "\\quad", "\\qquad"}
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u00d7": "*", "\u00f7": "/", "\u22c5": "*"})

OPEN = "([{"
CLOSE = ")]}"


def clean_latex(text: str) -> str:
    """Drop math delimiters, sizing/style commands, spacing, and a trailing period."""
    s = _strip_delimiters(text.strip())
    if "\\" in s:
        s = _STYLE.sub("", s)
        s = _SIZING.sub("", s)
        s = _DIGIT_SEP.sub("", s)
        s = _SPACING.sub(_space, s)
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").strip()
    elif "{,}" in s:
        s = _DIGIT_SEP.sub("", s)
    if "~" in s:
        s = s.replace("~", " ").strip()
    while s.endswith((".", ";")) and not s.endswith(".."):
        s = s[:-1].rstrip()
    return _strip_delimiters(s)


def _space(m: re.Match[str]) -> str:
    return m[1] or " "


def unicode_operators(text: str) -> str:
    """Unicode minus, dashes, times and divide signs as ASCII operators."""
    return text.translate(_MINUS)


def _strip_delimiters(s: str) -> str:
    for left, right in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if len(s) >= len(left) + len(right) and s.startswith(left) and s.endswith(right):
            inner = s[len(left) : len(s) - len(right)]
            if left == "$" and "$" in inner:
                continue
            return inner.strip()
    return s


def unwrap_text_commands(text: str) -> str:
    """`\\text{abc}` (and \\mathrm, \\textbf, \\mbox, ...) -> `abc`, keeping what surrounds it."""
    out: list[str] = []
    pos = 0
    for m in _TEXT_CMD.finditer(text):
        if m.start() < pos:
            continue
        end = matching_brace(text, m.end() - 1)
        if end < 0:
            break
        out.append(text[pos : m.start()])
        out.append(text[m.end() : end])
        pos = end + 1
    out.append(text[pos:])
    return "".join(out)


def strip_currency(text: str) -> str:
    if text.isascii() and "$" not in text and "\\" not in text and text == text.lower():
        return text
    return _CURRENCY.sub("", text).strip()


def strip_degrees(text: str) -> str:
    if text.isascii() and "\\" not in text:
        return text
    return _DEGREE.sub("", text).strip()


def strip_units(text: str) -> str:
    """Remove trailing unit words ("cm", "square units", "km/h", "dollars") after a number.

    Only whole whitespace-separated words at the end are dropped, and only while some
    text with a digit or a LaTeX command remains, so `5x` or `\\pi` are never touched.
    """
    s = unwrap_text_commands(strip_degrees(strip_currency(text)))
    words = s.split()
    while len(words) > 1 and (_UNIT_WORD.fullmatch(words[-1]) or words[-1].lower() in _UNIT_FILLERS):
        words.pop()
    return " ".join(words)


def normalize_text(text: str) -> str:
    """A comparison key for textual answers: no markup, case or spacing differences."""
    s = unwrap_text_commands(clean_latex(text))
    s = s.replace("\\", " ").replace("{", " ").replace("}", " ")
    s = " ".join(s.split()).strip(" .\"'`*")
    return s.casefold()


def top_level_split(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split `text` at separators that sit outside every bracket pair (`\\{` counts).

    Separators are tried in the given order at each position (put longer ones first).
    """
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "{}":
            depth += 1 if text[i + 1] == "{" else -1
            i += 2
            continue
        if c in OPEN:
            depth += 1
        elif c in CLOSE:
            depth -= 1
        elif depth == 0:
            for sep in separators:
                if text.startswith(sep, i):
                    parts.append(text[start:i])
                    i += len(sep)
                    start = i
                    break
            else:
                i += 1
            continue
        i += 1
    parts.append(text[start:])
    return parts


def after_last_equals(text: str) -> str:
    """The part after the last top-level `=`: `f'(x) = 2x` -> `2x`."""
    parts = top_level_split(text, ("=",))
    return parts[-1].strip() if len(parts) > 1 else text
