from __future__ import annotations

import math

import pytest
import torch

from reasonrl.trainer.kl import KL_ESTIMATORS, kl_penalty, kl_reward_penalty

LN2 = 0.6931472
# Token 0: p = 0.5, ref = 0.25; token 1: p = 0.25, ref = 0.5.
LOGP = torch.tensor([math.log(0.5), math.log(0.25)])
REF = torch.tensor([math.log(0.25), math.log(0.5)])


def test_registry_names() -> None:
    assert KL_ESTIMATORS.names() == ["k1", "k2", "k3"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("k1", [LN2, -LN2]),
        ("k2", [0.2402265, 0.2402265]),  # 0.5 * ln(2)^2
        ("k3", [0.1931472, 0.3068528]),  # 0.5 + ln2 - 1 ; 2 - ln2 - 1
    ],
)
def test_estimators_hand_example(kind: str, expected: list[float]) -> None:
    torch.testing.assert_close(kl_penalty(LOGP, REF, kind), torch.tensor(expected))


@pytest.mark.parametrize(
    ("kind", "expected_grad"),
    [("k1", [1.0, 1.0]), ("k2", [LN2, -LN2]), ("k3", [0.5, -1.0])],  # k3: d/dlogp = 1 - exp(ref - logp)
)
def test_estimator_gradients(kind: str, expected_grad: list[float]) -> None:
    logp = LOGP.clone().requires_grad_(True)
    kl_penalty(logp, REF, kind).sum().backward()
    torch.testing.assert_close(logp.grad, torch.tensor(expected_grad))


@pytest.mark.parametrize("kind", ["k1", "k2", "k3"])
def test_zero_when_policies_agree(kind: str) -> None:
    logp = torch.randn(3, 5, generator=torch.Generator().manual_seed(1))
    assert torch.equal(kl_penalty(logp, logp.clone(), kind), torch.zeros(3, 5))


def test_k3_is_nonnegative() -> None:
    g = torch.Generator().manual_seed(2)
    logp, ref = torch.randn(64, 64, generator=g) * 3, torch.randn(64, 64, generator=g) * 3
    assert (kl_penalty(logp, ref, "k3") >= 0).all()


def test_k1_and_k3_are_unbiased_monte_carlo() -> None:
    # pi = [0.5, 0.3, 0.2], ref = [0.2, 0.3, 0.5]: KL = 0.5 ln 2.5 + 0.2 ln 0.4 = 0.3 ln 2.5 = 0.2748872.
    # k2 is biased: E = 0.5 * 0.7 * ln(2.5)^2 = 0.2938561.
    pi, ref = torch.tensor([0.5, 0.3, 0.2]), torch.tensor([0.2, 0.3, 0.5])
    tokens = torch.multinomial(pi, 200_000, replacement=True, generator=torch.Generator().manual_seed(3))
    logp, ref_logp = pi.log()[tokens], ref.log()[tokens]
    assert kl_penalty(logp, ref_logp, "k1").mean().item() == pytest.approx(0.2748872, abs=5e-3)
    assert kl_penalty(logp, ref_logp, "k3").mean().item() == pytest.approx(0.2748872, abs=5e-3)
    assert kl_penalty(logp, ref_logp, "k2").mean().item() == pytest.approx(0.2938561, abs=5e-3)


def test_kl_reward_penalty_hand_example() -> None:
    kl = torch.tensor([[0.1, 0.2, float("nan")], [0.3, 5.0, 5.0]])
    mask = torch.tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    out = kl_reward_penalty(torch.tensor([1.0, 0.0]), kl, mask, coef=0.5)
    torch.testing.assert_close(out, torch.tensor([0.85, -0.15]))


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="ref_logp"):
        kl_penalty(torch.zeros(2, 3), torch.zeros(2, 4), "k3")
    with pytest.raises(KeyError, match="k3"):
        kl_penalty(torch.zeros(2), torch.zeros(2), "k4")
    with pytest.raises(ValueError, match="rewards"):
        kl_reward_penalty(torch.zeros(3), torch.zeros(2, 4), torch.ones(2, 4), 0.1)
    with pytest.raises(ValueError, match="coef"):
        kl_reward_penalty(torch.zeros(2), torch.zeros(2, 4), torch.ones(2, 4), -0.1)
