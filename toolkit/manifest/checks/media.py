"""M6xx: media (M601 cannot be probed, M602 duration off the declared one,
M603 frame rate not allowed / not as declared, M604 resolution not allowed / not as declared).

Only with media checks on (``validate`` without ``--no-media``).
"""

from __future__ import annotations

import re
from fractions import Fraction

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.errors import ScreenkitError
from toolkit.manifest.checks.context import (
    CheckContext,
    CheckFamily,
    WorkEntry,
    as_dict,
    as_fps,
    as_list,
    as_number,
)

DEFAULT_TOLERANCE_SECONDS = 2.0
# The shape the schema accepts; other texts are the schema's M106.
_FRAME_RATE = re.compile(r"^[0-9.]{1,8}(?:/[0-9]{1,5})?$")


def check_document(ctx: CheckContext) -> None:
    """Declared frame rates the schema's pattern lets through but that are not usable (9999)."""
    declared = [
        (f"event.screening_copy.frame_rates[{index}]", text)
        for index, text in enumerate(as_list(as_dict(ctx.event.get("screening_copy")).get("frame_rates")))
    ]
    declared += [
        (f"works[{index}].media.frame_rate", as_dict(as_dict(work).get("media")).get("frame_rate"))
        for index, work in enumerate(as_list(ctx.data.get("works")))
    ]
    for pointer, text in declared:
        if isinstance(text, str) and _FRAME_RATE.match(text) and as_fps(text) is None:
            ctx.report("M603", pointer, f"frame rate {text!r} is out of range (above 0, at most 1000 fps)")


def check_work(ctx: CheckContext, work: WorkEntry) -> None:
    if work.video is None or not ctx.check_media:
        return
    from toolkit.media.probe import probe

    media = as_dict(work.data.get("media"))
    pointer = f"{work.pointer}.media"
    try:
        info = probe(work.video)
    except ScreenkitError as error:
        ctx.report("M601", f"{pointer}.path", f"cannot probe the video: {error.message}")
        return
    work.probed_duration_ms = info.duration_ms
    declared = as_number(media.get("duration"))
    declared_pointer = f"{pointer}.duration"
    if declared is None:
        declared = as_number(work.data.get("runtime"))
        declared_pointer = f"{work.pointer}.runtime"
    tolerance = as_number(ctx.event.get("runtime_tolerance_seconds"))
    tolerance = DEFAULT_TOLERANCE_SECONDS if tolerance is None else tolerance
    if declared is not None and info.duration_ms is not None:
        actual = info.duration_ms / 1000
        if abs(actual - declared) > tolerance:
            ctx.report(
                "M602",
                declared_pointer,
                f"the video lasts {actual:.3f} s, not {declared:g} s (tolerance {tolerance:g} s)",
            )
    stream = info.video
    if stream is None:
        ctx.report("M601", f"{pointer}.path", "the file has no video stream")
        return
    copy = as_dict(ctx.event.get("screening_copy"))
    rate = stream.frame_rate
    if rate is not None:
        rate = Fraction(rate)
        allowed = [(text, as_fps(text)) for text in as_list(copy.get("frame_rates")) if isinstance(text, str)]
        if allowed and all(value != rate for _, value in allowed if value is not None):
            names = ", ".join(text for text, _ in allowed)
            ctx.report("M603", f"{pointer}.path", f"frame rate {show_fps(rate)} is not allowed by the event ({names})")
        declared_rate = as_fps(media.get("frame_rate"))
        if declared_rate is not None and declared_rate != rate:
            ctx.report("M603", f"{pointer}.frame_rate", f"the video runs at {show_fps(rate)} fps, not {media['frame_rate']}")
    width, height = stream.width, stream.height
    if width and height:
        sizes = [(r.get("width"), r.get("height")) for r in map(as_dict, as_list(copy.get("resolutions")))]
        if sizes and (width, height) not in sizes:
            names = ", ".join(f"{w}x{h}" for w, h in sizes)
            ctx.report("M604", f"{pointer}.path", f"resolution {width}x{height} is not allowed by the event ({names})")
        declared_size = as_dict(media.get("resolution"))
        if declared_size and (declared_size.get("width"), declared_size.get("height")) != (width, height):
            ctx.report(
                "M604",
                f"{pointer}.resolution",
                f"the video is {width}x{height}, not {declared_size.get('width')}x{declared_size.get('height')}",
            )


def show_fps(rate: Fraction) -> str:
    return str(rate.numerator) if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator} ({float(rate):.3f})"


CODES = (
    CodeDoc(
        'M601',
        'media cannot be probed',
        Severity.ERROR,
        'The video file cannot be read by ffmpeg, or it has no video stream.',
        'Replace the file with a playable screening copy.',
    ),
    CodeDoc(
        'M602',
        'duration off the declared one',
        Severity.ERROR,
        "The video's duration differs from media.duration (or the work's runtime) by more than event.runtime_tolerance_seconds: another cut, or a truncated file.",
        'Check the file; correct the declared duration if the file is right.',
    ),
    CodeDoc(
        'M603',
        'frame rate not allowed or not as declared',
        Severity.ERROR,
        "The video's frame rate is not among screening_copy.frame_rates, or differs from media.frame_rate; subtitles timed for another rate drift.",
        'Use a copy at an allowed rate, or correct the declaration.',
    ),
    CodeDoc(
        'M604',
        'resolution not allowed or not as declared',
        Severity.ERROR,
        "The video's size is not among screening_copy.resolutions, or differs from media.resolution.",
        'Use a copy at an allowed resolution, or correct the declaration.',
    ),
)

FAMILY = CheckFamily("M6", "media", order=40, document=check_document, work=check_work, codes=CODES)
