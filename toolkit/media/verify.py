"""Never claim a copy that is not there: read back what ffmpeg wrote before it is renamed.

ffmpeg can exit 0 over a file it could not finish: on a full disk 9.0.2
logs nothing for Matroska and leaves a file without its index (measured:
``-c copy`` of the sample into a 200 KB tmpfs, exit 0). So every output is
checked under its temporary name:

1. the container is complete: an MP4's top-level boxes end exactly at the end
   of the file; a Matroska/WebM segment's size (written last) matches the file;
2. every expected stream is there;
3. the video runs as long as the source's, within one frame, and starts
   where the source's starts (within one frame);
4. for stream copies, the same number of packets per stream as the source.
   MP4 sample tables give the counts without reading the data; Matroska has
   no per-stream count, so its packets are demuxed (PyAV, no decoding).

A failure is a ScreenkitError naming the output (exit 2); the temporary file
is then removed by ``atomic_path`` and nothing is renamed into place. When
the file system is (nearly) full the message says so.
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.media.probe import MediaInfo, check_complete, probe

MP4_FAMILY = ("mov", "mp4", "m4a", "3gp")
_FULL_BELOW = 1 << 20  # bytes free under which a short file is put down to a full disk


@dataclass(frozen=True)
class Expected:
    """What the output must hold."""

    video: int  # number of video streams
    audio: int
    subtitles: int | None = None  # None: not checked here
    copied: tuple[str, ...] = ("video", "audio")  # stream types that are stream copies


def verify_output(source: MediaInfo, temporary: Path, output: Path, expected: Expected) -> MediaInfo:
    """Check ``temporary`` (the file ffmpeg wrote for ``output``) against ``source``; its probe."""
    reason = incomplete_container(temporary)
    written: MediaInfo | None = None
    if reason is None:
        try:
            written = probe(temporary, require_video=False, decode_check=False)
        except ScreenkitError as error:
            reason = error.message
    if written is not None:
        reason = _missing_streams(written, expected)
        if reason is None:
            # A copy of a source that itself ends early is the source's fault: said about it.
            check_complete(source, written, output)
            reason = _wrong_timing(source, written)
        if reason is None and expected.copied:
            reason = _packet_mismatch(source, written, expected.copied)
        if reason is None:
            return written
    message = f"the file ffmpeg wrote is not complete: {reason}; nothing was written"
    if _disk_full(temporary):
        from toolkit.fsutil import WriteError

        raise WriteError(f"cannot write: No space left on device ({message})", path=output)
    raise ScreenkitError(message, path=output)


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < _FULL_BELOW
    except OSError:
        return False


# ------------------------------------------------------------ container structure


def incomplete_container(path: Path) -> str | None:
    """Why ``path`` is not a finished MP4/Matroska file, or None (other formats: None)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(12)
            if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip"):
                return _mp4_incomplete(handle, size)
            if head[:4] == b"\x1a\x45\xdf\xa3":
                return _matroska_incomplete(handle, size)
    except OSError as error:
        return f"cannot read it back: {error.strerror}"
    return None


def _mp4_incomplete(handle, size: int) -> str | None:  # handle: a binary file
    position, seen = 0, set()
    while position < size:
        handle.seek(position)
        header = handle.read(16)
        if len(header) < 8:
            return f"a box header is cut off at byte {position}"
        length, kind = struct.unpack(">I4s", header[:8])
        if length == 1:
            if len(header) < 16:
                return f"a box header is cut off at byte {position}"
            (length,) = struct.unpack(">Q", header[8:16])
        elif length == 0:  # runs to the end of the file: only ever the last box
            length = size - position
        if length < 8 or position + length > size:
            return f"the {kind.decode('latin-1')!r} box at byte {position} runs past the end ({size} bytes)"
        seen.add(kind)
        position += length
    return None if b"moov" in seen else "no 'moov' index"


def _vint(handle) -> tuple[int, int] | None:  # handle: a binary file
    """An EBML variable-length integer: (value, bytes used); value -1 for 'unknown size'."""
    first = handle.read(1)
    if not first:
        return None
    byte = first[0]
    width = 1
    while width <= 8 and not byte & (0x80 >> (width - 1)):
        width += 1
    if width > 8:
        return None
    rest = handle.read(width - 1)
    if len(rest) < width - 1:
        return None
    value = byte & (0xFF >> width)
    for extra in rest:
        value = (value << 8) | extra
    return (-1 if value == (1 << (7 * width)) - 1 else value), width


def _element_id(handle) -> bytes | None:  # handle: a binary file
    first = handle.read(1)
    if not first:
        return None
    width = next((n for n in range(1, 5) if first[0] & (0x80 >> (n - 1))), 0)
    return first + handle.read(width - 1) if width else None


def _matroska_incomplete(handle, size: int) -> str | None:  # handle: a binary file
    handle.seek(0)
    while True:
        start = handle.tell()
        ident = _element_id(handle)
        length = _vint(handle) if ident else None
        if ident is None or length is None:
            return f"an element header is cut off at byte {start}"
        value, _ = length
        if ident == b"\x18\x53\x80\x67":  # Segment: its size is written when the file is finished
            if value < 0:
                return "the Matroska segment was never closed (size unknown)"
            end = handle.tell() + value
            if end != size:
                return f"the Matroska segment says it ends at byte {end}, the file has {size} bytes"
            return None
        if value < 0:
            return f"an element of unknown size at byte {start}"
        handle.seek(handle.tell() + value)


# ------------------------------------------------------------ streams, timing, packets


def _missing_streams(written: MediaInfo, expected: Expected) -> str | None:
    have = {kind: sum(s.type == kind for s in written.streams) for kind in ("video", "audio", "subtitle")}
    wanted = {"video": expected.video, "audio": expected.audio, "subtitle": expected.subtitles}
    for kind, count in wanted.items():
        if count is not None and have[kind] != count:
            return f"expected {count} {kind} stream{'s' if count != 1 else ''}, found {have[kind]}"
    return None


def _wrong_timing(source: MediaInfo, written: MediaInfo) -> str | None:
    """Video as long as the source's and starting where it starts, within one frame."""
    if source.video is None or written.video is None:
        return None
    rate = source.video.frame_rate
    frame_ms = 1000 / float(rate) if rate else 40.0
    tolerance = frame_ms + 1  # and 1 ms of rounding
    source_length, length = source.video.duration_ms, written.video.duration_ms
    if source_length is not None and length is not None and abs(length - source_length) > tolerance:
        return (f"its video lasts {length / 1000:.3f} s, the source's {source_length / 1000:.3f} s "
                f"(more than one frame apart)")
    source_start, start = source.video.start_ms, written.video.start_ms
    if source_start is not None and start is not None and abs(start - source_start) > tolerance:
        return f"its video starts at {start / 1000:.3f} s, the source's at {source_start / 1000:.3f} s"
    return None


def _packet_mismatch(source: MediaInfo, written: MediaInfo, kinds: Sequence[str]) -> str | None:
    before, after = packet_counts(source), packet_counts(written)
    for kind in kinds:
        source_counts = [before[s.index] for s in source.streams if s.type == kind]
        written_counts = [after[s.index] for s in written.streams if s.type == kind]
        if kind == "video":
            source_counts = source_counts[: len(written_counts)]
        if source_counts != written_counts:
            return f"{kind} packets: the source has {source_counts}, the copy {written_counts}"
    return None


_COUNTS: dict[tuple[str, int, int], dict[int, int]] = {}


def packet_counts(info: MediaInfo) -> dict[int, int]:
    """Packets per stream index: from an MP4's sample tables, else by demuxing (cached per file state)."""
    from toolkit.media.ffmpeg import media_path

    path = Path(info.path)
    stat = path.stat()
    key = (os.fspath(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key in _COUNTS:
        return _COUNTS[key]
    import av

    with av.open(media_path(path), mode="r", metadata_errors="replace") as container:
        counts = {stream.index: 0 for stream in container.streams}
        indexed = info.container.split(",")[0] in MP4_FAMILY and all(s.frames for s in container.streams)
        if indexed:
            counts = {stream.index: int(stream.frames) for stream in container.streams}
        else:
            try:
                for packet in container.demux():
                    if packet.size:
                        counts[packet.stream.index] += 1
            except av.error.FFmpegError as error:
                raise ScreenkitError(f"cannot read its packets: {error}", path=path) from None
    if len(_COUNTS) > 64:
        _COUNTS.clear()
    _COUNTS[key] = counts
    return counts
