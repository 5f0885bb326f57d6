"""What every family of manifest checks shares: the document, the works, the findings.

A family module (``toolkit/manifest/checks/<family>.py``) reads a
:class:`CheckContext` and reports through :meth:`CheckContext.report`. The
checks tolerate a document with schema errors: anything of the wrong shape is
skipped (the schema already reported it), hence the ``as_*`` readers.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from toolkit.diagnostics import CodeDoc, Diagnostic, Location, Severity
from toolkit.errors import ScreenkitError
from toolkit.languages import Language
from toolkit.manifest.loader import Manifest

if TYPE_CHECKING:
    from toolkit.manifest.checks.tracks import TrackRunner
    from toolkit.qc.profile import Profile
    from toolkit.subtitles.model import Track

JSONValue = object  # a value of the loaded document: dict, list, str, int, float, bool or None


@dataclass
class TrackEntry:
    """One entry of ``works[i].subtitles``."""

    pointer: str
    language: Language | None
    role: str
    data: dict[str, object] = field(default_factory=dict)
    path: Path | None = None  # set by the files family once the file is known to exist
    parsed: Track | None = None  # set by the tracks family once read


@dataclass
class WorkEntry:
    """One entry of ``works``, with what the families learnt about it."""

    index: int
    pointer: str
    data: dict[str, object]
    tracks: list[TrackEntry] = field(default_factory=list)
    video: Path | None = None
    probed_duration_ms: int | None = None


@dataclass(frozen=True)
class CheckFamily:
    """A family of codes (``M2`` → M2xx) and the checks that report them.

    ``document`` runs once per manifest, ``work`` once per work (after every
    family's ``document``); families run in ``order``.
    """

    prefix: str
    title: str
    order: int
    document: Callable[[CheckContext], None] | None = None
    work: Callable[[CheckContext, WorkEntry], None] | None = None
    codes: tuple[CodeDoc, ...] = ()  # every code it reports, documented (screenkit explain)


class CheckContext:
    def __init__(self, manifest: Manifest, *, check_media: bool = True) -> None:
        self.manifest = manifest
        self.check_media = check_media
        self.data = as_dict(manifest.data)
        self.event = as_dict(self.data.get("event"))
        self.diagnostics: list[Diagnostic] = []
        self.works: dict[str, WorkEntry] = {}  # filled by the references family
        # QC profile per language tag; None once it failed to load (reported once).
        self._profiles: dict[str, Profile | None] = {}
        self._profile_failed = False
        self.tracks: TrackRunner  # set by check_semantics: runs the track checks (cache, processes)

    def report(
        self,
        code: str,
        pointer: str,
        message: str,
        severity: Severity = Severity.ERROR,
        *,
        key: bool = False,
    ) -> None:
        position = self.manifest.position(pointer, key=key)
        line, column = position if position else (None, None)
        self.diagnostics.append(
            Diagnostic(
                code=code,
                severity=severity,
                message=message,
                location=Location(path=self.manifest.display_path, line=line, column=column, pointer=pointer),
            )
        )

    def zone(self) -> ZoneInfo | None:
        from zoneinfo import ZoneInfoNotFoundError

        name = as_str(self.event.get("time_zone"))
        if not name:
            return None
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return None

    def display(self, relative: str) -> str:
        """A file named in the manifest, as a path relative to where the manifest path was given."""
        return os.path.normpath(os.path.join(os.path.dirname(self.manifest.display_path), relative))

    def video_duration_ms(self, work: WorkEntry) -> int | None:
        if work.probed_duration_ms is not None:
            return work.probed_duration_ms
        declared = as_number(as_dict(work.data.get("media")).get("duration"))
        if declared is None:
            declared = as_number(work.data.get("runtime"))
        return round(declared * 1000) if declared is not None else None

    def qc_profile(self, language: Language) -> Profile | None:
        """The event's QC profile for LANGUAGE (found as ``package`` finds it: relative to the manifest)."""
        if self._profile_failed:
            return None
        if language.tag in self._profiles:
            return self._profiles[language.tag]
        from toolkit.manifest.profiles import QCProfileError, qc_profile_source
        from toolkit.qc import load_profile

        try:
            found = qc_profile_source(self.manifest)
            profile = load_profile(found.source, language)
        except QCProfileError as error:
            return self._profile_failure(error.code, error.message)
        except ScreenkitError as error:
            return self._profile_failure("M404", f"cannot load QC profile {found.name!r}: {error.message}")
        self._profiles[language.tag] = profile
        return profile

    def _profile_failure(self, code: str, message: str) -> None:
        self.report(code, "event.qc_profile", message)
        self._profile_failed = True


# ---- readers that tolerate the wrong shape ------------------------------------------


def as_dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def as_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


# The checks compute only with values inside the schema's bounds; anything outside
# (the schema reported it) is skipped, so no sum, product or date can overflow.
MAX_SECONDS = 86_400.0  # runtimes and durations: a day
MAX_MINUTES = 600.0  # intro, Q&A, changeover (the schema's "minutes")


def as_number(value: object, maximum: float = MAX_SECONDS) -> float | None:
    """A finite number from 0 to MAXIMUM; None for anything else (wrong type, .inf, .nan, 1e400, -1)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range
        return None
    return number if math.isfinite(number) and 0 <= number <= maximum else None


def as_date(value: object) -> date | None:
    from toolkit.manifest.schema_check import MAX_YEAR, MIN_YEAR

    if not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def as_datetime(value: object) -> datetime | None:
    from toolkit.manifest.schema_check import _is_datetime, parse_datetime

    if not isinstance(value, str) or not _is_datetime(value):  # years 1900 to 2199 only
        return None
    return parse_datetime(value)


def as_fps(value: object) -> Fraction | None:
    from toolkit.subtitles.timecode import parse_fps

    if not isinstance(value, str) or len(value) > 32:
        return None
    try:
        return parse_fps(value)
    except ScreenkitError:
        return None
