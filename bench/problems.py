"""Single-core problem generation rate per family, against reasoning-gym in the same run.

    python bench/problems.py [--seconds S] [--repeats R]

Each rate is the median of R interleaved timed runs (ours, theirs, ours, ...), so
drift on a noisy machine hits both sides alike. The last line is the headline:
`min_speedup_vs_reasoning_gym: X`, the smallest ratio over the comparable families.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

from reasonrl.problems import all_families, generate
from reasonrl.problems.stream import ProblemStream

# reasoning-gym dataset -> (our family, our difficulty with comparable settings)
COMPARABLE = {
    "basic_arithmetic": ("int_expression", 4),
    "simple_equations": ("linear_equation", 3),
    "polynomial_equations": ("polynomial_roots", 3),
    "countdown": ("countdown", 5),
    "sudoku": ("sudoku", 7),
    "mini_sudoku": ("sudoku", 1),
    "gcd": ("gcd_lcm", 3),
    "lcm": ("gcd_lcm", 3),
    "fraction_simplification": ("fractions", 1),
    "prime_factorization": ("prime_factorization", 3),
    "puzzle24": ("game24", 2),
    "simple_integration": ("indefinite_integral", 3),
}
MIXTURE_TARGET = 5_000  # problems/s per core on the default mixture


def rate(make: Callable[[int], object], seconds: float) -> float:
    """Items per second of make(i) for i = 0, 1, ... over about `seconds`."""
    start, i = time.perf_counter(), 0
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(16):
            make(i)
            i += 1
    return i / elapsed


def ours(family: str, difficulty: int) -> Callable[[int], object]:
    return lambda i: generate(family, 1, i, difficulty)


def theirs(name: str) -> Callable[[int], object]:
    import reasoning_gym

    ds = reasoning_gym.create_dataset(name, size=10**9, seed=1)
    return lambda i: ds[i]


def median_rates(makers: list[Callable[[int], object]], seconds: float, repeats: int) -> list[float]:
    runs: list[list[float]] = [[] for _ in makers]
    for _ in range(repeats):
        for k, make in enumerate(makers):
            runs[k].append(rate(make, seconds))
    return [statistics.median(r) for r in runs]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=1.0, help="per timed run")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")

    print(f"{'family':22s} {'d=1':>9s} {'d=3':>9s} {'d=5':>9s} {'d=8':>9s} {'d=10':>9s}   problems/s, one core")
    for fam in all_families():
        cells = [rate(ours(fam.name, d), args.seconds / 4) for d in (1, 3, 5, 8, 10)]
        print(f"{fam.name:22s} " + " ".join(f"{r:9.0f}" for r in cells))

    stream = ProblemStream("default", difficulty=3, seed=1)
    mixture = statistics.median(rate(lambda i: next(stream), args.seconds) for _ in range(args.repeats))
    print(f"\ndefault mixture, difficulty 3: {mixture:.0f} problems/s per core (target >= {MIXTURE_TARGET})")

    print(f"\n{'reasoning-gym':24s} {'theirs/s':>10s} {'ours':>22s} {'ours/s':>10s} {'speedup':>8s}")
    speedups = []
    for name, (family, difficulty) in COMPARABLE.items():
        ours_rate, their_rate = median_rates([ours(family, difficulty), theirs(name)], args.seconds, args.repeats)
        speedups.append(ours_rate / their_rate)
        print(
            f"{name:24s} {their_rate:10.0f} {family + f' d={difficulty}':>22s} {ours_rate:10.0f} {speedups[-1]:7.1f}x"
        )
    print(f"min_speedup_vs_reasoning_gym: {min(speedups):.2f}")


if __name__ == "__main__":
    main()
