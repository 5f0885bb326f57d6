"""Choosing a font that really has the glyphs of the text being burned.

Order: ``--font FILE``; else a system font that fontconfig lists for the
language (``fc-list :lang=zh-cn``); else the packaged Noto Sans CJK (PyPI
``cvttf-notosanscjk-regular``, OFL; its Pan-CJK glyph set covers Simplified
and Traditional Chinese and Latin: ffmpeg-notes.md). Without a CJK font
libass draws boxes ("failed to find any fallback with glyph").

The ASS script names the font by family; the font file itself is handed to
libass through ``fontsdir=`` so no fontconfig set-up is needed.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.languages import ZH_HANT_HK, Language


@dataclass(frozen=True)
class FontChoice:
    family: str  # the name the ASS style uses
    file: Path
    source: str  # "--font", "fontconfig", "packaged"

    def describe(self) -> str:
        return f"{self.family} ({self.file.name}, {self.source})"


FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def font_family(path: Path, index: int = 0) -> str:
    """The family name (name ID 1) in a TrueType/OpenType file's 'name' table (face ``index`` of a collection)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ScreenkitError(f"cannot read font: {error.strerror}", path=path) from None
    try:
        offset = 0
        if data[:4] == b"ttcf":
            (faces,) = struct.unpack(">I", data[8:12])
            index = index if 0 <= index < faces else 0
            offset = struct.unpack(">I", data[12 + 4 * index : 16 + 4 * index])[0]
        family = _family_from_sfnt(data, offset)
    except (struct.error, IndexError, UnicodeDecodeError):
        family = None
    if not family:
        raise ScreenkitError("not a TrueType/OpenType font (no family name found)", path=path)
    return family


def _family_from_sfnt(data: bytes, offset: int) -> str | None:
    (num_tables,) = struct.unpack(">H", data[offset + 4 : offset + 6])
    for table in range(num_tables):
        record = offset + 12 + 16 * table
        tag = data[record : record + 4]
        if tag != b"name":
            continue
        (table_offset,) = struct.unpack(">I", data[record + 8 : record + 12])
        _, count, strings = struct.unpack(">HHH", data[table_offset : table_offset + 6])
        names: dict[int, str] = {}
        for index in range(count):
            entry = table_offset + 6 + 12 * index
            platform, encoding, language, name_id, length, start = struct.unpack(
                ">HHHHHH", data[entry : entry + 12]
            )
            if name_id not in (1, 16):
                continue
            raw = data[table_offset + strings + start : table_offset + strings + start + length]
            if platform == 3 or platform == 0:  # Windows / Unicode: UTF-16BE
                # Prefer the English (US) record, as libass matches on it.
                if platform == 3 and language != 0x409 and name_id in names:
                    continue
                names[name_id] = raw.decode("utf-16-be")
            elif platform == 1 and encoding == 0 and name_id not in names:
                names[name_id] = raw.decode("latin-1")
        # libass matches memory fonts (fontsdir=) on the legacy family (1), full
        # name and PostScript name, not on the typographic family (16): the
        # packaged Noto file's family 1 is "Noto Sans CJK TC Regular".
        return names.get(1) or names.get(16)
    return None


def packaged_cjk_font() -> Path | None:
    try:
        import cvttf_NotoSansCJK_Regular as package
    except ImportError:
        return None
    folder = Path(package.__file__).parent
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    return found[0] if found else None


def _fontconfig_lang(language: Language | None, text: str) -> str:
    if language is not None and language.is_cjk:
        if language.script == "Hant":
            return "zh-hk" if language == ZH_HANT_HK else "zh-tw"
        return "zh-cn"
    if _has_cjk(text):
        return "zh-cn"
    if language is not None:
        return language.tag.split("-")[0].lower()
    return "en"


def _has_cjk(text: str) -> bool:
    return any(
        "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"
        for ch in text
    )


@lru_cache(maxsize=32)
def _fontconfig_font(lang: str) -> tuple[str, str] | None:
    """(family, file) of the system font fontconfig prefers for sans-serif text in
    ``lang``, if it really covers the language; None without fontconfig or such a font."""
    fc_match = shutil.which("fc-match")
    fc_list = shutil.which("fc-list")
    if fc_list is None or fc_match is None:
        return None
    try:
        # fc-list: which font files cover the language at all (fc-match always
        # answers something, DejaVu for Chinese included)...
        listing = subprocess.run(
            [fc_list, f":lang={lang}", "--format", "%{file}\n"],
            capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL,
        ).stdout
        # ...and fc-match: which face the system prefers (a .ttc holds SC, TC, JP... faces).
        preferred = subprocess.run(
            [fc_match, f"sans-serif:lang={lang}", "--format", "%{file}\t%{index}"],
            capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    covering = {line.strip() for line in listing.splitlines() if line.strip()}
    file, _, index = preferred.partition("\t")
    if not file or file not in covering or Path(file).suffix.lower() not in FONT_SUFFIXES:
        return None
    try:
        # The family libass matches (name ID 1 of that very face), not fontconfig's list.
        return font_family(Path(file), int(index or 0)), file
    except (ScreenkitError, ValueError):
        return None


def choose_font(
    language: Language | None, text: str, explicit: str | os.PathLike[str] | None = None
) -> FontChoice:
    """The font for one track: explicit, else fontconfig for the script, else packaged."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ScreenkitError("no such font file", path=path)
        return FontChoice(font_family(path), path.resolve(), "--font")
    found = _fontconfig_font(_fontconfig_lang(language, text))
    if found is not None:
        family, file = found
        return FontChoice(family, Path(file), "fontconfig")
    packaged = packaged_cjk_font()
    if packaged is None:
        raise ScreenkitError(
            "no font found for this text: install fonts-noto-cjk (or any font fontconfig lists "
            "for the language), reinstall the 'cvttf-notosanscjk-regular' package, or pass --font FILE"
        )
    return FontChoice(font_family(packaged), packaged, "packaged")
