"""`reasonrl train`: validate, preflight, build the topology, run the loop, export and plot.

Everything that can be wrong with the config, the problem files or the grader is found before a model is
loaded; everything started is shut down on the way out, whatever happened.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from reasonrl.rewards.shaping import ShapingConfig
from reasonrl.trainer.checkpoint import CheckpointManager
from reasonrl.trainer.export import export_hf
from reasonrl.trainer.fault_watch import FaultLimits, FaultWatch
from reasonrl.trainer.loop import LoopConfig, RLLoop, RunInterrupted
from reasonrl.trainer.progress import RunProgress
from reasonrl.trainer.run_log import RunLogger
from reasonrl.trainer.scoring import RewardSpec

from . import topology
from .config import RunConfig, save_config, to_sampling, to_shaping
from .exit_codes import EXIT_PREEMPTED, exit_code_for
from .plots import plot_run
from .preflight import run_preflight
from .problem_setup import eval_problems, training_families, training_stream
from .run_hooks import RunHooks
from .stop_signals import stop_on_signals


@dataclass
class TrainResult:
    run_dir: Path
    history: list[dict[str, float]] = field(default_factory=list)
    hf_dir: Path | None = None
    plots: list[Path] = field(default_factory=list)
    interrupted_at: int | None = None  # the step a stop request ended the run after (checkpointed)
    exit_code: int = 0  # launch/exit_codes.py: how the run ended
    stopped: str | None = None  # why a run stopped before its last step

    def eval_accuracy(self) -> tuple[float | None, float | None]:
        """Held-out pass@1 at the first and the last evaluation of this run."""
        evals = [m["eval/pass@1"] for m in self.history if "eval/pass@1" in m]
        return (evals[0], evals[-1]) if evals else (None, None)


def run_dir_for(cfg: RunConfig, config_name: str = "run") -> Path:
    name = cfg.logging.name or f"{config_name}-{time.strftime('%Y%m%d-%H%M%S')}"
    return Path(cfg.logging.run_dir) / name


def loop_config(cfg: RunConfig) -> LoopConfig:
    return LoopConfig(
        steps=cfg.schedule.steps,
        problems_per_step=cfg.rollout.problems_per_step,
        group_size=cfg.rollout.group_size,
        sampling=to_sampling(cfg),
        advantage=cfg.algorithm.advantage,
        rewards=RewardSpec(to_shaping(cfg), tuple(cfg.rewards.user), _format_anchor(cfg, to_shaping(cfg))),
        dynamic_sampling=cfg.algorithm.dynamic_sampling,
        max_extra_draws=cfg.algorithm.max_extra_draws,
        staleness=cfg.algorithm.staleness,
        eval_every=cfg.schedule.eval_every,
        checkpoint_every=cfg.schedule.checkpoint_every,
        seed=cfg.seed,
    )


@dataclass
class Prepared:
    """What start-up checks produced: the run may begin."""

    cfg: RunConfig
    run_dir: Path
    resume: bool
    stream: Any
    heldout: list[Any]


def prepare(cfg: RunConfig, run_dir: Path, resume: bool = False, console: Console | None = None) -> Prepared:
    """Every check that needs no model: run folder, problem files, held-out set, versions, grader self-check."""
    console = console or Console()
    run_dir = Path(run_dir)
    _check_run_dir(run_dir, resume)
    stream, heldout = training_stream(cfg), eval_problems(cfg)
    if cfg.problems.generated_weight > 0:
        level = cfg.problems.difficulty or 1
        run_preflight(training_families(cfg), level, console, answer_format=cfg.problems.answer_format)
    return Prepared(cfg, run_dir, resume, stream, heldout)


def run_training(
    cfg: RunConfig, run_dir: Path | None = None, resume: bool = False, console: Console | None = None
) -> TrainResult:
    console = console or Console()
    return execute(prepare(cfg, Path(run_dir or run_dir_for(cfg)), resume, console), console)


def execute(prep: Prepared, console: Console) -> TrainResult:
    """Runs the loop; a failure the run can stop on cleanly (launch/exit_codes.py) comes back as a result with its
    exit code, after everything started is shut down; anything else is raised."""
    cfg, run_dir = prep.cfg, prep.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    save_config(cfg, run_dir / "config.yaml")
    history: list[dict[str, float]] = []
    parts = topology.build(cfg)
    try:
        _run_loop(prep, parts, history, console)
    except RunInterrupted as stop:
        console.print(f"stopped after step {stop.step}; continue with --resume --run-dir {run_dir}")
        return TrainResult(run_dir, history, interrupted_at=stop.step, exit_code=EXIT_PREEMPTED)
    except Exception as err:
        code = exit_code_for(err)
        if code is None:
            raise
        console.print(f"[red]run stopped:[/] {err}")
        console.print(f"{_newest_checkpoint(run_dir)}; continue with --resume --run-dir {run_dir}")
        return TrainResult(run_dir, history, exit_code=code, stopped=str(err))
    finally:
        parts.shutdown()
    result = TrainResult(run_dir, history)
    result.hf_dir = export_hf(CheckpointManager(run_dir).latest_valid()[1], run_dir / "hf")
    result.plots = plot_run(run_dir)
    return result


def _run_loop(prep: Prepared, parts: Any, history: list[dict[str, float]], console: Console) -> None:
    cfg, run_dir = prep.cfg, prep.run_dir
    start_step, policy_version = _restore(run_dir, parts, prep.stream, console) if prep.resume else (0, 0)
    logger = RunLogger(
        run_dir,
        tensorboard=cfg.logging.tensorboard,
        wandb=cfg.logging.wandb,
        wandb_project=cfg.logging.wandb_project,
        wandb_mode=cfg.logging.wandb_mode,
        config=cfg.model_dump(mode="json"),
        run_name=run_dir.name,
        resume=prep.resume,
    )
    if prep.resume:
        logger.truncate_after(start_step + 1)  # drops steps this run will redo; keeps the checkpointed one
    faults = fault_watch(cfg, parts, run_dir)
    with logger, RunProgress(cfg.schedule.steps, start_step, console, enabled=cfg.logging.progress) as progress:
        hooks = RunHooks(cfg, run_dir, parts, prep.heldout, logger, progress, faults, history)
        loop = RLLoop(
            loop_config(cfg),
            parts.rollout,
            parts.learner,
            parts.pool.score,
            prep.stream,
            hooks,
            start_step=start_step,
            policy_version=policy_version,
            faults=faults,
        )
        with stop_on_signals(loop.request_stop, console.print):
            loop.run()


def fault_watch(cfg: RunConfig, parts: Any, run_dir: Path) -> FaultWatch:
    limits = FaultLimits(cfg.faults.max_worker_deaths, cfg.faults.window_steps, cfg.faults.max_nonfinite_in_a_row)
    sources = {
        "rollout": lambda: parts.rollout.stats().get("restarts_by_worker", {}),
        "reward": lambda: parts.pool.stats().get("deaths_by_slot", {}),
    }
    counters = {"reward_resubmitted": lambda: parts.pool.stats().get("resubmitted", 0)}
    return FaultWatch(limits, sources, run_dir, counters)


def _newest_checkpoint(run_dir: Path) -> str:
    steps = CheckpointManager(run_dir).list()
    return f"the newest checkpoint is step {steps[-1]}" if steps else "no checkpoint was written"


def _check_run_dir(run_dir: Path, resume: bool) -> None:
    has_checkpoints = bool(CheckpointManager(run_dir).list())
    if resume and not has_checkpoints:
        raise ValueError(f"--resume: {run_dir} has no checkpoints; start it without --resume")
    if not resume and (run_dir / "metrics.jsonl").exists():
        raise ValueError(f"{run_dir} already holds a run; pass --resume to continue it or set logging.name")


def _restore(run_dir: Path, parts: Any, stream: Any, console: Console) -> tuple[int, int]:
    manager = CheckpointManager(run_dir)
    step, path = manager.latest_valid()
    state: dict[str, Any] = manager.load_driver_state(path)
    parts.learner.load(path)
    stream.load_state_dict(state["stream"])
    console.print(f"resumed from {path} (step {step})")
    return int(state["step"]), int(state["policy_version"])


def _format_anchor(cfg: RunConfig, shaping: ShapingConfig) -> str | None:
    return cfg.problems.answer_format if shaping.format_reward else None
