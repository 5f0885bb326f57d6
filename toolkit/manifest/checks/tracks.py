"""M4xx: subtitle tracks (M401 does not parse, M402 text not in the tagged language,
M403 last cue ends after the video, M404 QC profile cannot be loaded).

QC findings of a track keep the QC rule's own code (SKxxx), located in the
subtitle file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.diagnostics import CodeDoc, Diagnostic, Location, Severity
from toolkit.errors import ScreenkitError
from toolkit.languages import Language
from toolkit.manifest.checks.context import CheckContext, CheckFamily, TrackEntry, WorkEntry, as_str

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from toolkit.manifest.cache import ValidationCache
    from toolkit.qc.profile import Profile
    from toolkit.subtitles.model import Track

# Below this many letters language identification guesses; a forced track can be that short.
MIN_LETTERS_FOR_LANGID = 40
MIN_LANGID_PROBABILITY = 0.9
# Past the video's end is M403 here, reported at the manifest's pointer.
QC_CODES_COVERED = frozenset({"SK107"})
QC_LANGUAGE_MISMATCH = "SK502"


@dataclass(frozen=True)
class TrackJob:
    """What one track's checks need: plain values, so that a worker process can run them."""

    path: str
    fmt: str | None
    language: str | None
    bilingual: bool
    duration_ms: int | None
    profile: Profile | None  # the QC profile resolved for the track's language; None: no QC
    qc_language: bool  # QC identifies the language (SK502 on): not done twice


# A finding of a track, without its place in the manifest (filled in by replay()):
#   ["M401", line, column, message]        the file does not parse
#   ["M402", message]                      at the track's language tag
#   ["M403", message]                      at the track's path
#   ["qc", code, severity, message, line, column, cue, time_ms, fix]
Record = list[Any]


def check_work(ctx: CheckContext, work: WorkEntry) -> None:
    duration_ms = ctx.video_duration_ms(work)
    for track in work.tracks:
        if track.path is None:
            continue
        profile = ctx.qc_profile(track.language) if track.language is not None else None
        job = TrackJob(
            path=os.fspath(track.path),
            fmt=as_str(track.data.get("format")),
            language=track.language.tag if track.language is not None else None,
            bilingual=track.role == "bilingual",
            duration_ms=duration_ms,
            profile=profile,
            qc_language=profile is not None
            and profile.rule_severity(QC_LANGUAGE_MISMATCH, Severity.ERROR) is not None,
        )
        ctx.tracks.submit(ctx, track, job)


def run_track(job: TrackJob) -> list[Record]:
    """The findings of one track (in the order they are reported)."""
    from toolkit.languages import parse_language
    from toolkit.subtitles import read_track

    language = parse_language(job.language) if job.language is not None else None
    records: list[Record] = []
    try:
        parsed = read_track(Path(job.path), fmt=job.fmt, language=language)
    except ScreenkitError as error:
        return [["M401", error.line, error.column, error.message]]
    if not job.qc_language and language is not None and not job.bilingual:
        seen = _identified_otherwise(parsed, language)
        if seen is not None:
            records.append(["M402", f"tagged {language.tag} but the text looks like {seen}"])
    if job.duration_ms is not None and parsed.cues:
        last = max(cue.end for cue in parsed.cues)
        if last > job.duration_ms:
            from toolkit.subtitles.timecode import format_srt

            records.append(
                ["M403", f"the last cue ends at {format_srt(last)}, after the video ends ({format_srt(job.duration_ms)})"]
            )
    if language is None or job.profile is None:
        return records
    from toolkit.qc import lint_track

    for finding in lint_track(parsed, job.profile, video_duration_ms=job.duration_ms):
        if finding.code == QC_LANGUAGE_MISMATCH:
            # QC identified the language already (see TrackJob.qc_language): reported as
            # the manifest's M402, at the track's language tag.
            if not job.bilingual:
                records.append(["M402", f"tagged {language.tag}, but the {finding.message}"])
            continue
        if finding.severity is Severity.ERROR and finding.code not in QC_CODES_COVERED:
            where = finding.location
            records.append(
                ["qc", finding.code, finding.severity.value, finding.message, where.line, where.column,
                 where.cue, where.time_ms, finding.fix]
            )
    return records


def _identified_otherwise(parsed: Track, language: Language) -> str | None:
    """What the text looks like when language identification is sure it is not LANGUAGE."""
    from toolkit.qc.langid import identify_language

    text = "\n".join(cue.plain_text for cue in parsed.cues)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS_FOR_LANGID:
        return None
    found, code, probability = identify_language(text)
    if probability < MIN_LANGID_PROBABILITY:
        return None
    if found is None or found != language:
        return f"{found.tag if found is not None else code} (p={probability:.2f})"
    return None


def replay(ctx: CheckContext, track: TrackEntry, records: list[Record]) -> None:
    """Report a track's findings at its place in the manifest."""
    relative = as_str(track.data.get("path")) or ""
    for record in records:
        kind = record[0]
        if kind == "M401":
            _, line, column, message = record
            where = ctx.display(relative)
            if line is not None:
                where += f":{line}" + (f":{column}" if column is not None else "")
            ctx.report("M401", f"{track.pointer}.path", f"does not parse: {where}: {message}")
        elif kind == "M402":
            ctx.report("M402", f"{track.pointer}.language", record[1])
        elif kind == "M403":
            ctx.report("M403", f"{track.pointer}.path", record[1])
        else:
            _, code, severity, message, line, column, cue, time_ms, fix = record
            location = Location(
                path=ctx.display(relative), line=line, column=column, cue=cue, time_ms=time_ms,
                pointer=f"{track.pointer}.path",
            )
            ctx.diagnostics.append(Diagnostic(code, Severity(severity), message, location, fix))


class TrackRunner:
    """Runs the track checks of a manifest: from the cache where it has them, the rest in
    ``jobs`` processes; their findings go where the per-work order puts them.

    With several jobs, tracks are handed to the worker processes in batches as the works
    are read, so the workers check tracks while this process goes on with the rest of the
    manifest. A manifest with fewer than ``BATCH`` tracks to check is checked here.
    """

    BATCH = 32

    def __init__(self, *, jobs: int = 1, cache: ValidationCache | None = None) -> None:
        self.jobs = max(1, jobs)
        self.cache = cache
        self.pending: list[tuple[int, TrackEntry, TrackJob]] = []
        self.hits = 0
        self.misses = 0
        self._keys: list[str | None] = []
        self._results: list[list[Record] | None] = []
        self._first: dict[str, int] = {}  # key -> the index that computes it (a track met twice runs once)
        self._queued: list[int] = []  # indices submitted, not yet looked up or dispatched
        self._futures: list[tuple[list[int], Future[list[list[Record]]]]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._profiles: dict[int, str] = {}  # a few profile objects, shared by every track of a language

    def submit(self, ctx: CheckContext, track: TrackEntry, job: TrackJob) -> None:
        self.pending.append((len(ctx.diagnostics), track, job))
        self._keys.append(None)
        self._results.append(None)
        self._queued.append(len(self.pending) - 1)
        if self.jobs > 1 and len(self._queued) >= self.BATCH:
            self._dispatch(final=False)

    def _lookup(self, indices: list[int]) -> list[int]:
        """Fill in the cached results of INDICES; the ones still to compute (first of each key)."""
        if self.cache is not None:
            for index in indices:
                self._keys[index] = _key(self.pending[index][2], self._profiles)
            found = self.cache.get_many([k for k in (self._keys[i] for i in indices) if k is not None])
        else:
            found = {}
        todo = []
        for index in indices:
            key = self._keys[index]
            if key is not None and key in found:
                self._results[index] = found[key]
                self.hits += 1
                continue
            self.misses += 1
            if key is None or self._first.setdefault(key, index) == index:
                todo.append(index)
        return todo

    def _dispatch(self, *, final: bool) -> None:
        indices, self._queued = self._queued, []
        todo = self._lookup(indices)
        if not todo:
            return
        if self._pool is None and (self.jobs == 1 or (final and len(todo) < self.BATCH)):
            self._compute_here(todo)  # a small manifest: no processes
            return
        if self._pool is None:
            self._pool = _pool(self.jobs)
        for start in range(0, len(todo), self.BATCH):
            part = todo[start : start + self.BATCH]
            self._futures.append((part, self._pool.submit(_run_batch, [self.pending[i][2] for i in part])))

    def _compute_here(self, todo: list[int]) -> None:
        for index in todo:
            self._results[index] = run_track(self.pending[index][2])

    def finish(self, ctx: CheckContext) -> None:
        if not self.pending:
            return
        try:
            self._dispatch(final=True)
            for part, future in self._futures:
                for index, records in zip(part, future.result(), strict=True):
                    self._results[index] = records
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
        fresh: dict[str, list[Record]] = {}
        for key, index in self._first.items():
            records = self._results[index]
            if records is not None:
                fresh[key] = records
        for index, result in enumerate(self._results):
            key = self._keys[index]
            if result is None and key is not None:
                self._results[index] = fresh[key]
        if self.cache is not None:
            self.cache.put_many(fresh)
            self.cache.track_hits += self.hits
            self.cache.track_misses += self.misses
        # Splice each track's findings in at the place its work put it.
        original, merged, cursor = ctx.diagnostics, [], 0
        ctx.diagnostics = merged
        for (position, track, _job), records in zip(self.pending, self._results, strict=True):
            merged.extend(original[cursor:position])
            cursor = position
            replay(ctx, track, records or [])
        merged.extend(original[cursor:])
        self.pending = []


def _run_batch(jobs: list[TrackJob]) -> list[list[Record]]:
    return [run_track(job) for job in jobs]


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes: forked where the system can (they start with what is imported here)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _key(job: TrackJob, profiles: dict[int, str]) -> str | None:
    from toolkit.manifest.cache import track_key

    try:
        with open(job.path, "rb") as handle:
            content = handle.read()
    except OSError:
        return None  # reported by the check itself (M401)
    if job.profile is None:
        profile = None
    else:
        profile = profiles.get(id(job.profile))
        if profile is None:
            import hashlib

            # The resolved profile itself (every limit and severity), not its name: a profile
            # file that changes, or a language's own limits, make another key.
            profile = profiles[id(job.profile)] = hashlib.sha256(repr(job.profile).encode()).hexdigest()
    parameters = {
        "format": job.fmt, "language": job.language, "bilingual": job.bilingual, "duration_ms": job.duration_ms,
        "profile": profile, "qc_language": job.qc_language,
    }
    return track_key(content, parameters)


# Below this many tracks to compute per worker, worker processes cost more than they save.
MIN_TRACKS_PER_WORKER = 16


def _run_all(jobs: list[TrackJob], workers: int) -> list[list[Record]]:
    """Every job's findings, in JOBS' order, computed in WORKERS processes (here when few)."""
    workers = min(workers, len(jobs) // MIN_TRACKS_PER_WORKER)
    if workers <= 1:
        return [run_track(job) for job in jobs]
    with _pool(workers) as pool:
        chunk = max(1, len(jobs) // (workers * 8))
        return list(pool.map(run_track, jobs, chunksize=chunk))


CODES = (
    CodeDoc(
        'M401',
        'subtitle file does not parse',
        Severity.ERROR,
        'A subtitle track named in the manifest cannot be read as its format; the message gives the file, line and reason.',
        'Fix the subtitle file at the line named (screenkit lint FILE shows the same error).',
    ),
    CodeDoc(
        'M402',
        'text not in the tagged language',
        Severity.ERROR,
        "Language identification reads the track's text as another language than the one the manifest tags it with: a wrong file or a wrong tag would put the wrong subtitles on screen.",
        'Correct the language tag or the file.',
    ),
    CodeDoc(
        'M403',
        'last cue ends after the video',
        Severity.ERROR,
        "The track's last subtitle ends after the video (probed, or the declared duration/runtime): the track is for another cut or frame rate.",
        'Retime the track (screenkit retime --fps or --shift) or use the track of this cut.',
    ),
    CodeDoc(
        'M404',
        'QC profile cannot be loaded',
        Severity.ERROR,
        'event.qc_profile names neither a built-in profile nor a readable profile file (relative to the manifest), so the tracks cannot be checked.',
        'Use a built-in profile name (festival, netflix, bbc, cinema, ...) or fix the profile file.',
    ),
)

FAMILY = CheckFamily("M4", "subtitle tracks", order=70, work=check_work, codes=CODES)
