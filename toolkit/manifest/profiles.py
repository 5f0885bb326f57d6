"""The event's QC profile, found one way for ``validate`` and ``package`` alike.

``event.qc_profile`` is a built-in name or a profile file relative to the
manifest's folder (like every path in a manifest, never the current folder).
The file's content hash goes into the fingerprint of every package step that
uses the profile, so editing the profile reruns exactly those steps.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from toolkit.errors import ScreenkitError
from toolkit.fsutil import open_input
from toolkit.manifest.loader import Manifest, ManifestPathError

DEFAULT_QC_PROFILE = "festival"
POINTER = "event.qc_profile"


class QCProfileError(ScreenkitError):
    """The profile cannot be used; ``code`` is the manifest finding (M301 path, M404 profile)."""

    def __init__(self, code: str, message: str, manifest: Manifest) -> None:
        position = manifest.position(POINTER)
        line, column = position if position else (None, None)
        super().__init__(message, path=manifest.display_path, line=line, column=column)
        self.code = code


@dataclass(frozen=True)
class QCProfileSource:
    name: str  # as the manifest writes it (or the default)
    source: str  # what load_profile reads: a built-in name or the file's path
    sha256: str | None = None  # a profile file's content

    def fingerprint(self) -> dict[str, str | None]:
        """For step options: the name and, for a file, its content (never its path or time)."""
        return {"profile": self.name, "profile_sha256": self.sha256}


def qc_profile_source(manifest: Manifest) -> QCProfileSource:
    from toolkit.qc import BUILTIN_PROFILES

    event = manifest.data.get("event")
    written = event.get("qc_profile") if isinstance(event, dict) else None
    name = written if isinstance(written, str) and written else DEFAULT_QC_PROFILE
    if name in BUILTIN_PROFILES:
        return QCProfileSource(name, name)
    try:
        path = manifest.resolve(name, POINTER)
    except ManifestPathError as error:
        raise QCProfileError("M301", error.message, manifest) from None
    try:
        with open(open_input(path, kind="QC profile"), "rb") as handle:  # a FIFO would block: refused
            content = handle.read()
    except ScreenkitError as error:
        if os.path.lexists(path) and not os.path.isdir(path):
            raise QCProfileError("M404", f"cannot read QC profile {name!r}: {error.message}", manifest) from None
        raise QCProfileError(
            "M404",
            f"unknown QC profile {name!r} (built-in: {', '.join(BUILTIN_PROFILES)}; "
            "or a .json/.toml profile file relative to the manifest)",
            manifest,
        ) from None
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise QCProfileError(
            "M404",
            f"unknown QC profile {name!r} (built-in: {', '.join(BUILTIN_PROFILES)}; "
            "or a .json/.toml profile file relative to the manifest)",
            manifest,
        ) from None
    except OSError as error:
        raise QCProfileError("M404", f"cannot read QC profile {name!r}: {error.strerror}", manifest) from None
    return QCProfileSource(name, os.fspath(path), hashlib.sha256(content).hexdigest())
