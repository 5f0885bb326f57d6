"""Corpus report: how many files of ../shared/corpus parse, are refused (and why), and keep
every fix invariant (toolkit/qc/invariants.py) after ``fix_track`` under the festival profile.

Run: .venv/bin/python bench/bench_corpus.py [--corpus ../shared/corpus] [--verbose]

The baseline is the corpus itself: every file the registry claims by its extension is read.
Refusals are not failures (the corpus has broken files on purpose); a file that parses and
then breaks an invariant is, and is listed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toolkit.errors import ScreenkitError
from toolkit.qc import fix_track, load_profile
from toolkit.qc.invariants import fix_violations
from toolkit.subtitles import SUBTITLE_EXTENSIONS, read_track


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file() and p.suffix.lower() in SUBTITLE_EXTENSIONS)
    parsed = held = cues = warned = 0
    refused: Counter[str] = Counter()
    broken: list[tuple[Path, list[str]]] = []
    formats: Counter[str] = Counter()
    began = time.perf_counter()
    for path in files:
        try:
            track = read_track(path)
        except ScreenkitError as error:
            refused[error.message.split(":")[0].split("(")[0].strip()[:60]] += 1
            if args.verbose:
                print(f"refused {error}")
            continue
        parsed += 1
        cues += len(track)
        warned += bool(track.warnings)
        formats[track.format or "?"] += 1
        profile = load_profile("festival", track.language)
        result = fix_track(track, profile)
        min_gap = profile.duration_ms("min_gap", track.frame_rate or profile.frame_rate) or 0
        problems = fix_violations(track, result, min_gap)
        if problems:
            broken.append((path, problems))
        else:
            held += 1
    seconds = time.perf_counter() - began
    print(f"corpus: {args.corpus} ({len(files)} subtitle files by extension)")
    print(f"parsed: {parsed} ({', '.join(f'{n} {f}' for f, n in sorted(formats.items()))}), {cues:,} cues; "
          f"{warned} with reader warnings (repaired, named by line)")
    print(f"refused: {sum(refused.values())}")
    for reason, count in refused.most_common():
        print(f"  {count:3d}  {reason}")
    print(f"fix invariants held: {held} of {parsed}")
    for path, problems in broken:
        print(f"  BROKEN {path.name}: {problems[:3]}")
    print(f"time: {seconds:.1f} s")


if __name__ == "__main__":
    main()
