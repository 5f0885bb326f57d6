"""Line wrapping that knows CJK width: Chinese breaks between characters, Latin at spaces.

``textwrap`` breaks only at spaces, so a Chinese line is never wrapped by it
(argos-notes.md: "CJK lines never wrapped"). Widths here are in columns: a
full-width character counts 2, everything else 1, so "16 full-width
characters" is 32 columns and "42 characters" is 42 columns. Character classes
and line lengths come from the QC package, so both measure text the same way.
"""

from __future__ import annotations

import re
from functools import cache

from toolkit.languages import Language
from toolkit.qc import text as qc_text

# The line length comes from the Netflix QC profile of the target language
# (qc-norms.md: 16 full-width characters per line for Chinese, 42 for en/fr),
# so translation and `screenkit lint --profile netflix` agree on what fits.
WRAP_PROFILE = "netflix"

# A break after one of these reads naturally in Chinese.
CJK_BREAK_AFTER = set("，。、！？；：…）」』”’》,.!?;:")
# Never start a Chinese line with one of these (kinsoku).
CJK_NO_LINE_START = set("，。、！？；：…）」』”’》,.!?;:%")
# Runs of these are one unbreakable "word" inside Chinese text (Latin names, numbers).
_LATIN_RUN = re.compile(r"[0-9A-Za-z\u00c0-\u024f'’\-.,:%]+")


def char_width(char: str) -> int:
    """Columns: 2 for a full-width character, 0 for a zero-width one, 1 otherwise (qc.text's classes)."""
    return 2 if qc_text.is_wide(char) else round(qc_text.char_width(char, 1.0))


def text_width(text: str) -> int:
    return sum(char_width(char) for char in text)


@cache
def line_limit(language: Language) -> int:
    """The profile's characters per line in columns (one column = one half-width character)."""
    from toolkit.qc import load_profile

    profile = load_profile(WRAP_PROFILE, language)
    if profile.max_chars_per_line is None:
        return 42
    return round(profile.max_chars_per_line / profile.half_width_weight)


def is_cjk_char(char: str) -> bool:
    return char_width(char) == 2


def join_text(left: str, right: str) -> str:
    """Join two pieces of text, with a space unless the seam is between CJK characters."""
    left, right = left.rstrip(), right.lstrip()
    if not left:
        return right
    if not right:
        return left
    if is_cjk_char(left[-1]) or is_cjk_char(right[0]):
        return left + right
    return left + " " + right


def _cjk_break_points(text: str) -> list[int]:
    """Indexes where a CJK text may be broken (between characters, never inside a Latin run)."""
    protected: set[int] = set()
    for match in _LATIN_RUN.finditer(text):
        protected.update(range(match.start() + 1, match.end()))
    points = []
    for index in range(1, len(text)):
        if index in protected:
            continue
        if text[index] in CJK_NO_LINE_START:
            continue
        points.append(index)
    return points


def _latin_break_points(text: str) -> list[int]:
    return [match.start() for match in re.finditer(r" +", text)]


class _Widths:
    """Prefix sums of column widths: the width of any slice in O(1) (long lines stay linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.prefix = [0]
        for char in text:
            self.prefix.append(self.prefix[-1] + char_width(char))

    def between(self, start: int, end: int) -> int:
        """Width of ``text[start:end].strip()`` (spaces are single, see wrap_text)."""
        while start < end and self.text[start] == " ":
            start += 1
        while end > start and self.text[end - 1] == " ":
            end -= 1
        return self.prefix[end] - self.prefix[start]


def wrap_text(text: str, limit: int, cjk: bool) -> list[str]:
    """Lines of at most ``limit`` columns, as balanced as possible, two when two suffice."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    widths = _Widths(text)
    total = widths.between(0, len(text))
    if total <= limit:
        return [text]
    points = _cjk_break_points(text) if cjk else _latin_break_points(text)
    best: tuple[float, int] | None = None
    for point in points:
        first, second = widths.between(0, point), widths.between(point, len(text))
        if not first or not second or max(first, second) > limit:
            continue
        # Balanced lines, slightly preferring a break after punctuation.
        cost = abs(first - second) - (6 if cjk and text[point - 1] in CJK_BREAK_AFTER else 0)
        if best is None or cost < best[0]:
            best = (cost, point)
    if best is not None:
        return [text[: best[1]].strip(), text[best[1] :].strip()]
    return _greedy(text, widths, points, limit)


def _greedy(text: str, widths: _Widths, points: list[int], limit: int) -> list[str]:
    """More than two lines are needed: fill each line as far as it goes."""
    lines: list[str] = []
    start = 0
    index = 0  # into points, which are sorted
    while widths.between(start, len(text)) > limit:
        while index < len(points) and points[index] <= start:
            index += 1
        if index == len(points):
            break  # one unbreakable run: leave it whole rather than cut a word
        cut = points[index]
        while index + 1 < len(points) and widths.between(start, points[index + 1]) <= limit:
            index += 1
            cut = points[index]
        lines.append(text[start:cut].strip())
        start = cut
    rest = text[start:].strip()
    if rest:
        lines.append(rest)
    return lines


def wrap_for(text: str, language: Language) -> list[str]:
    return wrap_text(text, line_limit(language), language.is_cjk)
