"""The findings of each subtitle track, cached by content, so an unchanged catalogue re-validates fast.

A track's checks (parse, language identification, last cue against the
video, QC) depend only on the file's bytes, its tag, role and format, the
video's duration, the QC profile (its name, and a profile file's content)
and screenkit's own code. The key is a sha256 of all of them (the file by
its sha256, like the package's step fingerprints, never by path or time);
the entry holds the findings without their place in the manifest, which is
filled in on use. Entries live in one SQLite file in screenkit's cache
folder (``toolkit.fsutil.cache_dir()/validate/``). An entry that does not
read back whole (a damaged file, a value that fails its checksum) is
ignored and written again; a cache that cannot be opened or written is
used as far as it works, and never fails a validation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from toolkit.fsutil import cache_dir

# Bump when the record format changes.
FORMAT = 1
FILE_NAME = f"tracks-v{FORMAT}.sqlite3"
# Packages whose behaviour the track checks depend on (their versions join the key).
_PACKAGES = ("py3langid", "pysrt", "pysubs2", "charset-normalizer", "opencc", "jieba", "ttconv", "numpy")
# screenkit's code the track checks run (its content joins the key).
_CODE = ("qc", "subtitles", "chinese", "data/profiles", "languages.py", "linebreak.py", "diagnostics.py",
         "manifest/checks/tracks.py", "manifest/trackcache.py")

Record = list[Any]


@cache
def code_digest() -> str:
    """A digest of the code and package versions the track checks depend on (computed once)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for part in _CODE:
        target = root / part
        files = sorted(target.rglob("*")) if target.is_dir() else [target]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".json", ".toml"):
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    for name in _PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


def track_key(content: bytes, parameters: dict[str, Any]) -> str:
    """The cache key of a track: its content's sha256, what it is checked against, the code."""
    described = json.dumps(
        {"sha256": hashlib.sha256(content).hexdigest(), "code": code_digest(), **parameters}, sort_keys=True
    )
    return hashlib.sha256(described.encode()).hexdigest()


def _seal(records: list[Record]) -> str:
    body = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32] + body


def _unseal(value: object) -> list[Record] | None:
    if not isinstance(value, str) or len(value) < 32:
        return None
    check, body = value[:32], value[32:]
    if hashlib.sha256(body.encode()).hexdigest()[:32] != check:
        return None
    try:
        records = json.loads(body)
    except ValueError:
        return None
    return records if isinstance(records, list) and all(isinstance(r, list) for r in records) else None


class TrackCache:
    """The store: ``get_many`` what is there, ``put_many`` what was computed. Never raises."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder if folder is not None else cache_dir() / "validate") / FILE_NAME
        self._db: sqlite3.Connection | None = None
        self._opened = False

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        if not create and not self.path.is_file():
            return None
        self._opened = True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            db.execute("CREATE TABLE IF NOT EXISTS track (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except (sqlite3.Error, OSError):
            self._db = None  # not a database any more, read-only, ...: validate without it
            self._broken()
            return None
        self._db = db
        return db

    def _broken(self) -> None:
        """A cache file that is not a database is set aside, so the next run starts a new one."""
        with contextlib.suppress(OSError):
            if self.path.is_file():
                with self.path.open("rb") as handle:
                    head = handle.read(16)
                if head and head != b"SQLite format 3\x00":
                    self.path.unlink()

    def get_many(self, keys: list[str]) -> dict[str, list[Record]]:
        db = self._connect(create=False)
        if db is None or not keys:
            return {}
        found: dict[str, list[Record]] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, value in db.execute(f"SELECT key, value FROM track WHERE key IN ({marks})", chunk):
                    records = _unseal(value)
                    if records is not None:
                        found[key] = records
        except sqlite3.Error:
            return found
        return found

    def put_many(self, entries: dict[str, list[Record]]) -> None:
        if not entries:
            return
        db = self._connect(create=True)
        if db is None:
            return
        try:
            with db:
                db.execute("BEGIN")
                db.executemany(
                    "INSERT OR REPLACE INTO track (key, value) VALUES (?, ?)",
                    [(key, _seal(records)) for key, records in sorted(entries.items())],
                )
        except sqlite3.Error:
            return

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._opened = False


__all__ = ["FILE_NAME", "TrackCache", "code_digest", "track_key"]
