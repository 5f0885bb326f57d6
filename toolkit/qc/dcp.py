"""The ``DCP1xx`` rule family: what cinema checkers verify in DCP subtitle files.

Following libdcp's verifier (``src/verify.cc``, the Bv2.1 checks) and
ClairMeta (``dcp_check_subtitle.py``), as summarised in
../shared/reference/dcp-subtitles.md. These rules read the XML itself
(fades, positions, fonts, the schema), so they run when ``lint`` is given a
DCP subtitle file (Interop or SMPTE); limits in frames use the file's
EditRate (SMPTE) or the track's frame rate (Interop: 24 unless told).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.diagnostics import Severity
from toolkit.qc.registry import Rule, register
from toolkit.subtitles.model import Cue, Track, strip_tags
from toolkit.subtitles.timecode import format_srt

if TYPE_CHECKING:
    from toolkit.dcp.events import DcpEvent
    from toolkit.dcp.xml import ReadSubtitles

E, W = Severity.ERROR, Severity.WARNING

FIRST_TEXT_MS = 4000  # Bv2.1 7.2.4
MIN_FRAMES = 15  # Bv2.1 7.2.5
MIN_GAP_FRAMES = 2  # Bv2.1 7.2.5
MAX_LINES = 3  # Bv2.1 7.2.7
LINE_WARN, LINE_MAX = 52, 79  # Bv2.1 7.2.7, code points
MAX_ON_SCREEN = 2  # ClairMeta

for _rule in (
    Rule("DCP101", "dcp-first-text-time", E, "first subtitle before 4 s into the reel",
         "Bv2.1 7.2.4 (libdcp INVALID_SUBTITLE_FIRST_TEXT_TIME): the first subtitle of reel 1 must "
         "start at least 4 s in; servers may drop earlier ones while the show starts."),
    Rule("DCP102", "dcp-min-duration", E, "event shorter than 15 frames (or of no duration)",
         "Bv2.1 7.2.5 (libdcp INVALID_SUBTITLE_DURATION, _BV21): every event lasts at least 15 "
         "frames at the composition's edit rate, and never zero."),
    Rule("DCP103", "dcp-min-gap", E, "gap to the next event shorter than 2 frames",
         "Bv2.1 7.2.5 (libdcp INVALID_SUBTITLE_SPACING): from one event's TimeOut to the next "
         "TimeIn at least 2 frames (overlapping events are not spacing: see DCP107)."),
    Rule("DCP104", "dcp-line-count", E, "more than 3 lines on screen at once",
         "Bv2.1 7.2.7 (libdcp INVALID_SUBTITLE_LINE_COUNT): at most 3 lines (distinct vertical "
         "positions) shown at the same time, all events together. libdcp checks it in SMPTE "
         "files; in Interop files (where bilingual 2 + 2 lines are common) it is a warning."),
    Rule("DCP105", "dcp-line-length-warning", W, "line longer than 52 characters",
         "Bv2.1 7.2.7 (libdcp NEARLY_INVALID_SUBTITLE_LINE_LENGTH): more than 52 characters "
         "(code points) on a line is close to the limit of 79."),
    Rule("DCP106", "dcp-line-length", E, "line longer than 79 characters",
         "Bv2.1 7.2.7 (libdcp INVALID_SUBTITLE_LINE_LENGTH): at most 79 characters (code points) "
         "on a line."),
    Rule("DCP107", "dcp-events-on-screen", E, "more than 2 events on screen at once",
         "ClairMeta: at most two subtitles are shown at the same time (a bilingual pair)."),
    Rule("DCP108", "dcp-fade", E, "fades as long as the event or longer",
         "libdcp and ClairMeta: FadeUpTime plus FadeDownTime must be shorter than the event, "
         "or the text is never fully shown. Interop's default fade, when none is written, is "
         "20 ticks (80 ms) each way."),
    Rule("DCP109", "dcp-reel-boundary", E, "event ends after the end of the reel",
         "libdcp SUBTITLE_OVERLAPS_REEL_BOUNDARY: the last TimeOut must fall inside the reel "
         "(checked when the reel's duration is known: lint --video or a manifest)."),
    Rule("DCP110", "dcp-font-missing", E, "font not loaded or its file missing",
         "libdcp MISSING_LOAD_FONT(_FOR_FONT), Interop MISSING_FONT: a text subtitle file "
         "needs exactly one LoadFont whose file lies beside the XML, and every Font ID must "
         "name it."),
    Rule("DCP111", "dcp-font-size", E, "font larger than the limit",
         "Interop servers take at most 640 KiB (655,360 bytes) of font; SMPTE Bv2.1 at most "
         "10 MB (libdcp INVALID_TIMED_TEXT_FONT_SIZE_IN_BYTES). Subset the font to the "
         "characters used, or use image subtitles."),
    Rule("DCP112", "dcp-font-coverage", E, "character the font cannot draw",
         "A character missing from the font shows as a box or nothing on the cinema server "
         "(ClairMeta checks every glyph used against the font's cmap). Spaces count: U+00A0 and "
         "U+202F (before French ? ! : ;) and U+3000 must be in the font like any letter; the "
         "writer (convert, package) applies the same test and refuses a subset that lacks one."),
    Rule("DCP113", "dcp-schema", E, "not valid against the DCP subtitle schema",
         "XSD validity (libdcp, ClairMeta): Interop against DCSubtitle.xsd, SMPTE against "
         "DCDMSubtitle-2007/2010/2014.xsd, as shipped by ClairMeta."),
    Rule("DCP114", "dcp-no-subtitles", E, "the file holds no subtitles",
         "libdcp MISSING_SUBTITLE: a subtitle asset with no <Subtitle> shows nothing in the "
         "cinema; an empty reel needs no subtitle asset at all. Usually the wrong file, or a "
         "conversion that lost its text."),
):
    register(_rule)

Emit = Callable[..., None]


def _frames(count: int, rate: Fraction) -> int:
    return round(Fraction(count * 1000) / rate)


def check_dcp(track: Track, rate: Fraction, emit: Emit, reel_duration_ms: int | None = None) -> None:
    """Emit DCP1xx findings for a track read from a DCP subtitle file (``track.path``)."""
    from toolkit.dcp.fonts import INTEROP_FONT_LIMIT, SMPTE_FONT_LIMIT
    from toolkit.dcp.xml import SMPTE, read_dcp_xml
    from toolkit.dcp.xsd import validate_xml
    from toolkit.errors import ScreenkitError

    if track.path is None:
        return
    path = Path(track.path)
    data = path.read_bytes()
    for error in validate_xml(data)[:20]:
        emit("DCP113", f"line {error.line}: {error.message}")
    try:
        read = read_dcp_xml(data, str(path))
    except ScreenkitError:
        return
    smpte = read.header.standard == SMPTE
    if smpte:
        rate = read.header.fps
    events = read.events
    if not events:
        emit("DCP114", "no <Subtitle> in the file")
        return
    cues = track.cues if len(track.cues) == len(events) else [
        Cue(e.start, e.end, [], source_line=e.source_line) for e in events
    ]
    timed = sorted(range(len(events)), key=lambda i: (events[i].start, events[i].end))
    if timed and read.header.reel == 1 and events[timed[0]].start < FIRST_TEXT_MS:
        first = timed[0]
        emit("DCP101", f"first subtitle at {format_srt(events[first].start)}, before 00:00:04,000",
             cues[first], first + 1)
    min_duration = _frames(MIN_FRAMES, rate)
    min_gap = _frames(MIN_GAP_FRAMES, rate)
    tolerance = int(Fraction(500) / rate)  # half a frame: times are rounded to ticks or edit units
    for index, event in enumerate(events):
        duration = event.end - event.start
        cue, number = cues[index], index + 1
        if duration <= 0 or duration < min_duration - tolerance:
            emit("DCP102", f"lasts {duration} ms < {MIN_FRAMES} frames ({min_duration} ms at {rate} fps)",
                 cue, number)
        if duration > 0 and event.fade_in + event.fade_out >= duration:
            emit("DCP108", f"fades of {event.fade_in} + {event.fade_out} ms in an event of {duration} ms",
                 cue, number)
        for row, line in enumerate(event.lines):
            length = len(strip_tags(line.text))
            if length > LINE_MAX:
                emit("DCP106", f"line of {length} characters > {LINE_MAX}", cue, number, row)
            elif length > LINE_WARN:
                emit("DCP105", f"line of {length} characters > {LINE_WARN}", cue, number, row)
        if reel_duration_ms is not None and event.end > reel_duration_ms:
            emit("DCP109", f"ends at {format_srt(event.end)}, after the reel's end ({format_srt(reel_duration_ms)})",
                 cue, number)
    for position, index in enumerate(timed[:-1]):
        following = timed[position + 1]
        gap = events[following].start - events[index].end
        if 0 <= gap < min_gap - tolerance:
            emit("DCP103", f"gap of {gap} ms to event {following + 1} < {MIN_GAP_FRAMES} frames "
                           f"({min_gap} ms at {rate} fps)", cues[index], index + 1)
    _check_screen(events, cues, emit, smpte)
    _check_fonts(read, path, cues, emit, SMPTE_FONT_LIMIT if smpte else INTEROP_FONT_LIMIT, smpte)


def _check_screen(events: list[DcpEvent], cues: list[Cue], emit: Emit, smpte: bool) -> None:
    """Events and lines on screen at once, at every moment an event starts.

    libdcp counts lines for SMPTE only; in Interop a bilingual file with two
    lines of each language is common, so there it is a warning.
    """
    reported_lines: set[int] = set()
    reported_events: set[int] = set()
    for index, event in enumerate(events):
        active = [i for i, other in enumerate(events) if other.start <= event.start < other.end]
        if len(active) > MAX_ON_SCREEN and index not in reported_events:
            reported_events.add(index)
            emit("DCP107", f"{len(active)} events on screen at {format_srt(event.start)} > {MAX_ON_SCREEN}",
                 cues[index], index + 1)
        positions = {(line.valign, line.vposition) for i in active for line in events[i].lines}
        if len(positions) > MAX_LINES and index not in reported_lines:
            reported_lines.add(index)
            emit("DCP104", f"{len(positions)} lines on screen at {format_srt(event.start)} > {MAX_LINES}"
                 + ("" if smpte else " (a Bv2.1 limit; libdcp checks it in SMPTE files)"),
                 cues[index], index + 1, default=None if smpte else W)


def _check_fonts(read: ReadSubtitles, path: Path, cues: list[Cue], emit: Emit, limit: int, smpte: bool) -> None:
    from fontTools.ttLib import TTFont, TTLibError

    has_text = any(not event.image for event in read.events)
    if not has_text:
        return
    if not read.fonts:
        emit("DCP110", "text subtitles without a LoadFont")
        return
    if smpte and len(read.fonts) > 1:
        emit("DCP110", f"{len(read.fonts)} LoadFont elements (SMPTE Bv2.1: exactly one)")
    loaded = {font_id for font_id, _, _ in read.fonts}
    for font_id, _line in read.font_ids_used:
        if font_id not in loaded:
            emit("DCP110", f"Font ID {font_id!r} names no LoadFont")
    from toolkit.dcp.fonts import describe_character, drawn_characters

    # Interop may load a second font for the runs in another script: a character
    # counts as drawn when one of the loaded fonts has it.
    cmap: set[int] = set()
    names: list[str] = []
    size = 0
    for font_id, uri, _line in read.fonts:
        file = _font_file(path.parent, uri, smpte)
        if file is None:
            emit("DCP110", f"font {uri!r} (LoadFont {font_id}) not found beside the XML")
            return
        size += file.stat().st_size
        try:
            cmap |= set((TTFont(file, fontNumber=0).getBestCmap() or {}).keys())
        except (TTLibError, OSError, AssertionError) as error:
            emit("DCP110", f"font {file.name} cannot be read: {error}")
            return
        names.append(file.name)
    if size > limit:
        emit("DCP111", f"font {' + '.join(names)} is {size:,} bytes > {limit:,}")
    for index, event in enumerate(read.events):
        # The same test as the writer's (toolkit.dcp.fonts.is_drawn): spaces of every kind included.
        missing = sorted({ch for line in event.lines for ch in drawn_characters(strip_tags(line.text))
                          if ord(ch) not in cmap})
        if missing:
            shown = ", ".join(describe_character(ch) for ch in missing[:5])
            emit("DCP112", f"{' + '.join(names)} has no glyph for {shown}"
                           + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""),
                 cues[index], index + 1)


def _font_file(folder: Path, uri: str, smpte: bool) -> Path | None:
    if smpte:
        # asdcp-wrap's rule: the one file in the XML's folder whose name holds the UUID.
        uuid = uri.removeprefix("urn:uuid:").lower()
        if not uuid:
            return None
        found = [p for p in folder.iterdir() if p.is_file() and uuid in p.name.lower() and p.suffix != ".xml"]
        return found[0] if len(found) == 1 else None
    candidate = folder / uri
    return candidate if uri and candidate.is_file() else None
