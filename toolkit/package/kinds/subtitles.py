"""Subtitle tracks: every track the audience needs, QC-fixed into the package; missing ones
translated with --translate-missing (SKP101 optional track left out, SKP102 no model)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.diagnostics import CodeDoc, Diagnostic, Severity
from toolkit.languages import Language
from toolkit.package.kinds import StepKind
from toolkit.package.plan import (
    PRESENT,
    PackagePlan,
    TrackSource,
    WorkPlan,
    choose_translation_source,
)
from toolkit.package.steps import STATE_DIR, Step

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track


def plan(package: PackagePlan, work: WorkPlan) -> None:
    for track in list(work.tracks.values()):
        if track.status in PRESENT and track.source_path is not None:
            package.steps.append(_qc_step(package, work, track))
        elif track.status == "missing":
            _plan_missing(package, work, track)


def _plan_missing(package: PackagePlan, work: WorkPlan, track: TrackSource) -> None:
    if not package.options.translate_missing:
        if not track.required:
            package.warnings.append(
                package.finding(
                    "SKP101",
                    Severity.WARNING,
                    f"{work.id} has no {track.language.tag} track (optional): left out; "
                    "--translate-missing would translate one",
                    work,
                    fix="screenkit package --translate-missing",
                )
            )
        return
    from toolkit.translate import package_support

    source = choose_translation_source(work, track.language, package_support.route_hops)
    if source is None:
        package.warnings.append(
            package.finding(
                "SKP102",
                Severity.ERROR if track.required else Severity.WARNING,
                f"{work.id}: no installed model translates any of its tracks into "
                f"{track.language.tag} ({package_support.install_hint_for(work, track.language)})",
                work,
            )
        )
        return
    converted = package_support.is_conversion(source.language, track.language)
    track.status = "converted" if converted else "machine"
    track.translated = True
    track.source_language = source.language
    package.steps.append(_translate_step(package, work, track, source))


def _qc_step(package: PackagePlan, work: WorkPlan, track: TrackSource) -> Step:
    target = package.track_file(work, track.language)
    source_path = track.source_path
    assert source_path is not None

    measure_sync = package.options.check_media and work.video.is_file()

    def run(step: Step) -> dict[str, Any]:
        from toolkit.subtitles import read_track

        subtitles = read_track(source_path, language=track.language)
        info: dict[str, Any] = {"source_encoding": subtitles.encoding}
        if measure_sync:
            from toolkit.sync.check import estimate

            # The track as delivered, before QC fixes touch any time.
            info["sync"] = estimate(work.video, subtitles).to_json()
        return fix_and_write(package, subtitles, track.language, target, info)

    return Step(
        track.step_id,
        "subtitles",
        run,
        inputs=[source_path, *([work.video] if measure_sync else [])],
        options={**package.profile.fingerprint(), "language": track.language.tag, "sync": measure_sync},
        outputs=[target],
        work=work.id,
    )


def fix_and_write(
    package: PackagePlan, subtitles: Track, language: Language, target: Path, info: dict[str, Any]
) -> dict[str, Any]:
    """QC-fix a track with the event's profile, write it as SRT; its findings for the report."""
    from toolkit.qc import fix_track, lint_track, load_profile
    from toolkit.subtitles import write_track

    profile = load_profile(package.profile.source, language)
    fixed = fix_track(subtitles, profile)
    findings = lint_track(fixed.track, profile)
    write_track(fixed.track, target, fmt="srt")
    return {
        **info,
        "cues": len(fixed.track.cues),
        "fixes": list(fixed.changes),
        "findings": [_finding(d, language) for d in findings],
    }


def _finding(diagnostic: Diagnostic, language: Language) -> dict[str, Any]:
    location = diagnostic.location
    where = []
    if location.cue is not None:
        where.append(f"cue {location.cue}")
    if location.line is not None:
        where.append(f"line {location.line}")
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "language": language.tag,
        "where": ", ".join(where),
        "time_ms": location.time_ms,
    }


def _translate_step(package: PackagePlan, work: WorkPlan, track: TrackSource, source: TrackSource) -> Step:
    from toolkit.translate import package_support

    target = package.track_file(work, track.language)
    source_file = package.track_file(work, source.language)
    cache = package.options.cache or (package.out / STATE_DIR / "translations.sqlite")

    def run(step: Step) -> dict[str, Any]:
        with package.translator_lock:
            translated, stats = package_support.translate_file(
                source_file, source.language, track.language, cache_path=cache,
                executor=package_support.executor_for(package.options.executor),
            )
        return fix_and_write(
            package,
            translated,
            track.language,
            target,
            {"source_language": source.language.tag, "translation": stats},
        )

    return Step(
        track.step_id,
        "translate",
        run,
        inputs=[source_file],
        options={
            **package.profile.fingerprint(),
            "from": source.language.tag,
            "to": track.language.tag,
            "models": package_support.models_fingerprint(source.language, track.language),
        },
        outputs=[target],
        after=[source.step_id],
        work=work.id,
    )


CODES = (
    CodeDoc("SKP101", "optional track left out", Severity.WARNING, "A work has no track in an optional audience language; the package is built without it.", "screenkit package --translate-missing translates one."),
    CodeDoc("SKP102", "no model to translate a missing track", Severity.ERROR, "--translate-missing needs an installed argos model from one of the work's tracks into the missing language (directly or through English). An error for a required language, a warning for an optional one.", "screenkit models install FROM-TO (the message names one)."),
)

KINDS = (StepKind("subtitles", order=10, plan=plan), StepKind("translate", order=11))
