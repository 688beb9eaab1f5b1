"""How a prompt becomes token ids: the chat template (with the optional system prompt) when the tokenizer has
one, else the raw text. The engines and the supervised warm-up share it, so a warmed-up model sees exactly
the prompts it will be sampled with."""

from __future__ import annotations

from typing import Any


def encode_prompt(
    tokenizer: Any, prompt: str, system_prompt: str | None = None, use_chat_template: bool = True
) -> list[int]:
    if not (use_chat_template and getattr(tokenizer, "chat_template", None)):
        return list(tokenizer(prompt)["input_ids"])
    messages = [{"role": "user", "content": prompt}]
    if system_prompt:
        messages.insert(0, {"role": "system", "content": system_prompt})
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])
