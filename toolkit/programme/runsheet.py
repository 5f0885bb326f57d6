"""The projection run sheet: one printable page per screen and day.

Self-contained HTML (no network; the CJK glyphs it uses embedded as a font
subset) with a print style sheet (A4 landscape, no screen-only colour, a
screening never split across pages when it fits). For each screening: the
changeover since the screen's previous one, then the running order with the
start and end of each line (intro, every work, Q&A), the copy's file and
sha256, the audio, each subtitle language and how it is shown (burned, DCP,
soft track, IMSC, sidecar), and the warnings (overlaps, a changeover shorter
than the screen needs, missing copies, a UTC offset not the zone's).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import escape

from toolkit.programme.model import Item, Programme, Slot
from toolkit.report.dates import format_day

_CSS = """
:root { --ink:#1b1f2a; --muted:#5a6172; --line:#d9dce4; --warn:#8a4b00; --warnbg:#fff3df; --bad:#a3200f; }
* { box-sizing:border-box; }
body { margin:0; padding:24px 32px; color:var(--ink); background:#fff;
  font:14px/1.4 "ScreenkitCJK", system-ui, "DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", sans-serif; }
header { border-bottom:3px solid var(--ink); padding-bottom:8px; margin-bottom:16px; }
header h1 { font-size:22px; margin:0; } header p { margin:2px 0; color:var(--muted); }
section.screening { margin:0 0 22px; break-inside:avoid; page-break-inside:avoid; }
h2 { font-size:17px; margin:0 0 4px; } h2 .id { font-weight:400; color:var(--muted); font-size:13px; }
p.changeover { margin:0 0 6px; color:var(--muted); }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; vertical-align:top; padding:5px 7px; border-bottom:1px solid var(--line); }
th { font-size:11px; text-transform:uppercase; letter-spacing:.4px; color:var(--muted); }
td.time { white-space:nowrap; font-variant-numeric:tabular-nums; font-weight:600; }
td.min { white-space:nowrap; font-variant-numeric:tabular-nums; text-align:right; }
tr.aside td { color:var(--muted); font-style:italic; }
code { font-family:"DejaVu Sans Mono", ui-monospace, monospace; font-size:11.5px; overflow-wrap:anywhere; }
.sum { display:block; font-family:"DejaVu Sans Mono", ui-monospace, monospace; font-size:10px; color:var(--muted);
  overflow-wrap:anywhere; }
ul.subs { margin:0; padding:0; list-style:none; }
ul.warnings { margin:6px 0 0; padding:0; list-style:none; }
ul.warnings li { border-left:4px solid var(--warn); background:var(--warnbg); padding:4px 8px; margin-top:4px; }
.missing { color:var(--bad); font-weight:600; }
footer { margin-top:18px; color:var(--muted); font-size:11px; }
@page { size:A4 landscape; margin:12mm; }
@media print {
  body { padding:0; font-size:11.5px; }
  header { margin-bottom:10px; }
  ul.warnings li { background:none; border-left-width:3px; }
  a { color:inherit; text-decoration:none; }
}
"""


def sheet_name(venue: str, screen: str, day: date) -> str:
    """``2026-03-14.cccp.auditorium`` (ids reduced to file-name-safe characters)."""
    safe = [re.sub(r"[^A-Za-z0-9_-]+", "_", part) or "_" for part in (venue, screen)]
    return f"{day.isoformat()}.{safe[0]}.{safe[1]}"


def _minutes(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    if abs(minutes) < 60:
        return f"{minutes} min"
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d} min"


def _item_row(item: Item) -> str:
    when = f"<td class='time'>{item.start:%H:%M}</td><td class='time'>{item.end:%H:%M}</td>"
    length = f"<td class='min'>{item.minutes:g} min</td>"
    if item.kind != "work":
        return f"<tr class='aside'>{when}<td colspan='2'>{escape(item.label)}</td>{length}<td></td><td></td></tr>"
    copy = item.copy
    if copy is None or copy.path is None:
        file_cell = "<span class='missing'>no copy named</span>"
    else:
        file_cell = f"<code>{escape(copy.path)}</code>"
        if not copy.present:
            file_cell += " <span class='missing'>missing</span>"
        file_cell += f"<span class='sum'>sha256 {escape(copy.sha256)}</span>" if copy.sha256 else (
            "<span class='sum missing'>no sha256</span>"
        )
    subs = "".join(
        f"<li><strong lang='{escape(s.language)}'>{escape(s.language)}</strong> "
        f"{escape(', '.join(s.ways) or 'track only')}</li>"
        for s in item.subtitles
    )
    return (
        f"<tr>{when}<td><strong>{escape(item.label)}</strong><br><span class='sum'>{escape(item.work_id or '')}"
        f"</span></td><td>{file_cell}</td>{length}<td class='min'>{escape(item.audio or '—')}</td>"
        f"<td><ul class='subs'>{subs or '<li>none</li>'}</ul></td></tr>"
    )


def _slot(slot: Slot, changeover_minutes: float) -> str:
    if slot.changeover is None:
        changeover = "First screening of the day on this screen."
    else:
        changeover = (
            f"Changeover: {_minutes(slot.changeover)} since the previous screening "
            f"(the screen needs {changeover_minutes:g} min)."
        )
    rows = "".join(_item_row(item) for item in slot.items)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in slot.warnings)
    return (
        f"<section class='screening' id='{escape(slot.screening_id)}'>"
        f"<h2>{slot.start:%H:%M}–{slot.end:%H:%M} {escape(slot.title)} "
        f"<span class='id'>{escape(slot.screening_id)}</span></h2>"
        f"<p class='changeover'>{escape(changeover)}</p>"
        "<table><thead><tr><th>Start</th><th>End</th><th>Item</th><th>Copy (file, sha256)</th>"
        "<th>Length</th><th>Audio</th><th>Subtitles (how shown)</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        + (f"<ul class='warnings'>{warnings}</ul>" if warnings else "")
        + "</section>"
    )


def render_sheet(programme: Programme, key: tuple[str, str, date]) -> str:
    """The HTML run sheet of one screen (KEY: venue id, screen id, local day)."""
    slots = programme.sheets[key]
    first = slots[0]
    day = format_day(key[2], programme.language)
    title = f"{programme.title} — {first.venue_name}, {first.screen_name}"
    body = "".join(_slot(slot, programme.changeover_minutes) for slot in slots)
    text = title + day + body
    font = _font_face(text)
    source = f"package {programme.package}" if programme.package else "the manifest's copies"
    warnings = sum(len(slot.warnings) for slot in slots)
    return (
        "<!DOCTYPE html>\n"
        f"<html lang='{escape(programme.language)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Run sheet {escape(sheet_name(*key))}</title><style>{font}{_CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>Run sheet · <time datetime='{key[2].isoformat()}'>"
        f"{escape(day)}</time> · times in {escape(programme.zone.key)} · {len(slots)} screening"
        f"{'s' if len(slots) != 1 else ''} · {warnings} warning{'s' if warnings != 1 else ''}</p></header>"
        f"<main>{body}</main><footer>screenkit programme · copies from {escape(source)}</footer>"
        "</body></html>\n"
    )


def _font_face(text: str) -> str:
    from toolkit.report.fonts import subset_font_data_uri

    uri = subset_font_data_uri("".join(sorted(set(text))))
    if uri is None:
        return ""
    return f"@font-face {{ font-family:'ScreenkitCJK'; src:url({uri}) format('opentype'); }}"
