"""Which sequences each optimizer step and each rank sees: pure functions of the batch and the step number.

Mini-batches are drawn from the whole batch before it is split across ranks, so a mini-batch holds the
same sequences whatever the number of ranks; that is what makes 1 rank and N ranks train the same way.
"""

from __future__ import annotations

import random

from reasonrl.rollout.group import balanced_shards


def plan_mini_batches(size: int, mini_batches: int, epochs: int, seed: int, step: int) -> list[list[int]]:
    """Epoch-major list of mini-batches (sequence indices); each epoch is a fresh seeded shuffle split evenly."""
    if size < mini_batches:
        raise ValueError(f"learner.mini_batches ({mini_batches}) is larger than the batch ({size} sequences)")
    plan = []
    for epoch in range(epochs):
        order = list(range(size))
        if mini_batches > 1 or epochs > 1:
            random.Random(f"{seed}:{step}:{epoch}").shuffle(order)
        bounds = [size * k // mini_batches for k in range(mini_batches + 1)]
        plan += [sorted(order[bounds[k] : bounds[k + 1]]) for k in range(mini_batches)]
    return plan


def rank_share(indices: list[int], costs: list[int], world: int, rank: int) -> list[int]:
    """This rank's part of a mini-batch, balanced by tokens across ranks."""
    shards = balanced_shards([costs[i] for i in indices], world)
    return [indices[j] for j in shards[rank]]
