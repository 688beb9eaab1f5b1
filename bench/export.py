"""Wall time and peak memory (whole process tree) of `reasonrl problems export`.

    python bench/export.py [--n 1000000] [--workers 0]

Peak memory is the largest sum of resident set sizes over the CLI process and all
its worker processes, sampled every 0.1 s. Ends with `export_time_vs_bound: X`,
the wall time over the 5-minute bound for one million problems (scaled to --n).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

BOUND_S_PER_MILLION = 300.0
MEMORY_BOUND_MB = 1024


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--difficulty", type=int, default=3)
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp()) / "export"
    cmd = [sys.executable, "-m", "reasonrl.launch.cli", "problems", "export", "--n", str(args.n), "--out", str(out),
           "--difficulty", str(args.difficulty), "--workers", str(args.workers)]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"export failed with exit code {proc.returncode}")
    size = sum(p.stat().st_size for p in out.iterdir())
    shutil.rmtree(out.parent)
    bound = BOUND_S_PER_MILLION * args.n / 1e6
    print(f"problems: {args.n}  wall: {wall:.1f} s  rate: {args.n / wall:.0f}/s  output: {size / 2**20:.0f} MiB")
    print(f"peak memory (process tree): {peak / 2**20:.0f} MiB (bound {MEMORY_BOUND_MB} MiB)")
    print(f"export_time_vs_bound: {wall / bound:.2f}")


if __name__ == "__main__":
    main()
