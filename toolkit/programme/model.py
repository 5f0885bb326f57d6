"""The programme of an event as the schedule and the projection team read it.

:func:`build_programme` turns a loaded manifest (and, optionally, a built
package) into :class:`Slot` objects: one screening, in the event's time zone,
with its running order (intro, each work, Q&A), the copy each work is shown
from (file and sha256), the audio and subtitle languages and how each is
shown, the changeover since the screen's previous screening, and warnings.
Everything is computed from the manifest: no clock, no machine locale.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from toolkit.errors import ScreenkitError
from toolkit.manifest.checks.context import (
    MAX_MINUTES,
    as_datetime,
    as_dict,
    as_list,
    as_number,
    as_str,
)
from toolkit.manifest.checks.schedule import DEFAULT_CHANGEOVER_MINUTES
from toolkit.manifest.loader import Manifest, ManifestPathError

CHECKSUMS = "checksums.sha256"  # toolkit.package.outputs.CHECKSUMS (not imported: that loads the builder)


@dataclass(frozen=True)
class Shown:
    """One subtitle language of a work and the ways it reaches the screen."""

    language: str
    ways: tuple[str, ...]  # "burned", "DCP", "soft track", "sidecar (srt, vtt)", "IMSC"

    def text(self) -> str:
        return f"{self.language}: {', '.join(self.ways)}" if self.ways else f"{self.language}: track only"


@dataclass(frozen=True)
class Copy:
    """The file a work is projected from."""

    path: str | None  # relative to the manifest's folder (or to the package folder)
    sha256: str | None
    source: str  # "manifest" or "package"
    present: bool


@dataclass(frozen=True)
class Item:
    """One line of a running order: the intro, a work, or the Q&A."""

    kind: str  # "intro", "work", "qa"
    label: str
    start: datetime
    end: datetime
    work_id: str | None = None
    copy: Copy | None = None
    audio: str | None = None
    subtitles: tuple[Shown, ...] = ()

    @property
    def minutes(self) -> float:
        return (_utc(self.end) - _utc(self.start)).total_seconds() / 60


@dataclass(frozen=True)
class Slot:
    """One screening in one room."""

    screening_id: str
    title: str
    venue_id: str
    venue_name: str
    screen_id: str
    screen_name: str
    address: str | None
    start: datetime  # in the event's time zone
    end: datetime
    intro_minutes: float
    qa_minutes: float
    items: tuple[Item, ...]
    changeover: timedelta | None  # since the end of the screen's previous screening that day
    warnings: tuple[str, ...]

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def works(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.kind == "work")


@dataclass(frozen=True)
class Programme:
    event_id: str
    title: str
    language: str
    zone: ZoneInfo
    changeover_minutes: float
    stamp: datetime  # DTSTAMP: SOURCE_DATE_EPOCH, else the event's first day (never the clock)
    slots: tuple[Slot, ...]
    package: str | None = None
    sheets: dict[tuple[str, str, date], tuple[Slot, ...]] = field(default_factory=dict)


def _utc(moment: datetime) -> datetime:
    """For comparing and subtracting: two times in one ZoneInfo compare their wall clocks."""
    return moment.astimezone(timezone.utc)


def pick_text(value: object, language: str) -> str | None:
    """A localised text in LANGUAGE, else English, else the original, else any."""
    texts = as_dict(value)
    for key in (language, "en", "original", *sorted(texts)):
        text = as_str(texts.get(key))
        if text:
            return text
    return None


def _zone(manifest: Manifest) -> ZoneInfo:
    name = as_str(as_dict(manifest.data.get("event")).get("time_zone")) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScreenkitError(f"unknown time zone {name!r}", path=manifest.display_path) from None


def source_date(manifest: Manifest) -> datetime:
    """The DTSTAMP of every event: ``SOURCE_DATE_EPOCH`` when set, else the event's first day (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ScreenkitError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    first = as_str(as_dict(as_dict(manifest.data.get("event")).get("dates")).get("start"))
    try:
        day = date.fromisoformat(first or "")
    except ValueError:
        day = date(1970, 1, 1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _read_checksums(package: Path) -> dict[str, str]:
    file = package / CHECKSUMS
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScreenkitError(f"no {CHECKSUMS}: not a package folder (screenkit package --out)", path=package) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScreenkitError(f"cannot read: {error}", path=file) from None
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ScreenkitError("not a sha256sum line ('HASH  PATH')", path=file, line=number)
        sums[name] = digest
    return sums


def _package_works(package: Path) -> dict[str, dict[str, object]]:
    """The works of the package's output manifest, by id."""
    from toolkit.manifest.loader import load_manifest

    for name in ("manifest.yaml", "manifest.json"):
        if (package / name).is_file():
            output = load_manifest(package / name)
            return {
                as_str(as_dict(work).get("id")) or "": as_dict(work) for work in as_list(output.data.get("works"))
            }
    raise ScreenkitError("no manifest.yaml or manifest.json: not a package folder", path=package)


def _shown(work: dict[str, object]) -> tuple[Shown, ...]:
    deliverables = as_dict(work.get("deliverables"))
    burned = {
        tag for entry in as_list(deliverables.get("burn")) for tag in as_list(as_dict(entry).get("languages"))
    }
    dcp = as_dict(deliverables.get("dcp_subtitles"))
    imsc = as_dict(deliverables.get("imsc"))
    mux = as_dict(deliverables.get("mux"))
    sidecar = as_dict(deliverables.get("sidecar"))
    tracks = [as_str(as_dict(track).get("language")) for track in as_list(work.get("subtitles"))]
    known = [tag for tag in tracks if tag]
    mux_tracks = {t for t in as_list(mux.get("tracks"))} if "tracks" in mux else set(known) if mux else set()
    formats = ", ".join(f for f in as_list(sidecar.get("formats")) if isinstance(f, str))
    shown = []
    for tag in dict.fromkeys([*known, *sorted(t for t in burned if isinstance(t, str) and t not in known)]):
        ways = []
        if tag in burned:
            ways.append("burned")
        if tag in set(as_list(dcp.get("languages"))):
            ways.append("DCP")
        if tag in mux_tracks:
            ways.append("soft track" + (" (default)" if mux.get("default") == tag else ""))
        if tag in set(as_list(imsc.get("languages"))):
            ways.append("IMSC")
        if sidecar and tag in known:
            ways.append(f"sidecar ({formats})" if formats else "sidecar")
        shown.append(Shown(tag, tuple(ways)))
    return tuple(shown)


def _copy(
    manifest: Manifest,
    work_id: str,
    work: dict[str, object],
    package: Path | None,
    sums: dict[str, str],
    package_works: dict[str, dict[str, object]],
) -> Copy:
    media = as_dict(work.get("media"))
    if package is not None:
        # The copy the room projects: the burned copy when the work has one, else the media.
        burn = as_list(as_dict(work.get("deliverables")).get("burn"))
        container = as_str(as_dict(as_dict(manifest.data.get("event")).get("screening_copy")).get("container"))
        candidates = []
        if burn:
            label = "+".join(t for t in as_list(as_dict(burn[0]).get("languages")) if isinstance(t, str))
            candidates.append(f"{work_id}/{work_id}.burned.{label}.{container or 'mp4'}")
            candidates.extend(sorted(n for n in sums if n.startswith(f"{work_id}/{work_id}.burned.")))
        packaged = as_str(as_dict(package_works.get(work_id, {}).get("media")).get("path"))
        if packaged:
            candidates.append(packaged)
        for name in candidates:
            if name in sums:
                return Copy(name, sums[name], "package", (package / name).is_file())
        return Copy(candidates[0] if candidates else None, None, "package", False)
    relative = as_str(media.get("path"))
    if relative is None:
        return Copy(None, None, "manifest", False)
    try:
        present = manifest.resolve(relative).is_file()
    except ManifestPathError:
        present = False
    return Copy(relative, as_str(media.get("sha256")), "manifest", present)


def build_programme(manifest: Manifest, *, package: Path | None = None, language: str | None = None) -> Programme:
    """The programme of MANIFEST (a manifest the schema accepts); copies from PACKAGE when given."""
    event = as_dict(manifest.data.get("event"))
    zone = _zone(manifest)
    audience = as_dict(event.get("audience_languages"))
    language = language or next((t for t in as_list(audience.get("required")) if isinstance(t, str)), "en")
    changeover = as_number(event.get("changeover_minutes"), MAX_MINUTES)
    changeover = DEFAULT_CHANGEOVER_MINUTES if changeover is None else changeover
    sums = _read_checksums(package) if package is not None else {}
    package_works = _package_works(package) if package is not None else {}
    works = {as_str(as_dict(w).get("id")): as_dict(w) for w in as_list(manifest.data.get("works"))}
    venues = {as_str(as_dict(v).get("id")): as_dict(v) for v in as_list(event.get("venues"))}

    drafts: list[dict[str, Any]] = []
    for index, raw in enumerate(as_list(manifest.data.get("screenings"))):
        screening = as_dict(raw)
        start_utc = as_datetime(screening.get("start"))
        if start_utc is None:
            continue
        screening_id = as_str(screening.get("id")) or f"screenings[{index}]"
        warnings: list[str] = []
        start = start_utc.astimezone(zone)
        if start.utcoffset() != start_utc.utcoffset():
            warnings.append(
                f"the start {screening.get('start')} has not {zone.key}'s UTC offset that day "
                f"(shown here as {start.strftime('%H:%M%z')})"
            )
        intro = as_number(screening.get("intro_minutes"), MAX_MINUTES) or 0.0
        qa = as_number(screening.get("qa_minutes"), MAX_MINUTES) or 0.0
        items: list[Item] = []
        # Elapsed time is added in UTC (aware arithmetic in one zone adds wall-clock time, an
        # hour off across a summer-time change); each time is shown in the event's zone.
        moment = start_utc.astimezone(timezone.utc)

        def local(instant: datetime) -> datetime:
            return instant.astimezone(zone)

        if intro:
            items.append(Item("intro", "Introduction", local(moment), local(moment + timedelta(minutes=intro))))
            moment += timedelta(minutes=intro)
        for work_id in as_list(screening.get("works")):
            if not isinstance(work_id, str):
                continue
            work = works.get(work_id)
            if work is None:
                warnings.append(f"unknown work {work_id!r}")
                continue
            runtime = as_number(work.get("runtime")) or 0.0
            copy = _copy(manifest, work_id, work, package, sums, package_works)
            if copy.path is None:
                warnings.append(f"{work_id}: no copy named")
            elif not copy.present:
                where = "in the package" if copy.source == "package" else "beside the manifest"
                warnings.append(f"{work_id}: copy missing: {copy.path} is not {where}")
            elif copy.sha256 is None:
                warnings.append(f"{work_id}: no sha256 for {copy.path}")
            title = pick_text(work.get("title"), language) or work_id
            items.append(
                Item(
                    "work",
                    title,
                    local(moment),
                    local(moment + timedelta(seconds=runtime)),
                    work_id=work_id,
                    copy=copy,
                    audio=as_str(work.get("original_language")),
                    subtitles=_shown(work),
                )
            )
            moment += timedelta(seconds=runtime)
        if qa:
            items.append(Item("qa", "Q&A", local(moment), local(moment + timedelta(minutes=qa))))
            moment += timedelta(minutes=qa)
        venue_id = as_str(screening.get("venue")) or ""
        screen_id = as_str(screening.get("screen")) or ""
        venue = venues.get(venue_id, {})
        screen = next(
            (as_dict(s) for s in as_list(venue.get("screens")) if as_dict(s).get("id") == screen_id), {}
        )
        address = ", ".join(p for p in (as_str(venue.get("address")), as_str(venue.get("city"))) if p) or None
        drafts.append(
            dict(
                screening_id=screening_id,
                title=pick_text(screening.get("title"), language) or screening_id,
                venue_id=venue_id,
                venue_name=as_str(venue.get("name")) or venue_id,
                screen_id=screen_id,
                screen_name=as_str(screen.get("name")) or screen_id,
                address=address,
                start=start,
                end=local(moment),
                intro_minutes=intro,
                qa_minutes=qa,
                items=tuple(items),
                warnings=warnings,
            )
        )

    # Changeovers and overlaps, per screen, in time order (ties by id: the same order every run).
    drafts.sort(key=lambda d: (d["venue_id"], d["screen_id"], _utc(d["start"]), d["screening_id"]))
    slots = []
    previous: dict[str, Any] | None = None
    for draft in drafts:
        gap = None
        if previous is not None and (previous["venue_id"], previous["screen_id"]) == (
            draft["venue_id"], draft["screen_id"]
        ):
            gap = _utc(draft["start"]) - _utc(previous["end"])
            if gap < timedelta(minutes=changeover):
                text = (
                    f"overlaps {previous['screening_id']!r}, which runs until {previous['end']:%H:%M}"
                    if gap < timedelta(0)
                    else f"changeover of {gap.total_seconds() / 60:g} min after {previous['screening_id']!r}"
                )
                draft["warnings"].append(f"{text}; the screen needs {changeover:g} min")
        same_day = previous is not None and previous["start"].date() == draft["start"].date()
        changeover_shown = gap if same_day else None
        slots.append(Slot(**{**draft, "warnings": tuple(draft["warnings"])}, changeover=changeover_shown))
        previous = draft
    slots.sort(key=lambda s: (_utc(s.start), s.venue_id, s.screen_id, s.screening_id))
    sheets: dict[tuple[str, str, date], list[Slot]] = {}
    for slot in slots:
        sheets.setdefault((slot.venue_id, slot.screen_id, slot.day), []).append(slot)
    return Programme(
        event_id=as_str(event.get("id")) or "event",
        title=pick_text(event.get("title"), language) or "Programme",
        language=language,
        zone=zone,
        changeover_minutes=changeover,
        stamp=source_date(manifest),
        slots=tuple(slots),
        package=os.fspath(package) if package is not None else None,
        sheets={key: tuple(value) for key, value in sorted(sheets.items())},
    )
