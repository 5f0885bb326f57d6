"""Atomic output: write to a temporary name beside the target, rename when complete."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from toolkit.errors import ScreenkitError


def cache_dir() -> Path:
    """screenkit's cache folder: ``$XDG_CACHE_HOME/screenkit``, else ``~/.cache/screenkit`` (not created)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "screenkit"


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwriting_input(output: Path, *inputs: Path) -> None:
    """A command never writes over one of its inputs unless asked to work in place."""
    if output.is_dir():
        raise ScreenkitError("is a folder; give the name of the file to write", path=output)
    for source in inputs:
        if same_file(output, source) or output.resolve() == source.resolve():
            raise ScreenkitError(
                "output would overwrite the input (use a different -o, or --in-place where offered)",
                path=output,
            )


# Errors of the place being written (not of the data): full disk, read-only
# file system, no permission. Said as one line naming the output, never as a traceback.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG})
_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class WriteError(ScreenkitError):
    """The place an output goes cannot take it (exit 2): full, read-only, not permitted."""


def write_error(error: OSError, target: str | os.PathLike[str]) -> WriteError:
    """``OUT: cannot write: No space left on device`` for an error while writing ``target``."""
    return WriteError(f"cannot write: {error.strerror or error}", path=target)


PART = ".part"  # marks temporary files: ".NAME.XXXX.part.EXT"


def is_temporary(path: Path) -> bool:
    """A file :func:`atomic_path` is writing (or a killed run left): never part of an output."""
    return path.name.startswith(".") and (PART + "." in path.name or path.name.endswith(PART))


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any exception the temporary file is removed and ``target`` is left as
    it was. ``suffix`` keeps the extension for tools (ffmpeg) that choose a
    format from it. A full disk, a read-only file system or a missing
    permission, wherever it strikes while writing, is a ScreenkitError naming
    ``target`` (exit 2), not the temporary name.
    """
    target = Path(target)
    directory = target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ScreenkitError(f"cannot create folder: {error.strerror}", path=directory) from None
    try:
        # ".part" before the extension: ffmpeg picks the container from the suffix.
        fd, name = tempfile.mkstemp(
            prefix=f".{target.stem}.",
            suffix=PART + (suffix if suffix is not None else target.suffix),
            dir=directory,
        )
        os.close(fd)
    except OSError as error:
        raise write_error(error, target) from None
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp makes 0600 files; an output gets the permissions a plain open() would give.
        with contextlib.suppress(OSError):
            os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        # A full disk is always about what is being written (shutil.copyfile names its
        # source); a read-only or forbidden path only when it is the output's.
        ours = error.filename in (None, os.fspath(temporary), os.fspath(target))
        if error.errno in _SPACE_ERRNOS or (error.errno in WRITE_ERRNOS and ours):
            raise write_error(error, target) from None
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


@contextlib.contextmanager
def atomic_open(
    target: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8", newline: str | None = ""
) -> Iterator[IO]:
    """Open a temporary file beside ``target`` for writing; rename it into place when closed."""
    with atomic_path(target) as temporary:
        binary = "b" in mode
        with open(
            temporary,
            mode,
            encoding=None if binary else encoding,
            newline=None if binary else newline,
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def write_text_atomic(target: str | os.PathLike[str], text: str, *, bom: bool = False) -> None:
    with atomic_open(target, "w", encoding="utf-8-sig" if bom else "utf-8") as handle:
        handle.write(text)


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_open(target, "wb") as handle:
        handle.write(data)


def read_input_bytes(
    path: Path, *, kind: str, missing: str = "no such file", max_bytes: int | None = None
) -> bytes:
    """The bytes of an input file, or a one-line ScreenkitError naming it.

    ``kind`` names what the file should be ("subtitle file", "manifest"), for
    the folder and size messages; ``max_bytes`` refuses larger files before
    reading more than that.
    """
    name = os.fspath(path)
    if path.is_dir():
        raise ScreenkitError(f"is a folder, not a {kind}", path=name)
    try:
        with path.open("rb") as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ScreenkitError(missing, path=name) from None
    except PermissionError:
        raise ScreenkitError("permission denied", path=name) from None
    except OSError as error:
        raise ScreenkitError(f"cannot read: {error.strerror or error}", path=name) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise ScreenkitError(
            f"larger than {max_bytes // (1024 * 1024)} MiB: too large for a {kind}; refusing to read it",
            path=name,
        )
    return data


def write_files_atomic(files: list[tuple[Path, bytes]]) -> None:
    """Write the files of one output (a DCP XML and its font or PNGs) as a unit.

    Every file goes to a temporary name beside its target first; only when all
    of them are complete are they renamed into place. A failure at any point
    (a full disk after the font, before the XML) removes the temporary files
    and any file already renamed, so none of the set is left: never a font
    without its XML.
    """
    with contextlib.ExitStack() as stack:
        temporaries: list[tuple[Path, Path]] = []
        for target, data in files:
            temporary = stack.enter_context(_staged(target))
            try:
                with open(temporary, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as error:
                if error.errno in WRITE_ERRNOS:
                    raise write_error(error, target) from None
                raise
            temporaries.append((temporary, target))
        renamed: list[Path] = []
        try:
            for temporary, target in temporaries:
                with contextlib.suppress(OSError):
                    os.chmod(temporary, 0o666 & ~_UMASK)
                os.replace(temporary, target)
                renamed.append(target)
        except OSError as error:
            for target in renamed:
                with contextlib.suppress(OSError):
                    target.unlink()
            raise write_error(error, temporaries[len(renamed)][1]) from None
        except BaseException:
            for target in renamed:
                with contextlib.suppress(OSError):
                    target.unlink()
            raise


@contextlib.contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target``, removed on the way out unless it was renamed away."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ScreenkitError(f"cannot create folder: {error.strerror}", path=target.parent) from None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=PART + target.suffix, dir=target.parent)
        os.close(fd)
    except OSError as error:
        raise write_error(error, target) from None
    temporary = Path(name)
    try:
        yield temporary
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()  # gone already when it was renamed into place
