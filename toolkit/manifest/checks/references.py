"""M2xx: ids and references (M201 duplicate id, M202 reference that does not resolve,
M203 event ends before it starts, M204 unknown time zone).

Runs first: it collects the works every other family reads.
"""

from __future__ import annotations

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.languages import lookup
from toolkit.manifest.checks.context import (
    CheckContext,
    CheckFamily,
    TrackEntry,
    WorkEntry,
    as_date,
    as_dict,
    as_list,
    as_str,
)


def check_document(ctx: CheckContext) -> None:
    check_event(ctx)
    collect_works(ctx)


def check_event(ctx: CheckContext) -> None:
    dates = as_dict(ctx.event.get("dates"))
    start, end = as_date(dates.get("start")), as_date(dates.get("end"))
    if start and end and end < start:
        ctx.report("M203", "event.dates.end", f"the event ends ({end}) before it starts ({start})")
    name = as_str(ctx.event.get("time_zone"))
    if name is not None and ctx.zone() is None:
        ctx.report("M204", "event.time_zone", f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)")
    seen: dict[str, int] = {}
    for index, venue in enumerate(as_list(ctx.event.get("venues"))):
        pointer = f"event.venues[{index}]"
        venue_id = as_str(as_dict(venue).get("id"))
        if venue_id is not None:
            unique(ctx, seen, venue_id, index, f"{pointer}.id", "venue", "event.venues")
        screens: dict[str, int] = {}
        for screen_index, screen in enumerate(as_list(as_dict(venue).get("screens"))):
            screen_id = as_str(as_dict(screen).get("id"))
            if screen_id is not None:
                unique(
                    ctx, screens, screen_id, screen_index, f"{pointer}.screens[{screen_index}].id", "screen",
                    f"{pointer}.screens",
                )


def unique(ctx: CheckContext, seen: dict[str, int], value: str, index: int, pointer: str, kind: str, array: str) -> None:
    """M201 when VALUE was seen before in ARRAY; remembers it otherwise."""
    if value in seen:
        ctx.report("M201", pointer, f"duplicate {kind} id {value!r} (first used at {array}[{seen[value]}])")
    else:
        seen[value] = index


def collect_works(ctx: CheckContext) -> None:
    seen: dict[str, int] = {}
    for index, raw in enumerate(as_list(ctx.data.get("works"))):
        data = as_dict(raw)
        work_id = as_str(data.get("id"))
        pointer = f"works[{index}]"
        if work_id is None:
            continue
        if work_id in seen:
            unique(ctx, seen, work_id, index, f"{pointer}.id", "work", "works")
            continue
        seen[work_id] = index
        work = WorkEntry(index=index, pointer=pointer, data=data)
        tracks_seen: dict[tuple[str, str], int] = {}
        for track_index, track_raw in enumerate(as_list(data.get("subtitles"))):
            track_data = as_dict(track_raw)
            track_pointer = f"{pointer}.subtitles[{track_index}]"
            tag = as_str(track_data.get("language"))
            language = lookup(tag) if tag else None
            role = as_str(track_data.get("role")) or "full"
            if language is not None:
                identity = (language.tag, role)
                if identity in tracks_seen:
                    ctx.report(
                        "M201",
                        f"{track_pointer}.language",
                        f"a second {role} track in {language.tag} (first at {pointer}.subtitles[{tracks_seen[identity]}]); which one to use is ambiguous",
                    )
                else:
                    tracks_seen[identity] = track_index
            work.tracks.append(TrackEntry(pointer=track_pointer, language=language, role=role, data=track_data))
        ctx.works[work_id] = work


def check_deliverables(ctx: CheckContext, work: WorkEntry) -> None:
    deliverables = as_dict(work.data.get("deliverables"))
    base = f"{work.pointer}.deliverables"
    available = {track.language for track in work.tracks if track.language}

    def need(tag: object, pointer: str) -> None:
        language = lookup(tag) if isinstance(tag, str) else None
        if language is not None and language not in available:
            have = ", ".join(sorted(lang.tag for lang in available)) or "none"
            ctx.report("M202", pointer, f"no {language.tag} subtitle track to use (tracks: {have})")

    for index, burn in enumerate(as_list(deliverables.get("burn"))):
        for lang_index, tag in enumerate(as_list(as_dict(burn).get("languages"))):
            need(tag, f"{base}.burn[{index}].languages[{lang_index}]")
    mux = as_dict(deliverables.get("mux"))
    tracks = as_list(mux.get("tracks"))
    for index, tag in enumerate(tracks):
        need(tag, f"{base}.mux.tracks[{index}]")
    default = as_str(mux.get("default"))
    if default is not None:
        need(default, f"{base}.mux.default")
        chosen = {lookup(t) for t in tracks if isinstance(t, str)}
        if tracks and lookup(default) not in chosen:
            ctx.report("M202", f"{base}.mux.default", f"default track {default} is not among the muxed tracks")
    dcp = as_dict(deliverables.get("dcp_subtitles"))
    for key in ("languages", "bilingual"):
        for index, tag in enumerate(as_list(dcp.get(key))):
            need(tag, f"{base}.dcp_subtitles.{key}[{index}]")
    for name in ("imsc", "ebu_tt_d"):
        for index, tag in enumerate(as_list(as_dict(deliverables.get(name)).get("languages"))):
            need(tag, f"{base}.{name}.languages[{index}]")


CODES = (
    CodeDoc(
        'M201',
        'duplicate id',
        Severity.ERROR,
        "Two venues, screens, works or screenings share an id, or a work lists two tracks of the same language and role. References by id (a screening's works, a mux's default track) would be ambiguous.",
        'Give each one its own id, or remove the second track.',
    ),
    CodeDoc(
        'M202',
        'reference that does not resolve',
        Severity.ERROR,
        'A screening names a venue, screen or work that the manifest does not define, or a deliverable asks for a language the work has no subtitle track in.',
        'Correct the id (the message lists the known ones), or add the missing track.',
    ),
    CodeDoc(
        'M203',
        'event ends before it starts',
        Severity.ERROR,
        'event.dates.end is earlier than event.dates.start; screenings cannot be placed in the event.',
        'Swap or correct the dates.',
    ),
    CodeDoc(
        'M204',
        'unknown time zone',
        Severity.ERROR,
        'event.time_zone is not an IANA time zone name, so local dates and UTC offsets of screenings cannot be checked.',
        'Use a name such as Europe/Paris or Asia/Shanghai.',
    ),
)

FAMILY = CheckFamily("M2", "ids and references", order=10, document=check_document, work=check_deliverables, codes=CODES)
