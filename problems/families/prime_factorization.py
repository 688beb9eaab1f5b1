"""Prime factorisation: the primes and exponents are chosen first and multiplied out; the answer
is the factorisation as a product of prime powers with the primes in increasing order."""

from __future__ import annotations

import random

from ..numbers import prime_power_latex, prime_power_plain, random_factorization
from ..registry import Draft, Knobs, family
from ..types import Answer

# min_primes..max_primes distinct primes up to max_prime with exponents up to max_exp, times one more prime
# up to big_prime (when above max_prime); exponents are lowered until the number is at most cap
LEVELS = [
    dict(min_primes=1, max_primes=2, max_prime=7, max_exp=3, big_prime=0, cap=1000),
    dict(min_primes=2, max_primes=3, max_prime=13, max_exp=3, big_prime=0, cap=10**4),
    dict(min_primes=3, max_primes=4, max_prime=37, max_exp=4, big_prime=1000, cap=10**11),
    dict(min_primes=3, max_primes=4, max_prime=41, max_exp=4, big_prime=1000, cap=10**11),
    dict(min_primes=3, max_primes=5, max_prime=47, max_exp=4, big_prime=2000, cap=10**12),
    dict(min_primes=4, max_primes=5, max_prime=53, max_exp=4, big_prime=2000, cap=10**12),
    dict(min_primes=4, max_primes=5, max_prime=61, max_exp=5, big_prime=2000, cap=10**13),
    dict(min_primes=4, max_primes=6, max_prime=79, max_exp=5, big_prime=2000, cap=10**14),
    dict(min_primes=5, max_primes=6, max_prime=97, max_exp=6, big_prime=2000, cap=10**15),
    dict(min_primes=5, max_primes=7, max_prime=113, max_exp=6, big_prime=2000, cap=10**16),
]

_TEMPLATES = (
    "Find the prime factorization of ${}$.",
    "Decompose ${}$ into prime factors.",
    "What is the prime factorization of ${}$?",
    "Factor ${}$ completely into primes.",
)
_ARROW = " \\to "
_FORMAT = (
    " Give it as a product of prime powers with the primes in increasing order, like $2^{3} \\cdot 3 \\cdot 5^{2}$."
)


@family("prime_factorization", kind="factorization", category="number_theory", levels=LEVELS)
def prime_factorization(rng: random.Random, k: Knobs) -> Draft:
    """Factor an integer into primes; the answer is its prime-power factorisation."""
    fs = random_factorization(
        rng, k["min_primes"], k["max_primes"], k["max_prime"], k["max_exp"], k["big_prime"], k["cap"]
    )
    n = 1
    for p, e in fs:
        n *= p**e
    steps = []
    m = n
    for p, e in fs:
        chain = [m]
        for _ in range(e):
            m //= p
            chain.append(m)
        times = "once" if e == 1 else ("twice" if e == 2 else f"{e} times")
        steps.append(f"Divide by ${p}$ {times}: ${_ARROW.join(map(str, chain))}$.")
    if n > 1 and steps:
        steps.append("Every factor found is prime, so the factorization is complete.")
    question = _TEMPLATES[int(rng.random() * 4)].format(n) + _FORMAT
    answer = Answer(
        kind="factorization",
        value=prime_power_plain(fs),
        latex=prime_power_latex(fs),
        spec={"factors": {str(p): e for p, e in fs}},
    )
    return Draft(question, answer, steps, data={"n": n})
