"""A byte-level BPE tokenizer trained in-process on generated problems, wrapped for transformers.

Byte-level pre-tokenization means any text (LaTeX, unicode, control characters) encodes without UNK and
decodes back to the same string. Digits are split one per token so numbers tokenize uniformly.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

BOS, EOS, PAD = "<|bos|>", "<|end|>", "<|pad|>"
ROLES = ("system", "user", "assistant")
ROLE_TOKENS = tuple(f"<|{role}|>" for role in ROLES)
SPECIAL_TOKENS = (PAD, BOS, EOS, *ROLE_TOKENS)  # pad is id 0, bos 1, eos 2

# One turn per message, each closed by <|end|> (the eos, so generation stops at the end of the assistant turn).
# Assistant text sits in a generation block, so `return_assistant_tokens_mask=True` marks what the model wrote.
CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{% if message['role'] not in ['system', 'user', 'assistant'] %}"
    "{{ raise_exception('unknown chat role ' + message['role'] + '; use system, user or assistant') }}"
    "{% endif %}"
    "{{ '<|' + message['role'] + '|>\\n' }}"
    "{% if message['role'] == 'assistant' %}"
    "{% generation %}{{ message['content'] + '<|end|>' }}{% endgeneration %}"
    "{% else %}{{ message['content'] + '<|end|>' }}{% endif %}"
    "{{ '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}"
)

# Coverage beyond the generated corpus, so common math notation gets its own merges.
_COVERAGE = [
    "".join(chr(c) for c in range(32, 127)),
    "0 1 2 3 4 5 6 7 8 9 10 100 1000 -1 -2 0.5 3.14 1/2 2/3 x^2 x_1 a_n",
    r"\frac{a}{b} \sqrt{x} \sqrt[3]{x} \boxed{42} \cdot \times \div \pm \mp \le \ge \leq \geq \neq \approx",
    r"\pi \infty \alpha \beta \gamma \theta \lambda \sigma \sum_{i=1}^{n} \prod \int_0^1 f(x)\,dx \lim_{x \to 0}",
    r"\left( \right) \left[ \right] \{ \} \in \cup \cap \emptyset \mathbb{R} \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
    "· × ÷ ≤ ≥ ≠ ± √ π ∞ ∈ ∪ ∩ ∅ → ⇒ ° é ü ñ 中文 日本語 😀",
    "Therefore the answer is \\boxed{}. Let us think step by step. <think> </think> <answer> </answer>",
]


def problem_corpus(per_level: int, levels: range = range(1, 9), seed: int = 0) -> Iterator[str]:
    """Prompts and worked solutions from the default mixture, the text the model will read and write."""
    from reasonrl.problems.stream import ProblemStream

    for level in levels:
        for problem in itertools.islice(ProblemStream("default", difficulty=level, seed=seed), per_level):
            yield problem.prompt
            if problem.solution:
                yield problem.solution
    for _ in range(20):
        yield from _COVERAGE


def train_tokenizer(vocab_size: int, per_level: int = 300) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(problem_corpus(per_level), trainer=trainer)
    return tokenizer


def build_tokenizer(vocab_size: int, per_level: int = 300) -> PreTrainedTokenizerFast:
    """The transformers tokenizer with special tokens and chat template; no automatic bos (the template adds it)."""
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=train_tokenizer(vocab_size, per_level),
        bos_token=BOS,
        eos_token=EOS,
        pad_token=PAD,
        extra_special_tokens=list(ROLE_TOKENS),
        model_max_length=1 << 20,
        padding_side="left",
        clean_up_tokenization_spaces=False,
    )
    wrapped.chat_template = CHAT_TEMPLATE
    return wrapped
