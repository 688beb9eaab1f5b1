"""Judges that compare normalised text: text, choice, boolean, and prime factorisations.

None of them needs sympy. A factorisation is read by a small dedicated reader
(`2^{3} \\cdot 3^2 \\cdot 5`, `2**3*3**2*5`, `2 \\times 2 \\times 3`) and compared as a
multiset of prime powers, so `2^3 \\cdot 3` never passes for `2^3 \\cdot 3^2`.
"""

from __future__ import annotations

import re
from collections import Counter

from reasonrl.problems.types import Answer

from ..normalize import after_last_equals, clean_latex, normalize_text, unicode_operators, unwrap_text_commands
from ..types import Limits, ParseError, Refused
from . import BadGold, judge

_BASE_SUFFIX = re.compile(r"_\s*\{?\s*\(?\s*\d+\s*\)?\s*\}?$")
_BASE_PREFIX = re.compile(r"^0[bxo](?=[0-9a-z])")


@judge("text")
def judge_text(gold: Answer, text: str, limits: Limits) -> bool:
    if "base" in gold.spec:
        return numeral_key(text) == numeral_key(gold.value)
    return normalize_text(text) == normalize_text(gold.value)


def numeral_key(text: str) -> str:
    """A numeral in any base: case, a `_{16}` subscript, a 0x prefix and leading zeros don't matter."""
    s = normalize_text(text).replace(" ", "")
    s = _BASE_SUFFIX.sub("", s)
    s = _BASE_PREFIX.sub("", s)
    return s.lstrip("0") or "0"


# ---- choice and boolean ------------------------------------------------------

_CHOICE = re.compile(r"^(?:(?:option|choice|answer)\s*:?\s*)?[(\[]?\s*([a-z])\s*[)\].:]?(?:\s.*)?$")
_LONE_LETTER = re.compile(r"(?<![a-z])[a-z](?![a-z])")
_TRUE = {"yes", "true", "y", "t", "correct", "1"}
_FALSE = {"no", "false", "n", "f", "incorrect", "0"}


@judge("choice")
def judge_choice(gold: Answer, text: str, limits: Limits) -> bool:
    want = choice_letter(gold.value)
    if want is None:
        raise BadGold(f"gold {gold.value!r} is not a choice letter")
    return choice_letter(text) == want


def choice_letter(text: str) -> str | None:
    """`(A)`, `A`, `\\text{(A)}`, `option a`, `B) 12` -> the upper-case letter, else None
    (also None for `A or B`: two standalone letters are a hedge)."""
    s = normalize_text(text)
    m = _CHOICE.match(s)
    if m is None or len(_LONE_LETTER.findall(s)) > 1:
        return None
    return m[1].upper()


@judge("boolean")
def judge_boolean(gold: Answer, text: str, limits: Limits) -> bool:
    want = boolean_value(gold.value)
    if want is None:
        raise BadGold(f"gold {gold.value!r} is not yes/no")
    return boolean_value(text) == want


def boolean_value(text: str) -> bool | None:
    s = normalize_text(text).strip(" .!")
    return True if s in _TRUE else False if s in _FALSE else None


# ---- factorization -----------------------------------------------------------

_FACTOR_SEP = re.compile(r"\\cdot|\\times|\\ast|[*×·]")
_POWER = re.compile(r"\(?\s*(\d+)\s*\)?\s*(?:\^\s*(?:\{\s*(\d+)\s*\}|(\d+)))?\s*\)?")


@judge("factorization")
def judge_factorization(gold: Answer, text: str, limits: Limits) -> bool:
    factors = gold.spec.get("factors")
    want = Counter({int(p): int(e) for p, e in factors.items()}) if factors else prime_powers(gold.value, limits)
    got = prime_powers(after_last_equals(text), limits)
    return got == want and all(is_prime(p) for p in got)


def prime_powers(text: str, limits: Limits) -> Counter[int]:
    """`2^{3} \\cdot 3^2 \\cdot 5` -> {2: 3, 3: 2, 5: 1}; repeated bases add their exponents."""
    s = unicode_operators(unwrap_text_commands(clean_latex(text)))
    s = s.replace("**", "^")
    out: Counter[int] = Counter()
    for part in _FACTOR_SEP.split(s):
        m = _POWER.fullmatch(part.strip())
        if m is None:
            raise ParseError(f"not a prime power: {part.strip()[:20]!r}")
        base, exp = m[1], m[2] or m[3] or "1"
        if len(base) > 24 or len(exp) > 4:
            raise Refused("digits", "factor too large")
        if int(base) > 1:
            out[int(base)] += int(exp)
    return out


def is_prime(n: int) -> bool:
    """Deterministic Miller-Rabin for n < 3.3e24; larger bases are refused by `prime_powers`."""
    if n < 2:
        return False
    small = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
    for p in small:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for a in small:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True
