"""What is in a media file: container, duration, streams, subtitle tracks.

Probing reads the container with PyAV (libavformat, the library ffprobe is
built on). imageio-ffmpeg ships no ffprobe, and PyAV is a hard dependency,
so one prober works identically on every machine; nothing parses ffmpeg's
human-readable log. Frame rates come out as exact ``Fraction`` (24000/1001,
not 23.976).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.fsutil import require_regular_file
from toolkit.languages import LANGUAGES, Language, lookup

# Generic handler names ffmpeg writes into MP4 tracks; they are not titles.
_GENERIC_HANDLERS = {"VideoHandler", "SoundHandler", "SubtitleHandler", "TextHandler", ""}
TEXT_SUBTITLE_CODECS = frozenset({"subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text"})


@dataclass
class StreamInfo:
    index: int  # index in the container
    type: str  # "video", "audio", "subtitle", "data", "attachment"
    codec: str | None
    type_index: int = 0  # index among the streams of its type (for ffmpeg's 0:s:N)
    width: int | None = None
    height: int | None = None
    frame_rate: Fraction | None = None
    sample_aspect_ratio: Fraction | None = None  # None: square pixels or unknown
    rotation: int | None = None  # display rotation in degrees (90, 180, 270); None: none or unknown
    pixel_format: str | None = None
    channels: int | None = None
    sample_rate: int | None = None
    language: str | None = None  # the tag as stored (zho, chi, eng, und...)
    title: str | None = None
    filename: str | None = None  # attachments (fonts in Matroska)
    default: bool = False
    forced: bool = False
    duration_ms: int | None = None
    start_ms: int | None = None  # first timestamp, e.g. 0; an MKV copy starting at 128 ms is not a copy

    @property
    def display_size(self) -> tuple[int, int] | None:
        """(width, height) as played: players and ffmpeg's autorotate turn the picture."""
        if not self.width or not self.height:
            return None
        if self.rotation in (90, 270):
            return self.height, self.width
        return self.width, self.height

    @property
    def is_text_subtitle(self) -> bool:
        return self.type == "subtitle" and (self.codec or "") in TEXT_SUBTITLE_CODECS

    @property
    def screenkit_language(self) -> Language | None:
        """The screenkit language of a subtitle track: by title first (zh-Hans vs
        zh-Hant share the code chi/zho), then by the language tag."""
        if self.title:
            for language in LANGUAGES:
                if self.title.strip() in (language.native_name, language.english_name, language.tag):
                    return language
        return lookup(self.language) if self.language else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["frame_rate"] = _fraction_text(self.frame_rate)
        data["sample_aspect_ratio"] = _fraction_text(self.sample_aspect_ratio)
        return {key: value for key, value in data.items() if value is not None}


@dataclass
class MediaInfo:
    path: Path
    container: str  # libavformat's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    duration_ms: int | None
    streams: list[StreamInfo] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    size_bytes: int = 0

    @property
    def video(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.type == "video"), None)

    @property
    def audio(self) -> list[StreamInfo]:
        return [s for s in self.streams if s.type == "audio"]

    @property
    def subtitles(self) -> list[StreamInfo]:
        return [s for s in self.streams if s.type == "subtitle"]

    def to_json(self) -> dict[str, Any]:
        video = self.video
        return {
            "path": str(self.path),
            "container": self.container,
            "duration_ms": self.duration_ms,
            "size_bytes": self.size_bytes,
            "video": video.to_json() if video else None,
            "streams": [stream.to_json() for stream in self.streams],
            "subtitles": [stream.to_json() for stream in self.subtitles],
            "metadata": self.metadata,
        }


def _fraction_text(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _rate(stream: Any) -> Fraction | None:
    for name in ("average_rate", "guessed_rate", "base_rate"):
        rate = getattr(stream, name, None)
        if rate:
            value = Fraction(rate)
            if value > 0:
                return value
    return None


def _metadata(raw: Any) -> dict[str, str]:
    # MKV stores tags in upper case (DURATION, HANDLER_NAME), MP4 in lower case.
    return {str(key).lower(): str(value) for key, value in dict(raw or {}).items()}


def _title(meta: dict[str, str]) -> str | None:
    for key in ("title", "name", "handler_name"):
        value = meta.get(key)
        if value and value not in _GENERIC_HANDLERS:
            return value
    return None


def probe(
    path: str | os.PathLike[str], *, require_video: bool = True, decode_check: bool = True
) -> MediaInfo:
    """Read the streams of ``path``; a ScreenkitError (exit 2) naming it when it is not usable media.

    ``decode_check`` decodes the first video frame (a header can sit on top of
    garbage); outputs ffmpeg just wrote skip it.
    """
    path = Path(path)
    name = os.fspath(path)
    require_regular_file(path, kind="video file")  # a FIFO would block PyAV and ffmpeg
    size = path.stat().st_size
    if size == 0:
        raise ScreenkitError("empty file, not a video", path=name)

    import av

    from toolkit.media.ffmpeg import media_path

    try:
        # media_path: a relative "co:lon.mp4" would otherwise be read as protocol "co".
        container = av.open(media_path(name), mode="r", metadata_errors="replace")
    except av.error.FFmpegError as error:
        raise ScreenkitError(f"not a readable media file (corrupt or truncated?): {_av_reason(error)}", path=name) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ScreenkitError(f"cannot read as media: {error}", path=name) from None
    with container:
        info = _describe(container, path, size)
        if require_video and decode_check:
            _check_decodable(container, info, name)
    if require_video and info.video is None:
        kinds = ", ".join(sorted({s.type for s in info.streams})) or "no streams"
        raise ScreenkitError(f"no video stream in this file (it has: {kinds})", path=name)
    return info


def _av_reason(error: Exception) -> str:
    text = getattr(error, "strerror", None) or str(error)
    # PyAV appends the file name; the caller names the file already.
    return str(text).split(": '", 1)[0]


def _describe(container: Any, path: Path, size: int) -> MediaInfo:
    duration_ms = int(container.duration // 1000) if container.duration else None
    streams: list[StreamInfo] = []
    counters: dict[str, int] = {}
    for stream in container.streams:
        kind = stream.type or "unknown"
        meta = _metadata(stream.metadata)
        context = stream.codec_context
        codec = context.name if context is not None else None
        disposition = int(stream.disposition)
        info = StreamInfo(
            index=stream.index,
            type=kind,
            codec=codec,
            type_index=counters.get(kind, 0),
            language=meta.get("language") if meta.get("language") not in (None, "") else None,
            title=_title(meta),
            filename=meta.get("filename") if kind == "attachment" else None,
            default=bool(disposition & 0x1),  # AV_DISPOSITION_DEFAULT
            forced=bool(disposition & 0x40),  # AV_DISPOSITION_FORCED
        )
        counters[kind] = counters.get(kind, 0) + 1
        if stream.start_time is not None and stream.time_base:
            info.start_ms = round(stream.start_time * stream.time_base * 1000)
        if stream.duration is not None and stream.time_base:
            info.duration_ms = int(stream.duration * stream.time_base * 1000)
        elif meta.get("duration"):
            # Matroska keeps each stream's real length in a DURATION tag, written at the end.
            info.duration_ms = _clock_ms(meta["duration"])
        if kind == "video":
            info.width = context.width or None
            info.height = context.height or None
            info.frame_rate = _rate(stream)
            sar = getattr(context, "sample_aspect_ratio", None)
            if sar and Fraction(sar) > 0 and Fraction(sar) != 1:
                info.sample_aspect_ratio = Fraction(sar)
            fmt = getattr(context, "format", None)
            info.pixel_format = fmt.name if fmt is not None else None
        elif kind == "audio":
            info.channels = getattr(context, "channels", None) or None
            info.sample_rate = getattr(context, "sample_rate", None) or None
        streams.append(info)
    if duration_ms is None:
        known = [s.duration_ms for s in streams if s.duration_ms]
        duration_ms = max(known) if known else None
    return MediaInfo(
        path=path,
        container=container.format.name,
        duration_ms=duration_ms,
        streams=streams,
        metadata=_metadata(container.metadata),
        size_bytes=size,
    )


def _clock_ms(text: str) -> int | None:
    hours, _, rest = text.strip().partition(":")
    minutes, _, seconds = rest.partition(":")
    try:
        return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)
    except ValueError:
        return None


def _check_decodable(container: Any, info: MediaInfo, name: str) -> None:
    """Decode the first video frame: a header can be intact over garbage data."""
    if info.video is None:
        return
    import av

    stream = container.streams.video[0]
    try:
        for frame in container.decode(stream):
            # The display rotation (phone footage) is side data of the frames.
            rotation = int(getattr(frame, "rotation", 0) or 0)
            info.video.rotation = rotation % 360 or None
            return
    except av.error.FFmpegError as error:
        raise ScreenkitError(f"video stream cannot be decoded (corrupt?): {_av_reason(error)}", path=name) from None
    raise ScreenkitError("video stream has no decodable frame (corrupt or truncated?)", path=name)


def check_complete(source: MediaInfo, written: MediaInfo, output: str | os.PathLike[str]) -> None:
    """A copy whose pictures stop well before the source's means the source ended early
    (truncated data its header does not admit, e.g. a Matroska file cut off): refuse it.

    Video stream lengths are compared, not container durations: subtitle tracks
    running past the last frame make a container look longer than its pictures.
    """
    announced = source.video.duration_ms if source.video and source.video.duration_ms else None
    if announced is None and not source.subtitles:
        announced = source.duration_ms  # without subtitles the container's length is the pictures'
    length = written.video.duration_ms if written.video and written.video.duration_ms else written.duration_ms
    if not announced or length is None:
        return
    # A copy of complete video differs by a frame at most; audio priming is not counted here.
    tolerance = 1000
    if length < announced - tolerance:
        raise ScreenkitError(
            f"the input ended after {length / 1000:.3f} s of the "
            f"{announced / 1000:.3f} s its header announces: truncated or corrupt? "
            f"(nothing written to {os.fspath(output)})",
            path=source.path,
        )
