"""Reward pool faults injected for real: workers SIGKILLed mid-item, the whole pool and its fork server
killed at once, and a 20,000-completion burst with bounded parent memory."""

from __future__ import annotations

import multiprocessing.forkserver
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from reasonrl.rewards.pool import RewardPool, ScoreItem
from reasonrl.rewards.user import reward_function


@reward_function("faults_nap")
def nap(gold, completion: str) -> float:
    """Mark `<dir>/<pid>` (so a test knows this worker is mid-item), then sleep without using CPU."""
    folder, seconds = completion.split("|")
    (Path(folder) / str(os.getpid())).write_text("")
    time.sleep(float(seconds))
    return 1.0


@reward_function("faults_suicide")
def suicide(gold, completion: str) -> float:
    (Path(completion) / str(os.getpid())).write_text("")
    os.kill(os.getpid(), signal.SIGKILL)
    return 1.0


def napping(folder: Path, seconds: float = 0.6) -> ScoreItem:
    return ScoreItem("", f"{folder}|{seconds}", reward="faults_nap")


def boxed(i: int, right: bool) -> ScoreItem:
    return ScoreItem(str(i), f"So the answer is \\boxed{{{i if right else i + 1}}}.")


def marked(folder: Path) -> set[int]:
    return {int(p.name) for p in folder.iterdir()}


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def in_background(fn: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as e:  # re-raised in the test thread by `joined`
            errors.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def joined(thread: threading.Thread, errors: list[BaseException]) -> None:
    thread.join(timeout=30)
    if errors:
        raise errors[0]


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.005)


def mid_item(pool: RewardPool, slot: int, folder: Path) -> bool:
    w = pool._workers[slot]
    return w.index is not None and w.pid in marked(folder)


def assert_no_leaks(pids: set[int]) -> None:
    deadline = time.monotonic() + 5
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if running(pid)]


def test_an_item_whose_worker_is_killed_is_resubmitted(tmp_path):
    naps = tmp_path / "naps"
    naps.mkdir()
    pool = RewardPool(2, timeout_s=5.0)
    pool.wait_ready()
    pids = {w.pid for w in pool._workers}
    victim: list[int] = []

    def kill_the_napper() -> None:
        wait_until(lambda: marked(naps), "the napping item to start")
        [pid] = marked(naps)
        assert pid in {w.pid for w in pool._workers}
        victim.append(pid)
        os.kill(pid, signal.SIGKILL)

    killer = in_background(kill_the_napper)
    items = [boxed(i, i % 3 != 0) for i in range(30)]
    items[7] = napping(naps)
    verdicts = pool.score(items)
    joined(*killer)
    assert len(marked(naps)) == 2

    assert (verdicts[7].reason, verdicts[7].score) == ("correct", 1.0)  # scored by its second worker
    assert [v.correct for i, v in enumerate(verdicts) if i != 7] == [i % 3 != 0 for i in range(30) if i != 7]
    stats = pool.stats()
    assert (stats["resubmitted"], stats["worker_deaths"], stats["by_reason"].get("worker_died", 0)) == (1, 1, 0)
    assert sum(stats["deaths_by_slot"].values()) == 1

    # An item that kills every worker it lands on: resubmitted once (item_retries=1), then worker_died.
    folder = tmp_path / "suicides"
    folder.mkdir()
    items = [boxed(i, True) for i in range(10)]
    items[4] = ScoreItem("", str(folder), reward="faults_suicide")
    verdicts = pool.score(items)
    assert verdicts[4].reason == "worker_died" and verdicts[4].score == 0.0
    assert all(v.correct for i, v in enumerate(verdicts) if i != 4)
    assert len(marked(folder)) == 2
    stats = pool.stats()
    assert (stats["resubmitted"], stats["worker_deaths"], stats["by_reason"]["worker_died"]) == (2, 3, 1)
    assert all(v.correct for v in pool.score([boxed(i, True) for i in range(20)]))

    pids |= set(victim) | marked(naps) | marked(folder) | {w.pid for w in pool._workers}
    pool.close()
    assert_no_leaks(pids)

    with RewardPool(1, timeout_s=5.0, item_retries=0) as once:  # opting out: the first death is final
        verdicts = once.score([ScoreItem("", str(folder), reward="faults_suicide"), boxed(1, True)])
        assert [v.reason for v in verdicts] == ["worker_died", "correct"]
        assert (once.stats()["resubmitted"], once.stats()["deaths_by_slot"]) == (0, {"reward-0": 1})


def test_deaths_are_counted_by_slot(tmp_path):
    pool = RewardPool(2, timeout_s=5.0, item_retries=3)
    pids = {w.pid for w in pool._workers}

    def kill_slot_one_three_times() -> None:
        for _ in range(3):
            wait_until(lambda: mid_item(pool, 1, tmp_path), "reward-1 to be mid-item")
            pid = pool._workers[1].pid
            pids.add(pid)
            os.kill(pid, signal.SIGKILL)
            wait_until(lambda gone=pid: pool._workers[1].pid != gone, "reward-1 to be replaced")

    killer = in_background(kill_slot_one_three_times)
    verdicts = pool.score([napping(tmp_path, 0.4) for _ in range(12)])
    joined(*killer)

    assert [v.score for v in verdicts] == [1.0] * 12
    stats = pool.stats()
    assert stats["deaths_by_slot"] == {"reward-1": 3}
    assert (stats["worker_deaths"], stats["resubmitted"], stats["worker_starts"]) == (3, 3, 5)
    pids |= marked(tmp_path) | {w.pid for w in pool._workers}
    pool.close()
    assert_no_leaks(pids)


@pytest.mark.parametrize("victims", ["workers then server", "server then workers", "server alone"])
def test_the_whole_pool_and_its_fork_server_killed_mid_batch(tmp_path, victims):
    """Killing the fork server first makes the workers' handles report exit code 255 at once, so their
    replacements are asked of a server that is dying but not yet reaped; "server alone" leaves the workers
    running as orphans, which the pool must kill itself."""
    pool = RewardPool(2, timeout_s=5.0)
    pool.wait_ready()
    server = multiprocessing.forkserver._forkserver._forkserver_pid
    assert server is not None and running(server)
    pids = {w.pid for w in pool._workers}

    def kill_everything() -> None:
        wait_until(lambda: mid_item(pool, 0, tmp_path) and mid_item(pool, 1, tmp_path), "both workers mid-item")
        workers = [w.pid for w in pool._workers]
        order = {"workers then server": workers + [server], "server then workers": [server] + workers}
        for pid in order.get(victims, [server]):
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not {w.pid for w in pool._workers} & set(workers), "both slots to be replaced")
        # The first naps last 3 s: a worker still running now was left behind by the pool, not finished.
        wait_until(lambda: not any(running(pid) for pid in workers), "the old workers to be gone", timeout_s=0.5)

    killer = in_background(kill_everything)
    items = [napping(tmp_path, 3.0 if i < 4 else 0.3) if i % 3 == 0 else boxed(i, i % 2 == 0) for i in range(12)]
    verdicts = pool.score(items)
    joined(*killer)

    assert [v.correct for v in verdicts] == [i % 3 == 0 or i % 2 == 0 for i in range(12)]
    assert all(v.score == 1.0 for v in verdicts[::3])
    stats = pool.stats()
    assert stats["deaths_by_slot"] == {"reward-0": 1, "reward-1": 1}
    assert (stats["worker_deaths"], stats["pool_restarts"]) == (2, 1)
    # An orphan that finishes its item before the pool notices its slot delivers a valid verdict.
    assert stats["resubmitted"] == 2 or (victims == "server alone" and stats["resubmitted"] == 1)
    assert "worker_died" not in stats["by_reason"]
    new_server = multiprocessing.forkserver._forkserver._forkserver_pid
    assert new_server not in (None, server) and not running(server)
    assert all(v.correct for v in pool.score([boxed(i, True) for i in range(20)]))  # the new workers serve

    pids |= marked(tmp_path) | {w.pid for w in pool._workers}
    pool.close()
    assert_no_leaks(pids)


BURST = 20_000


def right(i: int) -> bool:
    return (i * 7919) % 5 != 0


def long_completions(n: int) -> Iterator[ScoreItem]:
    """Chain-of-thought text of about 2-4 KB ending in a boxed answer, made lazily (never all in memory)."""
    for i in range(n):
        steps = "".join(f"Step {k}: from {i} and {k} we get {i + k}; keep going. " for k in range(40 + i % 40))
        yield ScoreItem(str(i), f"{steps}Therefore the answer is \\boxed{{{i if right(i) else i + 1}}}.")


class PeakRss:
    """Samples this process's RSS in a thread: the peak during a call, not just before and after."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_a_burst_of_20000_long_completions_in_bounded_memory():
    with RewardPool(2, timeout_s=5.0, window=256) as pool:
        pool.wait_ready()
        assert [v.correct for v in pool.score(long_completions(500))] == [right(i) for i in range(500)]
        rss0 = psutil.Process().memory_info().rss
        maxrss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        start = time.monotonic()
        with PeakRss() as peak:
            verdicts = pool.score(long_completions(BURST))
        seconds = time.monotonic() - start
        maxrss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - maxrss0
        stats = pool.stats()

    assert len(verdicts) == BURST
    wrong = [i for i, v in enumerate(verdicts) if v.correct != right(i)]
    assert not wrong, f"{len(wrong)} verdicts disagree, first at {wrong[:5]}: {[verdicts[i] for i in wrong[:5]]}"
    peak_growth_mb = (peak.peak - rss0) / 2**20
    print(
        f"\nburst: {BURST} items in {seconds:.1f} s ({BURST / seconds:.0f}/s); parent RSS peak growth "
        f"{peak_growth_mb:.1f} MB (ru_maxrss growth {maxrss_growth / 2**20:.1f} MB); "
        f"p50 {stats['latency_ms']['auto']['p50']:.2f} ms per item"
    )
    assert peak_growth_mb < 200, f"parent RSS grew {peak_growth_mb:.0f} MB at peak"
    assert stats["timeouts"] == 0 and stats["worker_deaths"] == 0
