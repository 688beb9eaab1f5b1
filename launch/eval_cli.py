"""`reasonrl eval`: held-out pass@1, pass@k and maj@k of a model folder, a hub model or a training run."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from .errors import user_errors

DEFAULT_DIFFICULTY = 3  # the run config's default problems.difficulty


@dataclass
class _Target:
    """What MODEL_OR_RUN names: a loadable model, or a run checkpoint to export first, plus the run's config."""

    model: str | None = None
    checkpoint: Path | None = None
    run_config: dict[str, Any] = field(default_factory=dict)


def eval_cmd(
    model_or_run: Annotated[
        str,
        typer.Argument(
            metavar="MODEL_OR_RUN", help="a Hugging Face model folder or hub name, or a run folder (runs/NAME)"
        ),
    ],
    families: Annotated[
        str | None, typer.Option(metavar="A,B", help="comma-separated families; default: the run's, else every family")
    ] = None,
    difficulty: Annotated[
        list[str] | None,
        typer.Option(
            metavar="LEVEL[,LEVEL]",
            help=f"level(s) 1..10, repeatable or comma list; default: the run's, else {DEFAULT_DIFFICULTY}",
        ),
    ] = None,
    problems: Annotated[int, typer.Option(help="held-out problems in all, spread over families and levels")] = 64,
    n: Annotated[int, typer.Option("--n", help="samples per problem")] = 4,
    k: Annotated[int, typer.Option("--k", help="k of pass@k and maj@k (at most --n)")] = 4,
    temperature: Annotated[float, typer.Option(help="sampling temperature (0: greedy)")] = 1.0,
    max_new_tokens: Annotated[int, typer.Option(help="completion length limit in tokens")] = 256,
    seed: Annotated[int, typer.Option(help="seed of the held-out set and of sampling")] = 0,
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the full result as JSON here")] = None,
    workers: Annotated[int, typer.Option(help="reward pool processes (0: score in this process)")] = 0,
) -> None:
    """Sample --n completions for each held-out problem and report pass@1, pass@k and maj@k per family and level."""
    with user_errors():
        _check_numbers(problems, n, k, temperature, max_new_tokens, workers)
        target = _resolve(model_or_run)
        family_names = _families(families, target.run_config)
        levels = _difficulties(difficulty, target.run_config)
    from rich.console import Console
    from transformers.utils import logging as hf_logging

    from reasonrl.trainer.eval_report import render_table, write_json

    hf_logging.disable_progress_bar()
    result = _run(target, family_names, levels, problems, n, k, temperature, max_new_tokens, seed, workers)
    result.meta.update(
        model=model_or_run,
        families=family_names,
        difficulties=levels,
        temperature=temperature,
        max_new_tokens=max_new_tokens,
        seed=seed,
    )
    Console().print(render_table(result))
    if json_out is not None:
        typer.echo(f"wrote {write_json(result, json_out)}")
    typer.echo(f"pass@1: {100 * result.accuracy:.1f}%")


def _check_numbers(problems: int, n: int, k: int, temperature: float, max_new_tokens: int, workers: int) -> None:
    if problems < 1:
        raise ValueError(f"--problems {problems} must be >= 1")
    if n < 1:
        raise ValueError(f"--n {n} must be >= 1 (samples per problem)")
    if not 1 <= k <= n:
        raise ValueError(f"--k {k} must be between 1 and --n ({n}); pass@k needs at least k samples per problem")
    if temperature < 0:
        raise ValueError(f"--temperature {temperature} must be >= 0 (0 is greedy)")
    if max_new_tokens < 1:
        raise ValueError(f"--max-new-tokens {max_new_tokens} must be >= 1")
    if workers < 0:
        raise ValueError(f"--workers {workers} must be >= 0 (0 scores in this process)")


def _looks_like_path(name: str) -> bool:
    """A hub name is `name` or `org/name`; anything else can only have meant a local folder."""
    return name.startswith(("/", ".", "~")) or name.count("/") > 1 or "\\" in name


def _resolve(model_or_run: str) -> _Target:
    path = Path(model_or_run).expanduser()
    if path.is_dir():
        if (path / "config.yaml").is_file():
            return _resolve_run(path)
        if (path / "config.json").is_file():
            return _Target(model=str(path))
        raise ValueError(
            f"MODEL_OR_RUN {path} has neither config.yaml (a run folder) nor config.json (a Hugging Face model folder)"
        )
    if path.exists() or _looks_like_path(model_or_run):
        raise ValueError(f"MODEL_OR_RUN {path}: no such folder; pass a model folder, a run folder or a hub name")
    from transformers import AutoConfig

    try:
        AutoConfig.from_pretrained(model_or_run)
    except (OSError, ValueError) as e:
        raise ValueError(
            f"MODEL_OR_RUN {model_or_run!r}: no such folder here, and not loadable from the Hugging Face hub "
            f"({str(e).splitlines()[0]})"
        ) from None
    return _Target(model=model_or_run)


def _resolve_run(run: Path) -> _Target:
    """A run's exported `hf/` when present, else its newest checkpoint that verifies (exported before use)."""
    import yaml

    from reasonrl.trainer.checkpoint import CheckpointError, resolve_checkpoint

    try:
        config = yaml.safe_load((run / "config.yaml").read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ValueError(f"MODEL_OR_RUN {run}: config.yaml is not valid YAML ({e})") from None
    if not isinstance(config, dict):
        raise ValueError(f"MODEL_OR_RUN {run}: config.yaml holds no mapping; is this a run folder?")
    if ((run / "hf") / "config.json").is_file():
        return _Target(model=str(run / "hf"), run_config=config)
    try:
        checkpoint = resolve_checkpoint(run, None)
    except CheckpointError as e:
        raise ValueError(f"MODEL_OR_RUN {run}: {e}") from None
    except ValueError as e:
        raise ValueError(f"MODEL_OR_RUN {run}: no hf/ export and {e}") from None
    return _Target(checkpoint=checkpoint, run_config=config)


def _section(config: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        value = config.get(key)
        config = value if isinstance(value, dict) else {}
    return config


def _families(option: str | None, run_config: dict[str, Any]) -> list[str]:
    from reasonrl.problems.mixture import Mixture
    from reasonrl.problems.registry import all_families, get_family

    if option is not None:
        names = [name.strip() for name in option.split(",") if name.strip()]
        if not names:
            raise ValueError("--families is empty; give comma-separated family names (see `reasonrl problems list`)")
        for name in names:
            try:
                get_family(name)
            except ValueError as e:
                raise ValueError(f"--families: {e}") from None
        return list(dict.fromkeys(names))
    problems = _section(run_config, "problems")
    if eval_families := _section(problems, "eval").get("families"):
        return [str(name) for name in eval_families]
    if "mixture" in problems:
        try:
            mixture = Mixture.parse(problems["mixture"])
        except ValueError as e:
            raise ValueError(f"config.yaml problems.mixture: {e}; or pass --families") from None
        return [f for f, w in zip(mixture.families, mixture.weights) if w > 0]
    return [f.name for f in all_families()]


def _difficulties(option: Sequence[str] | None, run_config: dict[str, Any]) -> list[int]:
    from reasonrl.problems.registry import check_difficulty

    if option:
        levels: list[int] = []
        for part in (p.strip() for value in option for p in value.split(",")):
            try:
                level = int(part)
                check_difficulty(level)
            except ValueError:
                raise ValueError(f"--difficulty {part!r} is not a level; give integers 1..10, e.g. 3 or 2,4") from None
            levels.append(level)
        return list(dict.fromkeys(levels))
    problems = _section(run_config, "problems")
    level = _section(problems, "eval").get("difficulty") or problems.get("difficulty") or DEFAULT_DIFFICULTY
    if not isinstance(level, int):
        raise ValueError(f"config.yaml problems.difficulty {level!r} is not an integer level; or pass --difficulty")
    return [level]


def _run(
    target: _Target,
    families: list[str],
    levels: list[int],
    count: int,
    n: int,
    k: int,
    temperature: float,
    max_new_tokens: int,
    seed: int,
    workers: int,
) -> Any:
    from reasonrl.rewards.pool import RewardPool
    from reasonrl.rollout.engine_hf import TransformersEngine
    from reasonrl.rollout.group import LocalRolloutGroup
    from reasonrl.rollout.types import SamplingParams
    from reasonrl.trainer.evaluation import evaluate, heldout_set

    rollout_cfg = _section(target.run_config, "rollout")
    held_out = heldout_set(families, levels, count, seed)
    sampling = SamplingParams(temperature=temperature, max_new_tokens=max_new_tokens, seed=seed)
    with tempfile.TemporaryDirectory(prefix="reasonrl-eval-") as tmp:
        model = target.model
        if model is None:
            from reasonrl.trainer.export import export_hf

            model = str(export_hf(target.checkpoint, Path(tmp) / "model"))
        factory = partial(
            TransformersEngine,
            model,
            system_prompt=rollout_cfg.get("system_prompt"),
            use_chat_template=rollout_cfg.get("use_chat_template", True),
            seed=seed,
        )
        rollout = LocalRolloutGroup(factory, num_workers=1, seed=seed)
        with RewardPool(num_workers=workers) as pool:
            return evaluate(rollout, held_out, sampling, n, k, pool.score)
