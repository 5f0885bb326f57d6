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
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import ScreenkitError

LOCK_NAME = "lock"


def _holder(path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        return str(int(path.read_text(encoding="ascii").strip()))
    return "unknown"


@contextlib.contextmanager
def package_lock(out: Path, state_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the lock on ``out`` (its state folder ``state_dir``) while the block runs."""
    path = state_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise ScreenkitError(f"cannot create the package lock: {error.strerror}", path=path) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise ScreenkitError(
                f"{out} is being written by another screenkit (pid {_holder(path)}); "
                "run again when it is done, or pass --wait"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        os.close(fd)  # releases the flock
