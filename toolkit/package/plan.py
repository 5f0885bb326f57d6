"""What a package contains: per work, which track of each language comes from where,
and the steps that make it (:class:`PackagePlan`)."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.diagnostics import Diagnostic, Location, Severity
from toolkit.errors import ScreenkitError
from toolkit.languages import Language, parse_language
from toolkit.package.options import PackageOptions
from toolkit.package.steps import Step

if TYPE_CHECKING:
    from toolkit.manifest import Manifest

# Tracks that are in a package: given by a human, machine-translated, or converted from the
# other Chinese script (OpenCC; `origin: converted`).
PRESENT = ("human", "machine", "converted")


@dataclass
class TrackSource:
    """One subtitle track of a work in the package."""

    work: str
    language: Language
    status: str  # "human", "machine", "converted", "missing", or "original" (spoken in it: no track needed)
    source_path: Path | None = None  # human track in the manifest's folder
    source_language: Language | None = None  # for machine tracks
    required: bool = False
    manifest_index: int | None = None  # index in works[i].subtitles
    role: str = "full"
    translated: bool = False  # machine track made by this package run
    reviewed: bool | None = None  # the manifest's `reviewed` (written true by `screenkit review`)
    reviewed_by: str | None = None
    reviewed_at: str | None = None

    @property
    def unreviewed(self) -> bool:
        """Machine-translated (`origin: machine`, or by this run) and not approved by a person, or
        marked `reviewed: false`. A script conversion (OpenCC) has its own "converted" badge."""
        if self.reviewed is True:
            return False
        return self.reviewed is False or self.status == "machine"

    @property
    def step_id(self) -> str:
        return f"{self.work}/subtitles/{self.language.tag}"


@dataclass
class WorkPlan:
    id: str
    data: dict[str, Any]
    video: Path
    tracks: dict[str, TrackSource] = field(default_factory=dict)  # by language tag
    pointer: str = ""  # works[i] in the manifest

    def present(self) -> list[TrackSource]:
        """Tracks that exist in the package (given, or translated by this run)."""
        return [track for track in self.tracks.values() if track.status in PRESENT]


def audience_languages(event: dict[str, Any]) -> tuple[list[Language], list[Language]]:
    audience = event.get("audience_languages", {})
    required = [parse_language(tag) for tag in audience.get("required", [])]
    optional = [parse_language(tag) for tag in audience.get("optional", []) if parse_language(tag) not in required]
    return required, optional


def choose_translation_source(
    work: WorkPlan, target: Language, has_route: Any
) -> TrackSource | None:
    """The best human track to translate from: a direct model first, then the original language."""
    original = work.data.get("original_language")
    candidates = [t for t in work.tracks.values() if t.status == "human" and t.source_path is not None]

    def score(track: TrackSource) -> tuple[int, int, int]:
        hops = has_route(track.language, target)  # 0: a script conversion, no model
        return (
            0 if hops is not None else 1,
            9 if hops is None else hops,
            0 if track.language.tag == original else 1,
        )

    ranked = sorted(candidates, key=score)
    return ranked[0] if ranked and has_route(ranked[0].language, target) is not None else None


def plan_works(manifest_data: dict[str, Any], resolve: Any) -> list[WorkPlan]:
    required, optional = audience_languages(manifest_data["event"])
    plans: list[WorkPlan] = []
    for work_index, work in enumerate(manifest_data.get("works", [])):
        video = resolve(work["media"]["path"], f"works[{work_index}].media.path")
        plan = WorkPlan(work["id"], work, video, pointer=f"works[{work_index}]")
        for index, entry in enumerate(work.get("subtitles", [])):
            language = parse_language(entry["language"])
            if language.tag in plan.tracks:
                continue  # one track per language in a package; the first listed wins
            plan.tracks[language.tag] = TrackSource(
                work["id"],
                language,
                entry.get("origin", "human"),
                source_path=resolve(entry["path"], f"works[{work_index}].subtitles[{index}].path"),
                required=language in required,
                manifest_index=index,
                role=entry.get("role", "full"),
                reviewed=entry.get("reviewed"),
                reviewed_by=entry.get("reviewed_by"),
                reviewed_at=str(entry["reviewed_at"]) if entry.get("reviewed_at") is not None else None,
            )
        for language in [*required, *optional]:
            if language.tag not in plan.tracks:
                spoken = language.tag == work.get("original_language")
                plan.tracks[language.tag] = TrackSource(
                    work["id"], language, "original" if spoken else "missing", required=language in required
                )
        plans.append(plan)
    return plans


# ---- the steps of a package ---------------------------------------------------------


class PackagePlan:
    """Every step of a package, planned work by work by the step kinds of ``toolkit.package.kinds``.

    A step kind reads the works and the options from here, appends its
    :class:`Step`\\ s to ``steps`` and what it cannot do to ``warnings``.
    """

    def __init__(self, manifest: Manifest, out_dir: Path, options: PackageOptions) -> None:
        self.options = options
        self.manifest = manifest
        self.data: dict[str, Any] = manifest.data
        self.event: dict[str, Any] = self.data["event"]
        self.out = out_dir
        from toolkit.manifest.profiles import qc_profile_source

        # Relative to the manifest, as validate finds it; its content is in the steps' fingerprints.
        self.profile = qc_profile_source(manifest)
        self.profile_name = self.profile.name
        self.works = plan_works(self.data, manifest.resolve)
        self.steps: list[Step] = []
        self.warnings: list[Diagnostic] = []
        self.translator_lock = threading.Lock()  # one model in memory at a time, batched inside

    @functools.cached_property
    def ffmpeg_version(self) -> str:
        """In the fingerprint of every ffmpeg step: another ffmpeg rebuilds the copies."""
        from toolkit.media.ffmpeg import resolve_ffmpeg

        return resolve_ffmpeg(self.options.ffmpeg).version

    def finding(
        self, code: str, severity: Severity, message: str, work: WorkPlan, *, fix: str | None = None
    ) -> Diagnostic:
        """A package finding, located at the work in the manifest."""
        pointer = work.pointer
        if "subtitles" in work.data:
            pointer += ".subtitles"
        position = self.manifest.position(pointer)
        line, column = position if position else (None, None)
        location = Location(path=self.manifest.display_path, line=line, column=column, pointer=pointer)
        return Diagnostic(code, severity, message, location, fix=fix)

    def plan(self) -> None:
        from toolkit.package.kinds import planners

        for work in self.works:
            for plan_work in planners():
                plan_work(self, work)

    # ---- paths inside the package -------------------------------------------------
    def work_dir(self, work: WorkPlan) -> Path:
        return self.out / work.id

    def track_file(self, work: WorkPlan, language: Language) -> Path:
        return self.work_dir(work) / "subtitles" / f"{work.id}.{language.tag}.srt"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.out).as_posix()

    def check_review(self, work: WorkPlan, languages: list[Language], what: str) -> None:
        """SKP104 for each machine-made or unreviewed track a copy shows: a warning, or with
        ``require_review: true`` in the event an error that stops the package."""
        required = self.event.get("require_review") is True
        for language in languages:
            track = work.tracks.get(language.tag)
            if track is None or not track.unreviewed:
                continue
            state = "reviewed: false" if track.reviewed is False else f"origin: {track.status}, not reviewed"
            self.warnings.append(self.finding(
                "SKP104", Severity.ERROR if required else Severity.WARNING,
                f"{work.id}: the {what} shows the {language.tag} track, which is {state}"
                + (" (require_review: true)" if required else " (screenkit review approves it)"),
                work,
            ))

    def tracks_for(self, work: WorkPlan, languages: list[Language]) -> tuple[list[Path], list[str]]:
        """The package's track files of LANGUAGES and the ids of the steps that make them."""
        files, after = [], []
        for language in languages:
            track = work.tracks.get(language.tag)
            if track is None or track.status not in PRESENT:
                raise ScreenkitError(
                    f"{work.id}: a deliverable needs a {language.tag} track, and there is none"
                    + ("" if self.options.translate_missing else " (--translate-missing can make one)")
                )
            files.append(self.track_file(work, language))
            after.append(track.step_id)
        return files, after
