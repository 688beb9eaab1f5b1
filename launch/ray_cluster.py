"""Joining Ray for a topology: a private local Ray (`local`) or an existing cluster (`cluster`).

A cluster that cannot be reached must say which setting to fix and how to start one, instead of Ray's
connection retries and stack trace.
"""

from __future__ import annotations

import socket
from typing import Any

MODES = ("local", "cluster")


class ClusterError(ValueError):
    """The cluster named by topology.address cannot be reached: a setting to fix, so `user_errors()` prints it
    as one line (a ValueError) before any work starts."""


def connect(mode: str, address: str | None, num_cpus: int | None = None) -> dict[str, Any]:
    """Start or join Ray for `mode`; returns the cluster's resources (CPU, GPU, memory, custom ones)."""
    if mode not in MODES:
        raise ValueError(f"topology.mode={mode!r}: ray_cluster.connect takes one of {', '.join(MODES)}")
    if mode == "local" and address not in (None, "", "auto"):
        raise ValueError(
            f"topology.address={address!r} is set but topology.mode=local starts a private Ray; "
            "use topology.mode=cluster to join a running one"
        )
    if num_cpus is not None and num_cpus < 1:
        raise ValueError(f"num_cpus={num_cpus}: a local Ray needs at least 1 CPU")
    if mode == "cluster":
        _reachable(address or "auto")  # before leaving any Ray this process is connected to
    import ray

    if ray.is_initialized():
        ray.shutdown()
    if mode == "local":
        ray.init(num_cpus=num_cpus, include_dashboard=False, configure_logging=False)
    else:
        ray.init(address=address or "auto", configure_logging=False)
    return dict(ray.cluster_resources())


def _unreachable(address: str, why: str) -> ClusterError:
    return ClusterError(
        f"topology.address={address!r}: {why}; start a cluster with `ray start --head --port 6379` "
        "(or `launch/multinode.sh head`), join workers with `ray start --address HEAD_IP:6379`, "
        "and set topology.address=HEAD_IP:6379 (or auto on a cluster node)"
    )


def _reachable(address: str, timeout_s: float = 5.0) -> str:
    """The cluster's GCS host:port, checked by a TCP connect: ray.init retries an unreachable address for minutes."""
    from ray._private.services import canonicalize_bootstrap_address

    try:
        target = canonicalize_bootstrap_address(address)
    except (ConnectionError, ValueError) as err:
        raise _unreachable(address, str(err).splitlines()[0]) from None
    if target is None:
        raise _unreachable(address, "no running Ray cluster found on this machine (no RAY_ADDRESS, no `ray start`)")
    host, _, port = target.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError as err:
        raise _unreachable(address, f"nothing answers at {target} ({err.strerror or err})") from None
    return target


def shutdown() -> None:
    """Leave Ray; a private local Ray stops with it, a cluster keeps running."""
    import ray

    if ray.is_initialized():
        ray.shutdown()
