"""Screening times as a programmer reads them: in the event's time zone, in the report's language.

``sam. 14 mars 19:00`` for a French report, ``Sat 14 Mar 19:00`` for an English
one, ``3月14日 周六 19:00`` for a Chinese one. The names come from the small
tables below (the CLDR abbreviations), not from the machine's locale or an
optional package, so a report reads the same on every machine.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Monday first, as datetime.weekday() counts.
_DAYS = {
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh-Hans": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "zh-Hant": ("週一", "週二", "週三", "週四", "週五", "週六", "週日"),
}
_MONTHS = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def _language(tag: str) -> str:
    if tag.startswith("zh"):
        return "zh-Hant" if "Hant" in tag or tag.endswith(("-TW", "-HK", "-MO")) else "zh-Hans"
    return tag if tag in _DAYS else "en"


def parse_moment(value: str | None, zone_name: str | None) -> datetime | None:
    """An RFC 3339 time moved into ZONE_NAME (kept at its own offset when the zone is unknown)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment
    if zone_name:
        try:
            return moment.astimezone(ZoneInfo(zone_name))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return moment


def format_day(moment: date, language: str) -> str:
    """``sam. 14 mars`` / ``Sat 14 Mar`` / ``3月14日 周六``."""
    tag = _language(language)
    day = _DAYS[tag][moment.weekday()]
    if tag.startswith("zh"):
        return f"{moment.month}月{moment.day}日 {day}"
    return f"{day} {moment.day} {_MONTHS[tag][moment.month - 1]}"


def format_time(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_moment(moment: datetime, language: str) -> str:
    """``sam. 14 mars 19:00``."""
    return f"{format_day(moment, language)} {format_time(moment)}"


def format_span(start: datetime, end: datetime | None, language: str) -> str:
    """``sam. 14 mars 19:00–20:43``; the end's day is written when it is another day."""
    text = format_moment(start, language)
    if end is None:
        return text
    if end.date() == start.date():
        return f"{text}–{format_time(end)}"
    return f"{text} – {format_moment(end, language)}"
