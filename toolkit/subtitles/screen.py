"""The screen a subtitle track is laid out for: sizes, margins and styles by the frame.

Sizes are relative to the frame height and set by what the eye sees; margins
stay inside the title-safe area. Used by the burn's ASS script
(toolkit/media/ass_script.py) and by the ASS writer's screening style
(toolkit/subtitles/ass.py), so a converted track looks in a player as it would
burned. Pure arithmetic over face metrics (toolkit/text/faces.py); no font file
is opened here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from toolkit.text.faces import FontMetrics

# EBU R 95 (2016) graphics/title-safe area: 90% of width and height, so 5%
# margins on each side; subtitles also keep clear of the frame's bottom edge.
SAFE_MARGIN = 0.05
# Sizes are visual heights, as a share of the frame height: the height of a
# capital for Latin script, of an ideograph's ink for Chinese, so a Chinese
# line and a French line of the same role look the same size (the same ASS
# Fontsize would make Noto CJK's ideographs smaller than DejaVu's capitals,
# each font fitting different metrics into the size). 0.034 is 37 px at
# 1080p, 24 px at 720p: what Fontsize 1/18 of the height (60 px at 1080p, the
# usual cinema/streaming size) gives a typical subtitle sans's capitals.
PRIMARY_VISUAL = 0.034
SECONDARY_SCALE = 0.8  # the second language is smaller, never larger
MIN_VISUAL_PX = 7  # a floor for tiny proxy files; screenings are 720p and up
LINE_HEIGHT = 1.2  # line pitch per font size, with margin for outline
GAP = 0.3  # gap between the two languages' blocks, in primary font sizes


@dataclass(frozen=True)
class TrackFace:
    """The chosen face's metrics, and whether the track is sized by its ideographs."""

    metrics: FontMetrics
    cjk: bool

    def font_size(self, visual_px: float) -> float:
        """The ASS Fontsize that draws this face's reference glyph ``visual_px`` high.

        libass maps Fontsize onto the face's usWinAscent + usWinDescent (as VSFilter does).
        """
        reference = self.metrics.ideograph_height if self.cjk and self.metrics.ideograph_height else None
        em = visual_px / (reference or self.metrics.cap_height)
        return round(em * self.metrics.cell, 1)


# Noto Sans CJK's metrics: the layout of scripts built without a font at hand.
DEFAULT_FACE = TrackFace(FontMetrics(cell=1.448, cap_height=0.733, ideograph_height=0.875), cjk=False)
# Noto Sans's (the Latin face): the same, for Latin-script tracks.
LATIN_FACE_METRICS = FontMetrics(cell=1.519, cap_height=0.714, ideograph_height=None)


@dataclass(frozen=True)
class StyleSpec:
    name: str
    family: str
    size: float  # ASS Fontsize
    outline: float
    shadow: float
    margin_h: int
    margin_v: int
    em: float  # the face's em in pixels: what text widths are estimated in
    # The faces of a line's runs (fonts.script_runs): ``{\fn}`` switches to the
    # other script's face; None: the style's face draws everything.
    latin_family: str | None = None
    cjk_family: str | None = None
    cjk: bool = False  # the track is Chinese: its style names the CJK face

    def mark_faces(self, line: str) -> str:
        if self.latin_family is None or self.cjk_family is None:
            return line
        from toolkit.text.faces import mark_faces

        return mark_faces(line, self.cjk, self.latin_family, self.cjk_family)

    @property
    def line_pitch(self) -> int:
        return math.ceil(self.size * LINE_HEIGHT + 2 * self.outline)


@dataclass(frozen=True)
class Layout:
    width: int  # stored pixels (PlayResX)
    height: int
    primary: StyleSpec
    secondary: StyleSpec | None
    pixel_aspect: Fraction = Fraction(1)  # the video's sample aspect ratio (SAR)

    @property
    def text_width(self) -> int:
        """Room for a line, in the units text widths are estimated in (display pixels):
        on anamorphic video libass draws glyphs 1/SAR as wide in stored pixels."""
        return math.floor((self.width - 2 * self.primary.margin_h) * self.pixel_aspect)


def make_layout(
    width: int,
    height: int,
    primary_family: str,
    secondary_family: str | None,
    pixel_aspect: Fraction | None = None,
    faces: Sequence[TrackFace] = (),
    scripts: Sequence[tuple[str, str]] = (),
) -> Layout:
    """Styles for one track (or two: ``faces`` in track order, DEFAULT_FACE where absent).

    ``scripts``: per track, the (Latin, CJK) face families its lines switch
    between (``{\\fn}``), when a line mixes the scripts.
    """
    primary_face = faces[0] if faces else DEFAULT_FACE
    secondary_face = faces[1] if len(faces) > 1 else DEFAULT_FACE
    visual = max(MIN_VISUAL_PX, height * PRIMARY_VISUAL)
    margin_h = math.ceil(width * SAFE_MARGIN)
    margin_v = math.ceil(height * SAFE_MARGIN)

    def style(name: str, family: str, face: TrackFace, visual_px: float, number: int) -> StyleSpec:
        font_size = face.font_size(visual_px)
        latin, cjk = scripts[number] if number < len(scripts) else (None, None)
        # Outline ~6% and shadow ~3% of the size: legible on white and on black.
        return StyleSpec(
            name, family, font_size, max(1.0, round(font_size * 0.06, 1)),
            max(0.5, round(font_size * 0.03, 1)), margin_h, margin_v, em=font_size / face.metrics.cell,
            latin_family=latin, cjk_family=cjk, cjk=face.cjk,
        )

    primary = style("Primary", primary_family, primary_face, visual, 0)
    secondary = None
    if secondary_family is not None:
        secondary = style("Secondary", secondary_family, secondary_face, visual * SECONDARY_SCALE, 1)
    aspect = pixel_aspect if pixel_aspect and pixel_aspect > 0 else Fraction(1)
    return Layout(width, height, primary, secondary, aspect)
