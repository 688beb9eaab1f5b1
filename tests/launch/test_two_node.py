"""Placement on a real two-node Ray cluster (two `ray start` processes): learner ranks one per node training over
gloo, rollout workers that stay on their reserved node across a restart, and requests the cluster cannot hold
failing fast with the numbers."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reasonrl.launch.placement import PlacementError, release, reserve, strategies
from reasonrl.launch.ray_cluster import ClusterError, connect, shutdown
from reasonrl.rollout.engine_hf import TransformersEngine
from reasonrl.rollout.group import RolloutGroup
from reasonrl.rollout.types import SamplingParams
from reasonrl.trainer.learner_group import LearnerError, LearnerGroup
from reasonrl.trainer.types import LearnerConfig, LossConfig
from tests.trainer.test_learner import make_batches

if TYPE_CHECKING:
    from .conftest import TwoNodeCluster

ray = pytest.importorskip("ray")
pytest.importorskip("deepspeed")


def node_of(actor: Any) -> str:
    return ray.get(actor.__ray_call__.remote(lambda self: ray.get_runtime_context().get_node_id()), timeout=60)


@pytest.fixture(scope="module")
def connected(two_node_cluster: TwoNodeCluster) -> Iterator[dict[str, str]]:
    """The driver joined to the two-node cluster; yields {custom resource: node id}."""
    if ray.is_initialized():
        ray.shutdown()
    ray.init(address=two_node_cluster.address, log_to_driver=False, configure_logging=False)
    nodes = {}
    for node in ray.nodes():
        for label in ("node_head", "node_two"):
            if node["Alive"] and label in node["Resources"]:
                nodes[label] = node["NodeID"]
    yield nodes
    ray.shutdown()


def test_both_nodes_are_alive(connected: dict[str, str]) -> None:
    assert sorted(connected) == ["node_head", "node_two"]
    assert connected["node_head"] != connected["node_two"]
    assert sum(n["Alive"] for n in ray.nodes()) == 2
    assert ray.cluster_resources()["CPU"] == 4


def test_learner_ranks_spread_over_both_nodes_train_one_step(connected: dict[str, str], tiny_model_dir: Path) -> None:
    pg = reserve([{"CPU": 1}] * 2, strategy="STRICT_SPREAD", timeout_s=60, name="learner")
    try:
        cfg = LearnerConfig(model=str(tiny_model_dir), lr=1e-3, mini_batches=1, micro_token_budget=64)
        group = LearnerGroup(cfg, LossConfig(), world=2, scheduling=strategies(pg, 2), setup_timeout_s=240)
        try:
            assert {node_of(a) for a in group.actors} == set(connected.values())  # one rank per node
            batch = ray.put(make_batches(vocab=2000, steps=1, groups=2)[0])
            ranks = ray.get([a.call.remote("train", batch) for a in group.actors], timeout=240)
        finally:
            group.shutdown()
    finally:
        release(pg)
    losses = [r["train/loss"] for r in ranks]
    assert losses[0] == pytest.approx(losses[1], rel=1e-6)  # one all-reduced loss across the two nodes
    assert losses[0] != 0.0


def wait_dead(actor: Any, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            ray.get(actor.health.remote(), timeout=5)
        except ray.exceptions.RayActorError:
            return
        time.sleep(0.1)
    raise AssertionError(f"a killed actor still answers after {timeout_s} s")


def test_rollout_workers_stay_on_their_reserved_node_after_a_restart(
    connected: dict[str, str], tiny_model_dir: Path
) -> None:
    pg = reserve([{"CPU": 1, "node_two": 0.5}, {"CPU": 1, "node_head": 0.5}], strategy="SPREAD", timeout_s=60)
    try:
        factory = functools.partial(TransformersEngine, str(tiny_model_dir))
        group = RolloutGroup(factory, 2, scheduling=strategies(pg, 2), generate_timeout_s=120, health_timeout_s=60)
        try:
            assert [node_of(w) for w in group.workers] == [connected["node_two"], connected["node_head"]]
            ray.kill(group.workers[0], no_restart=True)
            wait_dead(group.workers[0])  # ray.kill returns at once; a call sent before it lands would still succeed
            samples = group.generate(["What is 2+3?", "Is 7 prime?"], 1, SamplingParams(max_new_tokens=4))
            assert group.stats()["restarts"] == 1
            assert len(samples) == 2
            assert node_of(group.workers[0]) == connected["node_two"]  # the replacement took its slot's bundle
        finally:
            group.shutdown()
    finally:
        release(pg)


def test_reserving_more_than_the_cluster_has_fails_fast_with_the_numbers(connected: dict[str, str]) -> None:
    start = time.monotonic()
    with pytest.raises(PlacementError) as err:
        reserve([{"CPU": 1}] * 5, strategy="PACK", timeout_s=3, name="learner")
    assert time.monotonic() - start < 15
    message = str(err.value)
    assert "5 x {CPU: 1} for the learner" in message
    assert "CPU: 4" in message and "2 node(s)" in message
    assert "fewer ranks" in message
    deadline = time.monotonic() + 10  # the failed group was removed: its bundles are not held
    while ray.available_resources().get("CPU", 0) < 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ray.available_resources().get("CPU", 0) == 4


def test_a_learner_larger_than_the_cluster_fails_before_starting_actors(
    connected: dict[str, str], tiny_model_dir: Path
) -> None:
    start = time.monotonic()
    with pytest.raises(LearnerError, match=r"6 ranks x 1 CPU = 6 CPU, but the Ray cluster has 4 CPU"):
        LearnerGroup(LearnerConfig(model=str(tiny_model_dir)), LossConfig(), world=6, setup_timeout_s=600)
    assert time.monotonic() - start < 5
    with pytest.raises(LearnerError, match=r"2 ranks x 1 GPU = 2 GPU, but the Ray cluster has 0 GPU"):
        LearnerGroup(LearnerConfig(model=str(tiny_model_dir)), LossConfig(), world=2, num_gpus=1)


def test_connect_reports_an_unreachable_cluster_at_once(connected: dict[str, str]) -> None:
    from tests.launch.conftest import free_ports

    start = time.monotonic()
    with pytest.raises(ClusterError, match=r"topology.address='127.0.0.1:\d+': nothing answers.*ray start --head"):
        connect("cluster", f"127.0.0.1:{free_ports(1)[0]}")
    assert time.monotonic() - start < 10
    with pytest.raises(ValueError, match="topology.mode='slurm'"):
        connect("slurm", None)
    assert ray.is_initialized()  # a failed connect leaves the driver's current connection alone


def test_connect_joins_the_cluster_and_returns_its_resources(
    two_node_cluster: TwoNodeCluster, connected: dict[str, str]
) -> None:
    try:
        resources = connect("cluster", two_node_cluster.address)
        assert resources["CPU"] == 4 and resources["node_head"] == 1 and resources["node_two"] == 1
    finally:
        shutdown()
    assert not ray.is_initialized()


def test_connect_local_starts_a_private_ray_of_the_size_asked() -> None:
    try:
        resources = connect("local", None, num_cpus=1)
        assert resources["CPU"] == 1 and "node_two" not in resources
        assert len(ray.nodes()) == 1
    finally:
        shutdown()
    with pytest.raises(ValueError, match="topology.address='10.0.0.1:6379' is set but topology.mode=local"):
        connect("local", "10.0.0.1:6379")


def test_training_runs_across_both_nodes(
    two_node_cluster: TwoNodeCluster, tiny_model_dir: Path, tmp_path: Path
) -> None:
    """`reasonrl train` in the cluster topology, as `ray job submit` would start it: a fresh driver process that
    joins the running cluster, reserves placement groups over the two nodes and trains a few real steps."""
    import json
    import os
    import subprocess
    import sys

    parity = str(Path(__file__).parents[1] / "trainer" / "loop_rewards.py") + ":text_length_parity"
    overrides = [
        f"model.path={tiny_model_dir}",
        "topology.mode=cluster",
        f"topology.address={two_node_cluster.address}",
        "topology.placement=SPREAD",
        "topology.learner.cpus=1",
        "topology.learner_ranks=2",
        "learner.zero_stage=2",
        "schedule.steps=2",
        "rollout.problems_per_step=2",
        "rollout.group_size=4",
        "rollout.sampling.max_new_tokens=12",
        "problems.eval.problems=2",
        "problems.eval.samples=2",
        "problems.eval.k=2",
        f"rewards.user=[{parity}]",
        "logging.progress=false",
    ]
    run_dir = tmp_path / "cluster-run"
    reasonrl = str(Path(sys.executable).with_name("reasonrl"))
    proc = subprocess.run(
        [reasonrl, "train", "debug-cpu", *overrides, "--run-dir", str(run_dir)],
        capture_output=True,
        text=True,
        timeout=400,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [0, 1, 2]
    assert all(r["train/skipped"] == 0.0 for r in rows[1:])
    assert (run_dir / "hf" / "config.json").is_file()
