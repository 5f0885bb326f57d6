"""Text measures and patterns shared by the rules and the fixes.

Widths follow the Netflix rule (qc-norms.md: "For character-based languages,
half-width characters (Latin letters, digits, ASCII punctuation) count 0.5;
a full-width CJK character counts 1"): the profile gives the half-width
weight, 1 for alphabetic languages. Tags are never counted (they are removed
before measuring); spaces and punctuation are (qc-norms.md: "Netflix counts
spaces and punctuation in reading speed").

Quotes, ellipses, dashes and the middle dot (“ ” ‘ ’ … ⋯ — ― · ‧) are
"ambiguous" in Unicode's East Asian Width: a Latin face draws them narrow, a
CJK face a full em wide (the bundled Noto Sans CJK SC/TC advances: 1 em, the
em dash 0.894 em; tests/test_qc_widths.py reads them). In a line that holds
Chinese, Japanese or Korean text they are drawn by the CJK face and count 1;
elsewhere they are half-width.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from toolkit.subtitles.markup import (
    ASS_BLOCK,
    HTML_TAG,
    ITALIC,
    KNOWN_TAG,
    STYLE_TAG,
    TAG,
    TAG_PATTERN,
    strip_markup,
)

# Ideographs, kana and hangul: the characters a CJK line breaks between.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK = re.compile(f"[{CJK_CHARS}]")
FULL_WIDTH_PUNCTUATION = "，。！？：；、…⋯「」『』（）《》〈〉“”‘’"
HALF_TO_FULL = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；", ".": "。"}

# What a tag is is defined once, in toolkit/subtitles/markup.py.
ANY_TAG = HTML_TAG
MARKUP = TAG

# A dialogue dash at the start of a line, after any opening markup.
DIALOGUE_DASH = re.compile(rf"^((?:\s*{TAG_PATTERN})*\s*)([-‐‑–—−])([ \t\u00a0]*)(?=[^\s\d\-‐‑–—−])")
DOTS = re.compile(r"\.{3,}|(?:\. ){2}\.")
# Ellipses in Chinese text other than the single ⋯ (Netflix zh guides, chinese-notes.md: "single
# ⋯ (U+22EF) in examples"; the zh-Hant guide "explicitly bans four dots and ⋯ followed by a
# period"): dots, … or ……, ⋯⋯, 。。。, and ⋯ followed by 。.
CJK_ELLIPSIS = re.compile(r"(?:\.{3,}|(?:\. ){2}\.|…+|⋯{2,}|。{3,}|・{3,})。?|⋯。")
# A dash between Chinese characters written the English way, where Chinese writes the two-em
# dash —— (chinese-notes.md, "Kinsoku": "Two-em dash and six-dot ellipsis are one unit"): --
# or ---, two full-width hyphens, or a single dash set off by spaces. Not a single — without
# spaces (北京—上海 is the connecting dash, 一字线), and not a dash after a space and before a word
# (－对 －要派谁: a second speaker's dialogue dash, SK313/SK314).
CJK_SHORT_DASH = re.compile(
    rf"(?<=[{CJK_CHARS}」』”’）》])(?: ?-{{2,3}} ?| ?－－ ?| [—–―](?![—–―]) )(?=[{CJK_CHARS}「『“‘（《])"
)
# Dialogue dashes: a line that starts with one and a second speaker's after a space or a stop.
DASH_CHARS = "－–‐-"  # the hyphen last, so that it is literal inside a class
SECOND_SPEAKER = re.compile(rf"(?:(?<=\s)|(?<=[。！？!?.…⋯]))[{DASH_CHARS}](?=[^\s\d{DASH_CHARS}])")
FULL_WIDTH_DIALOGUE_DASH = re.compile(rf"^((?:\s*{TAG_PATTERN})*\s*)－(?=[^－\s])|(?<=\s)－(?=[^－\s\d])")
TWO_DOT_LEADER = re.compile("‥+")
_SPOKEN = re.compile(rf"[^\W\d_]|[{CJK_CHARS}]")
ASCII_QUOTE_IN_CJK = re.compile(rf"\"|'(?=[^']*[{CJK_CHARS}][^']*')")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\ufeff\u2060")
# East Asian Width "ambiguous" (or neutral: ⋯) marks a CJK face draws a full em wide.
CJK_FACE_WIDE = frozenset("“”‘’…⋯—―·‧")
WORD = re.compile(rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+(?:['’][^\W{CJK_CHARS}]+)*")  # qu'elle is one word


_KIND: dict[str, int] = {}  # char → 0 zero-width, 1 half-width, 2 full-width, 3 full-width in CJK lines (memoised)


def _kind(char: str) -> int:
    kind = _KIND.get(char)
    if kind is None:
        if char in ZERO_WIDTH or unicodedata.combining(char):
            kind = 0
        elif char in CJK_FACE_WIDE:
            kind = 3
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            kind = 2
        else:
            kind = 1
        _KIND[char] = kind
    return kind


def is_wide(char: str) -> bool:
    """A full-width character (CJK ideographs, kana, full-width punctuation)."""
    return _kind(char) == 2


def char_width(char: str, half_width_weight: float, cjk: bool = False) -> float:
    """One character's width; ``cjk``: it stands in a line with CJK text (“ … — · count 1 there)."""
    kind = _kind(char)
    return 0.0 if kind == 0 else 1.0 if kind == 2 or (kind == 3 and cjk) else half_width_weight


def text_width(plain: str, half_width_weight: float = 1.0, cjk: bool | None = None) -> float:
    """Width of text without markup: full-width 1, half-width ``half_width_weight``.

    The marks a CJK face draws wide (``CJK_FACE_WIDE``) count 1 when ``cjk``
    (default: when ``plain`` itself holds CJK characters), else half-width.
    """
    if plain.isascii():
        return len(plain) * half_width_weight
    half, full, ambiguous = _counts(plain) if len(plain) <= _LONG else _long_counts(plain)
    if ambiguous and (cjk if cjk is not None else CJK.search(plain) is not None):
        full += ambiguous
    else:
        half += ambiguous
    return full + half * half_width_weight


_LONG = 200


def _counts(plain: str) -> tuple[int, int, int]:
    """(half-width, full-width, wide-in-CJK-lines) characters of ``plain`` (a plain loop: faster
    than str.translate or sum(map(...)) for subtitle lines, measured)."""
    half = full = ambiguous = 0
    for char in plain:
        kind = _KIND.get(char)
        if kind is None:
            kind = _kind(char)
        if kind == 1:
            half += 1
        elif kind == 2:
            full += 1
        elif kind == 3:
            ambiguous += 1
    return half, full, ambiguous


@lru_cache(maxsize=256)
def _long_counts(plain: str) -> tuple[int, int, int]:
    # A long line is measured by several rules and by each layout the line breaker tries.
    return _counts(plain)


def words(text: str) -> list[str]:
    """Words as a reader sees them: Latin runs of letters and digits, one token per CJK character."""
    return WORD.findall(strip_markup(text))


def unbalanced_tags(lines: list[str]) -> list[str]:
    """Descriptions of styling tags left open or closed without opening, across a cue's lines."""
    stack: list[str] = []
    problems: list[str] = []
    for line in lines:
        for match in STYLE_TAG.finditer(line):
            closing, name = match.group(1), match.group(2).lower()
            if not closing:
                stack.append(name)
            elif name in stack:
                while stack:
                    top = stack.pop()
                    if top == name:
                        break
                    problems.append(f"<{top}> not closed before </{name}>")
            else:
                problems.append(f"</{name}> without <{name}>")
    problems.extend(f"<{name}> not closed" for name in stack)
    return problems


LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def line_script(line: str) -> str:
    """``han`` for a line with CJK characters (Latin names inside allowed), ``latin`` for one
    with Latin letters and no CJK, ``""`` for neither (digits, punctuation, music notes)."""
    plain = strip_markup(line)
    if CJK.search(plain):
        return "han"
    return "latin" if LATIN_LETTER.search(plain) else ""


def bilingual_groups(lines: list[str]) -> list[tuple[str, list[int]]] | None:
    """A bilingual cue (a Chinese line over an English or French one) as runs of rows per script;
    None for a cue in one script. Rows of neither script stay with the run before them."""
    if len(lines) < 2:
        return None
    joined = "".join(lines)
    if joined.isascii() or not CJK.search(joined) or not LATIN_LETTER.search(joined):
        return None  # the common case, decided without looking at each line
    groups: list[tuple[str, list[int]]] = []
    for row, line in enumerate(lines):
        script = line_script(line)
        if groups and (not script or script == groups[-1][0]):
            groups[-1][1].append(row)
        elif not groups and not script:
            groups.append(("", [row]))
        elif groups and not groups[-1][0]:
            groups[-1] = (script, [*groups[-1][1], row])
        else:
            groups.append((script, [row]))
    scripts = {script for script, _ in groups}
    return groups if {"han", "latin"} <= scripts else None


def is_cjk_text(text: str) -> bool:
    return bool(CJK.search(text))


def two_speakers(plain: str) -> int | None:
    """Where the second speaker starts in a line holding two (``-你去哪儿了 -我去买菜了``), or None."""
    stripped = plain.lstrip()
    if stripped[:1] not in DASH_CHARS or stripped[1:2] in DASH_CHARS:
        return None
    match = SECOND_SPEAKER.search(stripped, 2)
    if match is None or not _SPOKEN.search(stripped, 1, match.start()):
        return None  # "- -Oh": nothing said before the second dash
    return len(plain) - len(stripped) + match.start()


__all__ = [
    "ASS_BLOCK",
    "ITALIC",
    "KNOWN_TAG",
    "STYLE_TAG",
    "bilingual_groups",
    "char_width",
    "is_cjk_text",
    "is_wide",
    "line_script",
    "strip_markup",
    "text_width",
    "unbalanced_tags",
    "words",
]
