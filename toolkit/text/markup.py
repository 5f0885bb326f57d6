"""What a tag is, and conversions between the canonical inline markup and ASS override tags.

This module is the one definition of markup for the whole library (QC rules,
fixes, wrapping, translation, burning all use these patterns):

- a *tag* is an HTML-like tag (``<i>``, ``</font>``, ``<c.yellow>``) or an
  ASS override block (``{\\fad(200,200)}``): ``TAG`` / ``TAG_PATTERN``;
- *canonical* tags are the ones every text format shares and the model keeps
  (see model.py): ``<i> <b> <u> <s> <font color="#rrggbb">``: ``KNOWN_TAG``,
  ``STYLE_TAG`` (with groups: closing slash, name);
- an ASS block is ``ASS_BLOCK``; a drawing is text after ``{\\p1}`` (and up
  to ``{\\p0}``): ``is_drawing``;
- what a viewer reads is ``strip_markup(text)``.

Canonical form: alignment lifted out of the text into ``Cue.alignment``,
other ASS blocks kept verbatim.
"""

from __future__ import annotations

import re

HTML_TAG_PATTERN = r"</?[A-Za-z][^<>]*>"
ASS_BLOCK_PATTERN = r"\{\\[^}]*\}"
TAG_PATTERN = f"(?:{HTML_TAG_PATTERN}|{ASS_BLOCK_PATTERN})"
TAG = re.compile(TAG_PATTERN)
HTML_TAG = re.compile(HTML_TAG_PATTERN)
ASS_BLOCK = re.compile(ASS_BLOCK_PATTERN)
KNOWN_TAG = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^>]*)?>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<(/?)(i|b|u|s|font)(?:\s[^>]*)?>", re.IGNORECASE)
ITALIC = re.compile(r"</?i>|\{\\i[01]?\}", re.IGNORECASE)
# \p1 (or higher) switches to drawing mode, \p0 back to text.
_DRAWING_MODE = re.compile(r"\\p(\d+)")
_HUGE = 10**9


def _number(digits: str) -> int:
    """A tag's number; thousands of digits (which int() refuses) read as a huge one (found by fuzzing)."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= 9 else _HUGE


def strip_markup(text: str) -> str:
    """Text without tags or override blocks: what a viewer reads."""
    if "<" not in text and "{" not in text:
        return text
    return TAG.sub("", text)


def is_drawing(text: str) -> bool:
    """An ASS event whose only visible part is a vector drawing (``{\\p1}m 0 0 l 100 0 ...``)."""
    if "\\p" not in text:
        return False
    drawing = drew = visible_text = False
    for part in re.split(f"({ASS_BLOCK_PATTERN})", text):
        if part.startswith("{\\"):
            for match in _DRAWING_MODE.finditer(part):
                drawing = _number(match.group(1)) > 0
        elif part.strip():
            drew = drew or drawing
            visible_text = visible_text or not drawing
    return drew and not visible_text


# The faces screenkit switches between inside a line (toolkit.media.fonts.mark_faces):
# its own ``\fn`` switches, re-made on every write, are not kept as content when read.
SCRIPT_FACES = frozenset({"Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK HK"})
_BLOCK = re.compile(r"(?<!\\)\{(\\[^}]*)\}")  # "\\{" is a brace (libass), no block
_OVERRIDE = re.compile(r"\\(?:an|a)\d+|\\[a-zA-Z]+(?:\([^)]*\)|[^\\]*)")
_SIMPLE = {"i": "i", "b": "b", "u": "u", "s": "s"}
_HTML_TAG = re.compile(r"<(/?)(i|b|u|s)>|<font\s+color=\"?(#?[0-9a-fA-F]{6})\"?\s*>|</font>", re.IGNORECASE)
_AN_PREFIX = re.compile(r"\{\\an?(\d+)\}")
# Legacy SSA \a uses 1-3 bottom, 5-7 top, 9-11 middle.
_LEGACY_A = {1: 1, 2: 2, 3: 3, 5: 7, 6: 8, 7: 9, 9: 4, 10: 5, 11: 6}


def _ass_colour_to_html(value: str) -> str | None:
    match = re.fullmatch(r"&?H?([0-9a-fA-F]{1,8})&?", value)
    if not match:
        return None
    digits = match.group(1).rjust(6, "0")[-6:]
    blue, green, red = digits[0:2], digits[2:4], digits[4:6]
    return f"#{red}{green}{blue}".lower()


def _html_colour_to_ass(value: str) -> str:
    value = value.lstrip("#")
    red, green, blue = value[0:2], value[2:4], value[4:6]
    return f"&H{blue}{green}{red}&".upper()


def split_alignment(text: str) -> tuple[str, int | None]:
    """Remove ``{\\anN}`` / ``{\\aN}`` blocks that stand alone; return text and alignment."""
    alignment: int | None = None

    def take(match: re.Match[str]) -> str:
        nonlocal alignment
        tag = match.group(0)
        number = _number(match.group(1))
        if tag.startswith("{\\an"):
            if 1 <= number <= 9:
                alignment = number if alignment is None else alignment  # the first one wins
                return ""
        elif number in _LEGACY_A:
            alignment = _LEGACY_A[number] if alignment is None else alignment
            return ""
        return tag

    return _AN_PREFIX.sub(take, text), alignment


def ass_to_canonical(text: str) -> tuple[list[str], int | None]:
    """pysubs2/ASS event text → canonical lines and alignment."""
    alignment: int | None = None
    open_font = False

    def convert_block(match: re.Match[str]) -> str:
        nonlocal alignment, open_font
        out: list[str] = []
        rest: list[str] = []
        for tag in _OVERRIDE.findall(match.group(1)):
            name_match = re.match(r"\\([a-zA-Z]+)(.*)", tag, re.DOTALL)
            if not name_match:
                rest.append(tag)
                continue
            name, arg = name_match.groups()
            if tag.startswith("\\fn"):  # \fnNAME: the name runs on without a separator
                name, arg = "fn", tag[3:]
            if name in _SIMPLE and arg in ("", "0", "1"):
                out.append(f"<{name}>" if arg == "1" else f"</{name}>")
            elif name == "an" and arg.isdigit() and 1 <= _number(arg) <= 9:
                # The first position tag of an event wins (libass, VSFilter); later ones do nothing.
                alignment = _number(arg) if alignment is None else alignment
            elif name == "a" and arg.isdigit() and _number(arg) in _LEGACY_A:
                alignment = _LEGACY_A[_number(arg)] if alignment is None else alignment
            elif name == "fn" and arg.strip() in SCRIPT_FACES:
                continue
            elif name in ("c", "1c"):
                colour = _ass_colour_to_html(arg) if arg else None
                if colour:
                    if open_font:
                        out.append("</font>")
                    out.append(f'<font color="{colour}">')
                    open_font = True
                elif not arg and open_font:
                    out.append("</font>")
                    open_font = False
                else:
                    rest.append(tag)
            else:
                rest.append(tag)
        if rest:
            out.append("{" + "".join(rest) + "}")
        return "".join(out)

    converted = _BLOCK.sub(convert_block, text)
    if open_font:
        converted += "</font>"
    converted = converted.replace("\\h", "\u00a0")
    lines = re.split(r"\\[Nn]|\n", converted)
    return lines, alignment


# ASS has no escape for a backslash: "\N", "\n", "\h" in text are a line break and a hard
# space to every renderer. WORD JOINER (U+2060, invisible) after the backslash keeps them text;
# libass shows "\{" and "\}" as braces that open and close no override block.
WORD_JOINER = "\u2060"
_ASS_SEQUENCE = re.compile(r"\\(?=[Nnh{}])")
_ASS_BREAK = re.compile(r"\\(?=[Nnh])")
_TEXT_OR_TAG = re.compile(f"({ASS_BLOCK_PATTERN}|{_HTML_TAG.pattern})", re.IGNORECASE)


def escape_ass_text(line: str, braces: bool = True) -> str:
    """Text (not tags or override blocks) made to show as itself in ASS; ``braces=False`` for
    text read from ASS, whose braces are ASS syntax already."""
    out: list[str] = []
    done = 0
    for match in [*_TEXT_OR_TAG.finditer(line), None]:
        start = match.start() if match is not None else len(line)
        text = (_ASS_SEQUENCE if braces else _ASS_BREAK).sub("\\\\" + WORD_JOINER, line[done:start])
        out.append(text.replace("{", "\\{").replace("}", "\\}") if braces else text)
        if match is not None:
            out.append(match.group(0))
            done = match.end()
    return "".join(out)


def unescape_ass_text(line: str) -> str:
    """What ``escape_ass_text`` did to a backslash, undone (the joiner is ours alone)."""
    return line.replace("\\" + WORD_JOINER, "\\") if WORD_JOINER in line else line


def ass_visible(line: str) -> str:
    """A line of ASS-read canonical text as libass shows it: backslash-brace is a brace."""
    return line.replace("\\{", "{").replace("\\}", "}") if "\\" in line else line


def canonical_to_ass(lines: list[str], alignment: int | None, *, escape: bool = False) -> str:
    """Canonical lines → ASS event text. Backslash sequences in the text stay text; ``escape``:
    text from a format without ASS syntax, whose braces are characters too (``escape_ass_text``)."""
    lines = [escape_ass_text(line, braces=escape) for line in lines]

    def convert(match: re.Match[str]) -> str:
        closing, name, colour = match.group(1), match.group(2), match.group(3)
        if name:
            return "{\\" + name.lower() + ("0" if closing else "1") + "}"
        if colour:
            return "{\\c" + _html_colour_to_ass(colour.lstrip("#")) + "}"
        return "{\\c}"

    text = "\\N".join(_HTML_TAG.sub(convert, line) for line in lines)
    if alignment is not None and alignment != 2:
        text = f"{{\\an{alignment}}}" + text
    return text


def canonical_from_srt(lines: list[str]) -> tuple[list[str], int | None]:
    """SRT/WebVTT text may carry ``{\\an8}`` and ``{\\i1}``: normalise them to the canonical form."""
    alignment: int | None = None
    result: list[str] = []
    for line in lines:
        if "{" in line:
            converted, found = ass_to_canonical(line)
            line = converted[0] if len(converted) == 1 else " ".join(converted)
            alignment = alignment if alignment is not None else found  # the first position tag wins
        result.append(unescape_ass_text(line))
    return result, alignment


# Characters XML 1.0 cannot hold (form feeds and other controls found in real SRTs).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)
