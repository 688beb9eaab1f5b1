"""Base conversion between bases 2..16 (up to 36 at the top levels): decimal to base b, base b to
decimal, and between two non-decimal bases. The answer is the numeral in the target base (uppercase
letters for digits above 9), judged as text with spec["base"]."""

from __future__ import annotations

import random

from ..numbers import DIGITS, to_base
from ..registry import Draft, Knobs, family
from ..types import Answer

WITH_DECIMAL, ANY_PAIR = 1, 2  # the `pairs` knob: conversions to/from base 10 only, or between any two bases

# bits: the number is below 2**bits (and at least 2**(bits // 2)); max_base: the largest base in use
LEVELS = [
    dict(bits=6, max_base=2, pairs=WITH_DECIMAL),
    dict(bits=8, max_base=8, pairs=WITH_DECIMAL),
    dict(bits=16, max_base=16, pairs=ANY_PAIR),
    dict(bits=20, max_base=16, pairs=ANY_PAIR),
    dict(bits=24, max_base=16, pairs=ANY_PAIR),
    dict(bits=28, max_base=16, pairs=ANY_PAIR),
    dict(bits=32, max_base=20, pairs=ANY_PAIR),
    dict(bits=36, max_base=24, pairs=ANY_PAIR),
    dict(bits=40, max_base=36, pairs=ANY_PAIR),
    dict(bits=48, max_base=36, pairs=ANY_PAIR),
]

_TEMPLATES = (
    "Convert {src} to base ${dst}$.",
    "Write {src} in base ${dst}$.",
    "Express {src} as a base-${dst}$ numeral.",
)


def _numeral(digits: str, base: int) -> str:
    return f"$\\mathrm{{{digits}}}_{{{base}}}$"


def _other_base(rng: random.Random, top: int, avoid: int) -> int:
    """A base in 2..top other than 10 and `avoid`."""
    return rng.choice([b for b in range(2, top + 1) if b != 10 and b != avoid])


@family("base_conversion", kind="text", category="number_theory", levels=LEVELS)
def base_conversion(rng: random.Random, k: Knobs) -> Draft:
    """Convert an integer between number bases (2..36)."""
    bits, top = k["bits"], k["max_base"]
    n = rng.randint(1 << (bits // 2), (1 << bits) - 1)
    u = rng.random()
    if k["pairs"] == ANY_PAIR and u < 1 / 3:
        src = _other_base(rng, top, 0)
        dst = _other_base(rng, top, src)
    elif u < 2 / 3:
        src, dst = 10, _other_base(rng, top, 0)
    else:
        src, dst = _other_base(rng, top, 0), 10
    src_digits, dst_digits = to_base(n, src), to_base(n, dst)
    shown = f"the decimal number ${n}$" if src == 10 else f"the base-${src}$ numeral {_numeral(src_digits, src)}"
    question = rng.choice(_TEMPLATES).format(src=shown, dst=dst)
    if dst > 10:
        question += (
            f" Use the letters A-{DIGITS[dst - 1]} for the digits 10-{dst - 1}, and write no prefix or subscript."
        )
    else:
        question += " Write only the digits, with no prefix or subscript."
    steps = []
    if src != 10:
        terms = [f"{DIGITS.index(c)} \\cdot {src}^{{{i}}}" for i, c in enumerate(reversed(src_digits)) if c != "0"]
        steps.append(f"Expand in powers of ${src}$: ${' + '.join(reversed(terms))} = {n}$.")
    if dst != 10:
        lines, m = [], n
        while m:
            q, r = divmod(m, dst)
            digit = f" ({DIGITS[r]})" if r > 9 else ""
            lines.append(f"${m} = {q} \\cdot {dst} + {r}${digit}")
            m = q
        steps.append(f"Divide by ${dst}$ repeatedly and keep the remainders: " + "; ".join(lines) + ".")
        steps.append(f"Reading the remainders from last to first gives {dst_digits}.")
    answer = Answer(kind="text", value=dst_digits, latex=dst_digits, spec={"base": dst})
    return Draft(question, answer, steps, data={"n": n, "from": src, "to": dst, "numeral": src_digits})
