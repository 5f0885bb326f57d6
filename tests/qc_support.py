"""Small builders for the QC tests: tracks made in code, lint results by code."""

from __future__ import annotations

from toolkit.languages import Language, parse_language
from toolkit.qc import fix_track, lint_track, load_profile
from toolkit.subtitles.model import Cue, Track

CueSpec = tuple[int, int, str]  # start ms, end ms, text with \n between lines


def make_track(
    *cues: CueSpec, lang: str | None = "en", fmt: str = "srt", encoding: str = "utf-8"
) -> Track:
    language: Language | None = parse_language(lang) if lang else None
    built = []
    row = 1
    for start, end, text in cues:
        lines = text.split("\n")
        built.append(Cue(start, end, lines, source_line=row + 1))
        row += 3 + len(lines)
    return Track(cues=built, language=language, format=fmt, encoding=encoding)


def codes(track: Track, profile: str = "festival", **kwargs: object) -> list[str]:
    resolved = load_profile(profile, track.language)
    return [d.code for d in lint_track(track, resolved, **kwargs)]  # type: ignore[arg-type]


def fixed(track: Track, profile: str = "festival") -> tuple[Track, list[str]]:
    result = fix_track(track, load_profile(profile, track.language))
    return result.track, result.changes
