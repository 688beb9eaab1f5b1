from __future__ import annotations

import random

import pytest
import torch
from transformers.masking_utils import find_packed_sequence_indices

from reasonrl.trainer.packing import pack, plan_micro_batches, to_padded, unpack_per_sequence


def test_plan_is_first_fit_decreasing() -> None:
    assert plan_micro_batches([5, 3, 8, 2, 7, 1], token_budget=10) == [[2, 3], [4, 1], [0, 5]]


def test_plan_breaks_ties_by_index() -> None:
    assert plan_micro_batches([4, 4, 4, 4], token_budget=8) == [[0, 1], [2, 3]]


def test_oversize_sequence_gets_its_own_bin() -> None:
    assert plan_micro_batches([3, 15, 4], token_budget=10) == [[1], [2, 0]]


@pytest.mark.parametrize("seed", range(20))
def test_plan_invariants(seed: int) -> None:
    rng = random.Random(seed)
    budget = rng.randint(5, 60)
    lengths = [rng.randint(1, 80) for _ in range(rng.randint(1, 40))]
    plan = plan_micro_batches(lengths, budget)
    assert sorted(i for b in plan for i in b) == list(range(len(lengths)))
    for b in plan:
        if len(b) > 1:
            assert sum(lengths[i] for i in b) <= budget
        assert all(lengths[i] <= budget for i in b) or len(b) == 1
    assert plan == plan_micro_batches(list(lengths), budget)


def test_plan_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="token_budget"):
        plan_micro_batches([1, 2], 0)
    with pytest.raises(ValueError, match=r"lengths\[1\]"):
        plan_micro_batches([1, 0], 10)


def test_pack_layout() -> None:
    packed = pack([[1, 2], [3]], [[4, 5, 6], [7, 8]])
    assert packed.input_ids.tolist() == [[1, 2, 4, 5, 6, 3, 7, 8]]
    assert packed.position_ids.tolist() == [[0, 1, 2, 3, 4, 0, 1, 2]]
    assert packed.target_index.tolist() == [1, 2, 3, 5, 6]
    assert packed.targets.tolist() == [4, 5, 6, 7, 8]
    assert packed.seq_of_target.tolist() == [0, 0, 0, 1, 1]
    assert packed.completion_lengths.tolist() == [3, 2]
    assert torch.equal(packed.input_ids[0, packed.target_index + 1], packed.targets)


def test_transformers_detects_the_packed_sequences() -> None:
    packed = pack([[1, 2], [3], [9]], [[4, 5, 6], [7, 8], [1]])
    found = find_packed_sequence_indices(packed.position_ids)
    assert found is not None
    assert found.tolist() == [[0, 0, 0, 0, 0, 1, 1, 1, 2, 2]]


def test_pack_rejects_empty_parts_naming_the_sequence() -> None:
    with pytest.raises(ValueError, match="completion of sequence 1"):
        pack([[1], [2]], [[3], []])
    with pytest.raises(ValueError, match="prompt of sequence 0"):
        pack([[], [2]], [[3], [4]])
    with pytest.raises(ValueError, match="2 prompts but 1 completions"):
        pack([[1], [2]], [[3]])
    with pytest.raises(ValueError, match="no sequences"):
        pack([], [])


def test_unpack_and_pad_put_each_sequence_in_its_row() -> None:
    packed = pack([[1], [2, 3], [4]], [[5, 6], [7], [8, 9, 10]])
    values = torch.arange(6, dtype=torch.float32, requires_grad=True)
    assert [t.tolist() for t in unpack_per_sequence(values, packed)] == [[0, 1], [2], [3, 4, 5]]
    padded, mask = to_padded(values, packed)
    assert padded.tolist() == [[0, 1, 0], [2, 0, 0], [3, 4, 5]]
    assert mask.tolist() == [[True, True, False], [True, False, False], [True, True, True]]
    (padded * torch.arange(1.0, 10.0).view(3, 3)).sum().backward()
    assert values.grad.tolist() == [1, 2, 4, 7, 8, 9]


def test_values_of_wrong_length_are_rejected() -> None:
    packed = pack([[1]], [[2, 3]])
    with pytest.raises(ValueError, match=r"expected \(2,\)"):
        to_padded(torch.zeros(3), packed)
    with pytest.raises(ValueError, match=r"expected \(2,\)"):
        unpack_per_sequence(torch.zeros(2, 1), packed)


def test_padded_plans_cut_sorted_runs_within_the_padded_budget() -> None:
    lengths = [10, 3, 9, 4, 2, 10]
    plan = plan_micro_batches(lengths, 20, layout="padded")
    assert plan == [[0, 5], [2, 3], [1, 4]]
    assert all(len(b) * max(lengths[i] for i in b) <= 20 for b in plan)
    assert plan_micro_batches([30, 5], 20, layout="padded") == [[0], [1]]
    with pytest.raises(ValueError, match="layout"):
        plan_micro_batches([1], 20, layout="ragged")
