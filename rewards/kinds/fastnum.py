"""Plain numbers as exact Fractions, without sympy: the fast path for cheap answers.

Reads integers (signs, U+2212, leading zeros, thousands separators `,` `{,}` `\\,` and
space), decimals, repeating decimals (`0.\\overline{3}`, `0.(3)`), `\\frac{a}{b}` and
`\\frac12`, `a/b`, mixed numbers (`3\\frac{1}{2}`, `3 1/2`), a trailing percent, and
scientific notation (`3e8`, `3 \\times 10^{8}`). Anything else returns None and goes
to the grammar. Regexes are anchored and run on short text, so they cannot backtrack
badly; literal sizes are checked against `Limits` before any int() conversion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from math import log2

from ..normalize import clean_latex, strip_currency, strip_degrees, strip_units, unicode_operators
from ..types import Limits, Refused

_UNSIGNED = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d*)?|\.\d+"
_NUM = re.compile(_UNSIGNED)
_SCI = re.compile(
    rf"({_UNSIGNED})\s*(?:[eE]\s*([+-]?\d+)|(?:\\times|\\cdot|\*|x)\s*10\s*\^\s*(?:\{{\s*([+-]?\d+)\s*\}}|([+-]?\d)))"
)
_REPEAT = re.compile(r"(\d*)\.(\d*)(?:\\overline\s*\{(\d+)\}|\\overline\s*(\d)|\((\d+)\))")
_SLASH = re.compile(rf"(-?(?:{_UNSIGNED}))\s*/\s*(-?(?:{_UNSIGNED}))")
_MIXED_SLASH = re.compile(r"(\d+)\s+(\d+)\s*/\s*(\d+)")
_MIXED_FRAC = re.compile(r"(\d+)\s*(?=\\frac)")
_PERCENT = re.compile(r"(?:\\?%|\s*percent)$")
_QUICK = re.compile(
    r"\s*(-?)(?:(\d{1,30}|\d{1,3}(?:,\d{3}){1,9})|(\d{1,30})\.(\d{1,30})"
    r"|\\d?frac\{(-?\d{1,30})\}\{(\d{1,30})\}|(\d{1,30})/(\d{1,30}))\s*"
)
_LOG2_10 = log2(10)


@dataclass(frozen=True)
class PlainNumber:
    value: Fraction
    percent: bool = False


def parse_plain_number(text: str, limits: Limits) -> PlainNumber | None:
    """The exact value of `text` if it is a plain number; None when it needs the grammar."""
    if m := _QUICK.fullmatch(text):
        return _quick(m)
    return _general(text, limits)


def quick_number(text: str) -> Fraction | None:
    """Only the commonest shapes (integer, decimal, \\\\frac{a}{b}, a/b), with no clean-up at all."""
    m = _QUICK.fullmatch(text)
    found = _quick(m) if m else None
    return found.value if found else None


def _general(text: str, limits: Limits) -> PlainNumber | None:
    s = strip_degrees(strip_currency(unicode_operators(clean_latex(text))))
    found = _signed_percent(s, limits)
    if found is None and any(c.isalpha() for c in s):
        found = _signed_percent(strip_units(s), limits)
    return found


def _quick(m: re.Match[str]) -> PlainNumber | None:
    """The common shapes (integer, decimal, \\frac{a}{b}, a/b) without the general clean-up."""
    sign = -1 if m[1] else 1
    if m[2]:
        return PlainNumber(Fraction(sign * int(m[2].replace(",", ""))))
    if m[3]:
        return PlainNumber(Fraction(sign * int(m[3] + m[4]), 10 ** len(m[4])))
    num, den = (int(m[5]), int(m[6])) if m[5] else (int(m[7]), int(m[8]))
    return PlainNumber(Fraction(sign * num, den)) if den else None


def _signed_percent(s: str, limits: Limits) -> PlainNumber | None:
    s = s.strip()
    m = _PERCENT.search(s)
    percent = m is not None
    if m is not None:
        s = s[: m.start()].rstrip()
    value = signed_number(s, limits)
    return None if value is None else PlainNumber(value, percent)


def signed_number(s: str, limits: Limits) -> Fraction | None:
    negative = False
    while s[:1] in ("-", "+"):
        negative ^= s[0] == "-"
        s = s[1:].lstrip()
    value = _unsigned(s, limits)
    if value is None:
        return None
    return -value if negative else value


def _unsigned(s: str, limits: Limits) -> Fraction | None:
    if not s:
        return None
    if _NUM.fullmatch(s):
        return decimal_value(s, limits)
    if s.startswith("\\frac"):
        return _frac(s, limits)
    if m := _SLASH.fullmatch(s):
        num, den = decimal_value(m[1], limits), decimal_value(m[2], limits)
        return None if den == 0 else num / den
    if m := _MIXED_FRAC.match(s):
        whole = decimal_value(m[1], limits)
        part = _frac(s[m.end() :], limits)
        return None if part is None or part < 0 else whole + part
    if m := _MIXED_SLASH.fullmatch(s):
        den = decimal_value(m[3], limits)
        return None if den == 0 else decimal_value(m[1], limits) + decimal_value(m[2], limits) / den
    if m := _SCI.fullmatch(s):
        return _scientific(m, limits)
    if m := _REPEAT.fullmatch(s):
        return _repeating(m[1], m[2], m[3] or m[4] or m[5], limits)
    return None


def decimal_value(s: str, limits: Limits) -> Fraction:
    """A signed decimal literal (thousands separators allowed) as an exact Fraction."""
    s = s.replace(",", "").replace(" ", "")
    negative = s.startswith("-")
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    if len(whole.lstrip("0")) > limits.max_int_digits or len(frac) > limits.max_int_digits:
        raise Refused("digits", f"{len(whole)} digits")
    numerator = int(whole + frac) if whole or frac else 0
    return Fraction(-numerator if negative else numerator, 10 ** len(frac))


def _frac(s: str, limits: Limits) -> Fraction | None:
    """`\\frac{a}{b}`, `\\frac12`, `\\frac1{2}`: exactly one fraction and nothing after it."""
    rest = s[len("\\frac") :].lstrip()
    num, rest = _frac_arg(rest)
    if num is None:
        return None
    den, rest = _frac_arg(rest.lstrip())
    if den is None or rest.strip():
        return None
    a, b = signed_number(num.strip(), limits), signed_number(den.strip(), limits)
    if a is None or b is None or b == 0:
        return None
    return a / b


def _frac_arg(s: str) -> tuple[str | None, str]:
    if s[:1].isdigit():
        return s[0], s[1:]
    if s[:1] != "{":
        return None, s
    close = s.find("}")
    if close < 0 or "{" in s[1:close]:
        return None, s
    return s[1:close], s[close + 1 :]


def _scientific(m: re.Match[str], limits: Limits) -> Fraction:
    mantissa = decimal_value(m[1], limits)
    exponent = int(m[2] or m[3] or m[4])
    if abs(exponent) * _LOG2_10 > limits.max_power_bits:
        raise Refused("power", f"10^{exponent}")
    return mantissa * Fraction(10) ** exponent


def _repeating(whole: str, fixed: str, period: str, limits: Limits) -> Fraction:
    """0.1(6) = 0.1 + 0.0(6): the period p contributes p / (10^len(fixed) * (10^len(p) - 1))."""
    if len(fixed) + len(period) > limits.max_int_digits:
        raise Refused("digits", "repeating decimal")
    base = decimal_value(f"{whole or '0'}.{fixed}" if fixed else (whole or "0"), limits)
    return base + Fraction(int(period), 10 ** len(fixed) * (10 ** len(period) - 1))
