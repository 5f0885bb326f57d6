"""M7xx: the schedule (M701 screenings overlap on a screen, M702 screening starts outside
the event's dates, M703 start's UTC offset is not the event time zone's (warning)).

A screening's venue, screen and works that do not resolve are M202, reported here
with the screening they belong to.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.manifest.checks.context import (
    MAX_MINUTES,
    CheckContext,
    CheckFamily,
    as_date,
    as_datetime,
    as_dict,
    as_list,
    as_number,
    as_str,
)
from toolkit.manifest.checks.references import unique

DEFAULT_CHANGEOVER_MINUTES = 15


def check_document(ctx: CheckContext) -> None:
    venues = {
        as_str(as_dict(v).get("id")): {as_str(as_dict(s).get("id")) for s in as_list(as_dict(v).get("screens"))}
        for v in as_list(ctx.event.get("venues"))
    }
    zone = ctx.zone()
    dates = as_dict(ctx.event.get("dates"))
    first, last = as_date(dates.get("start")), as_date(dates.get("end"))
    changeover = as_number(ctx.event.get("changeover_minutes"), MAX_MINUTES)
    changeover = DEFAULT_CHANGEOVER_MINUTES if changeover is None else changeover
    seen: dict[str, int] = {}
    slots: list[tuple[str, str, datetime, datetime, str, str]] = []
    for index, raw in enumerate(as_list(ctx.data.get("screenings"))):
        screening = as_dict(raw)
        pointer = f"screenings[{index}]"
        screening_id = as_str(screening.get("id"))
        if screening_id is not None:
            unique(ctx, seen, screening_id, index, f"{pointer}.id", "screening", "screenings")
        venue, screen = as_str(screening.get("venue")), as_str(screening.get("screen"))
        if venue is not None and venue not in venues:
            known = ", ".join(sorted(v for v in venues if v)) or "none"
            ctx.report("M202", f"{pointer}.venue", f"unknown venue {venue!r} (venues: {known})")
        elif venue is not None and screen is not None and screen not in venues[venue]:
            known = ", ".join(sorted(s for s in venues[venue] if s)) or "none"
            ctx.report("M202", f"{pointer}.screen", f"venue {venue!r} has no screen {screen!r} (screens: {known})")
        runtime = 0.0
        for work_index, work_id in enumerate(as_list(screening.get("works"))):
            if not isinstance(work_id, str):
                continue
            work = ctx.works.get(work_id)
            if work is None:
                known = ", ".join(sorted(ctx.works)) or "none"
                ctx.report("M202", f"{pointer}.works[{work_index}]", f"unknown work {work_id!r} (works: {known})")
                continue
            runtime += as_number(work.data.get("runtime")) or 0
        start = as_datetime(screening.get("start"))
        if start is None:
            continue
        minutes = sum(as_number(screening.get(key), MAX_MINUTES) or 0 for key in ("intro_minutes", "qa_minutes"))
        # Bounded values, bounded years: even thousands of day-long works end before year 9999.
        end = start + timedelta(seconds=runtime, minutes=minutes)
        if zone is not None:
            local = start.astimezone(zone)
            if first and last and not (first <= local.date() <= last):
                ctx.report(
                    "M702",
                    f"{pointer}.start",
                    f"starts on {local.date()} ({zone.key}), outside the event's dates {first} to {last}",
                )
            if local.utcoffset() != start.utcoffset():
                ctx.report(
                    "M703",
                    f"{pointer}.start",
                    f"offset {show_offset(start)} is not {zone.key}'s offset on that day ({show_offset(local)}); check the time",
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
                ctx.report(
                    "M701",
                    f"{pointer}.start",
                    f"overlaps screening {other[4]!r} on {venue}/{screen}: it runs until "
                    f"{other[3].strftime('%H:%M')} plus {changeover:g} min changeover",
                )
                break


def show_offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


CODES = (
    CodeDoc(
        'M701',
        'screenings overlap on a screen',
        Severity.ERROR,
        "Two screenings on the same screen overlap, counting the works' runtimes, intro and Q&A minutes and the changeover time.",
        'Move one screening, or change changeover_minutes if the venue needs less.',
    ),
    CodeDoc(
        'M702',
        "screening outside the event's dates",
        Severity.ERROR,
        "A screening starts (in the event's time zone) on a day outside event.dates.",
        "Correct the start or the event's dates.",
    ),
    CodeDoc(
        'M703',
        "UTC offset not the time zone's",
        Severity.WARNING,
        "A screening's start carries a UTC offset that is not the event time zone's offset on that day (summer time is a common cause): the time may be an hour off.",
        "Write the start with the time zone's offset for that day.",
    ),
)

FAMILY = CheckFamily("M7", "schedule", order=20, document=check_document, codes=CODES)
