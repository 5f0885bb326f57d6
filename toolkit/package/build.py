"""``screenkit package``: the whole screening package of an event, from its manifest.

Data flows one way: validate the manifest → plan the tracks of every work →
run the steps (QC-fixed tracks, translations, burned and muxed copies,
sidecars, stills), each skipped when its inputs have not changed → write the
output manifest, the report and the checksums.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.diagnostics import Diagnostic, Severity
from toolkit.errors import EXIT_FINDINGS, ScreenkitError
from toolkit.fsutil import atomic_path, write_text_atomic
from toolkit.languages import Language, language_from_filename, parse_language
from toolkit.package.plan import TrackSource, WorkPlan, choose_translation_source, plan_works
from toolkit.package.steps import (
    STATE_DIR,
    Step,
    StepResult,
    StepRunner,
    clean_partial_files,
    file_sha256,
)

REPORT_JSON = "report.json"
REPORT_HTML = "report.html"
CHECKSUMS = "checksums.sha256"
DEFAULT_PROFILE = "festival"
# manifest semantic codes: required language missing, burned-in language missing.
MISSING_LANGUAGE_CODES = frozenset({"M501", "M503"})


class PackageBlocked(ScreenkitError):
    """The manifest has errors: nothing is built; the findings say why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message, exit_code=EXIT_FINDINGS)
        self.diagnostics = diagnostics


@dataclass
class PackageOptions:
    translate_missing: bool = False
    jobs: int = 1
    dry_run: bool = False
    check_media: bool = True
    crf: int = 20
    preset: str = "veryfast"
    font: str | None = None
    ffmpeg: str | None = None
    cache: Path | None = None  # translation cache (default: inside the package's state folder)


@dataclass
class PackageResult:
    out_dir: Path
    steps: list[StepResult] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)  # step descriptions (dry run)
    warnings: list[Diagnostic] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> list[StepResult]:
        return [result for result in self.steps if result.action in ("failed", "blocked")]


EventCallback = Callable[[str, Step], None]


class _Builder:
    def __init__(self, manifest: Any, out_dir: Path, options: PackageOptions) -> None:
        self.options = options
        self.manifest = manifest
        self.data = self.manifest.data
        self.event = self.data["event"]
        self.out = out_dir
        self.profile_name = self.event.get("qc_profile", DEFAULT_PROFILE)
        self.works = plan_works(self.data, self.manifest.resolve)
        self.steps: list[Step] = []
        self.warnings: list[Diagnostic] = []
        self._translator_lock = threading.Lock()

    @functools.cached_property
    def ffmpeg_version(self) -> str:
        """In the fingerprint of every ffmpeg step: another ffmpeg rebuilds the copies."""
        from toolkit.media.ffmpeg import resolve_ffmpeg

        return resolve_ffmpeg(self.options.ffmpeg).version

    # ---- paths inside the package -------------------------------------------------
    def work_dir(self, work: WorkPlan) -> Path:
        return self.out / work.id

    def track_file(self, work: WorkPlan, language: Language) -> Path:
        return self.work_dir(work) / "subtitles" / f"{work.id}.{language.tag}.srt"

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.out).as_posix()

    # ---- planning -----------------------------------------------------------------
    def plan(self) -> None:
        for work in self.works:
            self._plan_tracks(work)
            self._plan_media(work)
            self._plan_deliverables(work)

    def _plan_tracks(self, work: WorkPlan) -> None:
        for track in list(work.tracks.values()):
            if track.status in ("human", "machine") and track.source_path is not None:
                self.steps.append(self._qc_step(work, track))
            elif track.status == "missing":
                self._plan_missing(work, track)

    def _plan_missing(self, work: WorkPlan, track: TrackSource) -> None:
        if not self.options.translate_missing:
            if not track.required:
                self.warnings.append(
                    Diagnostic(
                        "SKP101",
                        Severity.WARNING,
                        f"{work.id} has no {track.language.tag} track (optional): left out; "
                        "--translate-missing would translate one",
                        fix="screenkit package --translate-missing",
                    )
                )
            return
        from toolkit.translate import package_support

        source = choose_translation_source(work, track.language, package_support.route_hops)
        if source is None:
            self.warnings.append(
                Diagnostic(
                    "SKP102",
                    Severity.ERROR if track.required else Severity.WARNING,
                    f"{work.id}: no installed model translates any of its tracks into "
                    f"{track.language.tag} ({package_support.install_hint_for(work, track.language)})",
                )
            )
            return
        track.status = "machine"
        track.translated = True
        track.source_language = source.language
        self.steps.append(self._translate_step(work, track, source))

    def _qc_step(self, work: WorkPlan, track: TrackSource) -> Step:
        target = self.track_file(work, track.language)
        source_path = track.source_path
        assert source_path is not None

        def run(step: Step) -> dict[str, Any]:
            from toolkit.subtitles import read_track

            subtitles = read_track(source_path, language=track.language)
            return self._fix_and_write(subtitles, track.language, target, {"source_encoding": subtitles.encoding})

        return Step(
            track.step_id,
            "subtitles",
            run,
            inputs=[source_path],
            options={"profile": self.profile_name, "language": track.language.tag},
            outputs=[target],
            work=work.id,
        )

    def _fix_and_write(
        self, subtitles: Any, language: Language, target: Path, info: dict[str, Any]
    ) -> dict[str, Any]:
        from toolkit.qc import fix_track, lint_track, load_profile
        from toolkit.subtitles import write_track

        profile = load_profile(self.profile_name, language)
        fixed = fix_track(subtitles, profile)
        findings = lint_track(fixed.track, profile)
        write_track(fixed.track, target, fmt="srt")
        return {
            **info,
            "cues": len(fixed.track.cues),
            "fixes": list(fixed.changes),
            "findings": [_finding(d, language) for d in findings],
        }

    def _translate_step(self, work: WorkPlan, track: TrackSource, source: TrackSource) -> Step:
        from toolkit.translate import package_support

        target = self.track_file(work, track.language)
        source_file = self.track_file(work, source.language)
        cache = self.options.cache or (self.out / STATE_DIR / "translations.sqlite")

        def run(step: Step) -> dict[str, Any]:
            with self._translator_lock:  # one model in memory at a time, batched inside
                translated, stats = package_support.translate_file(
                    source_file, source.language, track.language, cache_path=cache
                )
            return self._fix_and_write(
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
                "profile": self.profile_name,
                "from": source.language.tag,
                "to": track.language.tag,
                "models": package_support.models_fingerprint(source.language, track.language),
            },
            outputs=[target],
            after=[source.step_id],
            work=work.id,
        )

    def _plan_media(self, work: WorkPlan) -> None:
        target = self.work_dir(work) / "media" / work.video.name
        video = work.video

        def run(step: Step) -> dict[str, Any]:
            with atomic_path(target) as temporary:
                temporary.unlink()
                try:
                    os.link(video, temporary)  # free on one file system
                except OSError:
                    shutil.copyfile(video, temporary)
            return {}

        self.steps.append(Step(f"{work.id}/media", "media", run, inputs=[video], outputs=[target], work=work.id))

    def _tracks_for(self, work: WorkPlan, languages: list[Language]) -> tuple[list[Path], list[str]]:
        files, after = [], []
        for language in languages:
            track = work.tracks.get(language.tag)
            if track is None or track.status not in ("human", "machine"):
                raise ScreenkitError(
                    f"{work.id}: a deliverable needs a {language.tag} track, and there is none"
                    + ("" if self.options.translate_missing else " (--translate-missing can make one)")
                )
            files.append(self.track_file(work, language))
            after.append(track.step_id)
        return files, after

    def _plan_deliverables(self, work: WorkPlan) -> None:
        deliverables = work.data.get("deliverables", {})
        container = self.event.get("screening_copy", {}).get("container", "mp4")
        if container not in ("mp4", "mkv", "mov"):
            container = "mp4"
        for burn in deliverables.get("burn", []):
            languages = [parse_language(tag) for tag in burn["languages"]]
            self._plan_burn(work, languages, container)
        mux = deliverables.get("mux")
        if mux is not None:
            self._plan_mux(work, mux)
        sidecar = deliverables.get("sidecar")
        if sidecar is not None:
            self._plan_sidecar(work, sidecar.get("formats", ["srt"]))

    def _plan_burn(self, work: WorkPlan, languages: list[Language], container: str) -> None:
        try:
            files, after = self._tracks_for(work, languages)
        except ScreenkitError as error:
            self.warnings.append(Diagnostic("SKP103", Severity.ERROR, error.message))
            return
        label = "+".join(language.tag for language in languages)
        target = self.work_dir(work) / f"{work.id}.burned.{label}.{container}"
        still = self.work_dir(work) / "stills" / f"{work.id}.burned.{label}.png"
        video = work.video
        options = self.options

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

            at_ms = _still_time(read_track(files[0]))
            still_frame(target, at_ms, still, ffmpeg=options.ffmpeg)
            return {"at_ms": at_ms}

        burn_id = f"{work.id}/burn/{label}"
        self.steps.append(
            Step(burn_id, "burn", run_burn, inputs=[video, *files],
                 options={"crf": options.crf, "preset": options.preset, "font": options.font,
                          "languages": [language.tag for language in languages],
                          "ffmpeg": self.ffmpeg_version},
                 outputs=[target], after=after, work=work.id)
        )
        self.steps.append(
            Step(f"{work.id}/still/{label}", "still", run_still, inputs=[target, files[0]],
                 options={"ffmpeg": self.ffmpeg_version}, outputs=[still], after=[burn_id], work=work.id)
        )

    def _plan_mux(self, work: WorkPlan, mux: dict[str, Any]) -> None:
        tags = mux.get("tracks") or [t.language.tag for t in work.present()]
        languages = [parse_language(tag) for tag in tags]
        languages = [language for language in languages if language.tag in work.tracks
                     and work.tracks[language.tag].status in ("human", "machine")]
        if not languages:
            return
        files, after = self._tracks_for(work, languages)
        container = mux.get("container", "mkv")
        default = mux.get("default")
        target = self.work_dir(work) / f"{work.id}.subtitled.{container}"
        video = work.video
        options = self.options

        def run(step: Step) -> dict[str, Any]:
            from toolkit.media.mux import mux as mux_video
            from toolkit.subtitles import read_track

            tracks = [read_track(path, language=lang) for path, lang in zip(files, languages, strict=True)]
            result = mux_video(video, tracks, target, default=parse_language(default) if default else None,
                               ffmpeg=options.ffmpeg)
            return {"warnings": list(result.warnings)}

        self.steps.append(
            Step(f"{work.id}/mux", "mux", run, inputs=[video, *files],
                 options={"container": container, "default": default, "languages": [x.tag for x in languages],
                          "ffmpeg": self.ffmpeg_version},
                 outputs=[target], after=after, work=work.id)
        )

    def _plan_sidecar(self, work: WorkPlan, formats: list[str]) -> None:
        present = work.present()
        if not present:
            return
        files, after = self._tracks_for(work, [track.language for track in present])
        outputs = {
            (path, fmt): self.work_dir(work) / "sidecar" / f"{work.id}.{track.language.tag}.{fmt}"
            for path, track in zip(files, present, strict=True)
            for fmt in formats
        }

        def run(step: Step) -> dict[str, Any]:
            from toolkit.subtitles import read_track, write_track

            for (path, fmt), target in outputs.items():
                write_track(read_track(path), target, fmt=fmt)
            return {}

        self.steps.append(
            Step(f"{work.id}/sidecar", "sidecar", run, inputs=files, options={"formats": formats},
                 outputs=list(outputs.values()), after=after, work=work.id)
        )


def _still_time(track: Any) -> int:
    """A moment when a subtitle is on screen: the middle of the cue nearest a quarter in."""
    cues = [cue for cue in track.cues if cue.end > cue.start]
    if not cues:
        return 0
    quarter = cues[-1].end // 4
    cue = min(cues, key=lambda c: abs((c.start + c.end) // 2 - quarter))
    return (cue.start + cue.end) // 2


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


# ---- the finished package: output manifest, report, checksums ------------------------


def _validate(manifest: Any, manifest_path: Path, options: PackageOptions) -> list[Diagnostic]:
    from toolkit.manifest import check_manifest

    diagnostics = check_manifest(manifest, check_media=options.check_media)
    blocking = [
        d for d in diagnostics
        if d.is_error and not (options.translate_missing and d.code in MISSING_LANGUAGE_CODES)
    ]
    if blocking:
        raise PackageBlocked(
            f"{manifest_path}: {len(blocking)} error(s) in the manifest; nothing was built", diagnostics
        )
    # M502 (optional language missing) is said by the package itself, with its own advice.
    return [d for d in diagnostics if not d.is_error and d.code != "M502"]


def _output_manifest(builder: _Builder, digest: Callable[[Path], str]) -> dict[str, Any]:
    """The manifest as it stands in the package: its paths, its hashes, machine tracks marked."""
    data = json.loads(json.dumps(builder.data))
    for work, plan in zip(data["works"], builder.works, strict=True):
        media = builder.work_dir(plan) / "media" / plan.video.name
        work["media"]["path"] = builder._rel(media)
        work["media"]["sha256"] = digest(media)
        tracks = []
        for track in plan.present():
            path = builder.track_file(plan, track.language)
            original = (
                dict(plan.data["subtitles"][track.manifest_index]) if track.manifest_index is not None else {}
            )
            original.update(
                {
                    "language": track.language.tag,
                    "path": builder._rel(path),
                    "format": "srt",
                    "sha256": digest(path),
                    "origin": "machine" if track.status == "machine" else original.get("origin", "human"),
                }
            )
            if track.translated:
                original["reviewed"] = False
            tracks.append(original)
        work["subtitles"] = tracks
    return data


def _write_manifest(builder: _Builder, data: dict[str, Any]) -> Path:
    suffix = builder.manifest.path.suffix.lower()
    if suffix == ".json":
        target = builder.out / "manifest.json"
        write_text_atomic(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return target
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    target = builder.out / "manifest.yaml"
    with atomic_path(target) as temporary, open(temporary, "w", encoding="utf-8") as handle:
        handle.write("# Written by screenkit package: paths inside this package, hashes filled in.\n")
        yaml.dump(data, handle)
    return target


def _report(
    builder: _Builder, results: dict[str, StepResult], manifest_sha: str, digest: Callable[[Path], str]
) -> dict[str, Any]:
    from toolkit.package.plan import audience_languages

    required, optional = audience_languages(builder.event)
    venues = builder.event.get("venues", [])
    screens = {(v["id"], s["id"]): f"{v.get('name', v['id'])} · {s.get('name', s['id'])}"
               for v in venues for s in v.get("screens", [])}
    works = []
    for plan in builder.works:
        tracks = []
        findings: list[dict[str, Any]] = []
        for track in plan.tracks.values():
            info = results.get(track.step_id)
            details = info.info if info and info.action in ("ran", "skipped") else {}
            track_findings = details.get("findings", [])
            findings.extend(track_findings)
            entry: dict[str, Any] = {
                "language": track.language.tag,
                "status": track.status if (info is None or info.action in ("ran", "skipped")) else "missing",
                "required": track.required,
                "cues": details.get("cues"),
                "qc": {
                    "errors": sum(1 for f in track_findings if f["severity"] == "error"),
                    "warnings": sum(1 for f in track_findings if f["severity"] == "warning"),
                    "fixes": len(details.get("fixes", [])),
                },
            }
            if track.status in ("human", "machine") and info is not None and info.action in ("ran", "skipped"):
                entry["path"] = builder._rel(builder.track_file(plan, track.language))
            if track.source_language:
                entry["source"] = track.source_language.tag
                entry["translation"] = details.get("translation", {})
            if info is not None and info.error:
                entry["error"] = info.error
            tracks.append(entry)
        deliverables = []
        for step in builder.steps:
            if step.work != plan.id or step.kind not in ("burn", "mux", "sidecar"):
                continue
            result = results.get(step.id)
            for output in step.outputs:
                languages = list(step.options.get("languages", []))
                if step.kind == "sidecar":
                    found = language_from_filename(output)
                    languages = [found.tag] if found else []
                item: dict[str, Any] = {
                    "kind": step.kind,
                    "path": builder._rel(output),
                    "languages": languages,
                }
                if result is None or result.action not in ("ran", "skipped"):
                    item["status"] = result.action if result else "not run"
                if output.is_file() and result and result.action in ("ran", "skipped"):
                    item["size"] = output.stat().st_size
                    item["sha256"] = digest(output)
                    if step.kind in ("burn", "mux"):
                        item["duration_ms"] = _duration_ms(output)
                if step.kind == "burn":
                    still = next((s for s in builder.steps if s.after == [step.id]), None)
                    if still and results.get(still.id) and results[still.id].action in ("ran", "skipped"):
                        item["still"] = builder._rel(still.outputs[0])
                        item["still_at_ms"] = results[still.id].info.get("at_ms")
                if result and result.error:
                    item["error"] = result.error
                if result and result.info.get("warnings"):
                    item["warnings"] = result.info["warnings"]
                if result and result.info.get("fonts"):
                    item["fonts"] = result.info["fonts"]
                deliverables.append(item)
        works.append(
            {
                "id": plan.id,
                "title": plan.data.get("title", {}),
                "original_language": plan.data.get("original_language"),
                "runtime_ms": int(plan.data["runtime"] * 1000) if plan.data.get("runtime") else None,
                "directors": plan.data.get("directors", []),
                "tracks": tracks,
                "deliverables": deliverables,
                "findings": findings,
            }
        )
    dates = builder.event.get("dates", {})
    return {
        "screenkit": __version__,
        "manifest": {"path": builder.manifest.path.name, "sha256": manifest_sha},
        "event": {
            "id": builder.event.get("id"),
            "title": builder.event.get("title", {}),
            "dates": f"{dates.get('start', '')} – {dates.get('end', '')}",
            "time_zone": builder.event.get("time_zone"),
            "venues": [{"id": v.get("id"), "name": v.get("name"), "city": v.get("city")} for v in venues],
            "qc_profile": builder.profile_name,
        },
        "languages": {"required": [x.tag for x in required], "optional": [x.tag for x in optional]},
        "screenings": [
            {
                "id": s.get("id"),
                "where": screens.get((s.get("venue"), s.get("screen")), f"{s.get('venue')} / {s.get('screen')}"),
                "start": s.get("start"),
                "works": list(s.get("works", [])),
            }
            for s in builder.data.get("screenings", [])
        ],
        "works": works,
        "warnings": [d.message for d in builder.warnings],
    }


def _duration_ms(path: Path) -> int | None:
    from toolkit.media.probe import probe

    try:
        return probe(path, require_video=False).duration_ms
    except ScreenkitError:
        return None


def write_checksums(out_dir: Path, digest: Callable[[Path], str] = file_sha256) -> Path:
    """``checksums.sha256`` over every file of the package (``sha256sum -c`` reads it)."""
    lines = []
    for path in sorted(out_dir.rglob("*")):
        relative = path.relative_to(out_dir)
        if not path.is_file() or relative.parts[0] == STATE_DIR or relative.as_posix() == CHECKSUMS:
            continue
        lines.append(f"{digest(path)}  {relative.as_posix()}")
    target = out_dir / CHECKSUMS
    write_text_atomic(target, "\n".join(lines) + "\n")
    return target


def build_package(
    manifest_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    options: PackageOptions | None = None,
    on_event: EventCallback | None = None,
) -> PackageResult:
    """Validate, plan and build (or, with ``dry_run``, only plan) the package."""
    options = options or PackageOptions()
    manifest_path, out = Path(manifest_path), Path(out_dir)
    _refuse_dangerous_output(manifest_path, out)
    from toolkit.manifest import load_manifest

    manifest = load_manifest(manifest_path)  # once: validated, then planned from
    warnings = _validate(manifest, manifest_path, options)
    builder = _Builder(manifest, out, options)
    builder.plan()
    result = PackageResult(out, warnings=warnings + builder.warnings)
    result.plan = [step.describe() for step in builder.steps]
    blocking = [d for d in builder.warnings if d.is_error]
    if blocking:
        raise PackageBlocked(f"{manifest_path}: cannot build the package", blocking)
    if options.dry_run:
        return result
    (out / STATE_DIR).mkdir(parents=True, exist_ok=True)
    clean_partial_files(out)
    runner = StepRunner(out, jobs=options.jobs, on_event=on_event)
    result.steps = runner.run(builder.steps)
    step_log = [{"step": r.step, "kind": r.kind, "action": r.action, "error": r.error} for r in result.steps]
    write_text_atomic(out / STATE_DIR / "last-run.json", json.dumps(step_log, indent=1) + "\n")
    by_id = {step.step: step for step in result.steps}
    manifest_sha = file_sha256(manifest_path)
    # The runner's hashes: every output hashed once per run (cached by path, size, mtime).
    digest = runner.hash
    if not result.failed:
        _write_manifest(builder, _output_manifest(builder, digest))
    report = _report(builder, by_id, manifest_sha, digest)
    write_text_atomic(out / REPORT_JSON, json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    from toolkit.report.html import render_report

    write_text_atomic(out / REPORT_HTML, render_report(report, out))
    write_checksums(out, digest)
    result.report = report
    return result


def _refuse_dangerous_output(manifest_path: Path, out: Path) -> None:
    base = manifest_path.resolve().parent
    target = out.resolve()
    if target == base or base.is_relative_to(target):
        raise ScreenkitError("the package folder must not be the manifest's folder or contain it", path=out)
    if target.exists() and not target.is_dir():
        raise ScreenkitError("not a folder", path=out)
    if target.is_dir() and any(target.iterdir()) and not (target / STATE_DIR).is_dir():
        raise ScreenkitError(
            "folder exists and is not a screenkit package; choose an empty or new folder", path=out
        )
