"""Percentages: a percent of a number, what percent one number is of another, percent increase
and decrease, percent change, reverse percentages (the original before a change) and successive
changes. Numbers are chosen so the answer is exact (an integer or a terminating decimal); word
problems from difficulty 3 on.

The value is a decimal string; spec["exact"] gives it as an exact rational, and spec["unit"] is
"%" when the answer is a percentage (the number of percent, e.g. 37.5 for 37.5%).
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..mathtext import frac_plain
from ..names import NAMES
from ..registry import Draft, Knobs, family
from ..types import Answer

PERCENT_OF, WHAT_PERCENT, CHANGE, PERCENT_CHANGE, REVERSE, SUCCESSIVE = range(6)  # the `types` knob: the highest
TENS, FIVES, WHOLE, ANY = range(4)  # the `pct` knob: multiples of 10, of 5, any whole percent, halves and > 100

# max_n: largest starting quantity; decimals: answers may be terminating decimals (else whole numbers);
# words: word problems (else bare questions); changes: number of successive changes
LEVELS = [
    dict(types=WHAT_PERCENT, max_n=200, pct=TENS, decimals=0, words=0, changes=2),
    dict(types=CHANGE, max_n=500, pct=FIVES, decimals=0, words=0, changes=2),
    dict(types=PERCENT_CHANGE, max_n=2000, pct=WHOLE, decimals=0, words=1, changes=2),
    dict(types=REVERSE, max_n=2000, pct=WHOLE, decimals=0, words=1, changes=2),
    dict(types=REVERSE, max_n=5000, pct=WHOLE, decimals=1, words=1, changes=2),
    dict(types=SUCCESSIVE, max_n=5000, pct=WHOLE, decimals=1, words=1, changes=2),
    dict(types=SUCCESSIVE, max_n=10000, pct=ANY, decimals=1, words=1, changes=2),
    dict(types=SUCCESSIVE, max_n=20000, pct=ANY, decimals=1, words=1, changes=2),
    dict(types=SUCCESSIVE, max_n=50000, pct=ANY, decimals=1, words=1, changes=3),
    dict(types=SUCCESSIVE, max_n=100000, pct=ANY, decimals=1, words=1, changes=3),
]

ITEMS = (
    "bicycle", "laptop", "jacket", "camera", "guitar", "sofa", "watch", "phone", "backpack", "lamp",
    "printer", "tent", "scooter", "desk", "kettle", "painting", "helmet", "violin", "rug", "blender",
)  # fmt: skip
THINGS = ("stickers", "marbles", "stamps", "coins", "seashells", "beads", "postcards", "trading cards")

# Templates: {N} start, {P} percent (LaTeX), {A} answer-side numbers, {name}, {item}, {things}.
_OF_BARE = ("What is ${P}$ of ${N}$?", "Find ${P}$ of ${N}$.", "Compute ${P}$ of ${N}$.")
_OF_MONEY = (
    "{name} earns {N} dollars a week and saves ${P}$ of it. How many dollars does {name} save each week?",
    "A {item} costs {N} dollars, and the sales tax is ${P}$ of the price. How many dollars of tax are paid?",
    "{name}'s water tank holds {N} liters when full. It is ${P}$ full. How many liters of water are in it?",
    "A rope is {N} centimeters long. {name} cuts off ${P}$ of it. How many centimeters does {name} cut off?",
    "{name} pays a deposit of ${P}$ on a {item} that costs {N} dollars. How many dollars is the deposit?",
)
_OF_COUNT = (
    "{name}'s school has {N} students, and ${P}$ of them walk to school. How many students walk to school?",
    "{name} has {N} {things} and gives away ${P}$ of them. How many {things} does {name} give away?",
    "{name}'s town has {N} voters, and ${P}$ of them voted in the election. How many voters voted?",
    "{name}'s farm has {N} animals, and ${P}$ of them are sheep. How many sheep are on the farm?",
)
_WHAT_BARE = (
    "What percent of ${B}$ is ${A}$?",
    "${A}$ is what percent of ${B}$?",
    "Express ${A}$ as a percentage of ${B}$.",
)
_WHAT_MONEY = (
    "{name} saved {A} dollars out of a monthly income of {B} dollars. What percent of the income did {name} save?",
    "A {item} priced at {B} dollars is reduced by {A} dollars. By what percent is the price reduced?",
    "A {item} that {name} likes is priced at {B} dollars; {name} has saved {A} dollars. What percent of the price has {name} saved?",
)
_WHAT_COUNT = (
    "{name} answered {A} of {B} questions correctly. What percentage of the questions did {name} answer correctly?",
    "Of the {B} {things} in {name}'s collection, {A} are rare. What percent of the collection is rare?",
)
_CHANGE_BARE = (
    "{Verb} ${N}$ by ${P}$.",
    "What is ${N}$ {verbed} by ${P}$?",
    "Find the result of {verbing} ${N}$ by ${P}$.",
)
_CHANGE_MONEY = (
    "A {item} costs {N} dollars. Its price is {verbed} by ${P}$. What is the new price in dollars?",
    "{name}'s monthly rent of {N} dollars is {verbed} by ${P}$. What is the new rent in dollars?",
    "{name}'s field yields {N} kilograms of wheat. Next year the yield is {verbed} by ${P}$. What is the new yield in kilograms?",
)
_CHANGE_COUNT = (
    "{name}'s village has {N} inhabitants. The number of inhabitants is {verbed} by ${P}$. How many inhabitants are there now?",
    "{name} had {N} {things}; the number is then {verbed} by ${P}$. How many {things} does {name} have now?",
)
_PC_BARE = (
    "A quantity changes from ${A}$ to ${B}$. What is the percent {change}?",
    "Find the percent {change} from ${A}$ to ${B}$.",
)
_PC_MONEY = (
    "The price of a {item} went from {A} dollars to {B} dollars. What was the percent {change} in its price?",
    "{name}'s savings went from {A} dollars to {B} dollars. What was the percent {change}?",
)
_PC_COUNT = (
    "{name}'s club had {A} members last year and has {B} members this year. What is the percent {change} in membership?",
    "{name} scored {A} points last season and {B} points this season. What is the percent {change}?",
)
_REV_BARE = (
    "After being {verbed} by ${P}$, a number equals ${X}$. What was the number?",
    "A number {verbed} by ${P}$ gives ${X}$. Find the number.",
)
_REV_MONEY = (
    "After its price was {verbed} by ${P}$, a {item} costs {X} dollars. What was the price before, in dollars?",
    "After a ${P}$ {change}, {name}'s monthly pay is {X} dollars. What was the monthly pay before, in dollars?",
)
_REV_COUNT = (
    "After a ${P}$ {change}, {name}'s home town has {X} inhabitants. How many inhabitants did it have before?",
)
_SUCC_BARE = ("A number starts at ${N}$ and is {chain}. What is the final value?",)
_SUCC_COUNT: tuple[str, ...] = ()
_SUCC_MONEY = (
    "A {item} costs {N} dollars. Its price is {chain}. What is the final price in dollars?",
    "{name} invests {N} dollars. Over the years the investment is {chain}. What is it worth at the end, in dollars?",
)


def dec(q: Fraction | int) -> str:
    """The exact decimal numeral of a rational whose denominator divides a power of ten."""
    q = Fraction(q)
    n, d = q.numerator, q.denominator
    e = 0
    while (10**e) % d:
        e += 1
    m = abs(n) * (10**e // d)
    sign = "-" if n < 0 else ""
    if not e:
        return f"{sign}{m}"
    s = str(m).rjust(e + 1, "0")
    return f"{sign}{s[:-e]}.{s[-e:]}"


def _pl(p: Fraction) -> str:
    return f"{dec(p)}\\%"


def _percent(rng: random.Random, pct: int, up: bool) -> Fraction:
    if pct == TENS:
        return Fraction(10 * rng.randint(1, 9))
    if pct == FIVES:
        return Fraction(5 * rng.randint(1, 19))
    if pct == ANY and rng.random() < 0.25:
        return Fraction(2 * rng.randint(0, 98) + 1, 2)
    return Fraction(rng.randint(1, 200 if pct == ANY and up else 99))


def _unit(factors: list[Fraction]) -> int:
    """The least N with N * prod(factors) an integer."""
    q = Fraction(1)
    for f in factors:
        q *= f
    return q.denominator


def _base(rng: random.Random, k: Knobs, unit: int, force: bool = False) -> int:
    """A starting number below max_n that is a multiple of `unit` (whole answers), or any (decimals)."""
    top = k["max_n"]
    if unit <= top and (force or not k["decimals"] or rng.random() < 0.6):
        return unit * rng.randint(1, top // unit)
    return rng.randint(1, top)


def _fill(rng: random.Random, k: Knobs, bare: tuple, money: tuple, count: tuple, whole: bool, **fields: str) -> str:
    """A bare question, or a word problem (counting contexts only when every number in it is whole)."""
    if not k["words"]:
        t = rng.choice(bare)
    elif whole and count and rng.random() < 0.5:
        t = rng.choice(count)
    else:
        t = rng.choice(money)
    return t.format(name=rng.choice(NAMES), item=rng.choice(ITEMS), things=rng.choice(THINGS), **fields)


def _multiplier(c: Fraction) -> str:
    return dec(1 + c / 100)


@family("percentages", kind="number", category="arithmetic", levels=LEVELS)
def percentages(rng: random.Random, k: Knobs) -> Draft:
    """Percent of a number, what percent, increase/decrease, percent change, reverse and successive changes."""
    kind = rng.randint(PERCENT_OF, k["types"])
    pct = k["pct"]
    is_percent = kind in (WHAT_PERCENT, PERCENT_CHANGE)
    if kind == PERCENT_OF:
        p = _percent(rng, pct, False)
        n = _base(rng, k, _unit([p / 100]))
        ans = p * n / 100
        question = _fill(rng, k, _OF_BARE, _OF_MONEY, _OF_COUNT, ans.denominator == 1, N=str(n), P=_pl(p))
        steps = [f"${_pl(p)} \\text{{ of }} {n} = \\frac{{{dec(p)}}}{{100}} \\times {n} = {dec(ans)}$."]
        data = {"type": "percent_of", "percent": frac_plain(p), "whole": frac_plain(n)}
    elif kind == WHAT_PERCENT:
        p = _percent(rng, pct, False)
        b = _base(rng, k, _unit([p / 100]))
        a = p * b / 100
        ans = p
        question = _fill(rng, k, _WHAT_BARE, _WHAT_MONEY, _WHAT_COUNT, a.denominator == 1, A=dec(a), B=str(b))
        steps = [f"$\\frac{{{dec(a)}}}{{{b}}} \\times 100\\% = {_pl(p)}$."]
        data = {"type": "what_percent", "part": frac_plain(a), "whole": frac_plain(b)}
    elif kind in (CHANGE, REVERSE):
        up = rng.random() < 0.5
        p = _percent(rng, pct, up)
        c = p if up else -p
        verb = ("increased", "increase") if up else ("decreased", "decrease")
        if kind == CHANGE:
            n = _base(rng, k, _unit([c / 100]))
            ans = n * (1 + c / 100)
            fields = dict(N=str(n), P=_pl(p), verbed=verb[0], Verb=verb[1].capitalize(), verbing=verb[1][:-1] + "ing")
            question = _fill(rng, k, _CHANGE_BARE, _CHANGE_MONEY, _CHANGE_COUNT, ans.denominator == 1, **fields)
            steps = [
                f"{'Increasing' if up else 'Decreasing'} by ${_pl(p)}$ multiplies by "
                f"${dec(100 + c)}\\% = {_multiplier(c)}$: ${n} \\times {_multiplier(c)} = {dec(ans)}$."
            ]
            data = {"type": "change", "start": frac_plain(n), "changes": [frac_plain(c)]}
        else:
            unit = _unit([c / 100])  # the original is whole; the result is whole or has few decimals
            ans = Fraction(_base(rng, k, unit))
            x = ans * (1 + c / 100)
            fields = dict(X=dec(x), P=_pl(p), verbed=verb[0], change=verb[1])
            question = _fill(rng, k, _REV_BARE, _REV_MONEY, _REV_COUNT, x.denominator == 1, **fields)
            steps = [
                f"The new value is ${dec(100 + c)}\\%$ of the original, so the original is "
                f"${dec(x)} \\div {_multiplier(c)} = {dec(ans)}$."
            ]
            data = {"type": "reverse", "end": frac_plain(x), "changes": [frac_plain(c)]}
    elif kind == PERCENT_CHANGE:
        up = rng.random() < 0.5
        p = _percent(rng, pct, up)
        c = p if up else -p
        a = _base(rng, k, _unit([c / 100]))
        b = a * (1 + c / 100)
        ans = p
        change = "increase" if up else "decrease"
        question = _fill(rng, k, _PC_BARE, _PC_MONEY, _PC_COUNT, b.denominator == 1, A=str(a), B=dec(b), change=change)
        steps = [
            f"The change is ${dec(b)} - {a} = {dec(b - a)}$.",
            f"Relative to the starting value: $\\frac{{{dec(abs(b - a))}}}{{{a}}} \\times 100\\% = {_pl(p)}$ ({change}).",
        ]
        data = {"type": "percent_change", "start": frac_plain(a), "end": frac_plain(b)}
    else:
        cs = []
        for _ in range(rng.randint(2, k["changes"])):
            up = rng.random() < 0.5
            p = Fraction(rng.randint(1, 60 if up else 50))
            cs.append(p if up else -p)
        # whole-cent results: the start is a multiple of what the product of multipliers needs
        unit = _unit([c_ / 100 + 1 for c_ in cs] + [Fraction(100)])
        n = _base(rng, k, unit, force=True)
        parts = [f"{'increased' if c_ > 0 else 'decreased'} by ${_pl(abs(c_))}$" for c_ in cs]
        chain = ", then ".join(parts)
        question = _fill(rng, k, _SUCC_BARE, _SUCC_MONEY, _SUCC_COUNT, False, N=str(n), chain=chain)
        steps, value = [], Fraction(n)
        for c_ in cs:
            new = value * (1 + c_ / 100)
            steps.append(f"${dec(value)} \\times {_multiplier(c_)} = {dec(new)}$")
            value = new
        ans = value
        data = {"type": "successive", "start": frac_plain(n), "changes": [frac_plain(c_) for c_ in cs]}
    if is_percent:
        question += " Give the percentage as a number (for example, 12.5 for 12.5%)."
    elif k["decimals"]:
        question += " Give the exact answer (a decimal if it is not a whole number)."
    spec = {"exact": frac_plain(ans)}
    if is_percent:
        spec["unit"] = "%"
    answer = Answer(kind="number", value=dec(ans), latex=dec(ans), spec=spec)
    return Draft(question, answer, steps, data=data)
