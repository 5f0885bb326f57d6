"""WebVTT: cue settings, identifiers, NOTE/STYLE/REGION blocks; ``<i> <b> <u>`` only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.subtitles.formats import Capabilities, SubtitleFormat

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track


def _sniff(text: str) -> int:
    # The signature must open the file (after the byte-order mark the decoder removed); a file
    # with something before it is not WebVTT to a browser, but still most likely meant as one.
    if text.startswith("WEBVTT"):
        return 100
    return 90 if text.lstrip("\ufeff \t\r\n").startswith("WEBVTT") else 0


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
    controls_are_text=True,
    capabilities=Capabilities(
        positions=True, cue_settings=True, comments="webvtt", inline=frozenset({"i", "b", "u"})
    ),
)
