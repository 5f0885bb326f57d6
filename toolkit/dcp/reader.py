"""DCP subtitle XML as a Track, for lint, convert and translate."""

from __future__ import annotations

from toolkit.dcp.events import track_from_events
from toolkit.dcp.xml import SMPTE, read_dcp_xml
from toolkit.languages import LANGUAGES, Language, lookup
from toolkit.subtitles.model import Track


def language_from_dcp(value: str) -> Language | None:
    """``fr`` (SMPTE) or ``French`` (Interop); the first of ``Chinese (Simplified), French``."""
    first = value.split(",")[0].strip()
    found = lookup(first)
    if found is not None:
        return found
    lowered = first.lower()
    for language in LANGUAGES:
        if language.english_name.lower() == lowered:
            return language
    if lowered == "chinese":
        return lookup("zh-Hans")
    return None


def read_dcp_track(data: bytes, path: str | None = None) -> Track:
    read = read_dcp_xml(data, path)
    standard = read.header.standard
    track = Track(
        cues=track_from_events(read.events),
        language=language_from_dcp(read.header.language),
        format="dcp-smpte" if standard == SMPTE else "dcp-interop",
        frame_rate=read.header.fps if standard == SMPTE else None,
    )
    return track
