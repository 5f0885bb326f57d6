"""The package report as typed data: what ``report.json`` holds and ``report.html`` shows.

``toolkit.package.report`` assembles it from a run; :meth:`PackageReport.to_json`
writes it (keys that a package does not have are left out, as before this
model existed) and :meth:`PackageReport.from_json` reads one back, tolerating
missing keys so an older or hand-trimmed report still renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

JSON = dict[str, object]


def _dict(value: object) -> JSON:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _str(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _strings(value: object) -> list[str]:
    return [item for item in _list(value) if isinstance(item, str)]


def _titles(value: object) -> dict[str, str]:
    if isinstance(value, str):
        return {"original": value}
    return {key: item for key, item in _dict(value).items() if isinstance(item, str)}


def _set_if(data: JSON, key: str, value: object) -> None:
    if value is not None:
        data[key] = value


@dataclass
class Finding:
    """A QC finding of one track, as the report lists it."""

    code: str
    severity: str  # error, warning, info
    message: str
    language: str = ""
    where: str = ""  # "cue 4, line 2"
    time_ms: int | None = None

    def to_json(self) -> JSON:
        return {
            "code": self.code, "severity": self.severity, "message": self.message,
            "language": self.language, "where": self.where, "time_ms": self.time_ms,
        }

    @classmethod
    def from_json(cls, data: object) -> Finding:
        d = _dict(data)
        return cls(
            _str(d.get("code")), _str(d.get("severity"), "info"), _str(d.get("message")),
            _str(d.get("language")), _str(d.get("where")), _opt_int(d.get("time_ms")),
        )


@dataclass
class QCCounts:
    errors: int = 0
    warnings: int = 0
    fixes: int = 0

    def to_json(self) -> JSON:
        return {"errors": self.errors, "warnings": self.warnings, "fixes": self.fixes}

    @classmethod
    def from_json(cls, data: object) -> QCCounts:
        d = _dict(data)
        return cls(_int(d.get("errors")), _int(d.get("warnings")), _int(d.get("fixes")))


@dataclass
class TrackReport:
    language: str
    status: str  # human, machine, converted, missing, original
    required: bool = False
    cues: int | None = None
    qc: QCCounts = field(default_factory=QCCounts)
    path: str | None = None  # inside the package, when the track is in it
    source: str | None = None  # machine tracks: the language translated from
    translation: JSON | None = None  # machine tracks: segments, models, warnings
    error: str | None = None
    # Measured against the work's audio (toolkit/sync/check.py): {"measured": true,
    # "offset_ms", "fps", "confidence"} or {"measured": false, "reason": "not measurable", "detail"};
    # None when not checked.
    sync: JSON | None = None
    sync_tolerance_ms: int | None = None
    # {"reviewed": bool, "by": str, "at": str}: by and at when the manifest has them.
    review: JSON | None = None

    @property
    def unreviewed(self) -> bool:
        return _dict(self.review).get("reviewed") is False

    @property
    def sync_off(self) -> bool:
        """The track is further from the speech than the event's tolerance (or at another frame rate)."""
        data = _dict(self.sync)
        if data.get("measured") is not True or self.sync_tolerance_ms is None:
            return False
        offset = data.get("offset_ms")
        return (
            data.get("fps") is not None
            or data.get("off_speech_cues") is not None
            or (isinstance(offset, int) and abs(offset) > self.sync_tolerance_ms)
        )

    def to_json(self) -> JSON:
        data: JSON = {
            "language": self.language, "status": self.status, "required": self.required,
            "cues": self.cues, "qc": self.qc.to_json(),
        }
        _set_if(data, "path", self.path)
        if self.source is not None:
            data["source"] = self.source
            data["translation"] = self.translation or {}
        _set_if(data, "error", self.error)
        if self.sync is not None:
            data["sync"] = {**_dict(self.sync), "tolerance_ms": self.sync_tolerance_ms}
        if self.review is not None:
            data["review"] = dict(self.review)
        return data

    @classmethod
    def from_json(cls, data: object) -> TrackReport:
        d = _dict(data)
        translation = d.get("translation")
        sync = d.get("sync")
        return cls(
            _str(d.get("language")), _str(d.get("status"), "human"), d.get("required") is True,
            _opt_int(d.get("cues")), QCCounts.from_json(d.get("qc")), _opt_str(d.get("path")),
            _opt_str(d.get("source")), translation if isinstance(translation, dict) else None,
            _opt_str(d.get("error")),
            {k: v for k, v in sync.items() if k != "tolerance_ms"} if isinstance(sync, dict) else None,
            _opt_int(_dict(sync).get("tolerance_ms")) if isinstance(sync, dict) else None,
            dict(d["review"]) if isinstance(d.get("review"), dict) else None,
        )

    @property
    def models(self) -> list[str]:
        return _strings(_dict(self.translation).get("models"))

    @property
    def segments(self) -> int:
        return _int(_dict(self.translation).get("segments"))


@dataclass
class Deliverable:
    kind: str  # burn, mux, sidecar, ...
    path: str
    languages: list[str] = field(default_factory=list)
    status: str | None = None  # set when the step did not run or skip: failed, blocked, not run
    size: int | None = None
    sha256: str | None = None
    duration_ms: int | None = None
    still: str | None = None
    still_at_ms: int | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)

    def to_json(self) -> JSON:
        data: JSON = {"kind": self.kind, "path": self.path, "languages": list(self.languages)}
        for key in ("status", "size", "sha256", "duration_ms", "still", "still_at_ms", "error"):
            _set_if(data, key, getattr(self, key))
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.fonts:
            data["fonts"] = list(self.fonts)
        return data

    @classmethod
    def from_json(cls, data: object) -> Deliverable:
        d = _dict(data)
        return cls(
            _str(d.get("kind")), _str(d.get("path")), _strings(d.get("languages")), _opt_str(d.get("status")),
            _opt_int(d.get("size")), _opt_str(d.get("sha256")), _opt_int(d.get("duration_ms")),
            _opt_str(d.get("still")), _opt_int(d.get("still_at_ms")), _opt_str(d.get("error")),
            [str(w) for w in _list(d.get("warnings"))], _strings(d.get("fonts")),
        )


@dataclass
class WorkReport:
    id: str
    title: dict[str, str] = field(default_factory=dict)  # by language tag, and "original"
    original_language: str | None = None
    runtime_ms: int | None = None
    directors: list[str] = field(default_factory=list)
    tracks: list[TrackReport] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    synopsis: dict[str, str] = field(default_factory=dict)  # by language tag
    content_notes: list[str] = field(default_factory=list)

    def to_json(self) -> JSON:
        return {
            "id": self.id, "title": dict(self.title), "original_language": self.original_language,
            "runtime_ms": self.runtime_ms, "directors": list(self.directors),
            "synopsis": dict(self.synopsis), "content_notes": list(self.content_notes),
            "tracks": [t.to_json() for t in self.tracks],
            "deliverables": [d.to_json() for d in self.deliverables],
            "findings": [f.to_json() for f in self.findings],
        }

    @classmethod
    def from_json(cls, data: object) -> WorkReport:
        d = _dict(data)
        return cls(
            _str(d.get("id")), _titles(d.get("title")), _opt_str(d.get("original_language")),
            _opt_int(d.get("runtime_ms")), _strings(d.get("directors")),
            [TrackReport.from_json(t) for t in _list(d.get("tracks"))],
            [Deliverable.from_json(x) for x in _list(d.get("deliverables"))],
            [Finding.from_json(f) for f in _list(d.get("findings"))],
            _titles(d.get("synopsis")), _strings(d.get("content_notes")),
        )

    def track(self, language: str) -> TrackReport | None:
        return next((t for t in self.tracks if t.language == language), None)


@dataclass
class Venue:
    id: str | None = None
    name: str | None = None
    city: str | None = None

    def to_json(self) -> JSON:
        return {"id": self.id, "name": self.name, "city": self.city}

    @classmethod
    def from_json(cls, data: object) -> Venue:
        d = _dict(data)
        return cls(_opt_str(d.get("id")), _opt_str(d.get("name")), _opt_str(d.get("city")))


@dataclass
class EventReport:
    id: str | None = None
    title: dict[str, str] = field(default_factory=dict)
    dates: str = ""  # "2026-12-04 – 2026-12-06"
    time_zone: str | None = None
    venues: list[Venue] = field(default_factory=list)
    qc_profile: str = ""

    def to_json(self) -> JSON:
        return {
            "id": self.id, "title": dict(self.title), "dates": self.dates, "time_zone": self.time_zone,
            "venues": [v.to_json() for v in self.venues], "qc_profile": self.qc_profile,
        }

    @classmethod
    def from_json(cls, data: object) -> EventReport:
        d = _dict(data)
        return cls(
            _opt_str(d.get("id")), _titles(d.get("title")), _str(d.get("dates")), _opt_str(d.get("time_zone")),
            [Venue.from_json(v) for v in _list(d.get("venues"))], _str(d.get("qc_profile")),
        )


@dataclass
class ScreeningReport:
    id: str | None
    where: str
    start: str | None  # RFC 3339 with its offset, as the manifest has it
    works: list[str] = field(default_factory=list)
    title: dict[str, str] = field(default_factory=dict)  # by language tag
    end: str | None = None  # start + intro + the works' runtimes + Q&A, same offset

    def to_json(self) -> JSON:
        return {
            "id": self.id, "title": dict(self.title), "where": self.where, "start": self.start, "end": self.end,
            "works": list(self.works),
        }

    @classmethod
    def from_json(cls, data: object) -> ScreeningReport:
        d = _dict(data)
        return cls(
            _opt_str(d.get("id")), _str(d.get("where")), _opt_str(d.get("start")), _strings(d.get("works")),
            _titles(d.get("title")), _opt_str(d.get("end")),
        )


@dataclass
class ReportWarning:
    """A finding of the package build (SKP1xx, M8xx...): its text, the work it is about, and its fix."""

    code: str
    severity: str  # error, warning, info
    message: str
    work: str | None = None  # the work's id, when the finding is about one
    fix: str | None = None  # what to do about it (the code's documented fix)
    pointer: str | None = None  # where in the manifest: works[1].subtitles
    line: int | None = None  # the manifest's line

    def to_json(self) -> JSON:
        return {
            "code": self.code, "severity": self.severity, "message": self.message, "work": self.work,
            "fix": self.fix, "pointer": self.pointer, "line": self.line,
        }

    @classmethod
    def from_json(cls, data: object) -> ReportWarning:
        if isinstance(data, str):  # a report written before warnings had fields
            return cls("", "warning", data)
        d = _dict(data)
        return cls(
            _str(d.get("code")), _str(d.get("severity"), "warning"), _str(d.get("message")),
            _opt_str(d.get("work")), _opt_str(d.get("fix")), _opt_str(d.get("pointer")), _opt_int(d.get("line")),
        )


@dataclass
class PackageReport:
    screenkit: str
    manifest_path: str = ""
    manifest_sha256: str = ""
    event: EventReport = field(default_factory=EventReport)
    required_languages: list[str] = field(default_factory=list)
    optional_languages: list[str] = field(default_factory=list)
    screenings: list[ScreeningReport] = field(default_factory=list)
    works: list[WorkReport] = field(default_factory=list)
    warnings: list[ReportWarning] = field(default_factory=list)
    language: str = "en"  # the report's language: dates and times are written in it

    @property
    def tracks(self) -> list[TrackReport]:
        return [track for work in self.works for track in work.tracks]

    def to_json(self) -> JSON:
        return {
            "screenkit": self.screenkit,
            "manifest": {"path": self.manifest_path, "sha256": self.manifest_sha256},
            "event": self.event.to_json(),
            "languages": {"required": list(self.required_languages), "optional": list(self.optional_languages)},
            "screenings": [s.to_json() for s in self.screenings],
            "works": [w.to_json() for w in self.works],
            "warnings": [w.to_json() for w in self.warnings],
            "language": self.language,
        }

    @classmethod
    def from_json(cls, data: object) -> PackageReport:
        d = _dict(data)
        manifest = _dict(d.get("manifest"))
        languages = _dict(d.get("languages"))
        return cls(
            _str(d.get("screenkit")), _str(manifest.get("path")), _str(manifest.get("sha256")),
            EventReport.from_json(d.get("event")), _strings(languages.get("required")),
            _strings(languages.get("optional")),
            [ScreeningReport.from_json(s) for s in _list(d.get("screenings"))],
            [WorkReport.from_json(w) for w in _list(d.get("works"))],
            [ReportWarning.from_json(w) for w in _list(d.get("warnings"))],
            _str(d.get("language"), "en"),
        )
