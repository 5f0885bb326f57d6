"""The rows of a track page as HTML, one cached fragment per cue.

Rendering 2,000 rows through the Jinja2 template took about 0.3-0.6 s per
page view (``bench/bench_review.py``: markupsafe's escape per value); a row
only changes when its cue is edited, so each row is built once with
:func:`html.escape` (every value: subtitle text is never trusted) and kept
until that cue changes.
"""

from __future__ import annotations

from html import escape

from toolkit.review.session import OpenTrack
from toolkit.subtitles.model import Cue
from toolkit.subtitles.timecode import format_srt

# ASS numpad alignments (what {\\an8}, WebVTT's line:0 and the model's Cue.alignment say).
_ROWS = {7: "top", 8: "top", 9: "top", 4: "middle", 5: "middle", 6: "middle", 1: "bottom", 2: "bottom", 3: "bottom"}
_SIDES = {7: " left", 4: " left", 1: " left", 9: " right", 6: " right", 3: " right"}


def position_label(cue: Cue) -> str | None:
    """Where the cue is shown when not at the default bottom centre: "top", "middle left"..."""
    if cue.alignment is None or cue.alignment == 2 or cue.alignment not in _ROWS:
        return None
    return _ROWS[cue.alignment] + _SIDES.get(cue.alignment, "")


def _position_html(cue: Cue) -> tuple[str, str]:
    """The row's data attribute and the label shown above the text, for a positioned cue."""
    label = position_label(cue)
    if label is None:
        return "", ""
    arrow = "↑ " if label.startswith("top") else "↕ " if label.startswith("middle") else ""
    return (
        f' data-position="{escape(label)}"',
        f'<span class="position" title="shown at the {escape(label)} of the picture, not as dialogue at the bottom'
        f' (alignment {cue.alignment})">{arrow}{escape(label)}</span>',
    )


def row_html(track: OpenTrack, index: int) -> str:
    cached = track.rows.get(index)
    if cached is not None:
        return cached
    cue = track.track.cues[index]
    number = index + 1
    text = track.text(index)
    source = track.source_text(index)
    source_lang = f' lang="{escape(track.entry.source.language.tag)}"' if track.entry.source else ""
    language = escape(track.entry.language.tag)
    flags = "".join(
        f'<span class="flag {escape(f.severity)}" data-code="{escape(f.code)}" title="{escape(f.message)}">'
        f"{escape(f.code)} {escape(f.message)}</span>"
        for f in track.cue_findings(index)
    )
    edited = ' class="edited"' if index in track.edits else ""
    position, badge = _position_html(cue)
    html = (
        f'<tr id="cue-{number}" data-index="{index}" data-start="{cue.start}" data-end="{cue.end}" tabindex="-1"{edited}{position}>\n'
        f'<td class="num">{number}</td>\n'
        f'<td class="time">{format_srt(cue.start)}<br>{format_srt(cue.end)}</td>\n'
        f'<td class="source"{source_lang}>{escape(source) if source is not None else ""}</td>\n'
        f'<td class="target">{badge}<textarea lang="{language}" rows="{max(2, text.count(chr(10)) + 1)}" spellcheck="true" '
        f'aria-label="Translation of cue {number}{", shown at the " + escape(position_label(cue) or "") if badge else ""}">'
        f"{escape(text)}</textarea></td>\n"
        f'<td class="findings">{flags}</td>\n'
        "</tr>\n"
    )
    track.rows[index] = html
    return html


def rows_html(track: OpenTrack) -> str:
    return "".join(row_html(track, index) for index in range(len(track.track.cues)))
