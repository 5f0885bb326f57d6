"""Cinema and broadcast subtitle deliverables: DCP subtitles, IMSC 1.1 Text, EBU-TT-D.

- ``dcp_subtitles``: one DCP subtitle file per language (and one per
  bilingual pair) in ``WORK/dcp/LANG/`` (each in its own folder: a DCP
  subtitle file is its XML and its font or PNGs, and asdcp-wrap finds a
  SMPTE font as the one file of the folder holding its UUID).
- ``imsc``: ``WORK/imsc/WORK.LANG.ttml``; ``ebu_tt_d``: ``WORK/ebu-tt-d/WORK.LANG.xml``.

Each output is checked after it is written: DCP XML against its XSD (in
``write_dcp``, before the rename) and then by the ``DCP1xx`` rules on the
written files (font present, covering, under the limit); TTML read back
through ttconv with the same cues. Errors fail the step.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from toolkit.diagnostics import Severity
from toolkit.errors import ScreenkitError
from toolkit.languages import Language, parse_language
from toolkit.package.kinds import PlanWork, StepKind
from toolkit.package.plan import PRESENT, PackagePlan, WorkPlan
from toolkit.package.steps import Step


def _present(work: WorkPlan, tags: list[str] | None) -> list[Language]:
    if tags is None:
        return [track.language for track in work.present()]
    languages = [parse_language(tag) for tag in tags]
    return [lang for lang in languages if lang.tag in work.tracks and work.tracks[lang.tag].status in PRESENT]


def _title(work: WorkPlan) -> str:
    titles = work.data.get("title", {})
    return str(titles.get("original") or titles.get("en") or work.id)


def plan_dcp(package: PackagePlan, work: WorkPlan) -> None:
    spec = work.data.get("deliverables", {}).get("dcp_subtitles")
    if spec is None:
        return
    from toolkit.subtitles.timecode import parse_fps

    standard = spec.get("standard", "interop")
    fps = parse_fps(str(spec.get("frame_rate", "24")))
    reel = int(spec.get("reel", 1))
    bilingual = spec.get("bilingual")
    singles = _present(work, spec.get("languages")) if spec.get("languages") or not bilingual else []
    groups: list[list[Language]] = [[language] for language in singles]
    if bilingual:
        pair = _present(work, bilingual)
        if len(pair) == 2:
            groups.append(pair)
    from toolkit.media.fonts import faces_version

    title = _title(work)
    # SMPTE's IssueDate: the event's first day, so a rebuild gives the same bytes.
    issue = f"{package.event.get('dates', {}).get('start', '2000-01-01')}T00:00:00+00:00"
    for languages in groups:
        label = "+".join(language.tag for language in languages)
        files, after = package.tracks_for(work, languages)
        target = package.work_dir(work) / "dcp" / label / f"{work.id}.{label}.xml"

        def run(step: Step, files: list[Path] = files, languages: list[Language] = languages,
                target: Path = target) -> dict[str, Any]:
            return _run_dcp(files, languages, target, standard, title, fps, reel, issue)

        package.steps.append(
            Step(f"{work.id}/dcp/{label}", "dcp_subtitles", run, inputs=files,
                 options={"standard": standard, "fps": str(fps), "reel": reel, "title": title, "issue": issue,
                          "faces": faces_version(),
                          "languages": [language.tag for language in languages]},
                 outputs=[target], after=after, work=work.id)
        )


def _run_dcp(files: list[Path], languages: list[Language], target: Path, standard: str, title: str,
             fps: Fraction, reel: int, issue: str) -> dict[str, Any]:
    from toolkit.dcp.deliver import DcpOptions, write_dcp
    from toolkit.qc import load_profile
    from toolkit.qc.rules import lint_track
    from toolkit.subtitles import read_track

    if target.parent.is_dir():  # a rebuild: the old file's PNGs and font go
        for old in target.parent.iterdir():
            if old.is_file():
                old.unlink()
    tracks = [read_track(path, language=lang) for path, lang in zip(files, languages, strict=True)]
    result = write_dcp(tracks, target, DcpOptions(standard=standard, title=title, fps=fps, reel=reel,
                                                       issue_date=issue))
    written = read_track(target)
    written.frame_rate = fps
    findings = [d for d in lint_track(written, load_profile("cinema", languages[0]))
                if d.code.startswith("DCP")]
    errors = [d for d in findings if d.severity == Severity.ERROR]
    if errors:
        raise ScreenkitError(f"the written DCP subtitles fail {errors[0].code}: {errors[0].message}", path=target)
    return {
        "mode": result.mode,
        "files": [path.name for path in result.files],
        "font_bytes": result.font_bytes,
        "warnings": [*result.notes, *(d.format_text() for d in findings)],
    }


def _plan_ttml(kind: str, folder: str, suffix: str, fmt: str) -> PlanWork:
    def plan(package: PackagePlan, work: WorkPlan) -> None:
        spec = work.data.get("deliverables", {}).get(kind)
        if spec is None:
            return
        languages = _present(work, spec.get("languages"))
        if not languages:
            return
        files, after = package.tracks_for(work, languages)
        outputs = [package.work_dir(work) / folder / f"{work.id}.{lang.tag}{suffix}" for lang in languages]

        def run(step: Step) -> dict[str, Any]:
            from toolkit.subtitles import read_track, write_track

            for path, language, target in zip(files, languages, outputs, strict=True):
                track = read_track(path, language=language)
                write_track(track, target, fmt=fmt)
                back = read_track(target, fmt=fmt)  # through ttconv's reader
                shown = [c for c in track.cues if c.end > c.start]
                if [c.plain_text for c in back.cues] != [c.plain_text for c in sorted(shown, key=lambda c: (c.start, c.end))]:
                    raise ScreenkitError("bug: the written file does not read back with the same cues",
                                         path=target, exit_code=3)
            return {}

        package.steps.append(
            Step(f"{work.id}/{kind}", kind, run, inputs=files,
                 options={"languages": [language.tag for language in languages]},
                 outputs=outputs, after=after, work=work.id)
        )

    return plan


def _one_language(step: Step, output: Path) -> list[str]:
    from toolkit.languages import language_from_filename

    found = language_from_filename(output)
    return [found.tag] if found else []


KINDS = (
    StepKind("dcp_subtitles", order=60, plan=plan_dcp, deliverable=True),
    StepKind("imsc", order=61, plan=_plan_ttml("imsc", "imsc", ".ttml", "imsc"), deliverable=True,
             languages=_one_language),
    StepKind("ebu_tt_d", order=62, plan=_plan_ttml("ebu_tt_d", "ebu-tt-d", ".xml", "ebu-tt-d"),
             deliverable=True, languages=_one_language),
)
