"""The policy as DeepSpeed sees it: a module whose forward scores packed sequences.

Every pass must go through `engine(...)`, not the bare model: under ZeRO-3 the engine's forward is what
advances the micro-step counter (without it the gradients of a second micro-batch overwrite the first
instead of adding up) and what lets parameters be gathered for code that runs outside the model's forward,
such as the chunked lm head.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import Tensor, nn

from reasonrl.trainer.logprobs import token_logprobs
from reasonrl.trainer.packing import Packed

Scorer = Callable[..., tuple[Tensor, Tensor | None]]  # (packed, with_entropy, num_chunks=None)

PREFIX = "policy."  # DeepSpeed's checkpoints name parameters through this wrapper


class PolicyScorer(nn.Module):
    def __init__(self, policy: nn.Module, temperature: float, chunk_size: int) -> None:
        super().__init__()
        self.policy = policy
        self.temperature = temperature
        self.chunk_size = chunk_size

    def forward(
        self, packed: Packed, with_entropy: bool = False, num_chunks: int | None = None
    ) -> tuple[Tensor, Tensor | None]:
        return token_logprobs(self.policy, packed, self.temperature, self.chunk_size, with_entropy, num_chunks)


def plain_scorer(model: nn.Module, temperature: float, chunk_size: int) -> Scorer:
    """For a model outside DeepSpeed (the frozen reference)."""
    return lambda packed, with_entropy=False, num_chunks=None: token_logprobs(
        model, packed, temperature, chunk_size, with_entropy
    )
