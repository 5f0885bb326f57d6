"""What the timing rules and fixes share: the profile's durations at the track's rate, and lanes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from toolkit.qc.profile import Profile
from toolkit.subtitles.formats import Capabilities, format_of, get_format
from toolkit.subtitles.model import Cue, Track


def capabilities_of(track: Track) -> Capabilities:
    """What the track's format can carry; a track of no known format is treated as SRT."""
    spec = format_of(track)
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


def lanes(cues: list[Cue], indices: Sequence[int], styles: bool) -> list[list[int]]:
    """Indices (in time order) split into lanes: events that share the screen by design.

    Top and bottom subtitles do not collide; in ASS, each style is its own lane
    (a bilingual file shows its English and Chinese events at the same time,
    signs and songs run over dialogue). Timing rules apply within a lane.
    """
    groups: dict[tuple[str | None, bool], list[int]] = {}
    for index in indices:
        cue = cues[index]
        key = (cue.style if styles else None, cue.is_top)
        groups.setdefault(key, []).append(index)
    return list(groups.values())
