"""Advanced SubStation Alpha (ASS, v4.00+) and its predecessor SSA v4, two formats."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from toolkit.subtitles.formats import Capabilities, SubtitleFormat

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track

# ASS drawings (vector paths) make long lines: 1 Mi characters, well above any real one.
ASS_MAX_LINE_CHARS = 1 << 20
_SCRIPT_TYPE = re.compile(r"^\s*ScriptType\s*:\s*v4\.00(\+?)", re.IGNORECASE | re.MULTILINE)
_STYLES = re.compile(r"^\s*\[V4(\+?) Styles\]", re.IGNORECASE | re.MULTILINE)


def _version(text: str) -> str | None:
    """'+' for ASS, '' for SSA v4, None when the header does not say."""
    head = text[:20000]
    for pattern in (_STYLES, _SCRIPT_TYPE):
        match = pattern.search(head)
        if match:
            return match.group(1)
    return None


def _is_script(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:40].lower().startswith("[script info]")


def _sniff_ass(text: str) -> int:
    if not _is_script(text):
        return 0
    version = _version(text)
    return 100 if version == "+" else 60 if version is None else 0


def _sniff_ssa(text: str) -> int:
    if not _is_script(text):
        return 0
    version = _version(text)
    return 100 if version == "" else 60 if version is None else 0


def _reader(name: str) -> Callable[[str, str | None], Track]:
    def read(text: str, path: str | None) -> Track:
        from toolkit.subtitles.ass import parse_ass

        return parse_ass(text, path, name)

    return read


def _writer(name: str) -> Callable[[Track], str]:
    def write(track: Track) -> str:
        from toolkit.subtitles.ass import write_ass

        return write_ass(track, name)

    return write


_ASS = Capabilities(
    positions=True,
    layers=True,
    styles=True,
    drawings=True,
    comments="ass",
    overrides=True,
    inline=frozenset({"i", "b", "u", "s", "font"}),
    any_order=True,
    event_per_line=True,
    event_fields=True,
)

FORMATS = (
    SubtitleFormat(
        max_line_chars=ASS_MAX_LINE_CHARS,
        name="ass",
        description="Advanced SubStation Alpha (v4.00+)",
        extensions=(".ass",),
        read=_reader("ass"),
        write=_writer("ass"),
        sniff=_sniff_ass,
        capabilities=_ASS,
    ),
    SubtitleFormat(
        max_line_chars=ASS_MAX_LINE_CHARS,
        name="ssa",
        description="SubStation Alpha v4 ([V4 Styles], no layers)",
        extensions=(".ssa",),
        read=_reader("ssa"),
        write=_writer("ssa"),
        sniff=_sniff_ssa,
        capabilities=replace(_ASS, layers=False),  # SSA v4 has Marked, not Layer
    ),
)
