"""Assemble the typed report (:mod:`toolkit.report.model`) from a plan and its step results."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.diagnostics import Diagnostic
from toolkit.errors import ScreenkitError
from toolkit.package.kinds import kinds, output_languages
from toolkit.package.plan import PRESENT, PackagePlan, WorkPlan, audience_languages
from toolkit.package.steps import Step, StepResult
from toolkit.report.model import (
    Deliverable,
    EventReport,
    Finding,
    PackageReport,
    QCCounts,
    ReportWarning,
    ScreeningReport,
    TrackReport,
    Venue,
    WorkReport,
)

Digest = Callable[[Path], str]
_DONE = ("ran", "skipped")


def _done(result: StepResult | None) -> bool:
    return result is not None and result.action in _DONE


def build_report(
    package: PackagePlan,
    results: dict[str, StepResult],
    manifest_sha: str,
    digest: Digest,
    warnings: Sequence[Diagnostic] | None = None,
) -> PackageReport:
    """The report of a run; ``warnings``: what the run printed (the plan's own when None)."""
    required, optional = audience_languages(package.event)
    event = package.event
    venues = event.get("venues", [])
    screens = {(v["id"], s["id"]): f"{v.get('name', v['id'])} · {s.get('name', s['id'])}"
               for v in venues for s in v.get("screens", [])}
    dates = event.get("dates", {})
    return PackageReport(
        screenkit=__version__,
        manifest_path=package.manifest.path.name,
        manifest_sha256=manifest_sha,
        event=EventReport(
            id=event.get("id"),
            title=dict(event.get("title", {})),
            dates=f"{dates.get('start', '')} – {dates.get('end', '')}",
            time_zone=event.get("time_zone"),
            venues=[Venue(v.get("id"), v.get("name"), v.get("city")) for v in venues],
            qc_profile=package.profile_name,
        ),
        required_languages=[x.tag for x in required],
        optional_languages=[x.tag for x in optional],
        screenings=[
            ScreeningReport(
                id=s.get("id"),
                where=screens.get((s.get("venue"), s.get("screen")), f"{s.get('venue')} / {s.get('screen')}"),
                start=s.get("start"),
                works=list(s.get("works", [])),
                title=dict(s.get("title", {})),
                end=_screening_end(s, {w.get("id"): w for w in package.data.get("works", [])}),
            )
            for s in package.data.get("screenings", [])
        ],
        works=[_work(package, plan, results, digest) for plan in package.works],
        warnings=[_warning(package, d) for d in (package.warnings if warnings is None else warnings)],
        language=report_language(package.event),
    )


REPORT_LANGUAGES = ("fr", "en", "zh-Hans", "zh-Hant")


def report_language(event: dict[str, Any]) -> str:
    """The language the report writes its dates in: the event's first required audience language
    it knows (the team that screens the package reads it), else English."""
    required, optional = audience_languages(event)
    for language in (*required, *optional):
        for known in REPORT_LANGUAGES:
            if language.tag == known or language.tag.startswith(known + "-"):
                return known
    return "en"


def _screening_end(screening: dict[str, Any], works: dict[str, dict[str, Any]]) -> str | None:
    """Start + intro + the works' runtimes + Q&A (as the schedule check counts it), at the start's offset."""
    try:
        start = datetime.fromisoformat(str(screening.get("start")))
    except ValueError:
        return None
    seconds = sum(float(works.get(work, {}).get("runtime") or 0) for work in screening.get("works", []))
    minutes = float(screening.get("intro_minutes") or 0) + float(screening.get("qa_minutes") or 0)
    return (start + timedelta(seconds=seconds, minutes=minutes)).isoformat(timespec="seconds")


def _warning(package: PackagePlan, diagnostic: Diagnostic) -> ReportWarning:
    from toolkit.catalogue import catalogue

    work = None
    match = re.match(r"works\[(\d+)\]", diagnostic.location.pointer or "")
    works = package.data.get("works", [])
    if match and int(match.group(1)) < len(works):
        work = works[int(match.group(1))].get("id")
    doc = catalogue().get(diagnostic.code)
    return ReportWarning(
        code=diagnostic.code,
        severity=diagnostic.severity.value,
        message=diagnostic.message,
        work=work,
        fix=diagnostic.fix or (doc.fix if doc is not None else None),
        pointer=diagnostic.location.pointer,
        line=diagnostic.location.line,
    )


def _work(package: PackagePlan, plan: WorkPlan, results: dict[str, StepResult], digest: Digest) -> WorkReport:
    report = WorkReport(
        id=plan.id,
        title=dict(plan.data.get("title", {})),
        original_language=plan.data.get("original_language"),
        runtime_ms=int(plan.data["runtime"] * 1000) if plan.data.get("runtime") else None,
        directors=list(plan.data.get("directors", [])),
        synopsis=dict(plan.data.get("synopsis", {})),
        content_notes=[str(note) for note in plan.data.get("content_notes", [])],
    )
    for track in plan.tracks.values():
        result = results.get(track.step_id)
        details = result.info if result is not None and _done(result) else {}
        findings = [Finding.from_json(item) for item in details.get("findings", [])]
        report.findings.extend(findings)
        entry = TrackReport(
            language=track.language.tag,
            status=track.status if (result is None or _done(result)) else "missing",
            required=track.required,
            cues=details.get("cues"),
            qc=QCCounts(
                errors=sum(1 for f in findings if f.severity == "error"),
                warnings=sum(1 for f in findings if f.severity == "warning"),
                fixes=len(details.get("fixes", [])),
            ),
        )
        if track.status in PRESENT and _done(result):
            entry.path = package.relative(package.track_file(plan, track.language))
            entry.review = {"reviewed": not track.unreviewed}
            if track.reviewed_by:
                entry.review["by"] = track.reviewed_by
            if track.reviewed_at:
                entry.review["at"] = track.reviewed_at
        if track.source_language:
            entry.source = track.source_language.tag
            entry.translation = dict(details.get("translation", {}))
        if result is not None and result.error:
            entry.error = result.error
        if isinstance(details.get("sync"), dict):
            entry.sync = dict(details["sync"])
            from toolkit.sync.check import event_tolerance_ms

            entry.sync_tolerance_ms = event_tolerance_ms(package.event)
        report.tracks.append(entry)
    for step in package.steps:
        kind = kinds().get(step.kind)
        if step.work == plan.id and kind is not None and kind.deliverable:
            report.deliverables.extend(_deliverables(package, step, results, digest))
    return report


def _deliverables(package: PackagePlan, step: Step, results: dict[str, StepResult], digest: Digest) -> list[Deliverable]:
    result = results.get(step.id)
    kind = kinds()[step.kind]
    # A still made of this deliverable (a step of its own, run after it).
    still = next((s for s in package.steps if s.kind == "still" and s.after == [step.id]), None)
    still_result = results.get(still.id) if still is not None else None
    items = []
    for output in step.outputs:
        item = Deliverable(kind=step.kind, path=package.relative(output), languages=output_languages(step, output))
        if not _done(result):
            item.status = result.action if result else "not run"
        if output.is_file() and _done(result):
            item.size = output.stat().st_size
            item.sha256 = digest(output)
            if kind.video:
                item.duration_ms = _duration_ms(output)
        if still is not None and still_result is not None and _done(still_result):
            item.still = package.relative(still.outputs[0])
            item.still_at_ms = still_result.info.get("at_ms")
        if result is not None:
            item.error = result.error
            item.warnings = [str(w) for w in result.info.get("warnings", [])]
            item.fonts = [str(f) for f in result.info.get("fonts", [])]
        items.append(item)
    return items


def _duration_ms(path: Path) -> int | None:
    from toolkit.media.probe import probe

    try:
        return probe(path, require_video=False).duration_ms
    except ScreenkitError:
        return None
