"""Process-group set-up and the few collectives the learner needs, each bounded by a timeout."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import torch
import torch.distributed as dist


def free_address() -> tuple[str, int]:
    """This host's address and a port free at the moment of asking, for rank 0 to listen on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("", 0))
        port = sock.getsockname()[1]
    try:
        import ray

        host = ray.util.get_node_ip_address() if ray.is_initialized() else "127.0.0.1"
    except ImportError:
        host = "127.0.0.1"
    return host, port


def init_process_group(rank: int, world: int, master_addr: str, master_port: int, timeout_s: float) -> str:
    """Set the torch.distributed environment and join the group; returns the backend (nccl on GPU, else gloo)."""
    os.environ.update(
        MASTER_ADDR=master_addr,
        MASTER_PORT=str(master_port),
        RANK=str(rank),
        WORLD_SIZE=str(world),
        LOCAL_RANK=os.environ.get("LOCAL_RANK", "0"),
    )
    if not torch.cuda.is_available():
        os.environ.setdefault("DS_ACCELERATOR", "cpu")
    import deepspeed

    backend = "nccl" if torch.cuda.is_available() else "gloo"
    if not dist.is_initialized():
        deepspeed.init_distributed(dist_backend=backend, timeout=timedelta(seconds=timeout_s), auto_mpi_discovery=False)
    return backend


def all_max(value: int, device: torch.device) -> int:
    tensor = torch.tensor([value], dtype=torch.long, device=device)
    dist.all_reduce(tensor, op=dist.ReduceOp.MAX)
    return int(tensor.item())


def all_sum(values: torch.Tensor) -> torch.Tensor:
    values = values.clone()
    dist.all_reduce(values, op=dist.ReduceOp.SUM)
    return values


def all_gather_lists(local: dict[int, list[float]]) -> dict[int, list[float]]:
    """Merge every rank's {sequence index: per-token values} into one dict on every rank."""
    parts: list[dict[int, list[float]] | None] = [None] * dist.get_world_size()
    dist.all_gather_object(parts, local)
    merged: dict[int, list[float]] = {}
    for part in parts:
        merged.update(part or {})
    return merged
