"""How a prompt asks for the final answer, and how a worked solution gives it."""

from __future__ import annotations

ANSWER_FORMATS: dict[str, tuple[str, str]] = {
    # name: (instruction appended to the question, final line of a worked solution)
    "boxed": ("Put your final answer within \\boxed{{}}.", "The final answer is \\boxed{{{answer}}}."),
    "answer_tags": ("Give your final answer between <answer> and </answer>.", "<answer>{answer}</answer>"),
    "answer_line": ("End your response with a line of the form 'Answer: <your answer>'.", "Answer: {answer}"),
}


def check_format(name: str) -> None:
    if name not in ANSWER_FORMATS:
        raise ValueError(f"unknown answer_format {name!r}; choose one of {', '.join(ANSWER_FORMATS)}")


def instruction(name: str) -> str:
    return ANSWER_FORMATS[name][0].format()


def final_line(name: str, answer_latex: str) -> str:
    return ANSWER_FORMATS[name][1].format(answer=answer_latex)
