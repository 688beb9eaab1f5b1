"""At difficulty >= 3 a family's prompts are at least 99% unique in 100k draws.

Difficulty 3 is tested because knobs only grow with difficulty, so level 3 has the
smallest space of the levels the requirement covers. Families whose whole space is
smaller say so in SMALL_SPACES, with its size and the fraction they must reach.
"""

import pytest

from reasonrl.problems import all_families, generate

DRAWS = 100_000
# family: (why the space is small, minimum fraction of distinct prompts in DRAWS draws)
SMALL_SPACES: dict[str, tuple[str, float]] = {}


@pytest.mark.parametrize("family", [f.name for f in all_families()])
def test_prompts_are_unique(family):
    prompts = {generate(family, seed=7, index=i, difficulty=3).prompt for i in range(DRAWS)}
    _, minimum = SMALL_SPACES.get(family, ("", 0.99))
    assert len(prompts) / DRAWS >= minimum, f"{family}: {len(prompts)} distinct prompts in {DRAWS} draws"
