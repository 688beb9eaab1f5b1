"""Fuzzing verify(): whatever the completion, a Verdict comes back, quickly, and nothing escapes.

Hypothesis explores structured inputs (random unicode, LaTeX fragments, well-formed expression
trees); a seeded generator loop supplies the bulk (mutations of the labeled equivalence set,
fragment soups, expression trees), because hypothesis' own per-example overhead would not fit
100,000 examples into the time budget. Everything is deterministic (derandomize, fixed seeds).
"""

from __future__ import annotations

import functools
import json
import random
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reasonrl.problems.types import Answer
from reasonrl.rewards.types import Verdict

PER_CALL_S = 1.0
HYPOTHESIS_EXAMPLES = 6_000  # per hypothesis test (three of them)
BULK_EXAMPLES = 90_000
DATA = Path(__file__).resolve().parents[1] / "data" / "equivalence.jsonl"

GOLDS: list[Answer | str] = [
    Answer("number", "5", "5"),
    Answer("number", "-7/3", "-\\frac{7}{3}"),
    Answer("number", "3*sqrt(2)", "3\\sqrt{2}"),
    Answer("number", "12.375", "12.375", {"exact": "99/8"}),
    Answer("expression", "x**2 + 2*x + 1", "x^{2} + 2x + 1", {"variables": ["x"]}),
    Answer("expression", "x**3/3 + sin(x)", "\\frac{1}{3}x^{3} + \\sin(x)", {"variable": "x", "up_to_constant": True}),
    Answer("expression", "y = 2*x + 1", "y = 2x + 1", {"variables": ["x", "y"], "equation": True}),
    Answer("equation_solutions", "{-2, 3}", "-2, 3", {"variable": "x"}),
    Answer(
        "set", "{Alice, Carol}", "Alice, Carol", {"people": ["Alice", "Bob", "Carol"], "knights": ["Alice", "Carol"]}
    ),
    Answer("interval", "(-oo, 2] U (3, oo)", "(-\\infty, 2] \\cup (3, \\infty)", {"variable": "x"}),
    Answer("tuple", "(1, -2, 3)", "(1, -2, 3)", {"variables": ["x", "y", "z"]}),
    Answer("matrix", "[[1, 2], [3, 4]]", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", {"rows": 2, "cols": 2}),
    Answer(
        "grid",
        "2134\n4312\n1423\n3241",
        "2134 4312 1423 3241",
        {"size": 4, "box": [2, 2], "givens": ["2...", ".3..", ".423", "...1"]},
    ),
    Answer(
        "countdown",
        "(10 + 4) * (5 + 4)",
        "(10 + 4) \\times (5 + 4)",
        {"numbers": [5, 4, 4, 8, 10], "target": 126, "use_all": False},
    ),
    Answer("factorization", "2**3*3**2", "2^{3} \\cdot 3^{2}", {"factors": {"2": 3, "3": 2}}),
    Answer("text", "8C31", "8C31", {"base": 15}),
    "\\frac{1}{2}",
    "(3, -1)",
]

FRAGMENTS = [
    "\\boxed{",
    "\\fbox{",
    "}",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\\{",
    "\\}",
    "\\left(",
    "\\right)",
    "\\left[",
    "\\right]",
    "\\frac",
    "\\dfrac",
    "\\tfrac",
    "\\sqrt",
    "\\sqrt[3]",
    "^",
    "_",
    "^{",
    "!",
    "\\pi",
    "\\infty",
    "\\pm",
    "\\cup",
    "\\cap",
    "\\le",
    "\\ge",
    "<",
    ">",
    "=",
    ",",
    ";",
    ".",
    "x",
    "y",
    "e",
    "i",
    "\\ln",
    "\\sin",
    "\\cos",
    "\\log",
    "\\exp",
    "\\cdot",
    "\\times",
    "\\div",
    "+",
    "-",
    "*",
    "/",
    "**",
    "%",
    "\\%",
    "\\$",
    "$",
    "0",
    "1",
    "2",
    "7",
    "9",
    "10",
    "000",
    "3.14",
    "1{,}000",
    "\\,",
    " ",
    "\n",
    "\\\\",
    "&",
    "\\begin{pmatrix}",
    "\\end{pmatrix}",
    "\\begin{array}{cc}",
    "\\end{array}",
    "\\text{",
    "\\mathrm{",
    "\\mathbb{R}",
    "\\emptyset",
    "\\overline{",
    "\\binom",
    "<answer>",
    "</answer>",
    "<think>",
    "</think>",
    "Answer:",
    "The final answer is ",
    "####",
    "**",
    "or",
    "and",
    "x_1",
    "\u2212",
    "\u00d7",
    "\u00f7",
    "\u221a",
    "\u03c0",
    "\u2264",
    "\ufe0f",
    "\\",
    "\\\\boxed",
    "\\operatorname{",
    "lambda",
    "__import__",
    "'",
    '"',
    "\\end{",
    "\\begin{",
    "\\overline",
]

SETTINGS = settings(
    max_examples=HYPOTHESIS_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def check(verify, gold: Answer | str, completion: str, mode: str) -> Verdict:
    start = time.process_time()  # CPU time: the 2-core CI machine is shared, wall time is noisy
    v = verify(gold, completion, mode=mode)
    elapsed = time.process_time() - start
    assert isinstance(v, Verdict), (completion, v)
    assert 0.0 <= v.score <= 1.0 and isinstance(v.correct, bool) and isinstance(v.reason, str) and v.reason
    assert v.extracted is None or isinstance(v.extracted, str)
    assert elapsed < PER_CALL_S, f"{elapsed:.2f}s for {completion[:200]!r} against {gold!r}"
    return v


@functools.cache
def _verify():
    """verify(), warmed up on every gold kind so lazy imports are not charged to one example."""
    from reasonrl.rewards.verify import verify

    for gold in GOLDS:
        for text in ("\\boxed{5}", "\\boxed{x^2 + 1}", "\\boxed{(1, 2)}", "\\boxed{\\begin{pmatrix} 1 \\end{pmatrix}}"):
            verify(gold, text)
    return verify


# ---------------------------------------------------------------- generators shared by both halves
def expression_latex(rng: random.Random, depth: int = 0) -> str:
    """A well-formed (or nearly) LaTeX math expression, sometimes with huge numbers or powers."""
    if depth > 4 or rng.random() < 0.3:
        return rng.choice(
            [
                str(rng.randint(0, 20)),
                str(rng.randint(-(10**6), 10**6)),
                "9" * rng.randint(1, 600),
                "x",
                "y",
                "\\pi",
                "e",
                f"{rng.randint(0, 99)}.{rng.randint(0, 999)}",
                "\\infty",
                f"{rng.randint(1, 9)}e{rng.randint(-400, 400)}",
            ]
        )
    a, b = expression_latex(rng, depth + 1), expression_latex(rng, depth + 1)
    return rng.choice(
        [
            f"{a} + {b}",
            f"{a} - {b}",
            f"{a} \\cdot {b}",
            f"{a}{b}",
            f"\\frac{{{a}}}{{{b}}}",
            f"{{{a}}}^{{{b}}}",
            f"\\sqrt{{{a}}}",
            f"({a})!",
            f"\\left({a}\\right)",
            f"\\sin({a})",
            f"\\ln({a})",
            f"e^{{{a}}}",
            f"{a}, {b}",
            f"({a}, {b})",
            f"[{a}, {b})",
            f"x = {a}",
            f"{a} \\le x < {b}",
            f"{a} \\pm {b}",
            f"\\begin{{pmatrix}} {a} & {b} \\\\ {b} & {a} \\end{{pmatrix}}",
            f"{a}\\%",
            f"{a}^{{{rng.randint(0, 10**6)}}}",
        ]
    )


def fragment_soup(rng: random.Random) -> str:
    return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 40)))


def unicode_noise(rng: random.Random) -> str:
    ranges = [
        (0x20, 0x7E),
        (0x00, 0x1F),
        (0xA0, 0x2FF),
        (0x2200, 0x22FF),
        (0x370, 0x3FF),
        (0x4E00, 0x4E80),
        (0x1F600, 0x1F64F),
        (0xD7FF, 0xD7FF),
        (0xFFF0, 0xFFFF),
    ]
    out = []
    for _ in range(rng.randint(0, 120)):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def mutate(rng: random.Random, text: str) -> str:
    """Random edits of a real completion: deletions, insertions of fragments, duplicated spans, truncation."""
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        if not chars:
            break
        pos = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.3:
            del chars[pos : pos + rng.randint(1, 5)]
        elif op < 0.6:
            chars[pos:pos] = list(rng.choice(FRAGMENTS))
        elif op < 0.8:
            span = chars[pos : pos + rng.randint(1, 40)]
            chars[pos:pos] = span * rng.randint(1, 3)
        else:
            chars = chars[:pos]
    return "".join(chars)


def wrap(rng: random.Random, body: str) -> str:
    return rng.choice(
        [
            body,
            f"\\boxed{{{body}}}",
            f"The answer is $\\boxed{{{body}}}$.",
            f"Answer: {body}",
            f"<answer>{body}</answer>",
            f"Some reasoning first.\n\n#### {body}",
            f"<think>{body}</think> \\boxed{{{body}}}",
            f"**{body}**",
        ]
    )


# ---------------------------------------------------------------- hypothesis
@SETTINGS
@given(text=st.text(max_size=300), gold=st.sampled_from(GOLDS), mode=st.sampled_from(["strict", "lenient"]))
def test_fuzz_unicode(text: str, gold: Answer | str, mode: str) -> None:
    verify = _verify()
    check(verify, gold, text, mode)
    check(verify, gold, f"\\boxed{{{text}}}", mode)


@SETTINGS
@given(
    parts=st.lists(st.sampled_from(FRAGMENTS), max_size=60),
    gold=st.sampled_from(GOLDS),
    mode=st.sampled_from(["strict", "lenient"]),
    boxed=st.booleans(),
)
def test_fuzz_latex_fragments(parts: list[str], gold: Answer | str, mode: str, boxed: bool) -> None:
    body = "".join(parts)
    check(_verify(), gold, f"\\boxed{{{body}}}" if boxed else body, mode)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), gold=st.sampled_from(GOLDS), mode=st.sampled_from(["strict", "lenient"]))
def test_fuzz_expressions(seed: int, gold: Answer | str, mode: str) -> None:
    rng = random.Random(seed)
    check(_verify(), gold, wrap(rng, expression_latex(rng)), mode)


# ---------------------------------------------------------------- seeded bulk
def test_fuzz_bulk_seeded() -> None:
    verify = _verify()
    completions = [json.loads(line)["completion"] for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    rng = random.Random(20261121)
    makers = [
        lambda: mutate(rng, rng.choice(completions)),
        lambda: wrap(rng, fragment_soup(rng)),
        lambda: wrap(rng, expression_latex(rng)),
        lambda: wrap(rng, unicode_noise(rng)),
    ]
    reasons: dict[str, int] = {}
    for i in range(BULK_EXAMPLES):
        completion = makers[i % len(makers)]()
        v = check(verify, rng.choice(GOLDS), completion, "strict" if i % 3 else "lenient")
        reasons[v.reason.split(":")[0]] = reasons.get(v.reason.split(":")[0], 0) + 1
    print(f"{BULK_EXAMPLES} seeded examples by reason: {reasons}")
    assert len(reasons) >= 3  # the generator reaches several outcomes, not one failure mode
