"""Recursive descent over the tokens, one method per precedence level:

    answer   := relation (sep relation)*            -> ListOf when more than one
    relation := setexpr (relop setexpr)*            -> Rel (chained)
    setexpr  := sum (\\cup | \\cap | \\setminus | U  sum)*
    sum      := term ((+ | - | \\pm | \\mp) term)*
    term     := unary ((* | / | implicit) power)*   (mixed numbers `2 1/3`, `2\\frac13` here)
    unary    := (- | + | \\pm | \\mp) unary | power
    power    := primary (^ exponent | ! | % | ^\\circ)*
    exponent := (- | +) exponent | power            (so `2^3^2` is 2^(3^2))

Every nested construct passes `_enter`, which refuses more than `max_depth` levels, so the
Python stack stays shallow whatever the input.
"""

from __future__ import annotations

from ..types import DEFAULT_LIMITS, Limits, ParseError, Refused
from .ast import (
    PM,
    Add,
    Bracket,
    Const,
    Deg,
    Frac,
    Func,
    ListOf,
    Matrix,
    MixedNum,
    Mul,
    Neg,
    Node,
    Num,
    Pct,
    Pow,
    Recip,
    Rel,
    SetOf,
    SetOp,
    SpecialSet,
    Sym,
)
from .guard import check_sizes
from .lexer import prepare, tokenize
from .names import FUNCTIONS, INVERSE

_EOF = ("eof", None, False)
_ADD_OPS = frozenset({"+", "-", "pm", "mp"})
_IMPLICIT = frozenset({"id", "const", "fn", "frac", "sqrt", "binom", "begin"})
_IMPLICIT_OPEN = frozenset({"(", "[", "{", "floor", "ceil", "abs"})
_ARG_CONTINUES = frozenset({"id", "const"})
_CLOSERS = {"(": (")", "]"), "[": ("]", ")"), "<": (">",)}
_ENCLOSING_FUNC = {"floor": "floor", "ceil": "ceiling", "abs": "abs"}
_OPENERS = "([{"
_SIZED_FUNCTIONS = frozenset({"factorial", "binomial", "exp", "sinh", "cosh"})  # checked by the size guard


def parse_ast(text: str, limits: Limits = DEFAULT_LIMITS) -> Node:
    """The syntax tree of an answer. Raises Refused (over a limit) or ParseError; never runs
    anything from the text and never imports sympy."""
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > limits.max_answer_chars:
        raise Refused("length", f"{len(text)} characters")
    _check_nesting(text, limits.max_depth)
    try:
        toks = tokenize(prepare(text), limits)
        if len(toks) > limits.max_tokens:
            raise Refused("tokens", f"{len(toks)} tokens")
        if not toks:
            raise ParseError("empty answer")
        toks.append(_EOF)
        parser = _Parser(toks, limits)
        node = parser.answer()
        if parser.sized:
            check_sizes(node, limits)
    except RecursionError:
        raise Refused("depth", "nesting too deep") from None
    return node


def _check_nesting(text: str, max_depth: int) -> None:
    """Bracket depth in one pass without recursion, so 10k nested brackets cost microseconds."""
    if text.count("(") + text.count("[") + text.count("{") <= max_depth:
        return
    depth = 0
    for ch in text:
        if ch in _OPENERS:
            depth += 1
            if depth > max_depth:
                raise Refused("depth", f"more than {max_depth} nested brackets")
        elif ch in ")]}" and depth:
            depth -= 1


def _describe(tok: tuple) -> str:
    kind, value, _ = tok
    if kind == "eof":
        return "end of answer"
    if kind == "num":
        return f"number {value.text!r}"
    return f"{kind} {value!r}" if value is not None else kind


def _int_literal(node: Node) -> tuple[int, bool] | None:
    """(value, negated) when node is a plain integer literal, possibly negated."""
    neg = isinstance(node, Neg)
    if neg:
        node = node.arg
    if isinstance(node, Num) and node.form == "int":
        return node.p, neg
    return None


def _is_minus_one(node: Node) -> bool:
    return isinstance(node, Neg) and isinstance(node.arg, Num) and node.arg.p == 1 and node.arg.q == 1


def _negate(node: Node) -> Node:
    """A sign in front of a percent or degrees applies to its number: -5% is (-5)%."""
    if isinstance(node, Pct):
        return Pct(Neg(node.arg))
    if isinstance(node, Deg):
        return Deg(Neg(node.arg))
    return Neg(node)


class _Parser:
    __slots__ = ("toks", "i", "depth", "max_depth", "abs_depth", "sized", "limits", "single_rows")

    def __init__(self, toks: list[tuple], limits: Limits):
        self.toks = toks
        self.i = 0
        self.depth = 0
        self.max_depth = limits.max_depth
        self.limits = limits
        self.single_rows: set[int] = set()  # ids of items written alone in square brackets
        self.abs_depth = 0
        self.sized = False  # the tree holds a power, factorial or binomial: run the size guard

    # -- helpers ---------------------------------------------------------------------------

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise Refused("depth", f"more than {self.max_depth} nested levels")

    def _expect(self, kind: str, value: object = None) -> None:
        tok = self.toks[self.i]
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise ParseError(f"expected {value or kind}, found {_describe(tok)}")
        self.i += 1

    def _error(self) -> ParseError:
        return ParseError(f"unexpected {_describe(self.toks[self.i])}")

    # -- precedence levels -----------------------------------------------------------------

    def answer(self) -> Node:
        items = [self.relation()]
        sep = None
        toks = self.toks
        while toks[self.i][0] == "sep":
            found = None
            while toks[self.i][0] == "sep":
                value = toks[self.i][1]
                if found is None or found == "quad":
                    found = value
                self.i += 1
            sep = sep or found
            if toks[self.i][0] == "eof":
                break
            items.append(self.relation())
        if toks[self.i][0] != "eof":
            raise self._error()
        return items[0] if len(items) == 1 else ListOf(items, sep)

    def relation(self) -> Node:
        first = self.setexpr()
        toks = self.toks
        if toks[self.i][0] != "rel":
            return first
        ops, args = [], [first]
        while toks[self.i][0] == "rel":
            ops.append(toks[self.i][1])
            self.i += 1
            args.append(self.setexpr())
        return Rel(ops, args)

    def setexpr(self) -> Node:
        first = self.sum()
        toks = self.toks
        if toks[self.i][0] != "setop":
            return first
        ops, args = [], [first]
        while toks[self.i][0] == "setop":
            ops.append(toks[self.i][1])
            self.i += 1
            args.append(self.sum())
        return SetOp(ops, args)

    def sum(self) -> Node:
        first = self.term()
        toks = self.toks
        tok = toks[self.i]
        if tok[0] != "op" or tok[1] not in _ADD_OPS:
            return first
        terms = [first]
        while tok[0] == "op" and tok[1] in _ADD_OPS:
            self.i += 1
            op = tok[1]
            t = self.term()
            terms.append(t if op == "+" else Neg(t) if op == "-" else PM(t, op == "mp"))
            tok = toks[self.i]
        return Add(terms)

    def term(self) -> Node:
        first = self.unary()
        factors = [first]
        toks = self.toks
        while True:
            kind, value, sp = toks[self.i]
            if kind == "op":
                if value == "*":
                    self.i += 1
                    factors.append(self.unary())
                elif value == "/":
                    self.i += 1
                    factors.append(Recip(self.unary()))
                else:
                    break
            elif (
                kind in _IMPLICIT
                or (kind == "open" and value in _IMPLICIT_OPEN)
                or (kind == "bar" and not self.abs_depth)
            ):
                if kind == "frac" and len(factors) == 1 and _int_literal(first) is not None:
                    factors[0] = self._mixed_frac(first)
                else:
                    factors.append(self.power())
            elif kind == "num" and sp and len(factors) == 1:
                mixed = self._mixed_slash(first)
                if mixed is None:
                    break
                factors[0] = mixed
            else:
                break
        return factors[0] if len(factors) == 1 else Mul(factors)

    def unary(self) -> Node:
        kind, value, _ = self.toks[self.i]
        if kind == "op" and value in _ADD_OPS:
            self.i += 1
            self._enter()
            x = self.unary()
            self.depth -= 1
            if value == "-":
                return _negate(x)
            return x if value == "+" else PM(x, value == "mp")
        return self.power()

    def power(self) -> Node:
        node = self.primary()
        toks = self.toks
        while True:
            kind, value, _ = toks[self.i]
            if kind != "op":
                return node
            if value == "^":
                if self._degree_mark():
                    node = Deg(node)
                    continue
                self.i += 1
                exp = self.exponent()
                if not self.sized and not self._small_power(node, exp):
                    self.sized = True
                node = Pow(node, exp)
            elif value == "!":
                self.i += 1
                if not (isinstance(node, Num) and node.q == 1 and node.p <= self.limits.max_factorial):
                    self.sized = True
                node = Func("factorial", [node])
            elif value == "%":
                self.i += 1
                node = Pct(node)
            else:
                return node

    def exponent(self) -> Node:
        self._enter()
        kind, value, _ = self.toks[self.i]
        if kind == "op" and value in ("-", "+"):
            self.i += 1
            x = self.exponent()
            node = Neg(x) if value == "-" else x
        else:
            node = self.power()
        self.depth -= 1
        return node

    # -- primaries -------------------------------------------------------------------------

    def primary(self) -> Node:
        tok = self.toks[self.i]
        kind = tok[0]
        if kind == "num":
            self.i += 1
            return tok[1]
        if kind == "id":
            self.i += 1
            return self._symbol(tok[1])
        if kind == "const":
            self.i += 1
            return Const(tok[1])
        if kind == "open":
            return self._group(tok[1])
        if kind == "fn":
            return self._function(tok[1])
        if kind == "frac":
            self.i += 1
            return Frac(self._arg(True), self._arg(True))
        if kind == "sqrt":
            return self._sqrt()
        if kind == "binom":
            self.i += 1
            self.sized = True
            return Func("binomial", [self._arg(True), self._arg(True)])
        if kind == "bar":
            return self._enclosed("abs", "bar")
        if kind == "special":
            self.i += 1
            return SpecialSet(tok[1])
        if kind == "begin":
            return self._matrix(tok[1])
        raise self._error()

    def _symbol(self, name: str) -> Node:
        if self.toks[self.i][0] != "sub":
            return Sym(name)
        self.i += 1
        kind, value, _ = self.toks[self.i]
        if kind == "open" and value == "{":
            parts = []
            self.i += 1
            while self.toks[self.i][0] != "close":
                kind, value, _ = self.toks[self.i]
                if kind == "num":
                    parts.append(value.text)
                elif kind in ("id", "const") or (kind == "op" and value in ("+", "-")):
                    parts.append(value)
                else:
                    raise ParseError(f"unsupported subscript content {_describe(self.toks[self.i])}")
                self.i += 1
            self._expect("close", "}")
            if not parts:
                raise ParseError("empty subscript")
            return Sym(f"{name}_{''.join(parts)}")
        if kind == "num" and value.form == "int":
            self.i += 1
            return Sym(f"{name}_{value.text}")
        if kind in ("id", "const"):
            self.i += 1
            return Sym(f"{name}_{value}")
        raise ParseError("unsupported subscript")

    def _group(self, opener: str) -> Node:
        if opener in ("(", "[", "<"):
            return self._bracket(opener)
        if opener == "{" or opener == "{set":
            return self._braces(opener)
        return self._enclosed(_ENCLOSING_FUNC[opener], "close", opener)

    def _bracket(self, opener: str) -> Node:
        self.i += 1
        self._enter()
        saved_abs, self.abs_depth = self.abs_depth, 0
        items = self._items()
        kind, closer, _ = self.toks[self.i]
        if kind != "close" or closer not in _CLOSERS[opener]:
            raise ParseError(f"bracket {opener!r} closed by {_describe(self.toks[self.i])}")
        self.i += 1
        self.abs_depth = saved_abs
        self.depth -= 1
        square = opener == "[" and closer == "]"
        if square and all(_is_row(x) or id(x) in self.single_rows for x in items):
            rows = [x.items if _is_row(x) else [x] for x in items]
            if len({len(r) for r in rows}) != 1:
                raise ParseError("rows of different lengths")
            return Matrix(rows)
        if len(items) == 1:
            if square:
                self.single_rows.add(id(items[0]))  # `[[1], [2]]` is a column
            elif (opener, closer) != ("(", ")"):
                raise ParseError("a half-open bracket needs two endpoints")
            return items[0]
        return Bracket(opener, items, closer)

    def _braces(self, opener: str) -> Node:
        """`\\{...\\}` is a set; plain `{...}` groups, unless it holds commas (plain-text sets)."""
        self.i += 1
        self._enter()
        closer = "}set" if opener == "{set" else "}"
        if self.toks[self.i][:2] == ("close", closer):
            self.i += 1
            self.depth -= 1
            return SpecialSet("EmptySet")
        items = self._items()
        self._expect("close", closer)
        self.depth -= 1
        if opener == "{" and len(items) == 1:
            return items[0]
        return SetOf(items)

    def _items(self) -> list[Node]:
        items = [self.relation()]
        toks = self.toks
        while toks[self.i][0] == "sep" and toks[self.i][1] in (",", ";"):
            self.i += 1
            items.append(self.relation())
        return items

    def _enclosed(self, func: str, close_kind: str, close_value: object = None) -> Node:
        """|x|, \\lvert x \\rvert, \\lfloor x \\rfloor, \\lceil x \\rceil."""
        self.i += 1
        self._enter()
        bar = close_kind == "bar"
        if bar:
            self.abs_depth += 1
        inner = self.sum()
        self._expect(close_kind, close_value)
        if bar:
            self.abs_depth -= 1
        self.depth -= 1
        return Func(func, [inner])

    def _function(self, name: str) -> Node:
        self.i += 1
        toks = self.toks
        power = None
        if toks[self.i][:2] == ("op", "^"):
            self.i += 1
            power = self.exponent()
            if name in INVERSE and _is_minus_one(power):
                name, power = INVERSE[name], None
        base = None
        if name == "log" and toks[self.i][0] == "sub":
            self.i += 1
            base = self._arg(False)
        args = self._call_args()
        if base is not None:
            if len(args) != 1:
                raise ParseError("\\log_b takes one argument")
            args.append(base)
        low, high = FUNCTIONS[name]
        if not low <= len(args) <= high:
            raise ParseError(f"{name} takes {low}..{high} arguments, got {len(args)}")
        if name in _SIZED_FUNCTIONS:
            self.sized = True
        node = Func(name, args)
        if power is not None:
            self.sized = True
            node = Pow(node, power)
        return node

    def _call_args(self) -> list[Node]:
        """`f(a, b)`, `\\sin{x}`, or LaTeX's bare argument: `\\sin 2x` is sin(2x), `\\ln x + 1` is ln(x) + 1."""
        kind, value, _ = self.toks[self.i]
        if kind == "open" and value == "(":
            self.i += 1
            self._enter()
            saved_abs, self.abs_depth = self.abs_depth, 0
            args = [self.sum()]
            while self.toks[self.i][:2] == ("sep", ","):
                self.i += 1
                args.append(self.sum())
            self._expect("close", ")")
            self.abs_depth = saved_abs
            self.depth -= 1
            return args
        if kind == "open" and value == "{":
            return [self._braced()]
        self._enter()
        factors = [self.unary()]
        while self.toks[self.i][0] in _ARG_CONTINUES:
            factors.append(self.power())
        self.depth -= 1
        return [factors[0] if len(factors) == 1 else Mul(factors)]

    def _sqrt(self) -> Node:
        self.i += 1
        index = None
        if self.toks[self.i][:2] == ("open", "["):
            self.i += 1
            self._enter()
            index = self.sum()
            self._expect("close", "]")
            self.depth -= 1
        arg = self._arg(False)
        return Func("sqrt", [arg]) if index is None else Func("root", [arg, index])

    def _arg(self, single_digit: bool) -> Node:
        """A command's argument: a brace group or one token (`\\frac12` takes one digit each)."""
        toks = self.toks
        kind, value, _ = toks[self.i]
        if kind == "open" and value == "{":
            return self._braced()
        if kind == "num":
            text = value.text
            if single_digit and value.form == "int" and len(text) > 1 and text.isdigit():
                toks[self.i] = ("num", Num(int(text[1:]), 1, "int", text[1:]), False)
                return Num(int(text[0]), 1, "int", text[0])
            self.i += 1
            return value
        if kind == "id":
            self.i += 1
            return Sym(value)
        if kind == "const":
            self.i += 1
            return Const(value)
        if kind in ("frac", "sqrt", "fn") or (kind == "open" and value == "(" and not single_digit):
            self._enter()
            node = self.primary()
            self.depth -= 1
            return node
        raise ParseError(f"missing argument, found {_describe(toks[self.i])}")

    def _braced(self) -> Node:
        self.i += 1
        self._enter()
        saved_abs, self.abs_depth = self.abs_depth, 0
        node = self.sum()
        self._expect("close", "}")
        self.abs_depth = saved_abs
        self.depth -= 1
        return node

    def _matrix(self, env: str) -> Node:
        self.i += 1
        self._enter()
        toks = self.toks
        rows: list[list[Node]] = []
        row: list[Node] = []
        while toks[self.i][0] != "end":
            row.append(self.relation())
            kind = toks[self.i][0]
            if kind == "amp":
                self.i += 1
            elif kind == "row":
                self.i += 1
                rows.append(row)
                row = []
            elif kind != "end":
                raise self._error()
        if row:
            rows.append(row)
        if toks[self.i][1] != env:
            raise ParseError(f"\\begin{{{env}}} closed by \\end{{{toks[self.i][1]}}}")
        self.i += 1
        self.depth -= 1
        if not rows or len({len(r) for r in rows}) != 1:
            raise ParseError("a matrix needs rows of equal, nonzero length")
        return Matrix(rows)

    def _small_power(self, base: Node, exp: Node) -> bool:
        """A literal power of a symbol, constant or literal that is plainly within the limits
        (`x^2`, `2^{10}`), so the size guard need not run for it."""
        if isinstance(exp, Neg):
            exp = exp.arg
        if not (isinstance(exp, Num) and exp.q == 1):
            return False
        limits = self.limits
        if isinstance(base, Sym):
            return exp.p <= limits.max_degree
        if isinstance(base, Num):
            return exp.p * (base.p.bit_length() + base.q.bit_length()) <= limits.max_power_bits
        return isinstance(base, Const) and exp.p <= limits.max_power_bits

    # -- lookahead -------------------------------------------------------------------------

    def _degree_mark(self) -> bool:
        """At `^`: consume `^\\circ` or `^{\\circ}` and say so."""
        toks = self.toks
        i = self.i
        if toks[i + 1][0] == "circ":
            self.i = i + 2
            return True
        if toks[i + 1][:2] == ("open", "{") and toks[i + 2][0] == "circ" and toks[i + 3][:2] == ("close", "}"):
            self.i = i + 4
            return True
        return False

    def _mixed_frac(self, whole_node: Node) -> Node:
        """`2\\frac{1}{3}` is 7/3 when the fraction is proper and made of integer literals."""
        x = self.power()
        if isinstance(x, Frac):
            num, den = _int_literal(x.num), _int_literal(x.den)
            if num and den and not num[1] and not den[1] and 0 < num[0] < den[0]:
                whole, neg = _int_literal(whole_node)
                mixed = MixedNum(whole, num[0], den[0])
                return Neg(mixed) if neg else mixed
        return Mul([whole_node, x])

    def _mixed_slash(self, whole_node: Node) -> Node | None:
        """`2 1/3` (integer, space, proper fraction of integer literals) is 7/3."""
        whole = _int_literal(whole_node)
        toks = self.toks
        i = self.i
        if whole is None or toks[i + 1][:2] != ("op", "/"):
            return None
        a, b = toks[i][1], toks[i + 2][1]
        if toks[i + 2][0] != "num" or a.form != "int" or b.form != "int" or toks[i + 3][:2] == ("op", "^"):
            return None
        if not 0 < a.p < b.p:
            return None
        self.i = i + 3
        mixed = MixedNum(whole[0], a.p, b.p)
        return Neg(mixed) if whole[1] else mixed


def _is_row(node: Node) -> bool:
    return isinstance(node, Bracket) and node.open == "[" and node.close == "]"
