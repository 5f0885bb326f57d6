"""Language tags: BCP 47 on the outside, the codes each tool wants inside.

screenkit accepts ``zh-Hans``, ``zh-Hant`` (with the regions ``zh-Hant-TW``
and ``zh-Hant-HK``), ``en`` and ``fr`` (``zh`` means ``zh-Hans``;
case-insensitive; ``_`` accepted for ``-``) and maps them to argos codes, ISO
639-2/T (MP4), ISO 639-2/B (Matroska) and display names in the language
itself. The regions share the script's argos model (``zt``) and ISO codes;
they differ in vocabulary and punctuation (chinese-notes.md), which script
conversion and the QC profiles know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ScreenkitError


@dataclass(frozen=True)
class Language:
    tag: str  # canonical BCP 47 tag
    argos: str  # argostranslate code
    iso639_2t: str  # MP4 / ISO base media
    iso639_2b: str  # Matroska legacy language element
    native_name: str
    english_name: str
    is_cjk: bool
    parent: str | None = None  # zh-Hant-TW → zh-Hant: settings not given for the region come from it

    def __str__(self) -> str:
        return self.tag

    @property
    def script(self) -> str | None:
        """``Hans`` or ``Hant`` for Chinese, None otherwise."""
        parts = self.tag.split("-")
        return parts[1] if parts[0] == "zh" and len(parts) > 1 else None

    @property
    def lineage(self) -> tuple[str, ...]:
        """The tags whose settings apply, most general first: (zh-Hant, zh-Hant-TW)."""
        return (self.parent, self.tag) if self.parent else (self.tag,)


ZH_HANS = Language("zh-Hans", "zh", "zho", "chi", "中文（简体）", "Chinese (Simplified)", True)
ZH_HANT = Language("zh-Hant", "zt", "zho", "chi", "中文（繁體）", "Chinese (Traditional)", True)
ZH_HANT_TW = Language("zh-Hant-TW", "zt", "zho", "chi", "中文（台灣）", "Chinese (Traditional, Taiwan)", True, "zh-Hant")
ZH_HANT_HK = Language("zh-Hant-HK", "zt", "zho", "chi", "中文（香港）", "Chinese (Traditional, Hong Kong)", True, "zh-Hant")
EN = Language("en", "en", "eng", "eng", "English", "English", False)
FR = Language("fr", "fr", "fra", "fre", "Français", "French", False)

LANGUAGES: tuple[Language, ...] = (ZH_HANS, ZH_HANT, ZH_HANT_TW, ZH_HANT_HK, EN, FR)

_ALIASES: dict[str, Language] = {
    "zh-hans": ZH_HANS,
    "zh": ZH_HANS,
    "zh-cn": ZH_HANS,
    "zh-sg": ZH_HANS,
    "zh-hans-cn": ZH_HANS,
    "chs": ZH_HANS,
    "zho": ZH_HANS,
    "chi": ZH_HANS,
    "zh-hant": ZH_HANT,
    "zh-tw": ZH_HANT_TW,
    "zh-hant-tw": ZH_HANT_TW,
    "zh-hk": ZH_HANT_HK,
    "zh-hant-hk": ZH_HANT_HK,
    "cht": ZH_HANT,
    "zt": ZH_HANT,
    "en": EN,
    "eng": EN,
    "en-us": EN,
    "en-gb": EN,
    "fr": FR,
    "fra": FR,
    "fre": FR,
    "fr-fr": FR,
}

# Tags accepted by the CLI and the schemas (the aliases above are also read
# from file names, where real deliveries use them).
TAGS: tuple[str, ...] = tuple(language.tag for language in LANGUAGES)


def lookup(tag: str) -> Language | None:
    """The language for a tag or alias, or None."""
    return _ALIASES.get(tag.strip().replace("_", "-").lower())


def parse_language(tag: str) -> Language:
    """The language for a tag; a ScreenkitError naming the accepted tags otherwise."""
    language = lookup(tag)
    if language is None:
        accepted = ", ".join(TAGS)
        raise ScreenkitError(f"unknown language {tag!r} (use one of {accepted}; zh means zh-Hans)")
    return language


def parse_language_list(value: str) -> list[Language]:
    """``en,fr`` → [EN, FR], without duplicates, order kept."""
    result: list[Language] = []
    for part in value.split(","):
        if part.strip():
            language = parse_language(part)
            if language not in result:
                result.append(language)
    if not result:
        raise ScreenkitError("no language given")
    return result


def from_argos(code: str) -> Language | None:
    """The language of an argos code (``zt`` is zh-Hant, not one of its regions)."""
    return next((language for language in LANGUAGES if language.argos == code), None)


_NAME_PART = re.compile(r"[.\-_ ]")


def lookup_bilingual(tag: str) -> tuple[Language, Language] | None:
    """``zh-Hant-TW+en`` → (ZH_HANT_TW, EN): a Chinese line over an English or French one; None
    for anything else (one language, an unknown part, two Chinese or two Latin languages)."""
    if "+" not in tag:
        return None
    first, _, second = tag.partition("+")
    primary, secondary = lookup(first), lookup(second)
    if primary is None or secondary is None or not primary.is_cjk or secondary.is_cjk:
        return None
    return primary, secondary


def parse_bilingual(tag: str) -> tuple[Language, Language | None]:
    """A ``--lang`` value: one tag (``zh-Hans``) or a bilingual pair (``zh-Hant-TW+en``)."""
    if "+" not in tag:
        return parse_language(tag), None
    pair = lookup_bilingual(tag)
    if pair is None:
        first, _, second = tag.partition("+")
        parse_language(first)
        parse_language(second)  # an unknown part is named by its own message
        raise ScreenkitError(
            f"bilingual language {tag!r}: a Chinese tag, +, then en or fr (zh-Hans+en, zh-Hant-TW+fr)"
        )
    return pair


def languages_from_filename(path: str | Path) -> tuple[Language, Language | None] | None:
    """``film.zh-Hans+en.srt`` → (ZH_HANS, EN), ``film.fr.srt`` → (FR, None); None when the name says nothing."""
    name = Path(path).name
    parts = name.split(".")
    # Only the parts between the stem and the extension name a language.
    for part in reversed(parts[1:-1]):
        pair = lookup_bilingual(part)
        if pair is not None:
            return pair
        language = lookup(part)
        if language is not None:
            return language, None
    return None


def language_from_filename(path: str | Path) -> Language | None:
    """``film.fr.srt`` → FR, ``film.zh-Hans.srt`` → ZH_HANS (``film.zh-Hans+en.srt`` → ZH_HANS, its
    first language); None when the name says nothing."""
    found = languages_from_filename(path)
    return found[0] if found else None
