"""ProblemStream: mixtures, disjoint shards, exact resume, and a held-out split it never produces."""

import collections

import pytest

from reasonrl.problems import all_families, generate
from reasonrl.problems.curriculum import Curriculum
from reasonrl.problems.mixture import Mixture
from reasonrl.problems.seeding import is_heldout
from reasonrl.problems.stream import ProblemStream, heldout_problems


def test_ranks_draw_disjoint_items_that_tile_the_single_rank_stream():
    whole = [p.uid for p in ProblemStream("default", difficulty=3, seed=1).take(60)]
    r0 = [p.uid for p in ProblemStream("default", difficulty=3, seed=1, shard=(0, 3)).take(20)]
    r1 = [p.uid for p in ProblemStream("default", difficulty=3, seed=1, shard=(1, 3)).take(20)]
    r2 = [p.uid for p in ProblemStream("default", difficulty=3, seed=1, shard=(2, 3)).take(20)]
    assert not set(r0) & set(r1) and not set(r1) & set(r2) and not set(r0) & set(r2)
    assert whole[0::3] == r0 and whole[1::3] == r1 and whole[2::3] == r2


def test_resume_continues_exactly_with_curriculum_state():
    names = [f.name for f in all_families()]

    def fresh():
        return ProblemStream("default", curriculum=Curriculum(names, start=2, window=4), seed=9, shard=(1, 2))

    def run(stream, steps):
        out = []
        for _ in range(steps):
            batch = stream.take(8)
            for p in batch:  # a fake policy: solves everything, so levels rise
                stream.curriculum.observe(p.family, p.difficulty, solved=1, seen=1)
            out += [p.to_dict() for p in batch]
        return out

    straight = run(fresh(), 6)
    first = fresh()
    head = run(first, 3)
    state = first.state_dict()
    resumed = fresh()
    resumed.load_state_dict(state)
    assert head + run(resumed, 3) == straight
    assert max(p["difficulty"] for p in straight) > 2


def test_state_from_another_stream_is_refused():
    a = ProblemStream("default", difficulty=2, seed=1)
    b = ProblemStream("default", difficulty=2, seed=2)
    with pytest.raises(ValueError, match="seed, shard, split"):
        b.load_state_dict(a.state_dict())


def test_mixture_weights_are_followed_and_zero_weight_never_drawn():
    names = [f.name for f in all_families()]
    weights = {n: 0.0 for n in names}
    weights[names[0]] = 3.0
    weights[names[-1]] = 1.0
    stream = ProblemStream(weights, difficulty=1, seed=4)
    counts = collections.Counter(stream.family_at(i) for i in range(4000))
    assert set(counts) == {names[0], names[-1]}
    assert 2.6 < counts[names[0]] / counts[names[-1]] < 3.4


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"quadratic": -1.0}, "must be >= 0"),
        ({"quadratic": 0.0}, "all zero"),
        ({"nope": 1.0}, "unknown problem family 'nope'"),
        ("nonsense_mixture", "unknown mixture 'nonsense_mixture'"),
        ("quadratic:abc", "is not a number"),
    ],
)
def test_bad_mixtures_name_the_bad_value(spec, message):
    with pytest.raises(ValueError, match=message):
        Mixture.parse(spec)


def test_mixture_from_category_and_file(tmp_path):
    algebra = Mixture.parse("algebra")
    assert "quadratic" in algebra.families
    assert {f.category for f in all_families() if f.name in algebra.families} == {"algebra"}
    path = tmp_path / "mix.yaml"
    path.write_text("quadratic: 2\n")
    assert Mixture.parse(str(path)).weights == (2.0,)


def test_heldout_split_never_overlaps_training():
    for f in all_families():
        held = [generate(f.name, 0, i, 3, split="heldout") for i in range(5)]
        train = [generate(f.name, 0, i, 3) for i in range(200)]
        assert all(is_heldout(f.name, p.prompt.rsplit("\n\n", 1)[0]) for p in held)
        assert not any(is_heldout(f.name, p.prompt.rsplit("\n\n", 1)[0]) for p in train)
    eval_set = heldout_problems("default", difficulty=2, n=50, seed=3)
    training_prompts = {p.prompt for p in ProblemStream("default", difficulty=2, seed=3).take(3000)}
    assert not {p.prompt for p in eval_set} & training_prompts


def test_stream_needs_exactly_one_of_difficulty_and_curriculum():
    with pytest.raises(ValueError, match="either a fixed difficulty or a curriculum"):
        ProblemStream("default")
    with pytest.raises(ValueError, match="out of range"):
        ProblemStream("default", difficulty=0)
