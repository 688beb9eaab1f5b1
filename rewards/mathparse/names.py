"""The whitelist: every function, constant, word and LaTeX command the grammar knows.

Anything not named here is either a symbol (a letter or a word) or a ParseError.
"""

from __future__ import annotations

# canonical function name -> (min args, max args)
FUNCTIONS: dict[str, tuple[int, int]] = {
    **dict.fromkeys(
        "sin cos tan sec csc cot asin acos atan asec acsc acot sinh cosh tanh sech csch coth "
        "asinh acosh atanh exp sqrt abs floor ceiling factorial".split(),
        (1, 1),
    ),
    "log": (1, 2),
    "root": (2, 2),
    "binomial": (2, 2),
    "max": (1, 16),
    "min": (1, 16),
    "gcd": (2, 16),
    "lcm": (2, 16),
}

# spelling (plain-text word or LaTeX command name) -> canonical function name
FUNCTION_ALIASES: dict[str, str] = {
    **{name: name for name in FUNCTIONS},
    **{f"arc{t}": f"a{t}" for t in ("sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh")},
    "ln": "log",
    "Abs": "abs",
    "ceil": "ceiling",
    "binom": "binomial",
    "Max": "max",
    "Min": "min",
    "Sqrt": "sqrt",
}

INVERSE = {t: f"a{t}" for t in ("sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh")}

CONSTANTS: dict[str, str] = {
    "pi": "pi",
    "e": "E",
    "E": "E",
    "i": "I",
    "I": "I",
    "oo": "oo",
    "inf": "oo",
    "infty": "oo",
    "infinity": "oo",
    "Infinity": "oo",
}

SPECIAL_WORDS = {"Reals": "Reals", "EmptySet": "EmptySet", "emptyset": "EmptySet", "none": "EmptySet"}

SEPARATOR_WORDS = {"or": "or", "and": "and", "OR": "or", "AND": "and"}

GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "omicron rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Sigma Upsilon Phi Psi Omega"
).split()

# A word made of these letters stays one symbol in plain text (`theta`, not t*h*e*t*a).
KNOWN_WORDS = frozenset(GREEK)

# LaTeX command -> (token kind, value); commands absent here and from the special handlers are errors.
COMMANDS: dict[str, tuple[str, object]] = {
    **{name: ("fn", canon) for name, canon in FUNCTION_ALIASES.items() if name.islower() and name.isalpha()},
    **{name: ("id", name) for name in GREEK},
    "pi": ("const", "pi"),
    "infty": ("const", "oo"),
    "infin": ("const", "oo"),
    "imath": ("const", "I"),
    "frac": ("frac", None),
    "dfrac": ("frac", None),
    "tfrac": ("frac", None),
    "cfrac": ("frac", None),
    "sqrt": ("sqrt", None),
    "binom": ("binom", None),
    "dbinom": ("binom", None),
    "tbinom": ("binom", None),
    "cdot": ("op", "*"),
    "times": ("op", "*"),
    "ast": ("op", "*"),
    "div": ("op", "/"),
    "pm": ("op", "pm"),
    "mp": ("op", "mp"),
    "%": ("op", "%"),
    "le": ("rel", "<="),
    "leq": ("rel", "<="),
    "leqslant": ("rel", "<="),
    "ge": ("rel", ">="),
    "geq": ("rel", ">="),
    "geqslant": ("rel", ">="),
    "lt": ("rel", "<"),
    "gt": ("rel", ">"),
    "ne": ("rel", "!="),
    "neq": ("rel", "!="),
    "in": ("rel", "in"),
    "cup": ("setop", "cup"),
    "cap": ("setop", "cap"),
    "setminus": ("setop", "minus"),
    "emptyset": ("special", "EmptySet"),
    "varnothing": ("special", "EmptySet"),
    "{": ("open", "{set"),
    "}": ("close", "}set"),
    "lbrace": ("open", "{set"),
    "rbrace": ("close", "}set"),
    "lbrack": ("open", "["),
    "rbrack": ("close", "]"),
    "langle": ("open", "<"),
    "rangle": ("close", ">"),
    "lfloor": ("open", "floor"),
    "rfloor": ("close", "floor"),
    "lceil": ("open", "ceil"),
    "rceil": ("close", "ceil"),
    "lvert": ("open", "abs"),
    "rvert": ("close", "abs"),
    "vert": ("bar", "|"),
    "circ": ("circ", None),
    "\\": ("row", None),
    "quad": ("sep", "quad"),
    "qquad": ("sep", "quad"),
}

# Commands that only change how things look: dropped, and so is the brace pair they take.
TRANSPARENT_WITH_ARG = frozenset("boxed fbox mathbf boldsymbol bm mathit mathsf mathnormal displaystyle".split())
IGNORED = frozenset(
    ", ; : ! > space $ displaystyle textstyle scriptstyle limits nolimits hline "
    "big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm".split()
)
TEXT_COMMANDS = frozenset("text textrm textbf textit textsf textnormal mathrm mbox rm".split())
MATRIX_ENVS = frozenset("pmatrix bmatrix Bmatrix matrix smallmatrix array".split())
