"""Tidy an extracted answer (delimiters, trailing punctuation, markdown bold, a box around it all),
and the key under which two boxed answers count as the same for hedging."""

from __future__ import annotations

import re

from reasonrl.rewards.extract_boxed import BOX_COMMANDS, Box, parse_box

_TRAILING = ".,;:\u3002 \t\r\n"
_OUTER = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_HOPE = re.compile(r"(?i)[\s.]*I hope it is correct[\s.!]*$")
_LEADING_PHRASE = re.compile(r"(?i)(?:the[ \t]+)?(?:final[ \t]+)?answer[ \t]+is[ \t:]*")
_DOLLAR = re.compile(r"(?<!\\)\$")
_PAREN_DELIM = re.compile(r"(?<!\\)\\[()]")
_BRACKET_DELIM = re.compile(r"(?<!\\)\\[\[\]]")
_TEXT_WRAP = re.compile(r"\\(?:text|textbf|mathrm|mathbf|mbox)\s*\{([^{}]*)\}")
_NOISE = re.compile(r"\s+|\\[,;:! ]|\\q?quad(?![A-Za-z])|\\(?:left|right|displaystyle)(?![A-Za-z])")
_FRAC_DIGITS = re.compile(r"\\frac\s*(\d)\s*(\d)")
_LEADING_VAR = re.compile(r"[A-Za-z](?:_\{?\w+\}?)?=")
_BOLD_START = re.compile(r"(?:\*\*\s*)+")
_MAX_ROUNDS = 8


def _strip_outer(s: str) -> str:
    for opener, closer in _OUTER:
        if len(s) >= len(opener) + len(closer) and s.startswith(opener) and s.endswith(closer):
            inner = s[len(opener) : len(s) - len(closer)]
            if opener not in inner and closer not in inner:
                return inner.strip()
    return s


def _unwrap_box(s: str) -> str:
    for cmd in BOX_COMMANDS:
        if s.startswith(cmd):
            box = parse_box(s, 0, cmd, len(s))
            if isinstance(box, Box) and box.end == len(s):
                return box.content.strip()
    return s


def _strip_bold(s: str) -> str:
    """Markdown `**` pairs at either end (never a single `*`, which may be a product)."""
    m = _BOLD_START.match(s)
    if m:
        s = s[m.end() :]
    stars = len(s) - len(s.rstrip("*"))
    return s[: len(s) - stars + stars % 2].rstrip() if stars >= 2 else s


def _strip_once(s: str) -> str:
    if "hope" in s[-40:]:
        tail = len(s) - 64
        s = s[: max(0, tail)] + _HOPE.sub("", s[max(0, tail) :])
    s = s.rstrip(_TRAILING).lstrip()
    s = _strip_bold(s)
    s = _strip_outer(s)
    s = _unwrap_box(s)
    m = _LEADING_PHRASE.match(s)
    return s[m.end() :] if m else s


def _drop_inner_delimiters(s: str) -> str:
    """`$x = 2$ or $x = 3$` -> `x = 2 or x = 3`; an odd `$` (a currency sign) stays."""
    if "$" in s:
        count = len(_DOLLAR.findall(s))
        if count and count % 2 == 0:
            s = _DOLLAR.sub("", s)
    if "\\(" in s and s.count("\\(") == s.count("\\)"):
        s = _PAREN_DELIM.sub("", s)
    if "\\[" in s and s.count("\\[") == s.count("\\]"):
        s = _BRACKET_DELIM.sub("", s)
    return s


def clean_answer(raw: str | None) -> str | None:
    """The answer without decoration, or None when nothing is left."""
    if raw is None:
        return None
    s = raw.strip()
    for _ in range(_MAX_ROUNDS):
        before, s = s, _strip_once(s)
        if s == before:
            break
    s = _drop_inner_delimiters(s).strip().rstrip(_TRAILING)
    return s or None


def hedge_key(content: str) -> str:
    """Spelling differences that are not different answers (`x = 5` vs `5`, `\\dfrac` vs `\\frac`,
    spacing, `\\text{}`) map to one key; anything else is a different answer."""
    s = clean_answer(content) or ""
    s = _TEXT_WRAP.sub(r"\1", s)
    s = _NOISE.sub("", s).replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    s = _FRAC_DIGITS.sub(r"\\frac{\1}{\2}", s)
    m = _LEADING_VAR.match(s)
    return s[m.end() :] if m and m.end() < len(s) else s
