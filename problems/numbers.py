"""Small exact number-theory and number-printing helpers for the arithmetic and number-theory families.

Pure Python ints only (no CAS): a prime table, trial-division factorisation of
small integers, base conversion, prime-power printing, and the worked-step
helpers (Euclid, extended Euclid, repeated squaring) that several families share.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _sieve(n: int) -> list[int]:
    flags = bytearray([1]) * (n + 1)
    flags[0:2] = b"\x00\x00"
    for i in range(2, int(n**0.5) + 1):
        if flags[i]:
            flags[i * i :: i] = bytearray(len(range(i * i, n + 1, i)))
    return [i for i in range(n + 1) if flags[i]]


PRIMES: list[int] = _sieve(2000)


def primes_upto(n: int) -> list[int]:
    """The primes <= n (n <= 2000)."""
    lo, hi = 0, len(PRIMES)
    while lo < hi:
        mid = (lo + hi) // 2
        if PRIMES[mid] <= n:
            lo = mid + 1
        else:
            hi = mid
    return PRIMES[:lo]


def factorize(n: int) -> list[tuple[int, int]]:
    """[(p, e), ...] with p ascending, for 1 <= n (trial division: meant for n up to ~10**12 with small factors)."""
    out = []
    for p in PRIMES:
        if p * p > n:
            break
        if n % p == 0:
            e = 0
            while n % p == 0:
                n //= p
                e += 1
            out.append((p, e))
    if n > 1:
        f = PRIMES[-1] + 2
        while f * f <= n:  # only reached for factors beyond the table
            if n % f == 0:
                e = 0
                while n % f == 0:
                    n //= f
                    e += 1
                out.append((f, e))
            f += 2
        if n > 1:
            out.append((n, 1))
    return out


def pick_distinct(rng: random.Random, pool: Sequence[int], k: int) -> list[int]:
    """k distinct items of pool (k <= len(pool)), ascending; cheaper than rng.sample for small k."""
    rnd, n = rng.random, len(pool)
    got: set[int] = set()
    while len(got) < k:
        got.add(int(rnd() * n))
    return [pool[i] for i in sorted(got)]


def prime_power_plain(factors: Sequence[tuple[int, int]]) -> str:
    """2**3*3**2*5"""
    return "*".join(f"{p}**{e}" if e > 1 else str(p) for p, e in factors)


def prime_power_latex(factors: Sequence[tuple[int, int]]) -> str:
    """2^{3} \\cdot 3^{2} \\cdot 5"""
    return " \\cdot ".join(f"{p}^{{{e}}}" if e > 1 else str(p) for p, e in factors)


def to_base(n: int, b: int) -> str:
    """The numeral of n >= 0 in base b (2..36), uppercase letters for digits above 9."""
    if n == 0:
        return "0"
    out = []
    while n:
        n, r = divmod(n, b)
        out.append(DIGITS[r])
    return "".join(reversed(out))


def paren(v: int) -> str:
    """An integer as a right operand: negatives in parentheses."""
    return f"({v})" if v < 0 else str(v)


def euclid_steps(a: int, b: int) -> tuple[int, list[str]]:
    """gcd(a, b) of positive ints by Euclid's algorithm, with one LaTeX line per division."""
    lines = []
    while b:
        q, r = divmod(a, b)
        lines.append(f"${a} = {q} \\cdot {b} + {r}$")
        a, b = b, r
    return a, lines


def inverse_steps(a: int, m: int) -> tuple[int, list[str]]:
    """The inverse of a modulo m (gcd(a, m) = 1, m >= 2) by the extended Euclidean algorithm, with worked lines.

    Each remainder r is written as r = s * a (mod m): m = 0 * a, a = 1 * a, ... down to 1 = s * a.
    """
    a %= m
    r0, r1 = m, a
    s0, s1 = 0, 1
    lines = []
    while r1 > 1:
        q, r = divmod(r0, r1)
        s = s0 - q * s1
        lines.append(f"${r0} = {q} \\cdot {r1} + {r}$, so ${r} \\equiv {s} \\cdot {a} \\pmod{{{m}}}$.")
        r0, r1, s0, s1 = r1, r, s1, s
    return s1 % m, lines


def mod_pow_steps(a: int, e: int, m: int) -> tuple[int, list[str]]:
    """a**e mod m (0 <= a < m, e >= 1) by repeated squaring, with worked LaTeX lines."""
    squares = [a]
    k = 0
    while 2 << k <= e:
        k += 1
        squares.append(squares[-1] * squares[-1] % m)
    lines = []
    if k:
        chain = ", ".join(f"{a}^{{{1 << i}}} \\equiv {s}" for i, s in enumerate(squares))
        lines.append(f"Square repeatedly modulo ${m}$: ${chain}$.")
    bits = [i for i in range(k, -1, -1) if e >> i & 1]
    result = 1
    for i in bits:
        result = result * squares[i] % m
    if len(bits) > 1:
        powers = " + ".join(str(1 << i) for i in bits)
        prod = " \\cdot ".join(str(squares[i]) for i in bits)
        lines.append(f"${e} = {powers}$, so ${a}^{{{e}}} \\equiv {prod} \\equiv {result} \\pmod{{{m}}}$.")
    return result, lines


def random_factorization(
    rng: random.Random, kmin: int, kmax: int, max_prime: int, max_exp: int, big_prime: int, cap: int
) -> list[tuple[int, int]]:
    """A random factorisation [(p, e), ...] (p ascending): kmin..kmax distinct primes <= max_prime with exponents
    1..max_exp, and, when big_prime > max_prime, one more prime in (max_prime, big_prime]. Exponents are
    lowered (a random one above 1 at a time) until the product is at most cap."""
    rnd = rng.random
    small = primes_upto(max_prime)
    k = kmin + int(rnd() * (kmax - kmin + 1))
    ps = pick_distinct(rng, small, min(k, len(small)))
    fs = [[p, 1 + int(rnd() * max_exp)] for p in ps]
    if big_prime > max_prime:
        lo = len(small)
        hi = len(primes_upto(big_prime))
        fs.append([PRIMES[lo + int(rnd() * (hi - lo))], 1])
    n = 1
    for p, e in fs:
        n *= p**e
    while n > cap:
        over = [f for f in fs if f[1] > 1]
        if not over:
            break
        f = over[int(rnd() * len(over))]
        f[1] -= 1
        n //= f[0]
    return [(p, e) for p, e in fs]
