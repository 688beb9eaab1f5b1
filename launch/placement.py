"""Ray placement groups for the cluster topology: reserve all of a group's bundles at once, or fail fast.

A learner whose ranks cannot all be placed would otherwise wait for its setup timeout with some ranks started;
reserving the bundles first turns "the cluster is too small" into one error naming what was asked and what exists.
"""

from __future__ import annotations

import ray
from ray.util.placement_group import PlacementGroup, placement_group, remove_placement_group
from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy

STRATEGIES = ("PACK", "SPREAD", "STRICT_PACK", "STRICT_SPREAD")


class PlacementError(RuntimeError):
    """The cluster cannot hold the bundles asked for within the timeout."""


def describe(bundles: list[dict[str, float]]) -> str:
    """'2 x {CPU: 1}' for identical bundles, else each bundle listed."""
    shown = ["{" + ", ".join(f"{k}: {v:g}" for k, v in sorted(b.items())) + "}" for b in bundles]
    if len(set(shown)) == 1:
        return f"{len(shown)} x {shown[0]}"
    return " + ".join(shown)


def _resources(table: dict[str, float]) -> str:
    keep = {k: v for k, v in table.items() if not k.startswith(("node:", "object_store_memory", "memory"))}
    return "{" + ", ".join(f"{k}: {v:g}" for k, v in sorted(keep.items())) + "}"


def reserve(
    bundles: list[dict[str, float]], strategy: str = "PACK", timeout_s: float = 120, name: str = ""
) -> PlacementGroup:
    """A ready placement group with `bundles`, or PlacementError after `timeout_s` (the group is removed)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"placement strategy {strategy!r} is not one of {', '.join(STRATEGIES)}")
    if not bundles:
        raise ValueError("a placement group needs at least one bundle")
    pg = placement_group(bundles, strategy=strategy, name=name)
    try:
        ray.get(pg.ready(), timeout=timeout_s)
    except ray.exceptions.GetTimeoutError:
        remove_placement_group(pg)
        what = f" for the {name}" if name else ""
        nodes = sum(1 for n in ray.nodes() if n.get("Alive"))
        raise PlacementError(
            f"could not place {describe(bundles)}{what} ({strategy}) within {timeout_s:g}s: "
            f"the cluster has {_resources(ray.cluster_resources())} on {nodes} node(s), "
            f"{_resources(ray.available_resources())} available; "
            "ask for fewer ranks or workers (or fewer CPUs/GPUs each), or add nodes"
        ) from None
    return pg


def strategies(pg: PlacementGroup, count: int, offset: int = 0) -> list[PlacementGroupSchedulingStrategy]:
    """One scheduling strategy per actor: actor i takes bundle offset+i, and its child tasks stay in the group."""
    if offset < 0 or offset + count > pg.bundle_count:
        raise ValueError(f"bundles {offset}..{offset + count - 1} asked of a placement group of {pg.bundle_count}")
    return [
        PlacementGroupSchedulingStrategy(
            placement_group=pg, placement_group_bundle_index=offset + i, placement_group_capture_child_tasks=True
        )
        for i in range(count)
    ]


def release(pg: PlacementGroup) -> None:
    """Remove the group; its bundles return to the cluster (actors still in it are killed by Ray)."""
    remove_placement_group(pg)
