from __future__ import annotations

import math

import pytest
import torch

from reasonrl.trainer.offpolicy import logprob_gap, tis_stats, tis_weights

# old - rollout = [ln 1.5, ln 3, ln 0.5 | padding]
ROLLOUT = torch.tensor([[-1.0, -2.0, -0.5, float("nan")]])
OLD = ROLLOUT + torch.tensor([[math.log(1.5), math.log(3.0), math.log(0.5), 0.0]])
MASK = torch.tensor([[1.0, 1.0, 1.0, 0.0]])


def test_identical_logprobs_give_unit_weights_and_no_gap() -> None:
    logp = torch.randn(3, 6, generator=torch.Generator().manual_seed(0))
    mask = torch.ones(3, 6)
    mask[1, 4:] = 0
    assert torch.equal(tis_weights(logp, logp.clone(), mask, cap=2.0), mask)
    assert logprob_gap(logp, logp.clone(), mask) == {
        "logprob_gap_abs_mean": 0.0,
        "logprob_gap_abs_max": 0.0,
        "rollout_kl_k3": 0.0,
    }
    assert tis_stats(logp, logp.clone(), mask, cap=2.0) == {"tis_clip_frac": 0.0, "tis_weight_mean": 1.0}


def test_hand_example_with_a_capped_weight() -> None:
    torch.testing.assert_close(tis_weights(OLD, ROLLOUT, MASK, cap=2.0), torch.tensor([[1.5, 2.0, 0.5, 0.0]]))
    stats = tis_stats(OLD, ROLLOUT, MASK, cap=2.0)
    assert stats == pytest.approx({"tis_clip_frac": 1 / 3, "tis_weight_mean": 4 / 3}, abs=1e-6)


def test_logprob_gap_hand_example() -> None:
    # |d| = 0.4054651, 1.0986123, 0.6931472; k3 = e^d - d - 1 = 0.0945349, 0.9013877, 0.1931472.
    gap = logprob_gap(OLD, ROLLOUT, MASK)
    expected = {"logprob_gap_abs_mean": 0.7324082, "logprob_gap_abs_max": 1.0986123, "rollout_kl_k3": 0.3963566}
    assert gap == pytest.approx(expected, abs=1e-5)


def test_no_cap_turns_correction_off() -> None:
    assert torch.equal(tis_weights(OLD, ROLLOUT, MASK, cap=None), MASK)
    assert tis_stats(OLD, ROLLOUT, MASK, cap=None) == {"tis_clip_frac": 0.0, "tis_weight_mean": 1.0}


def test_weights_carry_no_gradient() -> None:
    old = OLD.clone().requires_grad_(True)
    assert not tis_weights(old, ROLLOUT, MASK, cap=2.0).requires_grad


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="cap"):
        tis_weights(OLD, ROLLOUT, MASK, cap=0.5)
    with pytest.raises(ValueError, match="rollout_logp"):
        tis_weights(OLD, ROLLOUT[:, :2], MASK, cap=2.0)
    with pytest.raises(ValueError, match="old_logp"):
        logprob_gap(OLD[0], ROLLOUT[0], MASK[0])
