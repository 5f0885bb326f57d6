"""Which face draws which script: the face names, their metrics, and the runs of a line.

Latin-script text (fr, en) is drawn in Noto Sans, Han in the Noto Sans CJK face
of the track's script (SC, TC, HK); a line mixing them switches face per run.
This is pure text work (no font file is opened), shared by the ASS writer's
screening style (toolkit/subtitles/ass.py), the burn and DCP writers
(toolkit/media, toolkit/dcp) and doctor; toolkit/media/fonts.py finds the files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from toolkit.languages import ZH_HANT_HK, Language
from toolkit.text.markup import SCRIPT_FACES, TAG
from toolkit.text.widths import is_wide

_OUR_SWITCH = re.compile(r"\{\\fn([^\\}]*)\}")
LATIN_FACE = "Noto Sans"
SIMPLIFIED_FACE = "Noto Sans CJK SC"
TRADITIONAL_FACE = "Noto Sans CJK TC"
HONG_KONG_FACE = "Noto Sans CJK HK"  # Traditional as written in Hong Kong


@dataclass(frozen=True)
class FontMetrics:
    """What the layout needs to size a face by what the eye sees (all in ems)."""

    cell: float  # (usWinAscent + usWinDescent) / unitsPerEm: libass maps Fontsize onto this
    cap_height: float  # ink height of "H"
    ideograph_height: float | None  # ink height of "国"; None when the face has no ideographs


def wanted_face(language: Language | None) -> str:
    """The CJK face for a track's Han text: TC for Traditional Chinese (HK for zh-Hant-HK), SC otherwise."""
    if language is not None and language.script == "Hant":
        return HONG_KONG_FACE if language == ZH_HANT_HK else TRADITIONAL_FACE
    return SIMPLIFIED_FACE


def is_cjk_language(language: Language | None) -> bool:
    return bool(language is not None and language.is_cjk)


def primary_face(language: Language | None) -> str:
    """The face a track's style names: its CJK face for Chinese, Noto Sans for Latin-script languages."""
    return wanted_face(language) if is_cjk_language(language) else LATIN_FACE


# ------------------------------------------------------------ which script each character is in


def _script(ch: str) -> bool | None:
    """True: drawn in the CJK face; False: in the Latin face; None: either (takes its neighbours').

    Full-width characters (ideographs, kana, CJK punctuation, U+3000) are CJK;
    letters and marks of other scripts are Latin; spaces, digits and punctuation
    (’ “ ” « » included) go with the text around them.
    """
    if is_wide(ch):
        return True
    category = unicodedata.category(ch)
    if category[0] in "LM":
        return False
    return None


def script_runs(text: str, cjk_track: bool) -> list[tuple[str, bool]]:
    """``text`` cut into (run, in the CJK face) pieces; tags (``<i>``, ``{\\i1}``) stay in their run.

    Characters of neither script take the face of the text on both sides of
    them when it is the same; between the two scripts, at the ends of a line
    and in a line of neither, the track's own (CJK for a Chinese track).
    """
    pieces: list[tuple[str, bool | None]] = []  # (text, script) with tags as script None
    position = 0
    for match in TAG.finditer(text):
        pieces.extend((ch, _script(ch)) for ch in text[position : match.start()])
        pieces.append((match.group(0), None))
        position = match.end()
    pieces.extend((ch, _script(ch)) for ch in text[position:])
    scripts = [script for _, script in pieces]
    resolved: list[bool] = []
    index = 0
    while index < len(pieces):
        if scripts[index] is not None:
            resolved.append(bool(scripts[index]))
            index += 1
            continue
        end = index
        while end < len(pieces) and scripts[end] is None:
            end += 1
        before = resolved[-1] if resolved else None
        after = scripts[end] if end < len(pieces) else None
        # Inside a run of the other script (花样 年华), that script's face; between the two
        # scripts (« 花样年华 », 他说“Paris”) and at either end of the line, the track's own face
        # (a French "\u202f!" after a Chinese title stays in the face that has U+202F).
        stretch = before if before is not None and before == after else cjk_track
        resolved.extend([stretch] * (end - index))
        index = end
    runs: list[tuple[str, bool]] = []
    for (piece, _), current in zip(pieces, resolved, strict=True):
        if runs and runs[-1][1] == current:
            runs[-1] = (runs[-1][0] + piece, current)
        else:
            runs.append((piece, current))
    return runs


def needs_both(texts: list[str], cjk_track: bool) -> bool:
    """Whether some line has text of the other script than the track's (so two faces are used)."""
    return any(cjk != cjk_track for text in texts for _, cjk in script_runs(text, cjk_track))


def mark_faces(line: str, cjk_track: bool, latin: str, cjk: str) -> str:
    """A canonical line with ASS ``{\\fnFACE}`` switches around its runs in the other script's face.

    The line starts in the style's face (the track's own: ``cjk`` for a Chinese
    track, ``latin`` otherwise); a switch back names the style's face again.
    """
    if latin == cjk:
        return line
    # Switches an earlier write made (an ASS file read back) give way to the ones made now.
    line = _OUR_SWITCH.sub(lambda m: "" if m.group(1).strip() in SCRIPT_FACES else m.group(0), line)
    own = cjk if cjk_track else latin
    out: list[str] = []
    face = own
    for run, in_cjk in script_runs(line, cjk_track):
        wanted = cjk if in_cjk else latin
        if wanted != face:
            out.append(f"{{\\fn{wanted}}}")
            face = wanted
        out.append(run)
    return "".join(out)
