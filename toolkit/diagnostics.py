"""Findings, the way ruff reports them: a stable code, a severity, a location, a message, a fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

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
        where = self.location.prefix()
        parts = [where]
        if self.location.time_ms is not None:
            parts.append(format_srt(self.location.time_ms))
        if self.location.pointer:
            parts.append(f"{self.location.pointer}:")
        head = " ".join(parts)
        severity = "" if self.severity is Severity.ERROR else f"[{self.severity.value}] "
        return f"{head} {self.code} {severity}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
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
