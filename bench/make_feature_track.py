"""Write a Chinese track with as many distinct characters as a feature film.

    .venv/bin/python bench/make_feature_track.py build/feature.zh-Hans.srt

150 two-line cues using 3,000 distinct CJK ideographs (U+4E00 onwards, ten per
line), one every two seconds from 00:00:04: a Chinese feature's 2,500-3,000
characters, whose DCP font subset passes Interop's 640 KiB. For trying
``convert --to dcp-interop`` (image subtitles) and ``--no-images``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit.fsutil import write_text_atomic
from toolkit.subtitles.timecode import format_srt

CUES = 150
PER_LINE = 10


def feature_track() -> str:
    blocks = []
    for number in range(CUES):
        first = 0x4E00 + number * 2 * PER_LINE
        lines = ["".join(map(chr, range(start, start + PER_LINE))) for start in (first, first + PER_LINE)]
        start_ms = 4000 + number * 2000
        times = f"{format_srt(start_ms)} --> {format_srt(start_ms + 1800)}"
        blocks.append(f"{number + 1}\n{times}\n" + "\n".join(lines) + "\n")
    return "\n".join(blocks)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make_feature_track.py OUTPUT.srt", file=sys.stderr)
        return 2
    target = Path(argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, feature_track())
    print(f"{target}: {CUES} cues, {CUES * 2 * PER_LINE:,} distinct characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
