"""Does a written file read back to the cues it was written from?

``read_back_check(track, data, fmt)`` reads ``data`` (the bytes a writer
produced for ``fmt``) with screenkit's own reader and compares it with
``track`` as that format can carry it (``lossy.adapt``): the same number of
cues, each with the same visible text (markup stripped, blank lines and
surrounding spaces aside) at the same times, within the format's precision
(1 ms for SRT and WebVTT, 10 ms for ASS/SSA, one 4 ms tick for Interop DCP,
one frame for SMPTE DCP), and on top where it was on top when the format
can say so. It returns the differences, one line each; an empty list when
the file reads back the same.

``has_text(track)`` says whether any cue shows something: a conversion
whose source showed text and whose output shows none is an error, not an
empty file (``toolkit.cli.convert``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from toolkit.errors import ScreenkitError
from toolkit.subtitles.formats import SubtitleFormat, get_format
from toolkit.subtitles.markup import is_drawing, strip_markup
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.timecode import format_srt

# How far apart a time may read back, in ms, by format (what its time stamps can say).
_PRECISION_MS = {"ass": 10, "ssa": 10, "dcp-interop": 4}
_MAX_REPORTED = 10


def visible_text(cue: Cue) -> str:
    """What a viewer reads of a cue: no markup, no blank lines, no spaces around lines."""
    if is_drawing(cue.text):
        return ""
    lines = (strip_markup(line).replace("\u00a0", " ").strip() for line in cue.lines)
    return "\n".join(line for line in lines if line)


def has_text(track: Track) -> bool:
    """Whether any cue of the track shows text."""
    return any(visible_text(cue) for cue in track.cues)


def _precision(spec: SubtitleFormat, track: Track) -> int:
    if spec.name == "dcp-smpte":
        rate = float(track.frame_rate) if track.frame_rate else 24.0
        return math.ceil(1000 / rate)
    if spec.name in ("imsc", "ebu-tt-d") and track.frame_rate:
        return math.ceil(1000 / float(track.frame_rate))
    return _PRECISION_MS.get(spec.name, 1)


def _read(data: bytes, spec: SubtitleFormat) -> Track:
    if spec.read_bytes is not None:
        return spec.read_bytes(data, None)
    from toolkit.subtitles.encoding import decode

    text = decode(data, binary_check=not spec.controls_are_text).text
    return spec.read(text, None)


@dataclass(frozen=True)
class _Seen:
    start: int
    end: int
    text: str
    top: bool


def _seen(cues: list[Cue]) -> list[_Seen]:
    found = [_Seen(cue.start, cue.end, visible_text(cue), cue.is_top) for cue in cues]
    return sorted(found, key=lambda seen: (seen.start, seen.end, seen.text))


def read_back_check(track: Track, data: bytes, fmt: str) -> list[str]:
    """The differences between ``track`` and what ``data`` (written as ``fmt``) reads back as."""
    from toolkit.subtitles.lossy import adapt

    spec = get_format(fmt)
    expected_track = adapt(track, spec)[0]
    expected = _seen([cue for cue in expected_track.cues if not is_drawing(cue.text)])
    try:
        read = _read(data, spec)
    except ScreenkitError as error:
        if not expected and not data.strip():
            return []  # nothing written for nothing to write (an empty SRT)
        return [f"the written {spec.name} does not read back: {error}"]
    got = _seen(read.cues)
    differences: list[str] = []
    if len(got) != len(expected):
        differences.append(f"{len(expected)} cues written, {len(got)} read back")
    tolerance = _precision(spec, expected_track)
    for number, (want, have) in enumerate(zip(expected, got, strict=False), start=1):
        where = f"cue {number} ({format_srt(want.start)})"
        if abs(want.start - have.start) > tolerance or abs(want.end - have.end) > tolerance:
            differences.append(
                f"{where}: times {format_srt(want.start)} --> {format_srt(want.end)} read back as "
                f"{format_srt(have.start)} --> {format_srt(have.end)}"
            )
        if want.text != have.text:
            differences.append(f"{where}: text {want.text!r} read back as {have.text!r}")
        if spec.capabilities.positions and want.top != have.top:
            differences.append(f"{where}: {'top' if want.top else 'bottom'} position read back as "
                               f"{'top' if have.top else 'bottom'}")
        if len(differences) >= _MAX_REPORTED:
            break
    return differences


__all__ = ["has_text", "read_back_check", "visible_text"]
