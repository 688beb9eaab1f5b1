"""Per-item random streams and the train / held-out partition.

Each item's generator is seeded from a hash of (split, family, seed, index,
difficulty, attempt): never `Random(seed + index)`, which would make item i+1 of
seed s equal item i of seed s+1.
"""

from __future__ import annotations

import random
from hashlib import blake2b

# One problem in HELDOUT_BUCKETS is held out, judged by a hash of its content,
# so the training stream can never produce a held-out problem, whatever its seed.
HELDOUT_BUCKETS = 32


def hash64(text: str) -> int:
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "little")


def item_rng(split: str, family: str, seed: int, index: int, difficulty: int, attempt: int) -> random.Random:
    return random.Random(hash64(f"{split}|{family}|{seed}|{index}|{difficulty}|{attempt}"))


def is_heldout(family: str, question: str) -> bool:
    """Whether a problem belongs to the held-out split (content-addressed, seed-free)."""
    return hash64(f"{family}|{question}") % HELDOUT_BUCKETS == 0
