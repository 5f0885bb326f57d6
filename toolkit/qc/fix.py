"""Safe automatic fixes: ``fix_track(track, profile) -> FixResult``.

A fix never changes the words (their sequence is the same before and
after), only spacing, punctuation style, line breaks, markup that cannot be
shown, and timing within what the gap and duration rules need. Every change
is reported as one line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from toolkit.qc import text as tx
from toolkit.qc.profile import Profile
from toolkit.qc.rules import (
    FRENCH_NO_SPACE_AFTER,
    capabilities_of,
    frame_rate_of,
    lanes,
    tolerance_ms,
    unbalanced_tags,
)
from toolkit.subtitles.markup import TAG_PATTERN
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.timecode import format_srt

_MARKUP = TAG_PATTERN
_LEADING_SPACE = re.compile(rf"^((?:{_MARKUP})*)[ \t]+")
_TRAILING_SPACE = re.compile(rf"[ \t]+((?:{_MARKUP})*)$")
_MULTI_SPACE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
# A space before punctuation, closing tags allowed in between ("word </i>,").
_SPACE_BEFORE = re.compile(rf"(?<=\S)[ \t]+((?:{_MARKUP})*)(?=[,!?;:，。！？：；]|\.(?!\.))")
_SPACE_BEFORE_NOT_FR = re.compile(rf"(?<=\S)[ \t]+((?:{_MARKUP})*)(?=[,，。！？：；]|\.(?!\.))")
_FRENCH_MARK = re.compile(r"([ \t\u00a0\u202f]*)([;:!?]+)")
_CJK_LINE_END = re.compile(rf"[，。]+((?:{_MARKUP})*)[ \t]*$")
NBSP = "\u00a0"


@dataclass
class FixResult:
    track: Track
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def fix_track(track: Track, profile: Profile) -> FixResult:
    """A fixed copy of the track and one line per change."""
    fixed = track.copy()
    notes: list[tuple[Cue | None, str]] = []
    renumber = False

    kept: list[Cue] = []
    for number, cue in enumerate(fixed.cues, start=1):
        if tx.strip_markup("".join(cue.lines)).strip():
            kept.append(cue)
        else:
            notes.append((None, f"removed empty event {number} at {format_srt(cue.start)}"))
            renumber = True
    # ASS events may come in any order (by style, by layer): only SRT and WebVTT are sorted.
    caps = capabilities_of(fixed)
    if not caps.any_order and any(b.start < a.start for a, b in itertools.pairwise(kept)):
        kept.sort(key=lambda cue: cue.start)  # stable: events starting together keep their order
        notes.append((None, "sorted the events by start time"))
        renumber = True
    fixed.cues = kept

    for cue in fixed.cues:
        for what in _fix_text(cue, profile):
            notes.append((cue, what))

    rate = frame_rate_of(fixed, profile)
    order = sorted(range(len(fixed.cues)), key=lambda i: fixed.cues[i].start)
    for lane in lanes(fixed.cues, order, caps.styles):
        _fix_timing([fixed.cues[i] for i in lane], profile, rate, notes)
    if not caps.any_order and any(b.start < a.start for a, b in itertools.pairwise(fixed.cues)):
        # A start moved past the next event's in another lane (top vs bottom): keep time order.
        fixed.cues.sort(key=lambda cue: cue.start)

    if renumber:
        notes.append((None, f"renumbered the events 1..{len(fixed.cues)}"))
    encoding = (fixed.encoding or "utf-8").lower()
    if encoding not in ("utf-8", "utf8", "ascii"):
        notes.append((None, f"re-encoded from {fixed.encoding} to UTF-8"))
        fixed.encoding = "utf-8"

    numbers = {id(cue): number for number, cue in enumerate(fixed.cues, start=1)}
    changes = [
        what if cue is None else f"event {numbers[id(cue)]} ({format_srt(cue.start)}): {what}"
        for cue, what in notes
    ]
    return FixResult(fixed, changes)


# ---------------------------------------------------------------- text

def _fix_text(cue: Cue, profile: Profile) -> list[str]:
    done: list[str] = []
    lines = list(cue.lines)
    # Tags first: a stray closing tag dropped later would leave spacing to redo.
    if "<" in "".join(lines) and unbalanced_tags(lines):
        lines = _balance(lines)
        done.append("balanced styling tags")
    lines = _fix_style(lines, profile, done)
    # Wrapping, restyling and dropping ， 。 at line ends feed each other (a dash that gains
    # a space lengthens a line, a dropped comma makes room): repeat until nothing changes.
    before_wrap = lines
    rewrapped = stripped = False
    for _ in range(4):
        current = lines
        wrapped = rewrap(current, profile)
        if wrapped is not None and wrapped != current:
            current = _fix_style(wrapped, profile, done)
            rewrapped = True
        if profile.cjk_punctuation:
            without = [_CJK_LINE_END.sub(r"\1", line) for line in current]
            if without != current:
                current = without
                stripped = True
        if current == lines:
            break
        lines = current
    if rewrapped:
        shown = " / ".join(tx.strip_markup(line) for line in lines)
        done.append(f"re-wrapped {len(before_wrap)} line(s) as {len(lines)}: {shown}")
    if stripped:
        done.append("removed ， 。 at line ends")
    cue.lines = lines
    return done


def _fix_style(lines: list[str], profile: Profile, done: list[str]) -> list[str]:
    """Spacing and punctuation style, one pass per fix so each is reported once."""

    def apply(description: str, function: Callable[[str], str]) -> None:
        nonlocal lines
        changed = [function(line) for line in lines]
        if changed != lines:
            lines = changed
            if description not in done:
                done.append(description)

    apply("removed spaces at line ends", lambda s: _TRAILING_SPACE.sub(r"\1", _LEADING_SPACE.sub(r"\1", s)))
    apply("collapsed double spaces", lambda s: _MULTI_SPACE.sub(" ", s))
    space_before = _SPACE_BEFORE_NOT_FR if profile.french_spacing else _SPACE_BEFORE
    apply("removed spaces before punctuation", lambda s: space_before.sub(r"\1", s))
    if profile.ellipsis:
        ellipsis = profile.ellipsis
        apply(f"wrote ellipses as {ellipsis!r}", lambda s: tx.DOTS.sub(ellipsis, s))
    if profile.dialogue_dash:
        dash = profile.dialogue_dash
        apply(f"dialogue dashes as {dash!r}", lambda s: tx.DIALOGUE_DASH.sub(lambda m: m.group(1) + dash, s, count=1))
    if not profile.italics_allowed:
        apply("removed italics", lambda s: tx.ITALIC.sub("", s))
    if profile.cjk_punctuation:
        apply("full-width punctuation", _full_width)
    if profile.french_spacing:
        apply("non-breaking spaces before ; : ! ?", _french_spaces)
    return lines


_CJK_THEN_MARK = re.compile(rf"([{tx.CJK_CHARS}])((?:{_MARKUP})*)([,!?:;]|\.(?![.\d]))")
_MARK_THEN_CJK = re.compile(rf"([,!?:;])((?:{_MARKUP})*)(?=[{tx.CJK_CHARS}])")


def _full_width(line: str) -> str:
    """Half-width , ? ! : ; (and a lone .) next to Chinese characters, tags in between allowed."""
    line = _CJK_THEN_MARK.sub(lambda m: m.group(1) + m.group(2) + tx.HALF_TO_FULL[m.group(3)], line)
    return _MARK_THEN_CJK.sub(lambda m: tx.HALF_TO_FULL[m.group(1)] + m.group(2), line)


def _french_spaces(line: str) -> str:
    """A no-break space before ; : ! ? (an existing no-break or narrow no-break space is kept)."""

    def replace(match: re.Match[str]) -> str:
        spaces, marks = match.group(1), match.group(2)
        before = line[match.start() - 1] if match.start() > 0 else ""
        after = line[match.end() : match.end() + 1]
        if not before:
            return match.group(0)
        if not spaces:
            if marks == ":" and ((before.isdigit() and after.isdigit()) or after == "/"):
                return match.group(0)  # 12:30, http://
            if before in FRENCH_NO_SPACE_AFTER:
                return match.group(0)
            return NBSP + marks
        if spaces in (NBSP, "\u202f"):
            return match.group(0)
        return NBSP + marks

    return _FRENCH_MARK.sub(replace, line)


def _balance(lines: list[str]) -> list[str]:
    """Drop closing tags that close nothing; close what is left open at the end of the cue."""
    stack: list[str] = []
    result: list[str] = []
    for line in lines:
        out: list[str] = []
        position = 0
        for match in tx.STYLE_TAG.finditer(line):
            out.append(line[position : match.start()])
            position = match.end()
            closing, name = match.group(1), match.group(2).lower()
            if not closing:
                stack.append(name)
                out.append(match.group(0))
            elif name in stack:
                while stack:
                    top = stack.pop()
                    out.append(f"</{top}>")
                    if top == name:
                        break
            # else: a closing tag with nothing to close is dropped
        out.append(line[position:])
        result.append("".join(out))
    if stack:
        result[-1] += "".join(f"</{name}>" for name in reversed(stack))
    return result


# ---------------------------------------------------------------- wrapping

def rewrap(lines: list[str], profile: Profile) -> list[str] | None:
    """Lines re-broken to fit the profile (the one breaker, toolkit/linebreak.py), or None when
    nothing needs (or allows) it."""
    # Imported here: toolkit.linebreak builds on this package's text measures and profiles.
    from toolkit.linebreak import rewrap as break_again
    from toolkit.linebreak import rules_for_profile

    return break_again(lines, rules_for_profile(profile))


# ---------------------------------------------------------------- timing

def _fix_timing(cues: list[Cue], profile: Profile, rate: Fraction, notes: list[tuple[Cue | None, str]]) -> None:
    min_gap = profile.duration_ms("min_gap", rate) or 0
    min_duration = profile.duration_ms("min_duration", rate)
    _fix_gaps(cues, profile, rate, min_gap, notes)
    if min_duration is not None:
        tolerance = tolerance_ms(profile, "min_duration", rate)
        for index, cue in enumerate(cues):
            if cue.end - cue.start >= min_duration - tolerance:
                continue
            wanted = cue.start + min_duration
            if index + 1 < len(cues):
                wanted = min(wanted, cues[index + 1].start - min_gap)
            if wanted > cue.end:
                notes.append((cue, f"extended {cue.end - cue.start} ms → {wanted - cue.start} ms (minimum duration {profile.min_duration})"))
                cue.end = wanted
        _fix_gaps(cues, profile, rate, min_gap, notes)


def _fix_gaps(
    cues: list[Cue], profile: Profile, rate: Fraction, min_gap: int, notes: list[tuple[Cue | None, str]]
) -> None:
    tolerance = tolerance_ms(profile, "min_gap", rate)
    bridge = profile.duration_ms("bridge_gap", rate)
    bridge_tolerance = tolerance_ms(profile, "bridge_gap", rate)
    for cue, after in itertools.pairwise(cues):
        gap = after.start - cue.end
        if gap < min_gap - tolerance or gap < 0:
            new_end = after.start - min_gap
            duration = cue.end - cue.start
            if new_end - cue.start >= max(1, duration // 2):
                what = "overlap" if gap < 0 else f"gap of {gap} ms"
                notes.append((cue, f"end {format_srt(cue.end)} → {format_srt(new_end)} ({what}; minimum gap {min_gap} ms)"))
                cue.end = new_end
            else:
                # Trimming would leave almost nothing: start the next event after this one instead.
                new_start = cue.end + min_gap
                length = max(after.end - after.start, 1)
                notes.append((after, f"start {format_srt(after.start)} → {format_srt(new_start)} (overlapped the event before)"))
                after.start = new_start
                if after.end <= new_start:
                    after.end = new_start + length  # it would vanish: keep its duration
        elif bridge is not None and min_gap + tolerance < gap <= bridge + bridge_tolerance:
            new_end = after.start - min_gap
            notes.append((cue, f"end {format_srt(cue.end)} → {format_srt(new_end)} (bridged a {gap} ms gap)"))
            cue.end = new_end
