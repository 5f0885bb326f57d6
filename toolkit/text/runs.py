"""Canonical inline markup (``<i>``, ``<b>``, ``<u>``, ``<font color>``) as styled runs.

DCP XML has no tags inside text: a run of italic text is a ``<Font
Italic="yes">`` around it. SMPTE forbids nesting ``Font`` inside ``Text``'s
``Font``, so runs are flat: each run carries its whole style. Tags may span
lines in SRT (``<i>one\\ntwo</i>``), so the style state carries from line
to line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_TOKEN = re.compile(
    r"<(/?)(i|b|u|s)>|<font\s+color=\"?#?([0-9a-fA-F]{6})\"?\s*>|(</font>)|\{\\[^}]*\}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Style:
    italic: bool = False
    bold: bool = False
    underline: bool = False
    color: str | None = None  # "rrggbb"
    font: str | None = None  # the LoadFont Id of a run in another script's face (fonts.script_runs)


PLAIN = Style()


def lines_to_runs(lines: list[str]) -> list[list[tuple[str, Style]]]:
    """Per line, the (text, style) runs; ASS override blocks are dropped (DCP has no equivalent)."""
    style = PLAIN
    colours: list[str | None] = []
    result: list[list[tuple[str, Style]]] = []
    for line in lines:
        runs: list[tuple[str, Style]] = []
        position = 0
        for match in _TOKEN.finditer(line):
            if match.start() > position:
                runs.append((line[position : match.start()], style))
            position = match.end()
            closing, name, colour, font_close = match.groups()
            if name:
                value = not closing
                name = name.lower()
                if name == "i":
                    style = replace(style, italic=value)
                elif name == "b":
                    style = replace(style, bold=value)
                elif name == "u":
                    style = replace(style, underline=value)
            elif colour:
                colours.append(style.color)
                style = replace(style, color=colour.lower())
            elif font_close:
                style = replace(style, color=colours.pop() if colours else None)
        if position < len(line):
            runs.append((line[position:], style))
        result.append(_merge(runs))
    return result


def _merge(runs: list[tuple[str, Style]]) -> list[tuple[str, Style]]:
    merged: list[tuple[str, Style]] = []
    for text, style in runs:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        elif text:
            merged.append((text, style))
    return merged


def runs_to_line(runs: list[tuple[str, Style]]) -> str:
    """Runs back to one canonical line (tags opened and closed within the line)."""
    parts: list[str] = []
    for text, style in _merge(runs):
        opening, closing = "", ""
        if style.color:
            opening += f'<font color="#{style.color}">'
            closing = "</font>" + closing
        for flag, tag in ((style.bold, "b"), (style.italic, "i"), (style.underline, "u")):
            if flag:
                opening += f"<{tag}>"
                closing = f"</{tag}>" + closing
        parts.append(opening + text + closing)
    return "".join(parts)


def styled_characters(lines: list[str]) -> list[list[tuple[str, bool]]]:
    """Per line, each character with its italic flag: what a round trip must keep."""
    return [
        [(char, style.italic) for text, style in runs for char in text] for runs in lines_to_runs(lines)
    ]
