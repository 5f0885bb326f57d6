"""Writing a 2,000-cue track in each cinema/broadcast format, as a ratio to writing SRT.

Baseline: ``render_track(track, "srt")`` (pysrt), measured in the same run.
Figures: the DCP XML alone (Interop, SMPTE: layout + ElementTree), the XSD
validation of it (lxml, ClairMeta's schemas), the whole ``write_dcp`` (font
subset with fontTools + XSD + atomic writes), IMSC 1.1 and EBU-TT-D through
ttconv, and Interop image subtitles for a few events (libass via ffmpeg).
Best of N interleaved rounds, wall and CPU time (the CPU time of ffmpeg, a
child process, is not counted: compare wall for the images).

    .venv/bin/python bench/bench_cinema.py [--cues 2000] [--repeat 3] [--lang fr|zh-Hans]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lint import generate, measure

from toolkit.dcp.deliver import DcpOptions, write_dcp
from toolkit.dcp.events import events_from_track
from toolkit.dcp.fonts import _subset
from toolkit.dcp.xml import INTEROP, SMPTE, DcpHeader, render_interop, render_smpte
from toolkit.dcp.xsd import validate_xml
from toolkit.languages import parse_language
from toolkit.subtitles import Track, read_track, render_track
from toolkit.subtitles.ttml import write_ebu_tt_d, write_imsc

FONT_URN = "urn:uuid:12345678-1234-4234-9234-123456789abc"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="fr", choices=["fr", "en", "zh-Hans"])
    parser.add_argument("--images", type=int, default=20, help="events drawn as Interop images")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / f"bench.{args.lang}.srt"
        generate(source, args.cues, args.lang)
        track = read_track(source)
        track.language = parse_language(args.lang)
        interop = DcpHeader(INTEROP, font_uri="font.otf")
        smpte = DcpHeader(SMPTE, font_uri=FONT_URN, issue_date="2026-12-01T00:00:00+00:00")
        interop_xml = render_interop(events_from_track(track), interop)
        few = Track(cues=track.cues[: args.images], language=track.language)
        runs = iter(range(10**6))

        def fresh(options: DcpOptions, tracks: list[Track], name: str) -> object:
            _subset.cache_clear()  # the font subset is cached per process: time it every round
            return write_dcp(tracks, root / f"{name}{next(runs)}" / "x.xml", options)

        steps: dict[str, Callable[[], Any]] = {
            "SRT (baseline)": lambda: render_track(track, "srt"),
            "Interop XML": lambda: render_interop(events_from_track(track), interop),
            "SMPTE XML": lambda: render_smpte(events_from_track(track), smpte),
            "XSD check (Interop)": lambda: validate_xml(interop_xml),
            "write_dcp Interop": lambda: fresh(DcpOptions(), [track], "i"),
            "write_dcp SMPTE": lambda: fresh(
                DcpOptions(standard="smpte", issue_date="2026-12-01T00:00:00+00:00"), [track], "s"),
            "IMSC 1.1 (ttconv)": lambda: write_imsc(track),
            "EBU-TT-D (ttconv)": lambda: write_ebu_tt_d(track),
            f"Interop images, {len(few)} events": lambda: fresh(DcpOptions(force_images=True), [few], "p"),
        }
        best, _ = measure(steps, args.repeat)

    base_wall, base_cpu = best["SRT (baseline)"]
    print(f"track: {args.cues} cues, lang {args.lang}; python {sys.version.split()[0]}, "
          f"best of {args.repeat} interleaved rounds")
    print(f"{'step':<28}{'wall s':>8}{'cpu s':>8}{'x SRT (cpu)':>13}{'x SRT (wall)':>14}")
    for name, (wall, cpu) in best.items():
        print(f"{name:<28}{wall:>8.3f}{cpu:>8.3f}{cpu / base_cpu:>13.1f}{wall / base_wall:>14.1f}")


if __name__ == "__main__":
    main()
