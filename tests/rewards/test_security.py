"""The model's text is untrusted: no completion may run code, hang the verifier or blow up memory.

Code injection: every string that would run Python through `eval`/`sympify`/`parse_expr` is fed
inside `\\boxed{}` and bare, against several gold kinds; a tripwire on `eval` and on sympy's string
parser fails the test if either is reached, and the marker file must never appear. Resource
exhaustion: power towers, huge factorials, giant literals, deep nesting and megabyte completions
must each come back within a wall-clock budget with a failure reason, in process and through the pool.
"""

from __future__ import annotations

import ast
import builtins
import time
from pathlib import Path

import pytest

from reasonrl.problems.types import Answer
from reasonrl.rewards.types import BAD_INPUT, HEDGED, NO_ANSWER, PARSE_ERROR, REFUSED, WRONG, Verdict

REWARDS = Path(__file__).resolve().parents[2] / "rewards"
BUDGET_S = 2.0

# Gold values that no injection string (nor the marker's tmp path) contains, so that lenient
# extraction of "the last number" in an injection string can never match them by accident.
GOLDS = {
    "number": Answer("number", "123457", "123457"),
    "expression": Answer("expression", "x + 1", "x + 1", {"variables": ["x"]}),
    "set": Answer("equation_solutions", "{123457, -98765}", "123457, -98765", {"variable": "x"}),
    "interval": Answer("interval", "(-oo, 2]", "(-\\infty, 2]", {"variable": "x"}),
    "matrix": Answer("matrix", "[[1, 2], [3, 4]]", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
    "plain": "123457",
}
FIVE = Answer("number", "5", "5")


def injections(marker: Path) -> list[str]:
    touch = f"__import__('os').system('touch {marker}')"
    return [
        touch,
        f"{touch} + 7",
        f"7 + {touch}",
        f'eval("{touch}")',
        f'exec("{touch}")',
        f"(lambda: {touch})()",
        f"lambda x: {touch}",
        f"f'{{{touch}}}'",
        f"open('{marker}', 'w').write('x')",
        f"[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'Popen'][0]('touch {marker}', shell=True)",
        "().__class__.__bases__[0].__subclasses__()",
        "x.__class__.__mro__[1].__subclasses__()",
        "Symbol('x').__globals__",
        f"__builtins__.__dict__['__import__']('os').system('touch {marker}')",
        f"getattr(__import__('os'), 'system')('touch {marker}')",
        f"import os; os.system('touch {marker}')",
        f"\\text{{{touch}}}",
        f"\\operatorname{{__import__}}('os').system('touch {marker}')",
        f'\\mathrm{{exec}}("{touch}")',
        "Function('f')(x).__class__",
        f"x.subs(x, {touch})",
        f"Lambda(x, {touch})",
        f"{{{touch}, 1}}",
        f"({touch}, 2)",
    ]


@pytest.fixture(scope="module")
def verify():
    from reasonrl.rewards.verify import verify

    for gold in GOLDS.values():  # warm-up: lazy imports and caches are not what we time or trip on
        verify(gold, "\\boxed{5}")
        verify(gold, "\\boxed{x + 1}")
    return verify


@pytest.fixture
def tripwires(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and stop) any call of eval or of sympy's string parser made while verifying."""
    calls: list[str] = []

    def trip(name: str):
        def fail(*args, **kwargs):
            calls.append(f"{name}{args[:1]!r}")
            raise RuntimeError(f"{name} reached from verify()")

        return fail

    monkeypatch.setattr(builtins, "eval", trip("eval"))
    import sympy.parsing.sympy_parser as sympy_parser

    monkeypatch.setattr(sympy_parser, "parse_expr", trip("parse_expr"))
    return calls


def assert_failed_safely(v: Verdict) -> None:
    assert isinstance(v, Verdict)
    assert not v.correct and v.score == 0.0
    assert v.reason in (WRONG, PARSE_ERROR, NO_ANSWER, HEDGED) or v.reason.startswith(REFUSED), v.reason


@pytest.mark.parametrize("gold_name", sorted(GOLDS))
def test_injection_never_runs(verify, tripwires: list[str], tmp_path: Path, gold_name: str) -> None:
    marker = tmp_path / "MARKER"
    gold = GOLDS[gold_name]
    for text in injections(marker):
        for completion, mode in ((f"The answer is \\boxed{{{text}}}.", "strict"), (text, "lenient")):
            v = verify(gold, completion, mode=mode)
            assert_failed_safely(v)
            assert not marker.exists(), f"code ran: {completion!r}"
    assert not tripwires, tripwires


def test_no_eval_in_rewards_source() -> None:
    """No module of the package calls eval/exec/compile, sympify or a sympy string parser."""
    builtins_ = {"eval", "exec", "compile", "__import__"}  # as bare names: re.compile is fine
    sympy_parsers = {"sympify", "parse_expr", "parse_latex", "S"}  # bare or as attributes (sympy.S)
    offenders = []
    for path in sorted(REWARDS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
            if not ((isinstance(fn, ast.Name) and name in builtins_) or name in sympy_parsers):
                continue
            if name == "S" and all(isinstance(a, ast.Constant) and not isinstance(a.value, str) for a in node.args):
                continue  # S(0), S(1): numeric literals of our own code; S(<variable>) may be a string
            offenders.append(f"{path.relative_to(REWARDS.parent)}:{node.lineno} {name}(...)")
    assert not offenders, offenders


def nested(open_: str, close: str, depth: int, core: str = "1") -> str:
    return open_ * depth + core + close * depth


def hostile_answers() -> dict[str, tuple[str, str]]:
    """name -> (answer text, gold name); each must be refused or rejected quickly."""
    return {
        "power_tower_latex": ("9^{9^{9^{9}}}", "number"),
        "power_tower_python": ("9**9**9**9", "number"),
        "power_tower_10": ("10^{10^{10}}", "number"),
        "power_tower_expression": ("x^{9^{9^{9}}}", "expression"),
        "factorial_huge": ("(10^9)!", "number"),
        "factorial_latex": ("\\left(10^{9}\\right)!", "number"),
        "factorial_chain": ("100!!!!", "number"),
        "factorial_function": ("factorial(10**9)", "number"),
        "division_by_zero": ("\\frac{1}{0}", "number"),
        "zero_over_zero": ("0/0", "number"),
        "int_100k_digits": ("9" * 100_000, "number"),
        "int_500_digits": ("9" * 500, "number"),
        "decimal_100k_digits": ("0." + "3" * 100_000, "number"),
        "degree_100000": ("x^{100000}", "expression"),
        "degree_product": ("(x+1)^{1000}(x-1)^{1000}", "expression"),
        "expand_bomb": ("((x+1)^{60})^{60}", "expression"),
        "nested_parens_10k": (nested("(", ")", 10_000), "number"),
        "nested_parens_30": (nested("(", ")", 30), "number"),
        "nested_left_right": (nested("\\left(", "\\right)", 5_000), "number"),
        "nested_braces": (nested("{", "}", 10_000), "number"),
        "nested_sqrt_1000": (nested("\\sqrt{", "}", 1_000, "2"), "number"),
        "nested_frac": (nested("\\frac{1}{", "}", 2_000, "2"), "number"),
        "nested_sets": (nested("\\{", "\\}", 3_000), "set"),
        "nested_brackets_matrix": (nested("[", "]", 10_000), "matrix"),
        "long_sum": ("+".join(["x"] * 50_000), "expression"),
        "many_roots": (", ".join(str(i) for i in range(20_000)), "set"),
        "huge_union": (" \\cup ".join(f"[{i}, {i + 1}]" for i in range(5_000)), "interval"),
        "huge_matrix": (
            "\\begin{pmatrix}" + " \\\\ ".join(" & ".join(["1"] * 300) for _ in range(300)) + "\\end{pmatrix}",
            "matrix",
        ),
        "exp_tower": ("e^{e^{e^{e^{e^{10}}}}}", "number"),
        "sin_of_huge": ("\\sin(10^{10^{5}})", "number"),
        "sci_notation_huge": ("1e999999999", "number"),
        "repeating_decimal_long": ("0.\\overline{" + "1234567890" * 5_000 + "}", "number"),
    }


@pytest.mark.parametrize("name", sorted(hostile_answers()))
def test_hostile_answer_is_bounded(verify, name: str) -> None:
    text, gold_name = hostile_answers()[name]
    gold = GOLDS[gold_name]
    for completion, mode in ((f"\\boxed{{{text}}}", "strict"), (text, "lenient")):
        start = time.perf_counter()
        v = verify(gold, completion, mode=mode)
        elapsed = time.perf_counter() - start
        assert elapsed < BUDGET_S, f"{name} ({mode}) took {elapsed:.2f}s"
        assert_failed_safely(v)


@pytest.mark.parametrize(
    "name",
    [
        "power_tower_latex",
        "power_tower_python",
        "power_tower_10",
        "factorial_huge",
        "int_500_digits",
        "degree_100000",
        "nested_parens_10k",
        "nested_sqrt_1000",
    ],
)
def test_over_limit_is_refused(verify, name: str) -> None:
    """Inputs that cannot be judged without unbounded work carry a refused:<limit> reason."""
    text, gold_name = hostile_answers()[name]
    v = verify(GOLDS[gold_name], f"\\boxed{{{text}}}")
    assert v.reason.startswith(REFUSED + ":"), (name, v)


def hostile_completions() -> dict[str, tuple[str, bool | None]]:
    """name -> (completion, whether strict extraction must find the right answer 5; None: either way)."""
    filler = "Let me think about this carefully, step by step. 3 + 4 = 7, 12 / 4 = 3. "
    megabyte = filler * (1_000_000 // len(filler))
    return {
        "1mb_then_answer": (megabyte + "\nThe final answer is \\boxed{5}.", True),
        "1mb_no_answer": (megabyte, False),
        "1mb_single_line_digits": ("7" * 1_000_000, False),
        "answer_then_1mb_braces": ("\\boxed{5}" + "{" * 1_000_000, None),
        "boxed_open_100k": ("\\boxed{" * 100_000, False),
        "boxed_open_100k_then_answer": ("\\boxed{" * 100_000 + "5}", None),
        "boxed_many_100k": ("\\boxed{5}" * 100_000, True),
        "boxed_differing_50k": ("\\boxed{5}\\boxed{6}" * 50_000, False),
        "answer_tags_100k": ("<answer>" * 100_000, False),
        "answer_lines_100k": ("Answer: " * 100_000, False),
        "gsm8k_100k": ("#### " * 100_000, False),
        "bold_100k": ("**" * 100_001, False),
        "dollars_100k": ("$" * 100_001, False),
        "think_open_100k": ("<think>" * 100_000 + "\\boxed{5}", None),
        "backslashes_1mb": ("\\" * 1_000_000, False),
        "nested_boxed_10k": (nested("\\boxed{", "}", 10_000, "5"), None),
        "final_answer_phrase_50k": ("the final answer is " * 50_000, False),
        "unicode_1mb": ("\u2212\u00d7\u00f7\u221a\u03c0" * 200_000, False),
        "nul_bytes": ("\x00" * 100_000 + "\\boxed{5}", True),
    }


@pytest.mark.parametrize("name", sorted(hostile_completions()))
def test_hostile_completion_is_bounded(verify, name: str) -> None:
    completion, holds_answer = hostile_completions()[name]
    for mode in ("strict", "lenient"):
        start = time.perf_counter()
        v = verify(FIVE, completion, mode=mode)
        elapsed = time.perf_counter() - start
        assert elapsed < BUDGET_S, f"{name} ({mode}) took {elapsed:.2f}s"
        assert isinstance(v, Verdict)
        if holds_answer and mode == "strict":
            assert v.correct, (name, v)
        elif holds_answer is False:
            assert_failed_safely(v)


def test_pool_contains_hostile_items() -> None:
    """Through the pool, hostile items come back in order with a reason, and ordinary items still score."""
    from reasonrl.rewards.pool import RewardPool, ScoreItem

    items = [
        ScoreItem(FIVE, "\\boxed{9^{9^{9^{9}}}}"),
        ScoreItem(FIVE, "\\boxed{5}"),
        ScoreItem(FIVE, "\\boxed{" + nested("(", ")", 10_000) + "}"),
        ScoreItem(GOLDS["expression"], "\\boxed{x^{100000}}"),
        ScoreItem(FIVE, "\\boxed{" * 100_000),
        ScoreItem(GOLDS["expression"], "\\boxed{1 + x}"),
    ]
    start = time.perf_counter()
    with RewardPool(num_workers=1, timeout_s=2.0, memory_mb=1024) as pool:
        verdicts = pool.score(items)
    assert time.perf_counter() - start < 60
    assert [v.correct for v in verdicts] == [False, True, False, False, False, True]
    for v in (verdicts[0], verdicts[2], verdicts[3], verdicts[4]):
        assert_failed_safely(v)


@pytest.mark.parametrize(
    "gold, completion, kwargs",
    [
        (None, "\\boxed{5}", {}),
        ("", "\\boxed{5}", {}),
        ("5", None, {}),
        ("5", b"\\boxed{5}", {}),
        ("5", ["\\boxed{5}"], {}),
        ("5", "\\boxed{5}", {"mode": "greedy"}),
        ("5", "\\boxed{5}", {"kind": "no_such_kind"}),
        (Answer("no_such_kind", "5", "5"), "\\boxed{5}", {}),
        (Answer("countdown", "1 + 2", "1 + 2", {}), "\\boxed{1 + 2}", {}),
    ],
)
def test_malformed_request_is_bad_input(verify, gold, completion, kwargs) -> None:
    """A malformed request (no gold, wrong types, unknown kind or mode, broken spec) never raises."""
    v = verify(gold, completion, **kwargs)
    assert isinstance(v, Verdict) and not v.correct
    assert v.reason in (BAD_INPUT, PARSE_ERROR), v
