"""vLLM engine behind the `Engine` interface, written against vLLM's public API (`vllm.LLM`, `vllm.SamplingParams`).

vLLM itself is imported inside `VLLMEngine.__init__` only, so this module (and its pure checks) import without it.
UNTESTED here: no CI machine has vLLM and a GPU; launch/gpu_smoke.sh exercises it on one.

Log-probabilities. The contract (rollout/types.py) is log_softmax(logits / temperature) of the sampled token,
before top-p/top-k/min-p truncation. vLLM returns, per `logprobs_mode` (vLLM >= 0.10.2; older versions: raw only):
- "raw_logprobs" (vLLM's default): log_softmax(logits), before temperature. Equal to the contract when temperature
  is 1 (and for greedy, temperature 0, where we define the logprob on the raw logits too).
- "processed_logprobs": after temperature *and* after truncation (masked tokens removed, renormalized). Equal to the
  contract when no truncation is active (top_p 1, top_k 0, min_p 0).
The engine picks the mode from the run's sampling at construction; temperature not in {0, 1} together with a
truncation setting matches neither, so it is refused at start-up (or accepted with `allow_truncated_logprobs=True`,
which returns vLLM's processed logprobs: the learner's ratio is then off by the truncated mass; document it in the run).

Weights. `update_weights` calls `model.load_weights(weights=[(name, tensor), ...])` in every vLLM worker through the
first path the installed version has: `LLM.apply_model` (vLLM >= 0.9), `LLM.collective_rpc` (>= 0.7.3), else the
legacy `llm_engine.model_executor.driver_worker` attribute chain (V0). With the V1 multiprocess engine the callable
and tensors are pickled to the worker, which needs VLLM_ALLOW_INSECURE_SERIALIZATION=1 (set here if unset). The
prefix cache is reset afterwards so no KV computed with the old weights is reused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Mapping, Sequence
from typing import Any

from reasonrl.rollout.types import Sample, SamplingParams

OPTIONS = {
    "dtype",
    "gpu_memory_utilization",
    "max_model_len",
    "tensor_parallel_size",
    "system_prompt",
    "use_chat_template",
    "seed",
    "enforce_eager",
    "enable_prefix_caching",
    "allow_truncated_logprobs",
    "llm_kwargs",
}

RAW, PROCESSED = "raw_logprobs", "processed_logprobs"


def _truncates(sampling: SamplingParams) -> bool:
    return sampling.top_p < 1 or sampling.top_k > 0 or sampling.min_p > 0


def _temperature_neutral(sampling: SamplingParams) -> bool:
    return sampling.temperature in (0.0, 1.0)


def logprobs_mode_for(sampling: SamplingParams, *, allow_truncated_logprobs: bool = False) -> str:
    """The vLLM `logprobs_mode` whose values equal the contract's for `sampling` (see module docstring)."""
    if _temperature_neutral(sampling):
        return RAW
    if not _truncates(sampling) or allow_truncated_logprobs:
        return PROCESSED
    raise ValueError(
        f"sampling.temperature={sampling.temperature} with truncation (top_p={sampling.top_p}, "
        f"top_k={sampling.top_k}, min_p={sampling.min_p}): vLLM cannot return log-probabilities after temperature "
        "and before truncation; fix: set temperature to 1.0, or top_p 1.0 / top_k 0 / min_p 0.0, or use engine: "
        "transformers, or pass allow_truncated_logprobs=True to accept vLLM's truncated logprobs"
    )


def mode_honours(mode: str, sampling: SamplingParams, *, allow_truncated_logprobs: bool = False) -> bool:
    if mode == RAW:
        return _temperature_neutral(sampling)
    return not _truncates(sampling) or allow_truncated_logprobs


def check_sampling(sampling: SamplingParams, **opts: Any) -> None:
    """Start-up checks that need no vLLM import: raises ValueError naming the field and the fix."""
    logprobs_mode_for(sampling, allow_truncated_logprobs=bool(opts.get("allow_truncated_logprobs", False)))
    max_model_len = opts.get("max_model_len")
    if max_model_len is not None and sampling.max_new_tokens >= max_model_len:
        raise ValueError(
            f"sampling.max_new_tokens={sampling.max_new_tokens} leaves no room for the prompt within "
            f"engine.max_model_len={max_model_len}; fix: raise max_model_len or lower max_new_tokens"
        )


def sample_seed(seed: int, prompt_index: int, sample_index: int) -> int:
    """Independent, reproducible per-sample seeds (vLLM V1 gives the n children of one seeded request one stream)."""
    digest = hashlib.blake2b(f"{seed}:{prompt_index}:{sample_index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def _finish_reason(reason: str | None, where: str) -> str:
    if reason in ("stop", "length"):
        return reason
    raise RuntimeError(f"vllm engine: {where} finished with reason {reason!r} (expected stop or length)")


class VLLMEngine:
    """One `vllm.LLM` in this process; see the module docstring for logprob semantics and the weight path."""

    def __init__(
        self,
        model: str,
        *,
        sampling: SamplingParams | None = None,
        dtype: str = "auto",
        gpu_memory_utilization: float = 0.85,
        max_model_len: int | None = None,
        tensor_parallel_size: int = 1,
        system_prompt: str | None = None,
        use_chat_template: bool = True,
        seed: int = 0,
        enforce_eager: bool = False,
        enable_prefix_caching: bool = True,
        allow_truncated_logprobs: bool = False,
        llm_kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        os.environ.setdefault("VLLM_ALLOW_INSECURE_SERIALIZATION", "1")  # apply_model/collective_rpc pickle a fn
        import vllm

        self._vllm = vllm
        self.weight_version = 0
        self.system_prompt = system_prompt
        self.use_chat_template = use_chat_template
        self.allow_truncated_logprobs = allow_truncated_logprobs
        sampling = sampling or SamplingParams()
        check_sampling(sampling, max_model_len=max_model_len, allow_truncated_logprobs=allow_truncated_logprobs)
        self.logprobs_mode = logprobs_mode_for(sampling, allow_truncated_logprobs=allow_truncated_logprobs)
        kwargs: dict[str, Any] = dict(
            model=model,
            dtype=dtype,
            gpu_memory_utilization=gpu_memory_utilization,
            tensor_parallel_size=tensor_parallel_size,
            seed=seed,
            enforce_eager=enforce_eager,
            enable_prefix_caching=enable_prefix_caching,
        )
        if max_model_len is not None:
            kwargs["max_model_len"] = max_model_len
        engine_fields = {f.name for f in dataclasses.fields(vllm.EngineArgs)}
        if "logprobs_mode" in engine_fields:
            kwargs["logprobs_mode"] = self.logprobs_mode
        elif self.logprobs_mode != RAW:
            raise ValueError(
                f"sampling.temperature={sampling.temperature}: vLLM {vllm.__version__} has no logprobs_mode, so its "
                "logprobs are before temperature; fix: vLLM >= 0.10.2, temperature 1.0, or engine: transformers"
            )
        kwargs.update(llm_kwargs or {})
        self.llm = vllm.LLM(**kwargs)
        self.tokenizer = self.llm.get_tokenizer()

    # -- prompts ------------------------------------------------------------------------------------------------

    def _prompt_ids(self, prompt: str) -> list[int]:
        """Same rendering as the transformers engine: chat template (with system prompt) when the tokenizer has one."""
        if self.use_chat_template and getattr(self.tokenizer, "chat_template", None):
            messages = [{"role": "user", "content": prompt}]
            if self.system_prompt:
                messages.insert(0, {"role": "system", "content": self.system_prompt})
            text = self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
            return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])
        return list(self.tokenizer(prompt)["input_ids"])

    def _params(self, sampling: SamplingParams, n: int, seed: int | None) -> Any:
        return self._vllm.SamplingParams(
            n=n,
            temperature=sampling.temperature,
            top_p=sampling.top_p,
            top_k=sampling.top_k if sampling.top_k > 0 else -1,
            min_p=sampling.min_p,
            max_tokens=sampling.max_new_tokens,
            stop=list(sampling.stop_strings) or None,
            stop_token_ids=list(sampling.stop_token_ids) or None,
            seed=seed,
            logprobs=1,  # the sampled token's logprob is always included, plus the top-1
        )

    # -- Engine -------------------------------------------------------------------------------------------------

    def generate(self, prompts: Sequence[str], n: int, sampling: SamplingParams) -> list[Sample]:
        if not mode_honours(self.logprobs_mode, sampling, allow_truncated_logprobs=self.allow_truncated_logprobs):
            raise ValueError(
                f"vllm engine was started with logprobs_mode={self.logprobs_mode}, which cannot give the contract's "
                f"logprobs for {sampling}; fix: keep the run's sampling settings, or restart the engine with these"
            )
        prompt_ids = [self._prompt_ids(p) for p in prompts]
        # Seeded: one request per sample with its own seed (independent draws, reproducible); else n per request.
        if sampling.seed is None:
            requests = [({"prompt_token_ids": ids}, self._params(sampling, n, None)) for ids in prompt_ids]
        else:
            requests = [
                ({"prompt_token_ids": ids}, self._params(sampling, 1, sample_seed(sampling.seed, i, j)))
                for i, ids in enumerate(prompt_ids)
                for j in range(n)
            ]
        outputs = self.llm.generate([r[0] for r in requests], [r[1] for r in requests], use_tqdm=False)
        completions = [c for out in outputs for c in out.outputs]
        if len(completions) != len(prompts) * n:
            raise RuntimeError(f"vllm engine: expected {len(prompts) * n} completions, got {len(completions)}")
        samples = []
        for k, c in enumerate(completions):
            i = k // n
            ids = list(c.token_ids)
            logprobs = [float(step[t].logprob) for step, t in zip(c.logprobs or [], ids)]
            if len(logprobs) != len(ids):
                raise RuntimeError(f"vllm engine: prompt {i}: {len(ids)} tokens but {len(logprobs)} logprobs")
            samples.append(
                Sample(
                    prompt_ids=prompt_ids[i],
                    completion_ids=ids,
                    logprobs=logprobs,
                    text=c.text,
                    finish_reason=_finish_reason(c.finish_reason, f"prompt {i}"),
                    weight_version=self.weight_version,
                    prompt_index=i,
                    meta={"engine": "vllm", "logprobs_mode": self.logprobs_mode},
                )
            )
        return samples

    def update_weights(self, version: int, named_tensors: Mapping[str, Any]) -> None:
        weights = [(name, tensor) for name, tensor in named_tensors.items()]

        def load(model: Any) -> None:
            model.load_weights(weights=weights)

        llm = self.llm
        if hasattr(llm, "apply_model"):
            llm.apply_model(load)
        elif hasattr(llm, "collective_rpc"):
            llm.collective_rpc(lambda worker: load(worker.model_runner.model))
        else:  # V0, single process
            load(llm.llm_engine.model_executor.driver_worker.model_runner.model)
        if hasattr(llm, "reset_prefix_cache"):
            llm.reset_prefix_cache()
        self.weight_version = version
