"""The library's entry points: measure a track against media or a reference, write the synced track."""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.media.ffmpeg import FFmpeg
from toolkit.subtitles.io import format_from_path, parse_text, render_track
from toolkit.subtitles.model import Track
from toolkit.sync.activity import Activity, cue_activity
from toolkit.sync.align import DEFAULT_SPLIT_PENALTY_MS, align
from toolkit.sync.apply import apply_mapping, check_invariants
from toolkit.sync.audio import ProgressCallback, speech_activity
from toolkit.sync.model import SyncResult

DEFAULT_MIN_CONFIDENCE = 0.5  # z = 7 over the decoys (align.py), calibrated by bench/calibrate_sync.py


def reference_activity(
    *,
    media: str | os.PathLike[str] | None = None,
    reference: Track | None = None,
    ffmpeg: FFmpeg | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Activity, str]:
    """What a track is aligned to: speech in ``media``'s audio, or ``reference``'s cues."""
    if (media is None) == (reference is None):
        raise ScreenkitError("sync against either a media file or a reference track")
    if reference is not None:
        return cue_activity(reference.cues), "reference"
    assert media is not None
    return speech_activity(media, ffmpeg=ffmpeg, progress=progress), "audio"


def measure(
    track: Track,
    activity: Activity,
    against: str = "audio",
    *,
    fps_search: bool = False,
    split: bool = False,
    max_offset_ms: int | None = None,
    split_penalty_ms: int = DEFAULT_SPLIT_PENALTY_MS,
) -> SyncResult:
    try:
        return align(
            track.cues,
            activity,
            against=against,
            fps_search=fps_search,
            split=split,
            max_offset_ms=max_offset_ms,
            split_penalty_ms=split_penalty_ms,
        )
    except ScreenkitError as error:
        raise error.with_path(track.path) if track.path else error from None


def synced(track: Track, result: SyncResult) -> Track:
    """``track`` moved by ``result``, its invariants checked (apply.py)."""
    mapped = apply_mapping(track, result)
    check_invariants(track, mapped, result)
    return mapped


def write_synced(
    track: Track, result: SyncResult, target: str | os.PathLike[str], *, fmt: str | None = None
) -> Track:
    """Write ``track`` moved by ``result`` to ``target`` atomically, after reading the text back."""
    from toolkit.fsutil import write_text_atomic

    mapped = synced(track, result)
    chosen = format_from_path(target, fmt)
    text = render_track(mapped, chosen)
    back = parse_text(text, chosen, os.fspath(target))
    # ASS keeps centiseconds, frame-based formats frames: the times read back may differ by that rounding.
    tolerance = {"srt": 0, "vtt": 0, "ass": 10, "ssa": 10}.get(chosen, 40)  # others count frames
    if len(back.cues) != len(mapped.cues) or any(
        abs(a.start - b.start) > tolerance or abs(a.end - b.end) > tolerance or a.plain_text != b.plain_text
        for a, b in zip(mapped.cues, back.cues, strict=True)
    ):
        raise AssertionError(f"the {chosen} written for {Path(target).name} does not read back as the synced track")
    write_text_atomic(target, text, bom=False)
    return mapped
