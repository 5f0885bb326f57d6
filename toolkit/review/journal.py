"""The edit journal: one JSON line per change, appended and fsynced before the edit is acknowledged.

It lies beside the track (``film.en.srt.review.jsonl``) and is only ever
appended to. A ``kill -9`` can at worst leave half a last line, which
:func:`replay` ignores: that edit was never acknowledged to the browser.
An ``approved`` record closes a review; the edits after the last one are
the pending ones, replayed over the track file when the page is opened again.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.fsutil import load_json_bounded, open_confined


@dataclass
class JournalState:
    edits: dict[int, str] = field(default_factory=dict)  # cue index (0-based) -> text, pending
    count: int = 0  # records read, edits and approvals
    approvals: list[dict[str, Any]] = field(default_factory=list)


def replay(path: Path, *, root: Path | None = None) -> JournalState:
    """The pending edits of the journal at ``path`` (none when it does not exist).

    Opened without following a link (at the journal or, below ROOT, on its way): a planted
    ``film.srt.review.jsonl -> elsewhere`` is refused, never read as edits.
    """
    state = JournalState()
    try:
        fd = open_confined(path, os.O_RDONLY | os.O_NONBLOCK, root=root)
    except FileNotFoundError:
        return state
    except OSError as error:
        raise ScreenkitError(f"cannot read the review journal: {error.strerror}", path=path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ScreenkitError("the review journal is not a regular file; remove it", path=path)
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as handle:
            data = handle.read()
    except OSError as error:
        raise ScreenkitError(f"cannot read the review journal: {error.strerror}", path=path) from None
    finally:
        os.close(fd)
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = load_json_bounded(line)
        except ScreenkitError:
            continue  # the torn tail of a write cut short by a kill: never acknowledged
        if not isinstance(record, dict):
            continue
        state.count += 1
        if record.get("type") == "edit" and isinstance(record.get("cue"), int) and isinstance(record.get("text"), str):
            state.edits[record["cue"]] = record["text"]
        elif record.get("type") == "approved":
            state.edits.clear()
            state.approvals.append(record)
    return state


class Journal:
    """Appends records to one journal file; each ``append`` returns once the record is on disk.

    The file is opened with O_NOFOLLOW, its folders walked from ROOT's descriptor
    (:func:`toolkit.fsutil.open_confined`): a planted link is refused, never appended to.
    """

    def __init__(self, path: Path, *, root: Path | None = None) -> None:
        self.path = path
        self.root = root
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        try:
            line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no text file can hold it
            raise ScreenkitError("the text holds a character that is not valid Unicode (a lone surrogate)") from None
        with self._lock:
            try:
                fd = open_confined(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o644,
                                   root=self.root)
            except OSError as error:
                raise ScreenkitError(f"cannot write the review journal: {error.strerror}", path=self.path) from None
            try:
                status = os.fstat(fd)
                if not stat.S_ISREG(status.st_mode):
                    raise ScreenkitError("the review journal is not a regular file; remove it", path=self.path)
                created = status.st_size == 0
                if status.st_size and os.pread(fd, 1, status.st_size - 1) != b"\n":
                    os.write(fd, b"\n")  # seal a torn tail so this record starts a fresh line
                written = os.write(fd, line)
                if written != len(line):
                    raise ScreenkitError("short write to the review journal (disk full?)", path=self.path)
                os.fsync(fd)
            except OSError as error:
                raise ScreenkitError(f"cannot write the review journal: {error.strerror}", path=self.path) from None
            finally:
                os.close(fd)
            if created:
                _fsync_folder(self.path.parent)  # the new file's name must survive a crash too


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
