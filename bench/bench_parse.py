"""Parse time of a generated 50,000-cue SRT: screenkit's reader against pysrt.from_string.

Run: .venv/bin/python bench/bench_parse.py [--cues 50000] [--repeat 5]

Both parse the same text in the same process; the figure is the best of
--repeat runs (the least disturbed by other work on the machine), given per
10,000 cues. The ratio is screenkit / pysrt: below 1 means screenkit is faster.
screenkit does more per cue than pysrt (line numbers for diagnostics, styling
tags to the canonical form, ``{\\an8}`` lifted into the alignment).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pysrt

from toolkit.subtitles import parse_text, render_track
from toolkit.subtitles.timecode import format_srt

LINES = (
    ("Changsha, 1972.", "Tomb No. 1 at Mawangdui is opened."),
    ("<i>I always felt I was living</i>", "<i>at low tide.</i>"),
    ("{\\an8}SPRING TIDE TONIGHT", "Lowest water of the year"),
    ("漆是在湿气中变硬的", "很多人想不到这一点"),
    ("- Tu entends\u00a0?", "- Entendre quoi\u00a0?"),
)


def generate(count: int) -> str:
    parts = []
    for number in range(count):
        start = number * 3000 + 250
        first, second = LINES[number % len(LINES)]
        parts.append(f"{number + 1}\n{format_srt(start)} --> {format_srt(start + 2400)}\n{first}\n{second}\n")
    return "\n".join(parts)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        timings.append(time.perf_counter() - began)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    text = generate(args.cues)
    track = parse_text(text, "srt")
    assert len(track) == args.cues and len(pysrt.from_string(text)) == args.cues

    per = 10_000 / args.cues
    ours = best_of(args.repeat, lambda: parse_text(text, "srt"))
    theirs = best_of(args.repeat, lambda: pysrt.from_string(text))
    written = best_of(args.repeat, lambda: render_track(track, "srt"))
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(f"input: {args.cues} cues, {len(text.encode()) / 1e6:.1f} MB of SRT; best of {args.repeat}")
    print(f"screenkit parse_text       {ours * per:.3f} s per 10,000 cues")
    print(f"pysrt.from_string baseline {theirs * per:.3f} s per 10,000 cues")
    print(f"ratio screenkit / pysrt    {ours / theirs:.2f}")
    print(f"screenkit render (SRT)     {written * per:.3f} s per 10,000 cues")


if __name__ == "__main__":
    main()
