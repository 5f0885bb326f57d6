"""What ``validate`` learnt about a catalogue, cached by content, so an unchanged one re-validates fast.

Two kinds of entries, in one SQLite file in screenkit's cache folder
(``toolkit.fsutil.cache_dir()/validate/``):

- each subtitle track's findings (the bulk of a catalogue's check);
- a manifest's document: the data a YAML manifest parses to (its positions
  are read again only when a finding needs one), and whether it passed the
  schema, keyed by the text's sha256.

Track entries:

A track's checks (parse, language identification, last cue against the
video, QC) depend only on the file's bytes, its tag, role and format, the
video's duration, the QC profile (its name, and a profile file's content)
and screenkit's own code. The key is a sha256 of all of them (the file by
its sha256, like the package's step fingerprints, never by path or time);
the entry holds the findings without their place in the manifest, which is
filled in on use. An entry that does not
read back whole (a damaged file, a value that fails its checksum) is
ignored and written again; a cache that cannot be opened or written is
used as far as it works, and never fails a validation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import sqlite3
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from toolkit.fsutil import cache_dir

# Bump when the record format changes.
FORMAT = 1
FILE_NAME = f"validate-v{FORMAT}.sqlite3"
# Documents kept (the most recently used): each is the size of its manifest's data.
MAX_DOCUMENTS = 8
# Track entries kept at most (the oldest written go first): a few catalogues' worth.
MAX_TRACKS = 200_000
# Packages whose behaviour the track checks depend on (their versions join the key).
_PACKAGES = ("py3langid", "pysrt", "pysubs2", "charset-normalizer", "opencc", "jieba", "ttconv", "numpy")
# screenkit's code the track checks run (its content joins the key).
_CODE = ("qc", "subtitles", "chinese", "data/profiles", "languages.py", "linebreak.py", "diagnostics.py",
         "manifest/checks/tracks.py", "manifest/cache.py")
# What reads a manifest and checks its schema (the document entries' key).
_DOCUMENT_CODE = ("manifest/loader.py", "manifest/yamlpos.py", "manifest/jsonpos.py", "manifest/schema_check.py",
                  "manifest/cache.py", "schemas.py")

Record = list[Any]


@cache
def code_digest() -> str:
    """A digest of the code and package versions the track checks depend on (computed once)."""
    return _digest(_CODE, _PACKAGES)


@cache
def document_digest() -> str:
    """A digest of the manifest readers, the schema and the packages they use."""
    from toolkit.schemas import schema_path

    extra = hashlib.sha256(schema_path("manifest").read_bytes()).hexdigest()
    return _digest(_DOCUMENT_CODE, ("PyYAML", "fastjsonschema", "jsonschema"), extra)


def _digest(parts: tuple[str, ...], packages: tuple[str, ...], extra: str = "") -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"format {FORMAT} {sys.implementation.cache_tag} {extra}".encode())
    for part in parts:
        target = root / part
        files = sorted(target.rglob("*")) if target.is_dir() else [target]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".json", ".toml"):
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    for name in packages:
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


class ValidationCache:
    """The store: tracks' findings (``get_many``, ``put_many``), documents (``get_document``,
    ``put_document``) and schema verdicts (``is_valid``, ``mark_valid``). Never raises."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = (folder if folder is not None else cache_dir() / "validate") / FILE_NAME
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self.track_hits = 0  # tracks found here, over every run with this object (validate -v says)
        self.track_misses = 0

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        from toolkit.errors import ScreenkitError
        from toolkit.fsutil import SymlinkRefused, check_confined

        # SQLite opens by name: a link planted at the database, its -wal/-shm/-journal files or
        # on the way from the cache folder is refused (SymlinkRefused), never followed; a cache
        # that cannot be made (a file where its folder goes) is no cache.
        try:
            exists = check_confined(self.path, create=create)
            for suffix in ("-wal", "-shm", "-journal"):
                check_confined(self.path.with_name(self.path.name + suffix), create=False)
        except SymlinkRefused:
            raise
        except (ScreenkitError, OSError):
            self._opened, self._db = True, None
            return None
        if not create and not exists:
            return None
        self._opened = True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            db.execute("CREATE TABLE IF NOT EXISTS track (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS document (key TEXT PRIMARY KEY, value BLOB NOT NULL, used INTEGER NOT NULL)"
            )
            db.execute("CREATE TABLE IF NOT EXISTS valid (key TEXT PRIMARY KEY)")
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
                    self._opened = False  # this run's results go into a new one

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
                db.execute(
                    "DELETE FROM track WHERE rowid <= (SELECT MAX(rowid) FROM track) - ?", (MAX_TRACKS,)
                )
        except sqlite3.Error:
            return

    # ---- documents -------------------------------------------------------------------

    @staticmethod
    def document_key(text: str) -> str:
        return hashlib.sha256(f"{document_digest()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def get_document(self, key: str) -> object | None:
        """The data a manifest's text parsed to before; None when not (or not whole) here."""
        db = self._connect(create=False)
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM document WHERE key = ?", (key,)).fetchone()
            if row is None or not isinstance(row[0], bytes) or len(row[0]) < 32:
                return None
            check, body = row[0][:32], row[0][32:]
            if hashlib.sha256(body).digest() != check:
                return None
            data = marshal.loads(body)
            db.execute("UPDATE document SET used = (SELECT COALESCE(MAX(used), 0) + 1 FROM document) WHERE key = ?", (key,))
        except (sqlite3.Error, ValueError, EOFError, TypeError):
            return None
        return data

    def put_document(self, key: str, data: object) -> None:
        try:
            body = marshal.dumps(data)
        except ValueError:  # something marshal does not write: no entry
            return
        db = self._connect(create=True)
        if db is None:
            return
        try:
            with db:
                db.execute("BEGIN")
                db.execute(
                    "INSERT OR REPLACE INTO document (key, value, used) "
                    "VALUES (?, ?, (SELECT COALESCE(MAX(used), 0) + 1 FROM document))",
                    (key, hashlib.sha256(body).digest() + body),
                )
                db.execute(
                    "DELETE FROM document WHERE key NOT IN (SELECT key FROM document ORDER BY used DESC LIMIT ?)",
                    (MAX_DOCUMENTS,),
                )
        except sqlite3.Error:
            return

    def is_valid(self, key: str) -> bool:
        """Whether the document of KEY passed the schema before (the same text, schema and code)."""
        db = self._connect(create=False)
        if db is None:
            return False
        try:
            return db.execute("SELECT 1 FROM valid WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.Error:
            return False

    def mark_valid(self, key: str) -> None:
        db = self._connect(create=True)
        if db is None:
            return
        with contextlib.suppress(sqlite3.Error):
            db.execute("INSERT OR IGNORE INTO valid (key) VALUES (?)", (key,))

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._opened = False


__all__ = ["FILE_NAME", "ValidationCache", "code_digest", "document_digest", "track_key"]
