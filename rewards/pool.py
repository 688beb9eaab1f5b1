"""The reward pool: worker processes that score completions with a CPU-time budget and a memory cap.

The parent never trusts a worker to stop: it reads each busy worker's CPU time (not wall time, so an
overloaded node does not turn correct answers into timeouts) and SIGKILLs a worker over budget; a
wall-clock backstop catches one stuck in a blocking call. Killed or dead workers are replaced. An item
over budget scores 0 (`timeout`); an item whose worker died under it (OOM killer, an operator's kill, a
dead fork server) is resubmitted up to `item_retries` times, since the death may have nothing to do with
the item, and scores 0 (`worker_died`) only if it keeps killing workers. Every wait has a timeout, so
`score` cannot hang.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait
from typing import Any

from .pool_items import ScoreItem, is_valid, kind_label, score_item
from .pool_stats import PoolStats
from .pool_worker import READY, Worker
from .types import BAD_INPUT, DEFAULT_LIMITS, TIMEOUT, WORKER_DIED, Limits, Verdict
from .user import portable_ref

__all__ = ["RewardPool", "ScoreItem"]

log = logging.getLogger(__name__)

# Imported once by the fork server: it loads and warms the verifier, so a new or replacement worker
# is a fork of a warm process and starts in milliseconds.
PRELOAD = ["reasonrl.rewards.pool_preload"]
START_TIMEOUT_S = 120.0
MAX_START_FAILURES = 3
SPAWN_ATTEMPTS = 5  # a fork server killed a moment ago refuses connections until it is reaped and relaunched


class RewardPool:
    """Scores `ScoreItem`s in worker processes; `score` keeps the input order.

    `num_workers=0` is the single-process debug mode: the same API and counters, scored inline with
    no isolation (no timeout, no memory cap). Not thread-safe: one `score` at a time.
    """

    def __init__(
        self,
        num_workers: int | None = None,
        timeout_s: float = 5.0,
        memory_mb: int = 2048,
        limits: Limits = DEFAULT_LIMITS,
        *,
        hedging: str = "refuse",
        wall_factor: float = 10.0,
        window: int = 1024,
        item_retries: int = 1,
    ):
        if num_workers is None:
            num_workers = os.cpu_count() or 1
        if num_workers < 0 or timeout_s <= 0 or memory_mb <= 0 or wall_factor < 1 or window < 1 or item_retries < 0:
            raise ValueError(
                "RewardPool needs num_workers >= 0, timeout_s > 0, memory_mb > 0, wall_factor >= 1, window >= 1, "
                f"item_retries >= 0 (got {num_workers=}, {timeout_s=}, {memory_mb=}, {wall_factor=}, {window=}, "
                f"{item_retries=})"
            )
        self.num_workers, self.timeout_s, self.memory_mb, self.limits = num_workers, timeout_s, memory_mb, limits
        self.hedging, self.wall_timeout_s = hedging, timeout_s * wall_factor
        self.window = max(window, 2 * num_workers)
        self.item_retries = item_retries
        self._retry: deque[tuple[int, ScoreItem, int]] = deque()  # (index, item, attempt) to send before new input
        self._poll_s = min(0.05, max(0.005, timeout_s / 20))
        self._next_budget_check = 0.0
        self._stats = PoolStats()
        self._created = time.monotonic()
        self._refs: dict[str, str] = {}
        self._busy_scoring = False
        self._closed = False
        self._start_failures = 0
        self._ctx = _context() if num_workers else None
        self._workers: list[Worker] = [self._spawn(slot) for slot in range(num_workers)]

    # -- public API ------------------------------------------------------------------------------------

    def score(self, items: Iterable[ScoreItem]) -> list[Verdict]:
        """One verdict per item, in input order. `items` may be any iterable (streamed, bounded memory)."""
        return list(self.score_iter(items))

    def score_iter(self, items: Iterable[ScoreItem]) -> Iterator[Verdict]:
        """Verdicts in input order as they become available; at most `window` items are in flight.

        An item that is not a well-formed `ScoreItem` (e.g. `None` for a malformed input line) gets
        `bad_input` without reaching a worker.
        """
        if self._closed:
            raise RuntimeError("RewardPool is closed")
        if self._busy_scoring:
            raise RuntimeError("RewardPool.score is already running (one batch at a time)")
        self._busy_scoring = True
        try:
            if self.num_workers == 0:
                yield from self._score_inline(items)
            else:
                yield from _Batch(self, items).run()
        finally:
            self._busy_scoring = False

    def score_inline(self, items: Iterable[ScoreItem]) -> list[Verdict]:
        """Score in this process (debug mode, no isolation), counted in the same stats."""
        return list(self._score_inline(items))

    def stats(self) -> dict[str, Any]:
        """Counters since creation (or `reset_stats`): items, timeouts, worker_deaths, deaths_by_slot
        {"reward-1": n} (slots that died), resubmitted, pool_restarts, worker_starts, refusals, parse_errors,
        no_answer, user_errors, by_reason, latency_ms {kind: {n, p50, p99, max}}, startup_s."""
        return self._stats.snapshot()

    def reset_stats(self) -> None:
        startup = self._stats.startup_s
        self._stats = PoolStats(startup_s=startup)

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> float:
        """Block until every worker has started (returns the seconds since creation); optional."""
        deadline = time.monotonic() + timeout_s
        while not all(w.ready for w in self._workers) and time.monotonic() < deadline:
            self._collect(self._workers, {}, min(self._poll_s, max(0.0, deadline - time.monotonic())))
        return time.monotonic() - self._created

    def close(self) -> None:
        """Stop every worker (politely, then SIGKILL after a second); idempotent."""
        if self._closed:
            return
        self._closed = True
        for w in self._workers:
            w.stop()
        deadline = time.monotonic() + 1.0
        for w in self._workers:
            w.process.join(timeout=max(0.0, deadline - time.monotonic()))
            w.kill()
        self._workers = []

    def __enter__(self) -> RewardPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if not getattr(self, "_closed", True):
            try:
                self.close()
            except Exception:  # at interpreter exit multiprocessing may be half torn down
                pass

    # -- inside ----------------------------------------------------------------------------------------

    def _score_inline(self, items: Iterable[ScoreItem]) -> Iterator[Verdict]:
        for item in items:
            if not is_valid(item):
                verdict, seconds, label = Verdict.fail(BAD_INPUT), None, "invalid"
            else:
                label = kind_label(item)
                start = time.perf_counter()
                try:
                    verdict = score_item(item, self.limits, self.hedging)
                except MemoryError:
                    verdict = Verdict.fail(WORKER_DIED)
                seconds = time.perf_counter() - start
            self._stats.record(label, verdict, seconds)
            yield verdict

    def _prepared(self, item: ScoreItem) -> ScoreItem:
        """The item as a worker can run it: a registered reward name becomes an importable reference."""
        if item.reward is None:
            return item
        ref = self._refs.get(item.reward)
        if ref is None:
            ref = self._refs[item.reward] = portable_ref(item.reward)
        return item if ref == item.reward else ScoreItem(item.gold, item.completion, item.kind, item.mode, ref)

    def _spawn(self, slot: int) -> Worker:
        """Start the worker for `slot`; a dead fork server is relaunched (counted in `pool_restarts`)."""
        server_before = _forkserver_pid()
        for attempt in range(SPAWN_ATTEMPTS):
            try:
                worker = Worker(self._ctx, slot, self.memory_mb, self.limits, self.hedging)
                break
            except (OSError, EOFError) as e:
                if attempt == SPAWN_ATTEMPTS - 1:
                    raise RuntimeError(f"cannot start reward worker reward-{slot}: {type(e).__name__}: {e}") from e
                log.warning("starting reward worker reward-%d failed (%s); retrying (fork server dying?)", slot, e)
                if attempt > 0:
                    _drop_forkserver()
                time.sleep(0.05 * 2**attempt)
        if server_before is not None and _forkserver_pid() != server_before:
            self._stats.pool_restarts += 1
            log.warning("the reward pool's fork server %d died; started a new one", server_before)
        self._stats.worker_starts += 1
        return worker

    def _replace(self, w: Worker) -> None:
        w.kill()
        if not self._closed and self._workers[w.slot] is w:
            self._workers[w.slot] = self._spawn(w.slot)

    def _collect(self, workers: list[Worker], done: dict[int, Verdict], timeout: float) -> None:
        """Wait up to `timeout` for messages or deaths; file results into `done`; replace dead workers."""
        waitables: list[Any] = [w.conn for w in workers] + [w.process.sentinel for w in workers]
        ready = set(wait(waitables, timeout=timeout)) if waitables else set()
        for w in list(workers):
            if w.conn in ready or w.process.sentinel in ready:
                self._drain(w, done)

    def _drain(self, w: Worker, done: dict[int, Verdict]) -> None:
        try:
            while not w.retired and w.conn.poll():
                self._on_message(w, w.conn.recv(), done)
        except (EOFError, OSError):
            pass
        if not w.retired and not w.process.is_alive():
            self._on_death(w, done)

    def _on_message(self, w: Worker, message: Any, done: dict[int, Verdict]) -> None:
        if message == READY:
            w.ready = True
            self._start_failures = 0
            if self._stats.startup_s is None and all(x.ready for x in self._workers):
                self._stats.startup_s = time.monotonic() - self._created
            return
        index, verdict, seconds, exiting = message
        if index == w.index:
            done[index] = verdict
            self._stats.record(w.label, verdict, seconds)
            w.finish()
        if exiting:
            self._stats.record_death(w.name)
            self._replace(w)

    def _on_death(self, w: Worker, done: dict[int, Verdict]) -> None:
        if w.index is not None and w.item is not None and w.attempt < self.item_retries:
            self._retry.append((w.index, w.item, w.attempt + 1))
            self._stats.resubmitted += 1
        elif w.index is not None:
            done[w.index] = Verdict.fail(WORKER_DIED)
            self._stats.record(w.label, done[w.index], None)
        if not w.ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                self.close()
                raise RuntimeError(
                    f"reward workers die while starting ({MAX_START_FAILURES} in a row, exit code "
                    f"{w.process.exitcode}); see their stderr; is memory_mb={self.memory_mb} too small?"
                )
        self._stats.record_death(w.name)
        log.warning("reward worker %s (pid %d) died (exit code %s); replacing it", w.name, w.pid, w.process.exitcode)
        self._replace(w)

    def _enforce_budgets(self, done: dict[int, Verdict]) -> None:
        """Kill workers over their CPU budget or the wall-clock backstop, and ones that never start."""
        now = time.monotonic()
        if now < self._next_budget_check:
            return
        self._next_budget_check = now + self._poll_s
        for w in list(self._workers):
            if w.index is not None:
                cpu, wall = w.usage()
                if (cpu > self.timeout_s or wall > self.wall_timeout_s) and not w.conn.poll():
                    done[w.index] = Verdict.fail(TIMEOUT)
                    self._stats.record(w.label, done[w.index], max(cpu, 0.0))
                    self._replace(w)
            elif not w.ready and now - w.started > START_TIMEOUT_S:
                self._on_death(w, done)


class _Batch:
    """One call of `score_iter`: feeds idle workers from the input, re-orders results, bounds memory."""

    def __init__(self, pool: RewardPool, items: Iterable[ScoreItem]):
        self.pool = pool
        self.source = iter(items)
        self.exhausted = False
        self.next_in = 0  # index of the next item to read
        self.next_out = 0  # index of the next verdict to yield
        self.done: dict[int, Verdict] = {}
        self.retry = pool._retry
        self.retry.clear()

    def run(self) -> Iterator[Verdict]:
        pool = self.pool
        try:
            while True:
                self._feed()
                while self.next_out in self.done:
                    yield self.done.pop(self.next_out)
                    self.next_out += 1
                if self.exhausted and not self.retry and self.next_out == self.next_in:
                    return
                pool._collect(pool._workers, self.done, pool._poll_s)
                pool._enforce_budgets(self.done)
        finally:
            self._abandon()

    def _feed(self) -> None:
        for w in self.pool._workers:
            while w.idle:
                job = self._next_job()
                if job is None:
                    return
                index, item, attempt = job
                try:
                    w.assign(index, item, kind_label(item), attempt)
                except (BrokenPipeError, ConnectionResetError, EOFError):
                    self.retry.appendleft(job)  # never started: another worker takes it
                    break
                except Exception:  # unpicklable contents
                    self.done[index] = Verdict.fail(BAD_INPUT)
                    self.pool._stats.record("invalid", self.done[index], None)

    def _next_job(self) -> tuple[int, ScoreItem, int] | None:
        if self.retry:
            return self.retry.popleft()
        while not self.exhausted and self.next_in - self.next_out < self.pool.window:
            try:
                item = next(self.source)
            except StopIteration:
                self.exhausted = True
                return None
            index = self.next_in
            self.next_in += 1
            if is_valid(item):
                return index, self.pool._prepared(item), 0
            self.done[index] = Verdict.fail(BAD_INPUT)
            self.pool._stats.record("invalid", self.done[index], None)
        return None

    def _abandon(self) -> None:
        """If the caller stopped early, workers still busy on this batch are replaced (their replies are stale)."""
        self.retry.clear()
        for w in list(self.pool._workers):
            if w.index is not None:
                self.pool._replace(w)


def _context() -> Any:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _forkserver_pid() -> int | None:
    from multiprocessing import forkserver

    return forkserver._forkserver._forkserver_pid


def _drop_forkserver() -> None:
    """Forget a fork server that refuses connections (dying, or wedged) so the next start launches a fresh one.

    Python relaunches a server it has reaped, but one SIGKILLed a moment ago may not be reapable yet, and a
    wedged one never is: kill it and clear the module's record the way `ensure_running` does for a dead one.
    """
    from multiprocessing import forkserver

    server = forkserver._forkserver
    with server._lock:
        pid = server._forkserver_pid
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):  # already reaped
            pass
        os.close(server._forkserver_alive_fd)
        server._forkserver_pid = server._forkserver_address = server._forkserver_alive_fd = None
