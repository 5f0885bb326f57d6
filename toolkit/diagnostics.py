"""Findings, the way ruff reports them: a stable code, a severity, a location, a message, a fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from toolkit.errors import escape_controls
from toolkit.subtitles.timecode import format_srt


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Location:
    path: str | None = None
    line: int | None = None
    column: int | None = None
    cue: int | None = None  # 1-based cue number in the track
    time_ms: int | None = None  # cue start
    pointer: str | None = None  # JSON path in a manifest, e.g. works[2].runtime

    def prefix(self) -> str:
        """``file.srt:42`` / ``manifest.yaml:23:7`` like a compiler."""
        parts = [self.path or "-"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class CodeDoc:
    """What a finding code means, for ``screenkit explain`` and the catalogue (``toolkit.catalogue``)."""

    code: str
    title: str  # one line
    severity: Severity  # the default
    documentation: str  # what it checks and why it matters
    fix: str | None = None  # what to change (or what --fix does); None: the message says

    def explain(self, width: int = 88) -> str:
        import textwrap

        fix = f"Fix: {self.fix}" if self.fix else "Fix: the finding's message says what to change."
        paragraphs = [textwrap.fill(text.strip(), width) for text in (*self.documentation.split("\n\n"), fix)]
        return f"{self.code} [{self.severity.value}] {self.title}\n\n" + "\n\n".join(paragraphs) + "\n"


@dataclass
class Diagnostic:
    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    fix: str | None = None  # what the automatic fix would do, when one exists

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format_text(self) -> str:
        """The one text format of every finding, ruff-style, for lint, validate and package:

        ``path:line:col: CODE [severity] message``; a subtitle finding adds its cue's
        time after the location, a manifest finding names its place in the document
        (``works[1].runtime``) before the message.
        """
        head = self.location.prefix() + ":"
        if self.location.time_ms is not None:
            head += " " + format_srt(self.location.time_ms)
        message = f"{self.location.pointer}: {self.message}" if self.location.pointer else self.message
        # One finding, one line: a newline in a file name (or a message quoting one) is escaped.
        return escape_controls(f"{head} {self.code} [{self.severity.value}] {message}")

    def to_dict(self) -> dict[str, Any]:
        """The same fields for ``--format json`` (and the JUnit attributes)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        data["location"]["time"] = (
            format_srt(self.location.time_ms) if self.location.time_ms is not None else None
        )
        data["text"] = self.format_text()
        return data


def sort_key(diagnostic: Diagnostic) -> tuple[Any, ...]:
    location = diagnostic.location
    return (
        location.path or "",
        location.line if location.line is not None else -1,
        location.column or 0,
        diagnostic.severity.rank,
        diagnostic.code,
    )
