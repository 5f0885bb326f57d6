"""The fixes that rewrite one line of text, one function per rule (attached in ``registry.py``).

Each takes a line in the canonical markup and the profile, and returns the
line fixed, or unchanged when the profile does not ask for that style. They
never change a word: only spaces, punctuation marks and italics tags, and
they never touch an override block (``{\\fad(200,200)}``) or a tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from toolkit.qc import text as tx
from toolkit.qc.profile import Profile
from toolkit.subtitles.markup import TAG_PATTERN

_MARKUP = TAG_PATTERN
_LEADING_SPACE = re.compile(rf"^((?:{_MARKUP})*)[ \t]+")
_TRAILING_SPACE = re.compile(rf"[ \t]+((?:{_MARKUP})*)$")
_MULTI_SPACE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
# A space before punctuation, closing tags allowed in between ("word </i>,").
_SPACE_BEFORE = re.compile(rf"(?<=\S)[ \t]+((?:{_MARKUP})*)(?=[,!?;:，。！？：；]|\.(?!\.))")
_SPACE_BEFORE_NOT_FR = re.compile(rf"(?<=\S)[ \t]+((?:{_MARKUP})*)(?=[,，。！？：；]|\.(?!\.))")
_FRENCH_MARK = re.compile(r"([ \t\u00a0\u202f]*)([;:!?]+)")
_CJK_THEN_MARK = re.compile(rf"([{tx.CJK_CHARS}])((?:{_MARKUP})*)([,!?:;]|\.(?![.\d]))")
_MARK_THEN_CJK = re.compile(rf"([,!?:;])((?:{_MARKUP})*)(?=[{tx.CJK_CHARS}])")
# Only the italics switches an SRT/ASS line can carry on their own: {\i1}, {\i0}, {\i}.
_ASS_ITALIC_ONLY = re.compile(r"\{\\i[01]?\}", re.IGNORECASE)
_HTML_ITALIC = re.compile(r"</?i>", re.IGNORECASE)
# No space is wanted after these (?!, «?, (:, …?).
FRENCH_NO_SPACE_AFTER = frozenset("\u00a0\u202f;:!?…«([-'\"/")
NBSP = "\u00a0"


def edge_whitespace(line: str, _profile: Profile) -> str:
    return _TRAILING_SPACE.sub(r"\1", _LEADING_SPACE.sub(r"\1", line))


def double_space(line: str, _profile: Profile) -> str:
    return _MULTI_SPACE.sub(" ", line)


def space_before_punctuation(line: str, profile: Profile) -> str:
    pattern = _SPACE_BEFORE_NOT_FR if profile.french_spacing else _SPACE_BEFORE
    return pattern.sub(r"\1", line)


def ellipsis_style(line: str, profile: Profile) -> str:
    if not profile.ellipsis:
        return line
    ellipsis = profile.ellipsis
    if profile.cjk_punctuation and tx.is_cjk_text(line):
        return _outside_tags(line, lambda text: tx.CJK_ELLIPSIS.sub(ellipsis, text))
    return tx.DOTS.sub(ellipsis, line)


def _outside_tags(line: str, function: Callable[[str], str]) -> str:
    """``function`` applied to the text between tags, never to a tag or an override block."""
    parts = _TAG_SPLIT.split(line)
    return "".join(part if index % 2 else function(part) for index, part in enumerate(parts))


_TAG_SPLIT = re.compile(f"({_MARKUP})")
# “”‘’ ↔ 「」『』, outer pair first. An apostrophe between Latin letters (O’Hara) is not a quote.
_MAINLAND_QUOTES = "“”‘’"
_TRADITIONAL_QUOTES = "「」『』"
# A profile's quotes → the marks of the other style, as one character class (a quick test first).
# Any other quotes a house profile gives are told apart from the mainland marks, as foreign_quotes does.
MAINLAND_MARKS = re.compile(f"[{_MAINLAND_QUOTES}]")
FOREIGN_QUOTE_MARKS = {_MAINLAND_QUOTES: re.compile(f"[{_TRADITIONAL_QUOTES}]"), _TRADITIONAL_QUOTES: MAINLAND_MARKS}
_LATIN_APOSTROPHE = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])[‘’](?=[A-Za-z\u00c0-\u024f])")


def foreign_quotes(text: str, quotes: str) -> list[str]:
    """The quotation marks of the other Chinese style in ``text`` (apostrophes in Latin words aside)."""
    other = _TRADITIONAL_QUOTES if quotes == _MAINLAND_QUOTES else _MAINLAND_QUOTES
    if not FOREIGN_QUOTE_MARKS.get(quotes, MAINLAND_MARKS).search(text):
        return []  # most lines: decided by one character-class search
    cleaned = _LATIN_APOSTROPHE.sub("", text)
    return [char for char in cleaned if char in other]


def chinese_quotes(line: str, profile: Profile) -> str:
    """Quotation marks in the profile's style: “”‘’ (mainland) or 「」『』 (Taiwan, Hong Kong)."""
    quotes = profile.quotes
    if not quotes or len(quotes) != 4 or not tx.is_cjk_text(line):
        return line
    other = _TRADITIONAL_QUOTES if quotes == _MAINLAND_QUOTES else _MAINLAND_QUOTES
    table = str.maketrans(other, quotes)

    def swap(text: str) -> str:
        kept = {match.start() for match in _LATIN_APOSTROPHE.finditer(text)}
        return "".join(char if index in kept else char.translate(table) for index, char in enumerate(text))

    return _outside_tags(line, swap)


def chinese_dash(line: str, profile: Profile) -> str:
    """A dash between Chinese characters written as the profile's two-em dash (——)."""
    if not profile.cjk_dash or not tx.is_cjk_text(line):
        return line
    dash = profile.cjk_dash
    return _outside_tags(line, lambda text: tx.CJK_SHORT_DASH.sub(dash, text))


def full_width_dialogue_dash(line: str, profile: Profile) -> str:
    """A full-width － used as a dialogue dash written as the profile's dash (-)."""
    if not profile.dialogue_dash or "－" not in line:
        return line
    dash = profile.dialogue_dash.strip() or "-"
    return tx.FULL_WIDTH_DIALOGUE_DASH.sub(lambda m: (m.group(1) or "") + dash, line)


def two_dot_leader(line: str, profile: Profile) -> str:
    """‥ used as an ellipsis in Chinese text written as the profile's ellipsis (⋯)."""
    if "‥" not in line or not tx.is_cjk_text(line):
        return line
    return tx.TWO_DOT_LEADER.sub(profile.ellipsis or "⋯", line)


def chinese_quote_pair(profile: Profile) -> str:
    """The quote marks a Chinese line takes: the profile's, else by script (“” or 「」)."""
    if profile.quotes:
        return profile.quotes
    script = profile.language.script if profile.language else None
    return "「」『』" if script == "Hant" else "“”‘’"


def ascii_quotes(line: str, profile: Profile) -> str:
    """ASCII quotes in a Chinese line, in pairs, as the region's marks (" " → “ ” or 「 」).
    An odd number of " is left alone: which one opens is not known."""
    if ('"' not in line and "'" not in line) or not tx.is_cjk_text(line):
        return line
    marks = chinese_quote_pair(profile)

    def swap(text: str) -> str:
        if text.count('"') % 2 == 0 and '"' in text:
            parts = text.split('"')
            text = "".join(part + (marks[i % 2] if i < len(parts) - 1 else "") for i, part in enumerate(parts))
        return re.sub(rf"'([^']*[{tx.CJK_CHARS}][^']*)'", lambda m: marks[2] + m.group(1) + marks[3], text)

    return _outside_tags(line, swap)


def dialogue_dash(line: str, profile: Profile) -> str:
    if not profile.dialogue_dash:
        return line
    dash = profile.dialogue_dash
    return tx.DIALOGUE_DASH.sub(lambda m: m.group(1) + dash, line, count=1)


def remove_italics(line: str, profile: Profile) -> str:
    if profile.italics_allowed:
        return line
    # An override block that also does other things ({\i1\fs20}) is left whole.
    return _ASS_ITALIC_ONLY.sub("", _HTML_ITALIC.sub("", line))


def full_width_punctuation(line: str, profile: Profile) -> str:
    """Half-width , ? ! : ; (and a lone .) next to Chinese characters, tags in between allowed."""
    if not profile.cjk_punctuation:
        return line
    line = _CJK_THEN_MARK.sub(lambda m: m.group(1) + m.group(2) + tx.HALF_TO_FULL[m.group(3)], line)
    return _MARK_THEN_CJK.sub(lambda m: tx.HALF_TO_FULL[m.group(1)] + m.group(2), line)


def _french(line: str, *, missing: bool, breaking: bool) -> str:
    def replace(match: re.Match[str]) -> str:
        spaces, marks = match.group(1), match.group(2)
        before = line[match.start() - 1] if match.start() > 0 else ""
        after = line[match.end() : match.end() + 1]
        if not before:
            return match.group(0)
        if not spaces:
            if not missing:
                return match.group(0)
            if marks == ":" and ((before.isdigit() and after.isdigit()) or after == "/"):
                return match.group(0)  # 12:30, http://
            if before in FRENCH_NO_SPACE_AFTER:
                return match.group(0)
            return NBSP + marks
        if spaces in (NBSP, "\u202f") or not breaking:
            return match.group(0)
        return NBSP + marks

    return _FRENCH_MARK.sub(replace, line)


def french_space_missing(line: str, profile: Profile) -> str:
    """A no-break space before ; : ! ? where there is none (12:30 and http:// left alone)."""
    return _french(line, missing=True, breaking=False) if profile.french_spacing else line


def french_breaking_space(line: str, profile: Profile) -> str:
    """An ordinary space before ; : ! ? becomes a no-break space (a narrow one is kept)."""
    return _french(line, missing=False, breaking=True) if profile.french_spacing else line
