"""Text measures and patterns shared by the rules and the fixes.

Widths follow the Netflix rule (qc-norms.md: "For character-based languages,
half-width characters (Latin letters, digits, ASCII punctuation) count 0.5;
a full-width CJK character counts 1"): the profile gives the half-width
weight, 1 for alphabetic languages. Tags are never counted (they are removed
before measuring); spaces and punctuation are (qc-norms.md: "Netflix counts
spaces and punctuation in reading speed").
"""

from __future__ import annotations

import re
import unicodedata

# Ideographs, kana and hangul: the characters a CJK line breaks between.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK = re.compile(f"[{CJK_CHARS}]")
FULL_WIDTH_PUNCTUATION = "，。！？：；、…⋯「」『』（）《》〈〉“”‘’"
HALF_TO_FULL = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；", ".": "。"}

# Canonical markup (toolkit/subtitles/model.py) and everything that looks like markup.
KNOWN_TAG = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^>]*)?>", re.IGNORECASE)
ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
ASS_BLOCK = re.compile(r"\{\\[^}]*\}")
MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|\{\\[^}]*\}")
STYLE_TAG = re.compile(r"<(/?)(i|b|u|s|font)(?:\s[^>]*)?>", re.IGNORECASE)
ITALIC = re.compile(r"</?i>|\{\\i[01]?\}", re.IGNORECASE)

# A dialogue dash at the start of a line, after any opening markup.
DIALOGUE_DASH = re.compile(r"^((?:\s*(?:<[A-Za-z][^<>]*>|\{\\[^}]*\}))*\s*)([-‐‑–—−])([ \t\u00a0]*)(?=[^\s\d\-‐‑–—−])")
DOTS = re.compile(r"\.{3,}|(?:\. ){2}\.")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\ufeff\u2060")
WORD = re.compile(rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+")


def char_width(char: str, half_width_weight: float) -> float:
    if char in ZERO_WIDTH or unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return half_width_weight


def text_width(plain: str, half_width_weight: float = 1.0) -> float:
    """Width of text without markup: full-width 1, half-width ``half_width_weight``."""
    if plain.isascii():
        return len(plain) * half_width_weight
    return sum(char_width(char, half_width_weight) for char in plain)


def strip_markup(text: str) -> str:
    return MARKUP.sub("", text)


def words(text: str) -> list[str]:
    """Words as a reader sees them: Latin runs of letters and digits, one token per CJK character."""
    return WORD.findall(strip_markup(text))


def is_cjk_text(text: str) -> bool:
    return bool(CJK.search(text))
