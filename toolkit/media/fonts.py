"""Choosing the face each script is burned in, the same on every machine.

Chinese has two written standards whose glyphs differ (the full-width comma
sits bottom-left in Simplified, centred in Traditional; 骨, 说, 起 are drawn
differently), so each track gets the face made for its script:

- zh-Hans: ``Noto Sans CJK SC``; zh-Hant, zh-Hant-TW: ``Noto Sans CJK TC``;
  zh-Hant-HK: ``Noto Sans CJK HK``; Latin-script
  languages: the Latin glyphs of ``Noto Sans CJK SC`` (the same in every face
  of the collection), so both lines of a bilingual copy share one design.

Order: ``--font FILE`` (for a collection, the face for the script when it
has one); else that face from the ``noto-cjk-sans-otc`` package (PyPI, OFL:
the Noto Sans CJK Regular collection, faces chosen by name); else, only
when that package is missing, a system font that fontconfig finds *and that
really is that face* (its name table says so). The packaged file comes
first even where a system copy exists: the system's may be another version,
and a package must be bit-identical wherever it is built. Each packaged face is
copied out of the collection into a font file of its own (cached). libass gets the
chosen files through ``fontsdir=`` and no system fonts at all (burn.py), so
nothing installed on the machine can change a burned copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.languages import ZH_HANT_HK, Language

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
PACKAGE = "noto-cjk-sans-otc"
SIMPLIFIED_FACE = "Noto Sans CJK SC"
TRADITIONAL_FACE = "Noto Sans CJK TC"
HONG_KONG_FACE = "Noto Sans CJK HK"  # Traditional as written in Hong Kong
# Reference glyphs for a face's visual height: an ideograph's ink, a capital's height.
_IDEOGRAPH, _CAPITAL = "国", "H"


@dataclass(frozen=True)
class FontMetrics:
    """What the layout needs to size a face by what the eye sees (all in ems)."""

    cell: float  # (usWinAscent + usWinDescent) / unitsPerEm: libass maps Fontsize onto this
    cap_height: float  # ink height of "H"
    ideograph_height: float | None  # ink height of "国"; None when the face has no ideographs


@dataclass(frozen=True)
class FontChoice:
    family: str  # the face's family name (name ID 1): what the ASS style names, what libass matches
    file: Path
    source: str  # "--font", "noto-cjk-sans-otc" or "fontconfig"
    index: int = 0  # the face's number inside a collection (.ttc/.otc)

    def describe(self) -> str:
        return f"{self.family} ({self.file.name}, {self.source})"

    @property
    def metrics(self) -> FontMetrics:
        return font_metrics(self.file, self.index)


def wanted_face(language: Language | None) -> str:
    """The face name for a track: TC for Traditional Chinese (HK for zh-Hant-HK), SC otherwise."""
    if language is not None and language.script == "Hant":
        return HONG_KONG_FACE if language == ZH_HANT_HK else TRADITIONAL_FACE
    return SIMPLIFIED_FACE


# ------------------------------------------------------------ reading font files


def _open_face(path: Path, index: int):  # -> fontTools.ttLib.TTFont
    from fontTools.ttLib import TTFont, TTLibError

    try:
        if path.suffix.lower() in (".ttc", ".otc") or _is_collection(path):
            return TTFont(os.fspath(path), fontNumber=index, lazy=True)
        return TTFont(os.fspath(path), lazy=True)
    except (TTLibError, OSError, AssertionError, KeyError, ValueError) as error:
        reason = getattr(error, "strerror", None) or "not a TrueType/OpenType font"
        raise ScreenkitError(f"cannot read font: {reason}", path=path) from None


def _is_collection(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"ttcf"
    except OSError as error:
        raise ScreenkitError(f"cannot read font: {error.strerror}", path=path) from None


@lru_cache(maxsize=32)
def face_names(path: Path) -> tuple[str, ...]:
    """The family name (name ID 1) of each face of ``path``: one for a plain font file."""
    from fontTools.ttLib import TTLibError
    from fontTools.ttLib.ttCollection import TTCollection

    if not _is_collection(path):
        return (_family(_open_face(path, 0), path),)
    try:
        collection = TTCollection(os.fspath(path), lazy=True)
    except (TTLibError, OSError, AssertionError, ValueError):
        raise ScreenkitError("cannot read font: not a TrueType/OpenType collection", path=path) from None
    return tuple(_family(face, path) for face in collection.fonts)


def _family(face, path: Path) -> str:  # face: fontTools.ttLib.TTFont
    try:
        name = face["name"]
    except (KeyError, AssertionError, ValueError):
        name = None
    # libass matches memory fonts (fontsdir=) on the legacy family (1), full
    # name and PostScript name, not on the typographic family (16).
    family = name.getDebugName(1) if name is not None else None
    if not family:
        raise ScreenkitError("not a TrueType/OpenType font (no family name found)", path=path)
    return family


def font_family(path: Path, index: int = 0) -> str:
    """The family name (name ID 1) of face ``index`` of a font file."""
    names = face_names(path)
    return names[index if 0 <= index < len(names) else 0]


@lru_cache(maxsize=32)
def font_metrics(path: Path, index: int = 0) -> FontMetrics:
    from fontTools.pens.boundsPen import BoundsPen

    face = _open_face(path, index)
    units = face["head"].unitsPerEm
    os2 = face["OS/2"]
    cell = (os2.usWinAscent + os2.usWinDescent) / units
    glyphs, cmap = face.getGlyphSet(), face.getBestCmap() or {}

    def ink_height(ch: str) -> float | None:
        name = cmap.get(ord(ch))
        if name is None:
            return None
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        return (pen.bounds[3] - pen.bounds[1]) / units if pen.bounds else None

    return FontMetrics(cell, ink_height(_CAPITAL) or 0.7, ink_height(_IDEOGRAPH))


# ------------------------------------------------------------ where faces come from


def packaged_collection() -> Path | None:
    """The Noto Sans CJK collection of the ``noto-cjk-sans-otc`` package; None without it."""
    try:
        import noto_cjk_sans_otc as package
    except ImportError:
        return None
    path = Path(os.fspath(package.FONT_PATH))
    return path if path.is_file() else None


def packaged_face(face: str | Language | None) -> FontChoice | None:
    """A face of the packaged collection (by name, or the one for a language) as a file of its own.

    The face is copied out of the collection once, table by table without
    decoding (deterministic bytes, about half a second), into the user's cache:
    every consumer (libass, DCP font subsetting, Pillow) can then open it as a
    plain font file.
    """
    name = face if isinstance(face, str) else wanted_face(face)
    collection = packaged_collection()
    if collection is None:
        return None
    names = face_names(collection)
    if name not in names:
        return None
    return FontChoice(name, _face_file(collection, names.index(name)), PACKAGE, 0)


@lru_cache(maxsize=16)
def _face_file(collection: Path, index: int) -> Path:
    from fontTools.ttLib import TTFont

    from toolkit.fsutil import SymlinkRefused, atomic_path, check_confined

    stat = collection.stat()
    name = f"{collection.stem}-{index}-{stat.st_size}.otf"
    for folder in _cache_folders():
        target = folder / name
        # The folder's parent is the root: no planted link in it is followed, read or written.
        try:
            if check_confined(target, root=folder.parent, create=False):
                return target
            with atomic_path(target, root=folder.parent) as temporary:
                face = TTFont(os.fspath(collection), fontNumber=index, lazy=True,
                              recalcTimestamp=False, recalcBBoxes=False)
                face.save(os.fspath(temporary))
            return target
        except SymlinkRefused:
            raise
        except (ScreenkitError, OSError):
            continue  # an unwritable cache: the next folder
    raise ScreenkitError("cannot write the font cache (tried $XDG_CACHE_HOME and the temporary folder)")


def _cache_folders() -> list[Path]:
    import tempfile

    from toolkit.fsutil import cache_dir

    return [cache_dir() / "fonts", Path(tempfile.gettempdir()) / f"screenkit-fonts-{os.getuid()}"]


def packaged_cjk_font() -> Path | None:
    """The packaged Simplified Chinese face as a file (the report subsets it for its Chinese text)."""
    face = packaged_face(SIMPLIFIED_FACE)
    return face.file if face is not None else None


@lru_cache(maxsize=32)
def _fontconfig_face(face: str) -> FontChoice | None:
    """A system font that really is ``face``: fontconfig's match, checked by its name table."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(
            [fc_match, face, "--format", "%{file}\t%{index}"],
            capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, index = found.partition("\t")
    path = Path(file)
    if not file or path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
        return None
    try:
        number = int(index or 0)
        # fc-match always answers something (DejaVu for an unknown name): only the face itself will do.
        return FontChoice(face, path, "fontconfig", number) if font_family(path, number) == face else None
    except (ScreenkitError, ValueError):
        return None


def _explicit(path: Path, face: str) -> FontChoice:
    from toolkit.fsutil import require_regular_file

    require_regular_file(path, kind="font file", missing="no such font file")  # a FIFO would block
    names = face_names(path)
    index = names.index(face) if face in names else 0
    return FontChoice(names[index], path.resolve(), "--font", index)


def choose_font(
    language: Language | None, text: str, explicit: str | os.PathLike[str] | None = None
) -> FontChoice:
    """The face for one track: ``explicit``, else the packaged face for its script, else a system copy of it."""
    face = wanted_face(language)
    if explicit is not None:
        return _explicit(Path(explicit), face)
    chosen = packaged_face(face) or _fontconfig_face(face)
    if chosen is None:
        raise ScreenkitError(
            f"no font for this text: the {PACKAGE} package (which has {face}) is not installed "
            f"and no system font is {face}; reinstall screenkit, install fonts-noto-cjk, or pass --font FILE"
        )
    return chosen
