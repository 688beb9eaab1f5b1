"""pass@k / maj@k against hand and brute-force values; evaluate() on the real tiny model and on oracle rollouts."""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from functools import partial
from pathlib import Path

import pytest
from rich.console import Console

from reasonrl.problems.types import Problem
from reasonrl.rewards.pool import RewardPool
from reasonrl.rewards.verify import verify
from reasonrl.rollout.engine_hf import TransformersEngine
from reasonrl.rollout.group import LocalRolloutGroup
from reasonrl.rollout.types import Sample, SamplingParams
from reasonrl.trainer.eval_report import render_table, write_json
from reasonrl.trainer.evaluation import EvalResult, evaluate, heldout_set, maj_at_k, pass_at_k

FAMILIES = ["fractions", "gcd_lcm", "linear_equation"]


def brute_pass_at_k(n: int, c: int, k: int) -> float:
    """Fraction of all k-subsets of n samples (the first c correct) that hold a correct one."""
    subsets = list(itertools.combinations(range(n), k))
    return sum(any(i < c for i in s) for s in subsets) / len(subsets)


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [(5, 2, 1, 0.4), (4, 1, 2, 0.5), (10, 3, 5, 1 - 21 / 252), (4, 3, 2, 1.0), (8, 0, 8, 0.0), (8, 8, 1, 1.0)],
)
def test_pass_at_k_hand_values(n, c, k, expected):
    assert pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_pass_at_k_matches_enumeration_of_subsets():
    for n in range(1, 8):
        for c in range(n + 1):
            for k in range(1, n + 1):
                assert pass_at_k(n, c, k) == pytest.approx(brute_pass_at_k(n, c, k), abs=1e-12), (n, c, k)


def test_pass_at_k_is_stable_where_binomials_are_huge():
    exact = 1 - Fraction(math.comb(1990, 500), math.comb(2000, 500))
    assert pass_at_k(2000, 10, 500) == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize(("n", "c", "k"), [(4, 1, 5), (4, 1, 0), (4, 5, 2), (4, -1, 2)])
def test_pass_at_k_rejects_impossible_counts(n, c, k):
    with pytest.raises(ValueError, match="pass@k"):
        pass_at_k(n, c, k)


def test_maj_at_k_ties_go_to_the_first_answer():
    assert maj_at_k(["3", "4", "4", "3"], [True, False, False, True], 4) == 1.0
    assert maj_at_k(["4", "3", "3", "4"], [False, True, True, False], 4) == 0.0


def test_maj_at_k_ignores_missing_answers_and_votes_only_over_the_first_k():
    assert maj_at_k([None, "", "  ", "5"], [False, False, False, True], 4) == 1.0
    assert maj_at_k([None, None], [False, False], 2) == 0.0
    assert maj_at_k(["5", "6", "6"], [True, False, False], 1) == 1.0
    assert maj_at_k(["5", "6", "6"], [True, False, False], 3) == 0.0
    assert maj_at_k(["x = 2", "x  =  2", "3"], [True, True, False], 3) == 1.0


def test_maj_at_k_winner_must_be_judged_correct_every_time():
    assert maj_at_k(["7", "7", "8"], [True, False, False], 3) == 0.0


def test_maj_at_k_rejects_bad_arguments():
    with pytest.raises(ValueError, match="maj@k"):
        maj_at_k(["1", "2"], [True], 1)
    with pytest.raises(ValueError, match="maj@k"):
        maj_at_k(["1", "2"], [True, False], 3)


def test_heldout_set_spreads_count_over_families_and_levels():
    problems = heldout_set(FAMILIES, [1, 2], 7, seed=0)
    assert Counter(p.family for p in problems) == {"fractions": 3, "gcd_lcm": 2, "linear_equation": 2}
    assert Counter(p.difficulty for p in problems) == {1: 4, 2: 3}
    assert all(p.uid.startswith("heldout/") for p in problems)
    assert len({p.uid for p in problems}) == 7
    assert [p.uid for p in heldout_set(FAMILIES, [1, 2], 7, seed=0)] == [p.uid for p in problems]
    assert [p.uid for p in heldout_set(FAMILIES, [1, 2], 7, seed=1)] != [p.uid for p in problems]


def test_heldout_set_follows_mixture_weights():
    problems = heldout_set({"fractions": 3.0, "gcd_lcm": 1.0}, 2, 8)
    assert Counter(p.family for p in problems) == {"fractions": 6, "gcd_lcm": 2}
    assert {p.difficulty for p in problems} == {2}


@pytest.mark.parametrize(
    ("families", "difficulty", "count", "match"),
    [(["nope"], 1, 4, "unknown problem family"), (FAMILIES, 11, 4, "difficulty"), (FAMILIES, 1, 0, "count")],
)
def test_heldout_set_rejects_bad_input(families, difficulty, count, match):
    with pytest.raises(ValueError, match=match):
        heldout_set(families, difficulty, count)


class Scripted:
    """A rollout-like object that answers each prompt with scripted texts built from the gold answer."""

    def __init__(self, problems: Sequence[Problem], texts):
        self.gold = {p.prompt: p.answer.latex for p in problems}
        self.texts = texts

    def generate(self, prompts: Sequence[str], n: int, sampling: SamplingParams) -> list[Sample]:
        return [
            Sample([], [], [], self.texts(self.gold[prompt], j), "stop", 0, prompt_index=i)
            for i, prompt in enumerate(prompts)
            for j in range(n)
        ]


def half_right(gold: str, j: int) -> str:
    """The first sample of each problem answers with the gold, the others give no answer."""
    return f"\\boxed{{{gold}}}" if j == 0 else "no idea"


def verify_all(items):
    return [verify(item.gold.answer, item.completion) for item in items]


@pytest.fixture(scope="module")
def problems() -> list[Problem]:
    return heldout_set(FAMILIES, [1, 2], 6)


SAMPLING = SamplingParams(temperature=1.0, max_new_tokens=8, seed=0)


def test_an_oracle_scores_one_and_a_wrong_model_zero(problems):
    oracle = evaluate(
        Scripted(problems, lambda gold, j: f"So \\boxed{{{gold}}}."), problems, SAMPLING, 3, 2, verify_all
    )
    assert (oracle.accuracy, oracle.overall.pass_at_k, oracle.overall.maj_at_k) == (1.0, 1.0, 1.0)
    assert all(m.pass_at_1 == 1.0 for m in oracle.by_group().values())
    wrong = evaluate(Scripted(problems, lambda gold, j: "I do not know."), problems, SAMPLING, 3, 2, verify_all)
    assert (wrong.accuracy, wrong.overall.pass_at_k, wrong.overall.maj_at_k) == (0.0, 0.0, 0.0)


def test_half_right_samples_aggregate_per_problem(problems):
    result = evaluate(Scripted(problems, half_right), problems, SAMPLING, 2, 2, RewardPool(num_workers=0).score)
    assert result.accuracy == pytest.approx(0.5)
    assert (result.overall.pass_at_k, result.overall.maj_at_k) == (1.0, 1.0)
    flat = result.flat_metrics()
    assert flat["eval/pass@1"] == pytest.approx(0.5) and flat["eval/pass@2"] == 1.0 and flat["eval/maj@2"] == 1.0
    assert flat["eval/gcd_lcm/pass@1"] == pytest.approx(0.5)
    assert flat["eval/linear_equation/d2/pass@1"] == pytest.approx(0.5)
    expected = {"eval/pass@1", "eval/pass@2", "eval/maj@2"} | {f"eval/{f}/pass@1" for f in FAMILIES}
    expected |= {f"eval/{f}/d{d}/pass@1" for f in FAMILIES for d in (1, 2)}
    assert set(flat) == expected


def test_evaluate_rejects_k_above_n_and_no_problems(problems):
    rollout = Scripted(problems, lambda gold, j: "")
    with pytest.raises(ValueError, match="k <= n"):
        evaluate(rollout, problems, SAMPLING, 2, 3, verify_all)
    with pytest.raises(ValueError, match="no problems"):
        evaluate(rollout, [], SAMPLING, 2, 2, verify_all)


@pytest.fixture(scope="module")
def tiny_result(tiny_model_dir: Path) -> EvalResult:
    rollout = LocalRolloutGroup(partial(TransformersEngine, str(tiny_model_dir)), num_workers=1, seed=0)
    held_out = heldout_set(FAMILIES[:2], 1, 4)
    with RewardPool(num_workers=0) as pool:
        return evaluate(rollout, held_out, SAMPLING, 2, 2, pool.score)


def test_evaluate_with_the_tiny_model_counts_per_family(tiny_result: EvalResult):
    families = tiny_result.by_family()
    assert {f: (m.problems, m.samples) for f, m in families.items()} == {"fractions": (2, 4), "gcd_lcm": (2, 4)}
    assert (tiny_result.overall.problems, tiny_result.overall.samples) == (4, 8)
    assert all(len(o.correct) == len(o.answers) == 2 for o in tiny_result.outcomes)
    overall = tiny_result.overall
    assert 0.0 <= overall.pass_at_1 <= overall.pass_at_k <= 1.0
    assert tiny_result.seconds["generate"] > 0


def test_result_round_trips_through_json(tiny_result: EvalResult, tmp_path: Path):
    data = json.loads(write_json(tiny_result, tmp_path / "sub" / "eval.json").read_text())
    assert data == json.loads(json.dumps(tiny_result.to_dict()))
    assert set(data["overall"]) == {"problems", "samples", "pass@1", "pass@2", "maj@2"}
    assert [(g["family"], g["difficulty"]) for g in data["groups"]] == [("fractions", 1), ("gcd_lcm", 1)]
    assert len(data["problems"]) == 4 and not list((tmp_path / "sub").glob(".*"))


def test_table_has_a_row_per_group_and_an_all_row(problems):
    result = evaluate(Scripted(problems, half_right), problems, SAMPLING, 2, 2, verify_all)
    table = render_table(result)
    assert table.row_count == len(result.by_group()) + 1
    console = Console(record=True, width=120)
    console.print(table)
    lines = console.export_text().splitlines()
    all_row = next(line for line in lines if "all" in line.split())
    assert "50.0%" in all_row and "100.0%" in all_row and " 6 " in all_row and " 12 " in all_row
