"""Difficulty maps monotonically onto each family's knobs, and levels 9-10 extrapolate."""

import pytest

from reasonrl.problems import all_families, family, generate

FAMILIES = all_families()


@pytest.mark.parametrize("fam", FAMILIES, ids=lambda f: f.name)
def test_knobs_are_monotone_and_top_levels_extrapolate(fam):
    rows = [fam.knobs(d) for d in range(1, 11)]
    for lo, hi in zip(rows, rows[1:]):
        assert all(hi[k] >= lo[k] for k in lo), (lo, hi)
    for d in (9, 10):
        assert any(rows[d - 1][k] > rows[d - 2][k] for k in rows[0]), f"level {d} raises no knob"
    assert rows[0] != rows[-1]


@pytest.mark.parametrize("fam", FAMILIES, ids=lambda f: f.name)
def test_problems_record_the_knobs_of_their_level_and_grow(fam):
    sizes = []
    for d in (1, 10):
        problems = [generate(fam.name, 1, i, d) for i in range(40)]
        assert all(p.meta["knobs"] == dict(fam.knobs(d)) for p in problems)
        sizes.append(sum(len(p.prompt) + len(p.solution) for p in problems))
    assert sizes[1] > sizes[0], f"level 10 problems are not bigger than level 1 ({sizes})"


def test_registry_refuses_knobs_that_decrease_or_do_not_extrapolate():
    rows = [dict(n=i) for i in range(1, 11)]
    with pytest.raises(ValueError, match="decreases"):
        family("bad_decreasing", kind="number", category="x", levels=[*rows[:5], dict(n=0), *rows[6:]])
    flat_top = [*rows[:8], dict(n=8), dict(n=9)]
    with pytest.raises(ValueError, match="level 9 must raise"):
        family("bad_flat", kind="number", category="x", levels=flat_top)
    with pytest.raises(ValueError, match="unknown answer kind"):
        family("bad_kind", kind="poem", category="x", levels=rows)
