"""WebVTT: cue settings, identifiers, NOTE/STYLE/REGION blocks; ``<i> <b> <u>`` only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.subtitles.formats import Capabilities, SubtitleFormat

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track


def _sniff(text: str) -> int:
    return 100 if text.lstrip("\ufeff \t\r\n").startswith("WEBVTT") else 0


def _read(text: str, path: str | None) -> Track:
    from toolkit.subtitles.webvtt import parse_vtt

    return parse_vtt(text, path)


def _write(track: Track) -> str:
    from toolkit.subtitles.webvtt import write_vtt

    return write_vtt(track)


FORMAT = SubtitleFormat(
    name="vtt",
    description="WebVTT",
    extensions=(".vtt", ".webvtt"),
    read=_read,
    write=_write,
    sniff=_sniff,
    aliases=("webvtt",),
    capabilities=Capabilities(
        positions=True, cue_settings=True, comments="webvtt", inline=frozenset({"i", "b", "u"})
    ),
)
