"""What is being reviewed: the works and tracks of a manifest, or subtitle files given one by one.

Each translated track is paired with the track it was translated from (its
*source*), aligned cue by cue: ``translate`` keeps the cue count and times,
so cue *n* of the translation renders cue *n* of the source. The source is
the work's human track in its original language, else its first other human
track (the order ``package --translate-missing`` prefers), unless
``--source LANG`` names one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.fsutil import require_regular_file
from toolkit.languages import Language, language_from_filename, lookup, parse_language


@dataclass
class TrackEntry:
    key: str  # URL part: "<work id>/<index>" (index in the work's subtitles list)
    work_id: str
    language: Language
    path: Path  # resolved, inside the workset's base folder
    relative: str  # as written in the manifest (or relative to the base folder)
    origin: str = "human"
    reviewed: bool = False
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    pointer: str | None = None  # "works[0].subtitles[1]" in the manifest; None for a file
    source: TrackEntry | None = None
    video: Path | None = None

    @property
    def journal_path(self) -> Path:
        """The edit journal, beside the track (``film.en.srt`` → ``film.en.srt.review.jsonl``)."""
        return self.path.with_name(self.path.name + ".review.jsonl")


@dataclass
class WorkEntry:
    id: str
    title: str
    tracks: list[TrackEntry] = field(default_factory=list)


@dataclass
class Workset:
    base: Path  # only files under this folder are read or served
    works: list[WorkEntry]
    manifest: Path | None = None
    qc_profile: str = "festival"

    def track(self, key: str) -> TrackEntry | None:
        for work in self.works:
            for track in work.tracks:
                if track.key == key:
                    return track
        return None

    @property
    def tracks(self) -> list[TrackEntry]:
        return [track for work in self.works for track in work.tracks]


def load_workset(paths: list[Path], *, source_language: Language | None = None) -> Workset:
    """A manifest (one .yaml/.yml/.json path) or subtitle files; a ScreenkitError when unusable."""
    if not paths:
        raise ScreenkitError("give a manifest or subtitle files to review")
    suffixes = {path.suffix.lower() for path in paths}
    if suffixes & {".yaml", ".yml", ".json"}:
        if len(paths) != 1:
            raise ScreenkitError("review one manifest at a time (or subtitle files without a manifest)")
        return _from_manifest(paths[0], source_language)
    return _from_files(paths, source_language)


def _from_manifest(path: Path, source_language: Language | None) -> Workset:
    from toolkit.manifest import load_manifest

    manifest = load_manifest(path)
    data = manifest.data
    works_data = data.get("works")
    if not isinstance(works_data, list):
        raise ScreenkitError("the manifest has no works: list", path=path)
    event = data.get("event") if isinstance(data.get("event"), dict) else {}
    workset = Workset(base=manifest.base, works=[], manifest=path, qc_profile=str(event.get("qc_profile") or "festival"))
    for work_index, work in enumerate(works_data):
        if not isinstance(work, dict) or not isinstance(work.get("id"), str):
            raise ScreenkitError(f"works[{work_index}] has no id; run screenkit validate first", path=path)
        title = work.get("title", {})
        entry = WorkEntry(id=work["id"], title=str(title.get("original", work["id"]) if isinstance(title, dict) else work["id"]))
        video = None
        media = work.get("media")
        if isinstance(media, dict) and isinstance(media.get("path"), str):
            video = manifest.resolve(media["path"], f"works[{work_index}].media.path")
        for index, track in enumerate(work.get("subtitles") or []):
            pointer = f"works[{work_index}].subtitles[{index}]"
            if not isinstance(track, dict) or not isinstance(track.get("path"), str):
                raise ScreenkitError(f"{pointer} has no path; run screenkit validate first", path=path)
            language = lookup(str(track.get("language", "")))
            if language is None:
                raise ScreenkitError(f"{pointer}.language: unknown language {track.get('language')!r}", path=path)
            entry.tracks.append(
                TrackEntry(
                    key=f"{entry.id}/{index}",
                    work_id=entry.id,
                    language=language,
                    path=manifest.resolve(track["path"], f"{pointer}.path"),
                    relative=track["path"],
                    origin=str(track.get("origin", "human")),
                    reviewed=track.get("reviewed") is True,
                    reviewed_by=track.get("reviewed_by"),
                    reviewed_at=track.get("reviewed_at"),
                    pointer=pointer,
                    video=video,
                )
            )
        original = lookup(str(work.get("original_language", "")))
        _pair_sources(entry.tracks, original, source_language)
        workset.works.append(entry)
    return workset


def _pair_sources(tracks: list[TrackEntry], original: Language | None, wanted: Language | None) -> None:
    for track in tracks:
        candidates = [other for other in tracks if other is not track and other.language != track.language]
        if wanted is not None:
            track.source = next((other for other in candidates if other.language == wanted), None)
            continue
        human = [other for other in candidates if other.origin == "human"]
        human.sort(key=lambda other: 0 if original is not None and other.language == original else 1)
        track.source = human[0] if human else None


def _from_files(paths: list[Path], source_language: Language | None) -> Workset:
    from toolkit.subtitles import SUBTITLE_EXTENSIONS

    resolved = []
    for path in paths:
        if path.suffix.lower() not in SUBTITLE_EXTENSIONS:
            raise ScreenkitError("not a manifest (.yaml .json) or subtitle file (.srt .vtt .ass .ssa)", path=path)
        require_regular_file(path, kind="subtitle file")  # a FIFO would block the reader
        resolved.append(path.resolve())
    base = Path(os.path.commonpath([str(path.parent) for path in resolved]))
    workset = Workset(base=base, works=[])
    for number, path in enumerate(resolved):
        language = language_from_filename(path)
        if language is None:
            raise ScreenkitError("cannot tell the language from the file name (film.en.srt)", path=paths[number])
        work = WorkEntry(id=_stem(path), title=_stem(path))
        track = TrackEntry(
            key=f"{work.id}/{number}",
            work_id=work.id,
            language=language,
            path=path,
            relative=os.path.relpath(path, base),
            origin="machine",
        )
        track.source = _sibling_source(path, language, source_language, base)
        track.video = _sibling_video(path)
        work.tracks.append(track)
        workset.works.append(work)
    return workset


def _stem(path: Path) -> str:
    parts = path.name.split(".")
    parts = parts[:-2] if len(parts) > 2 and lookup(parts[-2]) is not None else parts[:-1]
    return ".".join(parts) or path.stem


def _sibling_source(path: Path, language: Language, wanted: Language | None, base: Path) -> TrackEntry | None:
    """``film.zh-Hans.srt`` beside ``film.en.srt``: the one named by --source, else the only other one."""
    stem = _stem(path)
    found: list[tuple[Language, Path]] = []
    for sibling in sorted(path.parent.iterdir()):
        if sibling == path or not sibling.is_file() or _stem(sibling) != stem:
            continue
        other = language_from_filename(sibling)
        if other is not None and other != language and sibling.suffix.lower() == path.suffix.lower():
            found.append((other, sibling))
    if wanted is not None:
        found = [item for item in found if item[0] == wanted]
        if not found:
            raise ScreenkitError(f"no {wanted.tag} file beside it to show as the source", path=path)
    if len(found) != 1:
        return None  # none, or several and no --source to choose
    other, sibling = found[0]
    return TrackEntry(
        key="", work_id=stem, language=other, path=sibling, relative=os.path.relpath(sibling, base)
    )


def _sibling_video(path: Path) -> Path | None:
    stem = _stem(path)
    for extension in (".mp4", ".webm", ".mkv", ".mov"):
        candidate = path.with_name(stem + extension)
        if candidate.is_file():
            return candidate
    return None


def parse_source_option(value: str | None) -> Language | None:
    return parse_language(value) if value else None
