"""Does a written file read back to the cues it was written from?

``read_back_check(track, data, fmt)`` reads ``data`` (the bytes a writer
produced for ``fmt``) with screenkit's own reader and compares it with
``track`` as that format can carry it (``lossy.adapt``): the same number of
cues, each with the same visible text (markup stripped, blank lines and
surrounding spaces aside) at the same times, within the format's precision
(1 ms for SRT and WebVTT, 10 ms for ASS/SSA, one 4 ms tick for Interop DCP,
one frame for SMPTE DCP), and on top where it was on top when the format
can say so. TTML formats are read as what is on screen when (IMSC's
intermediate synchronic documents), so there the two are compared as screens
over time: a cue showing nothing, or of no duration, is not expected back,
and touching cues that show the same read back as one. It returns the differences, one line each; an empty list when
the file reads back the same.

``has_text(track)`` says whether any cue shows something: a conversion
whose source showed text and whose output shows none is an error, not an
empty file (``toolkit.cli.convert``).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from toolkit.errors import ScreenkitError
from toolkit.subtitles.formats import SubtitleFormat, get_format
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.timecode import format_srt
from toolkit.text.markup import ass_visible, is_drawing, strip_markup

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# How far apart a time may read back, in ms, by format (what its time stamps can say).
_PRECISION_MS = {"ass": 10, "ssa": 10, "dcp-interop": 4}
_MAX_REPORTED = 10
# Formats read through a timing model (TTML's intermediate synchronic documents): a cue of no
# duration is never on screen there, so it does not read back, and need not.
_TIMED_MODEL = frozenset({"imsc", "ebu-tt-d"})


def visible_text(cue: Cue, fmt: str | None = None) -> str:
    """What a viewer reads of a cue: no markup, no blank lines, no spaces around lines; ``fmt``
    "ass" or "ssa" for cues read from ASS (where "\\{" shows as "{")."""
    if is_drawing(cue.text):
        return ""
    shown = [ass_visible(line) for line in cue.lines] if fmt in ("ass", "ssa") else cue.lines
    # Control characters are drawn by no renderer (and XML cannot hold them): not visible.
    lines = (_CONTROLS.sub("", strip_markup(line)).replace("\u00a0", " ").strip() for line in shown)
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


def _seen(cues: list[Cue], fmt: str | None = None) -> list[_Seen]:
    found = [_Seen(cue.start, cue.end, visible_text(cue, fmt), cue.is_top) for cue in cues]
    return sorted(found, key=lambda seen: (seen.start, seen.end, seen.text))


def read_back_check(track: Track, data: bytes, fmt: str) -> list[str]:
    """The differences between ``track`` and what ``data`` (written as ``fmt``) reads back as."""
    from toolkit.subtitles.lossy import adapt

    spec = get_format(fmt)
    expected_track = adapt(track, spec)[0]
    cues = [cue for cue in expected_track.cues if not is_drawing(cue.text)]
    if spec.name in _TIMED_MODEL:
        cues = [cue for cue in cues if cue.end > cue.start]  # never on screen: no such <p> to read
    expected = _seen(cues, track.format)
    try:
        read = _read(data, spec)
    except ScreenkitError as error:
        if not expected and not data.strip():
            return []  # nothing written for nothing to write (an empty SRT)
        return [f"the written {spec.name} does not read back: {error}"]
    got = _seen([cue for cue in read.cues if not is_drawing(cue.text)], spec.name)  # drawings: pictures
    if spec.name in _TIMED_MODEL:
        # A TTML reader computes what is on screen when (intermediate synchronic documents):
        # cues showing nothing are not there, and touching cues showing the same are one.
        # So the two are compared as screens over time.
        return _compare_screens(_screens(expected), _screens(got), _precision(spec, expected_track))
    differences: list[str] = []
    if len(got) != len(expected):
        differences.append(f"{len(expected)} cues written, {len(got)} read back")
    tolerance = _precision(spec, expected_track)
    # Cues pair by text, then by the nearest times: rounding to a coarser clock (ASS centiseconds)
    # may reorder cues that start within one tick of each other.
    unread: dict[str, list[_Seen]] = {}
    for seen in got:
        unread.setdefault(seen.text, []).append(seen)
    for number, want in enumerate(expected, start=1):
        where = f"cue {number} ({format_srt(want.start)})"
        candidates = unread.get(want.text, [])
        have = min(candidates, key=lambda seen: abs(seen.start - want.start) + abs(seen.end - want.end), default=None)
        if have is None:
            differences.append(f"{where}: text {want.text!r} not read back")
        else:
            candidates.remove(have)
            if abs(want.start - have.start) > tolerance or abs(want.end - have.end) > tolerance:
                differences.append(
                    f"{where}: times {format_srt(want.start)} --> {format_srt(want.end)} read back as "
                    f"{format_srt(have.start)} --> {format_srt(have.end)}"
                )
            if spec.capabilities.positions and want.top != have.top:
                differences.append(f"{where}: {'top' if want.top else 'bottom'} position read back as "
                                   f"{'top' if have.top else 'bottom'}")
        if len(differences) >= _MAX_REPORTED:
            return differences
    extra = [seen for seens in unread.values() for seen in seens]
    for seen in extra[: _MAX_REPORTED - len(differences)]:
        differences.append(f"read back a cue that was not written: {format_srt(seen.start)} {seen.text!r}")
    return differences


@dataclass(frozen=True)
class _Screen:
    start: int
    end: int
    shown: tuple[tuple[str, bool], ...]  # (text, on top) of every cue on screen, sorted


def _screens(seen: list[_Seen]) -> list[_Screen]:
    """What is on screen from one change to the next; nothing shown is no screen, and
    consecutive screens showing the same are one."""
    shown = sorted((cue for cue in seen if cue.text and cue.end > cue.start), key=lambda cue: cue.start)
    instants = sorted({time for cue in shown for time in (cue.start, cue.end)})
    screens: list[_Screen] = []
    active: list[_Seen] = []
    following = 0
    for start, end in itertools.pairwise(instants):  # one sweep: cues join at their start, leave at their end
        while following < len(shown) and shown[following].start <= start:
            active.append(shown[following])
            following += 1
        active = [cue for cue in active if cue.end > start]
        on = tuple(sorted((cue.text, cue.top) for cue in active))
        if not on:
            continue
        if screens and screens[-1].end == start and screens[-1].shown == on:
            screens[-1] = _Screen(screens[-1].start, end, on)
        else:
            screens.append(_Screen(start, end, on))
    return screens


def _compare_screens(expected: list[_Screen], got: list[_Screen], tolerance: int) -> list[str]:
    differences: list[str] = []
    if len(expected) != len(got):
        differences.append(f"{len(expected)} screens written, {len(got)} read back")
    for number, (want, have) in enumerate(zip(expected, got, strict=False), start=1):
        where = f"screen {number} ({format_srt(want.start)})"
        if want.shown != have.shown:
            differences.append(f"{where}: shows {[text for text, _ in want.shown]!r}, read back "
                               f"{[text for text, _ in have.shown]!r}")
        elif abs(want.start - have.start) > tolerance or abs(want.end - have.end) > tolerance:
            differences.append(f"{where}: times {format_srt(want.start)} --> {format_srt(want.end)} read "
                               f"back as {format_srt(have.start)} --> {format_srt(have.end)}")
        if len(differences) >= _MAX_REPORTED:
            break
    return differences


__all__ = ["has_text", "read_back_check", "visible_text"]
