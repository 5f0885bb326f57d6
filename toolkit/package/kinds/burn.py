"""Burned-in copies (one or two languages each, SKP103 when a language has no track) and a
still frame of each, for the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.errors import ScreenkitError
from toolkit.languages import Language, parse_language
from toolkit.package.kinds import StepKind
from toolkit.package.plan import PackagePlan, WorkPlan
from toolkit.package.steps import Step

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track

CONTAINERS = ("mp4", "mkv", "mov")


def plan(package: PackagePlan, work: WorkPlan) -> None:
    container = package.event.get("screening_copy", {}).get("container", "mp4")
    if container not in CONTAINERS:
        container = "mp4"
    for burn in work.data.get("deliverables", {}).get("burn", []):
        _plan_burn(package, work, [parse_language(tag) for tag in burn["languages"]], container)


def _plan_burn(package: PackagePlan, work: WorkPlan, languages: list[Language], container: str) -> None:
    try:
        files, after = package.tracks_for(work, languages)
    except ScreenkitError as error:
        package.warnings.append(package.finding("SKP103", Severity.ERROR, error.message, work))
        return
    label = "+".join(language.tag for language in languages)
    package.check_review(work, languages, f"burned copy {label}")
    target = package.work_dir(work) / f"{work.id}.burned.{label}.{container}"
    still = package.work_dir(work) / "stills" / f"{work.id}.burned.{label}.png"
    video = work.video
    options = package.options

    def run_burn(step: Step) -> dict[str, Any]:
        from toolkit.media.burn import burn
        from toolkit.subtitles import read_track

        tracks = [read_track(path, language=lang) for path, lang in zip(files, languages, strict=True)]
        result = burn(
            video, tracks, target, font=options.font, crf=options.crf, preset=options.preset,
            ffmpeg=options.ffmpeg,
        )
        return {"fonts": [font.describe() for font in result.fonts], "warnings": list(result.warnings)}

    def run_still(step: Step) -> dict[str, Any]:
        from toolkit.media.still import still_frame
        from toolkit.subtitles import read_track

        at_ms = still_time(read_track(files[0]))
        still_frame(target, at_ms, still, ffmpeg=options.ffmpeg)
        return {"at_ms": at_ms}

    from toolkit.media.fonts import faces_version

    burn_id = f"{work.id}/burn/{label}"
    package.steps.append(
        Step(burn_id, "burn", run_burn, inputs=[video, *files],
             options={"crf": options.crf, "preset": options.preset, "font": options.font, "faces": faces_version(),
                      "languages": [language.tag for language in languages],
                      "ffmpeg": package.ffmpeg_version},
             outputs=[target], after=after, work=work.id)
    )
    package.steps.append(
        Step(f"{work.id}/still/{label}", "still", run_still, inputs=[target, files[0]],
             options={"ffmpeg": package.ffmpeg_version}, outputs=[still], after=[burn_id], work=work.id)
    )


def still_time(track: Track) -> int:
    """A moment when a subtitle is on screen: the middle of the cue nearest a quarter in."""
    cues = [cue for cue in track.cues if cue.end > cue.start]
    if not cues:
        return 0
    quarter = cues[-1].end // 4
    cue = min(cues, key=lambda c: abs((c.start + c.end) // 2 - quarter))
    return (cue.start + cue.end) // 2


CODES = (
    CodeDoc("SKP103", "a burned-in copy lacks a track", Severity.ERROR, "A burn deliverable asks for a language the work has no track in, and none is translated.", "Add the track, or build with --translate-missing."),
    CodeDoc("SKP104", "a copy shows an unreviewed track", Severity.WARNING, "A burned or muxed copy carries a track a machine translated (origin: machine, or translated by this run) that no person approved, or one marked reviewed: false. An error when the event says require_review: true.", "Review and approve it (screenkit review), or set reviewed: true once a person has checked it."),
)

KINDS = (StepKind("burn", order=30, plan=plan, deliverable=True, video=True), StepKind("still", order=31))
