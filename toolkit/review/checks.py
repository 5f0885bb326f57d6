"""A cue's findings as the editor types, and what an edit may contain.

The findings are the QC package's own: :func:`toolkit.qc.lint_track` run on a
one-cue track (the cue's times, the edited text), so the page flags exactly
what ``screenkit lint`` would flag for that cue (reading speed, line length,
line count, punctuation), plus the glossary check of
:mod:`toolkit.translate.glossary`: a term found in the source cue whose
target form is missing from the translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.languages import Language
from toolkit.qc.profile import Profile
from toolkit.subtitles.model import Cue, Track
from toolkit.translate.glossary import Glossary, Term, _pattern

# Whole-track rules mean nothing for one cue out of its track (language
# identification, file encoding); SK108 only applies to the track's first cue.
_TRACK_LEVEL = frozenset({"SK501", "SK502", "SK503"})
MAX_EDIT_CHARS = 2000
MAX_EDIT_LINES = 8
# The styling tags the subtitle model keeps (see toolkit.subtitles.model); any other
# "<word" would be literal text in SRT and markup in WebVTT: refused, not guessed.
_ALLOWED_TAG = re.compile(r'</?(?:i|b|u|s)>|<font color="#[0-9a-fA-F]{6}">|</font>', re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z!?/][^>]*>?")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message}


def validate_edit(text: Any) -> list[str]:
    """The edited cue's lines, or a ScreenkitError saying what is wrong with the text."""
    if not isinstance(text, str):
        raise ScreenkitError("the text must be a string")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_EDIT_CHARS:
        raise ScreenkitError(f"a cue of more than {MAX_EDIT_CHARS} characters is not a subtitle")
    if _CONTROL.search(text):
        raise ScreenkitError("control characters are not allowed in subtitle text")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # "\ud800": a half of a UTF-16 pair, no character at all
            raise ScreenkitError("the text holds a lone surrogate, which is not a character (invalid Unicode)") from None
    lines = text.strip("\n").split("\n")
    if len(lines) > MAX_EDIT_LINES:
        raise ScreenkitError(f"more than {MAX_EDIT_LINES} lines in one cue")
    if any(not line.strip() for line in lines) and len(lines) > 1:
        raise ScreenkitError("an empty line inside a cue would end the cue in SRT")
    if "-->" in text:
        raise ScreenkitError("'-->' would be read as a timing line")
    for line in lines:
        for match in _ANY_TAG.finditer(line):
            if not _ALLOWED_TAG.fullmatch(match.group(0)):
                raise ScreenkitError(
                    f"markup {match.group(0)!r} is not allowed (only <i> <b> <u> <s> <font color=\"#rrggbb\">)"
                )
    return lines


class CueChecker:
    """Findings for one cue of a track under a profile, plus its glossary terms."""

    def __init__(
        self,
        track: Track,
        profile: Profile,
        *,
        source_language: Language | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.track = track
        self.profile = profile
        self.terms: list[tuple[Term, re.Pattern[str]]] = []
        if glossary is not None and source_language is not None and track.language is not None:
            self.terms = [(term, _pattern(term.source)) for term in glossary.terms_for(source_language, track.language)]

    def check(self, index: int, lines: list[str], source_text: str | None) -> list[Finding]:
        from toolkit.qc import lint_track

        original = self.track.cues[index]
        cue = Cue(original.start, original.end, list(lines), alignment=original.alignment)
        one = Track(cues=[cue], language=self.track.language, format=self.track.format, frame_rate=self.track.frame_rate)
        findings = [
            Finding(d.code, d.severity.value, d.message)
            for d in lint_track(one, self.profile)
            if d.code not in _TRACK_LEVEL and not (d.code == "SK108" and index != 0)
        ]
        if source_text and self.terms:
            text = "\n".join(lines)
            for term, pattern in self.terms:
                if pattern.search(source_text) and term.target not in text:
                    findings.append(
                        Finding("TR001", "warning", f"glossary term {term.source!r} → {term.target!r} is missing")
                    )
        return findings
