"""``validate_manifest``: load, check the schema, then the semantics; findings as Diagnostics."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from toolkit.diagnostics import Diagnostic
from toolkit.manifest.checks import check_semantics
from toolkit.manifest.loader import Manifest, load_manifest
from toolkit.manifest.schema_check import schema_diagnostics

if TYPE_CHECKING:
    from toolkit.manifest.cache import ValidationCache


def validate_manifest(
    path: str | os.PathLike[str], *, check_media: bool = True, jobs: int = 1, cache: ValidationCache | None = None
) -> list[Diagnostic]:
    """Every finding in the manifest at PATH: schema errors first (most relevant first), then semantics.

    A manifest that cannot be read or parsed raises ScreenkitError (exit 2).
    ``check_media=False`` neither probes nor hashes video files (they must still exist).
    ``jobs`` processes check the subtitle tracks; ``cache`` (a ValidationCache) keeps their
    findings by content for the next run.
    """
    return check_manifest(load_manifest(path, cache=cache), check_media=check_media, jobs=jobs, cache=cache)


def check_manifest(
    manifest: Manifest, *, check_media: bool = True, jobs: int = 1, cache: ValidationCache | None = None
) -> list[Diagnostic]:
    """The findings of a manifest already loaded (``screenkit package`` loads it once)."""
    diagnostics = schema_diagnostics(manifest)
    diagnostics.extend(check_semantics(manifest, check_media=check_media, jobs=jobs, cache=cache))
    return diagnostics
