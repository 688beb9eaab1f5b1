"""One reward worker: the loop its process runs, and the parent's handle on it (CPU time, kill)."""

from __future__ import annotations

import logging
import os
import time
from multiprocessing.connection import Connection
from typing import Any

import psutil

from .pool_items import ScoreItem, score_item
from .types import BAD_INPUT, DEFAULT_LIMITS, WORKER_DIED, Limits, Verdict

READY = "ready"
EXIT_AFTER_MEMORY_ERROR = 3
log = logging.getLogger(__name__)


def worker_main(conn: Connection, memory_mb: int, limits: Limits, hedging: str) -> None:
    """Score `(index, item)` messages until `None` or the parent goes away.

    Replies `(index, verdict, seconds, exiting)`; `exiting` tells the parent to replace this process.
    """
    set_memory_limit(memory_mb)
    warm_up(limits, hedging)
    conn.send(READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item = message
        start = time.perf_counter()
        verdict, fatal = _score_guarded(item, limits, hedging)
        conn.send((index, verdict, time.perf_counter() - start, fatal))
        if fatal:
            os._exit(EXIT_AFTER_MEMORY_ERROR)


def _score_guarded(item: ScoreItem, limits: Limits, hedging: str) -> tuple[Verdict, bool]:
    """(verdict, whether this process must exit): after a MemoryError its heap is not to be trusted."""
    try:
        return score_item(item, limits, hedging), False
    except MemoryError:
        return Verdict.fail(WORKER_DIED), True
    except Exception:
        log.exception("reward worker: scoring raised (scored bad_input)")
        return Verdict.fail(BAD_INPUT), False


def set_memory_limit(memory_mb: int) -> None:
    """Cap this process's address space, so a runaway allocation raises MemoryError or kills only it."""
    import resource

    limit = memory_mb * 2**20
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # not supported (macOS) or above the hard limit: run without a cap
        log.warning("reward worker: could not set RLIMIT_AS to %d MB", memory_mb)


WARM_UP = [
    ScoreItem("12", "\\boxed{12}"),
    ScoreItem("3/4", "\\boxed{\\frac{3}{4}}"),
    ScoreItem("x + 1", "\\boxed{1 + x}", kind="expression"),
    ScoreItem("{-1, 2}", "\\boxed{x = 2 \\text{ or } x = -1}", kind="equation_solutions"),
    ScoreItem("(-oo, 2) U [3, oo)", "\\boxed{(-\\infty, 2) \\cup [3, \\infty)}", kind="interval"),
    ScoreItem("[[1, 2], [3, 4]]", "\\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}}", kind="matrix"),
]


def warm_up(limits: Limits = DEFAULT_LIMITS, hedging: str = "refuse") -> None:
    """Run the verifier's main paths once, so their imports and caches are not billed to a real item."""
    for item in WARM_UP:
        _score_guarded(item, limits, hedging)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (None once it is gone), read from /proc or psutil."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rpartition(b")")[2].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except FileNotFoundError:
        return _psutil_cpu_seconds(pid) if not os.path.isdir("/proc") else None
    except (OSError, IndexError, ValueError):
        return None


def _psutil_cpu_seconds(pid: int) -> float | None:
    try:
        import psutil

        t = psutil.Process(pid).cpu_times()
        return t.user + t.system
    except Exception:
        return None


class Worker:
    """The parent's handle: one process in a fixed slot, its pipe, and the item it is scoring (at most one)."""

    def __init__(self, ctx: Any, slot: int, memory_mb: int, limits: Limits, hedging: str):
        self.slot = slot
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=worker_main, args=(child, memory_mb, limits, hedging), daemon=True, name=f"reasonrl-{self.name}"
        )
        try:
            self.process.start()
        finally:
            child.close()
        self._handle = _os_handle(self.process.pid)
        self.started = time.monotonic()
        self.ready = False
        self.retired = False  # killed and replaced: ignore whatever it still says
        self.index: int | None = None
        self.item: ScoreItem | None = None  # kept so the pool can resubmit it if this process dies
        self.attempt = 0
        self.label = ""
        self._cpu0 = 0.0
        self._t0 = 0.0

    @property
    def name(self) -> str:
        return f"reward-{self.slot}"

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def idle(self) -> bool:
        return self.ready and self.index is None

    def assign(self, index: int, item: ScoreItem, label: str, attempt: int = 0) -> None:
        """Send one item; raises on a dead pipe or an unpicklable item (then nothing was sent)."""
        cpu0 = cpu_seconds(self.pid) or 0.0
        self.conn.send((index, item))
        self.index, self.item, self.attempt, self.label = index, item, attempt, label
        self._cpu0, self._t0 = cpu0, time.monotonic()

    def finish(self) -> None:
        self.index, self.item = None, None

    def usage(self) -> tuple[float, float]:
        """(CPU seconds, wall seconds) spent on the current item."""
        cpu = cpu_seconds(self.pid)
        return (0.0 if cpu is None else cpu - self._cpu0), time.monotonic() - self._t0

    def kill(self) -> None:
        self.retired = True
        if self.process.is_alive():
            self.process.kill()
        else:
            # With its fork server dead the handle reports exit code 255 while the process may still run.
            _kill_if_running(self._handle)
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        """Ask politely (a `None` message), so an idle worker exits on its own."""
        try:
            self.conn.send(None)
        except OSError:
            pass


def _os_handle(pid: int | None) -> psutil.Process | None:
    """A handle bound to the process's start time, so a later kill never hits a reused pid."""
    try:
        return None if pid is None else psutil.Process(pid)
    except psutil.NoSuchProcess:  # already gone: nothing to kill later
        return None


def _kill_if_running(handle: psutil.Process | None) -> None:
    if handle is None:
        return
    try:
        if handle.is_running() and handle.status() != psutil.STATUS_ZOMBIE:
            handle.kill()
    except psutil.NoSuchProcess:
        pass
