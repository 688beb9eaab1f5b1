"""One learner rank: a DeepSpeed engine around the policy, trained on a `Batch` per step.

Every rank receives the whole batch and computes the same plan (trainer/step_plan.py), then trains on its
token-balanced share of each mini-batch in micro-batches that fit `micro_token_budget`. Losses are weighted
by mini-batch-global counts, so the gradient is the same for any number of ranks and micro-batches.
"""

from __future__ import annotations

import gc
import math
import time
from pathlib import Path
from typing import Any

import torch

from reasonrl.trainer import distributed, nonfinite, reshard
from reasonrl.trainer.checkpoint_writes import raise_if_any_failed, recording_writes
from reasonrl.trainer.ds_config import build_ds_config
from reasonrl.trainer.losses import AggregationScope
from reasonrl.trainer.micro_loss import MicroBatch, micro_batch_loss
from reasonrl.trainer.optimizer import build_optimizer
from reasonrl.trainer.packing import Packed, layout_for, plan_micro_batches
from reasonrl.trainer.policy_model import load_policy, load_reference, per_sequence_logprobs, save_model_files
from reasonrl.trainer.policy_module import PolicyScorer, Scorer, plain_scorer
from reasonrl.trainer.schedule import lr_lambda
from reasonrl.trainer.step_plan import plan_mini_batches, rank_share
from reasonrl.trainer.types import Batch, LearnerConfig, LossConfig

CHECKPOINT_TAG = "state"


def resolve_dtype(cfg: LearnerConfig) -> str:
    if cfg.dtype != "auto":
        return cfg.dtype
    return "bfloat16" if torch.cuda.is_available() else "float32"


class LearnerRank:
    """Build with the distributed address (rank 0's host and a free port), then call `train` every step."""

    def __init__(
        self, cfg: LearnerConfig, loss: LossConfig, rank: int, world: int, master_addr: str, master_port: int
    ) -> None:
        import deepspeed

        self.cfg, self.loss_cfg, self.rank, self.world = cfg, loss, rank, world
        torch.manual_seed(cfg.seed)
        distributed.init_process_group(rank, world, master_addr, master_port, cfg.collective_timeout_s)
        self.dtype = resolve_dtype(cfg)
        self.device = torch.device("cuda", torch.cuda.current_device()) if torch.cuda.is_available() else None
        policy, self.tokenizer = load_policy(cfg, self.dtype, load_tokenizer=rank == 0)
        module = PolicyScorer(policy, loss.temperature, cfg.logprob_chunk)
        optimizer = build_optimizer(policy, cfg, self.dtype)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(cfg))
        self.engine, _, _, self.scheduler = deepspeed.initialize(
            model=module, optimizer=optimizer, lr_scheduler=scheduler, config=build_ds_config(cfg, self.dtype)
        )
        self.policy = self.engine.module.policy
        self.layout = layout_for(self.policy)
        self.device = self.engine.device
        self.reference: Scorer | None = None
        if loss.kl_coef > 0:
            reference = load_reference(cfg, self.dtype, self.device)
            self.reference = plain_scorer(reference, loss.temperature, cfg.logprob_chunk)
        self.step = 0

    # -- training -------------------------------------------------------------------------------------------

    def train(self, batch: Batch) -> dict[str, float]:
        """One learner step: mini-batches x epochs optimizer updates. Returns metrics, equal on every rank.

        An update whose loss (any micro-batch, any rank) or gradient is NaN/Inf is skipped on every rank: weights,
        optimizer moments and LR schedule stay as they were, the gradient is dropped. `train/nonfinite_skipped`
        counts those updates, `train/nonfinite_loss` is 1.0 when some loss was non-finite; `train/loss` and
        `train/grad_norm` average the applied updates only, so they are NaN only when every update was skipped.
        `self.step` counts calls and advances either way (the mini-batch shuffle depends on it).
        """
        start = time.perf_counter()
        costs = [len(p) + len(c) for p, c in zip(batch.prompt_ids, batch.completion_ids, strict=True)]
        cfg = self.cfg
        plan = plan_mini_batches(len(batch), cfg.mini_batches, cfg.epochs, cfg.seed, self.step)
        off_policy = len(plan) > 1  # after the first update the weights differ from those that sampled
        old = self._gathered_logprobs(batch, costs, self._score) if off_policy else None
        ref = self._gathered_logprobs(batch, costs, self.reference) if self.reference is not None else None
        totals: dict[str, float] = {}
        grad_norms, losses = [], []
        skipped, loss_nonfinite = 0, False
        for indices in plan:
            loss, sums, applied = self._update(batch, indices, costs, old, ref)
            loss_nonfinite = loss_nonfinite or not math.isfinite(loss)
            if applied:
                losses.append(loss)
                grad_norms.append(self._grad_norm())
            else:
                skipped += 1
            for key, value in sums.items():
                totals[key] = totals.get(key, 0.0) + value
        self.step += 1
        metrics = self._metrics(totals, losses, grad_norms, time.perf_counter() - start)
        metrics["train/optimizer_steps"] = float(len(plan))
        metrics["train/nonfinite_skipped"] = float(skipped)
        metrics["train/nonfinite_loss"] = float(loss_nonfinite)
        return metrics

    def _update(
        self,
        batch: Batch,
        indices: list[int],
        costs: list[int],
        old: dict[int, list[float]] | None,
        ref: dict[int, list[float]] | None,
    ) -> tuple[float, dict[str, float], bool]:
        """One optimizer step on the mini-batch `indices` (global), of which this rank trains its share.
        Returns the mini-batch loss, metric sums and whether the update was applied (see `_step_if_finite`)."""
        completion_lengths = [len(batch.completion_ids[i]) for i in indices]
        scope = AggregationScope(
            num_sequences=len(indices),
            num_tokens=sum(completion_lengths),
            norm_length=self.loss_cfg.norm_length or max(completion_lengths),
        )
        mine = rank_share(indices, costs, self.world, self.rank)
        sums: dict[str, float] = {}
        loss_total = torch.zeros((), dtype=torch.float64)
        for chosen, weight in self._lockstep_plan(mine, costs, fallback=indices[0]):
            micro = self._micro(batch, chosen, old, ref)
            loss, metrics = micro_batch_loss(self._score, micro, self.loss_cfg, scope, self.layout)
            # DeepSpeed averages gradients over ranks; the weights already normalise globally, so undo it.
            self.engine.backward(loss * weight * self.world, scale_wrt_gas=False)
            loss_total += loss.detach().double().cpu() * weight
            for key, value in metrics.items():
                sums[key] = sums.get(key, 0.0) + value * weight
        applied = self._step_if_finite(nonfinite.is_finite(loss_total))
        return float(distributed.all_sum(loss_total)), sums, applied

    def _step_if_finite(self, loss_finite: bool) -> bool:
        """The optimizer step, skipped on every rank when any rank saw a non-finite loss or gradient.

        DeepSpeed's ZeRO optimizers check the reduced gradient themselves and, on overflow, drop it without
        touching weights, moments or the LR scheduler; a plain torch optimizer does not, so there the local
        gradients are checked (a NaN on one rank is a NaN in the average) and the step is not taken at all.
        """
        ds_checks = nonfinite.optimizer_checks_overflow(self.engine.optimizer)
        local_ok = loss_finite and (ds_checks or nonfinite.grads_finite(self.engine.module.parameters()))
        skip = nonfinite.any_rank(not local_ok, self.device)
        if skip and not ds_checks:
            self.engine.zero_grad()
            return False
        self.engine.step()
        applied = self.engine.was_step_applied()
        if skip and applied:
            raise RuntimeError(
                "learner: a loss was NaN/Inf but DeepSpeed's optimizer applied the step anyway (its gradient was "
                "finite); the weights may be corrupt: restore the last checkpoint"
            )
        return applied

    def _score(self, packed: Packed, with_entropy: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The policy's log-probabilities through the DeepSpeed engine. Under ZeRO-3 every rank runs the head
        the same number of times (each call gathers its weight)."""
        chunks = None
        if self.cfg.zero_stage == 3:
            chunks = distributed.all_max(max(1, -(-packed.num_targets // self.cfg.logprob_chunk)), self.device)
        return self.engine(packed, with_entropy, num_chunks=chunks)

    def _lockstep_plan(self, mine: list[int], costs: list[int], fallback: int) -> list[tuple[list[int], float]]:
        """This rank's micro-batches as (sequences, weight), padded to the longest plan of any rank.

        Every rank must run the same number of forward and backward passes: ZeRO gathers parameters and
        reduces gradients inside them. A rank that runs out of sequences repeats one with weight 0.
        """
        groups = plan_micro_batches([costs[i] for i in mine], self.cfg.micro_token_budget, self.layout) if mine else []
        plan = [([mine[j] for j in group], 1.0) for group in groups]
        count = distributed.all_max(len(plan), self.device)
        return plan + [([mine[0] if mine else fallback], 0.0)] * (count - len(plan))

    def _micro(
        self, batch: Batch, chosen: list[int], old: dict[int, list[float]] | None, ref: dict[int, list[float]] | None
    ) -> MicroBatch:
        return MicroBatch(
            prompt_ids=[batch.prompt_ids[i] for i in chosen],
            completion_ids=[batch.completion_ids[i] for i in chosen],
            rollout_logprobs=[batch.rollout_logprobs[i] for i in chosen],
            advantages=[batch.advantages[i] for i in chosen],
            old_logprobs=None if old is None else [old[i] for i in chosen],
            ref_logprobs=None if ref is None else [ref[i] for i in chosen],
        )

    def _gathered_logprobs(self, batch: Batch, costs: list[int], score: Scorer) -> dict[int, list[float]]:
        """Per-token log-probabilities of every sequence, each rank computing its share, then exchanged."""
        mine = rank_share(list(range(len(batch))), costs, self.world, self.rank)
        plan = self._lockstep_plan(mine, costs, fallback=0)
        return distributed.all_gather_lists(per_sequence_logprobs(score, batch, plan, self.layout))

    def _grad_norm(self) -> float:
        norm = self.engine.get_global_grad_norm()
        return float(norm) if norm is not None else math.nan

    def _metrics(
        self, totals: dict[str, float], losses: list[float], grad_norms: list[float], seconds: float
    ) -> dict[str, float]:
        keys = sorted(totals)
        summed = distributed.all_sum(torch.tensor([totals[k] for k in keys], dtype=torch.float64))
        reduced = dict(zip(keys, summed.tolist(), strict=True))
        tokens = max(reduced.pop("tokens"), 1.0)
        metrics = {f"train/{k}": v / tokens for k, v in reduced.items()}
        metrics.update(
            {
                "train/loss": sum(losses) / len(losses) if losses else math.nan,
                "train/grad_norm": sum(grad_norms) / len(grad_norms) if grad_norms else math.nan,
                "train/lr": float(self.scheduler.get_last_lr()[0]),
                "train/tokens": tokens,
                "train/seconds": seconds,
                "train/tokens_per_s": tokens / seconds if seconds > 0 else 0.0,
                "train/optimizer_steps": float(len(losses)),
            }
        )
        return metrics

    # -- weights and checkpoints ----------------------------------------------------------------------------

    def gather_weights(self) -> dict[str, torch.Tensor] | None:
        """Full weights on rank 0 (CPU tensors, the policy's dtype), None elsewhere. Every rank must call it:
        under ZeRO-3 each parameter is gathered from its shards."""
        import deepspeed

        out: dict[str, torch.Tensor] = {}
        for name, param in self.policy.named_parameters():
            gathered = deepspeed.zero.GatheredParameters([param], modifier_rank=None, enabled=self.cfg.zero_stage == 3)
            with gathered:
                if self.rank == 0:
                    out[name] = param.detach().to("cpu", copy=True)
        return out if self.rank == 0 else None

    def save(self, folder: Path) -> None:
        """Write `folder/learner` (DeepSpeed state, every rank) and `folder/model` (config, tokenizer; rank 0).

        A failed write (disk full, read-only) is recorded instead of raised, so every rank still passes
        DeepSpeed's barriers; at the end all ranks raise `CheckpointWriteError` together and stay usable.
        """
        folder = Path(folder)
        with recording_writes(self.engine) as writes:
            # `latest` is written with a bare open(), outside the recording engine; the tag is fixed anyway.
            self.engine.save_checkpoint(
                str(folder / "learner"), tag=CHECKPOINT_TAG, client_state={"step": self.step}, save_latest=False
            )
            if self.rank == 0:
                writes.attempt(save_model_files, self.policy, self.tokenizer, folder / "model")
        if writes.failure is not None:
            gc.collect()  # closes the half-written file (its frames may sit in a cycle), freeing its blocks
        raise_if_any_failed(writes.failure, self.rank, folder)

    def load(self, folder: Path, scratch_dir: Path | None = None) -> int:
        """Restore model, optimizer, scheduler and step from `folder/learner`, also when another number of ranks
        wrote it (resharded once into `scratch_dir`, by default RUN/.reshard for RUN/checkpoints/STEP, which
        every rank can read as it can the checkpoint); returns the step."""
        folder = Path(folder)
        scratch = Path(scratch_dir) if scratch_dir is not None else folder.parent.parent / ".reshard"
        client = reshard.load_checkpoint(self.engine, folder / "learner", CHECKPOINT_TAG, self.cfg.zero_stage, scratch)
        self.step = int(client.get("step", 0))
        return self.step

    def info(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "world": self.world,
            "step": self.step,
            "dtype": self.dtype,
            "device": str(self.device),
        }

    def shutdown(self) -> None:
        # DeepSpeed's own destroy also drops its cached clone of the world group; torch's alone leaves it
        # stale, and the next in-process learner (debug mode, tests) then fails to initialise.
        if torch.distributed.is_initialized():
            import deepspeed.comm

            deepspeed.comm.destroy_process_group()
