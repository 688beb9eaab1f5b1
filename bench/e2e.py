"""Step time of the whole RL loop, by phase, in debug and local topologies, against TRL's GRPOTrainer.

    python bench/e2e.py [--full] [--steps N] [--threads 2] [--learner-ranks 1] [--model DIR | --sft-steps S]

All three runs start from the same warmed-up tiny model (see `prepare_model`: a random-init model earns no
reward, our loop then skips every update while TRL still trains, which would time different work) and train on
the same problems (the stream's first P x steps, seed 0), with the same group size G, completion length L,
learning rate, temperature 1.0, no KL, one update per batch and a constant learning rate:
- ours-debug: `reasonrl.launch.train.run_training`, everything in this process (`topology.mode=debug`);
- ours-local: the same on a local Ray cluster (`topology.mode=local`, learner ranks, one reward worker);
- trl: `GRPOTrainer` (bench/e2e_trl.py).
Torch uses --threads threads in every process. The first step is warm-up and left out of the medians. Our step
run takes one step more than TRL's and leaves it out of timings and rewards: the loop's last step includes the
final held-out evaluation (TRL's never evaluates).

Quick (default): 6 steps, P 4 x G 8, L 64. --full: 11 steps, P 16 x G 8, L 256.
The last line is the headline, `step_time_vs_trl: X` = ours-debug median step time / TRL's (target at most 0.5).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
import yaml
from e2e_trl import DEFAULT_DIFFICULTY, DEFAULT_MIXTURE, bench_problems, prepare_model, run_trl

from reasonrl.launch.config import load_config
from reasonrl.launch.train import run_training

PHASES = ("generate", "score", "advantages", "train", "sync", "step")


def our_overrides(
    model_dir: Path,
    mode: str,
    learner_ranks: int,
    group_size: int,
    problems_per_step: int,
    max_new_tokens: int,
    lr: float,
    steps: int,
    threads: int,
) -> list[str]:
    """The TRL run's settings as our config (bench/e2e_trl.py's `grpo_config` is the other half)."""
    mixture = yaml.safe_dump(DEFAULT_MIXTURE, default_flow_style=True).strip()
    topology = (
        ["topology.mode=debug", "rewards.workers=0"]
        if mode == "debug"
        else ["topology.mode=local", f"topology.learner_ranks={learner_ranks}", "rewards.workers=1"]
    )
    return [
        f"model.path={model_dir}",
        "model.dtype=float32",  # TRL's side loads float32 too
        "rollout.dtype=float32",
        *topology,
        f"topology.torch_threads={threads}",
        "learner.zero_stage=0",
        f"learner.lr={lr}",
        "learner.schedule=constant",
        f"rollout.group_size={group_size}",
        f"rollout.problems_per_step={problems_per_step}",
        f"rollout.sampling.max_new_tokens={max_new_tokens}",
        "rollout.sampling.temperature=1.0",
        f"problems.mixture={mixture}",
        f"problems.difficulty={DEFAULT_DIFFICULTY}",
        "problems.seed=0",
        "problems.eval.problems=4",
        "algorithm.dynamic_sampling=false",
        "algorithm.kl_coef=0.0",
        f"schedule.steps={steps + 1}",  # the extra last step carries the final evaluation; run_ours drops it
        "schedule.eval_every=0",
        "logging.progress=false",
        "logging.tensorboard=false",
    ]


def run_ours(run_dir: Path, overrides: list[str]) -> dict:
    """{"phases": {phase: [seconds per step]}, "rewards": [...], "skipped": n, "wall_s": x}."""
    base = run_dir.parent / f"{run_dir.name}.yaml"
    base.write_text("{}\n")  # every field comes from the overrides
    cfg = load_config(base, overrides)
    start = time.perf_counter()
    result = run_training(cfg, run_dir=run_dir)
    wall = time.perf_counter() - start
    steps = [h for h in result.history if "time/step" in h][:-1]
    phases = {p: [h.get(f"time/{p}", 0.0) for h in steps] for p in PHASES}
    return {
        "phases": phases,
        "rewards": [h["reward/mean"] for h in steps],
        "skipped": int(sum(h.get("train/skipped", 0.0) for h in steps)),
        "wall_s": wall,
    }


def median_after_warmup(values: list[float]) -> float:
    return statistics.median(values[1:] or values)


def print_table(ours: dict[str, dict], trl: dict) -> None:
    names = list(ours)
    print(f"{'median s':>12}" + "".join(f"{n:>12}" for n in [*names, "trl"]))
    for phase in PHASES:
        cells = [f"{median_after_warmup(ours[n]['phases'][phase]):12.3f}" for n in names]
        theirs = f"{trl['median_step_s']:12.3f}" if phase == "step" else f"{'-':>12}"
        print(f"{phase:>12}" + "".join(cells) + theirs)
    for name, run in {**ours, "trl": trl}.items():
        rewards = " ".join(f"{r:.3f}" for r in run["rewards"])
        print(f"reward per step {name:>10}: {rewards}  (after {len(run['rewards'])} steps: {run['rewards'][-1]:.3f})")
    for name, run in ours.items():
        print(
            f"{name}: {run['skipped']} steps skipped the update (no group with signal); run wall {run['wall_s']:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="11 steps, P 16 x G 8, L 256")
    parser.add_argument("--steps", type=int, help="steps per run, the first one warm-up (default 6, --full 11)")
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--threads", type=int, default=2, help="torch threads in every process")
    parser.add_argument("--learner-ranks", type=int, default=1, help="learner ranks of the local topology")
    parser.add_argument("--model", type=Path, help="a warmed-up model folder (skips the warm-up)")
    parser.add_argument("--sft-steps", type=int, default=100, help="warm-up steps when --model is not given")
    args = parser.parse_args()
    steps = args.steps or (11 if args.full else 6)
    problems_per_step, group_size, max_new = (16, 8, 256) if args.full else (4, 8, 64)
    if steps < 2:
        parser.error("--steps must be at least 2 (the first step is warm-up)")
    torch.set_num_threads(args.threads)
    print(
        f"e2e bench: {'full' if args.full else 'quick'}, {steps} steps, P {problems_per_step} x G {group_size}, "
        f"L {max_new}, lr {args.lr}, torch threads {args.threads}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        model_dir = args.model or prepare_model(tmp_dir / "model", args.sft_steps, DEFAULT_MIXTURE, DEFAULT_DIFFICULTY)
        shape = (group_size, problems_per_step, max_new, args.lr, steps, args.threads)
        # TRL first: our debug run leaves a torch.distributed group in this process, and accelerate would then
        # wrap TRL's model in DDP (an extra autograd traversal per step) although the world has one rank.
        problems = bench_problems(DEFAULT_MIXTURE, DEFAULT_DIFFICULTY, problems_per_step * steps)
        trl = run_trl(model_dir, problems, *shape)
        print("trl done", flush=True)
        ours = {}
        for mode in ("debug", "local"):
            overrides = our_overrides(model_dir, mode, args.learner_ranks, *shape)
            ours[f"ours-{mode}"] = run_ours(tmp_dir / f"run-{mode}", overrides)
            print(f"ours-{mode} done", flush=True)
    print_table(ours, trl)
    ratio = median_after_warmup(ours["ours-debug"]["phases"]["step"]) / trl["median_step_s"]
    print(f"step_time_vs_trl: {ratio:.3f}  (ours-debug median step / TRL median step; lower is better)")


if __name__ == "__main__":
    main()
