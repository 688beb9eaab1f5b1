"""Final-answer extraction: anchors, thinking, hedging, modes, and linear time on hostile inputs."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reasonrl.problems import all_families, generate
from reasonrl.rewards.extract import ANCHORS, Extraction, extract, final_boxes

COT = (
    "Let me work through this step by step.\n\n"
    "**Step 1: Set up the equation.** We have $x^2 - 5x + 6 = 0$. The answer should be an integer.\n\n"
    "**Step 2: Factor.** $(x - 2)(x - 3) = 0$, so $x = 2$ or $x = 3$.\n\n"
    "**Step 3: Check.** $2^2 - 10 + 6 = 0$ and $9 - 15 + 6 = 0$. Both work.\n\n"
)


def ex(text: str, mode: str = "strict", hedging: str = "refuse") -> tuple[str | None, str]:
    e = extract(text, mode, hedging)
    return e.text, e.anchor


@pytest.mark.parametrize(
    ("completion", "text", "anchor"),
    [
        (r"So the answer is $\boxed{42}$.", "42", "boxed"),
        (r"\boxed{\frac{1}{\sqrt{2}}}", r"\frac{1}{\sqrt{2}}", "boxed"),
        (r"The solution set is \boxed{\{1,2\}}.", r"\{1,2\}", "boxed"),
        (r"\boxed{x = \text{5}}", r"x = \text{5}", "boxed"),
        (r"\boxed{\text{the set \{1\} and \}}}", r"\text{the set \{1\} and \}}", "boxed"),
        (
            r"\boxed{\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}}",
            r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
            "boxed",
        ),
        (r"thus $\boxed 5$.", "5", "boxed"),
        (r"\boxed {7}", "7", "boxed"),
        (r"\fbox{12}", "12", "boxed"),
        (r"\boxed{\boxed{3}}", "3", "boxed"),
        (r"\boxed{(-\infty, 3]}", r"(-\infty, 3]", "boxed"),
        (
            r"The final answer is \boxed{431256 256413 365124 142365 614532 523641}.",
            "431256 256413 365124 142365 614532 523641",
            "boxed",
        ),
        ("<answer>12</answer>", "12", "answer_tag"),
        ("<answer>\n431256\n256413\n</answer>", "431256\n256413", "answer_tag"),
        ("<ANSWER> Alice, Carol </ANSWER>", "Alice, Carol", "answer_tag"),
        ("work... <answer>x = 3", "x = 3", "answer_tag"),  # generation stopped on the `</answer>` stop string
        (r"<answer>$\boxed{7}$</answer>", "7", "boxed"),  # the box inside the tag starts later
        ("Answer: 5", "5", "answer_line"),
        ("Answer: $\\frac{3}{4}$.", r"\frac{3}{4}", "answer_line"),
        ("**Answer:** 17", "17", "answer_line"),
        ("**Answer**: 17 apples", "17 apples", "answer_line"),
        ("Final Answer: (1, -2)", "(1, -2)", "answer_line"),
        ("### Final Answer\n\n$x = 2$ or $x = 3$\n\nThat is all.", "x = 2 or x = 3", "answer_line"),
        ("Answer:\n431256\n256413\n\nDone.", "431256\n256413", "answer_line"),
        ("Answer: 42. The baker sold 42 cookies.", "42", "answer_line"),
        ("Answer: 3.75", "3.75", "answer_line"),
        ("Answer: \\[\n\\frac{1}{2}\n\\]\n", r"\frac{1}{2}", "answer_line"),
        ("The final answer is 5. I hope it is correct.", "5", "final_answer"),
        ("Final Answer: The final answer is $-\\frac{1}{2}$. I hope it is correct.", r"-\frac{1}{2}", "final_answer"),
        ("so my final answer: 2 or 3", "2 or 3", "final_answer"),
        ("The final answer is **12**.", "12", "final_answer"),
        ("Natalia sold 48/2 = 24 clips in May.\n48 + 24 = 72\n#### 72", "72", "gsm8k"),
        ("#### 1,234", "1,234", "gsm8k"),
        ("#### $18 dollars", "$18 dollars", "gsm8k"),
        ("The total is \\boxed{5}.\nAnswer: 6", "6", "answer_line"),  # the later anchor wins
        (r"Answer: 6. Let me box it: \boxed{6}", "6", "boxed"),
    ],
)
def test_anchor(completion, text, anchor):
    assert ex(completion) == (text, anchor)
    assert ex(completion, "lenient") == (text, anchor)


@pytest.mark.parametrize(
    ("completion", "anchor"),
    [
        (r"I think it is \boxed{}", "boxed"),
        (r"\boxed{   }", "boxed"),
        ("<answer></answer>", "answer_tag"),
        ("Answer:", "answer_line"),
    ],
)
def test_empty_anchor_is_no_answer(completion, anchor):
    assert ex(completion) == (None, anchor)


@pytest.mark.parametrize(
    "completion",
    [
        COT,  # no anchor at all
        COT + r"Therefore the answer is \boxed{3",  # cut off inside the box
        COT + "So the final",  # cut off before the anchor
        "#### Step 1. Setup\nWe compute 2 + 3 = 5.",  # a markdown heading is not GSM8K's ####
        "The total is **42** apples.",  # bold is not explicit in strict mode
        "The answer is 7.",  # neither is a bare "the answer is"
        "The total is 5. Answer: 6",  # "Answer:" must open its line
        r"\frac{-1}{2}",  # a bare answer needs lenient mode
        "",
    ],
)
def test_strict_without_explicit_anchor_finds_nothing(completion):
    assert extract(completion) == Extraction(None, "none")


def test_long_chain_of_thought_takes_the_last_box():
    text = (
        COT
        + r"Earlier I wrote \boxed{2} for the smaller root only."
        + "\n\n"
        + "Let me reconsider the question. " * 60
        + "\nThe question asks for the larger root, so the answer is $\\boxed{3}$."
    )
    assert extract(text) == Extraction("3", "boxed")  # the first box is far outside the final part


def test_truncated_box_falls_back_to_the_previous_box():
    text = COT + r"The answer is \boxed{3}. Double-checking with another method, \boxed{\frac{6}{"
    assert ex(text) == ("3", "boxed")


def test_think_block_is_not_the_answer():
    assert ex("<think>Maybe \\boxed{3}? Answer: 3</think>\nThe answer is \\boxed{4}.") == ("4", "boxed")
    assert extract("<think>so it is \\boxed{3}</think>\nI could not decide.") == Extraction(None, "none")
    assert ex("<thinking>\\boxed{1}</thinking> Answer: 2") == ("2", "answer_line")


def test_several_think_blocks_keep_the_text_between_them():
    text = "<think>a</think>\nAnswer: 5\n<think>check \\boxed{9}</think>\nDone, nothing more."
    assert ex(text) == ("5", "answer_line")


def test_unclosed_think_is_all_thinking_in_both_modes():
    text = "<think>Let me compute. \\boxed{3} is likely. The answer is 3"
    assert extract(text) == Extraction(None, "none")
    assert extract(text, "lenient") == Extraction(None, "none")


def test_close_without_open_means_the_template_opened_thinking():
    assert ex("we try \\boxed{3} ... no.\n</think>\n\nThe result is $\\boxed{4}$.") == ("4", "boxed")
    assert extract("\\boxed{3}</think>") == Extraction(None, "none")


def test_hedging_is_refused_or_resolved_by_the_last_box():
    text = COT + r"The roots are \boxed{2} or maybe \boxed{3}."
    assert extract(text) == Extraction("3", "boxed", hedged=True)
    assert extract(text, hedging="last") == Extraction("3", "boxed", hedged=False)
    assert extract(text, "lenient", "last") == Extraction("3", "boxed", hedged=False)


def test_repeating_the_same_answer_is_not_hedging():
    text = r"So $\boxed{x = \dfrac{1}{2}}$. Checking: it satisfies the equation. Final: $\boxed{\frac12 }$."
    assert extract(text).hedged is False
    text = r"\boxed{\text{Alice}} ... so the knights are \boxed{Alice}"
    assert extract(text) == Extraction("Alice", "boxed")


def test_final_boxes_lists_the_answers_of_the_final_part_in_order():
    text = r"Early guess \boxed{9}." + "x" * 1_500 + r" The solutions are $\boxed{2}$, \boxed{} and $\boxed{3}$."
    assert final_boxes(text) == ["2", "3"]
    assert final_boxes("no box here") == []


def test_hedging_ignores_empty_boxes_and_thinking():
    assert extract(r"I will put the answer in \boxed{} as asked. \boxed{7}") == Extraction("7", "boxed")
    assert extract(r"<think>\boxed{6}</think> \boxed{7}") == Extraction("7", "boxed")


def test_many_boxes_in_the_final_part_are_hedging():
    text = " ".join(rf"\boxed{{{k}}}" for k in range(1, 11))
    assert extract(text) == Extraction("10", "boxed", hedged=True)


@pytest.mark.parametrize(
    ("completion", "text", "anchor"),
    [
        (r"\frac{-1}{2}", r"\frac{-1}{2}", "whole"),
        ("x = 5", "x = 5", "whole"),
        ("{1, 2}", "{1, 2}", "whole"),
        ("$(-\\infty, 2) \\cup (3, \\infty)$", r"(-\infty, 2) \cup (3, \infty)", "whole"),
        ("Alice, Bob, Carol", "Alice, Bob, Carol", "whole"),
        ("no real solutions", "no real solutions", "whole"),
        ("The total is **42** apples.", "42", "bold"),
        ("So the answer is 7.", "7", "final_answer"),
        ("The answer is $x = 4$, as shown.", "x = 4", "final_answer"),
        ("We get $x = 5$ after simplifying", "x = 5", "last_math"),
        ("Adding up, we get 12 and then 15 in total.", "15", "last_number"),
        ("So the probability is 3/4 overall", "3/4", "last_number"),
        ("It costs $18 in total.", "18", "last_number"),
        (COT + "Hence the bigger root: \\(3\\)", "3", "last_math"),
    ],
)
def test_lenient_fallbacks(completion, text, anchor):
    assert ex(completion, "lenient") == (text, anchor)
    assert ex(completion) == (None, "none")


def test_lenient_prefers_explicit_anchors_over_later_fallbacks():
    text = "Answer: 5\nSome more words with 7 and **9** at the end."
    assert ex(text, "lenient") == ("5", "answer_line")


def test_prose_is_not_a_whole_answer():
    assert ex("Let me compute 2 + 3", "lenient") == ("3", "last_number")
    assert ex("I do not know", "lenient") == (None, "none")


@pytest.mark.parametrize("fmt", ["boxed", "answer_tags", "answer_line"])
def test_every_family_worked_solution_gives_its_gold(fmt):
    for family in all_families():
        for difficulty in (1, 5, 10):
            problem = generate(family.name, 0, 1, difficulty, answer_format=fmt)
            for mode in ("strict", "lenient"):
                got = extract(problem.solution, mode)
                assert got.text == problem.answer.latex.strip(), (family.name, difficulty, mode, got)
                assert not got.hedged


def test_arguments_are_checked():
    with pytest.raises(ValueError):
        extract("x", mode="loose")
    with pytest.raises(ValueError):
        extract("x", hedging="first")
    with pytest.raises(TypeError):
        extract(None)  # type: ignore[arg-type]


def test_a_box_longer_than_any_answer_counts_as_unclosed():
    long_box = "\\boxed{" + "1+" * 60_000 + "1}"
    assert extract("\\boxed{5} and then " + long_box) == Extraction("5", "boxed")


def test_only_the_tail_of_a_huge_completion_is_read():
    text = r"\boxed{1}" + "x" * 1_000 + "\nAnswer: 2"
    assert ex(text) == ("2", "answer_line")
    assert extract(r"\boxed{1}" + "x" * 1_000, max_chars=500) == Extraction(None, "none")


def best_ms(text: str, mode: str = "strict", runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extract(text, mode)
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def test_one_megabyte_completion_is_fast():
    body = (COT * (1_000_000 // len(COT) + 1))[:1_000_000]
    text = body + "\nThus the final answer is $\\boxed{3}$."
    assert extract(text) == Extraction("3", "boxed")
    for mode in ("strict", "lenient"):
        assert best_ms(text, mode) < 50


HOSTILE = {
    "100k boxed{": "\\boxed{" * 100_000,
    "100k boxed{ after an answer": "\\boxed{5} " + "\\boxed{" * 100_000,
    "10k nested braces": "\\boxed{" + "{" * 10_000 + "5" + "}" * 10_000 + "}",
    "10k unmatched braces": "\\boxed{" + "{" * 10_000 + "5",
    "1M unmatched braces": "\\boxed{" + "{" * 1_000_000,
    "1M closing braces": "}" * 1_000_000 + "\\boxed{5}",
    "escaped braces": "\\boxed{" + "\\{" * 300_000,
    "backslash runs": "\\boxed{" + "\\\\\\{" * 200_000,
    "answer words": "answer " * 150_000,
    "the answer is": "the answer is " * 70_000,
    "answer tags": "<answer>" * 100_000 + "x" * 5_000,
    "answer lines": "\nAnswer:" * 120_000,
    "final answer": "final answer " * 80_000,
    "hashes": "####" * 250_000,
    "hash lines": "\n#### 1. Step" * 80_000,
    "think tags": "<think>" * 140_000,
    "close tags": "</think>" * 120_000,
    "think blocks": "<think></think>" * 70_000,
    "dollars": "$" * 1_000_000,
    "digits": "1" * 1_000_000,
    "bold": "**" * 500_000,
    "spaces": " " * 1_000_000 + "I hope it is correct",
    "one long answer line": "Answer: " + "x" * 1_000_000,
    "one long box": "\\boxed{" + "ab{c}" * 200_000 + "}",
    "many long boxes": ("\\boxed{" + "\\frac{a}{b}" * 20_000) * 10,
    "empty boxes": "\\boxed{}" * 120_000,
    "space boxes": "\\boxed " * 120_000,
    "fbox": "\\fbox" * 200_000,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_inputs_take_linear_time(name):
    for mode in ("strict", "lenient"):
        result = extract(HOSTILE[name], mode)
        assert result.anchor in ANCHORS
        assert best_ms(HOSTILE[name], mode, runs=3) < 100, name


def test_scaling_is_linear():
    small, big = "\\boxed{" + "{" * 100_000, "\\boxed{" + "{" * 1_000_000
    assert best_ms(big) < 20 * max(best_ms(small), 0.05)


TOKENS = st.sampled_from(
    ["\\boxed{", "\\boxed ", "\\fbox{", "{", "}", "\\{", "\\}", "\\\\", "$", "$$", "\\(", "\\)", "\\[", "\\]",
     "<think>", "</think>", "<answer>", "</answer>", "Answer:", "**", "####", "final answer is", "the answer is",
     "\n", " ", "x", "5", "-3.5", "\\frac{1}{2}", ".", "I hope it is correct"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=40), st.sampled_from(["strict", "lenient"]), st.sampled_from(["refuse", "last"]))
def test_any_mix_of_anchor_tokens_gives_a_well_formed_extraction(tokens, mode, hedging):
    result = extract("".join(tokens), mode, hedging)
    assert result.anchor in ANCHORS
    assert result.text is None or (result.text and result.text == result.text.strip())
    assert (result.text is None) or result.anchor != "none"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(TOKENS.filter(lambda t: "think" not in t), max_size=30), st.sampled_from(["7", "x = 2", r"\frac{3}{4}"])
)
def test_a_final_box_after_any_text_is_found(tokens, answer):
    prefix = "".join(tokens)
    result = extract(prefix + "\n\n" + r"The final answer is $\boxed{" + answer + "}$.", hedging="last")
    assert result == Extraction(answer, "boxed")
