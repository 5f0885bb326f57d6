"""Reading and writing subtitle files: format by extension (or given), encoding detected."""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.fsutil import read_input_bytes, write_text_atomic
from toolkit.languages import Language, language_from_filename
from toolkit.subtitles.encoding import decode
from toolkit.subtitles.model import Track

FORMATS: dict[str, str] = {
    ".srt": "srt",
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".ass": "ass",
    ".ssa": "ssa",
}
FORMAT_NAMES = ("srt", "vtt", "ass", "ssa")
SUBTITLE_EXTENSIONS = tuple(FORMATS)

# Files larger than this are not subtitles (a 2-hour film has ~2,000 cues, ~200 KB).
MAX_BYTES = 64 * 1024 * 1024


def format_from_path(path: str | os.PathLike[str], given: str | None = None) -> str:
    if given:
        fmt = given.lower().lstrip(".")
        fmt = {"webvtt": "vtt"}.get(fmt, fmt)
        if fmt not in FORMAT_NAMES:
            raise ScreenkitError(f"unknown subtitle format {given!r} (use srt, vtt, ass or ssa)")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ScreenkitError(
            f"cannot tell the subtitle format from the extension {suffix or '(none)'!r}; "
            "use .srt, .vtt, .ass or .ssa, or say --to",
            path=path,
        )
    return FORMATS[suffix]


def parse_text(text: str, fmt: str, path: str | None = None) -> Track:
    if fmt == "srt":
        from toolkit.subtitles.srt import parse_srt

        return parse_srt(text, path)
    if fmt == "vtt":
        from toolkit.subtitles.webvtt import parse_vtt

        return parse_vtt(text, path)
    from toolkit.subtitles.ass import parse_ass

    return parse_ass(text, path, fmt)


def _sniff_format(text: str, fallback: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("[Script Info]"):
        return "ass"
    return fallback


def read_track(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    language: Language | None = None,
) -> Track:
    """Read a subtitle file into a Track; a ScreenkitError with file and line otherwise."""
    path = Path(path)
    name = os.fspath(path)
    data = read_input_bytes(path, kind="subtitle file", max_bytes=MAX_BYTES)
    chosen = format_from_path(path, fmt)
    decoded = decode(data, encoding=encoding, path=name)
    if fmt is None:
        chosen = _sniff_format(decoded.text, chosen)
    track = parse_text(decoded.text, chosen, name)
    track.path = path
    track.encoding = decoded.encoding
    track.had_bom = decoded.had_bom
    track.language = language or language_from_filename(path)
    return track


def render_track(track: Track, fmt: str) -> str:
    if fmt == "srt":
        from toolkit.subtitles.srt import write_srt

        return write_srt(track)
    if fmt == "vtt":
        from toolkit.subtitles.webvtt import write_vtt

        return write_vtt(track)
    from toolkit.subtitles.ass import write_ass

    return write_ass(track, fmt)


def write_track(
    track: Track, path: str | os.PathLike[str], *, fmt: str | None = None, bom: bool = False
) -> str:
    """Write UTF-8 (BOM only if asked), atomically. Returns the format written."""
    chosen = format_from_path(path, fmt)
    write_text_atomic(path, render_track(track, chosen), bom=bom)
    return chosen
