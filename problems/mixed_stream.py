"""Generated families and user data files in one endless, resumable stream, mixed by weight.

Position p picks its source from a hash of (seed, p) and the source weights. A file
source walks its rows in a fresh seeded permutation each epoch (from seed, name and
epoch), so every row is seen once per epoch in a random order. The generated source
is a `ProblemStream` drawn in turn. Which problem comes at position p is therefore a
function of the seed and the per-source draw counts, and saving the counts (plus the
generated stream's own state) restores the stream exactly.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator, Sequence
from typing import Any

from .curriculum import Curriculum
from .seeding import hash64
from .stream import ProblemStream
from .types import Problem

GENERATED = "generated"


class MixedStream:
    """Same interface as ProblemStream for the trainer: `take`, `__next__`, `state_dict`, `curriculum`, `drawn`."""

    def __init__(
        self,
        generated: ProblemStream | None,
        files: Sequence[tuple[str, list[Problem], float]],
        generated_weight: float = 1.0,
        seed: int = 0,
    ):
        _check_weight(GENERATED, generated_weight)
        if generated is None and generated_weight > 0:
            raise ValueError(
                f"generated_weight is {generated_weight} but there is no generated stream; set it to 0 "
                "or configure a generated mixture"
            )
        names = [GENERATED]
        for name, problems, weight in files:
            if not isinstance(name, str) or not name or name in names:
                raise ValueError(
                    f"file source name {name!r} must be a non-empty string used once (and not {GENERATED!r})"
                )
            if not problems:
                raise ValueError(f"file source {name!r} has no problems; remove it or point it at a file with rows")
            _check_weight(name, weight)
            names.append(name)
        weights = [float(generated_weight)] + [float(w) for _, _, w in files]
        if sum(weights) <= 0:
            raise ValueError("all source weights are 0; give the generated mixture or a file source a positive weight")
        self.generated, self.seed = generated, seed
        self.names = names
        self.files = {name: list(problems) for name, problems, _ in files}
        self.weights = dict(zip(names, weights))
        self._cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.counts = dict.fromkeys(names, 0)
        self.drawn = 0
        self._orders: dict[str, tuple[int, list[int]]] = {}

    @property
    def curriculum(self) -> Curriculum | None:
        return self.generated.curriculum if self.generated is not None else None

    def source_at(self, position: int) -> str:
        """The source drawn at `position`; zero-weight sources are never chosen."""
        u = hash64(f"mixsrc|{self.seed}|{position}") / 2**64
        i = bisect.bisect_right(self._cumulative, u * self._cumulative[-1])
        return self.names[min(i, len(self.names) - 1)]

    def file_row(self, name: str, k: int) -> Problem:
        """The k-th draw from file source `name`: row order[k % n] of epoch k // n."""
        problems = self.files[name]
        epoch, i = divmod(k, len(problems))
        cached = self._orders.get(name)
        if cached is None or cached[0] != epoch:
            order = list(range(len(problems)))
            random.Random(hash64(f"file|{self.seed}|{name}|{epoch}")).shuffle(order)
            cached = self._orders[name] = (epoch, order)
        return problems[cached[1][i]]

    def __iter__(self) -> Iterator[Problem]:
        return self

    def __next__(self) -> Problem:
        name = self.source_at(self.drawn)
        problem = next(self.generated) if name == GENERATED else self.file_row(name, self.counts[name])
        self.counts[name] += 1
        self.drawn += 1
        return problem

    def take(self, n: int) -> list[Problem]:
        return [next(self) for _ in range(n)]

    def state_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "drawn": self.drawn,
            "counts": dict(self.counts),
            "sizes": {name: len(problems) for name, problems in self.files.items()},
            "generated": self.generated.state_dict() if self.generated is not None else None,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore the counters; refuses a state from another seed, other sources, or files whose row counts changed
        (the per-epoch permutations would differ, so resume would not draw the same problems)."""
        if state["seed"] != self.seed:
            raise ValueError(f"stream state is for seed {state['seed']}, this stream has seed {self.seed}")
        if set(state["counts"]) != set(self.counts):
            raise ValueError(
                f"stream state has sources {sorted(state['counts'])}, this stream has {sorted(self.counts)}"
            )
        sizes = {name: len(problems) for name, problems in self.files.items()}
        if changed := {n: (state["sizes"][n], sizes[n]) for n in sizes if state["sizes"][n] != sizes[n]}:
            raise ValueError(
                f"file sources changed row counts since the checkpoint (saved, now): {changed}; "
                "restore those files or start a new run"
            )
        if (state["generated"] is None) != (self.generated is None):
            raise ValueError("stream state and this stream disagree on whether there is a generated stream")
        if self.generated is not None:
            self.generated.load_state_dict(state["generated"])
        self.counts = dict(state["counts"])
        self.drawn = state["drawn"]


def _check_weight(name: str, weight: float) -> None:
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight < 0:
        raise ValueError(f"weight for source {name!r} is {weight!r}; weights must be finite numbers >= 0")
