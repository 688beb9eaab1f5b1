"""Counting problems: single combinations, permutations and factorials; the multiplication
principle (two groups, outfits, codes); arrangements of letters with repeats; committees
with constraints; seatings (circular, together, apart); and stars and bars.

Every count is an exact integer computed from its closed form.
"""

from __future__ import annotations

import random
from math import comb, factorial, perm

from ..names import NAMES
from ..registry import Draft, Knobs, family
from ..types import Answer

SINGLE, PRODUCT, LETTERS, COMMITTEE, SEATING, STARS_BARS = range(6)  # kinds drawn from min_kind..max_kind

LEVELS = [
    dict(min_kind=SINGLE, max_kind=SINGLE, max_n=8),
    dict(min_kind=SINGLE, max_kind=PRODUCT, max_n=10),
    dict(min_kind=PRODUCT, max_kind=COMMITTEE, max_n=12),
    dict(min_kind=PRODUCT, max_kind=SEATING, max_n=12),
    dict(min_kind=PRODUCT, max_kind=STARS_BARS, max_n=14),
    dict(min_kind=PRODUCT, max_kind=STARS_BARS, max_n=15),
    dict(min_kind=LETTERS, max_kind=STARS_BARS, max_n=16),
    dict(min_kind=LETTERS, max_kind=STARS_BARS, max_n=18),
    dict(min_kind=LETTERS, max_kind=STARS_BARS, max_n=20),
    dict(min_kind=COMMITTEE, max_kind=STARS_BARS, max_n=24),
]

ITEMS = (
    "books", "novels", "songs", "photos", "paintings", "stickers", "postcards", "toys", "plants", "board games",
    "puzzles", "shirts", "movies", "comic books", "records", "coins", "stamps", "posters", "mugs", "scarves",
)  # fmt: skip
CLUBS = (
    "chess club", "robotics team", "drama club", "debate team", "book club", "hiking club", "math team", "choir",
    "student council", "art club", "science club", "soccer team", "photography club", "garden club", "film society",
)  # fmt: skip
GROUPS = (
    ("teacher", "teachers", "student", "students"), ("boy", "boys", "girl", "girls"),
    ("junior", "juniors", "senior", "seniors"), ("doctor", "doctors", "nurse", "nurses"),
    ("engineer", "engineers", "designer", "designers"), ("parent", "parents", "child", "children"),
    ("manager", "managers", "intern", "interns"), ("woman", "women", "man", "men"),
    ("freshman", "freshmen", "sophomore", "sophomores"), ("chemist", "chemists", "biologist", "biologists"),
    ("violinist", "violinists", "cellist", "cellists"), ("runner", "runners", "swimmer", "swimmers"),
)  # fmt: skip
READING = (
    ("read", "books"), ("read", "novels"), ("read", "comic books"), ("listen to", "songs"), ("listen to", "albums"),
    ("watch", "movies"), ("visit", "cities"), ("play", "board games"), ("solve", "puzzles"), ("bake", "cakes"),
)  # fmt: skip
PAIRS = (
    ("novels", "comic books"), ("shirts", "sweaters"), ("mystery novels", "biographies"), ("history books", "science books"),
    ("red flowers", "white flowers"), ("board games", "card games"),
    ("math problems", "physics problems"), ("short stories", "poems"), ("landscapes", "portraits"),
)  # fmt: skip
WORDS = (
    "BANANA", "LETTER", "PEPPER", "COFFEE", "BALLOON", "SUCCESS", "MISSISSIPPI", "ASSESS", "TOMORROW", "COOKBOOK",
    "BOOKKEEPER", "STATISTICS", "ALABAMA", "REFERENCE", "COMMITTEE", "PARALLEL", "BOOMERANG", "ADDRESS", "GIRAFFE",
    "MAMMAL", "PUPPET", "RACECAR", "LEVEL", "CANNON", "TENNESSEE", "GOOGOL", "POPPY", "ELEVEN", "KAYAK", "ARRAY",
)  # fmt: skip
DIGIT_SETS = (
    (10, "digit", "digits", " (0 to 9)"), (9, "nonzero digit", "nonzero digits", " (1 to 9)"),
    (5, "odd digit", "odd digits", ""), (5, "even digit", "even digits", " (0, 2, 4, 6 or 8)"),
    (8, "digit", "digits", " from 2 to 9"),
)  # fmt: skip
ROLES = ("president", "vice-president", "secretary", "treasurer", "historian", "captain")

Built = tuple[str, int, list[str], dict]


def _single(rng: random.Random, k: Knobs) -> Built:
    n = rng.randint(4, k.max_n)
    r = rng.randint(2, min(n - 1, 6))
    name, items = rng.choice(NAMES), rng.choice(ITEMS)
    which = rng.randrange(5)
    if which == 0:
        q = f"{name} has {n} different {items} and will choose {r} of them to give away. In how many ways can the {r} {items} be chosen?"
        return (
            q,
            comb(n, r),
            [f"Order does not matter: $\\binom{{{n}}}{{{r}}} = {comb(n, r)}$."],
            {"type": "choose", "n": n, "k": r},
        )
    if which == 1:
        q = f"The {rng.choice(CLUBS)} has {n} members. In how many ways can a committee of {r} members be chosen?"
        return (
            q,
            comb(n, r),
            [f"A committee is an unordered selection: $\\binom{{{n}}}{{{r}}} = {comb(n, r)}$."],
            {"type": "choose", "n": n, "k": r},
        )
    if which == 2:
        q = f"In how many ways can {name} arrange {r} of {n} different {items} in a row on a shelf?"
        steps = [f"Order matters: $P({n}, {r}) = \\frac{{{n}!}}{{{n - r}!}} = {perm(n, r)}$."]
        return q, perm(n, r), steps, {"type": "arrange", "n": n, "k": r}
    if which == 3:
        r = min(r, len(ROLES))
        roles = ROLES[:r]
        q = f"The {rng.choice(CLUBS)} has {n} members. In how many ways can it choose a {', a '.join(roles[:-1])} and a {roles[-1]}, if no member holds two roles?"
        steps = [f"The roles are distinct, so order matters: $P({n}, {r}) = {perm(n, r)}$."]
        return q, perm(n, r), steps, {"type": "arrange", "n": n, "k": r}
    n = min(n, 10)
    verb, items = rng.choice(READING)
    q = f"In how many different orders can {name} {verb} {n} different {items}, one after another?"
    return q, factorial(n), [f"All {n} are arranged: ${n}! = {factorial(n)}$."], {"type": "arrange", "n": n, "k": n}


def _product(rng: random.Random, k: Knobs) -> Built:
    name = rng.choice(NAMES)
    which = rng.randrange(3)
    if which == 0:  # two groups, choose from each
        a, b = rng.choice(PAIRS)
        n1, n2 = rng.randint(3, k.max_n), rng.randint(3, k.max_n)
        r1, r2 = rng.randint(1, min(4, n1 - 1)), rng.randint(1, min(4, n2 - 1))
        value = comb(n1, r1) * comb(n2, r2)
        q = (
            f"{name} owns {n1} different {a} and {n2} different {b}, and will pack {r1} of the {a} and {r2} of the {b} "
            f"for a trip. In how many ways can the items to pack be chosen?"
        )
        steps = [
            f"Choose the {a}: $\\binom{{{n1}}}{{{r1}}} = {comb(n1, r1)}$; choose the {b}: $\\binom{{{n2}}}{{{r2}}} = {comb(n2, r2)}$.",
            f"By the multiplication principle: ${comb(n1, r1)} \\cdot {comb(n2, r2)} = {value}$.",
        ]
        data = {"type": "product", "parts": [["choose", n1, r1], ["choose", n2, r2]]}
        return q, value, steps, data
    if which == 1:  # outfits
        counts = [rng.randint(2, k.max_n) for _ in range(3)]
        hats = rng.choice((0, rng.randint(2, 12))) if k.max_n >= 12 else 0
        value = counts[0] * counts[1] * counts[2] * (hats + 1)
        q = (
            f"{name} has {counts[0]} shirts, {counts[1]} pairs of pants and {counts[2]} pairs of shoes. An outfit is one "
            f"shirt, one pair of pants and one pair of shoes"
        )
        q += f", plus either one of {hats} hats or no hat." if hats else "."
        q += " How many different outfits are possible?"
        factors = counts + ([hats + 1] if hats else [])
        steps = ["Multiply the independent choices: $" + " \\cdot ".join(map(str, factors)) + f" = {value}$."]
        if hats:
            steps.insert(0, f"The hat choice has {hats} + 1 = {hats + 1} options (including no hat).")
        return q, value, steps, {"type": "product", "parts": [["choose", c, 1] for c in factors]}
    # codes: a block of letters and a block of digits
    n_letters, n_digits = rng.randint(1, 4), rng.randint(1, 5)
    alphabet = rng.choice((26, 26, rng.randint(5, 12)))
    rep_l, rep_d = rng.random() < 0.5, rng.random() < 0.5
    thing = rng.choice(("locker code", "password", "license plate", "product code", "ticket number", "gate code"))
    letter = "letter" if n_letters == 1 else "letters"
    letters = f"{letter} (A to Z)" if alphabet == 26 else f"{letter} from A to {chr(64 + alphabet)}"
    ten, one, many, which_digits = rng.choice(DIGIT_SETS)
    digits = (one if n_digits == 1 else many) + which_digits
    if rng.random() < 0.5:
        q = f"{name}'s {thing} consists of {n_letters} {letters} followed by {n_digits} {digits}. "
    else:
        q = f"{name}'s {thing} consists of {n_digits} {digits} followed by {n_letters} {letters}. "
    q += (
        f"Letters {'may' if rep_l else 'may not'} repeat and digits {'may' if rep_d else 'may not'} repeat. "
        f"How many such codes are possible?"
    )
    lc = alphabet**n_letters if rep_l else perm(alphabet, n_letters)
    dc = ten**n_digits if rep_d else perm(ten, n_digits)
    value = lc * dc
    lw = f"{alphabet}^{{{n_letters}}}" if rep_l else f"P({alphabet}, {n_letters})"
    dw = f"{ten}^{{{n_digits}}}" if rep_d else f"P({ten}, {n_digits})"
    steps = [f"Letters: ${lw} = {lc}$ ways.", f"Digits: ${dw} = {dc}$ ways.", f"Total: ${lc} \\cdot {dc} = {value}$."]
    data = {
        "type": "product",
        "parts": [
            ["power" if rep_l else "arrange", alphabet, n_letters],
            ["power" if rep_d else "arrange", ten, n_digits],
        ],
    }
    return q, value, steps, data


def _letters(rng: random.Random, k: Knobs) -> Built:
    if k.max_n <= 10 and rng.random() < 0.5:
        word = rng.choice(WORDS)
        q = f"How many distinct arrangements of the letters in the word {word} are there?"
    else:
        length = rng.randint(5, min(12, k.max_n))
        n_kinds = rng.randint(2, min(5, length - 1))
        alphabet = rng.sample("ABCDEFGHJKLMNPRSTUVWXZ", n_kinds)
        word_list = alphabet + [rng.choice(alphabet) for _ in range(length - n_kinds)]
        rng.shuffle(word_list)
        word = "".join(word_list)
        name = rng.choice(NAMES)
        q = f"{name} writes the letters {word} on tiles. How many different strings of length {length} can be made by arranging all the tiles in a row?"
    counts = sorted(((word.count(c), c) for c in set(word)), key=lambda t: (-t[0], t[1]))
    value = factorial(len(word))
    for c, _ in counts:
        value //= factorial(c)
    repeated = [(c, ch) for c, ch in counts if c > 1]
    den = " \\cdot ".join(f"{c}!" for c, _ in repeated) or "1"
    steps = [
        f"There are {len(word)} letters; " + ", ".join(f"{ch} appears {c} times" for c, ch in repeated) + ".",
        f"Divide by the orders of identical letters: $\\frac{{{len(word)}!}}{{{den}}} = {value}$.",
    ]
    return q, value, steps, {"type": "letters", "letters": word}


def _committee(rng: random.Random, k: Knobs) -> Built:
    club = rng.choice(CLUBS)
    ga1, ga, gb1, gb = rng.choice(GROUPS)
    a, b = rng.randint(3, k.max_n), rng.randint(3, k.max_n)
    n = a + b
    size = rng.randint(2, min(6, n - 2))
    which = rng.randrange(5)
    head = f"{rng.choice(NAMES)} must choose a committee of {size} from {a} {ga} and {b} {gb}."
    if which == 0:  # exactly j from group A
        j = rng.randint(max(1, size - b), min(a, size))
        value = comb(a, j) * comb(b, size - j)
        q = f"{head} In how many ways can this be done if the committee must include exactly {j} {ga1 if j == 1 else ga}?"
        steps = [
            f"Choose {j} {ga} and {size - j} {gb}: $\\binom{{{a}}}{{{j}}}\\binom{{{b}}}{{{size - j}}} = {comb(a, j)} \\cdot {comb(b, size - j)} = {value}$."
        ]
        data = {
            "type": "committee",
            "groups": [a, b],
            "size": size,
            "rule": {"kind": "exactly", "group": 0, "count": j},
        }
    elif which == 1:  # at least one from group A
        value = comb(n, size) - comb(b, size)
        q = f"{head} In how many ways can this be done if the committee must include at least one {ga1}?"
        steps = [
            f"All committees: $\\binom{{{n}}}{{{size}}} = {comb(n, size)}$; committees with no {ga}: $\\binom{{{b}}}{{{size}}} = {comb(b, size)}$.",
            f"Subtract: ${comb(n, size)} - {comb(b, size)} = {value}$.",
        ]
        data = {
            "type": "committee",
            "groups": [a, b],
            "size": size,
            "rule": {"kind": "at_least", "group": 0, "count": 1},
        }
    else:
        p1, p2 = rng.sample(NAMES, 2)
        head = f"The {club} has {n} members, including {p1} and {p2}. A committee of {size} is to be chosen."
        if which == 2:  # a given person must serve
            value = comb(n - 1, size - 1)
            q = f"{head} In how many ways can this be done if {p1} must be on the committee?"
            steps = [
                f"Put {p1} on the committee and choose the other {size - 1} from {n - 1}: $\\binom{{{n - 1}}}{{{size - 1}}} = {value}$."
            ]
            rule = {"kind": "include_one"}
        elif which == 3:  # a given person refuses
            value = comb(n - 1, size)
            q = f"{head} In how many ways can this be done if {p1} refuses to serve?"
            steps = [f"Choose all {size} from the other {n - 1} members: $\\binom{{{n - 1}}}{{{size}}} = {value}$."]
            rule = {"kind": "exclude_one"}
        else:  # not both
            value = comb(n, size) - comb(n - 2, size - 2)
            q = f"{head} In how many ways can this be done if {p1} and {p2} refuse to serve together?"
            steps = [
                f"All committees: $\\binom{{{n}}}{{{size}}} = {comb(n, size)}$; with both of them: $\\binom{{{n - 2}}}{{{size - 2}}} = {comb(n - 2, size - 2)}$.",
                f"Subtract: ${comb(n, size)} - {comb(n - 2, size - 2)} = {value}$.",
            ]
            rule = {"kind": "not_both"}
        data = {"type": "committee", "groups": [n], "size": size, "rule": rule}
    return q, value, steps, data


LINES = ("stand in a line for a photo", "sit in a row of {n} chairs", "line up at a ticket counter",
         "stand in a single-file queue", "sit side by side on a long bench")  # fmt: skip
CIRCLES = ("sit around a round table", "stand in a circle", "sit around a campfire", "sit at a round picnic table")


def _seating(rng: random.Random, k: Knobs) -> Built:
    n = rng.randint(4, min(k.max_n, 12))
    p1, p2 = rng.sample(NAMES, 2)
    circular = rng.random() < 0.35
    who = f"{n} friends, including {p1} and {p2},"
    f1, fn1, fn2 = factorial(n), factorial(n - 1), factorial(n - 2)
    if circular:
        place = rng.choice(CIRCLES)
        rule = rng.choice(("none", "together", "apart"))
        head = f"In how many ways can {who} {place}, if only their order around the circle matters (rotations are the same)"
        if rule == "none":
            q = f"{head}?"
            value, steps = (
                fn1,
                [f"Fix one person's place to remove rotations; arrange the other {n - 1}: $({n} - 1)! = {fn1}$."],
            )
        elif rule == "together":
            q = f"{head} and {p1} and {p2} must be next to each other?"
            value = 2 * fn2
            steps = [
                f"Treat {p1} and {p2} as one block: {n - 1} units around a circle give $({n - 1} - 1)! = {fn2}$ arrangements.",
                f"The block has 2 internal orders: $2 \\cdot {fn2} = {value}$.",
            ]
        else:
            q = f"{head} and {p1} and {p2} must not be next to each other?"
            value = fn1 - 2 * fn2
            steps = [
                f"All circular orders: $({n} - 1)! = {fn1}$; with {p1} and {p2} together: $2 \\cdot ({n} - 2)! = {2 * fn2}$.",
                f"Subtract: ${fn1} - {2 * fn2} = {value}$.",
            ]
    else:
        place = rng.choice(LINES).format(n=n)
        rule = rng.choice(("together", "apart", "end", "both_ends", "immediately_left", "left_of"))
        head = f"In how many ways can {who} {place}"
        if rule == "together":
            q, value = f"{head} if {p1} and {p2} must be next to each other?", 2 * fn1
            steps = [
                f"Glue {p1} and {p2} into one block: arrange {n - 1} units in ${n - 1}! = {fn1}$ ways.",
                f"The block has 2 internal orders: $2 \\cdot {fn1} = {value}$.",
            ]
        elif rule == "apart":
            q, value = f"{head} if {p1} and {p2} must not be next to each other?", f1 - 2 * fn1
            steps = [
                f"All orders: ${n}! = {f1}$; with them together: $2 \\cdot {n - 1}! = {2 * fn1}$.",
                f"Subtract: ${f1} - {2 * fn1} = {value}$.",
            ]
        elif rule == "end":
            q, value = f"{head} if {p1} must be at one of the two ends?", 2 * fn1
            steps = [
                f"{p1} takes one of 2 end places, and the other {n - 1} fill the rest: $2 \\cdot {n - 1}! = {value}$."
            ]
        elif rule == "both_ends":
            q, value = f"{head} if {p1} and {p2} must be at the two ends?", 2 * fn2
            steps = [
                f"{p1} and {p2} fill the ends in 2 ways, the others fill the middle: $2 \\cdot {n - 2}! = {value}$."
            ]
        elif rule == "immediately_left":
            q, value = f"{head} if {p1} must be immediately to the left of {p2}?", fn1
            steps = [
                f"Glue {p1} and {p2} into one block, in that order, and arrange {n - 1} units: ${n - 1}! = {value}$."
            ]
        else:
            q, value = f"{head} if {p1} must be somewhere to the left of {p2}?", f1 // 2
            steps = [f"By symmetry, {p1} is left of {p2} in exactly half of the ${n}! = {f1}$ orders: ${value}$."]
    return q, value, steps, {"type": "seating", "n": n, "circular": circular, "rule": rule}


SHOPS = (
    ("donuts", "kinds of donuts"), ("scoops of ice cream", "flavors"), ("bagels", "types of bagels"),
    ("roses", "colors of roses"), ("muffins", "kinds of muffins"), ("balloons", "colors of balloons"),
    ("cupcakes", "flavors of cupcakes"), ("pieces of fruit", "types of fruit"),
)  # fmt: skip
IDENTICAL = ("identical candies", "identical marbles", "identical coins", "identical stickers", "identical cookies",
             "identical pencils", "identical tickets")  # fmt: skip


def _stars_bars(rng: random.Random, k: Knobs) -> Built:
    which = rng.randrange(3)
    boxes = rng.randint(2, 6) if which == 0 else rng.randint(3, 8)
    if which == 0:  # identical items shared among named people, each at least m
        m = rng.randint(0, 2)
        mins = [m] * boxes
    elif which == 1:  # x_1 + ... + x_k = n with lower bounds
        mins = [rng.randint(-2, 5) for _ in range(boxes)]
    else:  # choosing a multiset from a shop, perhaps at least one of each kind
        mins = [rng.randint(0, 1)] * boxes
    items = rng.randint(max(4, sum(mins) + 1), 2 * k.max_n + max(0, sum(mins)))
    free = items - sum(mins)
    value = comb(free + boxes - 1, boxes - 1)
    if which == 0:
        names = rng.sample(NAMES, boxes)
        who = ", ".join(names[:-1]) + f" and {names[-1]}"
        cond = {0: "if some of them may get none", 1: "if each of them gets at least one",
                2: "if each of them gets at least two"}[m]  # fmt: skip
        q = f"In how many ways can {items} {rng.choice(IDENTICAL)} be shared among {who}, {cond}?"
    elif which == 1:
        xs = rng.choice(
            (
                [f"x_{{{i + 1}}}" for i in range(boxes)],
                [f"y_{{{i + 1}}}" for i in range(boxes)],
                list("abcdefgh"[:boxes]),
            )
        )
        if not any(mins):
            q = f"How many solutions in nonnegative integers does ${' + '.join(xs)} = {items}$ have?"
        else:
            bounds = ", ".join(f"${x} \\ge {lo}$" for x, lo in zip(xs, mins))
            q = f"How many integer solutions does ${' + '.join(xs)} = {items}$ have with {bounds}?"
    else:
        thing, kinds = rng.choice(SHOPS)
        q = (
            f"A shop sells {boxes} {kinds}, with plenty of each. In how many ways can {rng.choice(NAMES)} choose "
            f"{items} {thing} if only the number of each kind matters"
            + (" and at least one of each kind is included?" if mins[0] else "?")
        )
    steps = []
    if any(mins):
        steps.append(f"First give each part its minimum ({sum(mins)} in all), leaving {free} to distribute freely.")
    steps.append(
        f"Stars and bars: {free} stars and {boxes - 1} bars, $\\binom{{{free + boxes - 1}}}{{{boxes - 1}}} = {value}$."
    )
    return q, value, steps, {"type": "distribute", "items": items, "minimums": mins}


BUILDERS = (_single, _product, _letters, _committee, _seating, _stars_bars)


@family("combinatorics", kind="number", category="counting", levels=LEVELS)
def combinatorics(rng: random.Random, k: Knobs) -> Draft:
    """Count arrangements and selections: combinations, permutations, anagrams, committees, seatings, stars and bars."""
    kind = rng.randint(k.min_kind, k.max_kind)
    question, value, steps, data = BUILDERS[kind](rng, k)
    return Draft(
        question + " Give the exact count.", Answer(kind="number", value=str(value), latex=str(value)), steps, data
    )
