"""Verifications per second per core: reasonrl's verify() against math-verify on the same pairs.

    python bench/rewards.py [--repeats R] [--per-family N] [--pool-seconds S] [--no-pool]

The mix is built from the problem families (gold `Answer` + a completion made from the worked
solution, or the same solution with a perturbed final answer) plus hand-written MATH-style pairs,
in categories: integers, fractions, surds, root sets, intervals, tuples, matrices, expressions, and
long chains of thought (2-8 KB). Both sides do the whole job per call: ours `verify(gold, completion)`;
math-verify `verify(parse("$" + gold_latex + "$"), parse(completion))`. Each of the R timed runs
uses new problems (so a gold parsed once is never reused across runs: the G = 1 worst case for us)
and times ours, then theirs, on the same pairs; rates are medians over the runs. The last line is
the headline: `speedup_vs_math_verify: X`, the ratio of overall items/s on the whole mix, one core.
"""

from __future__ import annotations

import os

os.environ["OMP_NUM_THREADS"] = "1"  # per-core figures: no library may spread over threads

import argparse  # noqa: E402
import logging  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from reasonrl.problems import generate  # noqa: E402
from reasonrl.problems.types import Answer  # noqa: E402

CATEGORIES: dict[str, list[tuple[str, int]]] = {
    "integers": [("int_expression", 3), ("gcd_lcm", 4), ("combinatorics", 5), ("modular", 5), ("divisor_count", 4)],
    "fractions": [("fractions", 4), ("probability", 4), ("limit", 4), ("triangle_area", 3)],
    "surds": [("pythagorean", 5), ("distance", 5), ("powers_roots", 6), ("circle", 6)],
    "root_sets": [("quadratic", 4), ("polynomial_roots", 5), ("linear_equation", 4)],
    "intervals": [("linear_inequality", 5), ("quadratic_inequality", 5)],
    "tuples": [("linear_system", 4), ("midpoint", 4)],
    "matrices": [("matrix", 4), ("matrix", 6)],
    "expressions": [("expand", 4), ("factor", 4), ("derivative", 4), ("indefinite_integral", 3)],
}
LONG_COT_FAMILIES = [name for fams in CATEGORIES.values() for name, _ in fams]

HAND: list[tuple[str, str, bool]] = [  # MATH/GSM8K-style plain golds: (gold latex, completion, equivalent)
    ("\\frac{1}{2}", "So the probability is $\\boxed{0.5}$.", True),
    ("1000", "There are \\boxed{1,000} ways.", True),
    ("18", "She makes 9 * 2 = 18 dollars.\n#### 18", True),
    ("\\frac{\\sqrt{3}}{2}", "Hence $\\sin 60^\\circ = \\boxed{\\frac{\\sqrt3}{2}}$.", True),
    ("(3, -1)", "The point is $\\boxed{(3,-1)}$.", True),
    ("x^2 + 2x + 1", "Expanding, $\\boxed{(x+1)^2}$.", True),
    ("4\\pi", "The area is $\\boxed{4\\pi}$ square units.", True),
    ("[-2, 7]", "The solution set is $\\boxed{[-2, 7]}$.", True),
    ("\\frac{7}{2}", "The answer is $\\boxed{3\\frac{1}{2}}$.", True),
    ("2\\sqrt{3}", "So $d = \\boxed{\\sqrt{12}}$.", True),
    ("\\frac{1}{3}", "That is about $\\boxed{0.333}$.", False),
    ("\\frac{1}{2}", "The ratio is $\\boxed{2}$.", False),
    ("x + 1", "We get $\\boxed{x - 1}$.", False),
    ("(1, 2)", "The point is $\\boxed{(2, 1)}$.", False),
    ("[1, 2)", "The interval is $\\boxed{(1, 2)}$.", False),
    ("\\frac{\\sqrt{2}}{2}", "So the ratio is $\\boxed{\\sqrt{2}}$.", False),
    ("25", "Answer: 52", False),
    ("-3", "The value is $\\boxed{3}$.", False),
]

PADDING = [
    "Let me re-read the problem to make sure I am answering the right question: {q}",
    "Hmm, wait. Let me double-check that last step, because sign errors are easy to make here.",
    "Going through the computation once more, line by line:\n{steps}",
    "Before finalizing, a sanity check on the size of the result: the inputs are {nums}, so the answer should "
    "be of a comparable magnitude.",
    "I briefly considered another method, but it needs more algebra, so I will keep the direct approach.",
    "Actually, let me recompute the key step carefully: {step}",
]


@dataclass(frozen=True)
class Item:
    category: str
    gold: Answer | str
    gold_latex: str
    completion: str
    expected: bool


def perturb(latex: str) -> str:
    """The same answer with one digit changed (the last one), so it is wrong but looks alike."""
    digits = [m.start() for m in re.finditer(r"[0-9]", latex)]
    if not digits:
        return latex + " + 1"
    pos = digits[-1]
    return latex[:pos] + str((int(latex[pos]) + 1) % 10) + latex[pos + 1 :]


def solution_completion(problem, final: str, pad_to: int, rng: random.Random) -> str:
    """The worked solution (its last line replaced by our own final answer), padded with reasoning."""
    question = problem.prompt.split("\n\nPut your final answer")[0]
    steps = [ln for ln in (problem.solution or "").split("\n") if ln.strip() and "final answer" not in ln.lower()]
    parts = ["Okay, let's work through this. " + question, *steps]
    fill = {
        "q": question,
        "steps": "\n".join(steps),
        "nums": ", ".join(re.findall(r"\d+", question)[:6]),
        "step": rng.choice(steps) if steps else "",
    }
    while sum(len(p) for p in parts) < pad_to:
        parts.append(rng.choice(PADDING).format(**fill))
    parts.append("The final answer is $\\boxed{" + final + "}$.")
    return "\n\n".join(parts)


def build_mix(per_family: int, seed: int) -> list[Item]:
    """The pairs of one timed run, in category order; a new seed gives new problems (new golds)."""
    rng = random.Random(seed)
    items: list[Item] = []
    for category, families in CATEGORIES.items():
        for family, difficulty in families:
            for i in range(per_family):
                p = generate(family, 1000 + seed, i, difficulty)
                right = i % 2 == 0
                final = p.answer.latex if right else perturb(p.answer.latex)
                completion = solution_completion(p, final, 0, rng)
                items.append(Item(category, p.answer, p.answer.latex, completion, right))
    for i in range(per_family * 4):
        family = LONG_COT_FAMILIES[i % len(LONG_COT_FAMILIES)]
        difficulty = dict(fam for fams in CATEGORIES.values() for fam in fams)[family]
        p = generate(family, 2000 + seed, i, difficulty)
        right = i % 2 == 0
        final = p.answer.latex if right else perturb(p.answer.latex)
        completion = solution_completion(p, final, rng.randint(2_000, 8_000), rng)
        items.append(Item("long_cot", p.answer, p.answer.latex, completion, right))
    for gold, completion, expected in HAND:
        items.append(Item("hand_written", gold, gold, completion, expected))
    return items


def ours() -> Callable[[Item], bool]:
    from reasonrl.rewards.verify import verify

    return lambda item: verify(item.gold, item.completion).correct


def theirs() -> Callable[[Item], bool]:
    from math_verify import parse
    from math_verify import verify as mv_verify

    def run(item: Item) -> bool:
        return bool(mv_verify(parse("$" + item.gold_latex + "$"), parse(item.completion)))

    return run


def timed_pass(fn: Callable[[Item], bool], items: list[Item]) -> tuple[float, list[float], list[bool]]:
    """Seconds for the whole pass, per-item seconds, and the results."""
    latencies, results = [], []
    start = time.perf_counter()
    for item in items:
        t = time.perf_counter()
        results.append(fn(item))
        latencies.append(time.perf_counter() - t)
    return time.perf_counter() - start, latencies, results


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def pool_rate(items: list[Item], workers: int, seconds: float) -> float:
    from reasonrl.rewards.pool import RewardPool, ScoreItem

    batch = [ScoreItem(item.gold, item.completion) for item in items]
    with RewardPool(num_workers=workers, timeout_s=5.0, memory_mb=2048) as pool:
        pool.wait_ready()
        pool.score(batch)  # warm-up
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            pool.score(batch)
            done += len(batch)
        return done / (time.perf_counter() - start)


@dataclass
class Measured:
    rates: dict[str, dict[str, float]]  # side -> category (and "overall") -> median items/s
    latencies: dict[str, dict[str, list[float]]]  # side -> category -> per-call seconds, all runs
    results: dict[str, list[bool]]  # side -> verdicts, all runs, in the order of `items`
    items: list[Item]  # every pair scored, all runs


def measure(mixes: list[list[Item]], sides: dict[str, Callable[[Item], bool]]) -> Measured:
    """Run r times mixes[r] on each side in turn (ours, theirs, ours, ...): every run sees new golds,
    so no side profits from a gold parsed in an earlier run."""
    categories = list(dict.fromkeys(item.category for item in mixes[0]))
    rates: dict[str, dict[str, list[float]]] = {s: {c: [] for c in [*categories, "overall"]} for s in sides}
    latencies: dict[str, dict[str, list[float]]] = {s: {c: [] for c in categories} for s in sides}
    results: dict[str, list[bool]] = {s: [] for s in sides}
    for items in mixes:
        groups = {c: [item for item in items if item.category == c] for c in categories}
        for side, fn in sides.items():
            total_s = 0.0
            for category, group in groups.items():
                seconds, lat, res = timed_pass(fn, group)
                total_s += seconds
                rates[side][category].append(len(group) / seconds)
                latencies[side][category].extend(lat)
                results[side].extend(res)
            rates[side]["overall"].append(len(items) / total_s)
    medians = {s: {c: statistics.median(v) for c, v in rates[s].items()} for s in sides}
    return Measured(medians, latencies, results, [item for items in mixes for item in items])


def report_rates(m: Measured, runs: int) -> None:
    ours_, mv = m.rates["ours"], m.rates["math-verify"]
    print(
        f"{'category':14s} {'n/run':>5s} {'ours/s':>9s} {'mv/s':>8s} {'speedup':>8s} "
        f"{'ours p50/p99 ms':>16s} {'mv p50/p99 ms':>16s}"
    )
    for category, lo in m.latencies["ours"].items():
        n = sum(item.category == category for item in m.items) // runs
        lm = m.latencies["math-verify"][category]
        print(
            f"{category:14s} {n:5d} {ours_[category]:9.0f} {mv[category]:8.0f} {ours_[category] / mv[category]:7.1f}x "
            f"{pct(lo, 0.5) * 1e3:7.2f}/{pct(lo, 0.99) * 1e3:<8.2f} {pct(lm, 0.5) * 1e3:7.2f}/{pct(lm, 0.99) * 1e3:<8.2f}"
        )
    print(
        f"{'overall':14s} {len(m.items) // runs:5d} {ours_['overall']:9.0f} {mv['overall']:8.0f} "
        f"{ours_['overall'] / mv['overall']:7.1f}x"
    )
    for side, bound in (("ours", " (bound: p99 < 50 ms)"), ("math-verify", "")):
        lat = [x for group in m.latencies[side].values() for x in group]
        print(
            f"{side} latency: p50 {pct(lat, 0.5) * 1e3:.2f} ms, p99 {pct(lat, 0.99) * 1e3:.2f} ms, "
            f"max {max(lat) * 1e3:.1f} ms{bound}"
        )


def report_agreement(m: Measured) -> None:
    ours_res, mv_res, items = m.results["ours"], m.results["math-verify"], m.items
    agree = sum(a == b for a, b in zip(ours_res, mv_res)) / len(items)
    label_ours = sum(r == item.expected for r, item in zip(ours_res, items)) / len(items)
    label_mv = sum(r == item.expected for r, item in zip(mv_res, items)) / len(items)
    fp_ours = sum(r and not item.expected for r, item in zip(ours_res, items))
    fp_mv = sum(r and not item.expected for r, item in zip(mv_res, items))
    print(
        f"agreement ours vs math-verify: {agree:.1%} of {len(items)}; with the labels: ours {label_ours:.1%}, "
        f"math-verify {label_mv:.1%}; false positives: ours {fp_ours}, math-verify {fp_mv}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3, help="timed runs, each on a new mix")
    ap.add_argument("--per-family", type=int, default=6, help="problems per family and difficulty in a mix")
    ap.add_argument("--pool-seconds", type=float, default=5.0)
    ap.add_argument("--no-pool", action="store_true")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    logging.getLogger("math_verify").setLevel(logging.CRITICAL)

    sides = {"ours": ours(), "math-verify": theirs()}
    warm = build_mix(1, seed=999)
    for fn in sides.values():  # warm-up: imports and first-call costs, on problems not timed below
        timed_pass(fn, warm)
    mixes = [build_mix(args.per_family, seed=run) for run in range(args.repeats)]
    m = measure(mixes, sides)
    print(
        f"{len(mixes[0])} pairs a run, {args.repeats} interleaved runs on new problems (medians), "
        f"one core, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}\n"
    )
    report_rates(m, args.repeats)
    seconds, _, _ = timed_pass(sides["ours"], mixes[-1])
    print(f"ours with the golds already parsed (G >= 2 samples a problem): {len(mixes[-1]) / seconds:.0f} items/s")
    report_agreement(m)
    if not args.no_pool:
        for workers in (1, 2):
            print(f"pool, {workers} worker(s): {pool_rate(mixes[-1], workers, args.pool_seconds):.0f} items/s")
    print(f"speedup_vs_math_verify: {m.rates['ours']['overall'] / m.rates['math-verify']['overall']:.1f}")


if __name__ == "__main__":
    main()
