"""Weighted mixtures of families, named or read from a file.

A mixture spec is one of:
- `default` (every registered family, equal weights) or a category name (`algebra`, `puzzles`, ...);
- inline weights, `quadratic:2,sudoku:1`;
- a YAML or JSON file mapping family names to weights.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from pathlib import Path

from .registry import all_families, get_family


@dataclass(frozen=True)
class Mixture:
    families: tuple[str, ...]
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        for name, w in zip(self.families, self.weights):
            get_family(name)
            if not w >= 0:
                raise ValueError(f"mixture weight for {name!r} is {w}; weights must be >= 0")
        if not self.families or sum(self.weights) <= 0:
            raise ValueError("mixture weights are all zero; give at least one family a positive weight")

    @classmethod
    def from_weights(cls, weights: dict[str, float]) -> Mixture:
        names = sorted(weights)
        return cls(tuple(names), tuple(float(weights[n]) for n in names))

    @classmethod
    def parse(cls, spec: str | dict[str, float] | Mixture) -> Mixture:
        if isinstance(spec, Mixture):
            return spec
        if isinstance(spec, dict):
            return cls.from_weights(spec)
        families = all_families()
        categories = sorted({f.category for f in families})
        if spec in ("default", "all"):
            return cls.from_weights({f.name: 1.0 for f in families})
        if spec in categories:
            return cls.from_weights({f.name: 1.0 for f in families if f.category == spec})
        if Path(spec).is_file():
            return cls.from_weights(_read_weights_file(Path(spec)))
        if ":" in spec or spec in {f.name for f in families}:
            return cls.from_weights(_parse_inline(spec))
        raise ValueError(
            f"unknown mixture {spec!r}; give 'default', a category ({', '.join(categories)}), "
            "inline weights like 'quadratic:2,sudoku:1', or a YAML/JSON file of family: weight"
        )

    def cumulative(self) -> list[float]:
        total, out = 0.0, []
        for w in self.weights:
            total += w
            out.append(total)
        return out

    def pick(self, cumulative: list[float], u: float) -> str:
        """The family at uniform draw u in [0, 1), with zero-weight families never chosen."""
        i = bisect.bisect_right(cumulative, u * cumulative[-1])
        return self.families[min(i, len(self.families) - 1)]


def _parse_inline(spec: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for part in spec.split(","):
        name, _, w = part.strip().partition(":")
        try:
            weights[name.strip()] = float(w) if w else 1.0
        except ValueError:
            raise ValueError(f"mixture weight {w!r} for {name!r} is not a number") from None
    return weights


def _read_weights_file(path: Path) -> dict[str, float]:
    text = path.read_text()
    if path.suffix == ".json":
        data = json.loads(text)
    else:
        import yaml

        data = yaml.safe_load(text)
    if not isinstance(data, dict) or not all(isinstance(v, int | float) for v in data.values()):
        raise ValueError(f"mixture file {path} must map family names to numeric weights")
    return data
