"""Checkers for combinatorics and probability: recount from the structured data, by brute-force
enumeration where it is small and by an independent counting route where it is not
(sums over cases rather than complements, sympy's multiset counts, dynamic programming,
sequential draw-by-draw probabilities)."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, permutations, product
from math import comb, factorial, perm

from sympy.functions.combinatorial.numbers import nP

from reasonrl.problems import Problem

from . import checker
from .sympy_helpers import parse


def _count_committees(n: int, size: int, ok) -> int:
    """Subsets of range(n) of the given size satisfying ok, by enumeration when small."""
    return sum(1 for s in combinations(range(n), size) if ok(set(s)))


def _committee(d: dict) -> int:
    size, rule = d["size"], d["rule"]
    groups = d["groups"]
    n = sum(groups)
    kind = rule["kind"]
    if comb(n, size) <= 3000:  # enumerate labelled members; group 0 is members 0..groups[0]-1
        in_a = set(range(groups[0])) if len(groups) == 2 else set()
        tests = {
            "exactly": lambda s: len(s & in_a) == rule["count"],
            "at_least": lambda s: len(s & in_a) >= rule["count"],
            "include_one": lambda s: 0 in s,
            "exclude_one": lambda s: 0 not in s,
            "not_both": lambda s: not {0, 1} <= s,
        }
        return _count_committees(n, size, tests[kind])
    if kind in ("exactly", "at_least"):
        a, b = groups
        js = [rule["count"]] if kind == "exactly" else range(rule["count"], size + 1)
        return sum(comb(a, j) * comb(b, size - j) for j in js)
    # cases on whether the two named members (0 and 1) serve
    cases = {"include_one": [(1, 0), (1, 1)], "exclude_one": [(0, 0), (0, 1)], "not_both": [(0, 0), (1, 0), (0, 1)]}
    return sum(comb(n - 2, size - i - j) for i, j in cases[kind] if size - i - j >= 0)


def _seating(d: dict) -> int:
    """People 0 and 1 are the two named friends."""
    n, circular, rule = d["n"], d["circular"], d["rule"]
    if n <= 7:
        count = 0
        for order in permutations(range(n)):
            if circular and order[0] != n - 1:  # fix an unnamed person's seat: one order per rotation class
                continue
            i, j = order.index(0), order.index(1)
            adjacent = abs(i - j) == 1 or (circular and abs(i - j) == n - 1)
            ok = {
                "none": True,
                "together": adjacent,
                "apart": not adjacent,
                "end": i in (0, n - 1),
                "both_ends": {i, j} == {0, n - 1},
                "immediately_left": j == i + 1,
                "left_of": i < j,
            }[rule]
            count += ok
        return count
    # larger n: place the named friends first, then the other n - 2 in (n - 2)! ways
    rest = factorial(n - 2)
    if circular:  # fix friend 0; friend 1 has n - 1 places, 2 of them adjacent
        places = {"none": n - 1, "together": 2, "apart": n - 3}[rule]
        return places * rest
    adjacent_pairs = n - 1  # unordered pairs of neighbouring places
    ordered_places = {
        "together": 2 * adjacent_pairs,
        "apart": n * (n - 1) - 2 * adjacent_pairs,
        "end": 2 * (n - 1),
        "both_ends": 2,
        "immediately_left": adjacent_pairs,
        "left_of": n * (n - 1) // 2,
    }[rule]
    return ordered_places * rest


def _distribute(d: dict) -> int:
    """Ordered tuples of integers with part i >= minimums[i] summing to items (dynamic programming on partial sums)."""
    items, mins = d["items"], d["minimums"]
    ways = {0: 1}
    for i, low in enumerate(mins):
        high = items - sum(mins[i + 1 :])  # the later parts need at least their minimums
        new: dict[int, int] = {}
        for total, count in ways.items():
            for v in range(low, high - total + 1):
                new[total + v] = new.get(total + v, 0) + count
        ways = new
    return ways.get(items, 0)


@checker("combinatorics")
def check_combinatorics(p: Problem) -> None:
    d = p.meta["data"]
    t = d["type"]
    if t == "choose":
        want = len(list(combinations(range(d["n"]), d["k"])))
    elif t == "arrange":
        want = perm(d["n"], d["k"]) if d["n"] > 8 else len(list(permutations(range(d["n"]), d["k"])))
    elif t == "product":
        want = 1
        for how, n, k in d["parts"]:
            want *= {"choose": comb(n, k), "arrange": perm(n, k), "power": n**k}[how]
    elif t == "letters":
        want = int(nP(d["letters"], len(d["letters"])))
    elif t == "committee":
        want = _committee(d)
    elif t == "seating":
        want = _seating(d)
    else:
        want = _distribute(d)
    gold = parse(p.answer.value)
    assert gold.is_Integer and int(gold) == want, f"gold {p.answer.value}, recounted {want}"


# ---- probability ---------------------------------------------------------------------------------------------

RANKS = list(range(1, 14))  # 1 ace, 11 jack, 12 queen, 13 king
SUITS = ("hearts", "diamonds", "clubs", "spades")
DECK = [(r, s) for r in RANKS for s in SUITS]
CARD_TESTS = {
    "hearts": lambda c: c[1] == "hearts",
    "spades": lambda c: c[1] == "spades",
    "red": lambda c: c[1] in ("hearts", "diamonds"),
    "face": lambda c: c[0] >= 11,
    "ace": lambda c: c[0] == 1,
    "king": lambda c: c[0] == 13,
    "queen": lambda c: c[0] == 12,
}
DIE_TESTS = {
    "greater": lambda v, e: v > e["t"],
    "at_most": lambda v, e: v <= e["t"],
    "even": lambda v, e: v % 2 == 0,
    "prime": lambda v, e: v > 1 and all(v % q for q in range(2, v)),
    "multiple": lambda v, e: v % e["m"] == 0,
}
PAIR_TESTS = {
    "sum_eq": lambda a, b, e: a + b == e["s"],
    "sum_ge": lambda a, b, e: a + b >= e["s"],
    "sum_le": lambda a, b, e: a + b <= e["s"],
    "same": lambda a, b, e: a == b,
    "product_even": lambda a, b, e: (a * b) % 2 == 0,
    "at_least_one": lambda a, b, e: e["v"] in (a, b),
    "difference": lambda a, b, e: abs(a - b) == e["j"],
}


def _sequences(population: dict[str, int], draws: int, replacement: bool):
    """(colour sequence, probability) for every sequence of draws, draw by draw."""
    total = sum(population.values())
    for seq in product(sorted(population), repeat=draws):
        prob, left = Fraction(1), dict(population)
        for i, c in enumerate(seq):
            prob *= Fraction(left[c], total - (0 if replacement else i))
            if not replacement:
                left[c] -= 1
        if prob:
            yield seq, prob


def _draw_event(seq, event: dict, key: str) -> bool:
    t = event["type"]
    if t == "exactly":
        return seq.count(event[key]) == event["count"]
    if t == "at_least":
        return seq.count(event[key]) >= event["count"]
    if t == "same":
        return len(set(seq)) == 1
    assert t == "sequence"
    return list(seq) == event["colors"]


def _probability(d: dict) -> Fraction:
    ex = d["experiment"]
    if ex == "dice":
        faces, e = d["faces"], d["event"]
        if len(faces) == 1:
            return Fraction(sum(DIE_TESTS[e["type"]](v, e) for v in range(1, faces[0] + 1)), faces[0])
        outcomes = list(product(range(1, faces[0] + 1), range(1, faces[1] + 1)))
        return Fraction(sum(PAIR_TESTS[e["type"]](a, b, e) for a, b in outcomes), len(outcomes))
    if ex == "coins":
        n, e = d["n"], d["event"]
        tests = {
            "heads_eq": lambda h: h == e.get("k"),
            "heads_ge": lambda h: h >= e.get("k", 0),
            "heads_le": lambda h: h <= e.get("k", 0),
        }
        good = 0
        for flips in product((0, 1), repeat=n):
            good += (len(set(flips)) == 1) if e["type"] == "all_same" else tests[e["type"]](sum(flips))
        return Fraction(good, 2**n)
    if ex == "trials":
        p, n = Fraction(d["p"]), d["n"]
        total = Fraction(0)
        for outcome in product((0, 1), repeat=n):
            if sum(outcome) in d["successes"]:
                term = Fraction(1)
                for o in outcome:
                    term *= p if o else 1 - p
                total += term
        return total
    if ex == "numbered":
        cards, e = range(d["low"], d["high"] + 1), d["event"]
        draws = [(a, b) for a in cards for b in cards if d["replacement"] or a != b]
        tests = {
            "both_even": lambda a, b: a % 2 == 0 and b % 2 == 0,
            "sum_even": lambda a, b: (a + b) % 2 == 0,
            "product_even": lambda a, b: (a * b) % 2 == 0,
            "both_greater": lambda a, b: a > e["t"] and b > e["t"],
            "one_at_most": lambda a, b: min(a, b) <= e["t"],
            "sum_eq": lambda a, b: a + b == e["s"],
        }
        test = tests[e["type"]]
        return Fraction(sum(1 for a, b in draws if test(a, b)), len(draws))
    if ex == "cards":
        e = d["event"]
        good = sum(1 for c in DECK if CARD_TESTS[e["class"]](c))
        population = {"yes": good, "no": 52 - good}
        event = {**e, "class": "yes"}
        return sum(
            pr for seq, pr in _sequences(population, d["draws"], d["replacement"]) if _draw_event(seq, event, "class")
        )
    population = d["population"]
    return sum(
        pr for seq, pr in _sequences(population, d["draws"], d["replacement"]) if _draw_event(seq, d["event"], "color")
    )


@checker("probability")
def check_probability(p: Problem) -> None:
    want = _probability(p.meta["data"])
    gold = parse(p.answer.value)
    assert gold.is_Rational and Fraction(int(gold.p), int(gold.q)) == want, f"gold {p.answer.value}, recomputed {want}"
    assert 0 <= want <= 1
