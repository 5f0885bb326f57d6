"""Checks the schema cannot express: references, files, subtitles, languages, media, schedule.

Codes (M2xx references, M3xx files, M4xx subtitle tracks, M5xx languages,
M6xx media, M7xx schedule):

    M201 duplicate id                 M202 reference that does not resolve
    M203 event ends before it starts  M204 unknown time zone
    M301 path absolute or escaping    M302 file missing
    M303 sha256 mismatch              M401 subtitle file does not parse
    M402 text not in the tagged language
    M403 last cue ends after the video
    M404 QC profile cannot be loaded  (QC findings keep the QC rule's own code)
    M501 required language missing    M502 optional language missing (info)
    M503 burned-in language missing   M601 media cannot be probed
    M602 duration off the declared one
    M603 frame rate not allowed / not as declared
    M604 resolution not allowed / not as declared
    M701 screenings overlap on a screen
    M702 screening starts outside the event's dates
    M703 start's UTC offset is not the event time zone's (warning)

The checks tolerate a document with schema errors: anything of the wrong
shape is skipped here (the schema already reported it).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from toolkit.diagnostics import Diagnostic, Location, Severity
from toolkit.errors import ScreenkitError
from toolkit.languages import Language, lookup
from toolkit.manifest.loader import Manifest, ManifestPathError

DEFAULT_QC_PROFILE = "festival"
DEFAULT_CHANGEOVER_MINUTES = 15
DEFAULT_TOLERANCE_SECONDS = 2.0
# Below this many letters language identification guesses; a forced track can be that short.
MIN_LETTERS_FOR_LANGID = 40
MIN_LANGID_PROBABILITY = 0.9
_TEXT_ROLES = ("full", "sdh", "bilingual")
_QC_CODES_COVERED = frozenset({"SK107"})
_QC_LANGUAGE_MISMATCH = "SK502"  # roles that cover all dialogue (forced does not)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass
class _Track:
    pointer: str
    language: Language | None
    role: str
    data: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    parsed: Any = None  # toolkit.subtitles.Track once read


@dataclass
class _Work:
    index: int
    pointer: str
    data: dict[str, Any]
    tracks: list[_Track] = field(default_factory=list)
    video: Path | None = None
    probed_duration_ms: int | None = None


class SemanticChecker:
    def __init__(self, manifest: Manifest, *, check_media: bool = True) -> None:
        self.manifest = manifest
        self.check_media = check_media
        self.data = manifest.data
        self.event = _dict(self.data.get("event"))
        self.diagnostics: list[Diagnostic] = []
        self.works: dict[str, _Work] = {}
        # QC profile per language tag; None once it failed to load (reported once).
        self._profiles: dict[str, Any] = {}

    # -- reporting -------------------------------------------------------

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

    # -- entry point -----------------------------------------------------

    def run(self) -> list[Diagnostic]:
        self.check_event()
        self.collect_works()
        self.check_screenings()
        for work in self.works.values():
            self.check_work_files(work)
            self.check_languages(work)
            self.check_deliverables(work)
            self.check_tracks(work)
        return self.diagnostics

    # -- event -----------------------------------------------------------

    def check_event(self) -> None:
        dates = _dict(self.event.get("dates"))
        start, end = _date(dates.get("start")), _date(dates.get("end"))
        if start and end and end < start:
            self.report("M203", "event.dates.end", f"the event ends ({end}) before it starts ({start})")
        name = _str(self.event.get("time_zone"))
        if name is not None and self.zone() is None:
            self.report("M204", "event.time_zone", f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)")
        seen: dict[str, int] = {}
        for index, venue in enumerate(_list(self.event.get("venues"))):
            pointer = f"event.venues[{index}]"
            venue_id = _str(_dict(venue).get("id"))
            if venue_id is not None:
                self._unique(seen, venue_id, index, f"{pointer}.id", "venue", "event.venues")
            screens: dict[str, int] = {}
            for screen_index, screen in enumerate(_list(_dict(venue).get("screens"))):
                screen_id = _str(_dict(screen).get("id"))
                if screen_id is not None:
                    self._unique(
                        screens, screen_id, screen_index, f"{pointer}.screens[{screen_index}].id", "screen", f"{pointer}.screens"
                    )

    def _unique(self, seen: dict[str, int], value: str, index: int, pointer: str, kind: str, array: str) -> None:
        if value in seen:
            self.report("M201", pointer, f"duplicate {kind} id {value!r} (first used at {array}[{seen[value]}])")
        else:
            seen[value] = index

    def zone(self) -> Any:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        name = _str(self.event.get("time_zone"))
        if not name:
            return None
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return None

    # -- works -----------------------------------------------------------

    def collect_works(self) -> None:
        seen: dict[str, int] = {}
        for index, raw in enumerate(_list(self.data.get("works"))):
            data = _dict(raw)
            work_id = _str(data.get("id"))
            pointer = f"works[{index}]"
            if work_id is None:
                continue
            if work_id in seen:
                self._unique(seen, work_id, index, f"{pointer}.id", "work", "works")
                continue
            seen[work_id] = index
            work = _Work(index=index, pointer=pointer, data=data)
            tracks_seen: dict[tuple[str, str], int] = {}
            for track_index, track_raw in enumerate(_list(data.get("subtitles"))):
                track_data = _dict(track_raw)
                track_pointer = f"{pointer}.subtitles[{track_index}]"
                tag = _str(track_data.get("language"))
                language = lookup(tag) if tag else None
                role = _str(track_data.get("role")) or "full"
                if language is not None:
                    identity = (language.tag, role)
                    if identity in tracks_seen:
                        self.report(
                            "M201",
                            f"{track_pointer}.language",
                            f"a second {role} track in {language.tag} (first at {pointer}.subtitles[{tracks_seen[identity]}]); which one to use is ambiguous",
                        )
                    else:
                        tracks_seen[identity] = track_index
                work.tracks.append(_Track(pointer=track_pointer, language=language, role=role, data=track_data))
            self.works[work_id] = work

    def check_work_files(self, work: _Work) -> None:
        media = _dict(work.data.get("media"))
        media_pointer = f"{work.pointer}.media"
        video = self.existing_file(media.get("path"), f"{media_pointer}.path")
        work.video = video
        if video is not None and self.check_media:
            # Hashing a feature film is slow: --no-media skips reading video files at all.
            self.check_sha256(video, media.get("sha256"), f"{media_pointer}.sha256")
            self.check_probe(work, video)
        for track in work.tracks:
            raw = track.data
            track.path = self.existing_file(raw.get("path"), f"{track.pointer}.path")
            if track.path is not None:
                self.check_sha256(track.path, raw.get("sha256"), f"{track.pointer}.sha256")

    def existing_file(self, relative: Any, pointer: str) -> Path | None:
        if not isinstance(relative, str) or not relative:
            return None
        try:
            path = self.manifest.resolve(relative, pointer)
        except ManifestPathError as error:
            self.report("M301", pointer, error.message)
            return None
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "does not exist"
            self.report("M302", pointer, f"{relative!r} {what} (relative to {self.manifest.base})")
            return None
        return path

    def check_sha256(self, path: Path, expected: Any, pointer: str) -> None:
        if not isinstance(expected, str):
            return
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        actual = digest.hexdigest()
        if actual != expected.lower():
            self.report("M303", pointer, f"sha256 of {path.name!r} is {actual}, not the declared {expected}")

    # -- media -----------------------------------------------------------

    def check_probe(self, work: _Work, video: Path) -> None:
        from toolkit.media.probe import probe

        media = _dict(work.data.get("media"))
        pointer = f"{work.pointer}.media"
        try:
            info = probe(video)
        except ScreenkitError as error:
            self.report("M601", f"{pointer}.path", f"cannot probe the video: {error.message}")
            return
        work.probed_duration_ms = info.duration_ms
        declared = _number(media.get("duration"))
        declared_pointer = f"{pointer}.duration"
        if declared is None:
            declared = _number(work.data.get("runtime"))
            declared_pointer = f"{work.pointer}.runtime"
        tolerance = _number(self.event.get("runtime_tolerance_seconds"))
        tolerance = DEFAULT_TOLERANCE_SECONDS if tolerance is None else tolerance
        if declared is not None and info.duration_ms is not None:
            actual = info.duration_ms / 1000
            if abs(actual - declared) > tolerance:
                self.report(
                    "M602",
                    declared_pointer,
                    f"the video lasts {actual:.3f} s, not {declared:g} s (tolerance {tolerance:g} s)",
                )
        stream = getattr(info, "video", None)
        if stream is None:
            self.report("M601", f"{pointer}.path", "the file has no video stream")
            return
        copy = _dict(self.event.get("screening_copy"))
        rate = getattr(stream, "frame_rate", None)
        if rate is not None:
            rate = Fraction(rate)
            allowed = [(text, _fps(text)) for text in _list(copy.get("frame_rates")) if isinstance(text, str)]
            if allowed and all(value != rate for _, value in allowed if value is not None):
                names = ", ".join(text for text, _ in allowed)
                self.report("M603", f"{pointer}.path", f"frame rate {_show_fps(rate)} is not allowed by the event ({names})")
            declared_rate = _fps(media.get("frame_rate"))
            if declared_rate is not None and declared_rate != rate:
                self.report("M603", f"{pointer}.frame_rate", f"the video runs at {_show_fps(rate)} fps, not {media['frame_rate']}")
        width, height = getattr(stream, "width", None), getattr(stream, "height", None)
        if width and height:
            sizes = [(r.get("width"), r.get("height")) for r in map(_dict, _list(copy.get("resolutions")))]
            if sizes and (width, height) not in sizes:
                names = ", ".join(f"{w}x{h}" for w, h in sizes)
                self.report("M604", f"{pointer}.path", f"resolution {width}x{height} is not allowed by the event ({names})")
            declared_size = _dict(media.get("resolution"))
            if declared_size and (declared_size.get("width"), declared_size.get("height")) != (width, height):
                self.report(
                    "M604",
                    f"{pointer}.resolution",
                    f"the video is {width}x{height}, not {declared_size.get('width')}x{declared_size.get('height')}",
                )

    def video_duration_ms(self, work: _Work) -> int | None:
        if work.probed_duration_ms is not None:
            return work.probed_duration_ms
        declared = _number(_dict(work.data.get("media")).get("duration"))
        if declared is None:
            declared = _number(work.data.get("runtime"))
        return round(declared * 1000) if declared is not None else None

    # -- subtitle tracks ---------------------------------------------------

    def check_tracks(self, work: _Work) -> None:
        from toolkit.subtitles import read_track

        duration_ms = self.video_duration_ms(work)
        for track in work.tracks:
            if track.path is None:
                continue
            raw = track.data
            try:
                parsed = read_track(track.path, fmt=_str(raw.get("format")), language=track.language)
            except ScreenkitError as error:
                where = self.display(_str(raw.get("path")) or "")
                if error.line is not None:
                    where += f":{error.line}" + (f":{error.column}" if error.column is not None else "")
                self.report("M401", f"{track.pointer}.path", f"does not parse: {where}: {error.message}")
                continue
            track.parsed = parsed
            if not self.qc_checks_language(track):
                self.check_track_language(track, parsed)
            if duration_ms is not None and parsed.cues:
                last = max(cue.end for cue in parsed.cues)
                if last > duration_ms:
                    from toolkit.subtitles.timecode import format_srt

                    self.report(
                        "M403",
                        f"{track.pointer}.path",
                        f"the last cue ends at {format_srt(last)}, after the video ends ({format_srt(duration_ms)})",
                    )
            self.check_track_qc(track, parsed, duration_ms, _str(raw.get("path")) or "")

    def check_track_language(self, track: _Track, parsed: Any) -> None:
        # A bilingual track holds two languages on purpose; identification would call it either.
        if track.language is None or track.role == "bilingual":
            return
        from toolkit.qc.langid import identify_language

        text = "\n".join(cue.plain_text for cue in parsed.cues)
        if sum(ch.isalpha() for ch in text) < MIN_LETTERS_FOR_LANGID:
            return
        language, code, probability = identify_language(text)
        if probability < MIN_LANGID_PROBABILITY:
            return
        if language is None or language != track.language:
            seen = language.tag if language is not None else code
            self.report(
                "M402",
                f"{track.pointer}.language",
                f"tagged {track.language.tag} but the text looks like {seen} (p={probability:.2f})",
            )

    def display(self, relative: str) -> str:
        """A file named in the manifest, as a path relative to where the manifest path was given."""
        return os.path.normpath(os.path.join(os.path.dirname(self.manifest.display_path), relative))

    def qc_checks_language(self, track: _Track) -> bool:
        """Whether the QC pass identifies this track's language (SK502 on): then it is not done twice."""
        if track.language is None:
            return False
        profile = self.qc_profile(track.language)
        return profile is not None and profile.rule_severity(_QC_LANGUAGE_MISMATCH, Severity.ERROR) is not None

    def check_track_qc(self, track: _Track, parsed: Any, duration_ms: int | None, relative: str) -> None:
        if track.language is None:
            return
        profile = self.qc_profile(track.language)
        if profile is None:
            return
        from toolkit.qc import lint_track

        for finding in lint_track(parsed, profile, video_duration_ms=duration_ms):
            if finding.code == _QC_LANGUAGE_MISMATCH:
                # QC identified the language already (see qc_checks_language): report it
                # as the manifest's M402, at the track's language tag.
                if track.role != "bilingual":
                    self.report("M402", f"{track.pointer}.language", f"tagged {track.language.tag}, but the {finding.message}")
                continue
            # Past the video's end is this module's M403, reported at the manifest's pointer.
            if finding.severity is Severity.ERROR and finding.code not in _QC_CODES_COVERED:
                location = replace(finding.location, pointer=f"{track.pointer}.path", path=self.display(relative))
                self.diagnostics.append(replace(finding, location=location))

    def qc_profile(self, language: Language) -> Any:
        if language.tag in self._profiles:
            return self._profiles[language.tag]
        name = _str(self.event.get("qc_profile")) or DEFAULT_QC_PROFILE
        from toolkit.qc import BUILTIN_PROFILES, load_profile

        source = name
        if name not in BUILTIN_PROFILES:
            # A profile file: relative to the manifest, like every other path in it.
            try:
                path = self.manifest.resolve(name, "event.qc_profile")
            except ManifestPathError as error:
                self.report("M301", "event.qc_profile", error.message)
                self._profiles = {tag.tag: None for tag in _all_languages()}
                return None
            if not path.is_file():
                self.report(
                    "M404",
                    "event.qc_profile",
                    f"unknown QC profile {name!r} (built-in: {', '.join(BUILTIN_PROFILES)}; "
                    "or a .json/.toml profile file relative to the manifest)",
                )
                self._profiles = {tag.tag: None for tag in _all_languages()}
                return None
            source = os.fspath(path)
        try:
            profile = load_profile(source, language)
        except ScreenkitError as error:
            self.report("M404", "event.qc_profile", f"cannot load QC profile {name!r}: {error.message}")
            self._profiles = {tag.tag: None for tag in _all_languages()}
            return None
        self._profiles[language.tag] = profile
        return profile

    # -- languages and deliverables ----------------------------------------

    def check_languages(self, work: _Work) -> None:
        audience = _dict(self.event.get("audience_languages"))
        original = lookup(_str(work.data.get("original_language")) or "")
        covering = {track.language for track in work.tracks if track.language and track.role in _TEXT_ROLES}
        have = ", ".join(sorted(language.tag for language in covering)) or "none"
        for severity, key, code in ((Severity.ERROR, "required", "M501"), (Severity.INFO, "optional", "M502")):
            for tag in _list(audience.get(key)):
                language = lookup(tag) if isinstance(tag, str) else None
                if language is None or language == original or language in covering:
                    continue
                hint = "" if severity is Severity.ERROR else "; screenkit translate can fill it"
                self.report(
                    code,
                    f"{work.pointer}.subtitles" if "subtitles" in work.data else work.pointer,
                    f"no {language.tag} subtitles for {work.data.get('id')!r}, which the audience {'needs' if key == 'required' else 'may want'} (tracks: {have}){hint}",
                    severity,
                )
        burned = _list(_dict(self.event.get("screening_copy")).get("burned_languages"))
        for tag in burned:
            language = lookup(tag) if isinstance(tag, str) else None
            if language is None or language == original or language in covering:
                continue
            if language.tag in [lookup(t).tag for t in _list(audience.get("required")) if isinstance(t, str) and lookup(t)]:
                continue  # already reported as M501
            self.report(
                "M503",
                f"{work.pointer}.subtitles" if "subtitles" in work.data else work.pointer,
                f"the screening copy burns in {language.tag} but {work.data.get('id')!r} has no {language.tag} track",
            )

    def check_deliverables(self, work: _Work) -> None:
        deliverables = _dict(work.data.get("deliverables"))
        base = f"{work.pointer}.deliverables"
        available = {track.language for track in work.tracks if track.language}

        def need(tag: Any, pointer: str) -> None:
            language = lookup(tag) if isinstance(tag, str) else None
            if language is not None and language not in available:
                have = ", ".join(sorted(lang.tag for lang in available)) or "none"
                self.report("M202", pointer, f"no {language.tag} subtitle track to use (tracks: {have})")

        for index, burn in enumerate(_list(deliverables.get("burn"))):
            for lang_index, tag in enumerate(_list(_dict(burn).get("languages"))):
                need(tag, f"{base}.burn[{index}].languages[{lang_index}]")
        mux = _dict(deliverables.get("mux"))
        tracks = _list(mux.get("tracks"))
        for index, tag in enumerate(tracks):
            need(tag, f"{base}.mux.tracks[{index}]")
        default = _str(mux.get("default"))
        if default is not None:
            need(default, f"{base}.mux.default")
            chosen = {lookup(t) for t in tracks if isinstance(t, str)}
            if tracks and lookup(default) not in chosen:
                self.report("M202", f"{base}.mux.default", f"default track {default} is not among the muxed tracks")
        dcp = _dict(deliverables.get("dcp_subtitle"))
        for index, tag in enumerate(_list(dcp.get("languages"))):
            need(tag, f"{base}.dcp_subtitle.languages[{index}]")

    # -- screenings --------------------------------------------------------

    def check_screenings(self) -> None:
        venues = {
            _str(_dict(v).get("id")): {_str(_dict(s).get("id")) for s in _list(_dict(v).get("screens"))}
            for v in _list(self.event.get("venues"))
        }
        zone = self.zone()
        dates = _dict(self.event.get("dates"))
        first, last = _date(dates.get("start")), _date(dates.get("end"))
        changeover = _number(self.event.get("changeover_minutes"))
        changeover = DEFAULT_CHANGEOVER_MINUTES if changeover is None else changeover
        seen: dict[str, int] = {}
        slots: list[tuple[str, str, datetime, datetime, str, str]] = []
        for index, raw in enumerate(_list(self.data.get("screenings"))):
            screening = _dict(raw)
            pointer = f"screenings[{index}]"
            screening_id = _str(screening.get("id"))
            if screening_id is not None:
                self._unique(seen, screening_id, index, f"{pointer}.id", "screening", "screenings")
            venue, screen = _str(screening.get("venue")), _str(screening.get("screen"))
            if venue is not None and venue not in venues:
                known = ", ".join(sorted(v for v in venues if v)) or "none"
                self.report("M202", f"{pointer}.venue", f"unknown venue {venue!r} (venues: {known})")
            elif venue is not None and screen is not None and screen not in venues[venue]:
                known = ", ".join(sorted(s for s in venues[venue] if s)) or "none"
                self.report("M202", f"{pointer}.screen", f"venue {venue!r} has no screen {screen!r} (screens: {known})")
            runtime = 0.0
            for work_index, work_id in enumerate(_list(screening.get("works"))):
                if not isinstance(work_id, str):
                    continue
                work = self.works.get(work_id)
                if work is None:
                    known = ", ".join(sorted(self.works)) or "none"
                    self.report("M202", f"{pointer}.works[{work_index}]", f"unknown work {work_id!r} (works: {known})")
                    continue
                runtime += _number(work.data.get("runtime")) or 0
            start = _datetime(screening.get("start"))
            if start is None:
                continue
            minutes = (_number(screening.get("intro_minutes")) or 0) + (_number(screening.get("qa_minutes")) or 0)
            end = start + timedelta(seconds=runtime, minutes=minutes)
            if zone is not None:
                local = start.astimezone(zone)
                if first and last and not (first <= local.date() <= last):
                    self.report(
                        "M702",
                        f"{pointer}.start",
                        f"starts on {local.date()} ({zone.key}), outside the event's dates {first} to {last}",
                    )
                if local.utcoffset() != start.utcoffset():
                    self.report(
                        "M703",
                        f"{pointer}.start",
                        f"offset {_show_offset(start)} is not {zone.key}'s offset on that day ({_show_offset(local)}); check the time",
                        Severity.WARNING,
                    )
            if venue is not None and screen is not None:
                label = screening_id or pointer
                slots.append((venue, screen, start, end, label, pointer))
        slots.sort(key=lambda slot: slot[2])
        blocked = timedelta(minutes=changeover)
        for position, (venue, screen, start, end, _label, pointer) in enumerate(slots):
            for other in slots[:position]:
                if other[0] == venue and other[1] == screen and start < other[3] + blocked and other[2] < end + blocked:
                    self.report(
                        "M701",
                        f"{pointer}.start",
                        f"overlaps screening {other[4]!r} on {venue}/{screen}: it runs until "
                        f"{other[3].strftime('%H:%M')} plus {changeover:g} min changeover",
                    )
                    break


def _all_languages() -> tuple[Language, ...]:
    from toolkit.languages import LANGUAGES

    return LANGUAGES


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _datetime(value: Any) -> datetime | None:
    from toolkit.manifest.schema_check import _is_datetime, parse_datetime

    if not isinstance(value, str) or not _is_datetime(value):
        return None
    return parse_datetime(value)


def _fps(value: Any) -> Fraction | None:
    from toolkit.subtitles.timecode import parse_fps

    if not isinstance(value, str):
        return None
    try:
        return parse_fps(value)
    except ScreenkitError:
        return None


def _show_fps(rate: Fraction) -> str:
    return str(rate.numerator) if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator} ({float(rate):.3f})"


def _show_offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def check_semantics(manifest: Manifest, *, check_media: bool = True) -> list[Diagnostic]:
    return SemanticChecker(manifest, check_media=check_media).run()


__all__ = ["SemanticChecker", "check_semantics"]
