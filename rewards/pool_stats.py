"""Reward pool counters and per-kind latency quantiles, in constant memory however many items pass."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .types import NO_ANSWER, PARSE_ERROR, REFUSED, TIMEOUT, Verdict
from .user import USER_ERROR

_RATIO = 1.03  # bucket width: quantiles are exact to about 1.5 %
_FLOOR_MS = 1e-3


@dataclass
class LatencyHistogram:
    """Log-spaced buckets of milliseconds; quantiles from the counts, never from a list of samples."""

    counts: Counter = field(default_factory=Counter)
    n: int = 0
    max_ms: float = 0.0

    def add(self, ms: float) -> None:
        self.counts[math.floor(math.log(max(ms, _FLOOR_MS) / _FLOOR_MS, _RATIO))] += 1
        self.n += 1
        self.max_ms = max(self.max_ms, ms)

    def quantile(self, q: float) -> float:
        if self.n == 0:
            return math.nan
        rank = max(1, math.ceil(q * self.n))
        seen = 0
        for bucket in sorted(self.counts):
            seen += self.counts[bucket]
            if seen >= rank:
                return min(_FLOOR_MS * _RATIO ** (bucket + 0.5), self.max_ms)
        return self.max_ms


@dataclass
class PoolStats:
    items: int = 0
    worker_deaths: int = 0  # processes that died on their own (out of memory, crash), not the ones we killed
    worker_starts: int = 0
    resubmitted: int = 0  # items sent again because their worker died under them
    pool_restarts: int = 0  # times the fork server was found dead and started again
    deaths_by_slot: Counter = field(default_factory=Counter)  # "reward-1" -> deaths, so a sick slot can be named
    by_reason: Counter = field(default_factory=Counter)
    latency: dict[str, LatencyHistogram] = field(default_factory=dict)
    startup_s: float | None = None  # from pool creation until every first worker was ready

    def record(self, label: str, verdict: Verdict, seconds: float | None) -> None:
        self.items += 1
        self.by_reason[verdict.reason] += 1
        if seconds is not None:
            self.latency.setdefault(label, LatencyHistogram()).add(seconds * 1e3)

    def record_death(self, slot: str) -> None:
        self.worker_deaths += 1
        self.deaths_by_slot[slot] += 1

    def snapshot(self) -> dict[str, Any]:
        reasons = self.by_reason
        return {
            "items": self.items,
            "timeouts": reasons[TIMEOUT],
            "worker_deaths": self.worker_deaths,
            "worker_starts": self.worker_starts,
            "deaths_by_slot": dict(sorted(self.deaths_by_slot.items())),
            "resubmitted": self.resubmitted,
            "pool_restarts": self.pool_restarts,
            "refusals": sum(n for r, n in reasons.items() if r.startswith(REFUSED)),
            "parse_errors": reasons[PARSE_ERROR],
            "no_answer": reasons[NO_ANSWER],
            "user_errors": reasons[USER_ERROR],
            "by_reason": dict(reasons),
            "latency_ms": {
                kind: {"n": h.n, "p50": h.quantile(0.5), "p99": h.quantile(0.99), "max": h.max_ms}
                for kind, h in sorted(self.latency.items())
            },
            "startup_s": self.startup_s,
        }
