"""``screenkit lint --fix`` on degenerate tracks: 10^6 zero-length SRT events.

Writes an SRT file of N zero-length events (all at one instant, or 10 ms apart,
closer than any minimum gap) and runs the real command in a fresh process,
``screenkit lint FILE --fix -o OUT``, timing its CPU seconds (user + system of
the child); then the same at N/4, so the growth is visible: linear work makes
the ratio about 4.

    .venv/bin/python bench/bench_fix_scale.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def srt(n: int, step_ms: int) -> str:
    def stamp(ms: int) -> str:
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, ms = divmod(rest, 1000)
        return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"

    return "".join(f"{i + 1}\n{stamp(i * step_ms)} --> {stamp(i * step_ms)}\nLine {i}.\n\n" for i in range(n))


def cpu_of_child(args: list[str]) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if done.returncode not in (0, 1):  # 1: findings left after fixing
        print(done.stderr.strip()[-400:], file=sys.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="screenkit-fix-scale-") as folder:
        for label, step in (("at one instant", 0), ("10 ms apart", 10)):
            seconds = []
            for n in (args.events // 4, args.events):
                source = Path(folder) / f"zero-{n}-{step}.srt"
                source.write_text(srt(n, step), encoding="utf-8")
                cpu, code = cpu_of_child([sys.executable, "-m", "toolkit", "lint", str(source), "--fix",
                                          "-o", str(Path(folder) / "fixed.srt")])
                seconds.append(cpu)
                print(f"lint --fix, {n:,} zero-length events {label}: {cpu:.1f} CPU s (exit {code})", flush=True)
            print(f"  {args.events:,} vs {args.events // 4:,} events: {seconds[1] / seconds[0]:.2f}x the CPU time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
