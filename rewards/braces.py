"""Brace matching on bounded answer text (extraction has its own chunked matcher for megabytes)."""

from __future__ import annotations


def matching_brace(text: str, open_at: int) -> int:
    """Index of the `}` closing the `{` at `open_at` (escaped characters skipped), or -1."""
    depth = 0
    i = open_at
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1
