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
_TOKEN = re.compile(rf"{_MARKUP}|[ \t]+|.", re.DOTALL)
_CLOSING_PUNCTUATION = set("，。！？：；、）」』》〉”’…⋯,.!?:;)]}%»\u00a0")
_OPENING_PUNCTUATION = set("（「『《〈“‘([{«")
_DASHES = frozenset("-‐‑–—−")
_BREAK_AFTER = set(",.;:!?，。！？；：、…⋯")
_ORPHAN_PENALTY = 100.0
_PUNCTUATION_BONUS = 0.15
_MAX_COMBINATIONS = 50_000
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

def _pieces(raw: str) -> list[tuple[str, str]]:
    """Unbreakable pieces and the separator after each (' ' at a space, '' between CJK characters).

    Latin words are never split; CJK text may break between characters,
    but never before closing punctuation or after opening punctuation;
    closing tags stay with what they close, opening tags with what they open.
    """
    pieces: list[tuple[str, str]] = []
    current = ""
    pending_open = ""
    pending_space = False
    previous: str | None = None
    for token in _TOKEN.findall(raw):
        if token[0] in " \t":
            if current:
                pending_space = True
            continue
        if token.startswith("</"):
            current += token
            continue
        if len(token) > 1 and token[0] in "<{":
            pending_open += token
            continue
        char = token
        if current and previous is not None:
            if pending_space and tx.strip_markup(current) in _DASHES:
                current += " "  # a dialogue dash stays with its first word
            elif pending_space:
                pieces.append((current, " "))
                current = ""
            elif (
                (tx.is_wide(previous) or tx.is_wide(char))
                and char not in _CLOSING_PUNCTUATION
                and previous not in _OPENING_PUNCTUATION
            ):
                pieces.append((current, ""))
                current = ""
        current += pending_open + char
        pending_open = ""
        pending_space = False
        previous = char
    current += pending_open
    if current:
        pieces.append((current, ""))
    return pieces


def _join_lines(lines: list[str]) -> str:
    """One text from several lines: a space between Latin ends, nothing between CJK ones."""
    text = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if text:
            last = tx.strip_markup(text).rstrip()[-1:]
            first = tx.strip_markup(stripped).lstrip()[:1]
            joiner = "" if (last and first and (tx.is_wide(last) or tx.is_wide(first))) else " "
            text += joiner
        text += stripped
    return text


def rewrap(lines: list[str], profile: Profile) -> list[str] | None:
    """Lines re-broken to fit the profile, or None when nothing needs (or allows) it."""
    limit = profile.max_chars_per_line
    max_lines = profile.max_lines
    weight = profile.half_width_weight
    def width(line: str) -> float:
        plain = tx.strip_markup(line)
        if profile.cjk_punctuation:
            plain = plain.rstrip().rstrip("，。")  # removed after wrapping (SK308)
        return tx.text_width(plain, weight)

    too_long = limit is not None and any(width(line) > limit for line in lines)
    too_many = max_lines is not None and len(lines) > max_lines
    if not (too_long or too_many):
        return None
    if sum(1 for line in lines if tx.DIALOGUE_DASH.match(line)) >= 2:
        return None  # one speaker per line: joining them would mix the speakers
    pieces = _pieces(_join_lines(lines))
    if not pieces:
        return None
    widths = [tx.text_width(tx.strip_markup(text), weight) for text, _ in pieces]
    space = weight
    count = len(pieces)
    most = max_lines if max_lines is not None else max(len(lines), 1)
    for line_count in range(1, most + 1):
        if line_count > count:
            break
        best = _best_breaks(pieces, widths, space, line_count, limit, profile.cjk_punctuation)
        if best is not None:
            return _assemble(pieces, best)
    return None


def _best_breaks(
    pieces: list[tuple[str, str]],
    widths: list[float],
    space: float,
    line_count: int,
    limit: float | None,
    drop_line_end: bool = False,
) -> tuple[int, ...] | None:
    """The break positions of the best ``line_count``-line layout that fits, or None.

    Cost: spread of the line widths (balanced lines), an orphan penalty, and
    a bonus for breaking after punctuation. Every layout is tried; prefix
    sums make each line's width O(1).
    """
    count = len(pieces)
    total_combinations = 1
    for k in range(line_count - 1):
        total_combinations = total_combinations * (count - 1 - k) // (k + 1)
    if total_combinations > _MAX_COMBINATIONS:
        return None
    # prefix[i]: width of pieces[:i] with the spaces between them.
    prefix = [0.0]
    for i, width in enumerate(widths):
        gap = space if i > 0 and pieces[i - 1][1] == " " else 0.0
        prefix.append(prefix[-1] + gap + width)
    last_chars = [tx.strip_markup(text)[-1:] for text, _ in pieces]
    end_drop = [1.0 if drop_line_end and char in ("，", "。") else 0.0 for char in last_chars]
    after_punctuation = [char in _BREAK_AFTER for char in last_chars]

    def line_width(a: int, b: int) -> float:
        # The space before pieces[a] belongs to the break, not to the line.
        lead = space if a > 0 and pieces[a - 1][1] == " " else 0.0
        return prefix[b] - prefix[a] - lead - end_drop[b - 1]

    scale = (limit or prefix[-1] / line_count or 1.0) ** 2
    orphans_matter = count >= 3 and line_count > 1
    best: tuple[float, tuple[int, ...]] | None = None
    for breaks in itertools.combinations(range(1, count), line_count - 1):
        edges = (0, *breaks, count)
        line_widths = [line_width(a, b) for a, b in itertools.pairwise(edges)]
        if limit is not None and max(line_widths) > limit:
            continue
        mean = sum(line_widths) / line_count
        cost = sum((width - mean) ** 2 for width in line_widths) / scale
        if orphans_matter:
            # An orphan: one word alone on a line when there were words to share.
            cost += _ORPHAN_PENALTY * sum(1 for a, b in itertools.pairwise(edges) if b - a == 1)
        # A break after punctuation reads better, worth lines about a quarter of the limit
        # apart from balanced.
        cost -= _PUNCTUATION_BONUS * sum(after_punctuation[position - 1] for position in breaks)
        if best is None or cost < best[0]:
            best = (cost, breaks)
    return None if best is None else best[1]


def _assemble(pieces: list[tuple[str, str]], breaks: tuple[int, ...]) -> list[str]:
    lines: list[str] = []
    edges = (0, *breaks, len(pieces))
    for a, b in itertools.pairwise(edges):
        text = ""
        for i in range(a, b):
            text += pieces[i][0]
            if i < b - 1:
                text += pieces[i][1]
        lines.append(text)
    return lines


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
