"""WebVTT reading and writing.

pysubs2 reads WebVTT but drops cue settings, and the top positioning of a
cue (``line:0``) must survive SRT ↔ WebVTT ↔ ASS, so WebVTT shares the SRT
block scanner and keeps the settings.
"""

from __future__ import annotations

import re

from toolkit.errors import ScreenkitError
from toolkit.subtitles.markup import canonical_from_srt
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.srt import _raise_no_cues, block_times, scan_blocks, split_lines
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


def parse_vtt(text: str, path: str | None = None) -> Track:
    lines = split_lines(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ScreenkitError("empty WebVTT file: no header, no cues", path=path, line=1)
    if not _HEADER.match(lines[first].lstrip("\ufeff\t ")) and not _HEADER.match(lines[first]):
        raise ScreenkitError("not WebVTT: the file must start with 'WEBVTT'", path=path, line=first + 1)
    cues: list[Cue] = []
    for block in scan_blocks(lines, path, first=first + 1):
        start, end = block_times(block, path)
        # In WebVTT a blank line ends the cue: what follows before the next
        # timing line is a cue identifier, a NOTE or a STYLE block, not text.
        text_lines = block.lines
        if "" in (line.strip() for line in text_lines):
            text_lines = text_lines[: [line.strip() for line in text_lines].index("")]
        body = []
        for line in text_lines:
            line = _VOICE.sub("", line)
            line = _CLASS_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2)}>", line)
            body.append(_unescape(_OTHER_TAG.sub("", line)))
        body, inline_alignment = canonical_from_srt(body)
        alignment = _alignment_from_settings(block.settings)
        cues.append(
            Cue(start, end, body, alignment=alignment or inline_alignment, source_line=block.timing_line)
        )
    if not cues:
        _raise_no_cues(lines[first + 1 :], path)
    return Track(cues=cues, format="vtt")


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
    out = ["WEBVTT", ""]
    for cue in track.cues:
        timing = f"{format_vtt(cue.start)} --> {format_vtt(cue.end)}"
        setting = _SETTINGS.get(cue.alignment or 2)
        if setting:
            timing += " " + setting
        out.append(timing)
        # WebVTT has no <s> or <font>; ASS blocks mean nothing there.
        lines = [re.sub(r"\{\\[^}]*\}|</?(?:s|font)(?:\s[^>]*)?>", "", line) for line in cue.lines]
        # A blank line would end the cue early.
        out.extend(_escape(line) if line.strip() else "\u00a0" for line in lines or [""])
        out.append("")
    return "\n".join(out)
