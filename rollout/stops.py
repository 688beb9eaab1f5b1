"""Stop detection: stop token ids per step, stop strings incrementally on the decoded tail of each row.

Only the last few tokens are decoded each step (enough to hold the longest stop string), so the cost per
step does not grow with the completion. When a stop string appears, the final text is cut just before its
first occurrence; the completion ids keep every token up to and including the one that completed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


class StopChecker:
    def __init__(self, tokenizer: Any, stop_token_ids: Iterable[int], stop_strings: Sequence[str]) -> None:
        self.tokenizer = tokenizer
        self.stop_token_ids = frozenset(int(t) for t in stop_token_ids)
        self.stop_strings = tuple(s for s in stop_strings if s)
        # Every token decodes to >= 1 character except odd byte pieces; +4 tokens of slack covers those.
        self.tail_tokens = max((len(s) for s in self.stop_strings), default=0) + 4

    def is_stop_token(self, token_id: int) -> bool:
        return token_id in self.stop_token_ids

    def hits_stop_string(self, completion_ids: Sequence[int]) -> bool:
        """Whether the text of the completion so far contains a stop string ending in its latest tokens."""
        if not self.stop_strings:
            return False
        tail = self.tokenizer.decode(list(completion_ids[-self.tail_tokens :]), skip_special_tokens=True)
        return any(s in tail for s in self.stop_strings)

    def final_text(self, completion_ids: Sequence[int]) -> str:
        """Decoded completion (special tokens dropped), cut before the first stop string."""
        text = self.tokenizer.decode(list(completion_ids), skip_special_tokens=True)
        cuts = [i for i in (text.find(s) for s in self.stop_strings) if i >= 0]
        return text[: min(cuts)] if cuts else text
