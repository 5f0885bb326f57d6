"""M3xx: files (M301 path absolute or escaping the manifest's folder, M302 file missing,
M303 sha256 mismatch)."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.errors import ScreenkitError
from toolkit.fsutil import file_kind, open_input
from toolkit.manifest.checks.context import CheckContext, CheckFamily, WorkEntry, as_dict
from toolkit.manifest.loader import ManifestPathError


def check_work(ctx: CheckContext, work: WorkEntry) -> None:
    media = as_dict(work.data.get("media"))
    media_pointer = f"{work.pointer}.media"
    work.video = existing_file(ctx, media.get("path"), f"{media_pointer}.path")
    if work.video is not None and ctx.check_media:
        # Hashing a feature film is slow: --no-media skips reading video files at all.
        check_sha256(ctx, work.video, media.get("sha256"), f"{media_pointer}.sha256")
    for track in work.tracks:
        raw = track.data
        track.path = existing_file(ctx, raw.get("path"), f"{track.pointer}.path")
        if track.path is not None:
            check_sha256(ctx, track.path, raw.get("sha256"), f"{track.pointer}.sha256")


def existing_file(ctx: CheckContext, relative: object, pointer: str) -> Path | None:
    if not isinstance(relative, str) or not relative:
        return None
    try:
        path = ctx.manifest.resolve(relative, pointer)
    except ManifestPathError as error:
        ctx.report("M301", pointer, error.message)
        return None
    try:
        mode = os.stat(path).st_mode  # one stat, not is_file() then is_dir()
    except OSError as error:  # a folder on the way that cannot be read, say
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            mode = 0  # what is_file() and is_dir() read as "neither"
        else:
            ctx.report("M302", pointer, f"{relative!r} cannot be checked: {error.strerror}")
            return None
    is_file, is_dir = stat.S_ISREG(mode), stat.S_ISDIR(mode)
    if not is_file:
        what = "is a folder, not a file" if is_dir else "does not exist"
        if mode and not is_dir:  # a FIFO would block whoever reads it
            what = f"is {file_kind(mode)}, not a regular file"
        ctx.report("M302", pointer, f"{relative!r} {what} (relative to {ctx.manifest.base})")
        return None
    return path


def check_sha256(ctx: CheckContext, path: Path, expected: object, pointer: str) -> None:
    if not isinstance(expected, str):
        return
    digest = hashlib.sha256()
    try:
        with open(open_input(path, kind="file"), "rb") as handle:  # regular files only: a FIFO would block
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except ScreenkitError as error:
        ctx.report("M302", pointer, f"{path.name!r} cannot be read: {error.message}")
        return
    except OSError as error:
        ctx.report("M302", pointer, f"{path.name!r} cannot be read: {error.strerror}")
        return
    actual = digest.hexdigest()
    if actual != expected.lower():
        ctx.report("M303", pointer, f"sha256 of {path.name!r} is {actual}, not the declared {expected}")


CODES = (
    CodeDoc(
        'M301',
        "path absolute or outside the manifest's folder",
        Severity.ERROR,
        "Every path in a manifest is relative to the manifest's folder and stays inside it (no absolute paths, no '..' out, no symbolic link leading out, no segment too long for the file system), so a package folder can be moved and checked anywhere.",
        'Copy the file into the event folder and give its relative path.',
    ),
    CodeDoc(
        'M302',
        'file missing',
        Severity.ERROR,
        'A path in the manifest names no file (or a folder).',
        "Correct the path (relative to the manifest's folder) or add the file.",
    ),
    CodeDoc(
        'M303',
        'sha256 mismatch',
        Severity.ERROR,
        "The file's content is not the one the manifest declares: it changed after the manifest was written, or it is the wrong file.",
        'Check the file; if the new one is right, update the sha256 (sha256sum FILE).',
    ),
)

FAMILY = CheckFamily("M3", "files", order=30, work=check_work, codes=CODES)
