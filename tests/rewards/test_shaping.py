"""Reward shaping with hand-computed numbers (DAPO soft overlong punishment)."""

import pytest

from reasonrl.rewards.shaping import ShapingConfig, has_format, overlong_penalty, shape
from reasonrl.rewards.types import Verdict

RIGHT = Verdict.judged(True, "3")
WRONG = Verdict.judged(False, "4")
DAPO = ShapingConfig(max_length=20480, overlong_buffer=4096, overlong_penalty=1.0)  # the DAPO paper's setting


def test_correctness_alone():
    assert shape(RIGHT, 100, False) == 1.0
    assert shape(WRONG, 100, True) == 0.0  # format_reward defaults to 0
    assert shape(Verdict(True, 0.25, None, "correct"), 10, False, ShapingConfig(correct=2.0)) == 0.5


@pytest.mark.parametrize(
    ("tokens", "penalty"),
    [
        (0, 0.0),
        (16384, 0.0),  # L_max - L_cache: the ramp starts after it
        (16385, -1 / 4096),
        (17408, -0.25),  # (16384 - 17408) / 4096
        (18432, -0.5),
        (20480, -1.0),  # L_max itself: the end of the ramp
        (20481, -1.0),
        (10**6, -1.0),
    ],
)
def test_dapo_soft_overlong_penalty(tokens, penalty):
    assert overlong_penalty(tokens, DAPO) == pytest.approx(penalty)
    assert shape(RIGHT, tokens, False, DAPO) == pytest.approx(1.0 + penalty)


def test_penalty_scale_buffer_zero_and_off():
    half = ShapingConfig(max_length=100, overlong_buffer=20, overlong_penalty=0.5)
    assert overlong_penalty(90, half) == pytest.approx(-0.25)  # (80 - 90) / 20 * 0.5
    hard = ShapingConfig(max_length=100)
    assert overlong_penalty(100, hard) == 0.0 and overlong_penalty(101, hard) == -1.0
    assert overlong_penalty(10**9, ShapingConfig()) == 0.0


def test_format_reward_is_added_even_when_wrong():
    cfg = ShapingConfig(format_reward=0.1, max_length=100, overlong_buffer=20)
    assert shape(WRONG, 50, True, cfg) == pytest.approx(0.1)
    assert shape(RIGHT, 50, True, cfg) == pytest.approx(1.1)
    assert shape(WRONG, 50, False, cfg) == 0.0
    assert shape(WRONG, 95, True, cfg) == pytest.approx(0.1 - 0.75)  # (80 - 95) / 20


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError):
        ShapingConfig(max_length=10, overlong_buffer=11)
    with pytest.raises(ValueError):
        ShapingConfig(overlong_penalty=-1)


def test_has_format_looks_for_the_anchor():
    assert has_format("so the sum is \\boxed{3}.")
    assert not has_format("so the sum is 3.")
    assert not has_format("<think>maybe \\boxed{3}</think> I am not sure")
    assert has_format("<answer>3</answer>", required=None)
    assert not has_format("<answer>3</answer>", required="boxed")
