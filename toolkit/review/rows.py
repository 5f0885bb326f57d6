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
from toolkit.subtitles.timecode import format_srt


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
    html = (
        f'<tr id="cue-{number}" data-index="{index}" data-start="{cue.start}" data-end="{cue.end}" tabindex="-1"{edited}>\n'
        f'<td class="num">{number}</td>\n'
        f'<td class="time">{format_srt(cue.start)}<br>{format_srt(cue.end)}</td>\n'
        f'<td class="source"{source_lang}>{escape(source) if source is not None else ""}</td>\n'
        f'<td class="target"><textarea lang="{language}" rows="{max(2, text.count(chr(10)) + 1)}" spellcheck="true" '
        f'aria-label="Translation of cue {number}">{escape(text)}</textarea></td>\n'
        f'<td class="findings">{flags}</td>\n'
        "</tr>\n"
    )
    track.rows[index] = html
    return html


def rows_html(track: OpenTrack) -> str:
    return "".join(row_html(track, index) for index in range(len(track.track.cues)))
