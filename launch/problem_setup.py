"""From the config's problems section to the training stream and the held-out evaluation set.

File sources are read, their kinds resolved and their gold answers checked here, at start-up, so a bad
file stops the run with its line numbers before any model is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reasonrl.problems.curriculum import Curriculum
from reasonrl.problems.mixed_stream import MixedStream
from reasonrl.problems.mixture import Mixture
from reasonrl.problems.sources import FileSource, load_source
from reasonrl.problems.stream import ProblemStream
from reasonrl.problems.types import Problem
from reasonrl.rewards.gold_check import check_source, resolve_kinds
from reasonrl.trainer.evaluation import heldout_set

from .config import FileSourceCfg, RunConfig


def training_families(cfg: RunConfig) -> list[str]:
    mixture = Mixture.parse(cfg.problems.mixture)
    return [f for f, w in zip(mixture.families, mixture.weights, strict=True) if w > 0]


def load_file(src: FileSourceCfg, key: str) -> list[Problem]:
    problems = resolve_kinds(load_source(FileSource(**src.model_dump()), key=key))
    check_source(problems, key)
    return problems


def training_stream(cfg: RunConfig) -> Any:
    """A ProblemStream, or a MixedStream when file sources are configured."""
    p = cfg.problems
    curriculum = Curriculum(training_families(cfg), **p.curriculum.model_dump()) if p.curriculum else None
    generated = (
        ProblemStream(
            p.mixture, difficulty=p.difficulty, curriculum=curriculum, seed=p.seed, answer_format=p.answer_format
        )
        if p.generated_weight > 0
        else None
    )
    if not p.sources:
        return generated
    files = [(_name(src, i), load_file(src, f"problems.sources[{i}]"), src.weight) for i, src in enumerate(p.sources)]
    return MixedStream(generated, files, generated_weight=p.generated_weight, seed=p.seed)


def eval_problems(cfg: RunConfig) -> list[Problem]:
    """Held-out problems: the eval file, or the held-out split of the families (never drawn in training)."""
    ev = cfg.problems.eval
    if ev.file is not None:
        return load_file(ev.file, "problems.eval.file")[: ev.problems]
    families = ev.families or training_families(cfg)
    difficulty = (
        ev.difficulty or cfg.problems.difficulty or (cfg.problems.curriculum.start if cfg.problems.curriculum else 3)
    )
    return heldout_set(families, difficulty, ev.problems, seed=cfg.problems.seed)


def _name(src: FileSourceCfg, index: int) -> str:
    return f"{Path(src.path).stem}-{index}"
