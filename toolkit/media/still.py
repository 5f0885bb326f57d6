"""One frame of a video as a PNG (the package report shows burned-in subtitles with it)."""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.fsutil import atomic_path
from toolkit.media.ffmpeg import media_path, resolve_ffmpeg, run_ffmpeg
from toolkit.media.probe import probe


def still_frame(
    video: str | os.PathLike[str],
    at_ms: int,
    output_png: str | os.PathLike[str],
    *,
    ffmpeg: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the frame shown at ``at_ms`` to ``output_png`` (atomically); its path."""
    video, output = Path(video), Path(output_png)
    info = probe(video)
    if at_ms < 0 or (info.duration_ms is not None and at_ms >= info.duration_ms):
        raise ScreenkitError(
            f"no frame at {at_ms} ms: the video lasts {info.duration_ms} ms", path=video
        )
    tool = resolve_ffmpeg(ffmpeg)
    import ffmpeg as ffmpeg_python

    with atomic_path(output, suffix=".png") as temporary:
        # -ss after -i: decode up to the time, exact to the frame (before -i
        # would seek to a keyframe, fast but possibly off by seconds).
        command = (
            ffmpeg_python.input(media_path(video))
            .output(media_path(temporary), ss=f"{at_ms / 1000:.3f}", vframes=1, f="image2", vcodec="png", update=1)
            .global_args("-hide_banner", "-nostdin", "-loglevel", "error")
            .overwrite_output()
            .compile(cmd=tool.path)
        )
        run_ffmpeg(command, what="extracting a still", path_for_errors=video, output=output)
        if temporary.stat().st_size == 0:
            raise ScreenkitError(f"no frame could be decoded at {at_ms} ms", path=video)
        with temporary.open("rb") as handle:
            handle.seek(-12, os.SEEK_END)
            if handle.read()[4:8] != b"IEND":  # a PNG ends with its IEND chunk
                raise ScreenkitError("the PNG ffmpeg wrote is cut short; nothing was written", path=output)
    return output
