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
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ScreenkitError


@dataclass
class JournalState:
    edits: dict[int, str] = field(default_factory=dict)  # cue index (0-based) -> text, pending
    count: int = 0  # records read, edits and approvals
    approvals: list[dict[str, Any]] = field(default_factory=list)


def replay(path: Path) -> JournalState:
    """The pending edits of the journal at ``path`` (none when it does not exist)."""
    state = JournalState()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return state
    except OSError as error:
        raise ScreenkitError(f"cannot read the review journal: {error.strerror}", path=path) from None
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
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
    """Appends records to one journal file; each ``append`` returns once the record is on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        with self._lock:
            created = not self.path.exists()
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            except OSError as error:
                raise ScreenkitError(f"cannot write the review journal: {error.strerror}", path=self.path) from None
            try:
                if not _ends_with_newline(self.path):
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


def _ends_with_newline(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return True
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"
    except OSError:
        return True


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
