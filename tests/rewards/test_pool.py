"""The reward pool with real worker processes: order, timeouts by CPU time, deaths, leaks, memory."""

from __future__ import annotations

import math
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from reasonrl.problems.types import Answer
from reasonrl.rewards.pool import RewardPool, ScoreItem
from reasonrl.rewards.user import USER_ERROR, load_reward, portable_ref, reward_function

# User rewards the workers import from this module (they must live at module level).


@reward_function("test_echo")
def echo(gold, completion: str) -> float:
    return float(completion)


@reward_function("test_hang")
def hang(gold, completion: str) -> float:
    while True:
        pass


@reward_function("test_hog")
def hog(gold, completion: str) -> float:
    if completion == "at once":
        return float(len(bytearray(10 * 2**30)))
    chunks = []
    while True:
        chunks.append(bytes(64 * 2**20))  # calloc'd: address space without page-fault time


@reward_function("test_segfault")
def segfault(gold, completion: str) -> float:
    import ctypes

    return float(len(ctypes.string_at(0)))


@reward_function("test_sleep")
def sleep_reporting_pid(gold, completion: str) -> float:
    Path(completion).write_text(str(os.getpid()))
    time.sleep(5)
    return 1.0


@reward_function("test_burn")
def burn_cpu_on_one_core(gold, completion: str) -> float:
    """Spend the CPU seconds asked for on the given core; return the wall seconds it took."""
    core, seconds = completion.split()
    os.sched_setaffinity(0, {int(core)})
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while time.process_time() - cpu0 < float(seconds):
        pass
    return time.perf_counter() - wall0


@reward_function("test_bad_value")
def bad_value(gold, completion: str):
    return {"nan": math.nan, "text": "1.0", "inf": math.inf}[completion]


@reward_function("test_raise")
def raises(gold, completion: str) -> float:
    raise RuntimeError("user bug")


def boxed(i: int, right: bool) -> ScoreItem:
    return ScoreItem(str(i), f"Adding up, we get \\boxed{{{i if right else i + 1}}}.")


@pytest.fixture(scope="module")
def pool():
    with RewardPool(2, timeout_s=1.0, memory_mb=1024) as p:
        p.wait_ready()
        yield p


def test_order_is_preserved_over_500_items(pool):
    items = [ScoreItem("", str(i), reward="test_echo") if i % 4 == 0 else boxed(i, i % 3 != 0) for i in range(500)]
    verdicts = pool.score(items)
    assert len(verdicts) == 500
    for i, v in enumerate(verdicts):
        if i % 4 == 0:
            assert v.score == float(i)
        else:
            assert (v.correct, v.reason) == (i % 3 != 0, "correct" if i % 3 else "wrong")
            assert v.extracted is not None and v.extracted.strip() == str(i if i % 3 else i + 1)


def test_a_hanging_item_times_out_and_the_pool_recovers():
    with RewardPool(2, timeout_s=0.3) as pool:
        items = [boxed(1, True), ScoreItem("", "", reward="test_hang"), *(boxed(i, True) for i in range(2, 12))]
        start = time.monotonic()
        verdicts = pool.score(items)
        assert time.monotonic() - start < pool.wall_timeout_s + 2
        assert verdicts[1].reason == "timeout" and verdicts[1].score == 0.0
        assert all(v.correct for i, v in enumerate(verdicts) if i != 1)
        assert pool.stats()["timeouts"] == 1 and pool.stats()["items"] == 12
        assert all(v.correct for v in pool.score([boxed(i, True) for i in range(20)]))
        assert pool.stats()["timeouts"] == 1


def test_memory_hogs_and_crashes_cost_one_item(pool):
    deaths = pool.stats()["worker_deaths"]
    items = [
        ScoreItem("", "at once", reward="test_hog"),
        boxed(1, True),
        ScoreItem("", "gradually", reward="test_hog"),
        boxed(2, True),
        ScoreItem("", "", reward="test_segfault"),
        boxed(3, True),
    ]
    verdicts = pool.score(items)
    assert [v.reason for v in verdicts[::2]] == ["worker_died"] * 3
    assert all(v.correct for v in verdicts[1::2])
    assert all(v.correct for v in pool.score([boxed(i, True) for i in range(10)]))
    assert pool.stats()["worker_deaths"] >= deaths + 3


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs Linux CPU affinity")
def test_the_budget_is_cpu_time_not_wall_time():
    """Three spinners share the item's core, so its 0.25 s of CPU takes about 1 s of wall time."""
    core = min(os.sched_getaffinity(0))
    spin = f"import os; os.sched_setaffinity(0, {{{core}}})\nwhile True: pass"
    spinners = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(3)]
    try:
        with RewardPool(1, timeout_s=0.5) as pool:
            [verdict] = pool.score([ScoreItem("", f"{core} 0.25", reward="test_burn")])
    finally:
        for p in spinners:
            p.kill()
            p.wait()
    assert verdict.reason == "correct", verdict
    assert verdict.score > 0.5  # wall seconds: over the budget, yet not a timeout


def test_without_retries_a_worker_killed_from_outside_fails_only_its_item(tmp_path):
    """With retries (the default) the item would be scored again; tests/faults covers that."""
    pid_file = tmp_path / "pid"

    def kill_when_reported():
        deadline = time.monotonic() + 10
        while not pid_file.exists() or not pid_file.read_text():
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        os.kill(int(pid_file.read_text()), 9)

    killer = threading.Thread(target=kill_when_reported)
    killer.start()
    items = [boxed(i, True) for i in range(20)]
    items[7] = ScoreItem("", str(pid_file), reward="test_sleep")
    start = time.monotonic()
    with RewardPool(2, timeout_s=1.0, memory_mb=1024, item_retries=0) as pool:
        verdicts = pool.score(items)
    killer.join()
    assert time.monotonic() - start < 4  # not the 5 s sleep
    assert verdicts[7].reason == "worker_died"
    assert all(v.correct for i, v in enumerate(verdicts) if i != 7)


def _descendants() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_close_leaves_no_processes():
    before = _descendants()
    pool = RewardPool(2, timeout_s=0.2)
    workers = {w.pid for w in pool._workers}
    verdicts = pool.score([ScoreItem("", "", reward="test_hang"), boxed(1, True)])
    assert [v.reason for v in verdicts] == ["timeout", "correct"]
    workers |= {w.pid for w in pool._workers}
    pool.close()
    infrastructure = {multiprocessing.forkserver._forkserver._forkserver_pid}
    infrastructure.add(multiprocessing.resource_tracker._resource_tracker._pid)
    assert len(workers) == 3
    assert _descendants() <= before | infrastructure
    assert not any(_running(pid) for pid in workers)
    with pytest.raises(RuntimeError):
        pool.score([boxed(1, True)])


def test_memory_stays_bounded_over_20000_long_completions(pool):
    filler = "Let me think about this step by step. " * 260  # about 10 KB

    def items(n):
        for i in range(n):
            yield ScoreItem(str(i), f"{filler}\\boxed{{{i}}}")

    pool.score(items(2_000))  # warm the code paths and allocator pools
    rss = psutil.Process().memory_info().rss
    verdicts = pool.score(items(20_000))
    growth_mb = (psutil.Process().memory_info().rss - rss) / 2**20
    assert sum(v.correct for v in verdicts) == 20_000
    assert growth_mb < 30, f"parent RSS grew {growth_mb:.0f} MB"


def test_stopping_early_does_not_mix_batches(pool):
    stream = pool.score_iter(ScoreItem("", str(i), reward="test_echo") for i in range(200))
    assert [next(stream).score for _ in range(3)] == [0.0, 1.0, 2.0]
    stream.close()
    assert [v.score for v in pool.score(ScoreItem("", str(i), reward="test_echo") for i in range(50))] == list(
        map(float, range(50))
    )


def test_inline_mode_gives_the_same_verdicts(pool):
    items = [boxed(3, True), boxed(4, False), None, ScoreItem("", "2.5", reward="test_echo"), ScoreItem("1", "no")]
    with RewardPool(0) as inline:
        assert inline.score(items) == pool.score(items)
        assert inline.stats()["items"] == 5 and inline.stats()["by_reason"]["bad_input"] == 1


def test_user_reward_failures_are_user_errors(pool, tmp_path):
    items = [ScoreItem("", c, reward="test_bad_value") for c in ("nan", "text", "inf")]
    items += [ScoreItem("", "x", reward="test_raise")]
    before = pool.stats()["user_errors"]
    assert [v.reason for v in pool.score(items)] == [USER_ERROR] * 4
    assert pool.stats()["user_errors"] == before + 4
    with pytest.raises(ValueError, match="unknown reward 'no_such_reward'"):
        pool.score([ScoreItem("", "x", reward="no_such_reward")])


def test_rewards_from_a_file(pool, tmp_path):
    path = tmp_path / "my_rewards.py"
    path.write_text("def length(problem, completion):\n    return len(completion) / 10\n")
    spec = f"{path}:length"
    assert load_reward(spec)(None, "abc") == pytest.approx(0.3)
    assert portable_ref(spec) == f"{path.resolve()}:length"
    [v] = pool.score([ScoreItem(Answer("number", "1", "1"), "x" * 25, reward=spec)])
    assert (v.correct, v.score, v.reason) == (True, 2.5, "correct")
    with pytest.raises(ValueError, match=r"does not exist"):
        load_reward(f"{tmp_path}/missing.py:length")
    with pytest.raises(ValueError, match=r"my_rewards.py has no function 'lenght'"):
        load_reward(f"{path}:lenght")
    with pytest.raises(ValueError, match=r"must look like path/to/file.py:function"):
        load_reward(str(path))


def test_stats_count_reasons_and_latency_by_kind():
    with RewardPool(1, timeout_s=1.0) as pool:
        pool.score([boxed(1, True), boxed(2, False), ScoreItem("5", "I am not sure."), None])
        pool.score([ScoreItem(Answer("number", "7", "7"), "\\boxed{7}")] * 5)
        stats = pool.stats()
    assert stats["items"] == 9 and stats["no_answer"] == 1 and stats["timeouts"] == 0
    assert stats["by_reason"] == {"correct": 6, "wrong": 1, "no_answer": 1, "bad_input": 1}
    assert stats["latency_ms"]["auto"]["n"] == 3 and stats["latency_ms"]["number"]["n"] == 5
    for kind in ("auto", "number"):
        lat = stats["latency_ms"][kind]
        assert 0 < lat["p50"] <= lat["p99"] <= lat["max"] * 1.0001
    assert stats["startup_s"] is not None and stats["worker_starts"] == 1


def test_invalid_settings_are_rejected():
    for bad in (dict(num_workers=-1), dict(timeout_s=0), dict(memory_mb=0)):
        with pytest.raises(ValueError):
            RewardPool(**{"num_workers": 0, **bad})
