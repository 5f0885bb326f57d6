"""DCP subtitle events: a Track laid out on the screen, and back.

Both cinema standards place each line on its own (``<Text>`` with a vertical
alignment and a position in percent of the screen height), so the writer
turns a cue's lines into positioned lines and the reader sorts positioned
lines back into a cue, top to bottom. Bilingual subtitles (one language
block above another) are two sets of events with different base positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.subtitles.model import TOP_ALIGNMENTS, Cue, Track

# Size 42 is the CineCanvas default; one point is 1/72 inch on an 11-inch-high
# screen (792 points, as libdcp reckons), so a 42-point line with 25 % leading
# takes 42 * 1.25 / 792 = 6.6 % of the height.
FONT_SIZE = 42
LINE_STEP = 6.6
# The lowest (bottom) or highest (top) line sits 8 % from the screen edge:
# VPosition 0 with VAlign top/bottom is off-screen on some servers (libdcp notes).
EDGE = 8.0
SIDE = 10.0  # HPosition for left/right aligned cues


@dataclass(frozen=True)
class PlacedLine:
    text: str  # canonical markup (model.py), one line
    valign: str  # "top" | "center" | "bottom"
    vposition: float  # percent
    halign: str = "center"  # "left" | "center" | "right"
    hposition: float = 0.0

    @property
    def screen_y(self) -> float:
        """Distance from the top of the screen in percent (for ordering lines)."""
        if self.valign == "top":
            return self.vposition
        if self.valign == "bottom":
            return 100.0 - self.vposition
        return 50.0 + self.vposition


@dataclass
class DcpEvent:
    start: int  # ms
    end: int  # ms
    lines: list[PlacedLine] = field(default_factory=list)
    fade_in: int = 0  # ms
    fade_out: int = 0  # ms
    image: str | None = None  # PNG file name (Interop image subtitles)
    source_line: int | None = None


def _halign(alignment: int | None) -> tuple[str, float]:
    if alignment in (1, 4, 7):
        return "left", SIDE
    if alignment in (3, 6, 9):
        return "right", SIDE
    return "center", 0.0


def _round(value: float) -> float:
    return round(value, 2)


def place_cue(
    cue: Cue, *, base: float = EDGE, top_base: float = EDGE, step: float = LINE_STEP
) -> list[PlacedLine]:
    """A cue's lines with positions: top cues hang from ``top_base``, others stand on ``base``."""
    lines = [line for line in cue.lines] or [""]
    halign, hposition = _halign(cue.alignment)
    count = len(lines)
    # A cue taller than the screen (a 15-line sign in an ASS file) is squeezed onto it.
    room = 100.0 - 2 * EDGE - max(base, top_base) + EDGE
    if count > 1:
        step = min(step, room / (count - 1))
    placed: list[PlacedLine] = []
    for index, text in enumerate(lines):
        if cue.alignment in TOP_ALIGNMENTS:
            valign, vposition = "top", top_base + index * step
        elif cue.alignment in (4, 5, 6):
            valign, vposition = "center", (index - (count - 1) / 2) * step
        else:
            valign, vposition = "bottom", base + (count - 1 - index) * step
        placed.append(PlacedLine(text, valign, _round(vposition), halign, hposition))
    return placed


def events_from_track(
    track: Track, *, base: float = EDGE, top_base: float = EDGE, fade: int = 0
) -> list[DcpEvent]:
    return [
        DcpEvent(
            cue.start,
            cue.end,
            place_cue(cue, base=base, top_base=top_base),
            fade,
            fade,
            source_line=cue.source_line,
        )
        for cue in sorted(track.cues, key=lambda c: (c.start, c.end))
    ]


def bilingual_events(upper: Track, lower: Track, *, fade: int = 0) -> list[DcpEvent]:
    """``upper`` (e.g. Chinese) above ``lower`` (e.g. French), never overlapping.

    The upper block stands on a fixed line above the tallest lower cue (at
    most three lines are allowed), so it never jumps and never touches it.
    Top-positioned cues of either track keep their place at the top.
    """
    lower_lines = max((len(c.lines) for c in lower.cues if not c.is_top), default=1)
    upper_top_lines = max((len(c.lines) for c in upper.cues if c.is_top), default=1)
    upper_base = EDGE + max(lower_lines, 1) * LINE_STEP + LINE_STEP / 2
    lower_top = EDGE + max(upper_top_lines, 1) * LINE_STEP + LINE_STEP / 2
    events = events_from_track(lower, top_base=lower_top, fade=fade)
    events += events_from_track(upper, base=upper_base, fade=fade)
    events.sort(key=lambda e: (e.start, e.end, -min(line.screen_y for line in e.lines)))
    return events


def alignment_of(lines: list[PlacedLine]) -> int | None:
    """The ASS numpad alignment the positioned lines stand for (None = bottom centre)."""
    if not lines:
        return None
    valign = lines[0].valign
    halign = lines[0].halign
    row = {"bottom": 0, "center": 3, "top": 6}.get(valign, 0)  # the schema check reports odd values
    column = {"left": 1, "center": 2, "right": 3}.get(halign, 2)
    alignment = row + column
    return None if alignment == 2 else alignment


def track_from_events(events: list[DcpEvent]) -> list[Cue]:
    cues: list[Cue] = []
    for event in events:
        ordered = sorted(event.lines, key=lambda line: line.screen_y)
        # The block a cue stands in (its lowest line's position) is its lane:
        # the two languages of a bilingual file are on screen together by design.
        anchor = min(ordered, key=lambda line: line.vposition) if ordered else None
        lane = f"{anchor.valign}@{anchor.vposition:g}" if anchor else None
        cues.append(
            Cue(
                event.start,
                event.end,
                [line.text for line in ordered] or [""],
                alignment=alignment_of(ordered),
                source_line=event.source_line,
                style=lane,
                image=event.image,
            )
        )
    return cues
