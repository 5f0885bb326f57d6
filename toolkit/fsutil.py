"""Atomic output: write to a temporary name beside the target, rename when complete."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

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


# --- Writes that never follow a symbolic link below their root -------------------------
#
# A package folder, a review's folder and the cache folder are *roots*: below one, every
# folder is walked from the root's descriptor with O_NOFOLLOW (openat-style) and a file is
# created with O_NOFOLLOW, so a planted link (``out/work/sidecar -> /elsewhere``,
# ``film.srt.review.jsonl -> victim``) is refused with one line naming it, never written
# through. The root itself may be a link: the user named it.

_ROOTS: list[str] = []
_ROOTS_LOCK = threading.Lock()
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW


class SymlinkRefused(WriteError):
    """A symbolic link where screenkit writes, below a root: refused, nothing written (exit 2)."""


def symlink_refused(path: str | os.PathLike[str]) -> SymlinkRefused:
    return SymlinkRefused(
        "is a symbolic link; screenkit does not write through links here (remove it and run again)", path=path
    )


@contextlib.contextmanager
def confined(root: str | os.PathLike[str]) -> Iterator[None]:
    """While the block runs, every write below ROOT refuses symbolic links (see :func:`atomic_path`)."""
    absolute = os.path.abspath(root)
    with _ROOTS_LOCK:
        _ROOTS.append(absolute)
    try:
        yield
    finally:
        with _ROOTS_LOCK:
            _ROOTS.remove(absolute)


def _below(path: str, root: str) -> bool:
    return path.startswith(root.rstrip(os.sep) + os.sep)


def root_of(target: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> str | None:
    """The outermost root TARGET lies below: ROOT if given, a :func:`confined` one, or the cache folder."""
    absolute = os.path.abspath(target)
    with _ROOTS_LOCK:
        roots = list(_ROOTS)
    roots.append(os.path.abspath(cache_dir()))
    if root is not None:
        roots.append(os.path.abspath(root))
    found = [candidate for candidate in roots if _below(absolute, candidate)]
    return min(found, key=len) if found else None


def _is_link(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(name, dir_fd=dir_fd).st_mode)
    except OSError:
        return False


def open_folder(root: str, parts: Sequence[str], *, create: bool = True) -> int:
    """A descriptor of ROOT/PARTS, walked from ROOT without following a link below it (created if asked)."""
    if create:
        try:
            os.makedirs(root, exist_ok=True)
        except OSError as error:
            raise ScreenkitError(f"cannot create folder: {error.strerror}", path=root) from None
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise ScreenkitError(f"cannot open folder: {error.strerror}", path=root) from None
    walked = root
    for part in parts:
        walked = os.path.join(walked, part)
        try:
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
        except OSError as error:
            link = _is_link(part, fd)
            os.close(fd)
            if link:
                raise symlink_refused(walked) from None
            if error.errno in _SPACE_ERRNOS:
                raise write_error(error, walked) from None
            raise ScreenkitError(f"cannot create folder: {error.strerror}", path=walked) from None
        os.close(fd)
        fd = child
    return fd


def _place(target: Path, root: str | os.PathLike[str] | None) -> tuple[str, list[str], bool]:
    """(folder to walk from, the parts below it to the target's folder, whether links are refused)."""
    found = root_of(target, root)
    parent = os.path.dirname(os.path.abspath(target))
    if found is None:
        return parent, [], False
    relative = os.path.relpath(parent, found)
    return found, [] if relative == "." else relative.split(os.sep), True


def _refuse_link(name: str, dir_fd: int, target: Path) -> None:
    if _is_link(name, dir_fd):
        raise symlink_refused(target)


def _same_folder(path: str, dir_fd: int) -> bool:
    try:
        by_name, held = os.stat(path), os.fstat(dir_fd)
    except OSError:
        return False
    return (by_name.st_dev, by_name.st_ino) == (held.st_dev, held.st_ino)


def refuse_symlinks_below(root: str | os.PathLike[str]) -> None:
    """Refuse (one line naming it) the first symbolic link, FIFO, socket or device anywhere below
    ROOT (ROOT itself may be a link: the user named it)."""
    stack = [os.fspath(root)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as error:
            raise ScreenkitError(f"cannot read folder: {error.strerror}", path=folder) from None
        for entry in listed:
            if entry.is_symlink():
                raise symlink_refused(entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif not entry.is_file(follow_symlinks=False):  # a FIFO would block whoever reads it
                mode = entry.stat(follow_symlinks=False).st_mode
                raise _not_regular(mode, "file screenkit wrote", entry.path)


def open_confined(
    target: str | os.PathLike[str], flags: int, mode: int = 0o644, *, root: str | os.PathLike[str] | None = None
) -> int:
    """``os.open(target, flags)`` that follows no link: not TARGET itself, nor a folder below its root."""
    target = Path(target)
    start, parts, _ = _place(target, root)
    dir_fd = open_folder(start, parts, create=bool(flags & os.O_CREAT))
    try:
        return os.open(target.name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dir_fd)
    except OSError:
        if _is_link(target.name, dir_fd):
            raise symlink_refused(target) from None
        raise
    finally:
        os.close(dir_fd)


def check_confined(
    target: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None, create: bool = True
) -> bool:
    """For code that opens TARGET by name itself (SQLite, NumPy, marshal, fontTools): no link at
    TARGET or on its way from its root, and TARGET, if there, a regular file (a FIFO would block
    the reader). Whether TARGET exists; its folders are made when CREATE is true."""
    target = Path(target)
    start, parts, _ = _place(target, root)
    try:
        dir_fd = open_folder(start, parts, create=create)
    except ScreenkitError as error:
        if isinstance(error, SymlinkRefused) or create:
            raise
        return False  # a folder not made yet: nothing cached there
    try:
        try:
            mode = os.lstat(target.name, dir_fd=dir_fd).st_mode
        except FileNotFoundError:
            return False
        if stat.S_ISLNK(mode):
            raise symlink_refused(target)
        if not stat.S_ISREG(mode):
            raise _not_regular(mode, "cache file", os.fspath(target))
        return True
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str], suffix: str | None = None, *, root: str | os.PathLike[str] | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any exception the temporary file is removed and ``target`` is left as
    it was. ``suffix`` keeps the extension for tools (ffmpeg) that choose a
    format from it. A full disk, a read-only file system or a missing
    permission, wherever it strikes while writing, is a ScreenkitError naming
    ``target`` (exit 2), not the temporary name. Below a root (``root``, a
    :func:`confined` folder, the cache folder) no symbolic link is followed:
    the folders are walked from the root's descriptor, the temporary file is
    made with O_NOFOLLOW, and a link at ``target`` is refused, checked again
    right before the rename.
    """
    target = Path(target)
    start, parts, strict = _place(target, root)
    dir_fd = open_folder(start, parts)
    folder = os.path.join(start, *parts)
    ending = PART + (suffix if suffix is not None else target.suffix)
    try:
        if strict:
            _refuse_link(target.name, dir_fd, target)
        name = ""
        for _ in range(100):
            # ".part" before the extension: ffmpeg picks the container from the suffix.
            candidate = f".{target.stem}.{secrets.token_hex(4)}{ending}"
            try:
                os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                                 0o600, dir_fd=dir_fd))
            except FileExistsError:
                continue
            except OSError as error:
                raise write_error(error, target) from None
            name = candidate
            break
        else:
            raise ScreenkitError("cannot find a free temporary name", path=target)
        temporary = Path(folder) / name
        try:
            yield temporary
            # A fresh file is 0600; an output gets the permissions a plain open() would give.
            with contextlib.suppress(OSError):
                os.chmod(name, 0o666 & ~_UMASK, dir_fd=dir_fd, follow_symlinks=False)
            if strict:
                _refuse_link(target.name, dir_fd, target)
                if not _same_folder(folder, dir_fd):
                    raise symlink_refused(folder)
            os.replace(name, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
            # A full disk is always about what is being written (shutil.copyfile names its
            # source); a read-only or forbidden path only when it is the output's.
            ours = error.filename in (None, os.fspath(temporary), os.fspath(target), name, target.name)
            if error.errno in _SPACE_ERRNOS or (error.errno in WRITE_ERRNOS and ours):
                raise write_error(error, target) from None
            if ours:
                raise ScreenkitError(f"cannot write: {error.strerror or error}", path=target) from None
            raise
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
            raise
    finally:
        os.close(dir_fd)


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


_KINDS_OF_FILE = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"),
)


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is: "a named pipe (FIFO)", "a folder", ..."""
    return next((said for test, said in _KINDS_OF_FILE if test(mode)), "not a regular file")


def _not_regular(mode: int, kind: str, name: str) -> ScreenkitError:
    return ScreenkitError(f"is {file_kind(mode)}, not a {kind}; give a regular file", path=name)


def open_input(path: str | os.PathLike[str], *, kind: str, missing: str = "no such file") -> int:
    """A descriptor of the input file PATH, checked to be a regular file before anything is read.

    Opened with O_NONBLOCK, so that a FIFO (``mkfifo p.json``) cannot block the open, then
    ``fstat``-ed: a FIFO, a device, a socket or a folder is a one-line ScreenkitError.
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ScreenkitError(missing, path=name) from None
    except IsADirectoryError:
        raise ScreenkitError(f"is a folder, not a {kind}", path=name) from None
    except PermissionError:
        raise ScreenkitError("permission denied", path=name) from None
    except OSError as error:
        raise ScreenkitError(f"cannot read: {error.strerror or error}", path=name) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _not_regular(mode, kind, name)
    os.set_blocking(fd, True)
    return fd


def require_regular_file(path: str | os.PathLike[str], *, kind: str, missing: str = "no such file") -> None:
    """PATH is a regular file (for inputs another program opens: ffmpeg, PyAV); else a ScreenkitError."""
    os.close(open_input(path, kind=kind, missing=missing))


def read_input_bytes(
    path: Path, *, kind: str, missing: str = "no such file", max_bytes: int | None = None
) -> bytes:
    """The bytes of an input file, or a one-line ScreenkitError naming it.

    ``kind`` names what the file should be ("subtitle file", "manifest"), for
    the folder, not-a-file and size messages; ``max_bytes`` refuses larger files
    before reading more than that.
    """
    name = os.fspath(path)
    fd = open_input(path, kind=kind, missing=missing)
    try:
        with open(fd, "rb", closefd=True) as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as error:
        raise ScreenkitError(f"cannot read: {error.strerror or error}", path=name) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise ScreenkitError(
            f"larger than {max_bytes // (1024 * 1024)} MiB: too large for a {kind}; refusing to read it",
            path=name,
        )
    return data


# --- JSON read with its nesting bounded -----------------------------------------------

MAX_JSON_DEPTH = 200  # the manifest readers' limit (toolkit.manifest.jsonpos, yamlpos)
# Profiles and glossaries are a few levels deep; jsonschema validates them recursively
# (several frames a level), so their documents are held far below the recursion limit.
MAX_SMALL_DOCUMENT_DEPTH = 32


def depth_error(text: str, offset: int, max_depth: int, path: str | None) -> ScreenkitError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return ScreenkitError(f"nested more than {max_depth} levels deep", path=path, line=line, column=column)
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


# TOML: strings of four kinds and comments hold brackets that open nothing.
_TOML_TOKENS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]'
)


def json_depth_at(text: str, limit: int, *, toml: bool = False) -> int | None:
    """The offset where TEXT (JSON, or TOML) opens its LIMIT+1-th level of nesting; None when it stays within."""
    depth = 0
    for match in (_TOML_TOKENS if toml else _JSON_TOKENS).finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def depth_within(value: Any, limit: int) -> bool:
    """Whether VALUE (plain data) nests at most LIMIT lists and mappings deep (walked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return False
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return True


def has_lone_surrogate(value: Any) -> bool:
    """Whether a string anywhere in VALUE (JSON data) holds a lone surrogate (``"\\ud800"``)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def load_json_bounded(
    text: str | bytes, path: str | os.PathLike[str] | None = None, *, max_depth: int = MAX_JSON_DEPTH
) -> Any:
    """``json.loads`` that refuses nesting deeper than MAX_DEPTH (never a RecursionError), as a
    ScreenkitError naming PATH and the line and column (a ValueError subclass it is not)."""
    import json

    name = os.fspath(path) if path is not None else None
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScreenkitError("not UTF-8 text", path=name) from None
    offset = json_depth_at(text, max_depth)
    if offset is not None:
        raise depth_error(text, offset, max_depth, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ScreenkitError(f"invalid JSON: {error.msg}", path=name, line=error.lineno, column=error.colno) from None
    except RecursionError:  # the scan above makes this unreachable; kept as a last guard
        raise ScreenkitError(f"nested more than {max_depth} levels deep", path=name) from None
