"""Cold start of ``screenkit --help`` against a bare ``python -c pass``.

Run: .venv/bin/python bench/bench_startup.py [--runs 21]

Each run is a fresh interpreter (``python -m toolkit --help``, what
bin/screenkit executes). Runs alternate between the two commands so that
both see the same machine load; the figures are medians. The difference is
what screenkit adds on top of starting Python.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def once(command: list[str]) -> float:
    env = {**os.environ, "NO_COLOR": "1"}
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    screenkit = [sys.executable, "-m", "toolkit", "--help"]
    baseline = [sys.executable, "-c", "pass"]
    once(screenkit)  # warm the file cache: "cold" means a new process, not an empty disk cache
    ours, theirs = [], []
    for _ in range(args.runs):
        ours.append(once(screenkit))
        theirs.append(once(baseline))
    median_ours, median_theirs = statistics.median(ours), statistics.median(theirs)
    print(f"machine: {platform.machine()} {os.cpu_count()} cpus, python {platform.python_version()}")
    print(f"runs: {args.runs} each, alternating; medians")
    print(f"screenkit --help        {median_ours * 1000:.0f} ms (min {min(ours) * 1000:.0f}, max {max(ours) * 1000:.0f})")
    print(f"python -c pass baseline {median_theirs * 1000:.0f} ms (min {min(theirs) * 1000:.0f}, max {max(theirs) * 1000:.0f})")
    print(f"ratio                   {median_ours / median_theirs:.2f}")
    print(f"screenkit's own cost    {(median_ours - median_theirs) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
