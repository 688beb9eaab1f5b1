"""Function evaluation and composition with polynomial functions: f(a), then
f(g(a)), then f(g(x)) as an expanded polynomial, compositions written with the
circle notation (including f(f(x))), and at the top three functions deep.
The answer kind is `expression` throughout (a number is an expression)."""

from __future__ import annotations

import random

from ..algebra_util import ip_text, nonzero
from ..poly import Poly
from ..registry import Draft, Knobs, family
from ..types import Answer

# task (ordinal): f(a); f(g(a)); f(g(x)); (g o f)(x) or f(f(x)); three functions deep
EVAL, COMPOSE_VALUE, COMPOSE_EXPR, CIRCLE, TRIPLE = range(5)

LEVELS = [
    dict(task=EVAL, max_deg=1, max_total=1, max_coef=5, max_arg=5),
    dict(task=EVAL, max_deg=2, max_total=2, max_coef=6, max_arg=6),
    dict(task=COMPOSE_VALUE, max_deg=2, max_total=2, max_coef=9, max_arg=6),
    dict(task=COMPOSE_EXPR, max_deg=2, max_total=2, max_coef=9, max_arg=6),
    dict(task=COMPOSE_EXPR, max_deg=2, max_total=4, max_coef=9, max_arg=6),
    dict(task=CIRCLE, max_deg=2, max_total=4, max_coef=9, max_arg=6),
    dict(task=TRIPLE, max_deg=2, max_total=4, max_coef=9, max_arg=6),
    dict(task=TRIPLE, max_deg=2, max_total=4, max_coef=10, max_arg=8),
    dict(task=TRIPLE, max_deg=3, max_total=6, max_coef=10, max_arg=8),
    dict(task=TRIPLE, max_deg=3, max_total=6, max_coef=12, max_arg=10),
]


def _function(rng: random.Random, degree: int, max_coef: int) -> Poly:
    """A polynomial of the given degree with small integer coefficients (nonzero constant or linear term)."""
    c = [rng.randint(-max_coef, max_coef) for _ in range(degree)] + [nonzero(rng, max_coef if degree == 1 else 4)]
    if degree > 1 and max_coef > 6:
        c[-1] = nonzero(rng, max_coef)
    if not any(c[:-1]):
        c[0] = nonzero(rng, max_coef)
    return Poly(c)


@family("function_composition", kind="expression", category="algebra", levels=LEVELS)
def function_composition(rng: random.Random, k: Knobs) -> Draft:
    """Evaluate and compose polynomial functions: f(a), f(g(a)), f(g(x)) expanded."""
    task = k.task if rng.random() < 0.75 else rng.randint(EVAL, k.task)
    symbolic = task in (COMPOSE_EXPR, CIRCLE) or (task == TRIPLE and rng.random() < 0.5)
    depth = 3 if task == TRIPLE else (1 if task == EVAL else 2)
    # degrees of the chain, outermost first; their product (the result's degree) stays within the limit
    limit = k.max_total if symbolic else 4
    degrees = [rng.randint(1, k.max_deg) for _ in range(depth)]
    while _product(degrees) > limit:
        degrees[degrees.index(max(degrees))] -= 1
    review = depth == 1 and k.task > EVAL  # a plain evaluation among harder tasks: a quadratic or cubic
    if review:
        degrees = [rng.randint(2, 3)]
    names = ("f", "g", "h")[:depth]
    lead = k.max_coef if review else min(k.max_coef, 6)
    funcs = {n: _function(rng, d, k.max_coef if d == 1 else lead) for n, d in zip(names, degrees)}
    chain = list(names)  # outermost first: f(g(h(x)))
    circle = task == CIRCLE or (depth == 2 and not symbolic and rng.random() < 0.3)
    if task == CIRCLE and rng.random() < 0.4:
        chain, funcs = ["f", "f"], {"f": funcs["f"]}  # f(f(x))
        circle = False
    elif circle and rng.random() < 0.5:
        chain = ["g", "f"]  # (g o f): apply f first

    defs = [f"${n}(x) = {ip_text(funcs[n].c, 'x', True)}$" for n in sorted(funcs)]
    given = defs[0] if len(defs) == 1 else ", ".join(defs[:-1]) + f" and {defs[-1]}"
    steps = []
    if symbolic:
        call = "x"
        result = Poly((0, 1))
        for n in reversed(chain):
            if result.c != (0, 1):
                before = ip_text(result.c, "x", True)
                result = funcs[n].compose(result)
                steps.append(
                    f"Substitute ${before}$ for $x$ in ${n}$: ${n}({before}) = {ip_text(result.c, 'x', True)}$."
                )
            else:
                result = funcs[n]
            call = f"{n}({call})"
        value, latex = ip_text(result.c, "x"), ip_text(result.c, "x", True)
        arg_text = "x"
        spec = {"variables": ["x"], "form": "expanded"}
    else:
        spread = k.max_arg if depth > 1 or review else 2 * k.max_arg
        for _ in range(8):  # keep the inner values small enough to work by hand
            arg = rng.randint(-spread, spread)
            vals = [arg]
            for n in reversed(chain[1:]):
                vals.append(funcs[n](vals[-1]))
            if all(abs(x) <= 30 for x in vals):
                break
        call, val = str(arg), arg
        for n in reversed(chain):
            new = funcs[n](val)
            steps.append(f"${n}({val}) = {_substituted(funcs[n], val)} = {new}$.")
            val, call = new, f"{n}({call})"
        value = latex = str(val)
        arg_text = str(arg)
        spec = {"variables": ["x"]}
    circ = " \\circ "
    shown = f"({circ.join(chain)})({arg_text})" if circle else call
    if symbolic:
        steps.append(f"So ${shown} = {latex}$.")
        question = f"Let {given}. Find ${shown}$ and write it as an expanded polynomial in $x$."
    else:
        question = f"Let {given}. Find ${shown}$."
    data = {"functions": {n: ip_text(funcs[n].c, "x") for n in sorted(funcs)}, "target": call}
    return Draft(question, Answer(kind="expression", value=value, latex=latex, spec=spec), steps, data=data)


def _product(xs: list[int]) -> int:
    out = 1
    for x in xs:
        out *= x
    return out


def _substituted(p: Poly, a: int) -> str:
    """p with x replaced by (a), e.g. 2(-3)^{2} - 5(-3) + 1."""
    arg = f"({a})" if a < 0 else str(a)
    parts = []
    for i in range(len(p.c) - 1, -1, -1):
        c = p.c[i]
        if not c:
            continue
        if i == 0:
            body = str(abs(c))
        else:
            power = arg if i == 1 else f"{arg}^{{{i}}}"
            body = power if abs(c) == 1 else f"{abs(c)} \\cdot {power}"
        parts.append(("-" if c < 0 else "+", body))
    text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    for sign, body in parts[1:]:
        text += f" {sign} {body}"
    return text
