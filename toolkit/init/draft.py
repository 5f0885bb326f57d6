"""The draft manifest: what a folder (and a lineup) says, every guess marked with a comment."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from toolkit.init.folder import SURE, Folder, Subtitle, Video, slug
from toolkit.init.lineup import Lineup, LineupScreening, LineupWork
from toolkit.init.yamlout import Commented, Node, dump
from toolkit.languages import lookup

PLACEHOLDER_DATE = "2000-01-01"
# Of two tracks in one language and role, the one kept: text formats before cinema XML.
FORMAT_PREFERENCE = {"srt": 0, "vtt": 1, "ass": 2, "ssa": 3, "imsc": 4, "ebu-tt-d": 5, "dcp-interop": 6, "dcp-smpte": 7}


@dataclass
class Draft:
    text: str
    works: int
    tracks: int
    screenings: int
    guesses: int
    notes: list[str] = field(default_factory=list)  # for stderr: what could not be placed


def human_duration(seconds: float) -> str:
    """``4 min 0 s``, ``1 h 32 min 5 s``, ``3.2 s``."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min {secs} s"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{seconds:.1f} s".replace(".0 s", " s")


def frame_rate_text(rate: Fraction) -> str | None:
    """The manifest's spelling of a frame rate (``25``, ``23.976``), or None when it has none."""
    from toolkit.errors import ScreenkitError
    from toolkit.subtitles.timecode import parse_fps

    if rate.denominator == 1:
        return str(rate.numerator)
    for text in (f"{float(rate):.3f}".rstrip("0").rstrip("."), f"{rate.numerator}/{rate.denominator}"):
        try:
            if parse_fps(text) == rate and len(text.partition("/")[0].partition(".")[0]) <= 4:
                return text
        except ScreenkitError:
            continue
    return None


def _humanize(stem: str) -> str:
    words = stem.replace("_", " ").replace("-", " ").replace(".", " ").split()
    text = " ".join(words) or stem
    return text[:1].upper() + text[1:]


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: 64 - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


class Builder:
    def __init__(
        self,
        folder: Folder,
        manifest: Path,
        *,
        lineup: Lineup | None,
        zone: str | None,
        zone_source: str | None,
        existing: dict[str, Any] | None,
    ) -> None:
        self.folder = folder
        self.base = manifest.parent
        self.lineup = lineup
        self.zone = zone
        self.zone_source = zone_source
        self.existing = existing or {}
        self.guesses = 0
        self.notes: list[str] = []
        self.work_ids: set[str] = set()

    def guess(self, value: Node, comment: str) -> Commented:
        self.guesses += 1
        return Commented(value, comment)

    def rel(self, path: Path) -> str:
        return Path(os.path.relpath(path.resolve(), self.base.resolve())).as_posix()

    # ---- works -------------------------------------------------------------------------

    def original_language(
        self, video: Video | None, tracks: list[Subtitle], listed: LineupWork | None
    ) -> Commented:
        if listed is not None and listed.languages:
            spoken = ", ".join(language.tag for language in listed.languages)
            return Commented(listed.languages[0].tag, f"from the lineup, {listed.cells.get('languages')} ({spoken})")
        for tag in video.audio_languages if video else []:
            language = lookup(tag)
            if language is not None:
                return self.guess(language.tag, f"original language from the video's audio language tag ({tag})")
        languages = [track.language for track in tracks if track.language is not None]
        chinese = [language for language in languages if language.is_cjk]
        if chinese:
            return self.guess(chinese[0].tag, "original language guessed: the work's Chinese track (no audio language tag)")
        if languages:
            return self.guess(languages[0].tag, "original language guessed: its first track's (no audio language tag)")
        return self.guess("en", "placeholder: nothing says which language is spoken")

    def track(self, subtitle: Subtitle) -> dict[str, Node]:
        assert subtitle.language is not None
        entry: dict[str, Node] = {}
        if subtitle.language_source == "file name":
            read = (
                f"; the text reads as {subtitle.identified} ({subtitle.probability:.2f})"
                if subtitle.identified and subtitle.probability is not None
                else ""
            )
            if subtitle.identified and not _agrees(subtitle.tag, subtitle.identified):
                read += ": check it"
            entry["language"] = self.guess(subtitle.language.tag, f"language from the file name{read}")
        else:
            sure = "" if (subtitle.probability or 0) >= SURE else ", not sure: check it"
            entry["language"] = self.guess(
                subtitle.language.tag,
                f"language identified from the text ({subtitle.identified}, {subtitle.probability:.2f}){sure}",
            )
        entry["path"] = Commented(
            self.rel(subtitle.path), f"{subtitle.format.upper()}, {subtitle.encoding}, {subtitle.cues} cues"
        )
        entry["format"] = subtitle.format
        if subtitle.secondary is not None:
            source = "file name" if subtitle.language_source == "file name" else "text"
            entry["role"] = self.guess("bilingual", f"two languages in each cue ({subtitle.tag}), from the {source}")
        elif subtitle.role:
            entry["role"] = self.guess(subtitle.role, "role from the file name")
        return entry

    def one_per_language(self, tracks: list[Subtitle]) -> list[Subtitle]:
        """One track per language and role (validate calls two ambiguous): the handiest format kept."""
        kept: dict[tuple[str, str], Subtitle] = {}
        for track in sorted(tracks, key=lambda t: (FORMAT_PREFERENCE.get(t.format, 99), str(t.path))):
            key = (track.tag.partition("+")[0], "bilingual" if track.secondary else track.role or "full")
            if key in kept:
                self.notes.append(
                    f"{track.path}: a second {key[1]} {key[0]} track for this video "
                    f"(kept {kept[key].path}; left out)"
                )
                continue
            kept[key] = track
        return [track for track in tracks if track in kept.values()]

    def work(self, video: Video | None, listed: LineupWork | None, fallback_id: str) -> dict[str, Node]:
        tracks = [t for t in (self.folder.pairs.get(video.path, []) if video else []) if t.language is not None]
        tracks = self.one_per_language(tracks)
        if video is not None:
            base_id: str = slug(video.stem, fallback_id)
        elif listed is not None:
            base_id = slug(listed.original_title or "", "") or slug(listed.title, fallback_id)
        else:
            base_id = fallback_id
        work_id = _unique(base_id, self.work_ids)
        data: dict[str, Node] = {}
        if listed is not None:
            where = f"{self.lineup.source if self.lineup else 'lineup'} row {listed.row}"
            data["id"] = self.guess(work_id, f"id from the {'video file' if video else 'title'}; {where}")
            title: dict[str, Node] = {"original": listed.original_title or listed.title}
            title.update(listed.titles)
            data["title"] = title
        else:
            data["id"] = self.guess(work_id, "id from the file name")
            assert video is not None
            data["title"] = {"original": self.guess(_humanize(video.stem), "title from the file name")}
        data["original_language"] = self.original_language(video, tracks, listed)
        if listed is not None and listed.directors:
            data["directors"] = listed.directors
        if listed is not None and listed.year is not None:
            data["year"] = listed.year
        if listed is not None and listed.countries:
            data["country"] = listed.countries
        probed = video.duration_ms / 1000 if video is not None and video.duration_ms else None
        if listed is not None and listed.runtime is not None:
            runs = f" (the video runs {human_duration(probed)})" if probed is not None else ""
            data["runtime"] = Commented(listed.runtime, f"from the lineup, {listed.cells.get('runtime')}{runs}")
        elif probed is not None:
            data["runtime"] = self.guess(max(1, round(probed)), f"runtime from the video's duration ({human_duration(probed)})")
        else:
            data["runtime"] = self.guess(60, "placeholder: no video duration to take the runtime from")
        if video is not None:
            media: dict[str, Node] = {"path": self.rel(video.path), "sha256": video.sha256}
            if probed is not None:
                media["duration"] = probed
            rate = frame_rate_text(video.frame_rate) if video.frame_rate else None
            if rate is not None:
                media["frame_rate"] = rate
            if video.width and video.height:
                media["resolution"] = {"width": video.width, "height": video.height}
            audio = f"; audio tagged {', '.join(video.audio_languages)}" if video.audio_languages else ""
            data["media"] = Commented(media, f"measured from the file{audio}")
        else:
            assert listed is not None
            path = f"media/{work_id}.mp4"
            data["media"] = {"path": self.guess(path, "placeholder: no video in the folder matches this title")}
        if tracks:
            data["subtitles"] = [self.track(track) for track in tracks]
            data["deliverables"] = self.guess(
                {"sidecar": {"formats": ["srt", "vtt"]}}, "a start: every track as SRT and WebVTT beside the video"
            )
        return data

    def works(self) -> tuple[list[dict[str, Node]], dict[int, str]]:
        """The works, and the id of each lineup work (by id() of the LineupWork)."""
        videos = list(self.folder.videos)
        entries: list[dict[str, Node]] = []
        ids: dict[int, str] = {}
        used: set[Path] = set()
        listed_works = self.lineup.works if self.lineup else []
        for number, listed in enumerate(listed_works, start=1):
            video = self.match(listed, [v for v in videos if v.path not in used])
            if video is not None:
                used.add(video.path)
            else:
                self.notes.append(
                    f"{self.lineup.where(None, listed.row) if self.lineup else listed.row}: no video for "
                    f"{listed.title!r} in {self.folder.root} (name the file after the title, or give it in a File column)"
                )
            entry = self.work(video, listed, f"work-{number}")
            ids[id(listed)] = _plain(entry["id"])
            entries.append(entry)
        for video in videos:
            if video.path in used:
                continue
            if self.lineup is not None:
                self.notes.append(f"{video.path}: not in the lineup; added as a work no screening shows")
            entries.append(self.work(video, None, f"work-{len(entries) + 1}"))
        return entries, ids

    def match(self, listed: LineupWork, videos: list[Video]) -> Video | None:
        keys = [slug(Path(listed.file).stem if "." in listed.file else listed.file, "") if listed.file else ""]
        keys += [slug(listed.title, ""), slug(listed.original_title or "", "")]
        for key in filter(None, keys):
            for video in videos:
                if slug(video.stem, "") == key:
                    return video
        if listed.file:
            for video in videos:
                if self.rel(video.path) == listed.file or video.path.name == listed.file:
                    return video
        return None

    # ---- event ---------------------------------------------------------------------------

    def audience(self, works: list[dict[str, Node]]) -> dict[str, Node]:
        covered: list[set[str]] = []
        counts: Counter[str] = Counter()
        for work in works:
            spoken = {_plain(work["original_language"])}
            tracks = {_plain(t["language"]) for t in work.get("subtitles", [])}  # type: ignore[union-attr]
            counts.update(tracks)
            covered.append(spoken | tracks)
        order = [tag for tag in ("fr", "en", "zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK")]
        # Required: every work has a track in it or is spoken in it, and some work needs the track.
        needed = {tag for work in works for tag in counts if tag != _plain(work["original_language"])}
        everywhere = [tag for tag in order if covered and all(tag in seen for seen in covered) and tag in needed]
        if everywhere:
            required: Node = self.guess(everywhere, "every work has a track in these (or is spoken in them)")
        elif counts:
            top = max(order, key=lambda tag: counts[tag])
            required = self.guess([top], "the most common track language; not every work has it")
        else:
            required = self.guess([_plain(works[0]["original_language"]) if works else "en"], "placeholder: no tracks")
        result: dict[str, Node] = {"required": required}
        optional = [tag for tag in order if counts[tag] and tag not in _plain(required)]  # type: ignore[operator]
        if optional:
            result["optional"] = self.guess(optional, "tracks some works have")
        return result

    def event(self, works: list[dict[str, Node]], screenings: list[LineupScreening]) -> dict[str, Node]:
        name = self.folder.root.resolve().name
        event: dict[str, Node] = {
            "id": self.guess(slug(name, "event"), "id from the folder's name"),
            "title": {"en": self.guess(_humanize(name), "title from the folder's name")},
        }
        if screenings:
            days = sorted(s.start.date() for s in screenings)
            event["dates"] = Commented(
                {"start": str(days[0]), "end": str(days[-1])}, "the first and last day of the lineup's screenings"
            )
        else:
            event["dates"] = self.guess(
                {"start": PLACEHOLDER_DATE, "end": PLACEHOLDER_DATE}, "placeholder: no lineup to take the dates from"
            )
        if self.zone is not None:
            event["time_zone"] = Commented(self.zone, f"from {self.zone_source}")
        else:
            event["time_zone"] = self.guess("UTC", "placeholder: give --timezone Europe/Paris (or edit)")
        event["venues"] = self.venues(screenings)
        event["audience_languages"] = self.audience(works)
        return event

    def venues(self, screenings: list[LineupScreening]) -> list[Node]:
        known = {
            str(v.get("name")): v for v in self.existing.get("event", {}).get("venues", []) or [] if isinstance(v, dict)
        }
        city, country = _zone_place(self.zone)
        venues: dict[str, dict[str, Any]] = {}
        for screening in screenings:
            name = screening.venue or "Venue"
            venue = venues.setdefault(name, {"screens": {}, "city": screening.city})
            venue["screens"].setdefault(screening.screen or "", None)
            venue["city"] = venue["city"] or screening.city
        if not venues:
            venues["Venue"] = {"screens": {"": None}, "city": None}
        self.venue_ids: dict[str, str] = {}
        self.screen_ids: dict[tuple[str, str], str] = {}
        taken: set[str] = set()
        out: list[Node] = []
        for number, (name, info) in enumerate(venues.items(), start=1):
            venue_id = _unique(slug(name, f"venue-{number}"), taken)
            self.venue_ids[name] = venue_id
            entry: dict[str, Node] = {
                "id": self.guess(venue_id, "id from the venue's name") if screenings else self.guess("venue", "placeholder"),
                "name": name if screenings else self.guess("Venue", "placeholder: the venue's name"),
            }
            previous = known.get(name)
            if previous and previous.get("city") not in (None, "City") and previous.get("country") not in (None, "XX"):
                if previous.get("address"):
                    entry["address"] = previous["address"]
                entry["city"] = Commented(str(previous["city"]), "from the existing manifest")
                entry["country"] = Commented(str(previous["country"]), "from the existing manifest")
            else:
                if info["city"]:
                    entry["city"] = info["city"]
                elif city:
                    entry["city"] = self.guess(city, f"city guessed from the time zone ({self.zone})")
                else:
                    entry["city"] = self.guess("City", "placeholder: the venue's city")
                if country:
                    entry["country"] = self.guess(country, f"country from the time zone ({self.zone})")
                else:
                    entry["country"] = self.guess("XX", "placeholder: the venue's ISO 3166 country code")
            screens: list[Node] = []
            screen_taken: set[str] = set()
            for screen_number, screen in enumerate(info["screens"], start=1):
                if screen:
                    screen_id = _unique(slug(screen, f"screen-{screen_number}"), screen_taken)
                    screens.append({"id": self.guess(screen_id, "id from the screen's name"), "name": screen})
                else:
                    screen_id = _unique("main", screen_taken)
                    screens.append(
                        {"id": self.guess(screen_id, "placeholder: the lineup names no screen"), "name": "Main screen"}
                    )
                self.screen_ids[(name, screen)] = screen_id
            entry["screens"] = screens
            out.append(entry)
        return out

    def screenings(self, screenings: list[LineupScreening], ids: dict[int, str]) -> list[Node]:
        taken: set[str] = set()
        out: list[Node] = []
        assert self.lineup is not None
        for screening in screenings:
            venue = screening.venue or "Venue"
            venue_id = self.venue_ids[venue]
            screen_id = self.screen_ids[(venue, screening.screen)]
            local = screening.start
            base = f"{local:%Y-%m-%d-%H%M}-{venue_id}-{screen_id}"
            entry: dict[str, Node] = {"id": self.guess(_unique(slug(base)[:64].strip("-"), taken), "id from the day, time, venue and screen")}
            if screening.programme:
                entry["title"] = {_title_language(screening.programme, self.lineup.language.tag): screening.programme}
            entry["venue"] = venue_id
            entry["screen"] = screen_id
            entry["start"] = Commented(
                _rfc3339(local),
                f"{screening.cell}: {local:%d/%m/%Y %H:%M} in {self.zone} (UTC{_offset(local)})",
            )
            entry["works"] = [ids[id(work)] for work in screening.works]
            if screening.intro_minutes is not None:
                entry["intro_minutes"] = screening.intro_minutes
            if screening.qa_minutes is not None:
                entry["qa_minutes"] = screening.qa_minutes
            out.append(entry)
        return out


def _agrees(named: str, identified: str) -> bool:
    """Whether the text reads as the name says (zh-Hant-TW reads as zh-Hant; a bilingual pair as a pair)."""
    named_parts, found_parts = named.split("+"), identified.split("+")
    return len(named_parts) == len(found_parts) and all(
        a == b or a.startswith(b + "-") for a, b in zip(named_parts, found_parts, strict=True)
    )


def _rfc3339(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f"{text[:3]}:{text[3:]}" if text else "+00:00"


def _title_language(text: str, default: str) -> str:
    """The language of a short title: the identifier's when it is sure, else the lineup's."""
    from toolkit.qc.langid import identify_language

    language, _, probability = identify_language(text)
    return language.tag if language is not None and probability >= SURE else default


def _plain(node: Node) -> Any:
    return node.value if isinstance(node, Commented) else node


# The country of the zones a Sino-French event is likely in; a fixed table, not the system's
# zone.tab, so that the same inputs give the same draft on every machine.
_ZONE_COUNTRIES = {
    "Europe/Paris": "FR", "Europe/Brussels": "BE", "Europe/Luxembourg": "LU", "Europe/Zurich": "CH",
    "Europe/Geneva": "CH", "Europe/Monaco": "MC", "Europe/London": "GB", "Europe/Berlin": "DE",
    "Europe/Madrid": "ES", "Europe/Rome": "IT", "Europe/Amsterdam": "NL", "Europe/Lisbon": "PT",
    "Asia/Shanghai": "CN", "Asia/Urumqi": "CN", "Asia/Taipei": "TW", "Asia/Hong_Kong": "HK",
    "Asia/Macau": "MO", "Asia/Singapore": "SG", "Asia/Kuala_Lumpur": "MY", "Asia/Tokyo": "JP",
    "Asia/Seoul": "KR", "America/Montreal": "CA", "America/Toronto": "CA", "America/Vancouver": "CA",
    "America/New_York": "US", "America/Los_Angeles": "US", "America/Chicago": "US",
    "Australia/Sydney": "AU", "Australia/Melbourne": "AU", "Pacific/Auckland": "NZ",
    "Indian/Reunion": "RE", "America/Martinique": "MQ", "America/Guadeloupe": "GP", "Pacific/Tahiti": "PF",
}


def _zone_place(zone: str | None) -> tuple[str | None, str | None]:
    """(city, country code) of a zone screenkit knows, else (None, None)."""
    if not zone or zone not in _ZONE_COUNTRIES:
        return None, None
    return zone.rsplit("/", 1)[1].replace("_", " "), _ZONE_COUNTRIES[zone]


def build(
    folder: Folder,
    manifest: Path,
    *,
    lineup: Lineup | None = None,
    zone: str | None = None,
    zone_source: str | None = None,
    existing: dict[str, Any] | None = None,
    sources: str = "",
) -> Draft:
    builder = Builder(folder, manifest, lineup=lineup, zone=zone, zone_source=zone_source, existing=existing)
    for problem in folder.problems:
        builder.notes.append(f"{problem.message} (left out)")
    for subtitle in folder.unplaced:
        builder.notes.append(f"{subtitle.path}: no video named {subtitle.stem!r} for this track (left out)")
    for subtitle in folder.subtitles:
        if subtitle.language is None and subtitle not in folder.unplaced:
            builder.notes.append(f"{subtitle.path}: too little text to tell its language (left out; name it film.LANG.srt)")
    for video, tracks in folder.pairs.items():
        if not tracks and lineup is None:
            builder.notes.append(f"{video}: no subtitle tracks found for this video")
    works, ids = builder.works()
    screenings = lineup.screenings if lineup else []
    event = builder.event(works, screenings)
    document: dict[str, Node] = {
        "manifest_version": 1,
        "event": event,
        "works": works,
        "screenings": builder.screenings(screenings, ids) if screenings else [],
    }
    header = [
        f"Draft manifest written by `screenkit init` from {sources}.",
        "Every guess is marked with a comment saying what it was guessed from: check them,",
        "then run `screenkit validate` on this file. Paths are relative to this folder.",
    ]
    text = dump(document, header=header, blank_between=("works", "screenings"))
    return Draft(
        text=text,
        works=len(works),
        tracks=sum(len(w.get("subtitles", [])) for w in works),  # type: ignore[arg-type]
        screenings=len(document["screenings"]),  # type: ignore[arg-type]
        guesses=builder.guesses,
        notes=builder.notes,
    )
