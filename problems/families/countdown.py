"""Countdown numbers game: reach a target with + - * / using each given number at most once.

The answer comes first: the numbers are drawn in the style of the TV show (small
numbers, at most two of each, and a few distinct large ones), a random expression
tree is built over a random subset of them with exact arithmetic, and its value
becomes the target. At low levels every intermediate result is a positive whole
number, as on the show; at the top levels intermediate fractions may appear.
"""

from __future__ import annotations

import random

from ..puzzle_util import combine, expr_steps, expr_text, numbers_latex, value
from ..registry import Draft, Knobs, family
from ..types import Answer

# The large_pool knob: which large numbers can be drawn (each at most once).
CLASSIC, CLASSIC_ODD, WIDE = range(3)
_LARGE = {
    CLASSIC: (25, 50, 75, 100),
    CLASSIC_ODD: (12, 25, 37, 50, 62, 75, 87, 100),
    WIDE: tuple(range(11, 151)),
}

# count: numbers given; large: at most this many large numbers; small_max: small numbers are 1..small_max
# (two of each in the deck); min_used: the reference uses at least this many numbers; target_lo/target_hi:
# the target's range; fractions: whether the reference may pass through non-whole intermediate results.
LEVELS = [
    dict(count=3, large=0, large_pool=CLASSIC, small_max=10, min_used=2, target_lo=10, target_hi=50, fractions=0),
    dict(count=4, large=1, large_pool=CLASSIC, small_max=10, min_used=3, target_lo=10, target_hi=100, fractions=0),
    dict(count=5, large=1, large_pool=CLASSIC, small_max=10, min_used=3, target_lo=20, target_hi=200, fractions=0),
    dict(count=5, large=2, large_pool=CLASSIC, small_max=10, min_used=4, target_lo=50, target_hi=400, fractions=0),
    dict(count=6, large=2, large_pool=CLASSIC, small_max=10, min_used=4, target_lo=100, target_hi=999, fractions=0),
    dict(count=6, large=4, large_pool=CLASSIC, small_max=10, min_used=5, target_lo=100, target_hi=999, fractions=0),
    dict(count=6, large=4, large_pool=CLASSIC_ODD, small_max=10, min_used=5, target_lo=100, target_hi=999, fractions=0),
    dict(count=6, large=4, large_pool=CLASSIC_ODD, small_max=10, min_used=6, target_lo=100, target_hi=999, fractions=0),
    dict(count=7, large=4, large_pool=WIDE, small_max=12, min_used=6, target_lo=100, target_hi=1999, fractions=1),
    dict(count=7, large=4, large_pool=WIDE, small_max=15, min_used=7, target_lo=100, target_hi=4999, fractions=1),
]

MAX_TRIES = 60


def _numbers(rng: random.Random, k: Knobs) -> list[int]:
    n_large = rng.randint(0, min(k.large, k.count - 2))
    large = rng.sample(_LARGE[k.large_pool], n_large)
    small = rng.sample(range(2 * k.small_max), k.count - n_large)  # a deck with two cards of each small number
    numbers = large + [s // 2 + 1 for s in small]
    rng.shuffle(numbers)
    return numbers


def _tree(rng: random.Random, pool: list[int], fractions: int):
    """Combine the pool pairwise at random until one expression remains; values stay positive."""
    items: list = list(pool)
    while len(items) > 1:
        j = rng.randrange(len(items))
        b = items.pop(j)
        i = rng.randrange(len(items))
        a = items[i]
        va, vb = value(a), value(b)
        if va < vb:
            a, b, va, vb = b, a, vb, va
        ops = ["+", "*", "+", "*"] if vb != 1 else ["+", "+"]
        if va != vb:
            ops.append("-")
        if vb != 1 and isinstance(va, int) and isinstance(vb, int) and va % vb == 0:
            ops += ["/", "/"]
        elif fractions:
            ops.append("/")
        op = rng.choice(ops)
        if op == "/" and fractions and rng.random() < 0.3:
            a, b = b, a
        items[i] = combine(op, a, b)
    return items[0]


@family("countdown", kind="countdown", category="puzzles", levels=LEVELS)
def countdown(rng: random.Random, k: Knobs) -> Draft:
    """Countdown numbers game: reach a target using + - * / and each given number at most once."""
    numbers = _numbers(rng, k)
    best, best_gap = None, None
    for _ in range(MAX_TRIES):
        used = rng.sample(numbers, rng.randint(k.min_used, k.count))
        node = _tree(rng, used, k.fractions)
        t = value(node)
        if not isinstance(t, int) or t in numbers:
            continue
        gap = max(k.target_lo - t, t - k.target_hi, 0)
        if best is None or gap < best_gap:
            best, best_gap = node, gap
            if gap == 0:
                break
    if best is None:  # never seen in practice: fall back to the sum of all the numbers
        best = numbers[0]
        for x in numbers[1:]:
            best = combine("+", best, x)
    target = value(best)
    plain, latex = expr_text(best), expr_text(best, latex=True)
    question = (
        f"Countdown numbers game. Using the numbers ${numbers_latex(numbers)}$, make ${target}$. You may use "
        "addition, subtraction, multiplication, division and parentheses, and each number at most once "
        "(a number listed twice may be used twice); you do not have to use all of them. Answer with a single "
        "arithmetic expression in the given numbers, writing * for multiplication and / for division."
    )
    steps = [f"Aim for ${target}$ with the numbers ${numbers_latex(numbers)}$.", *expr_steps(best)]
    steps.append(f"So ${latex} = {target}$.")
    answer = Answer(
        kind="countdown",
        value=plain,
        latex=latex,
        spec={"numbers": numbers, "target": target, "use_all": False},
    )
    return Draft(question, answer, steps, data={"numbers": numbers, "target": target, "use_all": False})
