"""Screening times in the event's time zone, in the report's language (toolkit.report.dates)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from toolkit.report.dates import format_moment, format_span, parse_moment

PARIS = "Europe/Paris"


def test_the_three_languages() -> None:
    moment = parse_moment("2026-03-14T19:00:00+01:00", PARIS)
    assert moment is not None
    assert format_moment(moment, "fr") == "sam. 14 mars 19:00"
    assert format_moment(moment, "en") == "Sat 14 Mar 19:00"
    assert format_moment(moment, "zh-Hans") == "3月14日 周六 19:00"
    assert format_moment(moment, "zh-Hant-TW") == "3月14日 週六 19:00"
    assert format_moment(moment, "de") == "Sat 14 Mar 19:00"  # no table: English


def test_a_time_written_at_another_offset_is_shown_in_the_event_zone() -> None:
    moment = parse_moment("2026-07-01T17:30:00Z", PARIS)  # summer: Paris is UTC+2
    assert moment is not None and format_moment(moment, "fr") == "mer. 1 juil. 19:30"
    assert parse_moment("2026-07-01T17:30:00Z", "Not/AZone") == datetime(2026, 7, 1, 17, 30, tzinfo=timezone.utc)
    assert parse_moment("not a time", PARIS) is None and parse_moment(None, PARIS) is None


def test_a_span_names_the_end_day_only_when_it_is_another_day() -> None:
    start = parse_moment("2026-03-14T22:30:00+01:00", PARIS)
    same = parse_moment("2026-03-14T23:50:00+01:00", PARIS)
    later = parse_moment("2026-03-15T00:40:00+01:00", PARIS)
    assert start and same and later
    assert format_span(start, same, "fr") == "sam. 14 mars 22:30–23:50"
    assert format_span(start, later, "fr") == "sam. 14 mars 22:30 – dim. 15 mars 00:40"
    assert format_span(start, None, "en") == "Sat 14 Mar 22:30"


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31), timezones=st.just(timezone.utc)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
    st.sampled_from(["fr", "en", "zh-Hans"]),
)
def test_the_wall_clock_shown_is_the_zone_local_one(utc: datetime, offset_minutes: int, language: str) -> None:
    written = utc.astimezone(timezone(timedelta(minutes=offset_minutes))).isoformat()
    moment = parse_moment(written, PARIS)
    assert moment is not None and moment == utc  # the same instant...
    local = utc.astimezone(ZoneInfo(PARIS))
    text = format_moment(moment, language)
    assert text.endswith(f" {local.hour:02d}:{local.minute:02d}")  # ...at Paris's wall clock
    assert str(local.day) in text
