"""The data model every capability shares: a Track of Cues, times in milliseconds.

Inline styling is kept in one canonical form inside ``Cue.lines`` so that it
round-trips between formats: SRT-style tags ``<i> <b> <u> <s>`` and
``<font color="#rrggbb">``; positioning is lifted out of the text into
``Cue.alignment`` (ASS numpad alignment, 8 = top centre); any other ASS
override block (``{\\fad(200,200)}``) is kept verbatim in the text so that
ASS → ASS loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from toolkit.errors import escape_controls
from toolkit.languages import Language
from toolkit.subtitles.markup import strip_markup

# The ASS numpad alignments: 1-3 bottom, 4-6 middle, 7-9 top.
TOP_ALIGNMENTS = frozenset({7, 8, 9})


def strip_tags(text: str) -> str:
    """Text without styling tags or override blocks (what a viewer reads)."""
    return strip_markup(text)


@dataclass(frozen=True)
class ReadWarning:
    """Something a reader repaired or dropped, with the source line: never silent."""

    line: int | None
    message: str
    kind: str = "repaired"  # a short name for counting: negative-time, dropped-cue, ...

    def format(self, path: str | None) -> str:
        where = ":".join(str(part) for part in (path, self.line) if part is not None)
        text = f"{where}: warning: {self.message}" if where else f"warning: {self.message}"
        return escape_controls(text)  # one warning, one line, whatever the file is called


@dataclass(slots=True)  # slots: a long film is 2,000 cues, a catalogue hundreds of films
class Cue:
    start: int  # milliseconds
    end: int  # milliseconds
    lines: list[str]
    alignment: int | None = None  # None: the format's default (bottom centre)
    source_line: int | None = None  # line in the source file, for diagnostics
    style: str | None = None  # ASS style name, kept for ASS → ASS
    actor: str | None = None  # ASS Name field
    layer: int = 0  # ASS Layer: events in different layers may overlap by design
    identifier: str | None = None  # WebVTT cue identifier
    settings: str | None = None  # WebVTT cue settings as written (line:0 align:start ...)
    # Blocks written before this cue, kept verbatim for a round trip: WebVTT NOTE, STYLE and
    # REGION blocks; ASS Comment: lines. They travel with the cue when cues are sorted.
    before: tuple[str, ...] = ()
    # ASS event fields other than the ones above, when not their defaults (marginl, marginr,
    # marginv, effect; marked in SSA v4), for ASS → ASS.
    ass_fields: dict[str, int | str | bool] | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def plain_lines(self) -> list[str]:
        return [strip_tags(line) for line in self.lines]

    @property
    def plain_text(self) -> str:
        return "\n".join(self.plain_lines)

    @property
    def duration(self) -> int:
        return self.end - self.start

    @property
    def is_top(self) -> bool:
        return self.alignment in TOP_ALIGNMENTS

    def copy(self, **changes: Any) -> Cue:
        changes.setdefault("lines", list(self.lines))
        return replace(self, **changes)


@dataclass
class Track:
    cues: list[Cue] = field(default_factory=list)
    language: Language | None = None
    # A bilingual track (a Chinese line over an English one): the other language, zh-Hans+en.
    secondary_language: Language | None = None
    path: Path | None = None
    format: str | None = None  # "srt", "vtt", "ass", "ssa"
    encoding: str | None = None  # the source encoding, as detected or given
    had_bom: bool = False
    frame_rate: Fraction | None = None  # when known (from the media or the user)
    ass_header: Any = None  # pysubs2.SSAFile with styles and script info, for ASS → ASS
    warnings: list[ReadWarning] = field(default_factory=list)  # what the reader repaired or dropped
    header: str | None = None  # the WebVTT header block as written (WEBVTT, its text, metadata)
    after: list[str] = field(default_factory=list)  # blocks after the last cue, verbatim

    def __len__(self) -> int:
        return len(self.cues)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.cues)

    @property
    def end(self) -> int:
        return max((cue.end for cue in self.cues), default=0)

    def copy(self, **changes: Any) -> Track:
        changes.setdefault("cues", [cue.copy() for cue in self.cues])
        return replace(self, **changes)

    def sorted(self) -> Track:
        return self.copy(cues=sorted((c.copy() for c in self.cues), key=lambda c: (c.start, c.end)))
