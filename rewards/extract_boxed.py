"""The last `\\boxed{...}` / `\\fbox{...}` of a text, and the boxes that hedge it, in linear time.

Brace matching jumps from brace to brace with a one-character-class regex over the region it
needs, never over the whole text more than once: a box that never closes bounds the search of
every box before it (a box that opens before an unclosed brace and reaches it cannot close either),
so the regions scanned are disjoint. `\\{` and `\\}` are literal braces and do not count. A box
longer than MAX_BOX_CHARS counts as unclosed, which bounds the work on one box.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

BOX_COMMANDS = ("\\boxed", "\\fbox")
MAX_BOX_CANDIDATES = 256  # box commands examined from the end before giving up (unclosed or malformed ones)
HEDGE_WINDOW = 1_000  # characters before the last box that count as the "final part"
MAX_HEDGE_BOXES = 32
MAX_GAP = 16  # whitespace allowed between `\boxed` and its `{`
MAX_BOX_CHARS = 100_000  # a box that does not close within this many characters counts as unclosed
MAX_SCAN_CHARS = 200_000  # brace matching for the last box, over all candidates, before giving up

_BRACE = re.compile(r"\\[\\{}]|[{}]")
_TOKEN = re.compile(r"[^\s$]+")
_BACKSLASHES = re.compile(r"\\*")
_CHUNK = 4_096


@dataclass(frozen=True)
class Box:
    start: int  # of the command
    end: int  # one past the closing brace, or the end of the space-form token
    content: str


def box_starts(text: str, lo: int, hi: int) -> Iterator[tuple[int, str]]:
    """(position, command) of every box command inside text[lo:hi], last first; each command is
    searched for from where the previous one of its kind was found, so the whole walk is linear."""
    nxt = {cmd: text.rfind(cmd, lo, hi) for cmd in BOX_COMMANDS}
    while True:
        cmd = max(nxt, key=nxt.__getitem__)
        pos = nxt[cmd]
        if pos < 0:
            return
        yield pos, cmd
        nxt[cmd] = text.rfind(cmd, lo, pos)


def match_brace(text: str, open_pos: int, limit: int) -> int:
    """Position of the `}` closing the `{` at open_pos, or -1 if none before limit.

    Works in chunks: a chunk with fewer `}` than the current depth cannot hold the match, so its
    braces are only counted (in C) when no `\\\\` makes the escapes ambiguous; other chunks are
    walked brace by brace. A run of a million `{` thus costs a few milliseconds, not a Python loop."""
    depth = 0
    pos = open_pos
    while pos < limit:
        end = _chunk_end(text, pos, limit)
        closes = text.count("}", pos, end)
        if closes < depth and text.find("\\\\", pos, end) < 0:
            opens = text.count("{", pos, end) - text.count("\\{", pos, end)
            depth += opens - (closes - text.count("\\}", pos, end))
        else:
            for m in _BRACE.finditer(text, pos, end):
                ch = m.group()
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if depth == 0:
                        return m.start()
        pos = end
    return -1


def _chunk_end(text: str, pos: int, limit: int) -> int:
    """pos + _CHUNK, moved past a run of backslashes and the character they escape."""
    end = min(limit, pos + _CHUNK)
    if text[end - 1] == "\\":
        end = min(limit, _BACKSLASHES.match(text, end).end() + 1)
    return end


def _open_brace(text: str, pos: int, cmd: str) -> tuple[int, int]:
    """(index of the argument's `{` or -1, index where the argument starts)."""
    i = j = pos + len(cmd)
    n = len(text)
    while j < n and j - i < MAX_GAP and text[j] in " \t\r\n":
        j += 1
    if j < n and text[j] == "{":
        return j, j
    return -1, (j if j > i else -1)


def parse_box(text: str, pos: int, cmd: str, limit: int, span: int = MAX_BOX_CHARS) -> Box | int | None:
    """The box at pos; an int (its `{`) when it is unclosed before limit or within MAX_BOX_CHARS
    (100 times any answer the judges accept); None when malformed (`\\boxedx`, a bare `\\boxed`)."""
    brace, arg = _open_brace(text, pos, cmd)
    if brace >= 0:
        close = match_brace(text, brace, min(limit, brace + span))
        if close < 0:
            return brace
        return Box(pos, close + 1, text[brace + 1 : close])
    if arg < 0:
        return None
    m = _TOKEN.match(text, arg)
    return Box(pos, m.end(), m.group()) if m else None


def last_box(text: str) -> Box | None:
    """The last box that closes. Unclosed boxes after it (a completion cut off inside its answer)
    are skipped; after MAX_BOX_CANDIDATES commands or MAX_SCAN_CHARS characters of brace matching
    the search gives up. Each search stops at the `{` of the unclosed box after it, so the regions
    scanned are disjoint."""
    limit, budget = len(text), MAX_SCAN_CHARS
    for k, (pos, cmd) in enumerate(box_starts(text, 0, len(text))):
        if k >= MAX_BOX_CANDIDATES or budget <= 0:
            return None
        found = parse_box(text, pos, cmd, limit, min(MAX_BOX_CHARS, budget))
        if isinstance(found, Box):
            return found
        if isinstance(found, int):
            budget -= limit - found
            limit = found
    return None


def hedging_boxes(text: str, last: Box) -> list[Box]:
    """Non-empty boxes that close before `last` starts and start within HEDGE_WINDOW of it."""
    boxes = []
    lo = max(0, last.start - HEDGE_WINDOW)
    for k, (pos, cmd) in enumerate(box_starts(text, lo, last.start)):
        if k >= MAX_HEDGE_BOXES:
            break
        found = parse_box(text, pos, cmd, last.start)
        if isinstance(found, Box) and found.content.strip():
            boxes.append(found)
    return boxes
