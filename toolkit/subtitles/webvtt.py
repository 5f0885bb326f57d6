"""WebVTT reading and writing, by the WHATWG/W3C "WebVTT parser algorithm".

``parse_document(text)`` follows the algorithm step by step: the signature
(``WEBVTT`` then a space, a tab or a line end, nothing before it but the
byte-order mark the decoder removed), the header block, then blocks
separated by blank lines, each a cue (a timing line on its first or second
line), a STYLE or REGION block (only before the first cue), or nothing the
browser keeps (a NOTE, stray text). NUL becomes U+FFFD; CR and CRLF end lines
like LF. A timing line that does not parse skips that cue alone; each
invalid cue setting (``line:.5``, ``size:101%``) is dropped alone, the rest
of its line still applies. What comes out is what a browser's ``VTTCue``
objects hold: ``WebVttDocument.cues`` with id, times, text and settings.

``parse_vtt`` turns that into a Track: the same cues in the canonical
markup of model.py, the position they say as an alignment, and everything
a browser ignores kept for WebVTT → WebVTT (the header, NOTE/STYLE/REGION
blocks verbatim) or said (a skipped cue is one warning naming its line).
A file with a valid signature and no cues is an empty track.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from toolkit.errors import ScreenkitError
from toolkit.subtitles.model import Cue, ReadWarning, Track
from toolkit.subtitles.timecode import format_vtt
from toolkit.text.markup import canonical_from_srt, escape_ass_text

# "ASCII whitespace" of the specification (no vertical tab).
_WHITESPACE = " \t\n\f\r"
_DIGITS = "0123456789"
_SPLIT = re.compile(r"[ \t\n\f\r]+")
_PERCENTAGE = re.compile(r"[0-9]+(?:\.[0-9]+)?%")
_LINE_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_LINES = re.compile(r"[0-9]+")


@dataclass
class Region:
    """A WebVTT region as ``VTTRegion`` holds it (percentages as numbers)."""

    id: str = ""
    width: float = 100.0
    lines: int = 3
    region_anchor: tuple[float, float] = (0.0, 100.0)
    viewport_anchor: tuple[float, float] = (0.0, 100.0)
    scroll: str = ""  # "" or "up"


@dataclass
class CueSettings:
    """The settings of one cue, defaults as the specification gives them."""

    region: Region | None = None
    vertical: str = ""  # "", "rl", "lr"
    line: float | None = None  # None: auto
    snap_to_lines: bool = True
    line_align: str = "start"
    position: float | None = None  # None: auto
    position_align: str = "auto"
    size: float = 100.0
    align: str = "center"
    applied: list[str] = field(default_factory=list)  # the settings that were valid, as written
    dropped: list[str] = field(default_factory=list)  # the ones that were not

    @property
    def text(self) -> str:
        return " ".join(self.applied)


@dataclass
class VttCue:
    """One cue as a browser's VTTCue: id, times (ms), the raw cue text, settings."""

    id: str
    start: int
    end: int
    text: str
    settings: CueSettings
    line: int  # the timing line, 1-based


@dataclass
class VttBlock:
    """A block the browser does not keep as a cue (NOTE, STYLE, REGION, stray text), verbatim."""

    kind: str  # "note", "style", "region", "other", "bad-timing"
    text: str
    line: int  # its first line, 1-based
    timing: str = ""  # for "bad-timing": the timing line that did not parse


@dataclass
class WebVttDocument:
    header: str  # the signature line and the header block, as written
    cues: list[VttCue]
    regions: list[Region]
    stylesheets: list[str]
    # Everything in file order: cues (VttCue) and the other blocks (VttBlock).
    items: list[VttCue | VttBlock]


def _percentage(value: str) -> float | None:
    """"Parse a percentage string": digits, an optional fraction, '%'; 0 to 100."""
    if not _PERCENTAGE.fullmatch(value):
        return None
    number = float(value[:-1])
    return number if 0 <= number <= 100 else None


# Hours of up to nine digits (114,000 years) are timestamps; more is bad input, skipped with its cue.
_MAX_HOUR_DIGITS = 9


def collect_timestamp(line: str, pos: int) -> tuple[int, int] | None:
    """"Collect a WebVTT timestamp" at ``pos``: (milliseconds, new position) or None."""
    size = len(line)

    def digits(at: int) -> int:
        end = at
        while end < size and line[end] in _DIGITS:
            end += 1
        return end

    if pos >= size or line[pos] not in _DIGITS:
        return None
    end = digits(pos)
    first = line[pos:end]
    if len(first) > _MAX_HOUR_DIGITS:
        return None  # a time past any film (and past what int() reads): no timestamp screenkit can use
    hours_first = len(first) != 2 or int(first) > 59
    pos = end
    if pos >= size or line[pos] != ":":
        return None
    end = digits(pos + 1)
    second = line[pos + 1 : end]
    if len(second) != 2:
        return None
    pos = end
    if hours_first or (pos < size and line[pos] == ":"):
        if pos >= size or line[pos] != ":":
            return None
        end = digits(pos + 1)
        third = line[pos + 1 : end]
        if len(third) != 2:
            return None
        pos = end
        hours, minutes, seconds = int(first), int(second), int(third)
    else:
        hours, minutes, seconds = 0, int(first), int(second)
    if pos >= size or line[pos] != ".":
        return None
    end = digits(pos + 1)
    fraction = line[pos + 1 : end]
    if len(fraction) != 3:
        return None
    if minutes > 59 or seconds > 59:
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(fraction), end


def _skip_whitespace(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in _WHITESPACE:
        pos += 1
    return pos


def _token(line: str, pos: int) -> str:
    return _SPLIT.split(line[pos:].lstrip(_WHITESPACE), 1)[0][:40]


def timing_error(line: str) -> str | None:
    """Why a timing line does not parse (None when it does): for the warning that skips its cue."""
    pos = _skip_whitespace(line, 0)
    start = collect_timestamp(line, pos)
    if start is None:
        return f"bad timestamp {_token(line, pos)!r} (WebVTT: [hh:]mm:ss.ttt)"
    pos = _skip_whitespace(line, start[1])
    if line[pos : pos + 3] != "-->":
        return f"{_token(line, pos) or 'end of line'!r} where '-->' should follow the start time"
    pos = _skip_whitespace(line, pos + 3)
    if collect_timestamp(line, pos) is None:
        return f"bad timestamp {_token(line, pos)!r} (WebVTT: [hh:]mm:ss.ttt)"
    return None


def parse_timing_line(line: str, regions: list[Region] | None = None) -> tuple[int, int, CueSettings] | None:
    """"Collect WebVTT cue timings and settings": (start, end, settings), None when it fails."""
    pos = _skip_whitespace(line, 0)
    start = collect_timestamp(line, pos)
    if start is None:
        return None
    pos = _skip_whitespace(line, start[1])
    if line[pos : pos + 3] != "-->":
        return None
    pos = _skip_whitespace(line, pos + 3)
    end = collect_timestamp(line, pos)
    if end is None:
        return None
    return start[0], end[0], parse_settings(line[end[1] :], regions or [])


def _name_value(setting: str) -> tuple[str, str] | None:
    colon = setting.find(":")
    if colon <= 0 or colon == len(setting) - 1:
        return None
    return setting[:colon], setting[colon + 1 :]


def _finite(text: str) -> float | None:
    number = float(text)
    return number + 0.0 if math.isfinite(number) else None  # + 0.0: "-0" is 0


def _apply_setting(settings: CueSettings, name: str, value: str, regions: list[Region]) -> bool:
    """Apply one ``name:value``; False when the value is invalid (the setting is then ignored)."""
    if name == "region":
        found = next((region for region in reversed(regions) if region.id == value), None)
        settings.region = found
        return found is not None
    if name == "vertical":
        if value not in ("rl", "lr"):
            return False
        settings.vertical = value
        return True
    if name == "line":
        position, comma, line_align = value.partition(",")
        if not any(ch in _DIGITS for ch in position):
            return False
        if position.endswith("%"):
            number = _percentage(position)
        elif _LINE_NUMBER.fullmatch(position):
            number = _finite(position)
        else:
            number = None
        if number is None or (comma and line_align not in ("start", "center", "end")):
            return False
        if comma:
            settings.line_align = line_align
        settings.line = number
        settings.snap_to_lines = not position.endswith("%")
        return True
    if name == "position":
        position, comma, position_align = value.partition(",")
        if comma and position_align not in ("line-left", "center", "line-right"):
            return False
        number = _percentage(position)
        if number is None:
            return False
        settings.position = number
        if comma:
            settings.position_align = position_align
        return True
    if name == "size":
        number = _percentage(value)
        if number is None:
            return False
        settings.size = number
        return True
    if name == "align":
        if value not in ("start", "center", "end", "left", "right"):
            return False
        settings.align = value
        return True
    return False


def parse_settings(text: str, regions: list[Region] | None = None) -> CueSettings:
    """"Parse the WebVTT cue settings": each invalid setting is dropped on its own."""
    settings = CueSettings()
    for setting in _SPLIT.split(text):
        if not setting:
            continue
        pair = _name_value(setting)
        if pair is not None and _apply_setting(settings, pair[0], pair[1], regions or []):
            settings.applied.append(setting)
        else:
            settings.dropped.append(setting)
    return settings


def _region_settings(text: str) -> Region:
    """"Collect WebVTT region settings"."""
    region = Region()
    for setting in _SPLIT.split(text):
        pair = _name_value(setting)
        if pair is None:
            continue
        name, value = pair
        if name == "id":
            region.id = value
        elif name == "width":
            width = _percentage(value)
            if width is not None:
                region.width = width
        elif name == "lines":
            if _LINES.fullmatch(value) and len(value) <= _MAX_HOUR_DIGITS:
                region.lines = int(value)
        elif name in ("regionanchor", "viewportanchor"):
            x_text, comma, y_text = value.partition(",")
            x, y = _percentage(x_text), _percentage(y_text)
            if comma and x is not None and y is not None:
                if name == "regionanchor":
                    region.region_anchor = (x, y)
                else:
                    region.viewport_anchor = (x, y)
        elif name == "scroll" and value == "up":
            region.scroll = "up"
    return region


def _is_signature(text: str) -> bool:
    if len(text) < 6:
        return False
    if len(text) == 6:
        return text == "WEBVTT"
    return text.startswith("WEBVTT") and text[6] in " \t\n"


def _starts_with_word(buffer: str, word: str) -> bool:
    """``STYLE`` / ``REGION`` alone on the block's first line (trailing whitespace allowed)."""
    return buffer.startswith(word) and all(ch in _WHITESPACE for ch in buffer[len(word) :])


class _Parser:
    def __init__(self, text: str, path: str | None) -> None:
        self.text = text
        self.path = path
        self.pos = 0
        self.seen_cue = False
        self.regions: list[Region] = []
        self.line_starts = [0]
        self.line_starts.extend(match.end() for match in re.finditer("\n", text))

    def line_number(self, pos: int) -> int:
        # Binary search over the line starts: positions are met in order, but blocks rewind.
        low, high = 0, len(self.line_starts)
        while low + 1 < high:
            middle = (low + high) // 2
            if self.line_starts[middle] <= pos:
                low = middle
            else:
                high = middle
        return low + 1

    def collect_line(self) -> str:
        end = self.text.find("\n", self.pos)
        if end < 0:
            end = len(self.text)
        line = self.text[self.pos : end]
        self.pos = end
        return line

    def skip_newlines(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == "\n":
            self.pos += 1

    def collect_block(self, in_header: bool = False) -> VttCue | VttBlock | None:
        """"Collect a WebVTT block"; a block the browser drops comes back as a VttBlock."""
        text = self.text
        first_line = self.line_number(self.pos)
        line_count = 0
        previous = self.pos
        buffer = ""
        seen_arrow = False
        cue: VttCue | None = None
        bad_timing: tuple[str, int] | None = None
        kind: str | None = None  # "style" or "region"
        raw: list[str] = []  # the block as written
        while True:
            line = self.collect_line()
            line_count += 1
            seen_eof = self.pos >= len(text)
            if not seen_eof:
                self.pos += 1
            if "-->" in line:
                if not in_header and (line_count == 1 or (line_count == 2 and not seen_arrow)):
                    seen_arrow = True
                    previous = self.pos
                    timing_line = first_line + line_count - 1
                    raw.append(line)
                    parsed = parse_timing_line(line, self.regions)
                    if parsed is None:
                        bad_timing = (line, timing_line)
                    else:
                        start, end, settings = parsed
                        cue = VttCue(buffer, start, end, "", settings, timing_line)
                        buffer = ""
                        self.seen_cue = True
                else:
                    self.pos = previous
                    break
            elif line == "":
                break
            else:
                raw.append(line)
                if not in_header and line_count == 2 and not self.seen_cue:
                    if _starts_with_word(buffer, "STYLE"):
                        kind, buffer = "style", ""
                    elif _starts_with_word(buffer, "REGION"):
                        kind, buffer = "region", ""
                if buffer:
                    buffer += "\n"
                buffer += line
                previous = self.pos
            if seen_eof:
                break
        verbatim = "\n".join(raw)
        if cue is not None:
            cue.text = buffer
            return cue
        if in_header:
            return VttBlock("header", verbatim, first_line)
        if bad_timing is not None:
            return VttBlock("bad-timing", verbatim, bad_timing[1], bad_timing[0])
        if kind == "style":
            return VttBlock("style", verbatim, first_line, buffer)
        if kind == "region":
            region = _region_settings(buffer)
            self.regions.append(region)
            return VttBlock("region", verbatim, first_line)
        if not raw:
            return None
        word = raw[0].split(None, 1)[0] if raw[0].split() else ""
        return VttBlock("note" if word == "NOTE" and raw[0][:4] == "NOTE" else "other", verbatim, first_line)

    def parse(self) -> WebVttDocument:
        text = self.text
        if not text.strip(_WHITESPACE):
            raise ScreenkitError("empty WebVTT file: no 'WEBVTT' signature", path=self.path, line=1)
        if not _is_signature(text):
            found = text.split("\n", 1)[0][:40]
            raise ScreenkitError(
                f"not WebVTT: the file must start with 'WEBVTT' then a space, a tab or a line end "
                f"(found {found!r})",
                path=self.path, line=1,
            )
        header = [self.collect_line()]
        items: list[VttCue | VttBlock] = []
        stylesheets: list[str] = []
        if self.pos < len(text):
            self.pos += 1
            if self.pos < len(text):
                if text[self.pos] != "\n":
                    block = self.collect_block(in_header=True)
                    if isinstance(block, VttBlock) and block.text:
                        header.append(block.text)
                else:
                    self.pos += 1
        self.skip_newlines()
        while self.pos < len(text):
            block = self.collect_block()
            if block is not None:
                items.append(block)
                if isinstance(block, VttBlock) and block.kind == "style":
                    stylesheets.append(block.timing)
            self.skip_newlines()
        cues = [item for item in items if isinstance(item, VttCue)]
        return WebVttDocument("\n".join(header), cues, list(self.regions), stylesheets, items)


def normalize(text: str) -> str:
    """The algorithm's first step: NUL → U+FFFD, CRLF and CR → LF."""
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_document(text: str, path: str | None = None) -> WebVttDocument:
    """The WebVTT parser algorithm over decoded text (its byte-order mark already removed)."""
    return _Parser(normalize(text), path).parse()


_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]*)>")
_CLASS_TAG = re.compile(r"<(/?)(i|b|u)(?:\.[^>]*)?>")
_OTHER_TAG = re.compile(r"</?(?:c|v|lang|ruby|rt)(?:[.\s][^>]*)?>|<\d{2}:[\d:.]+>")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e", "&rlm;": "\u200f", "&amp;": "&"}


def _unescape(text: str) -> str:
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


def _cue_text(text_lines: list[str]) -> list[str]:
    body = []
    for line in text_lines:
        line = _VOICE.sub("", line)
        line = _CLASS_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2)}>", line)
        body.append(_unescape(_OTHER_TAG.sub("", line)).rstrip())
    return body


def alignment_of(settings: CueSettings) -> int | None:
    """The ASS numpad alignment a cue's settings amount to; None for the default (bottom centre)."""
    horizontal = {"start": 0, "left": 0, "end": 2, "right": 2}.get(settings.align, 1)
    if settings.line is None:
        return None if horizontal == 1 else 1 + horizontal
    number = settings.line
    if not settings.snap_to_lines:
        row = 7 if number < 34 else (4 if number < 67 else 1)
    else:
        row = 7 if 0 <= number < 4 else 1
    return row + horizontal


def _alignment_from_settings(settings: str) -> int | None:
    return alignment_of(parse_settings(settings))


def parse_vtt(text: str, path: str | None = None) -> Track:
    document = parse_document(text, path)
    cues: list[Cue] = []
    warnings: list[ReadWarning] = []
    pending: list[str] = []  # NOTE, STYLE, REGION blocks waiting for the next cue
    for item in document.items:
        if isinstance(item, VttBlock):
            if item.kind in ("note", "style", "region"):
                pending.append(item.text)
            elif item.kind == "bad-timing":
                reason = timing_error(item.timing) or "bad timing line"
                warnings.append(ReadWarning(item.line, f"{reason}: cue skipped (a browser skips it too)", "dropped-cue"))
            else:
                where = "before the first cue" if not cues else "after a blank line"
                warnings.append(ReadWarning(
                    item.line, f"text {where} that is not a cue, NOTE, STYLE or REGION block: dropped "
                               "(a browser shows nothing of it)", "stray-text",
                ))
            continue
        settings = item.settings
        for setting in settings.dropped:
            warnings.append(ReadWarning(item.line, f"invalid cue setting {setting[:40]!r} ignored", "invalid-setting"))
        if item.end < item.start:
            warnings.append(ReadWarning(
                item.line, f"cue ends before it starts ({format_vtt(item.start)} --> {format_vtt(item.end)}): "
                           "kept as WebVTT says, though no player shows it", "end-before-start",
            ))
        body, inline_alignment = canonical_from_srt(_cue_text(item.text.split("\n")) if item.text else [])
        cues.append(
            Cue(
                item.start,
                item.end,
                body,
                alignment=alignment_of(settings) or inline_alignment,
                source_line=item.line,
                identifier=item.id or None,
                settings=settings.text or None,
                before=tuple(pending),
            )
        )
        pending = []
    return Track(cues=cues, format="vtt", warnings=warnings, header=document.header, after=pending)


_SETTINGS = {
    7: "line:0 align:start",
    8: "line:0",
    9: "line:0 align:end",
    4: "line:50% align:start",
    5: "line:50%",
    6: "line:50% align:end",
    1: "align:start",
    3: "align:end",
}


def _escape(line: str) -> str:
    # Keep the markup tags WebVTT knows, escape everything else that would parse as markup
    # ("-->" becomes "--&gt;", which no longer ends the cue and still shows as "-->").
    parts = re.split(r"(</?(?:i|b|u)>)", line.replace("&", "&amp;"))
    return "".join(
        part if re.fullmatch(r"</?(?:i|b|u)>", part) else part.replace("<", "&lt;").replace(">", "&gt;")
        for part in parts
    )


def _is_header_block(block: str) -> bool:
    first = block.split("\n", 1)[0]
    return _starts_with_word(first, "STYLE") or _starts_with_word(first, "REGION")


def _identifier(cue: Cue) -> str | None:
    """The identifier, when writing it keeps the cue a cue (one line, no arrow)."""
    identifier = cue.identifier
    if not identifier or "-->" in identifier or "\n" in identifier or "\r" in identifier:
        return None
    return identifier


def write_vtt(track: Track) -> str:
    """WebVTT in start-time order; identifiers, settings and NOTE/STYLE/REGION blocks kept as read."""
    header = track.header if track.header and _is_signature(track.header) else "WEBVTT"
    out = [header, ""]
    # STYLE and REGION blocks count only before the first cue: sorting the cues must not move
    # one after a cue, so they all open the file, in the order read.
    for cue in track.cues:
        out.extend(part for block in cue.before if _is_header_block(block) for part in (block, ""))
    for cue in sorted(track.cues, key=lambda cue: cue.start):
        for block in cue.before:
            if not _is_header_block(block):
                out.extend([block, ""])
        identifier = _identifier(cue)
        if identifier:
            out.append(identifier)
        timing = f"{format_vtt(cue.start)} --> {format_vtt(cue.end)}"
        if cue.settings is not None and _alignment_from_settings(cue.settings) == cue.alignment:
            timing += " " + cue.settings  # as written: the position it says is still the cue's
        else:
            setting = _SETTINGS.get(cue.alignment or 2)
            if setting:
                timing += " " + setting
        out.append(timing)
        # WebVTT has no <s> or <font>; ASS blocks mean nothing there.
        lines = [re.sub(r"\{\\[^}]*\}|</?(?:s|font)(?:\s[^>]*)?>", "", line) for line in cue.lines]
        # A blank line would end the cue early.
        out.extend(_escape(escape_ass_text(line, braces=False)) if line.strip() else "\u00a0" for line in lines or [""])
        out.append("")
    for block in track.after:
        out.extend([block, ""])
    return "\n".join(out)
