"""WebVTT reading and writing.

pysubs2 reads WebVTT but drops cue settings, and the top positioning of a
cue (``line:0``) must survive SRT ↔ WebVTT ↔ ASS, so WebVTT is read here:
blocks end at blank lines; the header, cue identifiers, cue settings and
NOTE/STYLE/REGION blocks are kept as written so that WebVTT → WebVTT gives
them back byte for byte; the timing line goes through the SRT scanner.
"""

from __future__ import annotations

import re

from toolkit.errors import ScreenkitError
from toolkit.subtitles.markup import canonical_from_srt
from toolkit.subtitles.model import Cue, ReadWarning, Track
from toolkit.subtitles.srt import RawBlock, _raise_no_cues, block_times, scan_blocks, split_lines
from toolkit.subtitles.timecode import format_vtt

_HEADER = re.compile(r"^\ufeff?\s*WEBVTT(?:[ \t].*)?$")
_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]*)>")
_CLASS_TAG = re.compile(r"<(/?)(i|b|u)(?:\.[^>]*)?>")
_OTHER_TAG = re.compile(r"</?(?:c|v|lang|ruby|rt)(?:[.\s][^>]*)?>|<\d{2}:[\d:.]+>")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e", "&rlm;": "\u200f", "&amp;": "&"}


def _alignment_from_settings(settings: str) -> int | None:
    values = dict(part.split(":", 1) for part in settings.split() if ":" in part)
    line = values.get("line")
    align = values.get("align", values.get("position-align", ""))
    horizontal = {"start": 0, "left": 0, "end": 2, "right": 2}.get(align, 1)
    if line is None:
        return None if horizontal == 1 else 1 + horizontal
    value = line.split(",")[0]
    try:
        number = float(value.rstrip("%"))
    except ValueError:
        return None
    if value.endswith("%"):
        row = 7 if number < 34 else (4 if number < 67 else 1)
    else:
        row = 7 if number >= 0 and number < 4 else 1
    return row + horizontal


def _unescape(text: str) -> str:
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


def _blocks(lines: list[str], first: int) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines (a blank line ends a WebVTT block) with their first row."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = first
    for row in range(first, len(lines)):
        if lines[row].strip():
            if not current:
                start = row
            current.append(lines[row].rstrip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _is_kind(line: str, word: str) -> bool:
    return line == word or line.startswith((word + " ", word + "\t"))


def _cue_text(text_lines: list[str]) -> list[str]:
    body = []
    for line in text_lines:
        line = _VOICE.sub("", line)
        line = _CLASS_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2)}>", line)
        body.append(_unescape(_OTHER_TAG.sub("", line)))
    return body


def parse_vtt(text: str, path: str | None = None) -> Track:
    lines = split_lines(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ScreenkitError("empty WebVTT file: no header, no cues", path=path, line=1)
    if not _HEADER.match(lines[first].lstrip("\ufeff\t ")) and not _HEADER.match(lines[first]):
        raise ScreenkitError("not WebVTT: the file must start with 'WEBVTT'", path=path, line=first + 1)
    # The header runs to the first blank line, or to a timing line when a sloppy file has none.
    end = first + 1
    while end < len(lines) and lines[end].strip() and "-->" not in lines[end]:
        end += 1
    header = "\n".join(line.rstrip() for line in lines[first:end]).lstrip("\ufeff")
    blocks = [(first, []), *_blocks(lines, end)]
    cues: list[Cue] = []
    warnings: list[ReadWarning] = []
    pending: list[str] = []  # NOTE, STYLE, REGION blocks waiting for the next cue
    for row, block in blocks[1:]:
        timing_at = next((i for i, line in enumerate(block) if "-->" in line), None)
        if timing_at is None and any(_is_kind(block[0], kind) for kind in ("NOTE", "STYLE", "REGION")):
            pending.append("\n".join(block))
            continue
        if timing_at is None:
            if cues:
                # Text after a blank line inside a cue: players drop it, an editor wants it kept.
                warnings.append(ReadWarning(row + 1, "text after a blank line in a cue: kept as its last lines", "blank-line-in-cue"))
                cues[-1].lines.extend(_cue_text(block))
            else:
                warnings.append(ReadWarning(row + 1, "text before the first cue is not a NOTE, STYLE or REGION block: kept as a NOTE", "stray-text"))
                pending.append("NOTE\n" + "\n".join(block))
            continue
        identifier = "\n".join(block[:timing_at]) or None
        scanned = list(scan_blocks(block, path, first=timing_at))
        raw = scanned[0]
        raw = RawBlock(row + timing_at + 1, raw.start_text, raw.end_text, raw.settings, block[timing_at + 1 :], raw.times)
        times = block_times(raw, path, warnings)
        if times is None:
            pending = []
            continue
        body, inline_alignment = canonical_from_srt(_cue_text(raw.lines))
        alignment = _alignment_from_settings(raw.settings)
        cues.append(
            Cue(
                times[0],
                times[1],
                body,
                alignment=alignment or inline_alignment,
                source_line=raw.timing_line,
                identifier=identifier,
                settings=raw.settings or None,
                before=tuple(pending),
            )
        )
        pending = []
    if not cues:
        _raise_no_cues(lines[first + 1 :], path)
    return Track(cues=cues, format="vtt", warnings=warnings, header=header, after=pending)


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
    # Keep the markup tags WebVTT knows, escape everything else that would parse as markup.
    parts = re.split(r"(</?(?:i|b|u)>)", line.replace("&", "&amp;"))
    return "".join(
        part if re.fullmatch(r"</?(?:i|b|u)>", part) else part.replace("<", "&lt;").replace(">", "&gt;")
        for part in parts
    )


def write_vtt(track: Track) -> str:
    """WebVTT in start-time order; identifiers, settings and NOTE/STYLE/REGION blocks kept as read."""
    out = [track.header or "WEBVTT", ""]
    for cue in sorted(track.cues, key=lambda cue: cue.start):
        for block in cue.before:
            out.extend([block, ""])
        if cue.identifier:
            out.append(cue.identifier)
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
        out.extend(_escape(line) if line.strip() else "\u00a0" for line in lines or [""])
        out.append("")
    for block in track.after:
        out.extend([block, ""])
    return "\n".join(out)
