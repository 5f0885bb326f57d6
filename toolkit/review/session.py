"""A review session: the tracks being reviewed, their pending edits, and approval.

No web code here: the page (:mod:`toolkit.review.app`) calls these methods,
and so can a script or a test.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.review.checks import CueChecker, Finding, validate_edit
from toolkit.review.journal import Journal, replay
from toolkit.review.workset import TrackEntry, Workset
from toolkit.subtitles.model import Track
from toolkit.translate.glossary import Glossary

MAX_REVIEWER_CHARS = 100


@dataclass
class OpenTrack:
    """One track in review: the file as read, the source track, and the edits over it."""

    entry: TrackEntry
    track: Track
    source: Track | None
    checker: CueChecker
    journal: Journal
    edits: dict[int, str] = field(default_factory=dict)
    revision: int = 0  # journal records so far: the VTT's cache-buster
    findings: dict[int, list[Finding]] = field(default_factory=dict)
    rows: dict[int, str] = field(default_factory=dict)  # the page's HTML per cue (toolkit.review.rows)
    # The approval an edit made since has cleared ({"by", "at"}): the approved file on disk is
    # unchanged until the track is approved again, but the page no longer says "reviewed".
    approval_cleared: dict[str, str | None] | None = None

    def clear_approval(self) -> bool:
        """An edit after approval: the track is no longer reviewed (True when it was until now)."""
        entry = self.entry
        if not entry.reviewed:
            return False
        self.approval_cleared = {"by": entry.reviewed_by, "at": entry.reviewed_at}
        entry.reviewed = False
        return True

    def text(self, index: int) -> str:
        return self.edits.get(index, self.track.cues[index].text)

    def source_text(self, index: int) -> str | None:
        if self.source is None or index >= len(self.source.cues):
            return None  # aligned by cue number: a source with fewer cues has none here
        return self.source.cues[index].text

    def cue_findings(self, index: int) -> list[Finding]:
        if index not in self.findings:
            self.findings[index] = self.checker.check(index, self.text(index).split("\n"), self.source_text(index))
        return self.findings[index]

    def current(self) -> Track:
        """The track with the edits applied (what the page and the VTT show)."""
        edited = self.track.copy()
        for index, text in self.edits.items():
            edited.cues[index].lines = text.split("\n")
        return edited


class ReviewSession:
    def __init__(
        self,
        workset: Workset,
        *,
        profile_name: str | None = None,
        glossary: Glossary | None = None,
        cache_path: Path | None = None,
        reviewer: str | None = None,
        reviewer_file: Path | None = None,
    ) -> None:
        self.workset = workset
        self.profile_name = profile_name or workset.qc_profile
        self.glossary = glossary
        self.cache_path = cache_path
        self.reviewer = reviewer
        self.reviewer_file = reviewer_file  # the name of each approval is kept there for next time
        self._open: dict[str, OpenTrack] = {}
        self._lock = threading.RLock()
        self.last_edit_ms = (0.0, 0.0)  # (journal append with fsync, QC of the cue) of the last edit

    def open(self, key: str) -> OpenTrack:
        """The track KEY, read once, with the journal's pending edits replayed over it."""
        with self._lock:
            if key in self._open:
                return self._open[key]
            entry = self.workset.track(key)
            if entry is None:
                raise KeyError(key)
            from toolkit.qc import load_profile
            from toolkit.subtitles import read_track

            track = read_track(entry.path, language=entry.language)
            source = read_track(entry.source.path, language=entry.source.language) if entry.source else None
            checker = CueChecker(
                track,
                load_profile(self.profile_name, entry.language),
                source_language=entry.source.language if entry.source else None,
                glossary=self.glossary,
            )
            base = self.workset.base
            state = replay(entry.journal_path, root=base)
            journal = Journal(entry.journal_path, root=base)
            opened = OpenTrack(entry, track, source, checker, journal, revision=state.count)
            opened.edits = {index: text for index, text in state.edits.items() if 0 <= index < len(track.cues)}
            if any(text != track.cues[index].text for index, text in opened.edits.items()):
                opened.clear_approval()  # edits journaled after the last approval, restored
            self._open[key] = opened
            return opened

    def cleared_approvals(self) -> dict[str, dict[str, str | None]]:
        """The tracks whose approval an edit since has cleared, by key (a reviewed track with a
        journal is opened to know)."""
        for entry in self.workset.tracks:
            if entry.reviewed and entry.key not in self._open and entry.journal_path.exists():
                try:
                    self.open(entry.key)
                except ScreenkitError:
                    continue  # the track's own page says what is wrong with it
        return {key: opened.approval_cleared for key, opened in self._open.items() if opened.approval_cleared}

    def edit(self, key: str, index: Any, text: Any) -> tuple[OpenTrack, list[Finding]]:
        """Validate, journal (on disk before this returns), apply; the cue's new findings."""
        opened = self.open(key)
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(opened.track.cues):
            raise ScreenkitError(f"no cue {index!r} in this track")
        lines = validate_edit(text)
        joined = "\n".join(lines)
        with self._lock:
            started = time.perf_counter()
            opened.journal.append(
                {"type": "edit", "cue": index, "text": joined, "at": _now(), "was": opened.text(index)}
            )
            journaled = time.perf_counter()
            opened.edits[index] = joined
            if joined != opened.track.cues[index].text:
                opened.clear_approval()
            opened.revision += 1
            opened.findings.pop(index, None)
            opened.rows.pop(index, None)
            findings = opened.cue_findings(index)
            # What an edit costs on the server, for the page's Server-Timing (bench/bench_review.py).
            self.last_edit_ms = ((journaled - started) * 1000, (time.perf_counter() - journaled) * 1000)
            return opened, findings

    def vtt(self, key: str) -> str:
        from toolkit.subtitles import render_track

        return render_track(self.open(key).current(), "vtt")

    def approve(self, key: str, reviewer: Any, *, now: datetime | None = None) -> dict[str, Any]:
        """Write the track, mark it reviewed in the manifest, remember the lines in the cache."""
        reviewer = _check_reviewer(reviewer)
        with self._lock:
            opened = self.open(key)
            final = opened.current()
            empty = [number for number, cue in enumerate(final.cues, start=1) if not "".join(cue.lines).strip()]
            if empty:
                raise ScreenkitError(f"cue {empty[0]} is empty; write its text before approving")
            at = (now or datetime.now(timezone.utc)).astimezone().isoformat(timespec="seconds")
            digest = _write_verified(final, opened.entry.path, opened.track, self.workset.base)
            manifest_changed = self._mark_reviewed(opened.entry, reviewer, at, digest)
            cached = self._remember(opened, final)
            opened.journal.append({"type": "approved", "at": at, "by": reviewer, "sha256": digest})
            opened.revision += 1
            opened.track = final
            opened.edits.clear()
            opened.findings.clear()
            opened.rows.clear()
            entry = opened.entry
            entry.reviewed, entry.reviewed_by, entry.reviewed_at = True, reviewer, at
            opened.approval_cleared = None
            self._remember_reviewer(reviewer)
            return {
                "track": str(entry.path),
                "sha256": digest,
                "reviewed_by": reviewer,
                "reviewed_at": at,
                "manifest": str(self.workset.manifest) if manifest_changed else None,
                "cached": cached,
            }

    def _remember_reviewer(self, reviewer: str) -> None:
        """The page's default name from now on, and the next session's (a missing cache folder is made)."""
        self.reviewer = reviewer
        if self.reviewer_file is None:
            return
        from toolkit.fsutil import write_text_atomic

        try:
            self.reviewer_file.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.reviewer_file, reviewer + "\n")
        except (OSError, ScreenkitError):
            pass  # remembering the name is a convenience; the approval itself is written

    def _mark_reviewed(self, entry: TrackEntry, reviewer: str, at: str, digest: str) -> bool:
        if self.workset.manifest is None or entry.pointer is None:
            return False
        from toolkit.manifest import load_manifest
        from toolkit.review.manifest_edit import update_track_fields

        work_index, track_index = _indexes(entry.pointer)
        changes: dict[str, str | bool | int] = {"reviewed": True, "reviewed_by": reviewer, "reviewed_at": at}
        current = load_manifest(self.workset.manifest).data["works"][work_index]["subtitles"][track_index]
        if "sha256" in current:
            changes["sha256"] = digest  # the track's recorded digest must stay true
        update_track_fields(self.workset.manifest, work_index, track_index, changes)
        return True

    def _remember(self, opened: OpenTrack, final: Track) -> int:
        """Approved lines into the translation cache, keyed by the source cue they render."""
        if opened.source is None or opened.entry.source is None:
            return 0
        from toolkit.translate.cache import TranslationCache, default_cache_path

        pairs = [
            (source_cue.text, cue.text)
            for source_cue, cue in zip(opened.source.cues, final.cues, strict=False)
        ]
        cache = TranslationCache(self.cache_path or default_cache_path())
        try:
            cache.store_reviewed(opened.entry.source.language.tag, opened.entry.language.tag, pairs)
        finally:
            cache.close()
        return len(pairs)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _indexes(pointer: str) -> tuple[int, int]:
    # "works[3].subtitles[1]"
    work_part, track_part = pointer.split(".subtitles")
    return int(work_part[len("works[") : -1]), int(track_part[1:-1])


def _check_reviewer(reviewer: Any) -> str:
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise ScreenkitError("say who approves the track (a name)")
    reviewer = reviewer.strip()
    if len(reviewer) > MAX_REVIEWER_CHARS or any(ch < " " for ch in reviewer):
        raise ScreenkitError(f"the reviewer's name must be one line of at most {MAX_REVIEWER_CHARS} characters")
    return reviewer


def _write_verified(final: Track, path: Path, original: Track, base: Path) -> str:
    """Write the track atomically in its own format, checked by reading it back before the rename."""
    from toolkit.fsutil import atomic_path
    from toolkit.subtitles import read_track, render_track

    fmt = original.format or "srt"
    text = render_track(final, fmt)
    data = (("\ufeff" if original.had_bom else "") + text).encode("utf-8")
    def shape(track: Track) -> list[tuple[int, int, list[str]]]:
        # An empty line inside a cue cannot be written in SRT (it would end the cue): the
        # writer drops it, and what the audience reads is the same.
        return [(c.start, c.end, [line.strip() for line in c.lines if line.strip()]) for c in track.cues]

    with atomic_path(path, root=base) as temporary:  # no link below the workset's folder followed
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        back = read_track(temporary, fmt=fmt, encoding="utf-8-sig", language=final.language)
        if shape(back) != shape(final):
            raise ScreenkitError("the written track does not read back as approved (nothing replaced)", path=path)
    return hashlib.sha256(data).hexdigest()
