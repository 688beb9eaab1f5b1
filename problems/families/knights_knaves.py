"""Knights and knaves: knights always tell the truth, knaves always lie; who is a knight?

The answer comes first: the kind of each person is drawn, then each person gets a
statement about one or more people (possibly themself) that is true exactly when
the speaker is a knight. Statements are redrawn (a bounded local search) until
exactly one assignment of kinds is consistent with all of them, checked over all
2**n assignments at once with truth tables held as bitmasks (bit a of a table is
the statement's truth under assignment a). The worked solution deduces the kinds
by propagation and, where that stalls, by refuting the wrong case.
"""

from __future__ import annotations

import random

from ..names import NAMES
from ..registry import Draft, Knobs, family
from ..types import Answer

# Statement forms, in increasing complexity; the `forms` knob allows the first ones up to it.
IS, SAME, EITHER, IF, EXACTLY = range(1, 6)  # forms knob: 1 IS+SAME, 2 +EITHER, 3 +IF, 4 +EXACTLY

# people: how many inhabitants; forms: which statement forms may appear (see above); needs_case: 1 when the
# puzzle must not fall to forced deductions alone (the solution has to suppose a case and refute it).
LEVELS = [
    dict(people=2, forms=1, needs_case=0),
    dict(people=3, forms=2, needs_case=0),
    dict(people=3, forms=3, needs_case=0),
    dict(people=4, forms=3, needs_case=0),
    dict(people=4, forms=4, needs_case=0),
    dict(people=5, forms=4, needs_case=0),
    dict(people=5, forms=4, needs_case=1),
    dict(people=6, forms=4, needs_case=1),
    dict(people=7, forms=4, needs_case=1),
    dict(people=8, forms=4, needs_case=1),
]

MAX_REDRAWS = 80
MAX_PUZZLES = 8  # fresh puzzles tried when a level needs a case split
_SELF = 0.3  # how often a statement may be about the speaker too
_NUMBER = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")
_KIND = {True: "knight", False: "knave"}

_TABLES: dict[int, tuple[list[int], int]] = {}  # memo of a pure function


def _tables(n: int) -> tuple[list[int], int]:
    """K[i]: bit a set iff person i is a knight in assignment a (bit i of a); and the all-ones table."""
    if n not in _TABLES:
        size = 1 << n
        ks = []
        for i in range(n):
            block = ((1 << (1 << i)) - 1) << (1 << i)
            ks.append(sum(block << (j << (i + 1)) for j in range(size >> (i + 1))))
        _TABLES[n] = (ks, (1 << size) - 1)
    return _TABLES[n]


class _Claim:
    """A statement: what it says (data for the checker), its text, its truth table, who it is about."""

    __slots__ = ("data", "text", "table", "about")

    def __init__(self, data: dict, text: str, table: int, about: tuple[int, ...]) -> None:
        self.data, self.text, self.table, self.about = data, text, table, about


def _join(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class _Puzzle:
    def __init__(self, names: list[str], truth: int) -> None:
        self.names, self.truth, self.n = names, truth, len(names)
        self.k, self.all = _tables(self.n)

    def lit(self, p: int, knight: bool) -> int:
        return self.k[p] if knight else self.all ^ self.k[p]

    def is_knight(self, p: int) -> bool:
        return bool(self.truth >> p & 1)

    def clause(self, p: int, knight: bool, s: int) -> str:
        return f"I am a {_KIND[knight]}" if p == s else f"{self.names[p]} is a {_KIND[knight]}"

    def pair(self, x: int, y: int, s: int, obj: bool = False) -> str:
        """'Bob and Carol', with the speaker last as 'I' (or 'me' after 'of')."""
        if x == s:
            x, y = y, x
        return f"{self.names[x]} and {('me' if obj else 'I') if y == s else self.names[y]}"

    def claim(self, rng: random.Random, s: int, forms: int) -> _Claim:
        """A random statement for speaker s that is true exactly when s is a knight."""
        n, names = self.n, self.names
        want = self.is_knight(s)
        form = rng.randint(IS, forms + 1)
        others = [p for p in range(n) if p != s]
        if form == EXACTLY and n < 3:
            form = IF
        if form == IS:
            x = rng.choice(others)
            knight = self.is_knight(x) == want
            return _Claim(
                {"op": "is", "person": names[x], "knight": knight},
                f"{names[x]} is a {_KIND[knight]}",
                self.lit(x, knight),
                (x,),
            )
        if form == EXACTLY:
            if rng.random() < 0.3:
                group, us = list(range(n)), True
            else:
                group, us = sorted(rng.sample(others, rng.randint(2, min(len(others), 4)))), False
            count = sum(self.is_knight(p) for p in group)
            if not want:
                count = rng.choice([c for c in range(len(group) + 1) if c != count])
            exact = [self.all] + [0] * len(group)  # exact[c]: assignments with c knights among those seen
            for p in group:
                kp = self.k[p]
                exact = [(exact[c] & ~kp) | (exact[c - 1] & kp if c else 0) for c in range(len(group) + 1)]
            who = "us" if us else _join([names[p] for p in group])
            pair = len(group) == 2
            if count == 0:
                text = f"Neither {who.replace(' and ', ' nor ')} is a knight" if pair else f"None of {who} is a knight"
            elif count == len(group):
                text = "All of us are knights" if us else f"{who} are {'both' if pair else 'all'} knights"
            else:
                text = f"Exactly {_NUMBER[count]} of {who} {'is a knight' if count == 1 else 'are knights'}"
            data = {"op": "exactly", "people": [names[p] for p in group], "count": count}
            return _Claim(data, text, exact[count] & self.all, tuple(group))
        x, y = rng.sample(others, 2) if n > 2 else (others[0], s)
        if y != s and rng.random() < _SELF:
            y = s
        if rng.random() < 0.5:
            x, y = y, x
        kx, ky = self.k[x], self.k[y]
        about = (x, y)
        if form == SAME:
            same = self.is_knight(x) == self.is_knight(y)
            if same == want:
                return _Claim(
                    {"op": "same", "people": [names[x], names[y]]},
                    f"{self.pair(x, y, s)} are the same kind",
                    self.all ^ kx ^ ky,
                    about,
                )
            return _Claim(
                {"op": "different", "people": [names[x], names[y]]},
                f"{self.pair(x, y, s)} are different kinds",
                kx ^ ky,
                about,
            )
        if form == EITHER:
            knight = rng.random() < 0.5  # "at least one is a knight/knave" or its negation "both are knaves/knights"
            table = self.lit(x, knight) | self.lit(y, knight)
            if bool(table >> self.truth & 1) == want:
                return _Claim(
                    {"op": "at_least_one", "people": [names[x], names[y]], "knight": knight},
                    f"At least one of {self.pair(x, y, s, obj=True)} is a {_KIND[knight]}",
                    table,
                    about,
                )
            return _Claim(
                {"op": "both", "people": [names[x], names[y]], "knight": not knight},
                f"{self.pair(x, y, s)} are both {_KIND[not knight]}s",
                self.all ^ table,
                about,
            )
        # IF: "if X is a kx then Y is a ky", or its negation "X is a kx and Y is a (not ky)"
        bx, by = rng.random() < 0.5, rng.random() < 0.5
        table = (self.all ^ self.lit(x, bx)) | self.lit(y, by)
        if bool(table >> self.truth & 1) == want:
            text = f"If {self.clause(x, bx, s)}, then {self.clause(y, by, s)}"
            data = {"op": "if", "if": [names[x], bx], "then": [names[y], by]}
            return _Claim(data, text, table, about)
        text = f"{self.clause(x, bx, s)} and {self.clause(y, not by, s)}"
        data = {"op": "and", "left": [names[x], bx], "right": [names[y], not by]}
        return _Claim(data, text, self.lit(x, bx) & self.lit(y, not by), about)

    def pin(self, s: int, x: int) -> _Claim:
        """'x and I are the same kind' (or different): consistent only if x is what x is."""
        names = self.names
        if self.is_knight(x):
            return _Claim(
                {"op": "same", "people": [names[x], names[s]]},
                f"{names[x]} and I are the same kind",
                self.all ^ self.k[x] ^ self.k[s],
                (x, s),
            )
        return _Claim(
            {"op": "different", "people": [names[x], names[s]]},
            f"{names[x]} and I are different kinds",
            self.k[x] ^ self.k[s],
            (x, s),
        )

    def consistent(self, s: int, c: _Claim) -> int:
        """Assignments where speaker s's statement is true exactly when s is a knight."""
        return self.all ^ self.k[s] ^ c.table


def _solve_story(pz: _Puzzle, claims: list[_Claim]) -> list[str]:
    """Deduce every kind: propagate forced kinds; where that stalls, refute the wrong case."""
    n, names = pz.n, pz.names
    cons = [pz.consistent(s, c) for s, c in enumerate(claims)]
    scope = [tuple(sorted({s, *c.about})) for s, c in enumerate(claims)]

    def facts(known: dict[int, bool], people, verb: str = " is") -> str:
        return _join([f"{names[p]}{verb} a {_KIND[known[p]]}" for p in people if p in known])

    def propagate(mask: int, known: dict[int, bool], lines: list[str], indent: str) -> tuple[int, int | None]:
        """Apply forced kinds until none is left; returns the mask and the speaker of a broken statement."""
        changed = True
        while changed:
            changed = False
            for s in range(n):
                allowed = cons[s] & mask
                if not allowed:
                    return mask, s
                for p in scope[s]:
                    if p in known:
                        continue
                    if not allowed & pz.k[p]:
                        kind = False
                    elif not allowed & ~pz.k[p]:
                        kind = True
                    else:
                        continue
                    lines.append(indent + _forced_line(pz, claims, s, p, kind, known, scope[s], facts))
                    known[p] = kind
                    mask &= pz.lit(p, kind)
                    allowed = cons[s] & mask
                    changed = True
        return mask, None

    def refute(mask: int, known: dict[int, bool], lines: list[str], indent: str, depth: int) -> bool:
        """Narrate why no assignment in mask is consistent; False if it took too deep a search."""
        mask, broken = propagate(mask, known, lines, indent)
        if broken is not None:
            lines.append(indent + _broken_line(pz, claims, broken, known, scope[broken], facts))
            return True
        if depth == 0:
            return False
        p = next(q for q in range(n) if q not in known)
        for kind in (True, False):
            lines.append(f"{indent}Suppose {names[p]} is a {_KIND[kind]}.")
            if not refute(mask & pz.lit(p, kind), {**known, p: kind}, lines, indent + "  ", depth - 1):
                return False
        lines.append(f"{indent}Either way there is a contradiction.")
        return True

    lines = [
        "A knight's statement is true and a knave's is false, so each speaker's kind must match the truth "
        "of what they say."
    ]
    known: dict[int, bool] = {}
    mask = pz.all
    while True:
        mask, _ = propagate(mask, known, lines, "")
        if len(known) == n:
            break
        p = next(q for q in range(n) if q not in known)
        kind = pz.is_knight(p)
        lines.append(f"Suppose {names[p]} were a {_KIND[not kind]}.")
        if not refute(mask & pz.lit(p, not kind), {**known, p: not kind}, lines, "  ", 3):
            lines.append("  Checking the remaining cases one by one, none of them is consistent.")
        lines.append(f"So {names[p]} is a {_KIND[kind]}.")
        known[p] = kind
        mask &= pz.lit(p, kind)
    lines.append(
        "Check: "
        + " ".join(
            f'{names[s]} is a {_KIND[pz.is_knight(s)]} and "{c.text}" is {"true" if pz.is_knight(s) else "false"}.'
            for s, c in enumerate(claims)
        )
    )
    return lines


def _forced_line(pz, claims, s, p, kind, known, scope, facts) -> str:
    names, text = pz.names, claims[s].text
    said = f'{names[s]}\'s statement "{text}"'
    if p == s:
        given = facts(known, [q for q in scope if q != s])
        if all(q in known for q in scope if q != s):  # the facts settle whether the statement is true
            return f"{given}, so {said} is {'true' if kind else 'false'}, and {names[s]} is a {_KIND[kind]}."
        head = f"{given}, so " if given else ""
        return f"{head}{said} can only be consistent if {names[s]} is a {_KIND[kind]}."
    if s in known:
        tv = "true" if known[s] else "false"
        rest = facts(known, [q for q in scope if q not in (p, s)])
        head = f"{names[s]} is a {_KIND[known[s]]}, so {said} is {tv}"
        if rest:
            return f"{head}; since {rest}, {names[p]} is a {_KIND[kind]}."
        return f"{head}, so {names[p]} is a {_KIND[kind]}."
    given = facts(known, [q for q in scope if q != p], verb="")
    with_given = f" with {given}," if given else ""
    return (
        f"Whether {names[s]} is a knight or a knave,{with_given} {said} is consistent only if {names[p]} is a "
        f"{_KIND[kind]}."
    )


def _broken_line(pz, claims, s, known, scope, facts) -> str:
    names = pz.names
    return f'Then {facts(known, scope)}, and {names[s]}\'s statement "{claims[s].text}" cannot be consistent: a contradiction.'


def _unique_claims(rng: random.Random, pz: _Puzzle, forms: int) -> list[_Claim]:
    """One statement per person, redrawn until exactly one assignment is consistent."""
    n = pz.n
    claims = [pz.claim(rng, s, forms) for s in range(n)]
    cons = [pz.consistent(s, c) for s, c in enumerate(claims)]

    def solutions(cs: list[int]) -> int:
        m = pz.all
        for c in cs:
            m &= c
        return m

    sols = solutions(cons).bit_count()
    for _ in range(MAX_REDRAWS):
        if sols == 1:
            return claims
        s = rng.randrange(n)
        c = pz.claim(rng, s, forms)
        trial = [*cons[:s], pz.consistent(s, c), *cons[s + 1 :]]
        count = solutions(trial).bit_count()
        if count <= sols:
            claims[s], cons, sols = c, trial, count
    for _ in range(2 * n):  # rare: pin an undecided person with a statement that forces their kind
        if sols == 1:
            return claims
        m = solutions(cons)
        x = next(p for p in range(n) if m & pz.k[p] and m & ~pz.k[p])
        s = (x + 1 + rng.randrange(n - 1)) % n
        claims[s] = pz.pin(s, x)
        cons[s] = pz.consistent(s, claims[s])
        sols = solutions(cons).bit_count()
    if sols == 1:
        return claims
    return [pz.pin(s, (s + 1) % n) for s in range(n)]  # each person pins the next: always unique


def _falls_to_deduction(pz: _Puzzle, claims: list[_Claim]) -> bool:
    """Whether forced deductions alone (no case split) find every kind."""
    cons = [pz.consistent(s, c) for s, c in enumerate(claims)]
    scope = [(s, *c.about) for s, c in enumerate(claims)]
    mask, known, changed = pz.all, set(), True
    while changed:
        changed = False
        for s, c in enumerate(cons):
            allowed = c & mask
            for p in scope[s]:
                if p in known:
                    continue
                if not allowed & pz.k[p]:
                    mask &= pz.all ^ pz.k[p]
                elif not allowed & ~pz.k[p]:
                    mask &= pz.k[p]
                else:
                    continue
                known.add(p)
                allowed = c & mask
                changed = True
    return len(known) == pz.n


@family("knights_knaves", kind="set", category="logic", levels=LEVELS)
def knights_knaves(rng: random.Random, k: Knobs) -> Draft:
    """Knights always tell the truth and knaves always lie: from their statements, find the knights."""
    n = k.people
    names = rng.sample(NAMES, n)
    truth = rng.getrandbits(n)
    for _ in range(2):  # no knights at all is allowed but kept rare
        if truth:
            break
        truth = rng.getrandbits(n)
    pz = _Puzzle(names, truth)
    for _ in range(MAX_PUZZLES):
        claims = _unique_claims(rng, pz, k.forms)
        if not k.needs_case or not _falls_to_deduction(pz, claims):
            break
    knights = sorted(names[p] for p in range(n) if pz.is_knight(p))
    said = "\n".join(f'{names[s]} says: "{c.text}."' for s, c in enumerate(claims))
    question = (
        "On an island, every inhabitant is either a knight, who always tells the truth, or a knave, who always "
        f"lies. You meet {_NUMBER[n]} inhabitants: {_join(names)}.\n\n{said}\n\nWhich of them are knights? Give the "
        "names of all the knights separated by commas, or write none if there are no knights."
    )
    steps = _solve_story(pz, claims)
    if len(knights) > 1:
        steps.append(f"The knights are {_join(knights)}.")
    else:
        steps.append(f"The only knight is {knights[0]}." if knights else "There are no knights.")
    answer = Answer(
        kind="set",
        value="{" + ", ".join(knights) + "}",
        latex=", ".join(knights) if knights else "none",
        spec={"people": names, "knights": knights},
    )
    data = {
        "people": names,
        "statements": [{"speaker": names[s], **c.data} for s, c in enumerate(claims)],
        "knights": knights,
    }
    return Draft(question, answer, steps, data=data)
