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


def used_characters(texts: list[str]) -> frozenset[str]:
    """What the font must draw: every character but line breaks and controls."""
    return frozenset(ch for text in texts for ch in text if ch.isprintable() or ch == "\u3000") | _ALWAYS


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
        font = TTFont(source, fontNumber=0, lazy=False)
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
    buffer = io.BytesIO()
    font.save(buffer)
    family = font["name"].getDebugName(1) or source.stem
    suffix = ".otf" if "CFF " in font or "CFF2" in font else ".ttf"
    return SubsetFont(buffer.getvalue(), source, family, suffix, have, characters - have)
