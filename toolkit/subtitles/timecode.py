"""Times: parsing and formatting of timestamps, durations and frame rates."""

from __future__ import annotations

import re
from fractions import Fraction

from toolkit.errors import ScreenkitError

HOUR = 3_600_000

# HH:MM:SS,mmm with the sloppiness real files have: '.' or ':' for ',',
# 1-3 millisecond digits, optional hours (WebVTT), spaces around and after
# colons ("00: 00: 49,412", left by machine translation of whole files).
_CLOCK = re.compile(r"^\s*(?:(\d{1,3})\s*:\s*)?(\d{1,2})\s*:\s*(\d{1,2})(?:\s*[,.:]\s*(\d{1,3}))?\s*$")


def parse_clock(value: str) -> int:
    """``00:01:02,500`` → 62500. Raises ValueError with a short reason."""
    match = _CLOCK.match(value)
    if not match:
        raise ValueError(f"bad timestamp {value.strip()!r}")
    hours, minutes, seconds, fraction = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise ValueError(f"bad timestamp {value.strip()!r} (minutes and seconds go to 59)")
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def format_srt(ms: int) -> str:
    hours, rest = divmod(max(ms, 0), HOUR)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def format_vtt(ms: int) -> str:
    return format_srt(ms).replace(",", ".")


_DURATION_UNIT = re.compile(r"^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)$")
_UNIT_MS = {"ms": 1, "s": 1000, "sec": 1000, "m": 60_000, "min": 60_000, "h": HOUR}


def parse_offset(value: str) -> int:
    """A signed duration for ``--shift``: ``-1.5s``, ``+250ms``, ``00:00:01,200``, ``-2m``."""
    text = value.strip()
    sign = 1
    if text and text[0] in "+-":
        sign = -1 if text[0] == "-" else 1
        text = text[1:].strip()
    match = _DURATION_UNIT.match(text.lower())
    if match:
        number, unit = match.groups()
        return sign * round(Fraction(number) * _UNIT_MS[unit])
    try:
        return sign * parse_clock(text)
    except ValueError:
        raise ScreenkitError(
            f"cannot read duration {value!r} (examples: -1.5s, +250ms, 00:00:01,200)"
        ) from None


# Video frame rates written as decimals mean the NTSC fractions (reference:
# dcp-subtitles.md, "use exact 24000/1001 for 23.976").
_NTSC = {
    "23.976": Fraction(24000, 1001),
    "23.98": Fraction(24000, 1001),
    "29.97": Fraction(30000, 1001),
    "47.952": Fraction(48000, 1001),
    "59.94": Fraction(60000, 1001),
    "119.88": Fraction(120000, 1001),
}


def parse_fps(value: str) -> Fraction:
    """``25`` → 25, ``23.976`` → 24000/1001, ``30000/1001`` → 30000/1001."""
    text = value.strip()
    if text in _NTSC:
        return _NTSC[text]
    try:
        rate = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ScreenkitError(f"cannot read frame rate {value!r} (examples: 25, 23.976, 24000/1001)") from None
    if rate <= 0 or rate > 1000:
        raise ScreenkitError(f"frame rate {value!r} is out of range")
    return rate


def parse_fps_pair(value: str) -> tuple[Fraction, Fraction]:
    """``25:24`` → (25, 24)."""
    parts = value.split(":")
    if len(parts) != 2:
        raise ScreenkitError(f"--fps takes FROM:TO, for example 25:24 or 23.976:24 (got {value!r})")
    return parse_fps(parts[0]), parse_fps(parts[1])
