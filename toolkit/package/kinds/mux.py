"""The soft-subtitled copy: the video with every present track (or those listed), tagged."""

from __future__ import annotations

from typing import Any

from toolkit.languages import parse_language
from toolkit.package.kinds import StepKind
from toolkit.package.plan import PRESENT, PackagePlan, WorkPlan
from toolkit.package.steps import Step


def plan(package: PackagePlan, work: WorkPlan) -> None:
    mux = work.data.get("deliverables", {}).get("mux")
    if mux is None:
        return
    tags = mux.get("tracks") or [t.language.tag for t in work.present()]
    languages = [parse_language(tag) for tag in tags]
    languages = [language for language in languages if language.tag in work.tracks
                 and work.tracks[language.tag].status in PRESENT]
    if not languages:
        return
    files, after = package.tracks_for(work, languages)
    container = mux.get("container", "mkv")
    package.check_review(work, languages, f"{container.upper()} copy")
    default = mux.get("default")
    target = package.work_dir(work) / f"{work.id}.subtitled.{container}"
    video = work.video
    options = package.options
    titles = work.data.get("title", {})
    title = str(titles.get("original") or titles.get("en") or work.id)  # the MP4's own title

    def run(step: Step) -> dict[str, Any]:
        from toolkit.media.mux import mux as mux_video
        from toolkit.subtitles import read_track

        tracks = [read_track(path, language=lang) for path, lang in zip(files, languages, strict=True)]
        result = mux_video(video, tracks, target, default=parse_language(default) if default else None,
                           ffmpeg=options.ffmpeg, title=title)
        return {"warnings": list(result.warnings)}

    package.steps.append(
        Step(f"{work.id}/mux", "mux", run, inputs=[video, *files],
             options={"container": container, "default": default, "languages": [x.tag for x in languages],
                      "title": title,
                      "ffmpeg": package.ffmpeg_version},
             outputs=[target], after=after, work=work.id)
    )


KINDS = (StepKind("mux", order=40, plan=plan, deliverable=True, video=True),)
