"""The judges, kind by kind: accepted forms and the false-positive traps next to them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reasonrl.problems.types import Answer
from reasonrl.rewards.detect import detect_gold
from reasonrl.rewards.kinds import get_judge, judge, judge_kinds
from reasonrl.rewards.types import DEFAULT_LIMITS, Limits, Verdict
from reasonrl.rewards.verify import judge_answer, verify


def A(kind: str, value: str, **spec) -> Answer:  # noqa: N802
    return Answer(kind, value, value, spec)


def check(gold: Answer, text: str) -> Verdict:
    return judge_answer(gold, text)


NUMBER = [
    ("18", "18", True),
    ("18", "18.0", True),
    ("18", "018", True),
    ("18", "\u221218", False),
    ("-18", "\u221218", True),
    ("1000", "1,000", True),
    ("1000", "1{,}000", True),
    ("1000", "1\\,000", True),
    ("1000", "1 000", True),
    ("1000", "\\$1,000", True),
    ("1000", "1000 dollars", True),
    ("12", "12 \\text{ cm}", True),
    ("1/2", "\\frac{1}{2}", True),
    ("1/2", "\\dfrac12", True),
    ("1/2", "2/4", True),
    ("1/2", "0.5", True),
    ("1/2", "2", False),
    ("1/3", "0.333", False),
    ("1/3", "0.\\overline{3}", True),
    ("7/2", "3\\frac{1}{2}", True),
    ("7/2", "3 1/2", True),
    ("-1/2", "\\frac{-1}{2}", True),
    ("-1/2", "-\\frac{1}{2}", True),
    ("1/2", "-\\frac{1}{2}", False),
    ("300000000", "3 \\times 10^{8}", True),
    ("300000000", "3e8", True),
]


@pytest.mark.parametrize("gold, text, ok", NUMBER)
def test_number_fast_path(gold, text, ok):
    assert check(A("number", gold), text).correct is ok


def test_number_fast_path_never_imports_sympy():
    script = (
        "import sys\n"
        "from reasonrl.problems.types import Answer\n"
        "from reasonrl.rewards.verify import verify\n"
        "g = Answer('number', '1/2', '\\\\frac{1}{2}', {})\n"
        "assert verify(g, 'so \\\\boxed{\\\\frac{2}{4}}').correct\n"
        "assert verify(g, 'so \\\\boxed{0.5}').correct\n"
        "assert verify(Answer('countdown', '', '', {'numbers': [3, 8], 'target': 24}), '\\\\boxed{3*8}').correct\n"
        "print('sympy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "gold, spec, text, ok",
    [
        ("30", {"unit": "%"}, "30\\%", True),
        ("30", {"unit": "%"}, "30", True),
        ("30", {"unit": "%"}, "0.3", False),
        ("3/10", {}, "30\\%", True),
        ("30", {}, "30\\%", False),
        ("-1.2", {"exact": "-6/5"}, "-\\frac{6}{5}", True),
        ("-1.2", {"exact": "-6/5"}, "-1.20", True),
        ("-1.2", {"exact": "-6/5"}, "-1.21", False),
        ("3.14159", {"tolerance": 1e-4}, "3.1416", True),
        ("3.14159", {"tolerance": 1e-4}, "3.15", False),
        ("2/3", {"rounding": 2}, "0.67", True),
        ("2/3", {"rounding": 2}, "0.66", False),
        ("5", {}, "x = 5", True),
        ("5", {}, "x = 6", False),
    ],
)
def test_number_spec(gold, spec, text, ok):
    assert check(A("number", gold, **spec), text).correct is ok


SYMBOLIC_NUMBER = [
    ("14*pi", "14\\pi", True),
    ("14*pi", "14 \\pi", True),
    ("14*pi", "\\pi \\cdot 14", True),
    ("14*pi", "43.98", False),
    ("14*pi", "13\\pi", False),
    ("5*sqrt(15)", "5\\sqrt{15}", True),
    ("5*sqrt(15)", "\\sqrt{375}", True),
    ("5*sqrt(15)", "19.36", False),
    ("5*sqrt(2)", "\\frac{10}{\\sqrt{2}}", True),
    ("sqrt(2)/2", "\\frac{1}{\\sqrt{2}}", True),
    ("sqrt(2)/2", "\\frac{\\sqrt{2}}{2}", True),
    ("5*log(2) - 8", "5\\ln 2 - 8", True),
    ("5*log(2) - 8", "\\ln 32 - 8", True),
    ("5*log(2) - 8", "5\\ln 2 + 8", False),
    ("E**12", "e^{12}", True),
    ("E**12", "e^{11}", False),
    ("3", "\\log_2 8", True),
    ("-1", "(1+\\sqrt{2})(1-\\sqrt{2})", True),
    ("-4 + sqrt(22)*I", "-4 + i\\sqrt{22}", True),
    ("2*sqrt(1105)*pi", "2\\pi\\sqrt{1105}", True),
    ("5*sqrt(15)", "5\\sqrt{15}\\text{ cm}", True),
    ("5*sqrt(15)", "5\\sqrt{15} \\approx 19.36", True),
    ("pi", "3.14159265358979323846264338327950288", False),  # a rounded decimal, however long
    ("pi", "\\pi + 10^{-30}", False),
    ("oo", "\\infty", True),
    ("oo", "10^{100}", False),
]


@pytest.mark.parametrize("gold, text, ok", SYMBOLIC_NUMBER)
def test_number_symbolic(gold, text, ok):
    assert check(A("number", gold), text).correct is ok


EXPRESSION = [
    ({}, "15*x**2 + 4", "15x^2 + 4", True),
    ({}, "15*x**2 + 4", "4 + 15x^{2}", True),
    ({}, "15*x**2 + 4", "15x^2 - 4", False),
    ({}, "x + 1", "x - 1", False),
    ({}, "x + 1", "1 + x", True),
    ({}, "15*x**2 + 4", "f'(x) = 15x^2 + 4", True),
    ({}, "sin(x)**2", "1 - \\cos^2 x", True),
    ({}, "sin(x)**2", "1 - \\cos x", False),
    ({}, "exp(2*x)", "(e^{x})^2", True),
    ({}, "5/sqrt(x)", "5x^{-1/2}", True),
    ({}, "x", "\\sqrt{x^2}", False),
    ({}, "(x + 2)/(x + 3)", "\\frac{x^2+3x+2}{x^2+4x+3}", True),
    ({"form": "expanded"}, "x**2 + 4*x + 4", "x^2 + 4x + 4", True),
    ({"form": "expanded"}, "x**2 + 4*x + 4", "(x+2)^2", False),
    ({"form": "expanded"}, "2*x + 2", "2(x+1)", False),
    ({"form": "factored"}, "(x + 5)*(x + 8)", "(x+8)(x+5)", True),
    ({"form": "factored"}, "(x + 5)*(x + 8)", "x^2 + 13x + 40", False),
    ({"form": "factored"}, "(x + 5)*(x + 8)", "(x+5)(x+7)", False),
    ({"form": "factored"}, "(x + 7)**2", "(x+7)^2", True),
    ({"form": "factored"}, "4*(x - 2)*(x + 2)", "4(x^2-4)", False),
    ({"form": "factored"}, "4*(x - 2)*(x + 2)", "-4(2-x)(x+2)", True),
    ({"form": "simplified"}, "1/(x - 3)", "\\frac{1}{x-3}", True),
    ({"form": "simplified"}, "1/(x - 3)", "\\frac{x+3}{x^2-9}", False),
    ({"up_to_constant": True}, "-x**3 - x**2/2", "-x^3 - \\frac{x^2}{2} + C", True),
    ({"up_to_constant": True}, "-x**3 - x**2/2", "-x^3 - \\frac{x^2}{2} + 7", True),
    ({"up_to_constant": True}, "-x**3 - x**2/2", "-x^3 - x^2", False),
    ({"up_to_constant": True}, "-x**3 - x**2/2", "100!", False),  # a huge constant must not drown x
    ({"up_to_constant": True}, "-x**3 - x**2/2", "100! - x^3", False),
    ({}, "sin(x)", "\\sin x + 10^{-100}", False),
    ({"equation": True}, "y = -3*x + 6", "10^{100}(y + 3x - 6) + 1 = 0", False),
    ({"up_to_constant": True, "log_abs_optional": True}, "2*log(x)", "2\\ln|x| + C", True),
    ({"up_to_constant": True, "log_abs_optional": True}, "2*log(x)", "\\ln(x^2)", True),
    ({"up_to_constant": True, "log_abs_optional": True}, "2*log(x)", "\\ln x", False),
    ({"equation": True}, "y = -3*x + 6", "y = -3x + 6", True),
    ({"equation": True}, "y = -3*x + 6", "3x + y = 6", True),
    ({"equation": True}, "y = -3*x + 6", "2y = -6x + 12", True),
    ({"equation": True}, "y = -3*x + 6", "-3x + 6", True),
    ({"equation": True}, "y = -3*x + 6", "y = 3x + 6", False),
    ({"equation": True}, "y = -3*x + 6", "y = -3x", False),
    ({}, "-29", "-29", True),
    ({}, "-29", "29", False),
]


@pytest.mark.parametrize("spec, gold, text, ok", EXPRESSION)
def test_expression(spec, gold, text, ok):
    assert check(A("expression", gold, variables=["x", "y"], **spec), text).correct is ok


SOLUTIONS = [
    ("{-4, -3, 5}", "-4, -3, 5", True),
    ("{-4, -3, 5}", "5, -3, -4", True),
    ("{-4, -3, 5}", "x = -4, x = -3, x = 5", True),
    ("{-4, -3, 5}", "x = -4 \\text{ or } x = -3 \\text{ or } x = 5", True),
    ("{-4, -3, 5}", "\\{-4, -3, 5\\}", True),
    ("{-4, -3, 5}", "-4, -3", False),
    ("{-4, -3, 5}", "-4, -3, 5, 6", False),
    ("{-3, 0}", "x_1 = -3, x_2 = 0", True),
    ("{2, -2}", "x = \\pm 2", True),
    ("{2, -2}", "\\pm 2", True),
    ("{2, -2}", "2", False),
    ("{-4, -3, 5}", "x \\in \\{-4, -3, 5\\}", True),
    ("{-4, -3, 5}", "x = -4 \\quad x = -3 \\quad x = 5", True),
    ("{-4, -3, 5}", "x = -4, -3, \\text{ or } 5", True),
    ("{-4, -3, 5}", "x = y", False),
    ("{13/3}", "\\frac{13}{3}", True),
    ("{13/3}", "x = 4.33", False),
    ("{-4 + sqrt(22)*I, -4 - sqrt(22)*I}", "-4 \\pm i\\sqrt{22}", True),
    ("{-4 + sqrt(22)*I, -4 - sqrt(22)*I}", "-4 \\pm \\sqrt{22}", False),
    ("{1 + sqrt(3), 1 - sqrt(3)}", "x = 1 \\pm \\sqrt{3}", True),
    ("EmptySet", "\\text{no real solutions}", True),
    ("EmptySet", "\\emptyset", True),
    ("EmptySet", "0", False),
]


@pytest.mark.parametrize("gold, text, ok", SOLUTIONS)
def test_equation_solutions(gold, text, ok):
    assert check(A("equation_solutions", gold, variable="x"), text).correct is ok


@pytest.mark.parametrize(
    "gold, spec, text, ok",
    [
        ("{1, 2}", {}, "\\{2, 1\\}", True),
        ("{1, 2}", {}, "2, 1", True),
        ("{1, 2}", {}, "1, 3", False),
        ("{Victor, Zoe}", {"people": ["Zoe", "Victor"]}, "Victor, Zoe", True),
        ("{Victor, Zoe}", {"people": ["Zoe", "Victor"]}, "Zoe and Victor", True),
        ("{Victor, Zoe}", {"people": ["Zoe", "Victor"]}, "\\text{Zoe, Victor}", True),
        ("{Victor, Zoe}", {"people": ["Zoe", "Victor"]}, "\\{\\text{Victor}, \\text{Zoe}\\}", True),
        ("{Victor, Zoe}", {"people": ["Zoe", "Victor"]}, "Victor", False),
        ("{Victor, Zoe}", {"people": ["Zoe", "Victor", "Ann"]}, "Victor, Zoe, Ann", False),
        ("{}", {"people": ["Zoe", "Victor"]}, "none", True),
        ("{}", {"people": ["Zoe", "Victor"]}, "Zoe", False),
    ],
)
def test_set(gold, spec, text, ok):
    assert check(A("set", gold, **spec), text).correct is ok


@pytest.mark.parametrize(
    "gold, spec, text, ok",
    [
        ("(1, 2)", {"length": 2}, "(1, 2)", True),
        ("(1, 2)", {"length": 2}, "(2, 1)", False),
        ("(1, 2)", {"length": 2}, "(1, 2, 0)", False),
        ("(8, 5/2)", {"length": 2}, "\\left(8, \\frac{5}{2}\\right)", True),
        ("(8, 5/2)", {"length": 2}, "(8, 2.5)", True),
        ("(-10, 9, -3)", {"variables": ["a", "b", "c"]}, "a = -10, b = 9, c = -3", True),
        ("(-10, 9, -3)", {"variables": ["a", "b", "c"]}, "c = -3, a = -10, b = 9", True),
        ("(-10, 9, -3)", {"variables": ["a", "b", "c"]}, "(-10, -3, 9)", False),
    ],
)
def test_tuple(gold, spec, text, ok):
    assert check(A("tuple", gold, **spec), text).correct is ok


@pytest.mark.parametrize(
    "gold, text, ok",
    [
        ("(-oo, 1)", "(-\\infty, 1)", True),
        ("(-oo, 1)", "x < 1", True),
        ("(-oo, 1)", "x \\le 1", False),
        ("(-oo, 1)", "(-\\infty, 1]", False),
        ("[9, oo)", "[9, \\infty)", True),
        ("[9, oo)", "x \\geq 9", True),
        ("[9, oo)", "9 \\le x", True),
        ("[2, 6]", "2 \\le x \\le 6", True),
        ("[2, 6]", "[2, 6)", False),
        ("(-oo, -2) U (-1, oo)", "(-\\infty, -2) \\cup (-1, \\infty)", True),
        ("(-oo, -2) U (-1, oo)", "x < -2 \\text{ or } x > -1", True),
        ("(-oo, -2) U (-1, oo)", "(-1, \\infty) \\cup (-\\infty, -2)", True),
        ("(-oo, -2) U (-1, oo)", "(-2, -1)", False),
        ("Reals", "\\mathbb{R}", True),
        ("Reals", "(-\\infty, \\infty)", True),
        ("Reals", "\\text{all real numbers}", True),
        ("EmptySet", "\\emptyset", True),
        ("(-oo, -6 - sqrt(2)] U [-6 + sqrt(2), oo)", "(-\\infty, -6-\\sqrt{2}] \\cup [-6+\\sqrt{2}, \\infty)", True),
        ("(-oo, -6 - sqrt(2)] U [-6 + sqrt(2), oo)", "(-\\infty, -7.41] \\cup [-4.59, \\infty)", False),
        ("(-oo, -5/2]", "x \\in (-\\infty, -\\frac{5}{2}]", True),
        ("(-oo, -5/2]", "2x + 5 \\le 0", True),
        ("(-oo, -5/2]", "-2x \\ge 5", True),
        ("(-oo, -5/2]", "2x \\ge -5", False),
        ("[2, 6]", "x \\ge 2 \\text{ and } x \\le 6", True),
    ],
)
def test_interval(gold, text, ok):
    assert check(A("interval", gold, variable="x"), text).correct is ok


@pytest.mark.parametrize(
    "gold, text, ok",
    [
        ("[[-2, -1], [2, 8]]", "\\begin{pmatrix} -2 & -1 \\\\ 2 & 8 \\end{pmatrix}", True),
        ("[[-2, -1], [2, 8]]", "\\begin{bmatrix} -2 & -1 \\\\ 2 & 8 \\end{bmatrix}", True),
        ("[[-2, -1], [2, 8]]", "[[-2, -1], [2, 8]]", True),
        ("[[-2, -1], [2, 8]]", "\\begin{pmatrix} -2 & 2 \\\\ -1 & 8 \\end{pmatrix}", False),
        ("[[-2, -1], [2, 8]]", "\\begin{pmatrix} -2 & -1 \\end{pmatrix}", False),
        ("[[2], [5], [-2]]", "\\begin{pmatrix} 2 \\\\ 5 \\\\ -2 \\end{pmatrix}", True),
        ("[[2], [5], [-2]]", "(2, 5, -2)", True),
        ("[[1/2, 0], [0, 1]]", "\\begin{pmatrix} 0.5 & 0 \\\\ 0 & 1 \\end{pmatrix}", True),
    ],
)
def test_matrix(gold, text, ok):
    assert check(A("matrix", gold, rows=2, cols=2), text).correct is ok


SUDOKU = Answer(
    "grid",
    "3124\n2431\n1243\n4312",
    "3124 2431 1243 4312",
    {"size": 4, "box": [2, 2], "givens": ["312.", "24..", "12.3", ".3.."]},
)


@pytest.mark.parametrize(
    "text, ok",
    [
        ("3124 2431 1243 4312", True),
        ("3124\n2431\n1243\n4312", True),
        ("3 1 2 4 | 2 4 3 1 | 1 2 4 3 | 4 3 1 2", True),
        ("\\begin{pmatrix} 3&1&2&4 \\\\ 2&4&3&1 \\\\ 1&2&4&3 \\\\ 4&3&1&2 \\end{pmatrix}", True),
        ("3124 2431 1243 4321", False),  # last row breaks columns
        ("3124 2431 1243", False),  # too short
        ("1234 3412 2143 4321", False),  # valid grid, but drops the givens
    ],
)
def test_grid(text, ok):
    assert check(SUDOKU, text).correct is ok


def test_grid_accepts_any_valid_completion_that_keeps_the_givens():
    open_grid = Answer(
        "grid", "1234\n3412\n2143\n4321", "", {"size": 4, "box": [2, 2], "givens": ["....", "....", "....", "...."]}
    )
    assert check(open_grid, "1234 3412 2143 4321").correct
    assert check(open_grid, "2143 4321 1234 3412").correct  # a different valid grid


COUNTDOWN = Answer("countdown", "10 + 5", "10 + 5", {"numbers": [5, 8, 10, 2], "target": 15, "use_all": False})
GAME24 = Answer("countdown", "4 * (3 + 8 - 5)", "", {"numbers": [3, 8, 4, 5], "target": 24, "use_all": True})


@pytest.mark.parametrize(
    "gold, text, ok",
    [
        (COUNTDOWN, "10 + 5", True),
        (COUNTDOWN, "5 + 10 = 15", True),
        (COUNTDOWN, "(8 - 2) \\times 5 \u2212 10 - 5", False),  # 5 used twice
        (COUNTDOWN, "8 \u00d7 2 - 10 \u00f7 10", False),  # 10 used twice
        (COUNTDOWN, "2 \\times 5 + 10 \\div 2", False),  # 2 used twice
        (COUNTDOWN, "8 \\times 2 - 5 + 10 \\div 2 ", False),
        (COUNTDOWN, "10 + 8 - 5 + 2", True),
        (COUNTDOWN, "10 + 5 = 16", False),
        (COUNTDOWN, "15", False),
        (COUNTDOWN, "10 + 8 - 2 - 1", False),  # 1 is not given
        (COUNTDOWN, "2^3 + 10 - 5 + 2", False),  # no power operator
        (COUNTDOWN, "10 / (5 - 5) + 15", False),
        (GAME24, "4 \\cdot (3 + 8 - 5)", True),
        (GAME24, "(5 - 4) \\times 3 \\times 8", True),
        (GAME24, "3 \\times 8", False),  # use_all: 4 and 5 unused
        (GAME24, "(8 - 5 + 3) * 4 = 24", True),
        (GAME24, "8 / (3 - 8 / 3) ", False),
    ],
)
def test_countdown(gold, text, ok):
    assert check(gold, text).correct is ok


@pytest.mark.parametrize(
    "text, ok",
    [
        ("2^3 \\cdot 3^2 \\cdot 5", True),
        ("2^{3} \\times 3^{2} \\times 5", True),
        ("2**3*3**2*5", True),
        ("5 \\cdot 3^2 \\cdot 2^3", True),
        ("2 \\times 2 \\times 2 \\times 3 \\times 3 \\times 5", True),
        ("360 = 2^3 \\cdot 3^2 \\cdot 5", True),
        ("2^3 \\cdot 3 \\cdot 5", False),
        ("2^3 \\cdot 9 \\cdot 5", False),  # 9 is not prime
        ("8 \\cdot 45", False),
        ("360", False),
    ],
)
def test_factorization(text, ok):
    gold = Answer("factorization", "2**3*3**2*5", "2^{3} \\cdot 3^{2} \\cdot 5", {"factors": {"2": 3, "3": 2, "5": 1}})
    assert check(gold, text).correct is ok


@pytest.mark.parametrize(
    "gold, spec, text, ok",
    [
        ("BCECB2", {"base": 16}, "bcecb2", True),
        ("BCECB2", {"base": 16}, "\\text{BCECB2}_{16}", True),
        ("BCECB2", {"base": 16}, "0xBCECB2", True),
        ("BCECB2", {"base": 16}, "BCECB3", False),
        ("110111", {"base": 2}, "0110111", True),
        ("110111", {"base": 2}, "11011", False),
        ("Monday", {}, "\\text{monday}", True),
        ("Monday", {}, "Tuesday", False),
    ],
)
def test_text(gold, spec, text, ok):
    assert check(A("text", gold, **spec), text).correct is ok


@pytest.mark.parametrize(
    "kind, gold, text, ok",
    [
        ("choice", "B", "(B)", True),
        ("choice", "B", "\\text{(B)}", True),
        ("choice", "(B)", "option b", True),
        ("choice", "B", "B) 12", True),
        ("choice", "B", "C", False),
        ("choice", "B", "A or B", False),  # two letters: a hedge
        ("choice", "C", "Answer: C", True),
        ("boolean", "yes", "Yes", True),
        ("boolean", "yes", "\\text{True}", True),
        ("boolean", "no", "yes", False),
        ("boolean", "False", "no", True),
    ],
)
def test_choice_and_boolean(kind, gold, text, ok):
    assert check(A(kind, gold), text).correct is ok


@pytest.mark.parametrize(
    "gold, kind",
    [
        ("\\frac{1}{2}", "number"),
        ("3\\sqrt{2}", "number"),
        ("18", "number"),
        ("1,000", "number"),
        ("\\$18.90", "number"),
        ("25\\%", "number"),
        ("\\frac{\\pi}{2}", "number"),
        ("(1, 2)", "tuple"),
        ("[2, 5)", "interval"),
        ("(-\\infty, 3]", "interval"),
        ("x > 3", "interval"),
        ("\\{1,2\\}", "set"),
        ("1, 2", "equation_solutions"),
        ("x^2+1", "expression"),
        ("y = 2x + 3", "expression"),
        ("x = 5", "number"),
        ("\\text{(A)}", "choice"),
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "matrix"),
        ("\\text{Monday}", "text"),
        ("yes", "boolean"),
        ("-1 \\pm \\sqrt{2}", "equation_solutions"),
        ("a = 2, b = 3", "tuple"),
        ("\\text{odd}", "text"),
        ("12\\sqrt{3}\\text{ square units}", "number"),
        ("\\infty", "number"),
    ],
)
def test_detect_gold(gold, kind):
    assert detect_gold(gold).kind == kind


@pytest.mark.parametrize(
    "gold, completion, ok",
    [
        ("\\frac{1}{2}", "So the answer is $\\boxed{\\frac{2}{4}}$.", True),
        ("\\frac{1}{2}", "\\boxed{0.5}", True),
        ("\\frac{1}{2}", "\\boxed{2}", False),
        ("3\\sqrt{2}", "\\boxed{\\sqrt{18}}", True),
        ("1,000", "#### 1000", True),
        ("25\\%", "\\boxed{25}", True),
        ("(1, 2)", "\\boxed{(1,2)}", True),
        ("(1, 2)", "\\boxed{(2,1)}", False),
        ("[2, 5)", "\\boxed{[2,5)}", True),
        ("\\{1,2\\}", "\\boxed{\\{2, 1\\}}", True),
        ("x^2+1", "\\boxed{1 + x^2}", True),
        ("x = 5", "\\boxed{5}", True),
        ("\\text{(A)}", "\\boxed{A}", True),
        ("\\text{Monday}", "\\boxed{\\text{Monday}}", True),
    ],
)
def test_verify_with_plain_string_golds(gold, completion, ok):
    assert verify(gold, completion).correct is ok


def test_verify_reasons():
    gold = A("number", "1/2")
    assert verify(gold, "I think it is one half").reason == "no_answer"
    assert verify(gold, "\\boxed{1/2} or maybe \\boxed{1/3}").reason == "hedged"
    assert verify(gold, "\\boxed{1/2} or maybe \\boxed{1/3}", hedging="last").reason == "wrong"
    assert verify(gold, "\\boxed{" + "1" * 2000 + "}").reason == "refused:length"
    assert verify(gold, "\\boxed{" + "9" * 500 + "}").reason == "refused:digits"
    assert verify(gold, "\\boxed{)(}").reason == "parse_error"
    assert verify(gold, None).reason == "bad_input"  # type: ignore[arg-type]
    assert verify(123, "\\boxed{1}").reason == "bad_input"  # type: ignore[arg-type]
    assert verify(Answer("no_such_kind", "1", "1"), "\\boxed{1}").reason == "bad_input"


@pytest.mark.parametrize(
    "gold",
    [
        Answer("number", ")(", ""),
        Answer("interval", "(1,", ""),
        Answer("matrix", "[[1, 2], [3]]", ""),
        Answer("countdown", "1 + 2", "", {}),  # no numbers/target in the spec
        Answer("choice", "12", ""),
    ],
)
def test_unreadable_gold_is_bad_input(gold):
    assert judge_answer(gold, "1").reason == "bad_input"


def test_verify_modes():
    gold = A("number", "5")
    assert verify(gold, "x = 5").reason == "no_answer"
    assert verify(gold, "x = 5", mode="lenient").correct
    assert verify(gold, "<think>\\boxed{5}</think> the answer is \\boxed{6}").reason == "wrong"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("9^{9^{9^{9}}}", "refused"),
        ("10^{10^{10}}", "refused"),
        ("(" * 60 + "1" + ")" * 60, "refused"),
        ("__import__('os').system('echo hi')", "parse_error"),
    ],
)
def test_hostile_answers_are_refused(text, reason):
    v = check(A("number", "1"), text)
    assert not v.correct
    assert v.reason.split(":")[0] == reason


def test_judge_limits_are_respected():
    tight = Limits(max_answer_chars=10)
    assert judge_answer(A("number", "1"), "1" + " " * 20, tight).reason == "refused:length"
    assert judge_answer(A("number", "1"), "1", DEFAULT_LIMITS).correct


def test_registry_lists_every_kind_and_accepts_new_judges():
    from reasonrl.problems.types import ANSWER_KINDS

    assert set(ANSWER_KINDS) <= set(judge_kinds())

    @judge("test_even")
    def _even(gold, text, limits):
        return int(text) % 2 == 0

    assert get_judge("test_even") is _even
    assert judge_answer(A("test_even", ""), "4").correct
    assert judge_answer(A("test_even", ""), "x").reason == "parse_error"
