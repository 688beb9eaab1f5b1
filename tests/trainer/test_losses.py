from __future__ import annotations

import math

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from reasonrl.trainer.losses import (
    AGGREGATIONS,
    POLICY_LOSSES,
    AggregationScope,
    aggregate,
    compute_policy_loss,
)
from reasonrl.trainer.types import LossConfig

NAN = float("nan")


def ppo_batch() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Row 0 (A = +1): ratios 1.1, 1.5, padding. Row 1 (A = -1): ratios 0.5, 2, 4."""
    old = torch.full((2, 3), -1.0)
    ratios = torch.tensor([[1.1, 1.5, 1.0], [0.5, 2.0, 4.0]])
    logp = (old + ratios.log()).clone()
    logp[0, 2] = NAN  # garbage on padding must not leak
    logp.requires_grad_(True)
    mask = torch.tensor([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    return logp, old, torch.tensor([1.0, -1.0]), mask


def test_registries() -> None:
    assert POLICY_LOSSES.names() == ["gspo", "ppo"]
    assert AGGREGATIONS.names() == ["seq_mean_token_mean", "seq_mean_token_sum_norm", "token_mean"]


def test_ppo_clip_higher_hand_example() -> None:
    # clip to [0.8, 1.28]. A=+1: 1.1 -> -1.1 (grad -1.1); 1.5 -> -1.28 clipped (grad 0).
    # A=-1: 0.5 -> 0.8 clipped (grad 0); 2 -> 2 (grad 2); 4 -> 4 (grad 4).
    logp, old, adv, mask = ppo_batch()
    loss, metrics = compute_policy_loss(logp, old, adv, mask, LossConfig())
    torch.testing.assert_close(loss, torch.tensor([[-1.1, -1.28, 0.0], [0.8, 2.0, 4.0]]))
    loss.sum().backward()
    torch.testing.assert_close(logp.grad, torch.tensor([[-1.1, 0.0, 0.0], [0.0, 2.0, 4.0]]))
    expected = {"clip_frac": 0.4, "ratio_mean": 1.82, "ratio_max": 4.0, "dual_clip_frac": 0.0}
    assert {k: v.item() for k, v in metrics.items()} == pytest.approx(expected)
    assert all(v.dim() == 0 and not v.requires_grad for v in metrics.values())


def test_ppo_dual_clip_bounds_negative_advantage_loss() -> None:
    # c = 3: the A=-1 ratio-4 token's loss 4 is capped at -A*c = 3 (and loses its gradient); 2 < 3 is untouched.
    logp, old, adv, mask = ppo_batch()
    loss, metrics = compute_policy_loss(logp, old, adv, mask, LossConfig(dual_clip=3.0))
    torch.testing.assert_close(loss, torch.tensor([[-1.1, -1.28, 0.0], [0.8, 2.0, 3.0]]))
    loss.sum().backward()
    torch.testing.assert_close(logp.grad, torch.tensor([[-1.1, 0.0, 0.0], [0.0, 2.0, 0.0]]))
    assert metrics["dual_clip_frac"].item() == pytest.approx(0.2)


def gspo_batch() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """One sequence, log-ratios 0.2 and -0.1 (+ padding): sequence log-ratio 0.05, s = exp(0.05) = 1.0512711."""
    old = torch.tensor([[-1.0, -2.0, -3.0]])
    logp = torch.tensor([[-0.8, -2.1, NAN]], requires_grad=True)
    return logp, old, torch.tensor([2.0]), torch.tensor([[1.0, 1.0, 0.0]])


def test_gspo_uses_one_sequence_ratio_for_every_token() -> None:
    # Inside the clip range: loss_t = -A * s = -2.1025422 on both tokens, grad_t = -A * s.
    logp, old, adv, mask = gspo_batch()
    loss, metrics = compute_policy_loss(logp, old, adv, mask, LossConfig(policy_loss="gspo"))
    torch.testing.assert_close(loss, torch.tensor([[-2.1025422, -2.1025422, 0.0]]))
    loss.sum().backward()
    torch.testing.assert_close(logp.grad, torch.tensor([[-2.1025422, -2.1025422, 0.0]]))
    assert metrics["ratio_mean"].item() == pytest.approx(1.0512711)
    assert metrics["clip_frac"].item() == 0.0
    # PPO on the same tokens differs: -2 e^0.2 = -2.4428055, -2 e^-0.1 = -1.8096748.
    ppo_loss, _ = compute_policy_loss(logp.detach(), old, adv, mask, LossConfig())
    torch.testing.assert_close(ppo_loss, torch.tensor([[-2.4428055, -1.8096748, 0.0]]))


def test_gspo_small_clip_range_clips_the_whole_sequence() -> None:
    # s = 1.0513 > 1 + 4e-4: loss_t = -2 * 1.0004 = -2.0008, no gradient.
    logp, old, adv, mask = gspo_batch()
    cfg = LossConfig(policy_loss="gspo", clip_low=3e-4, clip_high=4e-4)
    loss, metrics = compute_policy_loss(logp, old, adv, mask, cfg)
    torch.testing.assert_close(loss, torch.tensor([[-2.0008, -2.0008, 0.0]]))
    loss.sum().backward()
    assert torch.equal(logp.grad, torch.zeros(1, 3))
    assert metrics["clip_frac"].item() == 1.0


def test_gspo_gradient_matches_the_sequence_objective() -> None:
    # GSPO's objective per sequence is s_i * A_i with s_i = exp(mean_t log-ratio); token form + 1/len weights
    # must give the same gradient as differentiating that directly.
    g = torch.Generator().manual_seed(0)
    old = torch.randn(3, 5, generator=g) - 2
    logp = (old + 0.05 * torch.randn(3, 5, generator=g)).requires_grad_(True)
    mask = torch.tensor([[1.0] * 5, [1.0, 1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0]])
    adv = torch.tensor([1.0, -0.5, 2.0])
    loss, _ = compute_policy_loss(logp, old, adv, mask, LossConfig(policy_loss="gspo", clip_low=1.0, clip_high=1.0))
    (loss * mask / mask.sum(1, keepdim=True)).sum().backward()
    token_grad = logp.grad.clone()
    logp.grad = None
    s = torch.exp(((logp - old) * mask).sum(1) / mask.sum(1))
    (-(s * adv)).sum().backward()
    torch.testing.assert_close(token_grad, logp.grad)


def test_gspo_equals_ppo_for_single_token_sequences() -> None:
    g = torch.Generator().manual_seed(1)
    old = torch.randn(6, 1, generator=g)
    logp = old + 0.4 * torch.randn(6, 1, generator=g)
    adv, mask = torch.randn(6, generator=g), torch.ones(6, 1)
    cfg = LossConfig(dual_clip=2.0)
    grads = []
    for name in ("ppo", "gspo"):
        x = logp.clone().requires_grad_(True)
        loss, _ = POLICY_LOSSES.get(name)(x, old, adv, mask, cfg)
        loss.sum().backward()
        grads.append((loss.detach(), x.grad))
    torch.testing.assert_close(grads[0], grads[1])


def test_policy_loss_rejects_bad_shapes() -> None:
    logp, old, adv, mask = ppo_batch()
    with pytest.raises(ValueError, match="advantages"):
        compute_policy_loss(logp, old, adv[:, None], mask, LossConfig())
    with pytest.raises(ValueError, match="mask"):
        compute_policy_loss(logp, old, adv, mask[:, :2], LossConfig())


def test_aggregation_weights_hand_example() -> None:
    # Sequence 0: one token of loss 2. Sequence 1: three tokens of loss 1. norm_length 4.
    # token_mean = 5/4; seq_mean_token_mean = (2/1 + 3/3) / 2 = 1.5; seq_mean_token_sum_norm = 5 / (2*4) = 0.625.
    loss = torch.tensor([[2.0, NAN, NAN], [1.0, 1.0, 1.0]])
    mask = torch.tensor([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    lengths = torch.tensor([1, 3])
    scope = AggregationScope(num_sequences=2, num_tokens=4, norm_length=4)
    cases = {
        "token_mean": ([0.25, 0.25], 1.25),
        "seq_mean_token_mean": ([0.5, 1 / 6], 1.5),
        "seq_mean_token_sum_norm": ([0.125, 0.125], 0.625),
    }
    for name, (weights, total) in cases.items():
        w = AGGREGATIONS.get(name)(lengths, scope)
        torch.testing.assert_close(w, torch.tensor(weights))
        assert aggregate(loss, mask, w).item() == pytest.approx(total)


@pytest.mark.parametrize("name", ["token_mean", "seq_mean_token_mean", "seq_mean_token_sum_norm"])
def test_micro_batch_split_sums_to_the_textbook_loss(name: str) -> None:
    g = torch.Generator().manual_seed(2)
    lengths = [3, 1, 4, 2, 5, 2]
    losses = [torch.randn(n, generator=g) for n in lengths]
    norm_length = 8
    flat = torch.cat(losses)
    textbook = {
        "token_mean": flat.mean(),
        "seq_mean_token_mean": torch.stack([x.mean() for x in losses]).mean(),
        "seq_mean_token_sum_norm": flat.sum() / (len(lengths) * norm_length),
    }[name]
    scope = AggregationScope(num_sequences=len(lengths), num_tokens=sum(lengths), norm_length=norm_length)
    total = torch.zeros(())
    for micro in ([0, 1], [2], [3, 4, 5]):  # each micro-batch padded to its own width, garbage in padding
        width = max(lengths[i] for i in micro)
        loss = torch.full((len(micro), width), NAN)
        mask = torch.zeros(len(micro), width)
        for row, i in enumerate(micro):
            loss[row, : lengths[i]] = losses[i]
            mask[row, : lengths[i]] = 1.0
        weights = AGGREGATIONS.get(name)(torch.tensor([lengths[i] for i in micro]), scope)
        total = total + aggregate(loss, mask, weights)
    torch.testing.assert_close(total, textbook)


def test_aggregation_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="num_tokens"):
        AggregationScope(num_sequences=2, num_tokens=0, norm_length=4)
    scope = AggregationScope(num_sequences=2, num_tokens=4, norm_length=4)
    with pytest.raises(ValueError, match="lengths"):
        AGGREGATIONS.get("token_mean")(torch.tensor([[1, 3]]), scope)
    with pytest.raises(ValueError, match="weights"):
        aggregate(torch.zeros(2, 3), torch.ones(2, 3), torch.ones(3))


def test_ppo_step_on_a_real_model_moves_probability_with_the_advantage() -> None:
    """End to end: one SGD step on a tiny Llama makes the A>0 completion likelier and the A<0 one less likely."""
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2,
    )  # fmt: skip
    model = LlamaForCausalLM(config)
    ids = torch.tensor([[5, 6, 7, 8, 9, 10], [5, 6, 11, 12, 13, 0]])
    mask = torch.tensor([[0.0, 0.0, 1.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 0.0]])  # over ids[:, 1:]; the prompt is 5, 6
    adv = torch.tensor([1.0, -1.0])

    def seq_logp() -> torch.Tensor:
        logits = model(ids).logits[:, :-1]
        return torch.log_softmax(logits.float(), dim=-1).gather(-1, ids[:, 1:, None]).squeeze(-1)

    old = seq_logp().detach()
    cfg = LossConfig()
    loss, _ = compute_policy_loss(seq_logp(), old, adv, mask, cfg)
    lengths = mask.sum(1).long()
    weights = AGGREGATIONS.get(cfg.aggregation)(lengths, AggregationScope(2, int(lengths.sum()), 4))
    aggregate(loss, mask, weights).backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.05 * p.grad
        new = seq_logp()
    delta = ((new - old) * mask).sum(1)
    assert delta[0] > 0 > delta[1]
    assert math.isfinite(delta.sum().item())
