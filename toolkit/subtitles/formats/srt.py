"""SubRip (.srt): positions only through the ``{\\anN}`` convention most players honour."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.subtitles.formats import Capabilities, SubtitleFormat

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track

_TIMING = re.compile(r"^\s*\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", re.MULTILINE)


def _sniff(text: str) -> int:
    return 50 if _TIMING.search(text[:4000]) else 0


def _read(text: str, path: str | None) -> Track:
    from toolkit.subtitles.srt import parse_srt

    return parse_srt(text, path)


def _write(track: Track) -> str:
    from toolkit.subtitles.srt import write_srt

    return write_srt(track)


FORMAT = SubtitleFormat(
    name="srt",
    description="SubRip",
    extensions=(".srt",),
    read=_read,
    write=_write,
    sniff=_sniff,
    aliases=("subrip",),
    capabilities=Capabilities(positions=True, inline=frozenset({"i", "b", "u", "s", "font"})),
)
