"""Parse and lint CPU-time ratios against pysrt, for several checkouts of screenkit in one run.

    .venv/bin/python bench/bench_trees.py TREE [TREE...] [--rounds 3] [--cues 20000] [--repeat 5] [--lang en]

Each TREE is a checkout (``git worktree add /tmp/old 4cdca31`` gives an older
one); this checkout's benchmarks generate the inputs for all of them, so every
tree reads the same files. Per round, each tree runs in its own process, in
turn, so that load from other work falls on all of them alike. In each process
the steps run interleaved, ``--repeat`` times, best CPU time kept
(``time.process_time``); the figures are ratios to pysrt in the same process:

* parse: ``parse_text(text, "srt")`` / ``pysrt.from_string`` on bench_parse.py's text;
* read: ``read_track(path)`` / ``pysrt.open`` on bench_lint.py's file;
* lint: ``lint_track`` under the festival profile / ``pysrt.open``;
* read + lint: the two added / ``pysrt.open``.

Per tree: the best round (the least disturbed, as bench_lint.py reports), the median
and the worst.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = ("parse", "read", "lint", "read+lint")


def measure_one(root: Path, cues: int, repeat: int, lang: str, inputs: Path) -> dict[str, float]:
    """Ratios for the tree at ``root`` (run in a process of its own)."""
    sys.path.insert(0, str(root))
    import pysrt

    from toolkit.languages import parse_language
    from toolkit.qc import lint_track, load_profile
    from toolkit.subtitles import parse_text, read_track

    text = (inputs / "parse.srt").read_text(encoding="utf-8")
    path = inputs / f"lint.{lang}.srt"
    profile = load_profile("festival", parse_language(lang))
    track = read_track(path)
    lint_track(track, profile)  # the language identifier's model loads outside the timing
    steps: dict[str, Callable[[], object]] = {
        "pysrt.from_string": lambda: pysrt.from_string(text),
        "parse_text": lambda: parse_text(text, "srt"),
        "pysrt.open": lambda: pysrt.open(str(path), encoding="utf-8"),
        "read_track": lambda: read_track(path),
        "lint_track": lambda: lint_track(track, profile),
    }
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, step in steps.items():
            started = time.process_time()
            step()
            best[name] = min(best.get(name, float("inf")), time.process_time() - started)
    base = best["pysrt.open"]
    return {
        "parse": best["parse_text"] / best["pysrt.from_string"],
        "read": best["read_track"] / base,
        "lint": best["lint_track"] / base,
        "read+lint": (best["read_track"] + best["lint_track"]) / base,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cues", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="en", choices=["en", "fr", "zh-Hans"])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # internal: measure this tree
    parser.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure_one(args.one, args.cues, args.repeat, args.lang, args.inputs)))
        return
    trees = [tree.resolve() for tree in args.trees] or [HERE.parent]
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    import bench_lint
    import bench_parse

    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder)
        (inputs / "parse.srt").write_text(bench_parse.generate(args.cues), encoding="utf-8")
        bench_lint.generate(inputs / f"lint.{args.lang}.srt", args.cues, args.lang)
        results: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
        for _ in range(args.rounds):
            for tree in trees:
                command = [sys.executable, __file__, "--one", str(tree), "--inputs", str(inputs),
                           "--cues", str(args.cues), "--repeat", str(args.repeat), "--lang", args.lang]
                output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=tree).stdout
                results[tree].append(json.loads(output.splitlines()[-1]))
    print(f"{args.cues} cues, lang {args.lang}, {args.rounds} rounds, best of {args.repeat} per process; "
          "CPU-time ratios to pysrt: best over rounds (the least disturbed), median, worst")
    print(f"{'tree':<32}" + "".join(f"{step:>20}" for step in STEPS))
    for tree, rounds in results.items():
        cells = ""
        for step in STEPS:
            values = sorted(r[step] for r in rounds)
            cells += f"{values[0]:>10.2f} {statistics.median(values):4.2f} {values[-1]:4.2f}"
        print(f"{str(tree)[-32:]:<32}{cells}")


if __name__ == "__main__":
    main()
