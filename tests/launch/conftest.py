"""A real two-node Ray cluster on this machine: two `ray start --block` processes, each in its own process group.

`ray stop` would kill every Ray process on the machine, other tests' local clusters included, so teardown kills
only what this fixture started: the two process groups, their descendants, and any process whose command line
names the cluster's private temp dir (workers the raylets forked).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import psutil
import pytest

RAY = str(Path(sys.executable).with_name("ray"))
WORKER_PORTS = 64  # per node; each worker process holds one


def free_ports(count: int) -> list[int]:
    """Distinct ports free right now (all sockets held open while choosing, so none repeats)."""
    with ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("", 0))
            ports.append(sock.getsockname()[1])
        return ports


def free_range(size: int, avoid: set[int]) -> int:
    """The first port of `size` consecutive ports that are free now and not in `avoid`."""
    rng = random.Random()
    for _ in range(200):
        start = rng.randrange(20000, 30000 - size)
        span = range(start, start + size)
        if avoid.isdisjoint(span) and all(_port_free(p) for p in span):
            return start
    raise RuntimeError(f"no {size} consecutive free ports found in 20000-30000")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("", port))
        except OSError:
            return False
    return True


class TwoNodeCluster:
    """Head (`node_head` resource) and a second node (`node_two`), 2 CPUs each; `.address` is the GCS host:port."""

    def __init__(self, cpus_per_node: int = 2, start_timeout_s: float = 90) -> None:
        self.temp_dir = tempfile.mkdtemp(prefix="rr2n-", dir="/tmp")  # Ray's socket paths must stay < 107 chars
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        self._used: set[int] = set()
        try:
            gcs_port = self._ports(1)[0]
            self.address = f"127.0.0.1:{gcs_port}"
            self._start(
                "head",
                cpus_per_node,
                {"node_head": 1},
                ["--head", "--port", str(gcs_port), "--include-dashboard", "false"],
            )
            self._start("two", cpus_per_node, {"node_two": 1}, ["--address", self.address])
            self._wait_for_nodes(2, start_timeout_s)
        except BaseException:
            self.stop()
            raise

    def _ports(self, count: int) -> list[int]:
        ports = [p for p in free_ports(count + len(self._used)) if p not in self._used][:count]
        self._used.update(ports)
        return ports

    def _start(self, label: str, cpus: int, resources: dict[str, float], role: list[str]) -> None:
        node_manager, object_manager, client, agent, agent_grpc, runtime_env, metrics = self._ports(7)
        min_worker = free_range(WORKER_PORTS, self._used)
        self._used.update(range(min_worker, min_worker + WORKER_PORTS))
        cmd = [
            RAY, "start", "--block", *role,
            "--num-cpus", str(cpus), "--num-gpus", "0", "--resources", json.dumps(resources),
            "--temp-dir", self.temp_dir, "--disable-usage-stats",
            "--node-manager-port", str(node_manager), "--object-manager-port", str(object_manager),
            "--ray-client-server-port", str(client), "--dashboard-agent-listen-port", str(agent),
            "--dashboard-agent-grpc-port", str(agent_grpc), "--runtime-env-agent-port", str(runtime_env),
            "--metrics-export-port", str(metrics),
            "--min-worker-port", str(min_worker), "--max-worker-port", str(min_worker + WORKER_PORTS - 1),
            "--object-store-memory", str(200 * 2**20),
        ]  # fmt: skip
        log = Path(self.temp_dir) / f"{label}.log"
        env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "OMP_NUM_THREADS": "1", "RAY_AUTH_MODE": "disabled"}
        with log.open("wb") as out:
            self.procs.append(
                subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
            )
        self.logs.append(log)

    def _wait_for_nodes(self, count: int, timeout_s: float) -> None:
        """Poll from a child interpreter, so this process never holds a Ray connection the tests did not open."""
        probe = (
            "import ray, sys, time\n"
            f"ray.init(address={self.address!r}, log_to_driver=False, configure_logging=False)\n"
            f"deadline = time.monotonic() + {timeout_s}\n"
            f"while sum(n['Alive'] for n in ray.nodes()) < {count} and time.monotonic() < deadline:\n"
            "    time.sleep(0.5)\n"
            f"sys.exit(0 if sum(n['Alive'] for n in ray.nodes()) >= {count} else 3)\n"
        )
        deadline = time.monotonic() + timeout_s
        while True:
            if any(p.poll() is not None for p in self.procs):
                raise RuntimeError(f"`ray start` exited early; see {self.logs}: {self._tail()}")
            if _port_open(self.address):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the head's GCS did not open {self.address} in {timeout_s}s: {self._tail()}")
            time.sleep(0.3)
        left = max(deadline - time.monotonic(), 5)
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=left + 30)
        if done.returncode != 0:
            raise RuntimeError(f"{count} nodes did not join in {timeout_s}s: {done.stderr[-2000:]} {self._tail()}")

    def _tail(self) -> str:
        return " | ".join(log.read_text(errors="replace")[-1500:] for log in self.logs if log.exists())

    def _ours(self) -> list[psutil.Process]:
        """Every live process this cluster started: the `ray start` trees and anything naming our temp dir."""
        found: dict[int, psutil.Process] = {}
        for popen in self.procs:
            try:
                root = psutil.Process(popen.pid)
                found.update({p.pid: p for p in [root, *root.children(recursive=True)]})
            except psutil.NoSuchProcess:
                pass
        for proc in psutil.process_iter(["cmdline"]):
            if any(self.temp_dir in arg for arg in proc.info["cmdline"] or ()):
                found[proc.pid] = proc
        return list(found.values())

    def stop(self, timeout_s: float = 30) -> list[int]:
        """Kill what this cluster started and check it is gone; returns the pids that were killed."""
        victims = self._ours()
        for popen in self.procs:
            if popen.poll() is None:
                os.killpg(popen.pid, signal.SIGTERM)  # `ray start --block` takes its services down on SIGTERM
        _, alive = psutil.wait_procs(victims, timeout=min(5, timeout_s))
        late = alive + [p for p in self._ours() if p.pid not in {v.pid for v in victims}]
        for proc in late:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        _, survivors = psutil.wait_procs(late, timeout=timeout_s)
        for popen in self.procs:
            try:
                popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                survivors.append(psutil.Process(popen.pid))
        self.procs = []
        if survivors:
            raise RuntimeError(f"two-node cluster: processes {[p.pid for p in survivors]} outlived stop()")
        shutil.rmtree(self.temp_dir, ignore_errors=True)
        return sorted({p.pid for p in victims + late})


def _port_open(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def two_node_cluster() -> Iterator[TwoNodeCluster]:
    """A real two-node Ray cluster for the session; connect with `ray.init(address=cluster.address)` and
    `ray.shutdown()` when done. Teardown fails if any process it started survives."""
    pytest.importorskip("ray")
    cluster = TwoNodeCluster()
    try:
        yield cluster
    finally:
        cluster.stop()
