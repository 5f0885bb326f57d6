"""Moving cues in time: shift, frame-rate conversion, removal of a timecode offset."""

from __future__ import annotations

from fractions import Fraction

from toolkit.errors import ScreenkitError
from toolkit.subtitles.model import Track
from toolkit.subtitles.timecode import HOUR, format_srt


def _round(value: Fraction) -> int:
    return round(value)  # Fraction rounds half to even, exactly


def shift(track: Track, offset_ms: int) -> Track:
    result = track.copy()
    for number, cue in enumerate(result.cues, start=1):
        if cue.start + offset_ms < 0:
            raise ScreenkitError(
                f"shifting by {offset_ms} ms moves cue {number} ({format_srt(cue.start)}) before 00:00:00,000",
                path=track.path,
                line=cue.source_line,
            )
        cue.start += offset_ms
        cue.end += offset_ms
    return result


def change_fps(track: Track, source_fps: Fraction, target_fps: Fraction) -> Track:
    """A track timed for a copy at ``source_fps`` → the same frames in a copy at ``target_fps``.

    A frame shown at time t in the source copy is frame t*source_fps, shown
    at t*source_fps/target_fps in the target copy.
    """
    ratio = Fraction(source_fps) / Fraction(target_fps)
    result = track.copy()
    for cue in result.cues:
        cue.start = _round(cue.start * ratio)
        cue.end = _round(cue.end * ratio)
    if result.frame_rate is not None:
        result.frame_rate = Fraction(target_fps)
    return result


def detect_offset(track: Track) -> int:
    """The whole-hour offset a programme timecode adds (01:00:00:00, 10:00:00:00), or 0."""
    if not track.cues:
        return 0
    first = min(cue.start for cue in track.cues)
    return (first // HOUR) * HOUR


def remove_offset(track: Track) -> tuple[Track, int]:
    """Subtract the whole-hour offset once; a track already at zero is unchanged."""
    offset = detect_offset(track)
    if offset == 0:
        return track.copy(), 0
    return shift(track, -offset), offset
