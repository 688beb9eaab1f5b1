"""Greatest common divisor and least common multiple of two or more integers. The common factor
and the cofactors are chosen first; the worked steps use Euclid's algorithm."""

from __future__ import annotations

import random
from math import gcd

from ..numbers import euclid_steps
from ..registry import Draft, Knobs, family
from ..types import Answer

GCD_ONLY, GCD_OR_LCM = range(2)  # the `ops` knob

# min_count..count: how many numbers; max_common: largest chosen common factor; max_cof: largest cofactor
# for gcd questions; lcm_cof: largest cofactor for lcm questions (smaller, so the lcm stays readable)
LEVELS = [
    dict(ops=GCD_ONLY, min_count=2, count=2, max_common=10, max_cof=9, lcm_cof=6),
    dict(ops=GCD_OR_LCM, min_count=2, count=2, max_common=20, max_cof=15, lcm_cof=9),
    dict(ops=GCD_OR_LCM, min_count=3, count=3, max_common=100, max_cof=40, lcm_cof=30),
    dict(ops=GCD_OR_LCM, min_count=3, count=3, max_common=150, max_cof=50, lcm_cof=30),
    dict(ops=GCD_OR_LCM, min_count=3, count=4, max_common=200, max_cof=60, lcm_cof=30),
    dict(ops=GCD_OR_LCM, min_count=3, count=4, max_common=300, max_cof=80, lcm_cof=30),
    dict(ops=GCD_OR_LCM, min_count=3, count=5, max_common=500, max_cof=100, lcm_cof=35),
    dict(ops=GCD_OR_LCM, min_count=4, count=5, max_common=1000, max_cof=100, lcm_cof=40),
    dict(ops=GCD_OR_LCM, min_count=4, count=6, max_common=2000, max_cof=200, lcm_cof=40),
    dict(ops=GCD_OR_LCM, min_count=5, count=6, max_common=5000, max_cof=300, lcm_cof=50),
]

_GCD = (
    "Find the greatest common divisor of {}.",
    "What is the greatest common divisor of {}?",
    "Compute $\\gcd({})$.",
)
_LCM = (
    "Find the least common multiple of {}.",
    "What is the least common multiple of {}?",
    "Compute $\\operatorname{{lcm}}({})$.",
)


def _listing(nums: list[int]) -> str:
    items = [f"${n}$" for n in nums]
    return f"{items[0]} and {items[1]}" if len(items) == 2 else ", ".join(items[:-1]) + f", and {items[-1]}"


@family("gcd_lcm", kind="number", category="number_theory", levels=LEVELS)
def gcd_lcm(rng: random.Random, k: Knobs) -> Draft:
    """Greatest common divisor or least common multiple of two or more integers."""
    rnd = rng.random
    lo = k["min_count"]
    n = lo + int(rnd() * (k["count"] - lo + 1))
    use_lcm = k["ops"] == GCD_OR_LCM and rnd() < 0.5
    g = 2 + int(rnd() * (k["max_common"] - 1))
    top = k["lcm_cof"] if use_lcm else k["max_cof"]
    cofs: list[int] = []
    while len(cofs) < n:
        c = 1 + int(rnd() * top)
        if c not in cofs:
            cofs.append(c)
    nums = [g * c for c in cofs]
    steps = []
    acc = nums[0]
    if use_lcm:
        for b in nums[1:]:
            d = gcd(acc, b)
            new = acc // d * b
            steps.append(
                f"$\\gcd({acc}, {b}) = {d}$, so $\\operatorname{{lcm}}({acc}, {b}) = \\frac{{{acc} \\cdot {b}}}{{{d}}} = {new}$."
            )
            acc = new
        template = _LCM[int(rnd() * 3)]
    else:
        for b in nums[1:]:
            d, lines = euclid_steps(max(acc, b), min(acc, b))
            steps.append(f"Euclid's algorithm for $\\gcd({acc}, {b})$: " + ", ".join(lines) + f", so the gcd is ${d}$.")
            acc = d
        template = _GCD[int(rnd() * 3)]
    shown = ", ".join(map(str, nums)) if template.startswith("Compute") else _listing(nums)
    question = template.format(shown)
    answer = Answer(kind="number", value=str(acc), latex=str(acc))
    return Draft(question, answer, steps, data={"op": "lcm" if use_lcm else "gcd", "numbers": nums})
