"""Writes a real DeepSpeed checkpoint in the run layout, for the checkpoint and export tests.

Run with torchrun for several ranks, or with plain python and RANK/WORLD_SIZE/MASTER_* set for one. It trains a
tiny random Llama for two optimizer steps, saves `learner/` (every rank) and `model/` (rank 0) into --ckpt, and the
gathered fp32 parameters to --out/reference.pt so the test can check the export against what the ranks held.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("DS_ACCELERATOR", "cpu")

import deepspeed  # noqa: E402
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers  # noqa: E402
from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast  # noqa: E402

VOCAB = 300


def tiny_tokenizer() -> PreTrainedTokenizerFast:
    """A word-level tokenizer over the model's vocabulary, so the export has real tokenizer files to copy."""
    vocab = {"<pad>": 0, "<s>": 1, "</s>": 2} | {f"w{i}": i for i in range(3, VOCAB)}
    raw = Tokenizer(models.WordLevel(vocab, unk_token="<pad>"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(tokenizer_object=raw, pad_token="<pad>", bos_token="<s>", eos_token="</s>")


def build_model(tie: bool, seed: int) -> LlamaForCausalLM:
    config = LlamaConfig(
        vocab_size=VOCAB,
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        intermediate_size=128,
        max_position_embeddings=128,
        tie_word_embeddings=tie,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=0,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config).to(torch.float32)
    model.generation_config = GenerationConfig(bos_token_id=1, eos_token_id=2, pad_token_id=0, max_new_tokens=7)
    return model


def ds_config(stage: int) -> dict:
    return {
        "train_micro_batch_size_per_gpu": 1,
        "gradient_accumulation_steps": 1,
        "zero_optimization": {"stage": stage},
        # torch's AdamW is passed in: DeepSpeed's CPU Adam would need a C++ build at start-up.
        "zero_allow_untested_optimizer": True,
        "steps_per_print": 1000,
    }


def reference_state(engine: deepspeed.DeepSpeedEngine, stage: int) -> dict[str, torch.Tensor]:
    """The full fp32 parameters as the ranks hold them (gathered under ZeRO-3); collective, so every rank calls it."""
    params = list(engine.module.parameters())
    if stage == 3:
        with deepspeed.zero.GatheredParameters(params, modifier_rank=None):
            return {n: p.detach().clone() for n, p in engine.module.named_parameters()}
    return {n: p.detach().clone() for n, p in engine.module.named_parameters()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stage", type=int, required=True)
    parser.add_argument("--ckpt", type=Path, required=True, help="the checkpoint folder (CheckpointManager.begin)")
    parser.add_argument("--out", type=Path, required=True, help="where reference.pt goes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tie", action="store_true")
    parser.add_argument("--no-tokenizer", action="store_true")
    args = parser.parse_args()

    deepspeed.init_distributed(dist_backend="gloo")
    rank = dist.get_rank()
    model = build_model(args.tie, args.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    engine, *_ = deepspeed.initialize(model=model, optimizer=optimizer, config=ds_config(args.stage))

    g = torch.Generator().manual_seed(args.seed + 1 + rank)
    ids = torch.randint(3, VOCAB, (1, 12), generator=g)
    for _ in range(2):
        loss = engine(input_ids=ids, labels=ids).loss
        engine.backward(loss)
        engine.step()

    engine.save_checkpoint(str(args.ckpt / "learner"), tag="state")
    reference = reference_state(engine, args.stage)
    if rank == 0:
        config_model = engine.module
        config_model.config.save_pretrained(args.ckpt / "model")
        config_model.generation_config.save_pretrained(args.ckpt / "model")
        if not args.no_tokenizer:
            tiny_tokenizer().save_pretrained(args.ckpt / "model")
        args.out.mkdir(parents=True, exist_ok=True)
        torch.save(reference, args.out / "reference.pt")
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
