"""Positions of MP4 soft subtitles: a tx3g text box ('tbox') on each cue not at the bottom.

ffmpeg's mov_text encoder drops ASS positions (``{\\an8}``: titles, signs,
on-screen text translations would play at the bottom). 3GPP TS 26.245 lets
each text sample carry a 'tbox' modifier (top, left, bottom, right) that
replaces the track's default text box for that sample. ffmpeg cannot write
one, so the text of every cue to be placed ends with a 16-byte marker that
the encoder passes through as plain text; afterwards, in the written file,
the marker is taken off the text (the sample's text length shrinks by 16) and
the same 16 bytes become the 'tbox' box. Sample sizes and offsets never
change, so the file stays exactly as the muxer laid it out.
"""

from __future__ import annotations

import math
import os
import struct
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.subtitles.model import Track

MARKER = "~~screenkit~tbox"  # 16 ASCII bytes: as long as a 'tbox' box
assert len(MARKER.encode("ascii")) == 16
TOP, MIDDLE = frozenset({7, 8, 9}), frozenset({4, 5, 6})


def mark_positions(track: Track) -> tuple[Track, int]:
    """The track with the marker after the text of each top or middle cue; how many were marked."""
    cues, marked = [], 0
    for cue in track.cues:
        if cue.alignment in TOP | MIDDLE and cue.lines:
            cue = cue.copy(lines=[*cue.lines[:-1], cue.lines[-1] + MARKER])
            marked += 1
        cues.append(cue)
    return track.copy(cues=cues), marked


def text_box(alignment: int, width: int, height: int) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) in the video's pixels: the title-safe area's top or middle band."""
    margin_h, margin_v = math.ceil(width * 0.05), math.ceil(height * 0.05)
    band = math.ceil(height * 0.25)
    if alignment in TOP:
        return margin_v, margin_h, margin_v + band, width - margin_h
    middle = height // 2
    return middle - band // 2, margin_h, middle + band // 2, width - margin_h


def write_text_boxes(path: Path, subtitle: int, alignments: list[int], size: tuple[int, int]) -> int:
    """Turn the markers of subtitle track ``subtitle`` (0: the first) of ``path`` into 'tbox' boxes, in place.

    ``alignments``: the alignment of each marked cue, in time order. Returns the
    number of boxes written; a marker not found where it must be is an error.
    """
    import av

    from toolkit.media.ffmpeg import media_path

    marker = MARKER.encode("ascii")
    places: list[int] = []
    with av.open(media_path(path)) as container:
        stream = container.streams.subtitles[subtitle]
        for packet in container.demux(stream):
            if packet.size and packet.pos is not None and marker in bytes(packet):
                places.append(packet.pos)
    if len(places) != len(alignments):
        raise ScreenkitError(
            f"MP4 text positions: {len(alignments)} cues to place, {len(places)} found in the muxed track",
            path=path,
        )
    with open(path, "r+b") as handle:
        for position, alignment in zip(places, alignments, strict=True):
            handle.seek(position)
            (length,) = struct.unpack(">H", handle.read(2))
            text_end = position + 2 + length
            handle.seek(text_end - len(marker))
            if length < len(marker) or handle.read(len(marker)) != marker:
                raise ScreenkitError("MP4 text positions: a marker is not at the end of its text", path=path)
            top, left, bottom, right = text_box(alignment, *size)
            handle.seek(position)
            handle.write(struct.pack(">H", length - len(marker)))
            handle.seek(text_end - len(marker))
            handle.write(struct.pack(">I4shhhh", 16, b"tbox", top, left, bottom, right))
        handle.flush()
        os.fsync(handle.fileno())
    return len(places)


def read_text_boxes(path: Path, subtitle: int) -> list[tuple[int, str, tuple[int, int, int, int] | None]]:
    """(pts in ms, text, text box or None) of each non-empty sample: what a player reads."""
    import av

    from toolkit.media.ffmpeg import media_path

    samples = []
    with av.open(media_path(path)) as container:
        stream = container.streams.subtitles[subtitle]
        for packet in container.demux(stream):
            data = bytes(packet)
            if len(data) < 2:
                continue
            (length,) = struct.unpack(">H", data[:2])
            if not length:
                continue
            text = data[2 : 2 + length].decode("utf-8", "replace")
            box = None
            offset = 2 + length
            while offset + 8 <= len(data):
                size, kind = struct.unpack(">I4s", data[offset : offset + 8])
                if kind == b"tbox" and size == 16:
                    box = struct.unpack(">hhhh", data[offset + 8 : offset + 16])
                offset += max(size, 8)
            pts = round(packet.pts * packet.time_base * 1000) if packet.pts is not None else -1
            samples.append((pts, text, box))
    return samples


# ------------------------------------------------------------ track titles


def _boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, whole box) of each box in ``data`` (32-bit sizes: what ffmpeg writes inside moov)."""
    boxes, position = [], 0
    while position + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        if size < 8 or position + size > len(data):
            raise ValueError(f"bad box at {position}")
        boxes.append((kind, data[position : position + size]))
        position += size
    return boxes


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def _handler(trak: bytes) -> bytes | None:
    for kind, box in _boxes(trak[8:]):
        if kind == b"mdia":
            for inner, hdlr in _boxes(box[8:]):
                if inner == b"hdlr":
                    return hdlr[16:20]
    return None


def write_track_titles(path: Path, titles: list[str | None]) -> int:
    """Give the subtitle tracks of an MP4 a '©nam' title in their 'udta', in place.

    ffmpeg writes a track's title as a 'name' box (VLC shows it); ffmpeg's own
    reader, and so mpv, takes a track's "title" only from '©nam' ("(unavailable)"
    otherwise). ffmpeg puts 'moov' last, after the media data, so growing it moves
    no sample: no chunk offset changes. ``titles``: one per subtitle track, in order.
    Returns how many were written; a file whose 'moov' is not last is left as it is.
    """
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        position, moov_at = 0, None
        while position < size:
            handle.seek(position)
            length, kind = struct.unpack(">I4s", handle.read(8))
            if length == 1:
                (length,) = struct.unpack(">Q", handle.read(8))
            if kind == b"moov":
                moov_at = position
            last = kind
            position += length or (size - position)
        if moov_at is None or last != b"moov":
            return 0
        handle.seek(moov_at)
        moov = handle.read(size - moov_at)
        children, written, number = [], 0, 0
        for kind, box in _boxes(moov[8:]):
            if kind == b"trak" and _handler(box) in (b"sbtl", b"text"):
                title = titles[number] if number < len(titles) else None
                number += 1
                if title:
                    encoded = title.encode("utf-8")
                    name = _box(b"\xa9nam", struct.pack(">HH", len(encoded), 0x55C4) + encoded)  # 'und'
                    parts = _boxes(box[8:])
                    if any(part_kind == b"udta" for part_kind, _ in parts):
                        parts = [(k, _box(b"udta", b[8:] + name) if k == b"udta" else b) for k, b in parts]
                    else:
                        parts.append((b"udta", _box(b"udta", name)))
                    box = _box(b"trak", b"".join(b for _, b in parts))
                    written += 1
            children.append(box)
        if written:
            handle.seek(moov_at)
            handle.write(_box(b"moov", b"".join(children)))
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
    return written


# ------------------------------------------------------------ track headers and sample descriptions

ALL_SAMPLES_FORCED = 0x80000000  # tx3g displayFlags (3GPP TS 26.245; QuickTime's "all samples are forced")
SOME_SAMPLES_FORCED = 0x40000000


def _children(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, offset, size) of each box between ``start`` and ``end`` of ``data``."""
    found, position = [], start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        if size < 8 or position + size > end:
            raise ValueError(f"bad box at {position}")
        found.append((kind, position, size))
        position += size
    return found


def _child(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for name, offset, size in _children(data, start, end):
        if name == kind:
            return offset, size
    return None


def _moov_span(handle, size: int) -> tuple[int, int] | None:  # handle: a binary file open for reading
    position = 0
    while position + 8 <= size:
        handle.seek(position)
        length, kind = struct.unpack(">I4s", handle.read(8))
        header = 8
        if length == 1:
            (length,) = struct.unpack(">Q", handle.read(8))
            header = 16
        length = length or size - position
        if kind == b"moov" and header == 8:
            return position, length
        position += length
    return None


def set_text_track_headers(path: Path, forced: list[bool], size: tuple[int, int]) -> int:
    """For each text track of an MP4 (in order): the track header's size from the video, and
    the forced flag in the tx3g sample description's display flags. In place, same sizes.

    ffmpeg writes a text track's 'tkhd' 0x0 (players then have no frame to place text in)
    and its forced flag only in a DASH 'kind' box, which mediainfo and Apple's players do not
    read: the display flags are where 3GPP TS 26.245 puts it. Returns the tracks patched.
    """
    width, height = size
    with open(path, "r+b") as handle:
        span = _moov_span(handle, path.stat().st_size)
        if span is None:
            return 0
        moov_at, moov_size = span
        handle.seek(moov_at)
        moov = bytearray(handle.read(moov_size))
        number = 0
        for kind, trak_at, trak_size in _children(bytes(moov), 8, moov_size):
            if kind != b"trak" or _handler(bytes(moov[trak_at : trak_at + trak_size])) not in (b"sbtl", b"text"):
                continue
            trak_end = trak_at + trak_size
            tkhd = _child(bytes(moov), trak_at + 8, trak_end, b"tkhd")
            if tkhd is not None:
                at, _ = tkhd
                version = moov[at + 8]
                field = at + (96 if version == 1 else 84)
                struct.pack_into(">II", moov, field, width << 16, height << 16)
            entry = _sample_entry(bytes(moov), trak_at, trak_end)
            if entry is not None and number < len(forced):
                flags_at = entry + 16
                (flags,) = struct.unpack_from(">I", moov, flags_at)
                flags = (flags | ALL_SAMPLES_FORCED) if forced[number] else flags & ~(ALL_SAMPLES_FORCED | SOME_SAMPLES_FORCED)
                struct.pack_into(">I", moov, flags_at, flags)
            number += 1
        handle.seek(moov_at)
        handle.write(moov)
        handle.flush()
        os.fsync(handle.fileno())
    return number


def _sample_entry(moov: bytes, trak_at: int, trak_end: int) -> int | None:
    """The offset of the trak's 'tx3g' sample entry (inside mdia/minf/stbl/stsd), or None."""
    span = (trak_at + 8, trak_end)
    for kind in (b"mdia", b"minf", b"stbl", b"stsd"):
        found = _child(moov, span[0], span[1], kind)
        if found is None:
            return None
        at, length = found
        span = (at + (16 if kind == b"stsd" else 8), at + length)  # stsd: version, flags, entry count
    entry = _child(moov, span[0], span[1], b"tx3g")
    return entry[0] if entry is not None else None


def read_text_track_headers(path: Path) -> list[tuple[tuple[int, int], int]]:
    """((width, height) of the 'tkhd', tx3g display flags) of each text track: what players read."""
    with open(path, "rb") as handle:
        span = _moov_span(handle, path.stat().st_size)
        if span is None:
            return []
        handle.seek(span[0])
        moov = handle.read(span[1])
    found = []
    for kind, trak_at, trak_size in _children(moov, 8, len(moov)):
        if kind != b"trak" or _handler(moov[trak_at : trak_at + trak_size]) not in (b"sbtl", b"text"):
            continue
        tkhd = _child(moov, trak_at + 8, trak_at + trak_size, b"tkhd")
        width = height = 0
        if tkhd is not None:
            field = tkhd[0] + (96 if moov[tkhd[0] + 8] == 1 else 84)
            width, height = (value >> 16 for value in struct.unpack_from(">II", moov, field))
        entry = _sample_entry(moov, trak_at, trak_at + trak_size)
        flags = struct.unpack_from(">I", moov, entry + 16)[0] if entry is not None else 0
        found.append(((width, height), flags))
    return found


def file_title_after_tracks(path: Path) -> str | None:
    """The file-level title ('moov'/'udta'), when it comes after every track ('trak'), else None.

    libavformat before 6.1 (Debian 12's 5.1, so mpv and VLC there) files a
    track's '©nam' under the file's metadata, the last one read winning: a
    file title after the tracks is the one such players show.
    """
    with open(path, "rb") as handle:
        span = _moov_span(handle, path.stat().st_size)
        if span is None:
            return None
        handle.seek(span[0])
        moov = handle.read(span[1])
    children = _children(moov, 8, len(moov))
    last_trak = max((i for i, (kind, _, _) in enumerate(children) if kind == b"trak"), default=-1)
    for index, (kind, at, length) in enumerate(children):
        if kind != b"udta" or index < last_trak:
            continue
        title = _find_title(moov, at + 8, at + length)
        if title is not None:
            return title
    return None


def _find_title(data: bytes, start: int, end: int) -> str | None:
    for kind, at, length in _children(data, start, end):
        if kind == b"meta":  # a full box: version and flags first
            found = _find_title(data, at + 12, at + length)
        elif kind == b"ilst":
            found = _find_title(data, at + 8, at + length)
        elif kind == b"\xa9nam":
            inner = _child(data, at + 8, at + length, b"data") if length > 16 else None
            if inner is not None:  # iTunes style: a 'data' box, type and locale, then the text
                return data[inner[0] + 16 : inner[0] + inner[1]].decode("utf-8", "replace")
            (count,) = struct.unpack_from(">H", data, at + 8)  # QuickTime style: length, language, text
            return data[at + 12 : at + 12 + count].decode("utf-8", "replace")
        else:
            continue
        if found is not None:
            return found
    return None
