import pytest

from reasonrl.problems.curriculum import Curriculum


def test_level_rises_on_high_solve_rate_and_falls_on_low():
    c = Curriculum(["a", "b"], start=3, window=10)
    c.observe("a", 3, solved=9, seen=10)
    c.observe("b", 3, solved=1, seen=10)
    assert (c.level("a"), c.level("b")) == (4, 2)


def test_no_move_before_the_window_fills_and_in_the_middle_band():
    c = Curriculum(["a"], start=3, window=10)
    c.observe("a", 3, solved=5, seen=5)
    assert c.level("a") == 3
    c.observe("a", 3, solved=0, seen=5)  # 50% over the window: stays
    assert c.level("a") == 3


def test_levels_stay_within_bounds_and_stale_outcomes_are_ignored():
    c = Curriculum(["a"], start=7, window=1, max_level=8)
    for _ in range(5):
        c.observe("a", c.level("a"), solved=1, seen=1)
    assert c.level("a") == 8
    c.observe("a", 3, solved=0, seen=100)  # outcomes of problems drawn at an old level
    assert c.level("a") == 8


def test_state_round_trip():
    c = Curriculum(["a"], start=2, window=4)
    c.observe("a", 2, solved=2, seen=3)
    d = Curriculum(["a"], start=2, window=4)
    d.load_state_dict(c.state_dict())
    assert d.state_dict() == c.state_dict()


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="outside min_level"):
        Curriculum(["a"], start=9)
    with pytest.raises(ValueError, match="thresholds"):
        Curriculum(["a"], raise_above=0.1, lower_below=0.5)
