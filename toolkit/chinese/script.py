"""Which Chinese script a text is written in, from OpenCC's own conversion tables.

A Han character that OpenCC's t2s changes is Traditional-only, one that s2t
changes is Simplified-only; characters both leave alone (我, 的) say nothing.
Converting the whole text (not character by character) lets OpenCC's phrase
tables settle the one-to-many characters in context: 干 is Simplified in
头发很干 but stays 干 in the Traditional 干涉, and counts for nothing there
(chinese-notes.md, "Detecting Simplified vs Traditional"). 34,000 characters
convert in about 2 ms, so this runs on whole tracks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.chinese.convert import HAN, converter
from toolkit.languages import Language

_HAN = re.compile(f"[{HAN}]")
_NOT_HAN = re.compile(f"[^{HAN}]+")
# Below this many telling characters a verdict is a guess (chinese-notes.md: "Decide only on
# enough evidence (e.g. ≥3 marked characters, clear majority)").
MIN_EVIDENCE = 3


def is_han(char: str) -> bool:
    return bool(_HAN.fullmatch(char))


@dataclass(frozen=True)
class ScriptCount:
    simplified: int  # characters only Simplified Chinese writes this way
    traditional: int  # characters only Traditional Chinese writes this way
    han: int  # Han characters looked at

    @property
    def script(self) -> str | None:
        """``Hans``, ``Hant``, or None when the evidence is too thin or split (a clear majority: 2 to 1)."""
        if max(self.simplified, self.traditional) < MIN_EVIDENCE:
            return None
        if self.simplified > 2 * self.traditional:
            return "Hans"
        if self.traditional > 2 * self.simplified:
            return "Hant"
        return None


def _changed(text: str, converted: str) -> int:
    """How many characters ``converted`` changed (positions, as s2t / t2s keep the length)."""
    if len(converted) == len(text):
        return sum(1 for a, b in zip(text, converted, strict=True) if a != b)
    # A phrase of another length: the characters of the text that the conversion removed.
    removed = {char for char in text if char not in converted}
    return sum(1 for char in text if char in removed)


def count_script(text: str) -> ScriptCount:
    """Simplified-only and Traditional-only characters in ``text`` (Han characters only)."""
    han = _NOT_HAN.sub("", text)
    if not han:
        return ScriptCount(0, 0, 0)
    # Han runs joined without separators would make phrases that are not in the text:
    # keep one separator between runs.
    runs = "\n".join(_NOT_HAN.split(text)).strip("\n")
    to_traditional = converter("s2t").convert(runs)
    to_simplified = converter("t2s").convert(runs)
    simplified = _changed(runs, to_traditional) if to_traditional != runs else 0
    if simplified:
        # s2t also rewrites some Traditional characters into older forms (吃 → 喫, 才 → 纔):
        # a character is Simplified only where the standard forms (s2tw) change it too.
        standard = converter("s2tw").convert(runs)
        if len(standard) == len(runs) == len(to_traditional):
            simplified = sum(1 for a, b, c in zip(runs, to_traditional, standard, strict=True) if a != b and a != c)
    return ScriptCount(
        simplified=simplified,
        traditional=_changed(runs, to_simplified) if to_simplified != runs else 0,
        han=len(han),
    )


def script_language(text: str) -> Language | None:
    """ZH_HANS or ZH_HANT when the text is clearly written in one script, else None."""
    from toolkit.languages import ZH_HANS, ZH_HANT

    script = count_script(text).script
    return ZH_HANS if script == "Hans" else ZH_HANT if script == "Hant" else None


def line_scripts(lines: list[str]) -> list[ScriptCount]:
    """``count_script`` of each line, with three OpenCC conversions for all of them (a line
    break separates the lines, so no phrase spans two)."""
    if not lines:
        return []
    text = "\n".join(line.replace("\n", " ") for line in lines)
    to_traditional = converter("s2t").convert(text).split("\n")
    standard = converter("s2tw").convert(text).split("\n")
    to_simplified = converter("t2s").convert(text).split("\n")
    if not len(to_traditional) == len(standard) == len(to_simplified) == len(lines):
        return [count_script(line) for line in lines]  # a conversion joined lines: one by one
    counts: list[ScriptCount] = []
    for line, trad, std, simp in zip(lines, to_traditional, standard, to_simplified, strict=True):
        han = len(_HAN.findall(line))
        if not han:
            counts.append(ScriptCount(0, 0, 0))
            continue
        if len(trad) == len(std) == len(line):
            simplified = sum(1 for a, b, c in zip(line, trad, std, strict=True) if a != b and a != c)
        else:
            simplified = _changed(line, trad) if trad != line else 0
        traditional = _changed(line, simp) if simp != line else 0
        counts.append(ScriptCount(simplified, traditional, han))
    return counts
