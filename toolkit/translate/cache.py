"""A persistent translation cache (SQLite), so that an interrupted job resumes where it stopped.

Keyed by model (package name + version + hash of the weights), the options
that change the output, and the source segment. Each chunk of translations is
committed as soon as its ``translate_batch`` call returns, so a job killed
with ``kill -9`` loses at most the chunk in flight; the re-run translates only
what is missing, and since the same segments give the same keys it writes
the same files.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.translate.engine import SegmentTranslator

# Segments per translate_batch call between commits: large enough for
# CTranslate2 to fill its batches (8 batches of 32), small enough that a kill
# loses little.
CHUNK_SEGMENTS = 256


def chunk_segments() -> int:
    """Segments per commit; SCREENKIT_TRANSLATE_CHUNK overrides it (smaller: finer resume)."""
    try:
        return max(1, int(os.environ.get("SCREENKIT_TRANSLATE_CHUNK", CHUNK_SEGMENTS)))
    except ValueError:
        return CHUNK_SEGMENTS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (model, source)
) WITHOUT ROWID;
"""


def default_cache_path() -> Path:
    from toolkit.fsutil import cache_dir

    return cache_dir() / "translations.sqlite"


def reviewed_key(source: str, target: str) -> str:
    """The cache's model column for approved lines of one language pair (BCP 47 tags)."""
    return f"reviewed:{source}>{target}"


class TranslationCache:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        from toolkit.fsutil import check_confined

        # SQLite opens by name: no link at the database, its -wal and -shm files, or on the
        # way from the cache folder (or from the folder --cache names) is followed.
        for name in (self.path.name, f"{self.path.name}-wal", f"{self.path.name}-shm", f"{self.path.name}-journal"):
            check_confined(self.path.with_name(name), root=self.path.parent)
        try:
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise ScreenkitError(f"cannot use the translation cache ({error})", path=self.path) from None
        except OSError as error:
            raise ScreenkitError(f"cannot create the translation cache ({error.strerror})", path=self.path) from None

    def lookup(self, model: str, sources: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 500):  # SQLite's limit on bound parameters
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, target FROM translations WHERE model = ? AND source IN ({marks})",
                [model, *chunk],
            )
            found.update(rows.fetchall())
        return found

    def store(self, model: str, pairs: Sequence[tuple[str, str]]) -> None:
        with self._db:  # one transaction, committed on exit
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (model, source, target) VALUES (?, ?, ?)",
                [(model, source, target) for source, target in pairs],
            )

    def store_reviewed(self, source: str, target: str, pairs: Sequence[tuple[str, str]]) -> None:
        """Lines a person approved (``screenkit review``): source cue text → approved cue text.

        Kept beside the model outputs under a key of their own, whatever model
        made the first draft, so that no model or option change replaces them.
        """
        self.store(reviewed_key(source, target), [(s, t) for s, t in pairs if s.strip() and t.strip()])

    def lookup_reviewed(self, source: str, target: str, sources: Sequence[str]) -> dict[str, str]:
        return self.lookup(reviewed_key(source, target), sources)

    def count(self, model: str | None = None) -> int:
        if model is None:
            return int(self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0])
        return int(self._db.execute("SELECT COUNT(*) FROM translations WHERE model = ?", (model,)).fetchone()[0])

    def close(self) -> None:
        self._db.close()


class CachedTranslator:
    """A translator whose results are looked up first and stored per chunk."""

    def __init__(
        self,
        inner: SegmentTranslator,
        cache: TranslationCache | None,
        progress: Callable[[int], None] | None = None,
        chunk: int | None = None,
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.progress = progress
        self.chunk = chunk or chunk_segments()
        self.key = inner.key
        self.hits = 0
        self.translated = 0

    def translate(self, texts: Sequence[str]) -> list[str]:
        unique = list(dict.fromkeys(texts))
        known = self.cache.lookup(self.key, unique) if self.cache else {}
        self.hits += sum(1 for text in texts if text in known)
        if self.progress:
            self.progress(sum(1 for text in unique if text in known))
        for text in unique:
            if not text.strip():
                known[text] = text
        # Chunks are cut from ALL the job's segments, sorted by length (CTranslate2 pads a
        # batch to its longest input), not from the missing ones: a resumed job then sends
        # exactly the batches an uninterrupted run sends, and gets bit-identical results
        # (a model's output can depend on what else is in its batch).
        ordered = sorted((text for text in unique if text.strip()), key=len)
        for start in range(0, len(ordered), self.chunk):
            chunk = [text for text in ordered[start : start + self.chunk] if text not in known]
            if not chunk:
                continue  # committed by an earlier run
            outputs = self.inner.translate(chunk)
            pairs = list(zip(chunk, outputs, strict=True))
            if self.cache:
                self.cache.store(self.key, pairs)
            known.update(pairs)
            self.translated += len(chunk)
            if self.progress:
                self.progress(len(chunk))
        return [known[text] for text in texts]
