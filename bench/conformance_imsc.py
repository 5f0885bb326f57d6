"""IMSC conformance: screenkit's TTML reader against imscJS on w3c/imsc-tests.

For every ``.ttml`` of the suite, imscJS (the oracle: ``fromXML``,
``getMediaTimeEvents``, ``generateISD`` per event, bench/imsc_oracle.js)
says which paragraphs' text is on screen in each interval; screenkit's
reading (``read_track``) says the same through its cues. The two timelines
are compared as (start ms, end ms, sorted visible texts) after merging equal
neighbours, white space normalised within each line. The last interval of
imscJS (content that never ends) is taken to last 10 s, as screenkit's reader
ends such content. A document screenkit refuses with a clear message agrees
when imscJS shows no text in it (image-profile documents).

Prints agreement N/M overall and per folder, the disagreeing files, and the
count of silent empty outputs (screenkit read no cue, said nothing, while
imscJS shows text).

    .venv/bin/python bench/conformance_imsc.py [--suite DIR] [--imscjs DIR] [-v]

``--suite`` is a checkout of github.com/w3c/imsc-tests (default
$SCREENKIT_IMSC_TESTS or /tmp/i21b/imsc-tests); ``--imscjs`` a
``node_modules`` folder holding ``imsc`` and ``sax`` (``npm install imsc``;
default $SCREENKIT_IMSCJS or /tmp/i21b/node_modules). Without node, the
suite or imscJS the bench says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.errors import ScreenkitError  # noqa: E402
from toolkit.subtitles.io import read_track  # noqa: E402
from toolkit.subtitles.ttml_read import OPEN_END_S  # noqa: E402

Timeline = list[tuple[int, int, tuple[str, ...]]]


def normalise(text: str) -> str:
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def merged(intervals: list[tuple[int, int, tuple[str, ...]]]) -> Timeline:
    out: Timeline = []
    for start, end, texts in intervals:
        if end <= start or not texts:
            continue
        if out and out[-1][1] == start and out[-1][2] == texts:
            out[-1] = (out[-1][0], end, texts)
        else:
            out.append((start, end, texts))
    return out


def oracle_timeline(events: list[list]) -> Timeline:
    intervals = []
    for index, (t, texts) in enumerate(events):
        start = round(t * 1000)
        end = round(events[index + 1][0] * 1000) if index + 1 < len(events) else start + round(OPEN_END_S * 1000)
        visible = tuple(sorted(n for n in (normalise(text) for text in texts) if n))
        intervals.append((start, end, visible))
    return merged(intervals)


def screenkit_timeline(cues: list) -> Timeline:
    instants = sorted({c.start for c in cues} | {c.end for c in cues})
    intervals = []
    for start, end in pairwise(instants):
        visible = tuple(sorted(n for n in (normalise(c.plain_text) for c in cues
                                           if c.start <= start < c.end) if n))
        intervals.append((start, end, visible))
    return merged(intervals)


def run_oracle(files: list[Path], imscjs: Path) -> dict[str, dict]:
    script = Path(__file__).with_name("imsc_oracle.js")
    env = dict(os.environ, NODE_PATH=str(imscjs))
    done = subprocess.run(["node", str(script)], input="\n".join(map(str, files)), capture_output=True,
                          text=True, env=env, check=True)
    return {entry["file"]: entry for entry in map(json.loads, done.stdout.splitlines())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path,
                        default=Path(os.environ.get("SCREENKIT_IMSC_TESTS", "/tmp/i21b/imsc-tests")))
    parser.add_argument("--imscjs", type=Path,
                        default=Path(os.environ.get("SCREENKIT_IMSCJS", "/tmp/i21b/node_modules")))
    parser.add_argument("-v", "--verbose", action="store_true", help="show both timelines of each disagreement")
    args = parser.parse_args(argv)
    if shutil.which("node") is None:
        print("skipped: node is not installed (imscJS runs on node)")
        return 0
    if not (args.imscjs / "imsc").is_dir() or not (args.imscjs / "sax").is_dir():
        print(f"skipped: imscJS not found in {args.imscjs} (npm install imsc there, or --imscjs DIR)")
        return 0
    files = sorted(args.suite.glob("imsc1*/ttml/**/*.ttml")) if args.suite.is_dir() else []
    if not files:
        print(f"skipped: no w3c/imsc-tests in {args.suite} (git clone it, or --suite DIR)")
        return 0
    oracle = run_oracle(files, args.imscjs)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: list[str] = []
    silent_empty = 0
    refused = 0
    for file in files:
        folder = file.relative_to(args.suite).parts[0]
        entry = oracle.get(str(file), {"error": "no answer"})
        totals[folder][1] += 1
        expected = oracle_timeline(entry.get("events", []))
        try:
            track = read_track(file, fmt="imsc")
        except ScreenkitError as error:
            refused += 1
            if not expected:
                totals[folder][0] += 1
            else:
                failures.append(f"{file.relative_to(args.suite)}: refused ({error.message}) but imscJS shows text")
            continue
        got = screenkit_timeline(track.cues)
        if not track.cues and not track.warnings and expected:
            silent_empty += 1
        if got == expected:
            totals[folder][0] += 1
        else:
            failures.append(f"{file.relative_to(args.suite)}: differs")
            if args.verbose:
                failures.append(f"    imscJS:    {expected}")
                failures.append(f"    screenkit: {got}")
    agree = sum(n for n, _ in totals.values())
    total = sum(m for _, m in totals.values())
    for line in failures:
        print(line)
    for folder in sorted(totals):
        n, m = totals[folder]
        print(f"{folder}: {n}/{m}")
    print(f"IMSC agreement with imscJS: {agree}/{total} ({100 * agree / total:.1f} %); "
          f"refused with a message: {refused}; silent empty outputs: {silent_empty}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
