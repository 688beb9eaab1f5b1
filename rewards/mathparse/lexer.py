"""Text -> tokens, in one left-to-right pass (each step anchored at the current position, no
backtracking over the text). Tokens are tuples `(kind, value, space_before)`.

Kinds: num (value: ast.Num), id, const, fn, frac, sqrt, binom, op (+ - * / ^ ! % pm mp),
rel (= != < > <= >= in), sep (, ; or and quad), open/close (( [ { {set < floor ceil abs),
bar, setop (cup cap minus), special (EmptySet Reals), begin/end (environment name), amp, row,
sub, circ, eof.

Word rule (plain text and LaTeX alike): a known function, constant, Greek or keyword name is
that name; a single letter is a symbol; a lowercase word of 2-3 letters is a product of single
letters (`xy` -> x*y), or a known function/`pi` followed by 1-2 letters (`sinx`, `pir`); any other
word is one symbol (`Alice`, `theta`). Inside `\\text{}` every word is one symbol (`cm`).
"""

from __future__ import annotations

import re
from math import gcd, log2

from ..braces import matching_brace
from ..types import Limits, ParseError, Refused
from .ast import Num
from .names import (
    COMMANDS,
    CONSTANTS,
    FUNCTION_ALIASES,
    IGNORED,
    KNOWN_WORDS,
    MATRIX_ENVS,
    SEPARATOR_WORDS,
    SPECIAL_WORDS,
    TEXT_COMMANDS,
    TRANSPARENT_WITH_ARG,
)

Token = tuple

# Groups: 1 spaces, 2 a plain integer (nothing after it that makes it a decimal, a grouped or a
# scientific literal), 3 any other number, 4 a lone letter, 5 a word, 6 a command, 7 a symbol.
_MASTER = re.compile(
    r"(\s+)|([0-9]+)(?![0-9.,eE{\\~]| [0-9])|([0-9]|\.[0-9])|([A-Za-z])(?![A-Za-z])|([A-Za-z]+)"
    r"|\\([A-Za-z]+|.?)|(\*\*|<=|>=|!=|==|.)",
    re.S,
)
_NUMBER = re.compile(
    r"(?:([1-9][0-9]{0,2}(?:(?:,|\{,\}|\\,|\\ |~| )[0-9]{3}(?![0-9]))+)|([0-9]+))?(?:\.([0-9]*))?",
)
_REPEAT = re.compile(r"\\(?:overline|bar)\s*(?:\{\s*([0-9]+)\s*\}|([0-9]))|\(([0-9]+)\)")
_SCI = re.compile(r"[eE]([-+]?[0-9]+)")
_PHRASE = re.compile(
    r"(?:there\s+(?:are|is)\s+)?(?:(no\s+(?:real\s+)?(?:solutions?|roots?|zeros?)(?:\s+exists?)?"
    r"|none|(?:the\s+)?empty\s+set)|(all\s+real\s+numbers|all\s+reals|every\s+real\s+number))(?![A-Za-z])",
    re.I,
)
_PHRASE_STARTS = frozenset({"no", "none", "the", "empty", "all", "every", "there"})
_UNION_NEXT = re.compile(r"\s*(?:[(\[{]|\\)")
_ENV = re.compile(r"\s*\{\s*([A-Za-z]+\*?)\s*\}")
_ARRAY_SPEC = re.compile(r"\s*\{[lcr|\s]*\}")
_MATHBB_R = re.compile(r"\s*(?:\{\s*R\s*\}|R)")
_SPACES = re.compile(r"\s*")
_LOG2_10 = log2(10)

_PUNCT: dict[str, tuple[str, object]] = {
    "+": ("op", "+"),
    "-": ("op", "-"),
    "*": ("op", "*"),
    "/": ("op", "/"),
    "^": ("op", "^"),
    "**": ("op", "^"),
    "!": ("op", "!"),
    "%": ("op", "%"),
    "=": ("rel", "="),
    "==": ("rel", "="),
    "<": ("rel", "<"),
    ">": ("rel", ">"),
    "<=": ("rel", "<="),
    ">=": ("rel", ">="),
    "!=": ("rel", "!="),
    ",": ("sep", ","),
    ";": ("sep", ";"),
    "(": ("open", "("),
    ")": ("close", ")"),
    "[": ("open", "["),
    "]": ("close", "]"),
    "{": ("open", "{"),
    "}": ("close", "}"),
    "|": ("bar", "|"),
    "&": ("amp", None),
    "_": ("sub", None),
}
_SKIPPED_CHARS = frozenset("~$")

_SUPERSCRIPTS = re.compile("[\u2070\u00b9\u00b2\u00b3\u2074-\u2079\u207a\u207b]+")
_SUPERSCRIPT_DIGITS = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b", "0123456789+-"
)
_GREEK_LETTERS = "αβγδεζηθικλμνξοπρστυφχψω"
_GREEK_NAMES = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega".split()
_UNICODE = str.maketrans(
    {
        "\u2212": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00d7": " \\times ",
        "\u00b7": " \\cdot ",
        "\u22c5": " \\cdot ",
        "\u2219": " \\cdot ",
        "\u2217": "*",
        "\u00f7": " \\div ",
        "\u2264": " \\le ",
        "\u2265": " \\ge ",
        "\u2260": " \\ne ",
        "\u00b1": " \\pm ",
        "\u2213": " \\mp ",
        "\u221e": " \\infty ",
        "\u221a": " \\sqrt ",
        "\u00b0": "^\\circ ",
        "\u222a": " \\cup ",
        "\u2229": " \\cap ",
        "\u2205": " \\emptyset ",
        "\u211d": " \\mathbb{R} ",
        "\u2208": " \\in ",
        "\u230a": " \\lfloor ",
        "\u230b": " \\rfloor ",
        "\u2308": " \\lceil ",
        "\u2309": " \\rceil ",
        "\u27e8": " \\langle ",
        "\u27e9": " \\rangle ",
        "\u00bd": "\\frac12 ",
        "\u2153": "\\frac13 ",
        "\u2154": "\\frac23 ",
        "\u00bc": "\\frac14 ",
        "\u00be": "\\frac34 ",
        "\u2155": "\\frac15 ",
        "\u215b": "\\frac18 ",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u2061": " ",
        "\u200b": " ",
        **{ch: f" \\{name} " for ch, name in zip(_GREEK_LETTERS, _GREEK_NAMES)},
        "\u03d5": " \\phi ",
    }
)


def prepare(text: str) -> str:
    """Non-ASCII math (−, ×, ≤, π, ², ½, ...) -> the LaTeX the grammar reads; ASCII passes untouched."""
    if text.isascii():
        return text
    text = _SUPERSCRIPTS.sub(lambda m: "^{" + m.group().translate(_SUPERSCRIPT_DIGITS) + "}", text)
    return text.translate(_UNICODE)


def tokenize(text: str, limits: Limits, text_mode: bool = False) -> list[Token]:
    """Tokens of `text` (already `prepare`d); `text_mode` is the inside of `\\text{}`."""
    toks: list[Token] = []
    append = toks.append
    match = _MASTER.match
    n = len(text)
    pos = 0
    sp = False
    while pos < n:
        m = match(text, pos)
        group = m.lastindex
        pos = m.end()
        if group == 1:
            sp = True
            continue
        if group == 2:
            digits = m.group(2)
            if len(digits) > limits.max_int_digits:
                raise Refused("digits", f"integer of {len(digits)} digits")
            append(("num", Num(int(digits), 1, "int", digits), sp))
        elif group == 4:
            ch = m.group(4)
            if ch in CONSTANTS:
                append(("const", CONSTANTS[ch], sp))
            elif ch == "U":
                _word(ch, text, m.start(), pos, toks, sp, text_mode)
            else:
                append(("id", ch, sp))
        elif group == 7:
            ch = m.group(7)
            kv = _PUNCT.get(ch)
            if kv is None:
                if ch in _SKIPPED_CHARS or (ch == "." and not text[pos:].strip()):
                    sp = True
                    continue
                raise ParseError(f"unexpected character {ch!r}")
            append((kv[0], kv[1], sp))
        elif group == 3:
            num, pos = _number(text, m.start(), limits)
            append(("num", num, sp))
        elif group == 5:
            pos = _word(m.group(5), text, m.start(), pos, toks, sp, text_mode)
        else:
            new_pos = _command(m.group(6), text, pos, toks, sp, limits)
            if new_pos < 0:
                sp = True
                continue
            pos = new_pos
        sp = False
    return toks


def _number(text: str, start: int, limits: Limits) -> tuple[Num, int]:
    """A literal at `start`: grouped or plain integer part, decimals, repeating part or exponent."""
    m = _NUMBER.match(text, start)
    grouped, plain, frac = m.group(1), m.group(2), m.group(3)
    pos = m.end()
    int_digits = plain if grouped is None else "".join(c for c in grouped if c.isdigit())
    int_digits = int_digits or ""
    frac = frac or ""
    if len(int_digits) + len(frac) > limits.max_int_digits:
        raise Refused("digits", f"literal of {len(int_digits) + len(frac)} digits")
    if m.group(3) is None:
        sci = _SCI.match(text, pos)
        if sci is None:
            return Num(int(int_digits), 1, "int", int_digits), pos
        return _scientific(int_digits, "", sci, text[start : sci.end()], limits)
    rep = _REPEAT.match(text, pos)
    if rep is not None:
        period = rep.group(1) or rep.group(2) or rep.group(3)
        if len(int_digits) + len(frac) + len(period) > limits.max_int_digits:
            raise Refused("digits", "repeating decimal too long")
        whole = int(int_digits + frac + period) - int(int_digits + frac or "0")
        q = 10 ** len(frac) * (10 ** len(period) - 1)
        g = gcd(whole, q)
        return Num(whole // g, q // g, "repeating", text[start : rep.end()]), rep.end()
    sci = _SCI.match(text, pos) if frac else None
    if sci is not None:
        return _scientific(int_digits, frac, sci, text[start : sci.end()], limits)
    if not frac:
        return Num(int(int_digits or "0"), 1, "int", int_digits), pos
    p, q = int(int_digits + frac), 10 ** len(frac)
    g = gcd(p, q)
    return Num(p // g, q // g, "decimal", text[start:pos]), pos


def _scientific(int_digits: str, frac: str, sci: re.Match, literal: str, limits: Limits) -> tuple[Num, int]:
    exp_text = sci.group(1)
    if len(exp_text) > 7 or abs(int(exp_text)) * _LOG2_10 > limits.max_power_bits:
        raise Refused("power", f"exponent {exp_text} of {literal[:20]}")
    k = int(exp_text) - len(frac)
    p = int(int_digits + frac or "0")
    q = 1
    if k >= 0:
        p *= 10**k
    else:
        q = 10**-k
    g = gcd(p, q)
    return Num(p // g, q // g, "sci", literal), sci.end()


def _word(word: str, text: str, start: int, end: int, toks: list[Token], sp: bool, text_mode: bool) -> int:
    """Append the tokens of one run of letters; returns the position after what was read."""
    if len(word) == 1:
        if word == "U" and toks and toks[-1][0] in ("close", "special") and _UNION_NEXT.match(text, end):
            toks.append(("setop", "cup", sp))
        elif word in CONSTANTS:
            toks.append(("const", CONSTANTS[word], sp))
        else:
            toks.append(("id", word, sp))
        return end
    if word.lower() in _PHRASE_STARTS:
        m = _PHRASE.match(text, start)
        if m is not None:
            toks.append(("special", "EmptySet" if m.group(1) else "Reals", sp))
            return m.end()
    kind_value = _named(word)
    if kind_value is not None:
        toks.append((kind_value[0], kind_value[1], sp))
    elif text_mode or not word.islower():
        toks.append(("id", word, sp))
    else:
        _split_word(word, toks, sp)
    return end


def _named(word: str) -> tuple[str, str] | None:
    if word in SEPARATOR_WORDS:
        return "sep", SEPARATOR_WORDS[word]
    if word in FUNCTION_ALIASES:
        return "fn", FUNCTION_ALIASES[word]
    if word in CONSTANTS:
        return "const", CONSTANTS[word]
    if word in SPECIAL_WORDS:
        return "special", SPECIAL_WORDS[word]
    if word in KNOWN_WORDS:
        return "id", word
    return None


def _split_word(word: str, toks: list[Token], sp: bool) -> None:
    """A lowercase word that is no known name: `sinx` -> sin x, `xy` -> x y, `alice` -> alice."""
    for cut in range(len(word) - 1, max(1, len(word) - 3), -1):
        prefix = word[:cut]
        if prefix in FUNCTION_ALIASES or prefix == "pi":
            kind_value = _named(prefix)
            toks.append((kind_value[0], kind_value[1], sp))
            _letters(word[cut:], toks)
            return
    if len(word) <= 3:
        _letters(word, toks, sp)
    else:
        toks.append(("id", word, sp))


def _letters(letters: str, toks: list[Token], sp: bool = False) -> None:
    for ch in letters:
        toks.append(("const", CONSTANTS[ch], sp) if ch in CONSTANTS else ("id", ch, sp))
        sp = False


def _command(name: str, text: str, pos: int, toks: list[Token], sp: bool, limits: Limits) -> int:
    """Append the tokens of `\\name` (and of its argument where it takes one); -1 means it was
    only spacing."""
    kv = COMMANDS.get(name)
    if kv is not None:
        toks.append((kv[0], kv[1], sp))
        return pos
    if name in IGNORED or name.isspace():
        return -1
    if name in ("left", "right"):
        return _delimiter(name, text, pos, toks, sp)
    if name in TEXT_COMMANDS or name in TRANSPARENT_WITH_ARG or name == "operatorname":
        return _with_argument(name, text, pos, toks, sp, limits)
    if name in ("begin", "end"):
        m = _ENV.match(text, pos)
        if m is None or m.group(1) not in MATRIX_ENVS:
            raise ParseError(f"unsupported environment after \\{name}")
        pos = m.end()
        if name == "begin" and m.group(1) == "array":
            spec = _ARRAY_SPEC.match(text, pos)
            pos = spec.end() if spec else pos
        toks.append((name, m.group(1), sp))
        return pos
    if name == "mathbb":
        m = _MATHBB_R.match(text, pos)
        if m is None:
            raise ParseError("only \\mathbb{R} is a known set")
        toks.append(("special", "Reals", sp))
        return m.end()
    if name in ("color", "textcolor"):
        _, end = brace_argument(text, pos)
        return end if end >= 0 else pos
    raise ParseError(f"unknown command \\{name}")


def _delimiter(name: str, text: str, pos: int, toks: list[Token], sp: bool) -> int:
    """`\\left` / `\\right` only size the next delimiter; `\\left|` is an explicit bar."""
    pos = _SPACES.match(text, pos).end()
    ch = text[pos : pos + 1]
    if ch == ".":
        return pos + 1
    if ch == "|":
        toks.append(("open" if name == "left" else "close", "abs", sp))
        return pos + 1
    if text.startswith("\\|", pos):
        raise ParseError("norms are not supported")
    return pos


def _with_argument(name: str, text: str, pos: int, toks: list[Token], sp: bool, limits: Limits) -> int:
    inner, end = brace_argument(text, pos)
    if end < 0:
        if name in TRANSPARENT_WITH_ARG:
            return pos
        raise ParseError(f"\\{name} needs a braced argument")
    if name == "operatorname":
        canon = FUNCTION_ALIASES.get(inner.strip())
        if canon is None:
            raise ParseError(f"unknown operator {inner.strip()[:20]!r}")
        toks.append(("fn", canon, sp))
        return end
    inner_toks = tokenize(inner, limits, text_mode=name in TEXT_COMMANDS)
    if inner_toks:
        first = inner_toks[0]
        inner_toks[0] = (first[0], first[1], sp or first[2])
        toks.extend(inner_toks)
    return end


def brace_argument(text: str, pos: int) -> tuple[str, int]:
    """The text inside the brace group starting at `pos` (after spaces) and the position after
    it, or ("", -1) when no brace group starts there."""
    pos = _SPACES.match(text, pos).end()
    if text[pos : pos + 1] != "{":
        return "", -1
    close = matching_brace(text, pos)
    if close < 0:
        raise ParseError("unbalanced braces")
    return text[pos + 1 : close], close + 1
