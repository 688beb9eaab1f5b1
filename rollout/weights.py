"""Weights on the wire: named tensors packed into one byte buffer with a checksum per tensor.

One contiguous numpy buffer goes through the Ray object store without a copy per reader, works for every
torch dtype (bfloat16 included, which numpy cannot hold), and lets a receiver prove that what it loads is
bit for bit what the learner published before it touches its model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch


class WeightTransferError(RuntimeError):
    """A weight transfer that failed (corrupt, incomplete or late); names the worker and the version."""


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: str  # torch dtype name, e.g. "bfloat16"
    shape: tuple[int, ...]
    offset: int
    nbytes: int
    digest: str


@dataclass
class PackedWeights:
    version: int
    entries: list[TensorEntry]
    buffer: np.ndarray  # uint8, every tensor's bytes back to back
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        return int(self.buffer.nbytes)


def _digest(data: np.ndarray | memoryview) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _tensor_bytes(tensor: torch.Tensor) -> np.ndarray:
    flat = tensor.detach().to("cpu").contiguous().reshape(-1)
    return flat.view(torch.uint8).numpy() if flat.numel() else np.zeros(0, dtype=np.uint8)


def pack_weights(version: int, named_tensors: Mapping[str, torch.Tensor]) -> PackedWeights:
    """Copy the tensors into one buffer and record, per tensor, where it lies and its checksum."""
    tensors = {name: tensor.detach() for name, tensor in named_tensors.items()}
    total = sum(t.numel() * t.element_size() for t in tensors.values())
    buffer = np.empty(total, dtype=np.uint8)
    entries: list[TensorEntry] = []
    offset = 0
    for name, tensor in tensors.items():
        raw = _tensor_bytes(tensor)
        buffer[offset : offset + raw.nbytes] = raw
        dtype = str(tensor.dtype).removeprefix("torch.")
        entries.append(TensorEntry(name, dtype, tuple(tensor.shape), offset, raw.nbytes, _digest(raw)))
        offset += raw.nbytes
    return PackedWeights(version=version, entries=entries, buffer=buffer)


def unpack_weights(packed: PackedWeights, worker: str, expected_version: int | None = None) -> dict[str, torch.Tensor]:
    """Check every tensor's checksum, then rebuild the tensors (copies: the object store's buffer is read-only).

    Raises WeightTransferError naming `worker` and the version on any mismatch; nothing is returned half-checked.
    """
    version = packed.version
    if expected_version is not None and version != expected_version:
        raise WeightTransferError(
            f"worker {worker}: weight transfer for version {expected_version} received version {version}"
        )
    buffer = packed.buffer
    if buffer.dtype != np.uint8 or buffer.ndim != 1:
        raise WeightTransferError(f"worker {worker}: weight transfer for version {version}: malformed buffer")
    end = max((e.offset + e.nbytes for e in packed.entries), default=0)
    if end > buffer.nbytes:
        raise WeightTransferError(
            f"worker {worker}: weight transfer for version {version} truncated: {buffer.nbytes} of {end} bytes"
        )
    for entry in packed.entries:
        if _digest(buffer[entry.offset : entry.offset + entry.nbytes]) != entry.digest:
            raise WeightTransferError(
                f"worker {worker}: weight transfer for version {version} failed its checksum on tensor {entry.name}"
            )
    out: dict[str, torch.Tensor] = {}
    for entry in packed.entries:
        dtype = getattr(torch, entry.dtype)
        if entry.nbytes == 0:
            out[entry.name] = torch.empty(entry.shape, dtype=dtype)
            continue
        raw = torch.from_numpy(buffer[entry.offset : entry.offset + entry.nbytes].copy())
        out[entry.name] = raw.view(dtype).reshape(entry.shape)
    return out
