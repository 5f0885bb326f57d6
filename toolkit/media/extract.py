"""Text subtitle tracks out of a container, one file per track: ``{stem}.{lang}.srt``."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.fsutil import atomic_path
from toolkit.media.ffmpeg import media_path, resolve_ffmpeg, run_ffmpeg
from toolkit.media.probe import StreamInfo, probe


def _extension(stream: StreamInfo) -> tuple[str, str]:
    """(file extension, ffmpeg codec): ASS stays ASS (styles), the rest becomes SRT."""
    if stream.codec in ("ass", "ssa"):
        return ".ass", "copy"
    return ".srt", "srt"


def _language_part(stream: StreamInfo) -> str:
    language = stream.screenkit_language
    if language is not None:
        return language.tag
    if stream.language and stream.language.isalnum():
        return stream.language  # a tag screenkit does not know (deu, spa): kept as stored
    return "und"


def output_names(video: Path, streams: list[StreamInfo]) -> list[str]:
    """``film.zh-Hans.srt``; a second track in the same language is ``film.zh-Hans.2.srt``."""
    names: list[str] = []
    counts: dict[tuple[str, str], int] = {}
    for stream in streams:
        language, extension = _language_part(stream), _extension(stream)[0]
        key = (language, extension)
        counts[key] = counts.get(key, 0) + 1
        number = counts[key]
        suffix = f".{language}{extension}" if number == 1 else f".{language}.{number}{extension}"
        names.append(video.stem + suffix)
    return names


def extract(
    video: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    ffmpeg: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write every text subtitle track of ``video`` into ``out_dir``; the paths written.

    Image subtitles (PGS, DVD) are not text and are skipped. All files come
    from one ffmpeg run and appear together, or none do.
    """
    video, out_dir = Path(video), Path(out_dir)
    info = probe(video, require_video=False)
    streams = [s for s in info.subtitles if s.is_text_subtitle]
    if not streams:
        return []
    if out_dir.exists() and not out_dir.is_dir():
        raise ScreenkitError("not a folder", path=out_dir)
    tool = resolve_ffmpeg(ffmpeg)
    import ffmpeg as ffmpeg_python

    targets = [out_dir / name for name in output_names(video, streams)]
    source = ffmpeg_python.input(media_path(video))
    with contextlib.ExitStack() as stack:
        temporaries = [stack.enter_context(atomic_path(target)) for target in targets]
        outputs = [
            ffmpeg_python.output(
                source[f"s:{stream.type_index}"], media_path(temporary), **{"c:s": _extension(stream)[1]}
            )
            for stream, temporary in zip(streams, temporaries, strict=True)
        ]
        command = (
            ffmpeg_python.merge_outputs(*outputs)
            .global_args("-hide_banner", "-nostdin", "-loglevel", "error")
            .overwrite_output()
            .compile(cmd=tool.path)
        )
        run_ffmpeg(command, what="extracting subtitles", path_for_errors=video, output=out_dir)
        for temporary, target in zip(temporaries, targets, strict=True):
            _verify_track(temporary, target)
    return targets


def _verify_track(temporary: Path, target: Path) -> None:
    """What ffmpeg wrote must read back as subtitles before it gets its name."""
    from toolkit.subtitles import read_track

    try:
        read_track(temporary)
    except ScreenkitError as error:
        raise ScreenkitError(
            f"ffmpeg wrote a file that does not read back as subtitles ({error.message}); nothing was written",
            path=target,
        ) from None
