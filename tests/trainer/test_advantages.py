from __future__ import annotations

import pytest
import torch

from reasonrl.trainer.advantages import ADVANTAGES, advantage_stats, compute_advantages, signal_mask

# Row 0: mean 0.25, unbiased var (0.75^2 + 3 * 0.25^2) / 3 = 0.25 -> std 0.5.
# Row 1: mean 3, unbiased var (9 + 1 + 1 + 9) / 3 = 20/3 -> std 2.5819889.
REWARDS = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 4.0, 6.0]])


def test_registry_holds_the_five_estimators() -> None:
    assert ADVANTAGES.names() == ["dr_grpo", "grpo", "reinforce_pp", "reinforce_pp_baseline", "rloo"]


def test_grpo_hand_example() -> None:
    expected = torch.tensor([[1.5, -0.5, -0.5, -0.5], [-1.1618950, -0.3872983, 0.3872983, 1.1618950]])
    torch.testing.assert_close(compute_advantages("grpo", REWARDS), expected, atol=1e-5, rtol=1e-5)


def test_grpo_all_equal_group_is_zero_not_nan() -> None:
    adv = compute_advantages("grpo", torch.tensor([[1.0, 1.0, 1.0]]))
    assert torch.equal(adv, torch.zeros(1, 3))


def test_dr_grpo_hand_example() -> None:
    expected = torch.tensor([[0.75, -0.25, -0.25, -0.25], [-3.0, -1.0, 1.0, 3.0]])
    torch.testing.assert_close(compute_advantages("dr_grpo", REWARDS), expected)


def test_rloo_hand_example() -> None:
    # r - mean of the other three: row 0 -> 1 - 0, 0 - 1/3; row 1 -> 0 - 4, 2 - 10/3, 4 - 8/3, 6 - 2.
    expected = torch.tensor([[1.0, -1 / 3, -1 / 3, -1 / 3], [-4.0, -4 / 3, 4 / 3, 4.0]])
    torch.testing.assert_close(compute_advantages("rloo", REWARDS), expected)


def test_reinforce_pp_whitens_over_the_whole_batch() -> None:
    # Batch [1, 0, 0, 0]: mean 0.25, unbiased std 0.5, regardless of the group layout.
    rewards = torch.tensor([[1.0, 0.0], [0.0, 0.0]])
    expected = torch.tensor([[1.5, -0.5], [-0.5, -0.5]])
    torch.testing.assert_close(compute_advantages("reinforce_pp", rewards), expected, atol=1e-5, rtol=1e-5)


def test_reinforce_pp_baseline_centres_groups_then_whitens_the_batch() -> None:
    # Centred: [[0.5, -0.5], [0, 0]]; batch mean 0, unbiased var 0.5 / 3 -> std 0.4082483; 0.5 / std = 1.2247449.
    rewards = torch.tensor([[1.0, 0.0], [3.0, 3.0]])
    expected = torch.tensor([[1.2247449, -1.2247449], [0.0, 0.0]])
    torch.testing.assert_close(compute_advantages("reinforce_pp_baseline", rewards), expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", ["grpo", "dr_grpo", "rloo", "reinforce_pp_baseline"])
def test_single_sample_groups_get_zero(name: str) -> None:
    adv = compute_advantages(name, torch.tensor([[1.0], [0.0], [0.5]]))
    assert torch.equal(adv, torch.zeros(3, 1))


@pytest.mark.parametrize("name", ["grpo", "dr_grpo", "rloo", "reinforce_pp", "reinforce_pp_baseline"])
def test_output_keeps_shape_and_is_finite(name: str) -> None:
    rewards = torch.rand(5, 8, generator=torch.Generator().manual_seed(0))
    adv = compute_advantages(name, rewards)
    assert adv.shape == rewards.shape and torch.isfinite(adv).all()


@pytest.mark.parametrize(
    ("rewards", "field"),
    [
        (torch.zeros(4), "2-D"),
        (torch.zeros(2, 0), "G >= 1"),
        (torch.tensor([[1.0, float("nan")]]), "finite"),
        (torch.tensor([[1, 0]]), "floating point"),
    ],
)
def test_bad_rewards_raise_value_error(rewards: torch.Tensor, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        compute_advantages("grpo", rewards)


def test_bad_eps_and_unknown_name() -> None:
    with pytest.raises(ValueError, match="eps"):
        compute_advantages("grpo", REWARDS, eps=0.0)
    with pytest.raises(KeyError, match="grpo"):
        compute_advantages("ppo", REWARDS)


def test_signal_mask_flags_groups_with_differing_rewards() -> None:
    rewards = torch.tensor([[1.0, 0.0, 1.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.5]])
    assert signal_mask(rewards).tolist() == [True, False, False, True]
    assert signal_mask(torch.tensor([[1.0], [0.0]])).tolist() == [False, False]


def test_advantage_stats_hand_example() -> None:
    # Mean 0.25; population variance (1.25^2 + 0.75^2 + 2 * 0.25^2) / 4 = 0.5625 -> std 0.75.
    stats = advantage_stats(torch.tensor([[1.5, -0.5], [0.0, 0.0]]))
    assert stats == pytest.approx({"mean": 0.25, "std": 0.75, "min": -0.5, "max": 1.5, "frac_zero": 0.5})
    with pytest.raises(ValueError, match="empty"):
        advantage_stats(torch.zeros(0))
