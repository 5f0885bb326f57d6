"""One ``screenkit package`` at a time per package folder.

Two runs into one ``--out`` would delete each other's temporary files and
hash them into ``checksums.sha256``. The lock is an ``flock`` on
``.screenkit/lock``: the kernel drops it when its process ends, however it
ends, so a lock left by a killed run is simply taken over. The file holds the
holder's pid, only to say who it is.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.fsutil import open_confined, write_error

LOCK_NAME = "lock"


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        return str(int(os.pread(fd, 32, 0).decode("ascii").strip()))
    return "unknown"


@contextlib.contextmanager
def package_lock(out: Path, state_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the lock on ``out`` (its state folder ``state_dir``) while the block runs."""
    path = state_dir / LOCK_NAME
    try:
        # No link followed, at the lock or on the way from --out (toolkit.fsutil.open_confined).
        fd = open_confined(path, os.O_RDWR | os.O_CREAT, 0o644, root=out)
    except OSError as error:
        raise ScreenkitError(f"cannot create the package lock: {error.strerror}", path=path) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ScreenkitError("the package lock is not a regular file; remove it", path=path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise ScreenkitError(
                f"{out} is being written by another screenkit (pid {_holder(fd)}); "
                "run again when it is done, or pass --wait"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except OSError as error:  # a full disk: said with the lock's name, not as a bare errno
            raise write_error(error, path) from None
        yield
    finally:
        os.close(fd)  # releases the flock
