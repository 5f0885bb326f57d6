"""report.html: one self-contained page (no network) a projection team reads at a glance.

It reads the typed :class:`~toolkit.report.model.PackageReport`, never raw JSON.
"""

from __future__ import annotations

import base64
import json
from html import escape
from pathlib import Path

from toolkit.report.fonts import subset_font_data_uri
from toolkit.report.model import PackageReport, TrackReport, WorkReport

STATUS_LABELS = {
    "human": "human",
    "machine": "machine",
    "converted": "converted",
    "missing": "missing",
    "original": "original",
}

_CSS = """
:root { --ink:#1d2230; --muted:#5d6475; --line:#e3e6ee; --bg:#f6f7fb; --card:#fff;
  --ok:#1f8a4c; --okbg:#e3f4ea; --mach:#8a5a00; --machbg:#fff1d6; --bad:#b42318; --badbg:#fde7e5;
  --info:#2952cc; --infobg:#e6ecff; }
* { box-sizing:border-box; }
body { margin:0; font:15px/1.45 "ScreenkitCJK", system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "Noto Sans CJK SC", "PingFang SC", sans-serif; color:var(--ink); background:var(--bg); }
header { background:linear-gradient(120deg,#1c2440,#3b2f5c); color:#fff; padding:28px 40px 24px; }
header h1 { margin:0 0 4px; font-size:28px; letter-spacing:.2px; }
header .alt { opacity:.85; font-size:16px; }
header .meta { margin-top:12px; display:flex; gap:24px; flex-wrap:wrap; font-size:14px; opacity:.9; }
main { padding:24px 40px 48px; max-width:1280px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(170px,1fr)); gap:14px; margin-bottom:24px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.card .n { font-size:26px; font-weight:650; } .card .l { color:var(--muted); font-size:13px; }
.card.bad .n { color:var(--bad); } .card.ok .n { color:var(--ok); }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 22px; margin-bottom:20px; }
h2 { font-size:19px; margin:0 0 12px; } h3 { font-size:15px; margin:18px 0 8px; color:var(--muted); text-transform:uppercase; letter-spacing:.6px; }
table { border-collapse:collapse; width:100%; } th, td { text-align:left; padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.5px; font-weight:600; }
td.num { font-variant-numeric:tabular-nums; white-space:nowrap; }
code, .hash { font-family:ui-monospace, "DejaVu Sans Mono", monospace; font-size:12.5px; color:#39405a; }
.badge { display:inline-block; padding:2px 9px; border-radius:999px; font-size:12.5px; font-weight:600; white-space:nowrap; }
.badge.human, .badge.original { color:var(--ok); background:var(--okbg); }
.badge.machine { color:var(--mach); background:var(--machbg); }
.badge.unreviewed { color:var(--bad); background:var(--machbg); border:1px dashed var(--mach); }
.badge.converted { color:var(--info); background:var(--infobg); }
.badge.missing, .badge.error { color:var(--bad); background:var(--badbg); }
.badge.warning { color:var(--mach); background:var(--machbg); }
.badge.info { color:var(--info); background:var(--infobg); }
.badge.req { color:var(--info); background:var(--infobg); font-weight:500; }
.matrix td:first-child { font-weight:600; }
.stills { display:flex; gap:14px; flex-wrap:wrap; margin-top:6px; }
figure { margin:0; } figure img { display:block; max-width:400px; width:100%; border-radius:6px; border:1px solid var(--line); }
figcaption { font-size:12.5px; color:var(--muted); margin-top:4px; }
details summary { cursor:pointer; color:var(--muted); margin:6px 0; }
.findings td { font-size:13.5px; }
.work-head { display:flex; justify-content:space-between; align-items:baseline; gap:16px; flex-wrap:wrap; }
.work-head .sub { color:var(--muted); }
.note { color:var(--mach); font-size:12.5px; } .sub { color:var(--muted); font-size:12.5px; }
footer { color:var(--muted); font-size:12.5px; padding:0 40px 32px; }
"""


def _title(titles: dict[str, str], prefer: tuple[str, ...] = ("en", "fr")) -> str:
    for key in (*prefer, "original"):
        if titles.get(key):
            return titles[key]
    return next((value for value in titles.values() if value), "")


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


def _sync(track: TrackReport) -> str:
    """The track against the work's audio: a warning badge when off, a quiet line otherwise."""
    data = track.sync if isinstance(track.sync, dict) else None
    if data is None or data.get("measured") is not True:
        return ""  # not measurable says nothing about the track: report.json keeps why
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


def _matrix(report: PackageReport) -> str:
    required = report.required_languages
    columns = list(required) + list(report.optional_languages)
    for track in report.tracks:  # then the other languages some work has a track in
        if track.language not in columns:
            columns.append(track.language)
    head = "".join(
        f"<th>{escape(tag)} {_badge('req', 'required') if tag in required else ''}</th>" for tag in columns
    )
    rows = []
    for work in report.works:
        by_language = {track.language: track for track in work.tracks}
        cells = []
        for tag in columns:
            track = by_language.get(tag)
            if track is None:
                cells.append("<td>—</td>")
                continue
            if track.status == "missing":
                cells.append(f"<td>{_badge('missing')}</td>")
                continue
            if track.unreviewed:
                # Its own badge: never the green one of a track a person approved.
                parts = [_badge("unreviewed", f"{STATUS_LABELS.get(track.status, track.status)}, not reviewed")]
            else:
                parts = [_badge(track.status, STATUS_LABELS.get(track.status, track.status))]
            review = track.review or {}
            if review.get("by") or review.get("at"):
                who = " ".join(str(review[key]) for key in ("by", "at") if review.get(key))
                parts.append(f"<div class='sub'>reviewed by {escape(who)}</div>")
            errors, warnings = track.qc.errors, track.qc.warnings
            if errors:
                parts.append(_badge("error", f"{errors} QC error{'s' if errors != 1 else ''}"))
            elif warnings:
                parts.append(_badge("warning", f"{warnings} warning{'s' if warnings != 1 else ''}"))
            cells.append(f"<td>{' '.join(parts)}{_sync(track)}</td>")
        rows.append(f"<tr><td>{escape(_title(work.title))}</td>{''.join(cells)}</tr>")
    return (
        '<section><h2>Subtitles: works × languages</h2><table class="matrix">'
        f"<tr><th>Work</th>{head}</tr>{''.join(rows)}</table></section>"
    )


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
            "<tr>"
            f"<td>{escape(item.kind)}</td><td>{escape(languages)}</td>"
            f"<td><code>{escape(item.path)}</code>{font_html}{note_html}</td>"
            f"<td class='num'>{_duration(item.duration_ms)}</td>"
            f"<td class='num'>{_size(item.size)}</td>"
            f"<td><span class='hash' title='{escape(sha)}'>{escape(sha[:12])}</span></td>"
            "</tr>"
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
        "<table><tr><th>Kind</th><th>Languages</th><th>File</th><th>Duration</th><th>Size</th>"
        f"<th>sha256</th></tr>{''.join(rows)}</table>"
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
        f"<td>{_badge(item.severity)}</td><td><code>{escape(item.code)}</code></td>"
        f"<td>{escape(item.language)}</td><td class='num'>{escape(item.where)}</td>"
        f"<td>{escape(item.message)}</td>"
        "</tr>"
        for item in findings
    )
    errors = sum(1 for item in findings if item.severity == "error")
    summary = f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({errors} error{'s' if errors != 1 else ''})"
    opened = " open" if errors else ""
    return (
        f"<details{opened}><summary>{escape(summary)}</summary><table class='findings'>"
        "<tr><th>Severity</th><th>Code</th><th>Track</th><th>Where</th><th>Message</th></tr>"
        f"{rows}</table></details>"
    )


def _work(work: WorkReport, root: Path) -> str:
    title = _title(work.title)
    others = _other_titles(work.title, title)
    facts = [
        work.original_language and f"original {work.original_language}",
        work.runtime_ms and f"runtime {_duration(work.runtime_ms)}",
        ", ".join(work.directors) or None,
    ]
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
    return (
        f"<section id='work-{escape(work.id)}'><div class='work-head'><h2>{escape(title)}</h2>"
        f"<span class='sub'>{escape(others)}</span></div>"
        f"<div class='sub'>{escape(' · '.join(str(fact) for fact in facts if fact))}</div>"
        f"<h3>Deliverables</h3>{_deliverables(work, root)}{translation}"
        f"<h3>Quality control</h3>{_findings(work)}</section>"
    )


def render_report(report: PackageReport, package_root: Path) -> str:
    event = report.event
    title = _title(event.title)
    others = _other_titles(event.title, title)
    works = report.works
    tracks = report.tracks
    missing = sum(1 for track in tracks if track.status == "missing")
    machine = sum(1 for track in tracks if track.status == "machine")
    converted = sum(1 for track in tracks if track.status == "converted")
    qc_errors = sum(track.qc.errors for track in tracks)
    deliverables = sum(len(work.deliverables) for work in works)
    venues = ", ".join(f"{v.name or ''} ({v.city or ''})" for v in event.venues)
    cards = [
        ("", len(works), "works"),
        ("", deliverables, "deliverables"),
        ("bad" if missing else "ok", missing, "missing tracks"),
        ("", machine, "machine-translated tracks"),
        *([("", converted, "converted tracks (zh-Hans ↔ zh-Hant)")] if converted else []),
        ("bad" if qc_errors else "ok", qc_errors, "QC errors"),
    ]
    cards_html = "".join(
        f"<div class='card {cls}'><div class='n'>{value}</div><div class='l'>{escape(label)}</div></div>"
        for cls, value, label in cards
    )
    screenings = "".join(
        f"<tr><td>{escape(s.id or '')}</td><td>{escape(s.where)}</td>"
        f"<td class='num'>{escape(s.start or '')}</td>"
        f"<td>{escape(', '.join(s.works))}</td></tr>"
        for s in report.screenings
    )
    screenings_html = (
        "<section><h2>Screenings</h2><table><tr><th>Screening</th><th>Where</th><th>Start</th>"
        f"<th>Programme</th></tr>{screenings}</table></section>"
        if screenings
        else ""
    )
    body = (
        f"<header><h1>{escape(title)}</h1><div class='alt'>{escape(others)}</div><div class='meta'>"
        f"<span>{escape(event.dates)}</span><span>{escape(venues)}</span>"
        f"<span>QC profile: {escape(event.qc_profile)}</span></div></header>"
        f"<main><div class='cards'>{cards_html}</div>{_matrix(report)}{screenings_html}"
        + "".join(_work(work, package_root) for work in works)
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
