"""Phase 4 of a step: advantages from group baselines, and the learner's `Batch`."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from .advantages import advantage_stats, compute_advantages
from .scoring import ScoredGroup
from .types import Batch


def build_batch(groups: Sequence[ScoredGroup], advantage: str) -> tuple[Batch, dict[str, float]]:
    """All groups at once, so batch-normalised estimators (reinforce_pp) see the whole step."""
    if not groups:
        raise ValueError("build_batch needs at least one group")
    rewards = torch.tensor([g.rewards for g in groups], dtype=torch.float64)
    adv = compute_advantages(advantage, rewards)
    samples = [s for g in groups for s in g.samples]
    batch = Batch(
        prompt_ids=[s.prompt_ids for s in samples],
        completion_ids=[s.completion_ids for s in samples],
        rollout_logprobs=[s.logprobs for s in samples],
        advantages=adv.flatten().tolist(),
        group_index=[i for i, g in enumerate(groups) for _ in g.samples],
        weight_version=min(g.weight_version for g in groups),
    )
    return batch, {f"advantage/{k}": v for k, v in advantage_stats(adv).items()}
