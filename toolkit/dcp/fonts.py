"""The font a DCP subtitle file carries: the right face for the script, subset to the text.

Interop servers take at most 640 KiB (655,360 bytes) of font
(dcp-subtitles.md: ClairMeta, libdcp), so the packaged Noto Sans CJK (16 MB)
is cut with fontTools to the characters the track uses: about 110 KB for
300 Chinese characters, about 1.2 MB for 3,000 (measured here, hints kept), which is
why a whole Chinese feature goes out as image subtitles in Interop (or as
SMPTE, which allows 10 MB).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.languages import Language

INTEROP_FONT_LIMIT = 655_360  # 640 KiB
SMPTE_FONT_LIMIT = 10 * 1024 * 1024  # Bv2.1: 10 MB of fonts
# Always kept, so a space and the ASCII digits never fall back to boxes.
_ALWAYS = frozenset(" 0123456789")


@dataclass(frozen=True)
class SubsetFont:
    data: bytes
    source: Path
    family: str
    suffix: str  # ".otf" (CFF outlines) or ".ttf"
    characters: frozenset[str]  # the characters asked for that the font has
    missing: frozenset[str]  # asked for, not in the font


def face_for(language: Language | None, explicit: str | Path | None = None) -> Path:
    """The font file for a language's subtitles: ``--font``, else the packaged face.

    The one place that picks the face: ``toolkit.media.fonts`` names it (SC for
    zh-Hans, TC for zh-Hant, HK for zh-Hant-HK, SC's Latin for the rest), as
    burned copies use it; each is a font file of its own.
    """
    if explicit is not None:
        path = Path(explicit)
        from toolkit.fsutil import require_regular_file

        require_regular_file(path, kind="font file", missing="no such font file")  # a FIFO would block
        return path
    from toolkit.media import fonts

    found = fonts.packaged_face(language)
    if found is None:
        raise ScreenkitError(
            f"no packaged font: reinstall the '{fonts.PACKAGE}' package or pass --font FILE"
        )
    return found.file


def is_drawn(ch: str) -> bool:
    """A character the font must have: every one but line breaks and controls, spaces of every kind
    included (U+0020, U+00A0 before French ``? ! : ;``, U+202F, U+3000: ``isprintable`` says no to
    all but the first). The one test for writing a subset and for linting one (DCP112)."""
    return ch.isprintable() or unicodedata.category(ch) == "Zs"


def drawn_characters(text: str) -> list[str]:
    """The characters of ``text`` a font must draw, in order."""
    return [ch for ch in text if is_drawn(ch)]


def used_characters(texts: list[str]) -> frozenset[str]:
    """What the font must draw: every character but line breaks and controls (and a space and the digits)."""
    return frozenset(ch for text in texts for ch in drawn_characters(text)) | _ALWAYS


def describe_character(ch: str) -> str:
    """``U+00A0 NO-BREAK SPACE``: a character named so that an invisible one can be seen."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


def subset_font(source: Path, characters: frozenset[str]) -> SubsetFont:
    """The face cut to ``characters`` (a 3,000-character cut takes seconds: kept per process)."""
    resolved = source.resolve()
    stat = resolved.stat()
    return _subset(resolved, stat.st_size, stat.st_mtime_ns, characters)


@lru_cache(maxsize=8)
def _subset(source: Path, _size: int, _mtime: int, characters: frozenset[str]) -> SubsetFont:
    from fontTools import subset
    from fontTools.ttLib import TTFont, TTLibError

    try:
        # recalcTimestamp=False: head.modified stays the source font's, not the build time,
        # so the same characters give the same bytes on every run (and the same SMPTE urn:uuid).
        font = TTFont(source, fontNumber=0, lazy=False, recalcTimestamp=False)
    except (TTLibError, OSError, AssertionError) as error:
        raise ScreenkitError(f"cannot read font: {error}", path=source) from None
    cmap = font.getBestCmap() or {}
    have = frozenset(ch for ch in characters if ord(ch) in cmap)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    # Hints kept: the subset must draw exactly like the full face.
    options.hinting = True
    options.layout_features = ["kern", "liga", "locl"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in have))
    subsetter.subset(font)
    if "fvar" in font:
        # A variable face (Noto Sans): the subset instanced at the default (Regular) into a
        # static font, what a cinema server takes; the head dates stay the source's.
        from fontTools.varLib import instancer

        axes = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
        instancer.instantiateVariableFont(font, axes, inplace=True)
    buffer = io.BytesIO()
    font.save(buffer)
    family = font["name"].getDebugName(1) or source.stem
    suffix = ".otf" if "CFF " in font or "CFF2" in font else ".ttf"
    return SubsetFont(buffer.getvalue(), source, family, suffix, have, characters - have)


def merged_font(subsets: list[SubsetFont]) -> SubsetFont:
    """One font file drawing what each of ``subsets`` draws: what SMPTE's single LoadFont needs.

    SMPTE (ST 429-2 8.4.1; ClairMeta checks it) takes exactly one font, so a file
    whose lines mix Latin text and Han loads one font made of both subsets: the
    CFF outlines (Noto Sans CJK) are converted to TrueType quadratics (cu2qu,
    within 1 unit of 1,000) and merged with fontTools; where two have a
    character, the first (the track's own face) draws it. head dates are the
    sources' (fontTools' merger would stamp the build time), so the bytes are the same every run.
    """
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    fonts = [_truetype(TTFont(io.BytesIO(subset.data), recalcTimestamp=False)) for subset in subsets]
    created = max(font["head"].created for font in fonts)
    modified = max(font["head"].modified for font in fonts)
    buffers = []
    for font in fonts:
        buffer = io.BytesIO()
        font.save(buffer)
        buffer.seek(0)
        buffers.append(buffer)
    import logging

    log = logging.getLogger("fontTools.merge")
    level = log.level
    log.setLevel(logging.ERROR)  # "Dropped mapping from codepoint ...": the first font's glyph is kept, as meant
    try:
        merged = Merger().merge(buffers)
    finally:
        log.setLevel(level)
    merged.recalcTimestamp = False
    merged["head"].created, merged["head"].modified = created, modified
    out = io.BytesIO()
    merged.save(out)
    characters = frozenset().union(*(subset.characters for subset in subsets))
    missing = frozenset().union(*(subset.missing for subset in subsets)) - characters
    return SubsetFont(out.getvalue(), subsets[0].source, subsets[0].family, ".ttf", characters, missing)


def _truetype(font):  # fontTools.ttLib.TTFont -> the same, with TrueType outlines
    """A CFF-flavoured font with its outlines converted to quadratic 'glyf' ones (fontTools' otf2ttf)."""
    if "glyf" in font:
        return font
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    # Vertical metrics and CFF-only tables: the Latin face has none to merge them with.
    for tag in ("CFF ", "CFF2", "VORG", "vhea", "vmtx", "BASE"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    for name in order:
        advance, _ = font["hmtx"][name]
        font["hmtx"][name] = (advance, getattr(glyf[name], "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font.sfntVersion = "\x00\x01\x00\x00"
    buffer = io.BytesIO()
    font.save(buffer)
    buffer.seek(0)
    from fontTools.ttLib import TTFont

    return TTFont(buffer, recalcTimestamp=False)
