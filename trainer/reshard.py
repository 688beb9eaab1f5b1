"""Resume a DeepSpeed learner checkpoint on a different number of data-parallel ranks.

ZeRO 1-3 shard the optimizer state (and under ZeRO-3 the weights) by rank, and DeepSpeed refuses to load
shards written by another world size. DeepSpeed's universal checkpoint is the supported way across: rank 0
converts the shards once into per-parameter fp32 weights and Adam moments (`ds_to_universal`) in a scratch
folder, and every rank loads its new partition from there. The checkpoint folder itself is never written to:
it is checksummed and immutable. ZeRO-0 keeps full replicas in one file, so it loads on any world as it is.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

UNIVERSAL_FOLDER = "universal"


@dataclass(frozen=True)
class SavedLayout:
    """How a checkpoint was partitioned when it was written."""

    world: int  # data-parallel ranks
    zero_stage: int


def saved_layout(learner_dir: Path, tag: str) -> SavedLayout:
    """Read from the first model-states file (every stage writes one, with `dp_world_size` and the ds config);
    memory-mapped, so the weights it holds are not read."""
    folder = Path(learner_dir) / tag
    files = sorted(folder.glob("*mp_rank_00_model_states.pt"))
    if not files:
        raise FileNotFoundError(f"learner: no DeepSpeed checkpoint (model states) in {folder}")
    state = torch.load(files[0], map_location="cpu", weights_only=False, mmap=True)
    zero = (state.get("ds_config") or {}).get("zero_optimization") or {}
    return SavedLayout(world=int(state["dp_world_size"]), zero_stage=int(zero.get("stage", 0)))


def needs_conversion(saved: SavedLayout, world: int, zero_stage: int, learner_dir: Path) -> bool:
    """False on the fast path (same world, or ZeRO-0 whose replicas load anywhere). Raises, before anything is
    loaded, when the checkpoint's ZeRO stage is not the configured one."""
    if saved.zero_stage != zero_stage:
        raise ValueError(
            f"learner.zero_stage is {zero_stage}, but the checkpoint in {learner_dir} was written with ZeRO stage "
            f"{saved.zero_stage}; set learner.zero_stage: {saved.zero_stage} to resume it"
        )
    return saved.world != world and zero_stage > 0


def convert_to_universal(learner_dir: Path, tag: str, out_dir: Path) -> Path:
    """DeepSpeed's own converter, in this process (no worker pools: it may run inside a Ray actor). Returns the
    folder to pass to `load_checkpoint` with the same tag."""
    from deepspeed.checkpoint import ds_to_universal

    if out_dir.exists():
        shutil.rmtree(out_dir)  # a conversion cut short by a crash
    out_dir.mkdir(parents=True)
    args = argparse.Namespace(
        input_folder=str(Path(learner_dir) / tag),
        output_folder=str(out_dir / tag),
        num_extract_workers=1,
        num_merge_workers=1,
        keep_temp_folder=False,
        strict=True,
        inject_missing_state=True,  # the learner's engine records no universal-checkpoint info of its own
    )
    ds_to_universal.main(args)
    return out_dir


def load_checkpoint(engine: Any, learner_dir: Path, tag: str, zero_stage: int, scratch_dir: Path) -> dict[str, Any]:
    """`engine.load_checkpoint` that also accepts a checkpoint written by another number of ranks; returns the
    client state. Every rank calls it; rank 0 converts into `scratch_dir/universal` (on storage every rank can
    read), removed again after the load."""
    import torch.distributed as dist

    learner_dir, scratch_dir = Path(learner_dir), Path(scratch_dir)
    world, rank = dist.get_world_size(), dist.get_rank()
    if not needs_conversion(saved_layout(learner_dir, tag), world, zero_stage, learner_dir):
        path, client = engine.load_checkpoint(str(learner_dir), tag=tag)
        if path is None:
            raise FileNotFoundError(f"learner: no DeepSpeed checkpoint in {learner_dir}")
        return client
    universal = scratch_dir / UNIVERSAL_FOLDER
    error: Exception | None = None
    if rank == 0:
        try:
            convert_to_universal(learner_dir, tag, universal)
        except Exception as err:  # re-raised below on every rank, so none waits for a load that never comes
            error = err
    failure = [None if error is None else f"{type(error).__name__}: {error}"]
    dist.broadcast_object_list(failure, src=0)
    if failure[0] is not None:
        raise RuntimeError(
            f"learner: converting {learner_dir} for {world} ranks failed on rank 0: {failure[0]}"
        ) from error
    engine._config.load_universal_checkpoint = True
    try:
        path, client = engine.load_checkpoint(str(universal), tag=tag)
    finally:
        engine._config.load_universal_checkpoint = False
        dist.barrier()
        if rank == 0:
            shutil.rmtree(universal)
            if not any(scratch_dir.iterdir()):
                scratch_dir.rmdir()
    if path is None:
        raise FileNotFoundError(f"learner: no converted checkpoint in {universal}")
    return client
