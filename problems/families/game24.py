"""The 24 game: combine all the given numbers, each exactly once, with + - * / to make 24.

The answer comes first: an expression tree is grown backwards from 24, splitting a
value v into `a op b` with one side drawn at random and the other computed
exactly, until every leaf is a whole number in range; the leaves are the numbers
shown. Higher levels give five to seven numbers, larger numbers and references
whose intermediate results pass through fractions (as in 8 / (3 - 8/3)).
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..puzzle_util import combine, expr_steps, expr_text, has_fraction, leaves, numbers_latex
from ..registry import Draft, Knobs, family
from ..types import Answer

TARGET = 24
WHOLE, SOME_FRACTIONS, FRACTIONS = range(3)  # the fractions knob: what the reference's intermediates may be

# count: how many numbers; max_number: numbers are 1..max_number; fractions: WHOLE (every intermediate result of
# the reference is a whole number), SOME_FRACTIONS (fractions allowed), FRACTIONS (the reference always passes
# through a fraction).
LEVELS = [
    dict(count=4, max_number=10, fractions=WHOLE),
    dict(count=4, max_number=13, fractions=WHOLE),
    dict(count=5, max_number=40, fractions=WHOLE),
    dict(count=5, max_number=50, fractions=SOME_FRACTIONS),
    dict(count=5, max_number=50, fractions=FRACTIONS),
    dict(count=6, max_number=50, fractions=FRACTIONS),
    dict(count=6, max_number=60, fractions=FRACTIONS),
    dict(count=6, max_number=75, fractions=FRACTIONS),
    dict(count=6, max_number=99, fractions=FRACTIONS),
    dict(count=7, max_number=99, fractions=FRACTIONS),
]

MAX_TRIES = 400
_TRIES_PER_NODE = 3
_OPS = "+-*/"
_GROW = "+---*///"  # below max_number, favour the splits whose drawn side makes the other side bigger
_RANDOM_SPLIT = 0.3  # with fractions allowed, how often a * or / split is drawn freely rather than kept whole
_SUMS_KEPT = 0.2  # share of references made of + and - alone that are kept (they are the easiest to find)
_DIVISORS: dict[int, list[int]] = {}  # memo of a pure function


def _divisors(t: int) -> list[int]:
    """Divisors of t other than 1, ascending."""
    if t not in _DIVISORS:
        _DIVISORS[t] = [d for d in range(2, t + 1) if t % d == 0]
    return _DIVISORS[t]


def _split(rng: random.Random, t: int | Fraction, n: int, m: int, frac: bool, cap: int):
    """An expression with n leaves in 1..m whose exact value is t, or None (bounded random search).

    t = x op y: x is drawn (a leaf whenever either side is one), y is computed; both are split further.
    Whole values stay whole unless `frac`; a fraction p/q is mostly split so that the other side is whole."""
    if n == 1:
        return t if type(t) is int and 1 <= t <= m and t != TARGET else None
    whole = type(t) is int
    p, q = (t, 1) if whole else (t.numerator, t.denominator)
    for _ in range(_TRIES_PER_NODE):
        n1 = rng.randint(1, n - 1)
        if n1 == 1 or n1 == n - 1:
            nx, x_left = 1, n1 == 1
        else:
            x_left = rng.random() < 0.5
            nx = n1 if x_left else n - n1
        hi = m if nx == 1 else cap // 4
        if not whole and n == 2:
            op = "/"  # two whole numbers make a fraction only by dividing
        else:
            op = rng.choice(_GROW if p < q * m else _OPS)  # from small values, grow: leaves spread over 1..m
        if op == "+":  # t = x + y
            top = min(hi, -(-p // q) - 1)
            if top < 1:
                continue
            x = rng.randint(1, top)
            y = t - x
        elif op == "-":
            if x_left:  # t = x - y
                lo = p // q + 1
                if lo > hi or (hi - lo < hi // 4 and rng.random() < 0.7):
                    continue  # x would hardly vary (24 = 25 - y again and again)
                x = rng.randint(lo, hi)
                y = x - t
            else:  # t = y - x
                x = rng.randint(1, hi)
                y = t + x
        elif op == "*":  # t = x * y
            if frac and rng.random() < _RANDOM_SPLIT:
                x = rng.randint(2, hi)
                y = Fraction(p, q * x)
            else:
                divs = _divisors(p)
                if not divs or divs[0] > hi:
                    continue
                x = rng.choice(divs)
                if x > hi:
                    continue
                y = p // x if whole else Fraction(p // x, q)
        elif x_left:  # t = x / y
            if frac and rng.random() < _RANDOM_SPLIT:
                x = rng.randint(1, hi)
                y = Fraction(x * q, p)
            else:
                if p > hi:
                    continue
                x = p * rng.randint(1, hi // p)
                y = x // p * q
        else:  # t = y / x
            if frac and rng.random() < _RANDOM_SPLIT:
                x = rng.randint(2, hi)
                y = Fraction(p * x, q)
            else:
                if 2 * q > hi:
                    continue
                x = q * rng.randint(2 if q == 1 else 1, hi // q)
                y = p * x // q
        if type(y) is not int:
            if y.denominator == 1:
                y = y.numerator
            elif not frac or y.denominator > m:
                continue
        if y <= 0 or y > cap or y == TARGET or x == TARGET or (op in "*/" and (x == 1 or y == 1 or x == y)):
            continue  # no 24 inside, no multiplying or dividing by one, no a / a
        if y == 1 and n - nx > 2:
            continue  # no long detours to make a one
        ys = _split(rng, y, n - nx, m, frac, cap)
        if ys is None:
            continue
        xs = x if nx == 1 else _split(rng, x, nx, m, frac, cap)
        if xs is None:
            continue
        return combine(op, xs, ys) if x_left else combine(op, ys, xs)
    return None


def _multiplies(node) -> bool:
    """Whether the expression has a * or a /."""
    return not isinstance(node, int) and (node[0] in "*/" or _multiplies(node[1]) or _multiplies(node[2]))


def _reference(rng: random.Random, k: Knobs):
    m, n = k.max_number, k.count
    cap = max(100, 32 * m)
    for _ in range(MAX_TRIES):
        if k.fractions != FRACTIONS:
            node = _split(rng, TARGET, n, m, k.fractions == SOME_FRACTIONS, cap)
            if node is not None and (_multiplies(node) or rng.random() < _SUMS_KEPT):
                return node
            continue
        # force a fraction at the root: 24 = x / y or 24 = y * x with y not whole
        x = rng.randint(5, m)
        if rng.random() < 0.5:
            y, op = Fraction(x, TARGET), "/"
        else:
            y, op = Fraction(TARGET, x), "*"
        if y.denominator == 1 or y.denominator > m:
            continue
        sub = _split(rng, y, n - 1, m, True, cap)
        if sub is not None:
            return combine(op, x, sub) if op == "/" or rng.random() < 0.5 else combine(op, sub, x)
    # never reached in practice: 4 * 6 * 1 * ... * 1
    node = combine("*", 4, 6)
    for _ in range(n - 2):
        node = combine("*", node, 1)
    return node


@family("game24", kind="countdown", category="puzzles", levels=LEVELS)
def game24(rng: random.Random, k: Knobs) -> Draft:
    """The 24 game: use every given number exactly once with + - * / to make 24."""
    node = _reference(rng, k)
    numbers = leaves(node)
    rng.shuffle(numbers)
    plain, latex = expr_text(node), expr_text(node, latex=True)
    shown = numbers_latex(numbers)
    question = (
        f"Make {TARGET} from the numbers ${shown}$. Use every number exactly once, combined with addition, "
        "subtraction, multiplication, division and parentheses; intermediate results may be fractions. Answer "
        "with a single arithmetic expression, writing * for multiplication and / for division."
    )
    steps = [f"Combine ${shown}$ step by step:", *expr_steps(node), f"So ${latex} = {TARGET}$."]
    if has_fraction(node):
        steps.insert(1, "Allowing a fraction along the way:")
    answer = Answer(
        kind="countdown",
        value=plain,
        latex=latex,
        spec={"numbers": numbers, "target": TARGET, "use_all": True},
    )
    return Draft(question, answer, steps, data={"numbers": numbers, "target": TARGET, "use_all": True})
