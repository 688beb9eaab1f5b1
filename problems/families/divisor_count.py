"""Divisor counting: the number of positive divisors of n, then the sum of the divisors, the number
of even or odd divisors, and the number of perfect-square divisors. The factorisation of n is chosen
first, so the answer comes from the divisor formulas."""

from __future__ import annotations

import random

from ..numbers import prime_power_latex, random_factorization
from ..registry import Draft, Knobs, family
from ..types import Answer

COUNT, SUM, PARITY, SQUARES = range(4)  # the `asks` knob: the highest kind of question in use

# the factorisation of n: min_primes..max_primes primes up to max_prime, exponents up to max_exp, one more
# prime up to big_prime (when above max_prime), n at most cap
LEVELS = [
    dict(asks=COUNT, min_primes=1, max_primes=2, max_prime=7, max_exp=3, big_prime=0, cap=1000),
    dict(asks=SUM, min_primes=2, max_primes=3, max_prime=13, max_exp=3, big_prime=0, cap=10**4),
    dict(asks=SUM, min_primes=3, max_primes=4, max_prime=37, max_exp=4, big_prime=1000, cap=10**11),
    dict(asks=PARITY, min_primes=3, max_primes=4, max_prime=41, max_exp=4, big_prime=1000, cap=10**11),
    dict(asks=PARITY, min_primes=3, max_primes=5, max_prime=41, max_exp=5, big_prime=1000, cap=10**12),
    dict(asks=SQUARES, min_primes=3, max_primes=5, max_prime=47, max_exp=5, big_prime=1000, cap=10**12),
    dict(asks=SQUARES, min_primes=4, max_primes=5, max_prime=53, max_exp=6, big_prime=2000, cap=10**13),
    dict(asks=SQUARES, min_primes=4, max_primes=6, max_prime=61, max_exp=6, big_prime=2000, cap=10**14),
    dict(asks=SQUARES, min_primes=4, max_primes=6, max_prime=79, max_exp=7, big_prime=2000, cap=10**15),
    dict(asks=SQUARES, min_primes=5, max_primes=7, max_prime=97, max_exp=8, big_prime=2000, cap=10**16),
]

_COUNT = (
    "How many positive divisors does ${}$ have?",
    "Find the number of positive integer divisors of ${}$.",
    "Count the positive divisors of ${}$.",
)
_SUM = (
    "What is the sum of all positive divisors of ${}$?",
    "Find the sum of the positive divisors of ${}$ (including $1$ and the number itself).",
    "Compute the sum of every positive integer that divides ${}$.",
)
_PARITY = ("How many positive {} divisors does ${}$ have?", "Find the number of {} positive divisors of ${}$.")
_SQUARES = (
    "How many positive divisors of ${}$ are perfect squares?",
    "Find the number of perfect squares that divide ${}$ (count $1$ as well).",
)


@family("divisor_count", kind="number", category="number_theory", levels=LEVELS)
def divisor_count(rng: random.Random, k: Knobs) -> Draft:
    """Count the divisors of n (or their sum, the even/odd ones, the perfect-square ones)."""
    ask = rng.randint(COUNT, k["asks"])
    fs = random_factorization(
        rng, k["min_primes"], k["max_primes"], k["max_prime"], k["max_exp"], k["big_prime"], k["cap"]
    )
    if ask == PARITY and fs[0][0] != 2:
        fs.insert(0, (2, rng.randint(1, 3)))
    n = 1
    for p, e in fs:
        n *= p**e
    steps = [f"Factor: ${n} = {prime_power_latex(fs)}$."]
    if ask == COUNT:
        value = 1
        for _, e in fs:
            value *= e + 1
        parts = " \\cdot ".join(f"({e} + 1)" for _, e in fs)
        steps.append(f"A divisor picks each exponent from $0$ up to its maximum, so there are ${parts} = {value}$.")
        question = rng.choice(_COUNT).format(n)
        what = "count"
    elif ask == SUM:
        value = 1
        parts = []
        for p, e in fs:
            s = (p ** (e + 1) - 1) // (p - 1)
            value *= s
            parts.append(f"(1 + {p})" if e == 1 else f"(1 + {p} + \\dots + {p}^{{{e}}})")
        factors = " \\cdot ".join(str((p ** (e + 1) - 1) // (p - 1)) for p, e in fs)
        steps.append(f"The divisor sum is multiplicative: $\\sigma({n}) = {' '.join(parts)} = {factors} = {value}$.")
        question = rng.choice(_SUM).format(n)
        what = "sum"
    elif ask == PARITY:
        odd = 1
        for _, e in fs[1:]:
            odd *= e + 1
        a = fs[0][1]
        if rng.random() < 0.5:
            value, what = odd * a, "even"
            steps.append(
                f"An even divisor has $2^{{j}}$ with $1 \\le j \\le {a}$ ({a} choices) and any divisor of the odd "
                f"part ({odd} choices): ${a} \\cdot {odd} = {value}$."
            )
        else:
            value, what = odd, "odd"
            steps.append(f"The odd divisors are the divisors of the odd part, so there are ${odd}$.")
        template = rng.choice(_PARITY)
        question = template.format(what, n)
    else:
        value = 1
        for _, e in fs:
            value *= e // 2 + 1
        parts = " \\cdot ".join(f"({e // 2} + 1)" for _, e in fs)
        steps.append(
            "A square divisor uses an even exponent of each prime, from $0$ up to its maximum: "
            f"${parts} = {value}$ choices."
        )
        question = rng.choice(_SQUARES).format(n)
        what = "square"
    answer = Answer(kind="number", value=str(value), latex=str(value))
    return Draft(question, answer, steps, data={"n": n, "ask": what})
