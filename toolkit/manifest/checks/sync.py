"""M8xx: subtitles against the speech in the work's audio (M801 a track is off by more
than ``event.sync_tolerance_seconds``, default 0.2 s, or runs at another frame rate).

Only with media checks on (``validate`` without ``--no-media``); the audio of
each work is decoded once (toolkit/sync/check.py), and the confidence is
``screenkit sync``'s, calibrated from 45-second shorts to three-hour features.
A track that is not measurable (no speech in the audio, music only, cues no
closer to the speech than shuffled copies of them) is not reported: that
says nothing about its sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.manifest.checks.context import (
    CheckContext,
    CheckFamily,
    TrackEntry,
    WorkEntry,
    as_dict,
    as_str,
)

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track


def check_work(ctx: CheckContext, work: WorkEntry) -> None:
    if work.video is None or not ctx.check_media:
        return
    from toolkit.sync.check import estimate, event_tolerance_ms

    limit = event_tolerance_ms(ctx.event)
    for track in work.tracks:
        parsed = track.parsed if track.parsed is not None else _read(track)
        if parsed is None or not parsed.cues:
            continue
        found = estimate(work.video, parsed)
        if not found.off(limit):
            continue
        offset = found.offset_ms or 0
        subs = ctx.display(str(track.data.get("path", "")))
        video = ctx.display(str(as_dict(work.data.get("media")).get("path", "")))
        drift = f", timed for another frame rate ({found.fps})" if found.fps else ""
        # The offset is the correction: a track that is late needs moving back.
        side = "late" if offset < 0 else "early"
        fps_flag = " --fps-search" if found.fps else ""
        if found.off_speech is not None:
            first, last = found.off_speech
            ctx.report(
                "M801",
                f"{track.pointer}.path",
                f"cues {first}-{last} lie off the speech where the rest of the track fits (a cut or a reel "
                f"break in the copy it was timed for): screenkit sync {video} --subs {subs} --split -o FILE",
                Severity.WARNING,
            )
            continue
        ctx.report(
            "M801",
            f"{track.pointer}.path",
            f"{abs(offset) / 1000:.3f} s {side} on the speech in the audio{drift} (confidence {found.confidence:.2f}; "
            f"tolerance {limit / 1000:g} s): screenkit sync {video} --subs {subs}{fps_flag} -o FILE",
            Severity.WARNING,
        )


def _read(track: TrackEntry) -> Track | None:
    """The track's cues (the tracks family's findings may come from its cache, unparsed)."""
    from toolkit.errors import ScreenkitError
    from toolkit.subtitles import read_track

    if track.path is None:
        return None
    try:
        track.parsed = read_track(track.path, fmt=as_str(track.data.get("format")), language=track.language)
    except ScreenkitError:
        return None  # M401, from the tracks family
    return track.parsed


CODES = (
    CodeDoc(
        "M801",
        "subtitles out of sync with the audio",
        Severity.WARNING,
        "The track's cues lie further from the speech in the work's audio than "
        "event.sync_tolerance_seconds (default 0.2 s), or fit it only at another frame-rate "
        "ratio (a track timed for a 25 fps copy shown at 24), or fit it only in part (a quarter of "
        "its cues off the speech where the rest fits: a cut or a reel break). Measured like screenkit sync: "
        "voice activity per 10 ms against the cues, by FFT cross-correlation, with every "
        "23.976/24/25/30 ratio tried; only a confident measurement is reported.\n\n"
        "A track timed to another cut or a copy with a leader is the most common failure at a "
        "screening after missing glyphs.",
        "screenkit sync VIDEO --subs FILE -o OUT (the message gives the command; add --split when "
        "only part of the film is off). Raise event.sync_tolerance_seconds if the offset is intended.",
    ),
)

FAMILY = CheckFamily("M8", "sync with the audio", order=80, work=check_work, codes=CODES)
