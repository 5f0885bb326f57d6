"""The screenings as an iCalendar file (RFC 5545), the same bytes every run.

One VEVENT per screening: local start and end with the event's TZID (its
VTIMEZONE included, its transitions for the years of the programme), the
venue and screen as LOCATION, the running order, languages and how each is
shown in DESCRIPTION. UIDs are uuid5 of the event id and the screening id, so
a re-issued calendar updates the same entries in a calendar application;
DTSTAMP is the programme's source date (SOURCE_DATE_EPOCH, else the event's
first day), never the clock.
"""

from __future__ import annotations

import uuid
from datetime import date

from toolkit.programme.model import Programme, Slot

# uuid5 namespace of screenkit's screenings (itself uuid5 of the URL namespace).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://screenkit.invalid/programme")
PRODID = "-//screenkit//programme//EN"


def screening_uid(event_id: str, screening_id: str) -> str:
    return f"{uuid.uuid5(NAMESPACE, f'{event_id}/{screening_id}')}"


def _clock(moment: object) -> str:
    return f"{moment:%H:%M}"


def describe(slot: Slot) -> str:
    """The DESCRIPTION: the running order, one line per item, then the warnings."""
    lines = []
    for item in slot.items:
        head = f"{_clock(item.start)}–{_clock(item.end)} {item.label}"
        if item.kind == "work":
            parts = []
            if item.audio:
                parts.append(f"audio {item.audio}")
            if item.subtitles:
                parts.append("subtitles " + "; ".join(shown.text() for shown in item.subtitles))
            head += f" ({item.minutes:g} min)" + (": " + ", ".join(parts) if parts else "")
        else:
            head += f" ({item.minutes:g} min)"
        lines.append(head)
    lines.extend(f"Warning: {warning}" for warning in slot.warnings)
    return "\n".join(lines)


def calendar_bytes(programme: Programme) -> bytes:
    """The iCalendar file of PROGRAMME."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", programme.title)
    calendar.add("x-wr-timezone", programme.zone.key)
    for slot in programme.slots:
        event = Event()
        event.add("uid", screening_uid(programme.event_id, slot.screening_id))
        event.add("dtstamp", programme.stamp)
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        event.add("summary", slot.title)
        event.add("location", ", ".join(p for p in (slot.venue_name, slot.screen_name, slot.address) if p))
        event.add("description", describe(slot))
        languages = sorted({s.language for item in slot.works for s in item.subtitles})
        audio = sorted({item.audio for item in slot.works if item.audio})
        event.add("categories", ["screening"])
        event.add("x-screenkit-screening", slot.screening_id)
        event.add("x-screenkit-venue", slot.venue_id)
        event.add("x-screenkit-screen", slot.screen_id)
        event.add("x-screenkit-audio", ",".join(audio))
        event.add("x-screenkit-subtitles", ",".join(languages))
        event.add("x-screenkit-intro-minutes", f"{slot.intro_minutes:g}")
        event.add("x-screenkit-qa-minutes", f"{slot.qa_minutes:g}")
        calendar.add_component(event)
    if programme.slots:
        first = min(slot.start for slot in programme.slots).year
        last = max(slot.end for slot in programme.slots).year
        calendar.add_missing_timezones(first_date=date(first - 1, 1, 1), last_date=date(last + 1, 12, 31))
    return calendar.to_ical()
