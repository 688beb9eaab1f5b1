"""Rollout groups on real Ray with the real tiny model: order, weight updates, corrupt transfers, a killed worker."""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from reasonrl.rollout.engine_hf import TransformersEngine
from reasonrl.rollout.group import LocalRolloutGroup, RolloutGroup, shard_prompts
from reasonrl.rollout.types import Sample, SamplingParams
from reasonrl.rollout.weights import WeightTransferError, pack_weights, unpack_weights

# The tests share one Ray cluster and group and build on each other's weight versions: the Makefile
# runs pytest with `--dist loadfile`, so they stay on one xdist worker, in file order.

ray = pytest.importorskip("ray")

PROMPTS = [
    "What is 2+3?",
    "Solve x^2 = 4 for x and give every solution.",
    "Sort 5, 3, 9, 1.",
    "Expand (x+1)^2.",
    "Is 17 prime?",
]
GREEDY = SamplingParams(temperature=0.0, max_new_tokens=12)


def _key(samples: list[Sample]) -> list[tuple[int, list[int], str]]:
    return [(s.prompt_index, s.completion_ids, s.finish_reason) for s in samples]


def _perturbed(engine: TransformersEngine, seed: int) -> dict[str, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    return {
        name: p.detach() + 0.05 * torch.randn(p.shape, generator=gen) for name, p in engine.model.named_parameters()
    }


@pytest.fixture(scope="session")
def factory(tiny_model_dir: Path) -> functools.partial:
    return functools.partial(TransformersEngine, str(tiny_model_dir))


@pytest.fixture(scope="session")
def local(factory: functools.partial) -> LocalRolloutGroup:
    torch.set_num_threads(1)
    return LocalRolloutGroup(factory)


@pytest.fixture(scope="module")
def group(ray_cluster: None, factory: functools.partial) -> Iterator[RolloutGroup]:
    g = RolloutGroup(factory, 2, num_cpus=1, generate_timeout_s=60, weight_timeout_s=20, health_timeout_s=20)
    yield g
    g.shutdown()


def test_shards_balance_expected_tokens_and_keep_order() -> None:
    prompts = ["x" * 400, "y" * 4, "z" * 4, "w" * 4, "v" * 400]
    shards = shard_prompts(prompts, n=2, max_new_tokens=10, num_shards=2)
    assert sorted(i for s in shards for i in s) == list(range(5))
    assert all(s == sorted(s) for s in shards)
    assert {0, 4} not in [set(s) & {0, 4} for s in shards]  # the two long prompts go to different workers
    assert shard_prompts(["a"], 3, 5, 4).count([]) == 3


def test_shards_draw_independent_streams_and_repeat_under_a_seed(factory: functools.partial) -> None:
    two = LocalRolloutGroup(factory, num_workers=2)
    sampling = SamplingParams(temperature=1.0, max_new_tokens=16, seed=7)
    first = two.generate(["Is 17 prime?"] * 2, 1, sampling)  # one prompt per worker, both numbered 0 there
    assert first[0].completion_ids != first[1].completion_ids
    assert _key(two.generate(["Is 17 prime?"] * 2, 1, sampling)) == _key(first)
    unseeded = two.generate(["Is 17 prime?"] * 2, 1, SamplingParams(temperature=1.0, max_new_tokens=16))
    assert unseeded[0].completion_ids != unseeded[1].completion_ids


def test_pack_round_trip_all_dtypes() -> None:
    tensors = {"a": torch.randn(3, 4).to(torch.bfloat16), "b": torch.arange(7), "c": torch.zeros(0, 2)}
    out = unpack_weights(pack_weights(5, tensors), "w", expected_version=5)
    assert all(torch.equal(out[k], tensors[k]) and out[k].dtype == tensors[k].dtype for k in tensors)
    with pytest.raises(WeightTransferError, match="worker w: .*version 6"):
        unpack_weights(pack_weights(5, tensors), "w", expected_version=6)


def test_group_returns_results_in_prompt_order(group: RolloutGroup, local: LocalRolloutGroup) -> None:
    got = group.generate(PROMPTS, 2, GREEDY)
    want = local.generate(PROMPTS, 2, GREEDY)
    assert [s.prompt_index for s in got] == [i for i in range(len(PROMPTS)) for _ in range(2)]
    assert _key(got) == _key(want)
    assert [s.text for s in got] == [s.text for s in want]
    health = group.health()
    assert len({h["pid"] for h in health}) == 2 and all(h["pid"] != os.getpid() for h in health)


def test_weight_update_reaches_every_worker(group: RolloutGroup, local: LocalRolloutGroup) -> None:
    before = group.generate(PROMPTS, 1, GREEDY)
    new = _perturbed(local.workers[0].engine, seed=1)
    group.update_weights(1, new)
    local.update_weights(1, new)
    after = group.generate(PROMPTS, 1, GREEDY)
    assert _key(after) == _key(local.generate(PROMPTS, 1, GREEDY))
    assert _key(after) != _key(before)
    assert {s.weight_version for s in after} == {1}
    assert [h["weight_version"] for h in group.health()] == [1, 1]
    assert group.stats()["weight_version"] == 1 and group.stats()["weight_bytes"] > 0


def test_corrupt_transfer_names_worker_and_version(group: RolloutGroup, local: LocalRolloutGroup) -> None:
    packed = pack_weights(2, _perturbed(local.workers[0].engine, seed=2))
    packed.buffer[packed.nbytes // 2] ^= 0xFF  # flipped after the checksum was taken
    start = time.monotonic()
    with pytest.raises(WeightTransferError) as info:
        group.push_weights(packed)
    assert time.monotonic() - start < group.weight_timeout_s
    message = str(info.value)
    assert "version 2" in message and any(f"worker {name}" in message for name in group.names)
    assert group.weight_version == 1  # the group keeps the last version every worker confirmed
    assert [h["weight_version"] for h in group.health()] == [1, 1]  # nothing was half-loaded


def test_worker_killed_mid_batch_is_replaced_with_latest_weights(group: RolloutGroup, local: LocalRolloutGroup) -> None:
    sampling = SamplingParams(temperature=0.0, max_new_tokens=300)
    prompts = PROMPTS[:4]
    worker = group.workers[0]
    victim = group.health()[0]["pid"]
    restarts = group.stats()["restarts"]

    def kill_once_generating() -> None:
        # health has its own concurrency group, so it answers while the worker generates
        while ray.get(worker.health.options(concurrency_group="health").remote(), timeout=20)["generating_s"] is None:
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)

    killer = threading.Thread(target=kill_once_generating, daemon=True)
    killer.start()
    got = group.generate(prompts, 2, sampling)
    killer.join(timeout=5)
    assert group.stats()["restarts"] == restarts + 1
    assert victim not in [h["pid"] for h in group.health()]
    assert {s.weight_version for s in got} == {1}  # the replacement carries the latest weights
    assert _key(got) == _key(local.generate(prompts, 2, sampling))


def test_weight_transfer_to_a_busy_worker_times_out_instead_of_hanging(group: RolloutGroup) -> None:
    busy = threading.Thread(
        target=group.generate, args=(PROMPTS[:2], 1, SamplingParams(temperature=0.0, max_new_tokens=400))
    )
    busy.start()
    while all(h["generating_s"] is None for h in group.health()):
        time.sleep(0.01)
    named = {name: torch.zeros(1) for name in ["x"]}
    timeout, group.weight_timeout_s = group.weight_timeout_s, 0.5
    try:
        start = time.monotonic()
        with pytest.raises(WeightTransferError, match=r"version 3 timed out after 0.5s waiting for workers rollout-"):
            group.update_weights(3, named)
        assert time.monotonic() - start < 5
    finally:
        group.weight_timeout_s = timeout
        busy.join(timeout=60)
    assert group.weight_version == 1
