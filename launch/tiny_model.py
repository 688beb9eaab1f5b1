"""A small, seeded Llama model with its own tokenizer, saved as a transformers folder.

Llama, not Qwen2: transformers 5.x reloads a custom tokenizer saved beside a Qwen2 config as Qwen2's own
tokenizer class and drops tokens, while a Llama config keeps the saved tokenizer as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from .tokenizer_build import build_tokenizer


@dataclass(frozen=True)
class ModelSize:
    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    intermediate_size: int
    corpus_per_level: int  # problems per difficulty level to train the tokenizer on (enough to fill the vocab)
    max_position_embeddings: int = 4096


SIZES: dict[str, ModelSize] = {
    "tiny": ModelSize(2048, 128, 4, 4, 2, 384, corpus_per_level=300),
    "small": ModelSize(4096, 384, 8, 6, 2, 1024, corpus_per_level=1000),
}


def check_size(size: str) -> ModelSize:
    if size not in SIZES:
        raise ValueError(f"unknown model size {size!r}; choose one of {', '.join(SIZES)}")
    return SIZES[size]


def build_model(tokenizer: PreTrainedTokenizerFast, size: str = "tiny", seed: int = 0) -> LlamaForCausalLM:
    """Same (tokenizer, size, seed) gives bit-identical weights."""
    shape = check_size(size)
    ids = {"bos_token_id": tokenizer.bos_token_id, "eos_token_id": tokenizer.eos_token_id}
    ids["pad_token_id"] = tokenizer.pad_token_id
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=shape.hidden_size,
        num_hidden_layers=shape.num_hidden_layers,
        num_attention_heads=shape.num_attention_heads,
        num_key_value_heads=shape.num_key_value_heads,
        intermediate_size=shape.intermediate_size,
        max_position_embeddings=shape.max_position_embeddings,
        tie_word_embeddings=True,
        **ids,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config).to(torch.float32).eval()
    model.generation_config = GenerationConfig(**ids)
    return model


def param_count(model: torch.nn.Module) -> int:
    """Parameters counted once even when tied (embedding and output head share one tensor)."""
    return sum(p.numel() for p in model.parameters())


def init_model(out: Path, size: str = "tiny", seed: int = 0) -> tuple[LlamaForCausalLM, PreTrainedTokenizerFast]:
    """Train the tokenizer, build the model and save both into `out` (created if missing)."""
    shape = check_size(size)
    tokenizer = build_tokenizer(shape.vocab_size, shape.corpus_per_level)
    model = build_model(tokenizer, size, seed)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return model, tokenizer
