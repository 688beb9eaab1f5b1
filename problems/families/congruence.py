"""Linear congruences a*x = b (mod m) (gcd(a, m) = 1, then gcd(a, m) > 1 with solutions) and systems
of 2..4 simultaneous congruences (Chinese remainder theorem; moduli need not be coprime at the top).
The solution is chosen first; the answer is the smallest non-negative solution and spec["modulus"]
the period of the solution set."""

from __future__ import annotations

import random
from math import gcd

from ..numbers import inverse_steps
from ..registry import Draft, Knobs, family
from ..types import Answer

LINEAR, LINEAR_GCD, SYSTEM, SYSTEM_ANY = range(4)  # the `kinds` knob: the highest kind of question in use

# max_m: largest modulus of a linear congruence; crt_m: largest modulus in a system; systems have
# 2..max_eqs congruences (pairwise coprime moduli unless the kind is SYSTEM_ANY)
LEVELS = [
    dict(kinds=LINEAR, max_m=13, crt_m=10, max_eqs=2),
    dict(kinds=LINEAR, max_m=30, crt_m=10, max_eqs=2),
    dict(kinds=SYSTEM, max_m=400, crt_m=40, max_eqs=3),
    dict(kinds=SYSTEM, max_m=500, crt_m=40, max_eqs=3),
    dict(kinds=SYSTEM, max_m=600, crt_m=45, max_eqs=3),
    dict(kinds=SYSTEM_ANY, max_m=600, crt_m=50, max_eqs=3),
    dict(kinds=SYSTEM_ANY, max_m=800, crt_m=60, max_eqs=3),
    dict(kinds=SYSTEM_ANY, max_m=1000, crt_m=80, max_eqs=4),
    dict(kinds=SYSTEM_ANY, max_m=2000, crt_m=100, max_eqs=4),
    dict(kinds=SYSTEM_ANY, max_m=5000, crt_m=150, max_eqs=4),
]

_LINEAR = (
    "Solve ${a}x \\equiv {b} \\pmod{{{m}}}$.",
    "Find all integers $x$ with ${a}x \\equiv {b} \\pmod{{{m}}}$.",
    "Solve the linear congruence ${a}x \\equiv {b} \\pmod{{{m}}}$.",
)
_LINEAR_TAIL = " Give the smallest non-negative solution."
_SYSTEM = (
    "Find the smallest non-negative integer $x$ such that {}.",
    "Solve the system {} for the smallest non-negative integer $x$.",
    "What is the smallest non-negative integer $x$ satisfying {}?",
)


def _unit(rng: random.Random, m: int) -> int:
    """A random a in 2..m-1 with gcd(a, m) = 1 (m >= 3)."""
    for _ in range(20):
        a = rng.randint(2, m - 1)
        if gcd(a, m) == 1:
            return a
    return m - 1


def _solve_linear(a: int, b: int, m: int, steps: list[str], var: str = "x") -> int:
    """var with a*var = b (mod m), gcd(a, m) = 1 (a reduced), explaining the inverse."""
    if m == 1:
        return 0
    inv, lines = inverse_steps(a, m)
    if lines:
        steps.append(f"Find the inverse of ${a}$ modulo ${m}$ with the extended Euclidean algorithm:")
        steps.extend(lines)
    steps.append(
        f"So ${a}^{{-1}} \\equiv {inv} \\pmod{{{m}}}$ and ${var} \\equiv {inv} \\cdot {b} \\equiv {inv * b % m} \\pmod{{{m}}}$."
    )
    return inv * b % m


def _linear(rng: random.Random, k: Knobs, with_gcd: bool) -> tuple[str, list[str], int, int, dict]:
    if with_gcd:
        m1 = rng.randint(2, k["max_m"] // 2)
        g = rng.randint(2, k["max_m"] // m1)
        m = g * m1
        a1 = _unit(rng, m1) if m1 >= 3 else 1
        a = g * a1
    else:
        m = rng.randint(max(3, k["max_m"] // 5), k["max_m"])
        g, m1 = 1, m
        a = a1 = _unit(rng, m)
    x0 = rng.randint(0, m1 - 1)
    b = a * x0 % m
    steps = []
    if g > 1:
        steps.append(
            f"$\\gcd({a}, {m}) = {g}$ divides ${b}$, so divide everything by ${g}$: "
            f"${a1}x \\equiv {b // g} \\pmod{{{m1}}}$."
        )
    x = _solve_linear(a1, b // g, m1, steps)
    steps.append(f"The solutions are $x \\equiv {x} \\pmod{{{m1}}}$, and the smallest non-negative one is ${x}$.")
    question = rng.choice(_LINEAR).format(a=a, b=b, m=m) + _LINEAR_TAIL
    return question, steps, x, m1, {"type": "linear", "a": a, "b": b, "m": m}


def _moduli(rng: random.Random, k: Knobs, coprime: bool) -> list[int]:
    n = rng.randint(2, k["max_eqs"])
    mods: list[int] = []
    for _ in range(40):
        if len(mods) == n:
            break
        m = rng.randint(max(2, k["crt_m"] // 4), k["crt_m"])
        if m in mods:
            continue
        if coprime and any(gcd(m, o) != 1 for o in mods):
            continue
        if not coprime and any(o % m == 0 or m % o == 0 for o in mods):
            continue  # a modulus dividing another would make one congruence redundant or a copy
        mods.append(m)
    if len(mods) < 2:
        mods = [3, 4]
    return mods


def _system(rng: random.Random, k: Knobs, coprime: bool) -> tuple[str, list[str], int, int, dict]:
    mods = _moduli(rng, k, coprime)
    period = 1
    for m in mods:
        period = period * m // gcd(period, m)
    x = rng.randint(0, period - 1)
    res = [x % m for m in mods]
    conds = [f"$x \\equiv {r} \\pmod{{{m}}}$" for r, m in zip(res, mods)]
    shown = " and ".join(conds) if len(conds) == 2 else ", ".join(conds[:-1]) + f", and {conds[-1]}"
    question = rng.choice(_SYSTEM).format(shown)
    steps = []
    cur, big = res[0], mods[0]
    for r, m in zip(res[1:], mods[1:]):
        g = gcd(big, m)
        diff = r - cur
        steps.append(
            f"Merge $x \\equiv {cur} \\pmod{{{big}}}$ with $x \\equiv {r} \\pmod{{{m}}}$: write $x = {cur} + {big}t$, "
            f"so ${big}t \\equiv {diff % m} \\pmod{{{m}}}$."
        )
        a, b, mod = big // g, diff // g % (m // g), m // g
        if g > 1:
            steps.append(f"Divide by $\\gcd({big}, {m}) = {g}$: ${a}t \\equiv {b} \\pmod{{{mod}}}$.")
        if mod > 1 and a % mod != a:
            steps.append(f"Reduce the coefficient: ${a % mod}t \\equiv {b} \\pmod{{{mod}}}$.")
        t = _solve_linear(a % mod, b, mod, steps, "t") if mod > 1 else 0
        new_big = big * mod
        cur = (cur + big * t) % new_big
        steps.append(f"So $t \\equiv {t} \\pmod{{{mod}}}$ and $x \\equiv {cur} \\pmod{{{new_big}}}$.")
        big = new_big
    steps.append(f"The smallest non-negative solution is ${cur}$.")
    return question, steps, cur, big, {"type": "system", "congruences": [[r, m] for r, m in zip(res, mods)]}


@family("congruence", kind="number", category="number_theory", levels=LEVELS)
def congruence(rng: random.Random, k: Knobs) -> Draft:
    """Solve a linear congruence or a system of congruences (CRT); smallest non-negative solution."""
    kind = rng.randint(LINEAR, k["kinds"])
    if kind in (LINEAR, LINEAR_GCD):
        question, steps, x, period, data = _linear(rng, k, kind == LINEAR_GCD)
    else:
        question, steps, x, period, data = _system(rng, k, kind == SYSTEM)
    answer = Answer(kind="number", value=str(x), latex=str(x), spec={"modulus": period})
    return Draft(question, answer, steps, data=data)
