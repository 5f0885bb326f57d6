"""Cache entries keyed by content, shared by every checkout, and pruned when unused.

A cache entry derived from an installed file (py3langid's model) is named after
the file's content, not its path or time, so two checkouts with the same wheel
share one entry. Each use marks the entry (at most once a day: one stat
otherwise); when a new entry is made, siblings unused for ``PRUNE_AFTER_DAYS``
are removed, so versions left behind by upgrades do not pile up.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import hashlib
import os
import shutil
import time
from pathlib import Path

PRUNE_AFTER_DAYS = 30
_USED = ".used"
_DAY = 86400.0


def installed_file_digest(path: Path) -> str:
    """A short content digest of an installed package file.

    Taken from the wheel's RECORD (the sha256 pip checked at install) when the
    RECORD lists the file at its current size, so no start reads 4.6 MB to
    hash it; otherwise the file itself is hashed.
    """
    size = str(path.stat().st_size)
    resolved = path.resolve()
    for record in _records_of(resolved):
        try:
            with record.open(newline="", encoding="utf-8") as handle:
                for row in csv.reader(handle):
                    if (
                        len(row) == 3 and row[1].startswith("sha256=") and row[2] == size
                        and (record.parent.parent / row[0]).resolve() == resolved
                    ):
                        return base64.urlsafe_b64decode(row[1][7:] + "==").hex()[:16]
        except (OSError, ValueError, csv.Error):
            continue
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _records_of(path: Path) -> list[Path]:
    """The RECORD of the installed distribution whose top-level folder holds ``path``."""
    for parent in path.parents:
        if parent.parent.name in ("site-packages", "dist-packages"):
            site = parent.parent
            names = {parent.name, parent.name.replace("_", "-")}
            return sorted(r for name in names for r in site.glob(f"{name}-*.dist-info/RECORD"))
    return []


def mark_used(entry: Path) -> None:
    """Note that ``entry`` (a cache folder) was used today; never fails."""
    stamp = entry / _USED
    try:
        if time.time() - stamp.stat().st_mtime < _DAY:
            return
    except OSError:
        pass
    with contextlib.suppress(OSError):  # a read-only cache (or a planted link): nothing to prune by
        descriptor = os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        try:
            os.utime(descriptor)
        finally:
            os.close(descriptor)


def prune_siblings(entry: Path, pattern: str, *, now: float | None = None) -> list[Path]:
    """Remove the folders beside ``entry`` matching ``pattern`` not used for 30 days."""
    limit = (time.time() if now is None else now) - PRUNE_AFTER_DAYS * _DAY
    removed: list[Path] = []
    for sibling in sorted(entry.parent.glob(pattern)):
        if sibling == entry or not sibling.is_dir() or sibling.is_symlink():
            continue
        try:
            used = (sibling / _USED).stat().st_mtime
        except OSError:
            used = sibling.stat().st_mtime
        if used < limit:
            shutil.rmtree(sibling, ignore_errors=True)
            removed.append(sibling)
    return removed


__all__ = ["PRUNE_AFTER_DAYS", "installed_file_digest", "mark_used", "prune_siblings"]
