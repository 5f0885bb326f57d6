"""Safe automatic fixes: ``fix_track(track, profile, enabled=...) -> FixResult``.

Every fix belongs to a rule of ``toolkit.qc.registry``: it runs only when
``enabled(code)`` says so (``--select``/``--ignore``), and each change it makes
is reported with that code. A fix never changes the words (their sequence is
the same before and after), only spacing, punctuation style, line breaks,
markup that cannot be shown, and timing within what the gap and duration
rules need.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from toolkit.qc import text as tx
from toolkit.qc.profile import Profile
from toolkit.qc.registry import ALL, line_fix_rules
from toolkit.qc.timing import capabilities_of, frame_rate_of, lanes, tolerance_ms
from toolkit.subtitles.markup import TAG_PATTERN
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.timecode import format_srt

_MARKUP = TAG_PATTERN
_CJK_LINE_END = re.compile(rf"[，。]+((?:{_MARKUP})*)[ \t]*$")

Enabled = Callable[[str], bool]


@dataclass(frozen=True)
class Change:
    """One change ``fix_track`` made: the rule it fixes, the event (number after fixing), what."""

    code: str
    message: str
    cue: int | None = None
    time_ms: int | None = None

    def __str__(self) -> str:
        if self.cue is None:
            return f"{self.code} {self.message}"
        return f"{self.code} event {self.cue} ({format_srt(self.time_ms or 0)}): {self.message}"

    def to_dict(self) -> dict[str, str | int | None]:
        return {"code": self.code, "cue": self.cue, "time_ms": self.time_ms, "message": self.message}


@dataclass
class FixResult:
    track: Track
    fixes: list[Change] = field(default_factory=list)

    @property
    def changes(self) -> list[str]:
        """One line per change, its rule code first."""
        return [str(change) for change in self.fixes]

    @property
    def changed(self) -> bool:
        return bool(self.fixes)


Note = tuple[str, Cue | None, str]  # (code, cue or None for the track, what)


def fix_track(track: Track, profile: Profile, enabled: Enabled = ALL) -> FixResult:
    """A fixed copy of the track and one change per fix, each naming its rule's code."""
    fixed = track.copy()
    notes: list[Note] = []
    renumber: str | None = None  # the code of the fix that removed or moved events
    caps = capabilities_of(fixed)

    kept: list[Cue] = []
    for number, cue in enumerate(fixed.cues, start=1):
        if enabled("SK301") and not tx.strip_markup("".join(cue.lines)).strip():
            notes.append(("SK301", None, f"removed empty event {number} at {format_srt(cue.start)}"))
            renumber = "SK301"
        else:
            kept.append(cue)
    # ASS events may come in any order (by style, by layer): only SRT and WebVTT are sorted.
    sort = enabled("SK106") and not caps.any_order
    if sort and any(b.start < a.start for a, b in itertools.pairwise(kept)):
        kept.sort(key=lambda cue: cue.start)  # stable: events starting together keep their order
        notes.append(("SK106", None, "sorted the events by start time"))
        renumber = renumber or "SK106"
    fixed.cues = kept

    for cue in fixed.cues:
        for code, what in _fix_text(cue, profile, enabled):
            notes.append((code, cue, what))

    rate = frame_rate_of(fixed, profile)
    order = sorted(range(len(fixed.cues)), key=lambda i: fixed.cues[i].start)
    for lane in lanes(fixed.cues, order, caps.styles):
        _fix_timing([fixed.cues[i] for i in lane], profile, rate, notes, enabled)
    if sort and any(b.start < a.start for a, b in itertools.pairwise(fixed.cues)):
        # A start moved past the next event's in another lane (top vs bottom): keep time order.
        fixed.cues.sort(key=lambda cue: cue.start)

    if renumber:
        notes.append((renumber, None, f"renumbered the events 1..{len(fixed.cues)}"))
    encoding = (fixed.encoding or "utf-8").lower()
    if enabled("SK501") and encoding not in ("utf-8", "utf8", "ascii"):
        notes.append(("SK501", None, f"re-encoded from {fixed.encoding} to UTF-8"))
        fixed.encoding = "utf-8"

    numbers = {id(cue): number for number, cue in enumerate(fixed.cues, start=1)}
    fixes = [
        Change(code, what) if cue is None else Change(code, what, numbers[id(cue)], cue.start)
        for code, cue, what in notes
    ]
    return FixResult(fixed, fixes)


# ---------------------------------------------------------------- text

def _fix_text(cue: Cue, profile: Profile, enabled: Enabled) -> list[tuple[str, str]]:
    done: list[tuple[str, str]] = []
    lines = list(cue.lines)
    # Tags first: a stray closing tag dropped later would leave spacing to redo.
    if enabled("SK401") and "<" in "".join(lines) and tx.unbalanced_tags(lines):
        lines = _balance(lines)
        done.append(("SK401", "balanced styling tags"))
    lines = _fix_style(lines, profile, done, enabled)
    # Wrapping, restyling and dropping ， 。 at line ends feed each other (a dash that gains
    # a space lengthens a line, a dropped comma makes room): repeat until nothing changes.
    before_wrap = lines
    wrap = enabled("SK201") or enabled("SK202")
    line_end = enabled("SK308") and profile.cjk_punctuation
    rewrapped = stripped = False
    for _ in range(4):
        current = lines
        wrapped = rewrap(current, profile) if wrap else None
        if wrapped is not None and wrapped != current:
            current = _fix_style(wrapped, profile, done, enabled)
            rewrapped = True
        if line_end:
            without = [_CJK_LINE_END.sub(r"\1", line) for line in current]
            if without != current:
                current = without
                stripped = True
        if current == lines:
            break
        lines = current
    if rewrapped:
        shown = " / ".join(tx.strip_markup(line) for line in lines)
        code = "SK202" if len(before_wrap) > (profile.max_lines or len(before_wrap)) or not enabled("SK201") else "SK201"
        done.append((code, f"re-wrapped {len(before_wrap)} line(s) as {len(lines)}: {shown}"))
    if stripped:
        done.append(("SK308", "removed ， 。 at line ends"))
    cue.lines = lines
    return done


def _fix_style(lines: list[str], profile: Profile, done: list[tuple[str, str]], enabled: Enabled) -> list[str]:
    """The one-line fixes of the registry, one pass per rule so each is reported once."""
    for rule in line_fix_rules():
        if rule.line_fix is None or not enabled(rule.code):
            continue
        function = rule.line_fix
        changed = [function(line, profile) for line in lines]
        if changed != lines:
            lines = changed
            describe = _DESCRIPTIONS.get(rule.code)
            entry = (rule.code, describe(profile) if describe else (rule.fix or rule.name))
            if entry not in done:
                done.append(entry)
    return lines


# The change lines of the fix report, with the profile's choice where there is one.
_DESCRIPTIONS: dict[str, Callable[[Profile], str]] = {
    "SK302": lambda _p: "removed spaces at line ends",
    "SK303": lambda _p: "collapsed double spaces",
    "SK304": lambda _p: "removed spaces before punctuation",
    "SK305": lambda p: f"wrote ellipses as {p.ellipsis!r}",
    "SK306": lambda p: f"dialogue dashes as {p.dialogue_dash!r}",
    "SK307": lambda _p: "full-width punctuation",
    "SK311": lambda p: f"quotation marks as {p.quotes[:2] if p.quotes else ''}",
    "SK312": lambda p: f"dashes as {p.cjk_dash!r}",
    "SK309": lambda _p: "non-breaking spaces before ; : ! ?",
    "SK310": lambda _p: "non-breaking spaces instead of spaces before ; : ! ?",
    "SK403": lambda _p: "removed italics",
}


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

def _fix_timing(cues: list[Cue], profile: Profile, rate: Fraction, notes: list[Note], enabled: Enabled) -> None:
    min_gap = profile.duration_ms("min_gap", rate) or 0
    min_duration = profile.duration_ms("min_duration", rate)
    _fix_gaps(cues, profile, rate, min_gap, notes, enabled)
    if min_duration is not None and (enabled("SK101") or enabled("SK109")):
        tolerance = tolerance_ms(profile, "min_duration", rate)
        for index, cue in enumerate(cues):
            if cue.end - cue.start >= min_duration - tolerance:
                continue
            code = "SK109" if cue.end <= cue.start else "SK101"
            if not enabled(code):
                continue
            wanted = cue.start + min_duration
            if index + 1 < len(cues):
                wanted = min(wanted, cues[index + 1].start - min_gap)
            if wanted > cue.end:
                notes.append((code, cue, f"extended {cue.end - cue.start} ms → {wanted - cue.start} ms (minimum duration {profile.min_duration})"))
                cue.end = wanted
        _fix_gaps(cues, profile, rate, min_gap, notes, enabled)


def _fix_gaps(
    cues: list[Cue], profile: Profile, rate: Fraction, min_gap: int, notes: list[Note], enabled: Enabled
) -> None:
    tolerance = tolerance_ms(profile, "min_gap", rate)
    bridge = profile.duration_ms("bridge_gap", rate)
    bridge_tolerance = tolerance_ms(profile, "bridge_gap", rate)
    for cue, after in itertools.pairwise(cues):
        gap = after.start - cue.end
        if gap < min_gap - tolerance or gap < 0:
            code = "SK103" if gap < 0 else "SK104"
            if not enabled(code):
                continue
            new_end = after.start - min_gap
            duration = cue.end - cue.start
            if new_end - cue.start >= max(1, duration // 2):
                what = "overlap" if gap < 0 else f"gap of {gap} ms"
                notes.append((code, cue, f"end {format_srt(cue.end)} → {format_srt(new_end)} ({what}; minimum gap {min_gap} ms)"))
                cue.end = new_end
            else:
                # Trimming would leave almost nothing: start the next event after this one instead.
                new_start = cue.end + min_gap
                length = max(after.end - after.start, 1)
                notes.append((code, after, f"start {format_srt(after.start)} → {format_srt(new_start)} (overlapped the event before)"))
                after.start = new_start
                if after.end <= new_start:
                    after.end = new_start + length  # it would vanish: keep its duration
        elif bridge is not None and min_gap + tolerance < gap <= bridge + bridge_tolerance and enabled("SK105"):
            new_end = after.start - min_gap
            notes.append(("SK105", cue, f"end {format_srt(cue.end)} → {format_srt(new_end)} (bridged a {gap} ms gap)"))
            cue.end = new_end
