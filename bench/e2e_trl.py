"""TRL's GRPOTrainer on the settings of one reasonrl run: the peer side of bench/e2e.py.

    python bench/e2e_trl.py [--steps 6] [--group-size 8] [--problems-per-step 4] [--max-new-tokens 64] [--threads 2]
                            [--model DIR | --sft-steps 100]

One TRL optimizer step consumes the same work as one of ours: P problems x G samples generated in that step
(`steps_per_generation=1`, `per_device_train_batch_size=P*G`, no gradient accumulation), one policy update on them
(`num_iterations=1`), token-mean loss (`loss_type="dapo"`), clip 0.2 / 0.28, no KL, group-std advantages, constant
learning rate, no gradient checkpointing (TRL turns it on by default; our learner does not), KV cache on in
generation (see `grpo_config`). Prompts go in TRL's conversational format, so TRL applies the same chat template
our engine applies, in the stream's order (no shuffle).
The reward is reasonrl's `verify` correctness (1.0 or 0.0), as our default shaping gives.

A step's time runs from `on_step_begin` to `on_step_end`: generation, reward, log-probabilities, backward and the
optimizer step. The reward per step is the `reward` TRL logs at that step (mean over its P*G samples).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
from trl import GRPOConfig, GRPOTrainer

from reasonrl.launch.tiny_model import init_model
from reasonrl.problems.stream import ProblemStream
from reasonrl.problems.types import Answer, Problem
from reasonrl.rewards import verify
from reasonrl.trainer.sft import sft

# Easy families with worked solutions (`reasonrl sft`'s defaults): a briefly warmed tiny model earns some reward.
DEFAULT_MIXTURE = {"int_expression": 1.0, "modular": 1.0, "linear_equation": 1.0, "gcd_lcm": 1.0}
DEFAULT_DIFFICULTY = 1
SFT_SEED = 1  # warm-up problems come from another seed than the bench's, so RL never sees a memorised prompt
CLIP_LOW, CLIP_HIGH = 0.2, 0.28  # reasonrl's algorithm defaults


def bench_problems(mixture: dict[str, float], difficulty: int, count: int, seed: int = 0) -> list[Problem]:
    """The first `count` problems of the stream our training loop draws from (same mixture, difficulty, seed)."""
    return ProblemStream(mixture=mixture, difficulty=difficulty, seed=seed).take(count)


def prepare_model(out: Path, sft_steps: int, mixture: dict[str, float], difficulty: int) -> Path:
    """The tiny model after `sft_steps` of supervised warm-up. A random-init model earns reward 0 on every sample,
    so every group is all-wrong: reasonrl skips the update of such a step while TRL still runs its backward, and
    the comparison would time different work."""
    init_model(out / "init", size="tiny", seed=0)
    if sft_steps == 0:
        return out / "init"
    problems = ProblemStream(mixture=mixture, difficulty=difficulty, seed=SFT_SEED).take(32 * sft_steps)
    sft(str(out / "init"), out / "sft", problems, sft_steps, lr=1e-3, batch_size=32, progress=False)
    return out / "sft"


def problems_dataset(problems: list[Problem]) -> Dataset:
    """Conversational prompts plus the gold answer; spec as JSON because its keys differ across families."""
    return Dataset.from_list(
        [
            {
                "prompt": [{"role": "user", "content": p.prompt}],
                "answer_kind": p.answer.kind,
                "answer_value": p.answer.value,
                "answer_latex": p.answer.latex,
                "answer_spec": json.dumps(p.answer.spec),
            }
            for p in problems
        ]
    )


def correctness_reward(
    completions: list[Any],
    answer_kind: list[str],
    answer_value: list[str],
    answer_latex: list[str],
    answer_spec: list[str],
    **_: Any,
) -> list[float]:
    """TRL reward function: the extra dataset columns arrive as per-sample lists; TRL passes more kwargs we ignore."""
    rewards = []
    for completion, kind, value, latex, spec in zip(completions, answer_kind, answer_value, answer_latex, answer_spec):
        text = completion[-1]["content"] if isinstance(completion, list) else completion
        gold = Answer(kind=kind, value=value, latex=latex, spec=json.loads(spec))
        rewards.append(verify(gold, text).score)
    return rewards


class StepTimer(TrainerCallback):
    """Wall time of each optimizer step and the reward TRL logs for it."""

    def __init__(self) -> None:
        self.step_times: list[float] = []
        self.rewards: list[float] = []
        self._start = 0.0

    def on_step_begin(self, args, state, control, **kwargs):  # noqa: ANN001, ANN003, ANN201
        self._start = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):  # noqa: ANN001, ANN003, ANN201
        self.step_times.append(time.perf_counter() - self._start)

    def on_log(self, args, state, control, logs=None, **kwargs):  # noqa: ANN001, ANN003, ANN201
        if logs and "reward" in logs:
            self.rewards.append(float(logs["reward"]))


def grpo_config(
    out: Path, group_size: int, problems_per_step: int, max_new_tokens: int, lr: float, steps: int
) -> GRPOConfig:
    return GRPOConfig(
        output_dir=str(out),
        num_generations=group_size,
        per_device_train_batch_size=problems_per_step * group_size,
        gradient_accumulation_steps=1,
        steps_per_generation=1,
        max_completion_length=max_new_tokens,
        learning_rate=lr,
        lr_scheduler_type="constant",
        warmup_steps=0,
        weight_decay=0.0,
        max_grad_norm=1.0,
        temperature=1.0,
        top_p=1.0,
        top_k=0,
        beta=0.0,
        num_iterations=1,
        epsilon=CLIP_LOW,
        epsilon_high=CLIP_HIGH,
        loss_type="dapo",
        scale_rewards="group",
        gradient_checkpointing=False,
        shuffle_dataset=False,
        use_cpu=True,
        bf16=False,
        fp16=False,
        use_vllm=False,
        # transformers 5.x's Trainer sets model.config.use_cache = args.use_cache (default False) and TRL's generation
        # config leaves use_cache unset, so without this every decode step re-runs the whole sequence.
        generation_kwargs={"use_cache": True},
        report_to=[],
        logging_steps=1,
        save_strategy="no",
        max_steps=steps,
        disable_tqdm=True,
        dataloader_num_workers=0,
        seed=0,
    )


def run_trl(
    model_dir: Path,
    problems: list[Problem],
    group_size: int,
    problems_per_step: int,
    max_new_tokens: int,
    lr: float,
    steps: int,
    threads: int,
) -> dict:
    """Train with TRL's GRPOTrainer; {"step_times", "rewards", "median_step_s"} (median skips the first step)."""
    if len(problems) < problems_per_step * steps:
        raise ValueError(f"run_trl needs problems_per_step * steps = {problems_per_step * steps} problems")
    torch.set_num_threads(threads)
    timer = StepTimer()
    with tempfile.TemporaryDirectory() as out:
        trainer = GRPOTrainer(
            model=AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32),
            reward_funcs=correctness_reward,
            args=grpo_config(Path(out), group_size, problems_per_step, max_new_tokens, lr, steps),
            train_dataset=problems_dataset(problems[: problems_per_step * steps]),
            processing_class=AutoTokenizer.from_pretrained(model_dir),
            callbacks=[timer],
        )
        trainer.train()
    timed = timer.step_times[1:] or timer.step_times
    return {"step_times": timer.step_times, "rewards": timer.rewards, "median_step_s": statistics.median(timed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--problems-per-step", type=int, default=4)
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", type=Path, help="a warmed-up model folder (skips the warm-up)")
    parser.add_argument("--sft-steps", type=int, default=100, help="warm-up steps when --model is not given")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    problems = bench_problems(DEFAULT_MIXTURE, DEFAULT_DIFFICULTY, args.problems_per_step * args.steps)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model or prepare_model(Path(tmp), args.sft_steps, DEFAULT_MIXTURE, DEFAULT_DIFFICULTY)
        result = run_trl(
            model_dir,
            problems,
            args.group_size,
            args.problems_per_step,
            args.max_new_tokens,
            args.lr,
            args.steps,
            args.threads,
        )
    print("step times (s):", " ".join(f"{t:.2f}" for t in result["step_times"]))
    print("rewards:", " ".join(f"{r:.3f}" for r in result["rewards"]))
    print(f"trl_median_step_s: {result['median_step_s']:.3f}")


if __name__ == "__main__":
    main()
