"""Preemption and Ctrl-C: the first SIGTERM/SIGINT/SIGUSR1 asks the loop to checkpoint and stop after the
current step; a second one exits at once. SLURM sends one of these before a time limit or a preemption."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .exit_codes import EXIT_SECOND_SIGNAL

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1)


@contextmanager
def stop_on_signals(request_stop: Callable[[], None], say: Callable[[str], None]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # handlers can only live in the main thread
        yield
        return
    received: list[int] = []

    def handle(signum: int, _frame: object) -> None:
        received.append(signum)
        if (
            len(received) > 1
        ):  # the user insists: no clean-up beyond not leaving orphans; the last checkpoint stays valid
            _kill_children()
            os._exit(EXIT_SECOND_SIGNAL)
        say(
            f"{signal.Signals(signum).name}: finishing this step, writing a checkpoint, then stopping (again: quit now)"
        )
        request_stop()

    previous = {s: signal.signal(s, handle) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _kill_children() -> None:
    """The processes this run started (reward workers, a local Ray's daemons and actors) die with it."""
    import psutil

    for child in psutil.Process().children(recursive=True):
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
