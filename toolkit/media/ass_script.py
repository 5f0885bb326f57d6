"""The ASS script a burn renders: sized for the video, laid out inside the title-safe area.

Writing our own script (instead of letting ffmpeg convert SRT) fixes the
scale: ffmpeg's SRT→ASS conversion uses PlayResY 288 (ffmpeg-notes.md), here
PlayResX/PlayResY equal the video's pixels, so sizes are in real pixels.

Layout of a two-language burn: both tracks bottom-aligned; the second track
(smaller) sits on the safe-area margin, each event of the first track is
lifted by the height of the second track's lines shown at the same time
(per-event MarginV). The tracks stay independent events with their own times
and styles, on separate layers so libass's collision logic never moves one
over the other. Lines are wrapped here (WrapStyle 2: libass does not wrap) so
that the number of lines, and so the height reserved, is known exactly.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from toolkit.subtitles.model import Cue, Track, strip_tags
from toolkit.subtitles.screen import (  # the layout, on the subtitles floor (the ASS writer's style)
    GAP,
    Layout,
    StyleSpec,
)
from toolkit.text.markup import canonical_to_ass
from toolkit.text.widths import is_wide

_SPACE_SPLIT = re.compile(r"(\s+)")
# A brace that does not open an override block ({\i1}) is text, e.g. "{laughs}";
# unescaped, libass would hide everything up to the closing brace.
_LITERAL_BRACE = re.compile(r"\{(?!\\)")


# ------------------------------------------------------------ line wrapping


def char_width(ch: str) -> float:
    """A generous width estimate in ems (generous so a wrapped line never overflows)."""
    if _is_cjk(ch):
        return 1.0
    if ch.isspace():
        return 0.35
    if ch.isupper() or ch in "mwMW@%":
        return 0.78
    if ch.isdigit():
        return 0.64
    if ch.isalpha():
        return 0.6
    return 0.45


def text_width(text: str, size: float) -> float:
    return sum(char_width(ch) for ch in strip_tags(text)) * size


def _is_cjk(ch: str) -> bool:
    return is_wide(ch)


def _tokens(line: str) -> list[str]:
    """Break opportunities: spaces, and between CJK characters (tags stay whole)."""
    tokens: list[str] = []
    for piece in _SPACE_SPLIT.split(line):
        if not piece:
            continue
        if piece.isspace():
            tokens.append(piece)
            continue
        current = ""
        index = 0
        while index < len(piece):
            ch = piece[index]
            if ch in "<{":  # a tag or override block is never split
                close = piece.find(">" if ch == "<" else "}", index)
                close = len(piece) - 1 if close < 0 else close
                current += piece[index : close + 1]
                index = close + 1
                continue
            # A CJK character is its own token, except that closing punctuation
            # stays with the character before it.
            if _is_cjk(ch) and unicodedata.category(ch) not in ("Pe", "Pf", "Po"):
                if current:
                    tokens.append(current)
                current = ch
            else:
                current += ch
                if _is_cjk(ch):
                    tokens.append(current)
                    current = ""
            index += 1
        if current:
            tokens.append(current)
    return tokens


def wrap_line(line: str, size: float, max_width: int) -> list[str]:
    if text_width(line, size) <= max_width:
        return [line]
    lines: list[str] = []
    current = ""
    for token in _tokens(line):
        candidate = current + token
        if current and not token.isspace() and text_width(candidate, size) > max_width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines or [line]


def wrap_cue(cue: Cue, size: float, max_width: int) -> list[str]:
    wrapped: list[str] = []
    for line in cue.lines:
        wrapped.extend(wrap_line(line, size, max_width))
    return wrapped


# ------------------------------------------------------------ the script


def ass_time(ms: int) -> str:
    centiseconds = max(0, round(ms / 10))
    hours, rest = divmod(centiseconds, 360_000)
    minutes, rest = divmod(rest, 6000)
    seconds, cs = divmod(rest, 100)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{cs:02d}"


def _style_line(style: StyleSpec) -> str:
    # White text, black outline, half-transparent black shadow; bottom centre (2).
    return (
        f"Style: {style.name},{style.family},{style.size:g},&H00FFFFFF,&H000000FF,&H00000000,"
        f"&H80000000,0,0,0,0,100,100,0,0,1,{style.outline:g},{style.shadow:g},2,"
        f"{style.margin_h},{style.margin_h},{style.margin_v},1"
    )


@dataclass
class _Event:
    cue: Cue
    lines: list[str]
    style: StyleSpec
    layer: int
    margin_v: int = 0

    @property
    def is_top(self) -> bool:
        return self.cue.is_top

    @property
    def is_bottom(self) -> bool:
        return self.cue.alignment in (None, 1, 2, 3)


def _overlaps(a: Cue, b: Cue) -> bool:
    return a.start < b.end and b.start < a.end


def _events(track: Track, style: StyleSpec, layer: int, max_width: int) -> list[_Event]:
    return [
        _Event(cue, wrap_cue(cue, style.em, max_width), style, layer, style.margin_v)
        for cue in track.cues
        if cue.end > cue.start and any(strip_tags(line).strip() for line in cue.lines)
    ]


def _lift(events: list[_Event], under: list[_Event], position: str, gap: int) -> None:
    """Raise (bottom) or lower (top) each event clear of the ``under`` events shown with it."""
    for event in events:
        if getattr(event, position) is False:
            continue
        heights = [
            len(other.lines) * other.style.line_pitch
            for other in under
            if getattr(other, position) and _overlaps(event.cue, other.cue)
        ]
        if heights:
            event.margin_v = event.style.margin_v + max(heights) + gap


def build_script(layout: Layout, primary: Track, secondary: Track | None = None, title: str = "") -> str:
    """The full ASS script for one or two tracks."""
    max_width = layout.text_width
    first = _events(primary, layout.primary, 1, max_width)
    second: list[_Event] = []
    if secondary is not None and layout.secondary is not None:
        second = _events(secondary, layout.secondary, 0, max_width)
        gap = math.ceil(layout.primary.size * GAP)
        # Bottom: the first language sits above the second one.
        _lift(first, second, "is_bottom", gap)
        # Top-aligned cues (signs, speakers at the bottom of the frame): the first
        # language stays on top, the second moves below it.
        _lift(second, first, "is_top", gap)
    styles = [layout.primary] + ([layout.secondary] if layout.secondary else [])
    out = [
        "[Script Info]",
        f"Title: {title or 'screenkit burn'}",
        "ScriptType: v4.00+",
        f"PlayResX: {layout.width}",
        f"PlayResY: {layout.height}",
        "WrapStyle: 2",
        *(
            # Anamorphic video (SAR != 1, e.g. 720x576 at 64/45): libass >= 0.17 draws
            # glyphs for the display size, so they are not stretched when played.
            [f"LayoutResX: {round(layout.width * layout.pixel_aspect)}", f"LayoutResY: {layout.height}"]
            if layout.pixel_aspect != 1
            else []
        ),
        "ScaledBorderAndShadow: yes",
        "YCbCr Matrix: None",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        *(_style_line(style) for style in styles),
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    for event in sorted(first + second, key=lambda e: (e.cue.start, e.layer)):
        alignment = event.cue.alignment if event.cue.alignment not in (None, 2) else None
        lines = [event.style.mark_faces(_LITERAL_BRACE.sub(r"\\{", line)) for line in event.lines]
        text = canonical_to_ass(lines, alignment).replace("\n", "\\N")
        out.append(
            f"Dialogue: {event.layer},{ass_time(event.cue.start)},{ass_time(event.cue.end)},"
            f"{event.style.name},,0,0,{event.margin_v},,{text}"
        )
    return "\n".join(out) + "\n"
