"""Probability as an exact fraction in lowest terms: one die, card or marble; two dice and
fair coins; marbles drawn with or without replacement and cards drawn from a standard deck;
repeated independent trials (at least one, exactly k, at most k).

Every probability is computed exactly from counts (favourable / total) or from the
binomial formula with rational p.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import comb

from ..mathtext import frac_latex, frac_plain
from ..names import NAMES
from ..registry import Draft, Knobs, family
from ..types import Answer

SINGLE, DICE_COINS, DRAWS, TRIALS = range(4)  # kinds drawn from min_kind..max_kind

LEVELS = [
    dict(min_kind=SINGLE, max_kind=SINGLE, max_count=6, max_draws=2),
    dict(min_kind=SINGLE, max_kind=DICE_COINS, max_count=8, max_draws=2),
    dict(min_kind=DRAWS, max_kind=DRAWS, max_count=10, max_draws=2),
    dict(min_kind=DRAWS, max_kind=TRIALS, max_count=10, max_draws=2),
    dict(min_kind=DRAWS, max_kind=TRIALS, max_count=12, max_draws=2),
    dict(min_kind=DRAWS, max_kind=TRIALS, max_count=12, max_draws=3),
    dict(min_kind=DRAWS, max_kind=TRIALS, max_count=15, max_draws=3),
    dict(min_kind=DRAWS, max_kind=TRIALS, max_count=15, max_draws=3),
    dict(min_kind=DRAWS, max_kind=TRIALS, max_count=20, max_draws=4),
    dict(min_kind=DRAWS, max_kind=TRIALS, max_count=25, max_draws=4),
]

COLORS = ("red", "blue", "green", "yellow", "white", "black", "purple", "orange", "pink", "gray")
CONTAINERS = ("bag", "box", "jar", "urn", "basket", "drawer")
OBJECTS = ("marbles", "balls", "beads", "tokens", "chips", "cubes")
DIE_FACES = (4, 6, 8, 10, 12, 20)
FORM = "Give the probability as a fraction in lowest terms."
NUMBER_WORDS = ("zero", "one", "two", "three", "four")
CARD_CLASSES = {  # attribute value -> (how the question names it, how many of the 52 cards)
    "hearts": ("a heart", 13),
    "spades": ("a spade", 13),
    "red": ("a red card", 26),
    "face": ("a face card (jack, queen or king)", 12),
    "ace": ("an ace", 4),
    "king": ("a king", 4),
    "queen": ("a queen", 4),
}


def _favorable(good: int) -> str:
    return f"{good} of them {'is' if good == 1 else 'are'} favorable"


def _a(noun: str) -> str:
    return ("An " if noun[0] in "aeiou" else "A ") + noun


def _frac(q: Fraction) -> tuple[str, str]:
    return frac_plain(q), frac_latex(q)


# ---- single outcomes -----------------------------------------------------------------------------------------

PRIMES = {2, 3, 5, 7, 11, 13, 17, 19}


def _single(rng: random.Random, k: Knobs) -> tuple[str, Fraction, list[str], dict]:
    name = rng.choice(NAMES)
    which = rng.randrange(3)
    if which == 0:
        d = rng.choice(DIE_FACES)
        ev = rng.randrange(5)
        if ev == 0:
            t = rng.randint(1, d - 1)
            good, text, event = d - t, f"a number greater than {t}", {"type": "greater", "t": t}
        elif ev == 1:
            good, text, event = d // 2, "an even number", {"type": "even"}
        elif ev == 2:
            good, text, event = sum(1 for v in range(1, d + 1) if v in PRIMES), "a prime number", {"type": "prime"}
        elif ev == 3:
            m = rng.randint(2, min(5, d // 2))
            good, text, event = d // m, f"a multiple of {m}", {"type": "multiple", "m": m}
        else:
            t = rng.randint(1, d - 1)
            good, text, event = t, f"a number less than or equal to {t}", {"type": "at_most", "t": t}
        q = f"{name} rolls a fair {d}-sided die with faces numbered 1 to {d}. What is the probability of rolling {text}?"
        steps = [f"There are {d} equally likely outcomes and {_favorable(good)}."]
        return q, Fraction(good, d), steps, {"experiment": "dice", "faces": [d], "event": event}
    if which == 1:
        attr = rng.choice(sorted(CARD_CLASSES))
        text, good = CARD_CLASSES[attr]
        q = f"{name} draws one card at random from a standard 52-card deck. What is the probability that it is {text}?"
        steps = [f"{good} of the 52 cards are favorable."]
        return (
            q,
            Fraction(good, 52),
            steps,
            {
                "experiment": "cards",
                "draws": 1,
                "replacement": False,
                "event": {"type": "at_least", "class": attr, "count": 1},
            },
        )
    counts = _population(rng, k, rng.randint(2, 3))
    color = rng.choice(sorted(counts))
    total = sum(counts.values())
    obj, box = rng.choice(OBJECTS), rng.choice(CONTAINERS)
    q = f"{_a(box)} holds {_describe(counts, obj)}. {name} takes one at random. What is the probability that it is {color}?"
    steps = [f"There are {total} {obj} and {counts[color]} of them are {color}."]
    data = {
        "experiment": "draw",
        "population": counts,
        "draws": 1,
        "replacement": False,
        "event": {"type": "exactly", "color": color, "count": 1},
    }
    return q, Fraction(counts[color], total), steps, data


# ---- dice and coins ------------------------------------------------------------------------------------------


def _dice_coins(rng: random.Random, k: Knobs) -> tuple[str, Fraction, list[str], dict]:
    name = rng.choice(NAMES)
    if rng.random() < 0.6:
        d, e = (6, 6) if rng.random() < 0.4 else (rng.choice(DIE_FACES[:4]), rng.choice(DIE_FACES[:4]))
        outcomes = [(a, b) for a in range(1, d + 1) for b in range(1, e + 1)]
        ev = rng.randrange(7)
        if ev == 0:
            s = rng.randint(2, d + e)
            event, text, test = {"type": "sum_eq", "s": s}, f"the sum is {s}", lambda a, b: a + b == s
        elif ev == 1:
            s = rng.randint(3, d + e)
            event, text, test = {"type": "sum_ge", "s": s}, f"the sum is at least {s}", lambda a, b: a + b >= s
        elif ev == 2:
            s = rng.randint(2, d + e - 1)
            event, text, test = {"type": "sum_le", "s": s}, f"the sum is at most {s}", lambda a, b: a + b <= s
        elif ev == 3:
            event, text, test = {"type": "same"}, "both dice show the same number", lambda a, b: a == b
        elif ev == 4:
            event, text, test = (
                {"type": "product_even"},
                "the product of the two numbers is even",
                lambda a, b: a * b % 2 == 0,
            )
        elif ev == 5:
            v = rng.randint(1, min(d, e))
            event, text, test = (
                {"type": "at_least_one", "v": v},
                f"at least one die shows {v}",
                lambda a, b: v in (a, b),
            )
        else:
            j = rng.randint(1, max(d, e) - 1)
            event, text, test = (
                {"type": "difference", "j": j},
                f"the two numbers differ by exactly {j}",
                lambda a, b: abs(a - b) == j,
            )
        good = sum(1 for a, b in outcomes if test(a, b))
        dice = f"two fair {d}-sided dice" if d == e else f"a fair {d}-sided die and a fair {e}-sided die"
        q = f"{name} rolls {dice} (faces numbered from 1). What is the probability that {text}?"
        steps = [
            f"There are ${d} \\cdot {e} = {d * e}$ equally likely outcomes.",
            f"Counting them, {good} satisfy the condition.",
        ]
        return q, Fraction(good, d * e), steps, {"experiment": "dice", "faces": [d, e], "event": event}
    n = rng.randint(2, min(10, k.max_count))
    ev = rng.randrange(4)
    j = rng.randint(0, n)
    if ev == 0:
        good, text, event = comb(n, j), f"exactly {j} heads", {"type": "heads_eq", "k": j}
    elif ev == 1:
        j = max(j, 1)
        good, text, event = (
            sum(comb(n, i) for i in range(j, n + 1)),
            f"at least {j} heads",
            {"type": "heads_ge", "k": j},
        )
    elif ev == 2:
        j = min(j, n - 1)
        good, text, event = sum(comb(n, i) for i in range(0, j + 1)), f"at most {j} heads", {"type": "heads_le", "k": j}
    else:
        good, text, event = 2, "all the flips land the same way", {"type": "all_same"}
    lead = "of getting" if ev < 3 else "that"
    q = f"{name} flips a fair coin {n} times. What is the probability {lead} {text}?"
    steps = [f"There are $2^{{{n}}} = {2**n}$ equally likely sequences, and {_favorable(good)}."]
    return q, Fraction(good, 2**n), steps, {"experiment": "coins", "n": n, "event": event}


# ---- drawing without / with replacement ----------------------------------------------------------------------


def _population(rng: random.Random, k: Knobs, n_colors: int, low: int = 1) -> dict[str, int]:
    """Colour counts; each at least `low` (the number of draws), so no event is impossible or certain."""
    colors = rng.sample(COLORS, n_colors)
    return {c: rng.randint(low, max(low, k.max_count)) for c in colors}


def _describe(counts: dict[str, int], obj: str) -> str:
    parts = [f"{n} {c}" for c, n in counts.items()]
    return (", ".join(parts[:-1]) + f" and {parts[-1]}") + f" {obj}"


def _hyper(total: int, good: int, draws: int, j: int, replacement: bool) -> Fraction:
    """P(exactly j of the draws are good)."""
    if replacement:
        return comb(draws, j) * Fraction(good, total) ** j * Fraction(total - good, total) ** (draws - j)
    return Fraction(comb(good, j) * comb(total - good, draws - j), comb(total, draws))


def _draws(rng: random.Random, k: Knobs) -> tuple[str, Fraction, list[str], dict]:
    name = rng.choice(NAMES)
    draws = rng.randint(2, k.max_draws)
    replacement = rng.random() < 0.3
    how = (
        f"{name} draws {NUMBER_WORDS[draws]} of them at random, one at a time, putting each back before the next draw."
        if replacement
        else f"{name} draws {NUMBER_WORDS[draws]} of them at random without replacement."
    )
    if rng.random() < 0.15:
        return _numbered(rng, k, name, replacement)
    counts = _population(rng, k, rng.randint(2, 3), low=draws)
    total = sum(counts.values())
    obj, box = rng.choice(OBJECTS), rng.choice(CONTAINERS)
    colors = list(counts)
    head = f"{_a(box)} contains {_describe(counts, obj)}. {how}"
    ev = rng.randrange(5)
    color = rng.choice(colors)
    good = counts[color]
    if ev == 0:  # all the given color
        value = _hyper(total, good, draws, draws, replacement)
        cond = f"all {NUMBER_WORDS[draws]} are {color}" if draws > 2 else f"both are {color}"
        event = {"type": "exactly", "color": color, "count": draws}
        steps = [_seq_step(total, good, draws, replacement, color, obj)]
    elif ev == 1:  # exactly j of the color
        j = rng.randint(1, draws - 1)
        value = _hyper(total, good, draws, j, replacement)
        cond = f"exactly {NUMBER_WORDS[j]} {'is' if j == 1 else 'are'} {color}"
        event = {"type": "exactly", "color": color, "count": j}
        steps = [f"{good} of the {total} {obj} are {color}.", _hyper_step(total, good, draws, j, replacement, False)]
    elif ev == 2:  # at least one of the color
        value = 1 - _hyper(total, good, draws, 0, replacement)
        cond = f"at least one is {color}"
        event = {"type": "at_least", "color": color, "count": 1}
        steps = [
            f"Use the complement: P(no {color}) $= {frac_latex(1 - value)}$.",
            f"So P(at least one {color}) $= 1 - {frac_latex(1 - value)} = {frac_latex(value)}$.",
        ]
    elif ev == 3:  # all the same color
        value = sum(_hyper(total, n, draws, draws, replacement) for n in counts.values())
        cond = "they are all the same color" if draws > 2 else "both are the same color"
        event = {"type": "same"}
        parts = " + ".join(frac_latex(_hyper(total, n, draws, draws, replacement)) for n in counts.values())
        steps = [
            f"Add, over the colors, the probability that every draw is that color: ${parts} = {frac_latex(value)}$."
        ]
    else:  # a given order of colors
        seq = [rng.choice(colors) for _ in range(draws)]
        value = Fraction(1)
        left = dict(counts)
        factors = []
        for i, c in enumerate(seq):
            f = Fraction(left[c], total - (0 if replacement else i))
            factors.append(frac_latex(f))
            value *= f
            if not replacement:
                left[c] -= 1
        order = ", then ".join(f"{c}" for c in seq)
        cond = f"the draws come out {order}, in that order"
        event = {"type": "sequence", "colors": seq}
        steps = [
            "Multiply the probabilities of each draw in turn: $"
            + " \\cdot ".join(factors)
            + f" = {frac_latex(value)}$."
        ]
    q = f"{head} What is the probability that {cond}?"
    data = {"experiment": "draw", "population": counts, "draws": draws, "replacement": replacement, "event": event}
    return q, value, steps, data


def _numbered(rng: random.Random, k: Knobs, name: str, replacement: bool) -> tuple[str, Fraction, list[str], dict]:
    """Two cards from cards numbered lo..hi; counts of ordered pairs by formula."""
    lo = rng.randint(1, 20)
    n = rng.randint(6, 2 * k.max_count + 10)
    hi = lo + n - 1
    pairs = n * n if replacement else n * (n - 1)
    evens = hi // 2 - (lo - 1) // 2
    odds = n - evens

    def both(m: int) -> int:  # ordered pairs with both cards among m given numbers
        return m * m if replacement else m * (m - 1)

    ev = rng.randrange(6)
    if ev == 0:
        good, text, event = both(evens), "both numbers are even", {"type": "both_even"}
    elif ev == 1:
        good, text, event = both(evens) + both(odds), "the sum of the two numbers is even", {"type": "sum_even"}
    elif ev == 2:
        good, text, event = pairs - both(odds), "the product of the two numbers is even", {"type": "product_even"}
    elif ev == 3:
        t = rng.randint(lo, hi - 2)
        good, text, event = both(hi - t), f"both numbers are greater than {t}", {"type": "both_greater", "t": t}
    elif ev == 4:
        t = rng.randint(lo, hi - 2)
        good, text, event = pairs - both(hi - t), f"at least one number is at most {t}", {"type": "one_at_most", "t": t}
    else:
        total = rng.randint(2 * lo + 1, 2 * hi - 1)
        first_lo, first_hi = max(lo, total - hi), min(hi, total - lo)
        doubles = 1 if total % 2 == 0 and not replacement else 0  # (total/2, total/2) needs the same card twice
        good = first_hi - first_lo + 1 - doubles
        text, event = f"the two numbers add up to {total}", {"type": "sum_eq", "s": total}
    how = "putting the first card back before drawing the second" if replacement else "without replacement"
    box = rng.choice(("box", "hat", "bag", "bowl"))
    q = (
        f"{_a(box)} holds {n} cards numbered {lo} to {hi}, one number per card. {name} draws two cards at random, {how}. "
        f"What is the probability that {text}?"
    )
    steps = [
        f"There are {pairs} equally likely ordered draws (${n} \\cdot {n if replacement else n - 1}$).",
        f"{_favorable(good)}.",
    ]
    data = {"experiment": "numbered", "low": lo, "high": hi, "replacement": replacement, "event": event}
    return q, Fraction(good, pairs), steps, data


def _plural(text: str, plural: bool) -> str:
    """'a heart' -> 'hearts', 'a face card (jack, ...)' -> 'face cards (jack, ...)'."""
    if not plural:
        return text
    head, _, tail = text.partition(" (")
    head = head.split(" ", 1)[1]
    head = {"heart": "hearts", "spade": "spades", "red card": "red cards", "face card": "face cards", "ace": "aces",
            "king": "kings", "queen": "queens"}[head]  # fmt: skip
    return head + (f" ({tail}" if tail else "")


def _hyper_step(total: int, good: int, draws: int, j: int, replacement: bool, at_least: bool) -> str:
    js = range(j, draws + 1) if at_least else [j]
    if replacement:
        p = Fraction(good, total)
        terms = [f"\\binom{{{draws}}}{{{i}}}({frac_latex(p)})^{{{i}}}({frac_latex(1 - p)})^{{{draws - i}}}" for i in js]
    else:
        terms = [
            f"\\frac{{\\binom{{{good}}}{{{i}}}\\binom{{{total - good}}}{{{draws - i}}}}}{{\\binom{{{total}}}{{{draws}}}}}"
            for i in js
        ]
    value = sum(_hyper(total, good, draws, i, replacement) for i in js)
    return f"P $= {' + '.join(terms)} = {frac_latex(value)}$."


def _seq_step(total: int, good: int, draws: int, replacement: bool, color: str, obj: str) -> str:
    factors = [
        frac_latex(Fraction(good - (0 if replacement else i), total - (0 if replacement else i))) for i in range(draws)
    ]
    value = Fraction(1)
    for i in range(draws):
        value *= Fraction(good - (0 if replacement else i), total - (0 if replacement else i))
    return f"Each draw must be {color}: $" + " \\cdot ".join(factors) + f" = {frac_latex(value)}$."


# ---- independent trials --------------------------------------------------------------------------------------

TRIAL_CONTEXTS = (
    # (setup with {name}, {p}, {n}; success noun phrase for "exactly k ..."; the event per trial)
    (
        "{name} makes each free throw with probability {p}, independently. {name} takes {n} free throws.",
        "free throws made",
    ),
    ("A spinner lands on red with probability {p}. {name} spins it {n} times.", "spins landing on red"),
    (
        "On any given day, the chance of rain is {p}, independently of other days. {name} watches the next {n} days.",
        "rainy days",
    ),
    ("A biased coin lands heads with probability {p}. {name} flips it {n} times.", "heads"),
    (
        "A machine makes a defective part with probability {p}, independently. {name} inspects {n} parts.",
        "defective parts",
    ),
    ("{name} hits the target with each arrow with probability {p}, independently. {name} shoots {n} arrows.", "hits"),
    (
        "Each seed that {name} plants sprouts with probability {p}, independently. {name} plants {n} seeds.",
        "seeds that sprout",
    ),
    (
        "A quiz question is answered correctly by a random guess with probability {p}. {name} guesses on {n} questions.",
        "correct answers",
    ),
    (
        "Each traffic light on {name}'s route is green with probability {p}, independently. The route has {n} lights.",
        "green lights",
    ),
    (
        "Each email {name} receives is spam with probability {p}, independently. {name} receives {n} emails.",
        "spam emails",
    ),
    ("{name} scores each penalty kick with probability {p}, independently. {name} takes {n} penalty kicks.", "goals"),
    (
        "Each bulb in a pack fails within a year with probability {p}, independently. {name} buys {n} bulbs.",
        "failed bulbs",
    ),
    (
        "Each time {name} plays a carnival game, {name} wins a prize with probability {p}, independently. {name} plays {n} times.",
        "prizes won",
    ),
    (
        "Each flight {name} takes is delayed with probability {p}, independently. {name} takes {n} flights.",
        "delayed flights",
    ),
    ("Each egg in a carton is cracked with probability {p}, independently. {name} checks {n} eggs.", "cracked eggs"),
    (
        "Each customer who enters {name}'s shop buys something with probability {p}, independently. {n} customers enter.",
        "customers who buy something",
    ),
    (
        "Each morning the bus {name} takes is late with probability {p}, independently. Consider {n} mornings.",
        "late buses",
    ),
    (
        "Each tulip bulb {name} plants blooms with probability {p}, independently. {name} plants {n} bulbs.",
        "blooming tulips",
    ),
    (
        "{name} answers each trivia question correctly with probability {p}, independently, and is asked {n} questions.",
        "correct answers",
    ),
    (
        "Each battery in a box is defective with probability {p}, independently. {name} tests {n} batteries.",
        "defective batteries",
    ),
    (
        "A weather app's daily forecast is correct with probability {p}, independently. {name} checks it on {n} days.",
        "correct forecasts",
    ),
)
# success probabilities: everything but 1/2 (a "biased coin" with p = 1/2 would not be biased)
P_VALUES = sorted(
    ({Fraction(a, b) for b in range(3, 13) for a in range(1, b)} | {Fraction(a, 20) for a in range(1, 20)})
    - {Fraction(1, 2)}
)
P_SMALL = sorted(
    ({Fraction(a, b) for b in range(3, 11) for a in range(1, b)} | {Fraction(a, 20) for a in range(1, 20)})
    - {Fraction(1, 2)}
)


def _p_text(p: Fraction, rng: random.Random) -> str:
    if (100 * p).denominator == 1 and rng.random() < 0.6:
        pct = p * 100
        return f"{pct.numerator}\\%"
    return frac_latex(p)


def _trials(rng: random.Random, k: Knobs) -> tuple[str, Fraction, list[str], dict]:
    name = rng.choice(NAMES)
    n = rng.randint(2, min(8, 3 + k.max_count // 3))
    p = rng.choice(P_VALUES if n <= 4 else P_SMALL)
    setup, noun = rng.choice(TRIAL_CONTEXTS)
    ev = rng.randrange(5)
    pt = _p_text(p, rng)
    q_setup = setup.format(name=name, p=f"${pt}$", n=n)
    if ev == 0:
        js, cond = [0], "0"
    elif ev == 1:
        js, cond = list(range(1, n + 1)), "at least 1"
    elif ev == 2:
        j = rng.randint(1, n)
        js, cond = [j], f"exactly {j}"
    elif ev == 3:
        j = rng.randint(1, n - 1)
        js, cond = list(range(j + 1)), f"at most {j}"
    else:
        j = rng.randint(2, n) if n > 2 else 2
        js, cond = list(range(j, n + 1)), f"at least {j}"
    value = sum(comb(n, j) * p**j * (1 - p) ** (n - j) for j in js)
    q = f"{q_setup} What is the probability that the number of {noun} is {cond}?"
    terms = " + ".join(f"\\binom{{{n}}}{{{j}}}({frac_latex(p)})^{{{j}}}({frac_latex(1 - p)})^{{{n - j}}}" for j in js)
    steps = [f"Each of the {n} trials succeeds with probability $p = {frac_latex(p)}$ independently (binomial)."]
    if ev == 1:
        steps.append(f"Use the complement: $1 - ({frac_latex(1 - p)})^{{{n}}} = {frac_latex(value)}$.")
    else:
        steps.append(f"$P = {terms} = {frac_latex(value)}$.")
    data = {"experiment": "trials", "p": frac_plain(p), "n": n, "successes": js}
    return q, value, steps, data


BUILDERS = (_single, _dice_coins, _draws, _trials)


@family("probability", kind="number", category="counting", levels=LEVELS)
def probability(rng: random.Random, k: Knobs) -> Draft:
    """Compute an exact probability: dice, coins, cards, marbles with/without replacement, repeated trials."""
    kind = rng.randint(k.min_kind, k.max_kind)
    question, value, steps, data = BUILDERS[kind](rng, k)
    value = Fraction(value)
    plain, latex = _frac(value)
    steps.append(f"The probability is ${latex}$.")
    return Draft(f"{question} {FORM}", Answer(kind="number", value=plain, latex=latex), steps, data)
