"""Safe automatic fixes: ``fix_track(track, profile, enabled=...) -> FixResult``.

Every fix belongs to a rule of ``toolkit.qc.registry``: it runs only when
``enabled(code)`` says so (``--select``/``--ignore``), and each change it makes
is reported with that code. A fix never changes the words (their sequence is
the same before and after), only spacing, punctuation style, line breaks,
markup that cannot be shown, and timing within what the gap and duration
rules need.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from toolkit.languages import EN, ZH_HANS, Language
from toolkit.qc.kinds import DIALOGUE, NOT_FOR_NON_DIALOGUE, event_kinds
from toolkit.qc.langid import secondary_language
from toolkit.qc.profile import Profile
from toolkit.qc.registry import ALL, line_fix_rules
from toolkit.qc.timing import (
    capabilities_of,
    deliberate_overlap,
    frame_rate_of,
    split_lanes,
    tolerance_ms,
)
from toolkit.subtitles.comments import rebase_block
from toolkit.subtitles.formats import Capabilities
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.timecode import format_srt
from toolkit.text import widths as tx
from toolkit.text.markup import TAG_PATTERN, is_drawing

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
    # Problems a fix would have had to move a start (or empty an event) to solve: left as they were.
    skipped: list[Change] = field(default_factory=list)

    @property
    def changes(self) -> list[str]:
        """One line per change, its rule code first."""
        return [str(change) for change in self.fixes]

    @property
    def changed(self) -> bool:
        return bool(self.fixes)


Note = tuple[str, Cue | None, str]  # (code, cue or None for the track, what)


def _rebased(blocks: list[tuple[str, int]], anchor_ms: int) -> tuple[str, ...]:
    """Comments (WebVTT blocks, ASS Comment events) of removed events, moved to the next one."""
    return tuple(rebase_block(block, start, anchor_ms) for block, start in blocks)


def fix_track(track: Track, profile: Profile, enabled: Enabled = ALL) -> FixResult:
    """A fixed copy of the track and one change per fix, each naming its rule's code."""
    fixed = track.copy()
    notes: list[Note] = []
    renumber: str | None = None  # the code of the fix that removed or moved events
    caps = capabilities_of(fixed)

    kept: list[Cue] = []
    last_start = fixed.cues[-1].start if fixed.cues else 0  # what Track.after's ASS comments are relative to
    orphans: list[tuple[str, int]] = []  # comments of removed events, with the start they were kept at
    for number, cue in enumerate(fixed.cues, start=1):
        if enabled("SK301") and not tx.strip_markup("".join(cue.lines)).strip():
            notes.append(("SK301", None, f"removed empty event {number} at {format_srt(cue.start)}"))
            renumber = "SK301"
            orphans.extend((block, cue.start) for block in cue.before)
        else:
            if orphans:
                cue.before = _rebased(orphans, cue.start) + cue.before
                orphans = []
            kept.append(cue)
    new_last = kept[-1].start if kept else 0
    if orphans or (fixed.after and new_last != last_start):  # a removed last event's comments go after the last one
        trailing = [(block, last_start) for block in fixed.after]
        fixed.after = list(_rebased(orphans + trailing, new_last))
    # ASS events may come in any order (by style, by layer): only SRT and WebVTT are sorted.
    sort = enabled("SK106") and not caps.any_order
    if sort and any(b.start < a.start for a, b in itertools.pairwise(kept)):
        kept.sort(key=lambda cue: cue.start)  # stable: events starting together keep their order
        notes.append(("SK106", None, "sorted the events by start time"))
        renumber = renumber or "SK106"
    fixed.cues = kept

    # The same second language lint finds (an identified bilingual track's Latin lines may be
    # French): lint after fix then judges each line as the fix did.
    profile_for = ScriptProfiles(profile, secondary_language(fixed), by_event=fixed.secondary_language is not None)
    kinds = event_kinds(fixed)
    # ASS overrides hold to the end of their event: nothing to close (SK401 is for SRT/WebVTT tags).
    text_enabled = (lambda code: code != "SK401" and enabled(code)) if caps.overrides else enabled
    # Signs, title cards, songs and notes keep their lines and times (toolkit/qc/kinds.py).
    sign_enabled = lambda code: code not in NOT_FOR_NON_DIALOGUE and text_enabled(code)  # noqa: E731
    for cue, kind in zip(fixed.cues, kinds, strict=True):
        if caps.drawings and is_drawing(cue.text):
            continue  # a vector drawing is not text to restyle
        for code, what in _fix_text(cue, profile_for, text_enabled if kind == DIALOGUE else sign_enabled):
            notes.append((code, cue, what))

    rate = frame_rate_of(fixed, profile)
    dialogue = [i for i, kind in enumerate(kinds) if kind == DIALOGUE]
    order = sorted(dialogue, key=lambda i: fixed.cues[i].start)
    split = split_lanes(fixed.cues, order, caps)
    # An end is never extended into any later event, in its lane or another (starts only move
    # later, so the starts as they are now are a safe bound).
    starts = sorted(cue.start for cue in fixed.cues)
    skipped: list[Note] = []
    for lane in split.lanes:
        _fix_timing([fixed.cues[i] for i in lane], profile, rate, notes, skipped, enabled, starts, caps)
    for duplicate, first in split.duplicates.items():
        # An identical duplicate is the same event: it keeps the same times.
        fixed.cues[duplicate].start = fixed.cues[first].start
        fixed.cues[duplicate].end = fixed.cues[first].end
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

    def change(code: str, cue: Cue | None, what: str) -> Change:
        return Change(code, what) if cue is None else Change(code, what, numbers[id(cue)], cue.start)

    return FixResult(
        fixed, [change(*note) for note in notes], [change(*note) for note in skipped]
    )


# ---------------------------------------------------------------- text

class ScriptProfiles:
    """The profile for each script of a bilingual track: Chinese lines under the Chinese
    profile, Latin lines under the other language's (English unless the track says)."""

    def __init__(self, profile: Profile, secondary: Language | None = None, *, by_event: bool = False) -> None:
        self.profile = profile
        self.secondary = secondary
        self.by_event = by_event
        self._loaded: dict[str, Profile] = {}

    def __call__(self, script: str) -> Profile:
        main_is_cjk = bool(self.profile.language and self.profile.language.is_cjk)
        if not script or (script == "han") == main_is_cjk:
            return self.profile
        if script not in self._loaded:
            wanted = self.secondary
            if wanted is None or wanted.is_cjk != (script == "han"):
                wanted = ZH_HANS if script == "han" else EN
            from toolkit.qc.profile import load_profile

            self._loaded[script] = load_profile(self.profile.path or self.profile.name, wanted)
        return self._loaded[script]

    def for_event(self, lines: list[str]) -> Profile:
        """The profile of an event in one script: in a bilingual track whose languages are in
        events of their own (a bilingual DCP file), a French event is checked as French."""
        if not self.by_event:
            return self.profile
        return self(tx.line_script(" ".join(lines)))


def wrap_language_lines(lines: list[str], profile: Profile) -> list[str] | None:
    """The one per-language wrap: lines of one language re-broken under that language's
    profile, or None when nothing needs it (the line breaker, toolkit/linebreak.py)."""
    wrapped = rewrap(lines, profile)
    if wrapped is not None and tx.words(" ".join(wrapped)) != tx.words(" ".join(lines)):
        return None  # a break inside a word (２４|２) would change the words: never
    if wrapped is not None and tx.is_cjk_text(" ".join(lines)):
        scripts = {tx.line_script(line) for line in lines} - {""}
        if any(tx.line_script(line) not in scripts | {""} for line in wrapped):
            return None  # a Chinese line broken into a Latin-only one would pass for the other language
    return wrapped


def _fix_text(cue: Cue, profile_for: ScriptProfiles, enabled: Enabled) -> list[tuple[str, str]]:
    """Text fixes of one event; a bilingual event's languages are fixed (and wrapped) apart,
    each under its own language's profile, so they stay on their own lines."""
    done: list[tuple[str, str]] = []
    groups = tx.bilingual_groups(cue.lines)
    if groups is None:
        lines = list(cue.lines)
        cue.lines = _fix_lines(lines, profile_for.for_event(cue.lines), enabled, done, speakers=len(lines) == 1)
        return done
    lines: list[str] = []
    trial: list[tuple[str, str]] = []
    for script, rows in groups:
        lines.extend(_fix_lines([cue.lines[row] for row in rows], profile_for(script), enabled, trial))
    most = profile_for.profile.max_lines
    if most is not None and len(lines) > max(most, len(cue.lines)):
        # Wrapping each language would give the event more lines than it may hold (a bilingual
        # cue of 3-4 lines): the languages keep their lines, and lint reports the long ones.
        lines, trial = [], []
        no_wrap = lambda code: code not in ("SK201", "SK202") and enabled(code)  # noqa: E731
        for script, rows in groups:
            lines.extend(_fix_lines([cue.lines[row] for row in rows], profile_for(script), no_wrap, trial))
    done.extend(entry for entry in trial if entry not in done)
    cue.lines = lines
    return done


_LEADING_TAGS = re.compile(rf"^(?:{TAG_PATTERN})+")


def _split_speakers(line: str, at: int) -> list[str] | None:
    """``line`` cut before the second speaker's dash (``at``: its offset in the plain text); None
    when markup makes the offset ambiguous (a tag inside the line)."""
    prefix = _LEADING_TAGS.match(line)
    head = prefix.group(0) if prefix else ""  # {\fad(120,120)} before the text applies to the event
    rest = line[len(head):]
    if tx.strip_markup(rest) != rest:
        return None
    first, second = rest[:at].rstrip(), rest[at:].strip()
    return [head + first, second] if first and second else None


def _fix_lines(
    lines: list[str], profile: Profile, enabled: Enabled, done: list[tuple[str, str]], speakers: bool = False
) -> list[str]:
    """``speakers``: the event's only line, which may be split when it holds two speakers (SK313)."""
    # Tags first: a stray closing tag dropped later would leave spacing to redo.
    if enabled("SK401") and "<" in "".join(lines) and tx.unbalanced_tags(lines):
        lines = _balance(lines)
        done.append(("SK401", "balanced styling tags"))
    lines = _fix_style(lines, profile, done, enabled)
    if speakers and len(lines) == 1 and enabled("SK313"):
        # Two speakers on the event's one line: a line each, split at the second dash.
        at = tx.two_speakers(tx.strip_markup(lines[0]))
        split = _split_speakers(lines[0], at) if at is not None else None
        if split is not None and tx.bilingual_groups(split) is None:  # two scripts would read as two languages
            lines = _fix_style(split, profile, done, enabled)
            done.append(("SK313", "gave the second speaker a line of their own"))
    # Wrapping, restyling and dropping ， 。 at line ends feed each other (a dash that gains
    # a space lengthens a line, a dropped comma makes room): repeat until nothing changes.
    before_wrap = lines
    wrap = enabled("SK201") or enabled("SK202")
    line_end = enabled("SK308") and profile.cjk_punctuation
    rewrapped = stripped = False
    for _ in range(4):
        current = lines
        wrapped = wrap_language_lines(current, profile) if wrap else None
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
        too_many = profile.max_lines is not None and len(before_wrap) > profile.max_lines
        code = "SK202" if too_many or not enabled("SK201") else "SK201"
        done.append((code, f"re-wrapped {len(before_wrap)} line(s) as {len(lines)}: {shown}"))
    if stripped and ("SK308", "removed ， 。 at line ends") not in done:
        done.append(("SK308", "removed ， 。 at line ends"))
    return lines


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
    from toolkit.qc.profile import rules_for_profile

    return break_again(lines, rules_for_profile(profile))


# ---------------------------------------------------------------- timing

def _next_start(starts: list[int], cue: Cue) -> int | None:
    """The first start of any event after this one's end (an event starting together with a
    zero-length one is already on screen with it)."""
    at = bisect.bisect_right(starts, cue.end) if cue.end <= cue.start else bisect.bisect_left(starts, cue.end)
    return starts[at] if at < len(starts) else None


def _fix_timing(
    cues: list[Cue],
    profile: Profile,
    rate: Fraction,
    notes: list[Note],
    skipped: list[Note],
    enabled: Enabled,
    starts: list[int],
    caps: Capabilities,
) -> None:
    """Gaps, overlaps and short events of one lane (``cues`` in time order)."""
    min_gap = profile.duration_ms("min_gap", rate) or 0
    min_duration = profile.duration_ms("min_duration", rate)
    _fix_gaps(cues, profile, rate, min_gap, notes, skipped, enabled, starts, caps)
    if min_duration is not None and (enabled("SK101") or enabled("SK109")):
        tolerance = tolerance_ms(profile, "min_duration", rate)
        ordered = sorted(cues, key=lambda cue: cue.start)  # a start may have moved by the gap
        on_screen_until: int | None = None  # the latest end of the lane's earlier events
        for index, cue in enumerate(ordered):
            previous_end = on_screen_until
            on_screen_until = cue.end if previous_end is None else max(previous_end, cue.end)
            if cue.end - cue.start >= min_duration - tolerance:
                continue
            if cue.end < cue.start:
                continue  # ends before it starts (WebVTT keeps it): its times are not a duration to stretch
            code = "SK109" if cue.end <= cue.start else "SK101"
            if not enabled(code):
                continue
            if previous_end is not None and previous_end > cue.start:
                continue  # it already shares the screen with an earlier event of its lane
            if index > 0 and ordered[index - 1].start == cue.start:
                continue
            wanted = cue.start + min_duration
            if index + 1 < len(ordered):
                wanted = min(wanted, ordered[index + 1].start - min_gap)
            following = _next_start(starts, cue)
            if following is not None:
                wanted = min(wanted, following - min_gap)
            if wanted > cue.end:
                notes.append((code, cue, f"extended {cue.end - cue.start} ms → {wanted - cue.start} ms (minimum duration {profile.min_duration})"))
                cue.end = wanted
                on_screen_until = max(on_screen_until, wanted)


def _fix_gaps(
    cues: list[Cue],
    profile: Profile,
    rate: Fraction,
    min_gap: int,
    notes: list[Note],
    skipped: list[Note],
    enabled: Enabled,
    starts: list[int],
    caps: Capabilities,
) -> None:
    """Overlaps and short gaps inside a lane: the earlier event ends earlier. A start moves only
    for a gap (never an overlap), and by no more than the minimum gap; what cannot be solved
    that way is left and reported."""
    tolerance = tolerance_ms(profile, "min_gap", rate)
    bridge = profile.duration_ms("bridge_gap", rate)
    bridge_tolerance = tolerance_ms(profile, "bridge_gap", rate)
    close: list[Cue] = []  # earlier events of the lane ending less than the minimum gap before now
    in_close: set[int] = set()  # their ids
    previous: Cue | None = None  # the earlier event that ends last
    # Events starting together are examined once against each earlier event: the later ones of
    # the group only against the events added since. (Examining every pair made 10^6 zero-length
    # events at one instant 10^12 comparisons.)
    examined_at: int | None = None
    examined = 0  # how many of ``close`` were examined at that start
    for position, after in enumerate(cues):
        arrival = after.start
        # A start moved for a gap never passes the start of the lane's next event: the order of
        # a lane's events is part of its sync.
        next_start = cues[position + 1].start if position + 1 < len(cues) else None
        if arrival != examined_at:
            close = [cue for cue in close if cue.end > arrival - min_gap + tolerance]
            in_close = {id(cue) for cue in close}
            examined = 0
        examined_at = arrival
        for cue in close[examined:]:
            gap = after.start - cue.end
            if gap >= min_gap - tolerance and gap >= 0:
                continue  # solved by an earlier step (a start moved by the gap)
            code = "SK103" if gap < 0 else "SK104"
            if not enabled(code) or deliberate_overlap(gap, caps, after.start - cue.start):
                continue
            new_end = after.start - min_gap
            duration = cue.end - cue.start
            shift = min_gap - gap
            if new_end - cue.start >= max(1, duration // 2):
                what = "overlap" if gap < 0 else f"gap of {gap} ms"
                notes.append((code, cue, f"end {format_srt(cue.end)} → {format_srt(new_end)} ({what}; minimum gap {min_gap} ms)"))
                cue.end = new_end
            elif (
                gap >= 0
                and after.start == arrival
                and after.end - after.start - shift >= max(1, (after.end - after.start) // 2)
                and (next_start is None or after.start + shift <= next_start)
            ):
                new_start = after.start + shift  # shift <= min_gap: a gap, not an overlap
                notes.append((code, after, f"start {format_srt(after.start)} → {format_srt(new_start)} (gap of {gap} ms; minimum gap {min_gap} ms)"))
                after.start = new_start
            else:
                what = f"overlaps a later event of its lane ({format_srt(after.start)}) by {-gap} ms" if gap < 0 else f"gap of {gap} ms to the next event ({format_srt(after.start)})"
                skipped.append((code, cue, f"{what}: ending it earlier would leave less than half of it, moving the next one would desynchronise it"))
        if previous is not None and id(previous) not in in_close:
            gap = after.start - previous.end
            if bridge is not None and min_gap + tolerance < gap <= bridge + bridge_tolerance and enabled("SK105"):
                new_end = after.start - min_gap
                following = _next_start(starts, previous)
                if following is not None:
                    new_end = min(new_end, following - min_gap)
                if new_end > previous.end:
                    notes.append(("SK105", previous, f"end {format_srt(previous.end)} → {format_srt(new_end)} (bridged a {gap} ms gap)"))
                    previous.end = new_end
        examined = len(close)
        close.append(after)
        in_close.add(id(after))
        if previous is None or after.end >= previous.end:
            previous = after
