"""Subtitle model and file I/O (SRT, WebVTT, ASS/SSA)."""

from toolkit.subtitles.io import (
    FORMAT_NAMES,
    SUBTITLE_EXTENSIONS,
    format_from_path,
    parse_text,
    read_track,
    render_track,
    write_track,
)
from toolkit.subtitles.model import Cue, Track, strip_tags

__all__ = [
    "FORMAT_NAMES",
    "SUBTITLE_EXTENSIONS",
    "Cue",
    "Track",
    "format_from_path",
    "parse_text",
    "read_track",
    "render_track",
    "strip_tags",
    "write_track",
]
