"""Sidecar subtitle files beside the video, one per present track and format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.languages import language_from_filename
from toolkit.package.kinds import StepKind
from toolkit.package.plan import PackagePlan, WorkPlan
from toolkit.package.steps import Step


def plan(package: PackagePlan, work: WorkPlan) -> None:
    sidecar = work.data.get("deliverables", {}).get("sidecar")
    if sidecar is None:
        return
    formats = sidecar.get("formats", ["srt"])
    present = work.present()
    if not present:
        return
    files, after = package.tracks_for(work, [track.language for track in present])
    outputs = {
        (path, fmt): package.work_dir(work) / "sidecar" / f"{work.id}.{track.language.tag}.{fmt}"
        for path, track in zip(files, present, strict=True)
        for fmt in formats
    }

    def run(step: Step) -> dict[str, Any]:
        from toolkit.subtitles import read_track, write_track

        for (path, fmt), target in outputs.items():
            write_track(read_track(path), target, fmt=fmt)
        return {}

    package.steps.append(
        Step(f"{work.id}/sidecar", "sidecar", run, inputs=files, options={"formats": formats},
             outputs=list(outputs.values()), after=after, work=work.id)
    )


def languages(step: Step, output: Path) -> list[str]:
    """One file per track: its language is in its name."""
    found = language_from_filename(output)
    return [found.tag] if found else []


KINDS = (StepKind("sidecar", order=50, plan=plan, deliverable=True, languages=languages),)
