"""Every family at every difficulty yields gold answers that are independently right."""

import pytest

from reasonrl.problems import all_families, generate
from tests.problems.checkers import CHECKERS

ITEMS_PER_LEVEL = 200
FAMILIES = [f.name for f in all_families()]


def test_every_family_has_a_checker():
    assert sorted(set(FAMILIES) - set(CHECKERS)) == []


@pytest.mark.parametrize("family", FAMILIES)
def test_gold_answers_are_right(family):
    check = CHECKERS[family]
    for difficulty in range(1, 11):
        for index in range(ITEMS_PER_LEVEL):
            p = generate(family, seed=20261121, index=index, difficulty=difficulty)
            try:
                check(p)
            except Exception as e:
                raise AssertionError(f"{p.uid}: {p.prompt!r} gold {p.answer.value!r}: {e}") from e
