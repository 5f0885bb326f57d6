"""The checks: ``lint_track(track, profile) -> list[Diagnostic]``.

Each finding carries its rule code, the severity the profile gives it, a
message with the measured value and the limit, where it is (file, source
line, cue number, cue start) and, where ``fix_track`` repairs it, what the fix
does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from toolkit.diagnostics import Diagnostic, Location, Severity, sort_key
from toolkit.languages import Language
from toolkit.qc import langid
from toolkit.qc import text as tx
from toolkit.qc.dcp import check_dcp
from toolkit.qc.fix import ScriptProfiles
from toolkit.qc.kinds import DIALOGUE, NOT_FOR_NON_DIALOGUE, event_kinds
from toolkit.qc.linefix import FOREIGN_QUOTE_MARKS, MAINLAND_MARKS, foreign_quotes
from toolkit.qc.profile import Profile
from toolkit.qc.registry import RULES
from toolkit.qc.timing import (
    Timing,
    capabilities_of,
    deliberate_overlap,
    frame_rate_of,
    lanes,
    tolerance_ms,
)
from toolkit.subtitles.markup import is_drawing
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.timecode import format_srt

if TYPE_CHECKING:
    from toolkit.qc.langid import TrackLanguages

_SPACE_BEFORE = re.compile(r"(?<=\S)[ \t]+(?:[,!?;:，。！？：；]|\.(?!\.))")
_SPACE_BEFORE_FR_EXEMPT = frozenset(";:!?")
HALF_WIDTH_IN_CJK = re.compile(
    rf"(?<=[{tx.CJK_CHARS}])[,!?:;]|[,!?:;](?=[{tx.CJK_CHARS}])|(?<=[{tx.CJK_CHARS}])\.(?![.\d])"
)
_FRENCH_MISSING = re.compile(r"(?<=[^\s\u00a0\u202f;:!?…«(\[\-'\"/])[;:!?]")
_FRENCH_BREAKING = re.compile(r"[ \t]+[;:!?]")
# The characters each pattern needs: a line with none of them is decided by one character-class
# search (faster than the pattern, and than a set test, measured on subtitle lines).
_ELLIPSIS_CHARS = re.compile("[.…⋯。・]")
_CJK_DASH_CHARS = re.compile("[-—–―－]")
_DASH_CHARS = re.compile("[-‐‑–—−]")
_SPEAKER_DASH = re.compile("[-－–‐]")
_HALF_PUNCTUATION = re.compile("[,!?:;.]")
_MIN_LANGUAGE_PROBABILITY = 0.9

Emit = Callable[..., None]


def lint_track(track: Track, profile: Profile, *, video_duration_ms: int | None = None) -> list[Diagnostic]:
    """Every finding for one track under a profile resolved for its language."""
    findings: list[Diagnostic] = []
    path = str(track.path) if track.path is not None else None
    caps = capabilities_of(track)
    text_rows = not caps.event_per_line
    kinds = event_kinds(track)
    # Signs, title cards, songs and notes are held to their own rules (toolkit/qc/kinds.py).
    non_dialogue = {id(cue) for cue, kind in zip(track.cues, kinds, strict=True) if kind != DIALOGUE}

    def emit(
        code: str,
        message: str,
        cue: Cue | None = None,
        number: int | None = None,
        row: int = -1,
        default: Severity | None = None,
        fixable: bool = True,
    ) -> None:
        if non_dialogue and cue is not None and code in NOT_FOR_NON_DIALOGUE and id(cue) in non_dialogue:
            return
        rule = RULES[code]
        severity = profile.rule_severity(code, default or rule.severity)
        if severity is None:
            return
        line = None
        if cue is not None and cue.source_line is not None:
            # SRT/WebVTT text lines follow the timing line; ASS events are one line.
            line = cue.source_line + 1 + row if text_rows and row >= 0 else cue.source_line
        location = Location(
            path=path, line=line, cue=number, time_ms=cue.start if cue is not None else None
        )
        fix = rule.fix if fixable else None
        findings.append(Diagnostic(code, severity, message, location, fix))

    # Events in one language are checked under their own language's profile only when the
    # track's second language was known before this call (the reader, the CLI's identification),
    # as fix_track does: lint after fix then agrees with the fix.
    by_event = track.secondary_language is not None
    found = _check_track(track, profile, emit)
    secondary = track.secondary_language
    if secondary is None and found is not None and found.secondary_code:
        secondary = found.secondary  # a bilingual track: each line meets its own language's limits
    rate = frame_rate_of(track, profile)
    timing = Timing.of(profile, rate)
    profile_for = ScriptProfiles(profile, secondary, by_event=by_event)
    drawings = caps.drawings
    visible = [
        # A vector drawing ({\p1}m 0 0 l ...) is a picture: no text rules, timing in its own lane.
        True if drawings and is_drawing(cue.text) else _check_cue(track, cue, number, profile, timing, emit, profile_for)
        for number, cue in enumerate(track.cues, start=1)
    ]
    if non_dialogue:  # gaps and overlaps are between dialogue events
        visible = [shown and kind == DIALOGUE for shown, kind in zip(visible, kinds, strict=True)]
    _check_sequence(track, profile, rate, emit, video_duration_ms, visible)
    _check_line_scripts(track, profile, emit)
    if caps.dcp:
        check_dcp(track, rate, emit, video_duration_ms)
    findings.sort(key=lambda d: (d.location.cue or 0, *sort_key(d)[1:]))
    return findings



def _check_track(track: Track, profile: Profile, emit: Emit) -> TrackLanguages | None:
    encoding = (track.encoding or "utf-8").lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8", "ascii"):
        emit("SK501", f"text encoding is {track.encoding}, not UTF-8")
    return _check_language(track, profile, emit)


def _check_language(track: Track, profile: Profile, emit: Emit) -> TrackLanguages | None:
    """SK502/SK503 findings; the languages found (None: too little text to tell). The track is
    not changed: lint then fix then lint gives what fix then lint gives."""
    measured = langid.measure_languages(track)
    if measured is None:
        return None  # too little text to tell
    found, sample, letters = measured
    _judge_language(track, profile, emit, found, sample, letters)
    return found


def _judge_language(
    track: Track, profile: Profile, emit: Emit, found: TrackLanguages, sample: str, letters: int
) -> None:
    if found.secondary_code:
        # A bilingual track: its Chinese lines are checked against the declared Chinese.
        sample = found.primary_text
    detected, code, probability = found.primary, found.code, found.probability
    declared: Language | None = track.language or profile.language
    described = str(detected) if detected else code
    if track.language is None:
        if code:
            emit("SK503", f"language not declared (no --lang, none in the file name); the text reads as {described}")
        return
    if declared is None:
        return
    cjk_share = 3 * len(tx.CJK.findall(sample)) / letters  # weighted as above
    if declared.is_cjk and cjk_share >= 0.25:
        # Mostly Chinese characters: a Chinese track, whatever share of the 97 languages the
        # identifier leaves to Japanese (a bilingual track's Chinese lines are the sample).
        code = "zh"
    elif probability < _MIN_LANGUAGE_PROBABILITY:
        return
    if declared.is_cjk and code == "zh":
        # Simplified vs Traditional: only characters that exist in one script decide, as
        # OpenCC's phrase-aware tables tell them (toolkit/chinese/script.py).
        from toolkit.chinese import count_script

        counted = count_script(sample)
        simplified, traditional = counted.simplified, counted.traditional
        wrong, right = (traditional, simplified) if declared.script == "Hans" else (simplified, traditional)
        if wrong >= 3 and wrong > 2 * right:
            other = "zh-Hant" if declared.script == "Hans" else "zh-Hans"
            emit("SK502", f"text is written in {other} script ({wrong} characters only {other} has), declared {declared}")
        return
    if detected is None or (detected.tag.split("-")[0] != declared.tag.split("-")[0]):
        emit("SK502", f"text reads as {described} (p={probability:.2f}), declared {declared}")


_KANA = re.compile("[\u3040-\u30ff]")
_MIN_LINE_EVIDENCE = 2  # telling characters a line needs before it is said to be in the other script


def _check_line_scripts(track: Track, profile: Profile, emit: Emit) -> None:
    """SK502 line by line in a Chinese track: lines written in the other script (Simplified
    lines left in a zh-Hant file), found even when the file as a whole leans the declared way."""
    declared = track.language or profile.language
    if declared is None or declared.script is None:
        return
    rows = [(cue, number, row, line) for number, cue in enumerate(track.cues, start=1)
            for row, line in enumerate(cue.lines)
            if not line.isascii() and tx.CJK.search(line) and not _KANA.search(line)]  # kanji are not Traditional
    if not rows:
        return
    from toolkit.chinese.convert import converter
    from toolkit.chinese.script import line_scripts

    joined = "\n".join(line for *_, line in rows)
    if converter("t2s" if declared.script == "Hans" else "s2t").convert(joined) == joined:
        return  # no character of the other script anywhere: no line is written in it

    other = "zh-Hant" if declared.script == "Hans" else "zh-Hans"
    counts = line_scripts([tx.strip_markup(line) for *_, line in rows])
    flagged = []
    for (cue, number, row, _), count in zip(rows, counts, strict=True):
        wrong, right = (count.traditional, count.simplified) if declared.script == "Hans" else (count.simplified, count.traditional)
        if wrong >= _MIN_LINE_EVIDENCE and right == 0:
            flagged.append((cue, number, row, wrong))
    if 2 * len(flagged) > len(rows):
        return  # the whole track is in the other script: one finding for the track says it
    for cue, number, row, wrong in flagged:
        emit("SK502", f"line written in {other} script ({wrong} characters only {other} has), declared {declared}", cue, number, row)


def _check_cue(
    track: Track, cue: Cue, number: int, profile: Profile, timing: Timing, emit: Emit, profile_for: ScriptProfiles
) -> bool:
    """Checks of one event on its own; False when it has no visible text."""
    plain_lines = [tx.strip_markup(line) for line in cue.lines]
    if not "".join(plain_lines).strip():
        emit("SK301", "event has no visible text", cue, number)
        return False
    groups = tx.bilingual_groups(cue.lines)
    # An event in one language is read at that language's speed (a French event of a bilingual
    # DCP file, whose languages are events of their own); a bilingual event at the track's.
    event_profile = profile_for.for_event(cue.lines) if groups is None else profile
    duration = cue.end - cue.start
    if duration <= 0:
        emit("SK109", "event has no duration (starts and ends at the same time)", cue, number)
    else:
        _check_duration(cue, number, duration, profile, timing, emit)
        if groups is None:
            _check_speed(cue, number, duration, plain_lines, event_profile, emit)
        else:
            # Each language of a bilingual event is read on its own, at its own speed.
            for script, rows in groups:
                language = profile_for(script)
                _check_speed(cue, number, duration, [plain_lines[row] for row in rows], language, emit, groups)
    if groups is None:
        _check_lines(track, cue, number, range(len(cue.lines)), plain_lines, event_profile, emit)
    else:
        if profile.max_lines is not None and len(cue.lines) > profile.max_lines:
            emit("SK202", f"{len(cue.lines)} lines in a bilingual event > {profile.max_lines} ({profile.label})",
                 cue, number, 0, fixable=False)
        # A bilingual event: each language's lines against that language's limits.
        for script, rows in groups:
            _check_lines(track, cue, number, rows, plain_lines, profile_for(script), emit)
    if not capabilities_of(track).overrides:  # ASS overrides hold to the event's end: nothing to close
        _check_tags(cue, number, profile, emit)
    return True


def _check_lines(
    track: Track,
    cue: Cue,
    number: int,
    rows: Sequence[int],
    plain_lines: list[str],
    profile: Profile,
    emit: Emit,
) -> None:
    """Length and text checks of some of an event's lines (all of them, or one language's)."""
    lines = [cue.lines[row] for row in rows]
    rewrappable: list[bool] = []  # computed once, when a length rule fires

    def can_rewrap() -> bool:
        if not rewrappable:
            # Imported here: toolkit.linebreak builds on this package's text measures and profiles.
            from toolkit.linebreak import rewrap_possible, rules_for_profile

            rewrappable.append(rewrap_possible(lines, rules_for_profile(profile)))
        return rewrappable[0]

    if profile.max_lines is not None and len(lines) > profile.max_lines:
        emit("SK202", f"{len(lines)} lines > {profile.max_lines} ({profile.label})", cue, number, rows[0], fixable=can_rewrap())
    weight = profile.half_width_weight
    for row in rows:
        line, plain = cue.lines[row], plain_lines[row]
        if profile.max_chars_per_line is not None:
            width = tx.text_width(plain, weight)
            hard = profile.max_chars_per_line_error
            if hard is not None and width > hard:
                message = f"line of {width:g} characters > {hard:g} (hard) ({profile.label})"
                emit("SK201", message, cue, number, row, fixable=can_rewrap())
            elif width > profile.max_chars_per_line:
                # With a hard limit (cinema: 52 warning, 79 error) the soft one only warns.
                soft = Severity.WARNING if hard is not None else None
                message = f"line of {width:g} characters > {profile.max_chars_per_line:g} ({profile.label})"
                emit("SK201", message, cue, number, row, soft, fixable=can_rewrap())
        _check_line(track, line, plain, cue, number, row, profile, emit)


def _check_duration(cue: Cue, number: int, duration: int, profile: Profile, timing: Timing, emit: Emit) -> None:
    minimum = timing.min_duration
    if minimum is not None and duration < minimum - timing.min_duration_tolerance:
        emit("SK101", f"duration {duration / 1000:.3f} s < {profile.min_duration} ({profile.label})", cue, number)
    maximum = timing.max_duration
    if maximum is not None and duration > maximum + timing.max_duration_tolerance:
        emit("SK102", f"duration {duration / 1000:.3f} s > {profile.max_duration} ({profile.label})", cue, number)


def _check_speed(
    cue: Cue, number: int, duration: int, plain_lines: list[str], profile: Profile, emit: Emit,
    groups: object = None,
) -> None:
    if profile.max_cps is not None:
        # Netflix counts spaces and punctuation, not the line break.
        characters = tx.text_width("".join(line.strip() for line in plain_lines), profile.half_width_weight)
        cps = characters * 1000 / duration
        if round(cps, 1) > profile.max_cps:
            which = f" in the {profile.language} lines" if groups is not None and profile.language else ""
            emit("SK203", f"reading speed{which} {cps:.1f} cps > {profile.max_cps:g} ({profile.label})", cue, number)
    if profile.max_wpm is not None:
        count = len(tx.words(" ".join(plain_lines)))
        wpm = count * 60000 / duration
        if round(wpm) > profile.max_wpm:
            emit("SK204", f"reading speed {wpm:.0f} words/min > {profile.max_wpm:g} ({profile.label})", cue, number)


def _check_line(
    track: Track, line: str, plain: str, cue: Cue, number: int, row: int, profile: Profile, emit: Emit
) -> None:
    if plain[:1] in (" ", "\t") or plain[-1:] in (" ", "\t"):
        emit("SK302", "space at the start or end of the line", cue, number, row)
    # Each search below is guarded by a substring test that decides most lines in C.
    if "  " in plain and "  " in plain.strip():
        emit("SK303", "two or more spaces in a row", cue, number, row)
    for match in _SPACE_BEFORE.finditer(plain) if " " in plain or "\t" in plain else ():
        mark = match.group(0).strip()
        if profile.french_spacing and mark in _SPACE_BEFORE_FR_EXEMPT:
            continue
        emit("SK304", f"space before {mark!r}", cue, number, row)
        break
    chinese_line = not plain.isascii() and tx.is_cjk_text(plain)
    if profile.ellipsis and profile.cjk_punctuation and chinese_line:
        written = tx.CJK_ELLIPSIS.search(plain) if _ELLIPSIS_CHARS.search(plain) else None
        if written and written.group(0) != profile.ellipsis:
            emit("SK305", f"ellipsis written as {written.group(0)!r}; use {profile.ellipsis!r}", cue, number, row)
    elif profile.ellipsis and profile.ellipsis != "..." and "." in plain and tx.DOTS.search(plain):
        emit("SK305", f"ellipsis written as dots; use {profile.ellipsis!r}", cue, number, row)
    quote_marks = FOREIGN_QUOTE_MARKS.get(profile.quotes, MAINLAND_MARKS) if profile.quotes and chinese_line else None
    if quote_marks is not None and quote_marks.search(plain):
        foreign = foreign_quotes(plain, profile.quotes)
        if foreign:
            emit("SK311", f"quotation mark {foreign[0]!r}; {profile.language or 'this profile'} quotes with {profile.quotes[0]} {profile.quotes[1]} ({profile.quotes[2]} {profile.quotes[3]} inside)", cue, number, row)
    if profile.cjk_dash and chinese_line:
        short = tx.CJK_SHORT_DASH.search(plain) if _CJK_DASH_CHARS.search(plain) else None
        if short:
            emit("SK312", f"dash {short.group(0).strip()!r} in Chinese text; use {profile.cjk_dash!r}", cue, number, row)
    if _SPEAKER_DASH.search(plain):
        if tx.two_speakers(plain) is not None:
            emit("SK313", "two speakers on one line: give the second speaker a line of their own", cue, number, row)
        if profile.dialogue_dash and "－" in plain and tx.FULL_WIDTH_DIALOGUE_DASH.search(plain):
            emit("SK314", f"full-width '－' as a dialogue dash; use {profile.dialogue_dash!r}", cue, number, row)
    if chinese_line and "‥" in plain:
        emit("SK315", f"'‥' as an ellipsis; use {profile.ellipsis or '⋯'!r}", cue, number, row)
    if chinese_line and profile.cjk_punctuation and ('"' in plain or "'" in plain) and tx.ASCII_QUOTE_IN_CJK.search(plain):
        emit("SK316", "ASCII quotation mark in a Chinese line; use full-width quotes", cue, number, row)
    if profile.dialogue_dash and _DASH_CHARS.search(line):
        match = tx.DIALOGUE_DASH.match(line)
        if match:
            written = match.group(2) + match.group(3)
            if written != profile.dialogue_dash:
                emit("SK306", f"dialogue dash {written!r}, {profile.language or 'this profile'} uses {profile.dialogue_dash!r}", cue, number, row)
    if profile.cjk_punctuation:
        half = HALF_WIDTH_IN_CJK.search(plain) if _HALF_PUNCTUATION.search(plain) else None
        if half:
            emit("SK307", f"half-width {half.group(0)!r} in Chinese text; use {tx.HALF_TO_FULL[half.group(0)]!r}", cue, number, row)
        if plain.rstrip()[-1:] in ("，", "。"):
            emit("SK308", f"line ends with {plain.rstrip()[-1]!r}", cue, number, row)
    if profile.french_spacing:
        for match in _FRENCH_MISSING.finditer(plain):
            if _is_clock_or_url(plain, match.start()):
                continue
            emit("SK309", f"no space before {match.group(0)!r}", cue, number, row)
            break
        if _FRENCH_BREAKING.search(plain):
            emit("SK310", "ordinary space before ; : ! ? (use a non-breaking space so it never wraps)", cue, number, row)
    if "{" in line and not capabilities_of(track).overrides and tx.ASS_BLOCK.search(line):
        emit("SK402", f"ASS override {tx.ASS_BLOCK.search(line).group(0)!r} in a {track.format or 'text'} file", cue, number, row)  # type: ignore[union-attr]
    for tag in tx.ANY_TAG.finditer(line) if "<" in line else ():
        if not tx.KNOWN_TAG.fullmatch(tag.group(0)):
            emit("SK402", f"unknown tag {tag.group(0)!r}", cue, number, row)
            break
    if not profile.italics_allowed and ("<" in line or "{" in line) and tx.ITALIC.search(line):
        emit("SK403", f"italics in {profile.language or 'text'} ({profile.label} does not use them)", cue, number, row)


def _is_clock_or_url(plain: str, index: int) -> bool:
    """12:30, 1:1, http://: colons that are not punctuation."""
    if plain[index] != ":":
        return False
    before = plain[index - 1 : index]
    after = plain[index + 1 : index + 2]
    return (before.isdigit() and after.isdigit()) or after == "/"


def _check_tags(cue: Cue, number: int, profile: Profile, emit: Emit) -> None:
    if "<" not in cue.text:
        return
    problems = tx.unbalanced_tags(cue.lines)
    if problems:
        emit("SK401", "; ".join(problems), cue, number)


def _against_open(cues: Sequence[Cue], lane: list[int]) -> list[tuple[int, int]]:
    """(the event on screen longest so far, the next event) for each event of a lane after the first."""
    pairs: list[tuple[int, int]] = []
    current: int | None = None
    for index in lane:
        if current is not None:
            pairs.append((current, index))
        if current is None or cues[index].end >= cues[current].end:
            current = index
    return pairs


def _check_sequence(
    track: Track,
    profile: Profile,
    rate: Fraction,
    emit: Emit,
    video_duration_ms: int | None,
    has_text: list[bool],
) -> None:
    cues = track.cues
    caps = capabilities_of(track)
    ordered_format = not caps.any_order  # ASS events: by style, by layer
    in_order = True
    for number in range(2, len(cues) + 1):
        previous, cue = cues[number - 2], cues[number - 1]
        if cue.start < previous.start:
            in_order = False
            if ordered_format:
                emit("SK106", f"starts before event {number - 1} ({format_srt(previous.start)})", cue, number)
    order = range(len(cues)) if in_order else sorted(range(len(cues)), key=lambda i: cues[i].start)
    min_gap = profile.duration_ms("min_gap", rate) or 0
    gap_tolerance = tolerance_ms(profile, "min_gap", rate)
    bridge = profile.duration_ms("bridge_gap", rate)
    bridge_tolerance = tolerance_ms(profile, "bridge_gap", rate)
    visible = [i for i in order if has_text[i]]
    for lane in lanes(cues, visible, capabilities_of(track)):
        # Each event against the one still on screen before it (the latest-ending so far), so
        # that a long event over several short ones is one overlap each, not hidden by them.
        for index, following in _against_open(cues, lane):
            cue, after = cues[index], cues[following]
            gap = after.start - cue.end
            if gap < 0:
                if not deliberate_overlap(gap, caps, after.start - cue.start):
                    emit("SK103", f"overlaps event {following + 1} by {-gap} ms", cue, index + 1)
            elif min_gap and gap < min_gap - gap_tolerance:
                emit("SK104", f"gap of {gap} ms to event {following + 1} < {profile.min_gap} ({profile.label})", cue, index + 1)
            elif bridge is not None and min_gap + gap_tolerance < gap <= bridge + bridge_tolerance:
                target = f"{profile.min_gap}" if profile.min_gap else "0"
                emit("SK105", f"gap of {gap} ms to event {following + 1} should be closed to {target} ({profile.label})", cue, index + 1)
    if visible:
        first = min(visible, key=lambda i: cues[i].start)
        earliest = profile.duration_ms("first_start", rate)
        if earliest is not None and cues[first].start < earliest:
            emit("SK108", f"first event at {format_srt(cues[first].start)}, before {profile.first_start} ({profile.label})", cues[first], first + 1)
    if video_duration_ms is not None:
        for number, cue in enumerate(cues, start=1):
            if cue.end > video_duration_ms:
                emit("SK107", f"ends at {format_srt(cue.end)}, after the end of the video ({format_srt(video_duration_ms)})", cue, number)
