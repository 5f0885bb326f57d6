"""What the timing rules and fixes share: the profile's durations at the track's rate, and lanes."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from toolkit.errors import ScreenkitError
from toolkit.qc.profile import Profile
from toolkit.subtitles.formats import Capabilities, get_format
from toolkit.subtitles.model import Cue, Track
from toolkit.text.markup import is_drawing


def capabilities_of(track: Track) -> Capabilities:
    """What the track's format can carry; a track of no known format is treated as SRT."""
    return _capabilities(track.format)


@functools.lru_cache(maxsize=64)
def _capabilities(name: str | None) -> Capabilities:
    spec = None
    if name:
        with contextlib.suppress(ScreenkitError):
            spec = get_format(name)
    return spec.capabilities if spec is not None else get_format("srt").capabilities


def frame_rate_of(track: Track, profile: Profile) -> Fraction:
    return track.frame_rate or profile.frame_rate


def tolerance_ms(profile: Profile, setting: str, frame_rate: Fraction) -> int:
    """Half a frame for limits counted in frames: a gap of 82 ms is 2 frames at 24 fps."""
    value = getattr(profile, setting)
    if value is None or value.unit != "frames":
        return 0
    return int(Fraction(500) / frame_rate)


@dataclass(frozen=True)
class Timing:
    """The profile's durations in milliseconds at the track's frame rate, computed once per track."""

    min_duration: int | None
    min_duration_tolerance: int
    max_duration: int | None
    max_duration_tolerance: int

    @classmethod
    def of(cls, profile: Profile, rate: Fraction) -> Timing:
        return cls(
            profile.duration_ms("min_duration", rate),
            tolerance_ms(profile, "min_duration", rate),
            profile.duration_ms("max_duration", rate),
            tolerance_ms(profile, "max_duration", rate),
        )


_POSITION = re.compile(r"\\(?:pos|move)\(([^)]*)\)")


def lane_key(cue: Cue, caps: Capabilities) -> tuple[object, ...]:
    """Where an event is on screen: its row (top, middle, bottom), and in formats that have them
    its style (which sets the margins), its layer and an explicit ``\\pos``; drawings apart."""
    alignment = cue.alignment or 2
    row = 0 if alignment in (7, 8, 9) else 1 if alignment in (4, 5, 6) else 2
    if not (caps.styles or caps.layers or caps.overrides):
        return (row,)
    text = cue.text
    position = _POSITION.search(text) if "\\" in text else None
    return (
        row,
        cue.style if caps.styles else None,
        cue.layer if caps.layers else 0,
        position.group(1).replace(" ", "") if position else None,
        caps.drawings and is_drawing(text),
    )


@dataclass
class LaneSplit:
    """Events grouped into lanes (each in time order); an identical duplicate (same lane, times
    and text) is one event: only the first is in ``lanes``, the others map to it in ``duplicates``."""

    lanes: list[list[int]]
    duplicates: dict[int, int]


def split_lanes(cues: Sequence[Cue], indices: Sequence[int], caps: Capabilities) -> LaneSplit:
    """Indices (in time order) split into lanes: events that share the screen by design.

    A track is a set of lanes: screen position (top, middle, bottom; in ASS the
    style and an explicit ``\\pos``) times ASS layer. Events in different lanes
    may be on screen together (a sign at the top over dialogue at the bottom);
    timing rules and fixes apply within a lane.
    """
    groups: dict[tuple[object, ...], list[int]] = {}
    duplicates: dict[int, int] = {}
    # Per lane, the events starting at its latest start, by (end, lines): a duplicate starts
    # when the events before it in the lane start (time order), so one look-up per event, even
    # for thousands of events starting together.
    same_start: dict[tuple[object, ...], tuple[int, dict[tuple[int, tuple[str, ...]], int]]] = {}
    for index in indices:
        cue = cues[index]
        key = lane_key(cue, caps)
        lane = groups.get(key)
        identity = (cue.end, tuple(cue.lines))
        if lane is None:
            groups[key] = [index]
            same_start[key] = (cue.start, {identity: index})
            continue
        start, seen = same_start[key]
        if start != cue.start:
            seen = {}
            same_start[key] = (cue.start, seen)
        first = seen.get(identity)
        if first is not None:
            duplicates[index] = first
        else:
            seen[identity] = index
            lane.append(index)
    return LaneSplit(list(groups.values()), duplicates)


def lanes(cues: Sequence[Cue], indices: Sequence[int], caps: Capabilities) -> list[list[int]]:
    """The lanes of ``split_lanes`` (identical duplicates left out)."""
    return split_lanes(cues, indices, caps).lanes


# ASS renderers stack events that collide (libass's collision handling): two speakers talking at
# once are shown one above the other. An overlap that long is deliberate, not a timing slip.
STACKED_OVERLAP_MS = 200


def deliberate_overlap(gap: int, caps: Capabilities, stagger: int) -> bool:
    """An overlap (``gap`` < 0) that an ASS renderer shows as two stacked events, on purpose: the
    second speaker starts while the first is on screen (``stagger``: how much later, > 0), and
    both stay up together a while. Two events that start together are a clash, not a reply."""
    return gap < 0 and caps.overrides and stagger > 0 and -gap >= STACKED_OVERLAP_MS
