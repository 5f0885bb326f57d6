"""Applying a found mapping to a track, through the retime code, and the invariants it keeps.

Invariants (checked by :func:`check_invariants` before anything is written,
and by the property tests):

1. The same cues in the same order: texts, line breaks, styles, positions
   and every other field but the two times are untouched.
2. Times change only by the mapping: ``start' = round(start * ratio) + offset``
   and the same for ``end``, with the offset of the cue's piece; so with a
   ratio of 1 every duration is unchanged, and otherwise it is scaled by the ratio.
3. Order in time is kept: a cue that started no earlier than the one before
   it still does (a split that would reorder cues is refused).
"""

from __future__ import annotations

from fractions import Fraction

from toolkit.errors import EXIT_FINDINGS, ScreenkitError
from toolkit.subtitles import retime
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.timecode import format_srt
from toolkit.sync.model import NOMINAL_RATES, SyncResult


def apply_mapping(track: Track, result: SyncResult) -> Track:
    """The track retimed by ``result``: frame-rate ratio first, then each piece's offset."""
    scaled = track
    if result.rate.ratio != 1:
        scaled = retime.change_fps(
            track, NOMINAL_RATES[result.rate.source], NOMINAL_RATES[result.rate.target]
        )
    cues: list[Cue] = []
    for piece in result.pieces:
        part = scaled.copy(cues=scaled.cues[piece.first_cue : piece.last_cue + 1])
        first = part.cues[0]
        if first.start + piece.offset_ms < 0:
            raise ScreenkitError(
                f"the offset found ({piece.offset_ms:+d} ms) moves cue {piece.first_cue + 1} "
                f"({format_srt(first.start)}) before 00:00:00,000",
                path=track.path,
                line=first.source_line,
                exit_code=EXIT_FINDINGS,
            )
        cues.extend(retime.shift(part, piece.offset_ms).cues if piece.offset_ms else part.cues)
    mapped = scaled.copy(cues=cues)
    check_order(track, mapped)
    return mapped


def expected_time(time: int, ratio: Fraction, offset: int) -> int:
    return round(Fraction(time) * ratio) + offset


def check_order(original: Track, mapped: Track) -> None:
    for number in range(1, len(mapped.cues)):
        before, after = original.cues[number - 1], original.cues[number]
        if after.start >= before.start and mapped.cues[number].start < mapped.cues[number - 1].start:
            raise ScreenkitError(
                f"the pieces found would put cue {number + 1} before cue {number}: the track has "
                "lines for a scene the picture does not have; remove them and sync again",
                path=original.path,
                line=after.source_line,
                exit_code=EXIT_FINDINGS,
            )


def check_invariants(original: Track, mapped: Track, result: SyncResult) -> None:
    """Raise (a bug: exit 3 through the CLI) if the mapped track is not ``original`` moved by ``result``."""
    if len(original.cues) != len(mapped.cues):
        raise AssertionError(f"sync changed the number of cues ({len(original.cues)} -> {len(mapped.cues)})")
    offsets = [piece.offset_ms for piece in result.pieces for _ in range(piece.first_cue, piece.last_cue + 1)]
    for index, (before, after, offset) in enumerate(zip(original.cues, mapped.cues, offsets, strict=True)):
        untouched = before.copy(start=after.start, end=after.end)
        if untouched != after:
            raise AssertionError(f"sync changed more than the times of cue {index + 1}")
        if (after.start, after.end) != (
            expected_time(before.start, result.ratio, offset),
            expected_time(before.end, result.ratio, offset),
        ):
            raise AssertionError(f"cue {index + 1} was not moved by the mapping found")
    check_order(original, mapped)
