"""report.html: one self-contained page (no network) a projection team reads at a glance.

It reads the typed :class:`~toolkit.report.model.PackageReport`, never raw JSON.
What needs a person's attention is said in words next to the work it concerns
(a warning's text and its fix, a track no one reviewed, on every copy that
shows it); what is only informative (an optional language a work has no track
in) is said in a neutral style. Screening times are in the event's time zone,
written in the report's language (:mod:`toolkit.report.dates`), the RFC 3339
time in ``<time datetime>`` and its tooltip.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from html import escape
from pathlib import Path

from toolkit.report.dates import format_day, format_span, parse_moment
from toolkit.report.fonts import subset_font_data_uri
from toolkit.report.model import PackageReport, ReportWarning, TrackReport, WorkReport

STATUS_LABELS = {
    "human": "human",
    "machine": "machine",
    "converted": "converted",
    "missing": "missing",
    "original": "original",
}

_CSS = """
:root { --ink:#1d2230; --muted:#5d6475; --line:#e3e6ee; --bg:#f6f7fb; --card:#fff;
  --ok:#1a7a43; --okbg:#e3f4ea; --mach:#7d5200; --machbg:#fff1d6; --bad:#b42318; --badbg:#fde7e5;
  --info:#2952cc; --infobg:#e6ecff; --neutral:#4b5263; --neutralbg:#eef0f4; }
* { box-sizing:border-box; }
body { margin:0; font:15px/1.45 "ScreenkitCJK", system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "Noto Sans CJK SC", "PingFang SC", sans-serif; color:var(--ink); background:var(--bg); }
header { background:#1c2440; background:linear-gradient(120deg,#1c2440,#3b2f5c); color:#fff; padding:28px 40px 24px; }
header h1 { margin:0 0 4px; font-size:28px; letter-spacing:.2px; }
header .alt { color:#e4e6f0; font-size:16px; }
header .meta { margin-top:12px; display:flex; gap:8px 24px; flex-wrap:wrap; font-size:14px; color:#eceef5; }
main { padding:24px 40px 48px; max-width:1280px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(170px,1fr)); gap:14px; margin-bottom:24px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.card .n { font-size:26px; font-weight:650; } .card .l { color:var(--muted); font-size:13px; }
.card.bad .n { color:var(--bad); } .card.ok .n { color:var(--ok); } .card.neutral .n { color:var(--neutral); }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 22px; margin-bottom:20px; }
h2 { font-size:19px; margin:0 0 12px; } h3 { font-size:15px; margin:18px 0 8px; color:var(--muted); text-transform:uppercase; letter-spacing:.6px; }
table { border-collapse:collapse; width:100%; } th, td { text-align:left; padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.5px; font-weight:600; }
td.num { font-variant-numeric:tabular-nums; white-space:nowrap; }
code, .hash { font-family:ui-monospace, "DejaVu Sans Mono", monospace; font-size:12.5px; color:#39405a; }
code { overflow-wrap:anywhere; } .hash { white-space:nowrap; }
.badge { display:inline-block; padding:2px 9px; border-radius:999px; font-size:12.5px; font-weight:600; white-space:nowrap; }
.badge.human, .badge.original { color:var(--ok); background:var(--okbg); }
.badge.machine { color:var(--mach); background:var(--machbg); }
.badge.unreviewed { color:var(--bad); background:var(--machbg); border:1px dashed var(--mach); }
.badge.converted { color:var(--info); background:var(--infobg); }
.badge.missing, .badge.error { color:var(--bad); background:var(--badbg); }
.badge.optional-gap { color:var(--neutral); background:var(--neutralbg); font-weight:500; }
.badge.warning { color:var(--mach); background:var(--machbg); }
.badge.info { color:var(--info); background:var(--infobg); }
.badge.req { color:var(--info); background:var(--infobg); font-weight:500; }
.badge.opt { color:var(--neutral); background:var(--neutralbg); font-weight:500; }
.matrix td:first-child { font-weight:600; }
.stills { display:flex; gap:14px; flex-wrap:wrap; margin-top:6px; }
figure { margin:0; max-width:100%; } figure img { display:block; max-width:400px; width:100%; border-radius:6px; border:1px solid var(--line); }
figcaption { font-size:12.5px; color:var(--muted); margin-top:4px; }
details summary { cursor:pointer; color:var(--muted); margin:6px 0; }
.findings td { font-size:13.5px; }
.work-head { display:flex; justify-content:space-between; align-items:baseline; gap:4px 16px; flex-wrap:wrap; }
.work-head .sub { color:var(--muted); }
.note { color:var(--mach); font-size:12.5px; } .sub { color:var(--muted); font-size:12.5px; }
.synopsis { margin:8px 0 4px; max-width:70ch; }
ul.warnings { list-style:none; padding:0; margin:0; }
ul.warnings li { border-left:3px solid var(--mach); background:#fffaf0; padding:8px 12px; margin:0 0 8px; border-radius:0 6px 6px 0; }
ul.warnings li.error { border-color:var(--bad); background:#fff5f4; }
ul.warnings .fix { color:var(--ink); font-size:13.5px; margin-top:2px; }
ul.warnings .where { color:var(--muted); font-size:12.5px; }
time { white-space:nowrap; }
footer { color:var(--muted); font-size:12.5px; padding:0 40px 32px; overflow-wrap:anywhere; }
/* A phone: each table row becomes a small block, each cell says what it is. */
@media (max-width: 640px) {
  header { padding:20px 16px 18px; } header h1 { font-size:22px; }
  main { padding:16px 12px 32px; } footer { padding:0 16px 24px; }
  section { padding:14px 14px; }
  table, tbody, tr, td { display:block; width:100%; }
  tr.head { display:none; }
  tr { border-bottom:1px solid var(--line); padding:6px 0; }
  td { border:0; padding:3px 0; }
  td[data-label]::before { content:attr(data-label) ": "; color:var(--muted); font-size:12px; font-weight:600;
    text-transform:uppercase; letter-spacing:.4px; }
  td.num { white-space:normal; }
}
"""


def _title(titles: dict[str, str], prefer: tuple[str, ...] = ("en", "fr")) -> str:
    for key in (*prefer, "original"):
        if titles.get(key):
            return titles[key]
    return next((value for value in titles.values() if value), "")


def _title_key(titles: dict[str, str], prefer: tuple[str, ...] = ("en", "fr")) -> str | None:
    for key in (*prefer, "original"):
        if titles.get(key):
            return key
    return next((key for key, value in titles.items() if value), None)


def _lang_attr(key: str | None, original_language: str | None = None) -> str:
    """A ``lang`` attribute for text of another language than the page's (English)."""
    tag = original_language if key == "original" else key
    if not tag or tag == "en" or tag == "original":
        return ""
    return f" lang='{escape(tag)}'"


def _other_titles(titles: dict[str, str], main: str) -> str:
    seen = {main}
    others = []
    for value in titles.values():
        if value and value not in seen:
            seen.add(value)
            others.append(value)
    return " · ".join(others)


def _size(size: int | None) -> str:
    if size is None:
        return "—"
    amount = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return "—"


def _duration(ms: int | None) -> str:
    if ms is None:
        return "—"
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _image(package_root: Path, relative: str | None) -> str | None:
    if not relative:
        return None
    path = package_root / relative
    if not path.is_file():
        return None
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _badge(kind: str, text: str | None = None) -> str:
    return f'<span class="badge {escape(kind)}">{escape(text or kind)}</span>'


def _td(label: str, content: str, cls: str = "") -> str:
    """A cell that names its column (shown before the value when the table is narrowed to a phone)."""
    extra = f" class='{cls}'" if cls else ""
    return f"<td data-label='{escape(label)}'{extra}>{content}</td>"


def _sync(track: TrackReport) -> str:
    """The track against the work's audio, only where it was measured: a warning badge when off."""
    data = track.sync if isinstance(track.sync, dict) else None
    if data is None or data.get("measured") is not True:
        return ""  # said once for the whole package under the matrix, not on every track
    offset = data.get("offset_ms")
    offset = offset if isinstance(offset, int) else 0
    side = "late" if offset < 0 else "early"  # the offset is the correction sync would apply
    fps = data.get("fps")
    text = f"{abs(offset) / 1000:.2f} s {side}" + (f", fps {fps}" if fps else "")
    cues = data.get("off_speech_cues")
    if isinstance(cues, list) and len(cues) == 2:
        text = f"cues {cues[0]}-{cues[1]} off the speech"
    if track.sync_off:
        return f" {_badge('warning', 'sync: ' + text)}"
    return f"<div class='sub'>in sync ({escape(text)})</div>"


def _sync_summary(report: PackageReport) -> str:
    """One line for the package: on how many tracks sync was measured. Why the others were
    not (no speech, not measurable) stays in report.json: the page has nothing to say there."""
    checked = [t for t in report.tracks if isinstance(t.sync, dict)]
    if not checked:
        return ""
    measured = sum(1 for t in checked if t.sync and t.sync.get("measured") is True)
    text = f"Sync against the audio measured on {measured} of {len(checked)} track{'s' if len(checked) != 1 else ''}"
    return f"<p class='sub sync-summary'>{escape(text)}.</p>"


def _missing_cell(track: TrackReport, language_name: str, required: bool) -> str:
    if required or track.required:
        return _badge("missing", "missing (required)")
    # An optional language a work has no track in: information, not an alarm.
    return _badge("optional-gap", f"no {language_name} track (optional)")


def _language_name(tag: str) -> str:
    from toolkit.languages import lookup

    language = lookup(tag)
    return language.english_name if language is not None else tag


def _track_badges(track: TrackReport) -> list[str]:
    if track.unreviewed:
        # Its own badge: never the green one of a track a person approved.
        return [_badge("unreviewed", f"{STATUS_LABELS.get(track.status, track.status)}, not reviewed")]
    return [_badge(track.status, STATUS_LABELS.get(track.status, track.status))]


def _matrix(report: PackageReport) -> str:
    required = report.required_languages
    columns = list(required) + [tag for tag in report.optional_languages if tag not in required]
    for track in report.tracks:  # then the other languages some work has a track in
        if track.language not in columns:
            columns.append(track.language)

    def kind(tag: str) -> str:
        if tag in required:
            return _badge("req", "required")
        if tag in report.optional_languages:
            return _badge("opt", "optional")
        return ""

    head = "".join(f"<th>{escape(tag)} {kind(tag)}</th>" for tag in columns)
    rows = []
    for work in report.works:
        by_language = {track.language: track for track in work.tracks}
        cells = []
        for tag in columns:
            track = by_language.get(tag)
            if track is None:
                cells.append(_td(tag, "<span title='no track in this language'>—</span>"))
                continue
            if track.status == "missing":
                cells.append(_td(tag, _missing_cell(track, _language_name(tag), tag in required)))
                continue
            parts = _track_badges(track)
            review = track.review or {}
            if review.get("by") or review.get("at"):
                who = " ".join(str(review[key]) for key in ("by", "at") if review.get(key))
                parts.append(f"<div class='sub'>reviewed by {escape(who)}</div>")
            errors, warnings = track.qc.errors, track.qc.warnings
            if errors:
                parts.append(_badge("error", f"{errors} QC error{'s' if errors != 1 else ''}"))
            elif warnings:
                parts.append(_badge("warning", f"{warnings} warning{'s' if warnings != 1 else ''}"))
            cells.append(_td(tag, f"{' '.join(parts)}{_sync(track)}"))
        key = _title_key(work.title)
        title = f"<span{_lang_attr(key, work.original_language)}>{escape(_title(work.title))}</span>"
        rows.append(f"<tr>{_td('Work', title)}{''.join(cells)}</tr>")
    return (
        '<section><h2>Subtitles: works × languages</h2><table class="matrix">'
        f"<tr class='head'><th>Work</th>{head}</tr>{''.join(rows)}</table>{_sync_summary(report)}</section>"
    )


def _deliverable_languages(work: WorkReport, languages: list[str]) -> str:
    """The languages a copy shows, each unreviewed one with its badge."""
    if not languages:
        return "—"
    parts = []
    for tag in languages:
        track = work.track(tag)
        text = escape(tag)
        if track is not None and track.unreviewed:
            text += " " + _badge("unreviewed", "not reviewed")
        parts.append(f"<span class='lang'>{text}</span>")
    return " + ".join(parts)


def _deliverables(work: WorkReport, root: Path) -> str:
    rows = []
    stills = []
    for item in work.deliverables:
        languages = " + ".join(item.languages) or "—"
        sha = item.sha256 or ""
        notes = [*item.warnings, *([item.error] if item.error else [])]
        note_html = "".join(f"<div class='note'>{escape(text)}</div>" for text in notes)
        fonts = ", ".join(item.fonts)
        font_html = f"<div class='sub'>font: {escape(fonts)}</div>" if fonts else ""
        rows.append(
            "<tr class='deliverable'>"
            + _td("Kind", escape(item.kind))
            + _td("Languages", _deliverable_languages(work, item.languages))
            + _td("File", f"<code>{escape(item.path)}</code>{font_html}{note_html}")
            + _td("Duration", _duration(item.duration_ms), "num")
            + _td("Size", _size(item.size), "num")
            + _td("sha256", f"<span class='hash' title='{escape(sha)}'>{escape(sha[:12])}</span>")
            + "</tr>"
        )
        uri = _image(root, item.still)
        if uri:
            caption = f"{item.kind} · {languages} · at {_duration(item.still_at_ms)}"
            stills.append(
                f"<figure><img src='{uri}' alt='still frame of {escape(item.path)}'>"
                f"<figcaption>{escape(caption)}</figcaption></figure>"
            )
    if not rows:
        return "<p>No deliverables requested.</p>"
    table = (
        "<table class='deliverables'><tr class='head'><th>Kind</th><th>Languages</th><th>File</th><th>Duration</th>"
        f"<th>Size</th><th>sha256</th></tr>{''.join(rows)}</table>"
    )
    if stills:
        table += f"<h3>Burned-in subtitles</h3><div class='stills'>{''.join(stills)}</div>"
    return table


def _findings(work: WorkReport) -> str:
    findings = work.findings
    if not findings:
        return "<p>No QC findings.</p>"
    rows = "".join(
        "<tr>"
        + _td("Severity", _badge(item.severity))
        + _td("Code", f"<code>{escape(item.code)}</code>")
        + _td("Track", escape(item.language))
        + _td("Where", escape(item.where), "num")
        + _td("Message", escape(item.message))
        + "</tr>"
        for item in findings
    )
    errors = sum(1 for item in findings if item.severity == "error")
    summary = f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({errors} error{'s' if errors != 1 else ''})"
    opened = " open" if errors else ""
    return (
        f"<details{opened}><summary>{escape(summary)}</summary><table class='findings'>"
        "<tr class='head'><th>Severity</th><th>Code</th><th>Track</th><th>Where</th><th>Message</th></tr>"
        f"{rows}</table></details>"
    )


def _warnings(warnings: list[ReportWarning]) -> str:
    """Each warning of the build as its text and its fix."""
    items = []
    for item in warnings:
        where = f"<div class='where'>manifest line {item.line}, {escape(item.pointer or '')}</div>" if item.line else ""
        fix = f"<div class='fix'><strong>Fix:</strong> {escape(item.fix)}</div>" if item.fix else ""
        code = f"<code>{escape(item.code)}</code> " if item.code else ""
        items.append(
            f"<li class='{escape(item.severity)}'>{_badge(item.severity)} {code}"
            f"<span class='message'>{escape(item.message)}</span>{fix}{where}</li>"
        )
    return f"<ul class='warnings'>{''.join(items)}</ul>"


def _work(work: WorkReport, root: Path, warnings: list[ReportWarning], language: str) -> str:
    key = _title_key(work.title)
    title = _title(work.title)
    others = _other_titles(work.title, title)
    facts = [
        work.original_language and f"original {work.original_language}",
        work.runtime_ms and f"runtime {_duration(work.runtime_ms)}",
        ", ".join(work.directors) or None,
    ]
    prefer = (language, "en", "fr")
    synopsis = ""
    if work.synopsis:
        synopsis_key = _title_key(work.synopsis, prefer)
        synopsis = (
            f"<p class='synopsis'{_lang_attr(synopsis_key)}>{escape(_title(work.synopsis, prefer))}</p>"
        )
    notes = (
        f"<p class='content-notes'><strong>Content notes:</strong> {escape(', '.join(work.content_notes))}</p>"
        if work.content_notes
        else "<p class='content-notes sub'>No content notes.</p>"
    )
    translated = [t for t in work.tracks if t.status == "machine"]
    translation = ""
    if translated:
        items = []
        for t in translated:
            models = ", ".join(key.split("#")[0] for key in t.models)
            items.append(
                f"<li>{escape(t.language)} from {escape(t.source or '?')}: {t.cues or 0} cues, "
                f"{t.segments} segments" + (f", model {escape(models)}" if models else "")
                + "; review before screening</li>"
            )
        translation = "<h3>Machine translation</h3><ul>" + "".join(items) + "</ul>"
    converted = [t for t in work.tracks if t.status == "converted"]
    if converted:
        items = [
            f"<li>{escape(t.language)} from {escape(t.source or '?')}: {t.cues or 0} cues, "
            f"{escape(str((t.translation or {}).get('conversion', 'OpenCC')))}; review before screening</li>"
            for t in converted
        ]
        translation += "<h3>Script conversion</h3><ul>" + "".join(items) + "</ul>"
    mine = [w for w in warnings if w.work == work.id]
    warnings_html = f"<h3>Warnings</h3>{_warnings(mine)}" if mine else ""
    return (
        f"<section id='work-{escape(work.id)}'><div class='work-head'>"
        f"<h2{_lang_attr(key, work.original_language)}>{escape(title)}</h2>"
        f"<span class='sub'>{escape(others)}</span></div>"
        f"<div class='sub'>{escape(' · '.join(str(fact) for fact in facts if fact))}</div>"
        f"{synopsis}{notes}{warnings_html}"
        f"<h3>Deliverables</h3>{_deliverables(work, root)}{translation}"
        f"<h3>Quality control</h3>{_findings(work)}</section>"
    )


def _when(start: str | None, end: str | None, zone: str | None, language: str) -> str:
    begin = parse_moment(start, zone)
    if begin is None:
        return escape(start or "—")
    finish = parse_moment(end, zone)
    text = format_span(begin, finish, language)
    label = zone or begin.strftime("UTC%z")
    iso = start or ""
    tooltip = iso + (f" – {end}" if end else "")
    return (
        f"<time datetime='{escape(iso)}' title='{escape(tooltip)}' lang='{escape(language)}'>{escape(text)}</time>"
        f" <span class='sub'>({escape(label)})</span>"
    )


def _dates(dates: str, language: str) -> str:
    """The event's "2026-03-13 – 2026-03-15" as days in the report's language, the dates in ``<time>``."""
    found = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})\s*–\s*(\d{4}-\d{2}-\d{2})\s*", dates)
    if not found:
        return escape(dates)
    try:
        days = [date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2))]
    except ValueError:
        return escape(dates)
    shown = [
        f"<time datetime='{day.isoformat()}' title='{day.isoformat()}' lang='{escape(language)}'>"
        f"{escape(format_day(day, language))}</time>"
        for day in days
    ]
    return f"{shown[0]} – {shown[1]} {days[1].year}"


def _screenings(report: PackageReport) -> str:
    titles = {work.id: work for work in report.works}
    prefer = (report.language, "en", "fr")
    rows = []
    for s in report.screenings:
        key = _title_key(s.title, prefer)
        name = (
            f"<span{_lang_attr(key)}>{escape(_title(s.title, prefer))}</span>" if s.title else escape(s.id or "")
        )
        programme = ", ".join(
            f"<a href='#work-{escape(work_id)}'>{escape(_title(titles[work_id].title) if work_id in titles else work_id)}</a>"
            for work_id in s.works
        )
        rows.append(
            "<tr class='screening'>"
            + _td("Screening", name)
            + _td("Where", escape(s.where))
            + _td("When", _when(s.start, s.end, report.event.time_zone, report.language))
            + _td("Programme", programme)
            + "</tr>"
        )
    if not rows:
        return ""
    return (
        "<section><h2>Screenings</h2><table class='screenings'><tr class='head'><th>Screening</th><th>Where</th>"
        f"<th>When</th><th>Programme</th></tr>{''.join(rows)}</table></section>"
    )


def render_report(report: PackageReport, package_root: Path) -> str:
    event = report.event
    title = _title(event.title)
    others = _other_titles(event.title, title)
    works = report.works
    tracks = report.tracks
    needed = set(report.required_languages)
    missing = sum(1 for t in tracks if t.status == "missing" and (t.required or t.language in needed))
    gaps = sum(1 for t in tracks if t.status == "missing" and not (t.required or t.language in needed))
    machine = sum(1 for track in tracks if track.status == "machine")
    converted = sum(1 for track in tracks if track.status == "converted")
    unreviewed = sum(1 for track in tracks if track.unreviewed)
    qc_errors = sum(track.qc.errors for track in tracks)
    deliverables = sum(len(work.deliverables) for work in works)
    venues = ", ".join(f"{v.name or ''} ({v.city or ''})" for v in event.venues)
    cards = [
        ("", len(works), "works"),
        ("", deliverables, "deliverables"),
        ("bad" if missing else "ok", missing, "required tracks missing"),
        *([("neutral", gaps, "optional tracks not provided")] if gaps else []),
        ("", machine, "machine-translated tracks"),
        *([("", converted, "converted tracks (zh-Hans ↔ zh-Hant)")] if converted else []),
        *([("bad", unreviewed, "tracks not reviewed")] if unreviewed else []),
        ("bad" if qc_errors else "ok", qc_errors, "QC errors"),
    ]
    cards_html = "".join(
        f"<div class='card {cls}'><div class='n'>{value}</div><div class='l'>{escape(label)}</div></div>"
        for cls, value, label in cards
    )
    known = {work.id for work in works}
    general = [w for w in report.warnings if w.work not in known]
    general_html = f"<section><h2>Package warnings</h2>{_warnings(general)}</section>" if general else ""
    body = (
        f"<header><h1{_lang_attr(_title_key(event.title))}>{escape(title)}</h1>"
        f"<div class='alt'>{escape(others)}</div><div class='meta'>"
        f"<span>{_dates(event.dates, report.language)}</span><span>{escape(venues)}</span>"
        f"<span>QC profile: {escape(event.qc_profile)}</span></div></header>"
        f"<main><div class='cards'>{cards_html}</div>{general_html}{_matrix(report)}{_screenings(report)}"
        + "".join(_work(work, package_root, report.warnings, report.language) for work in works)
        + "</main>"
        f"<footer>screenkit {escape(report.screenkit)} · manifest "
        f"<span class='hash'>{escape(report.manifest_sha256[:12])}</span>"
        " · checksums in checksums.sha256</footer>"
    )
    font = subset_font_data_uri(json.dumps(report.to_json(), ensure_ascii=False))
    font_face = (
        f"@font-face {{ font-family:'ScreenkitCJK'; src:url({font}) format('opentype'); }}\n" if font else ""
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · screening package</title><style>{font_face}{_CSS}</style></head>"
        f"<body>{body}</body></html>"
    )
