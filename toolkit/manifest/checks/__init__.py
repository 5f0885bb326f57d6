"""Checks the schema cannot express, one module per code family.

Each module here defines ``FAMILY`` (a :class:`CheckFamily`: its code prefix,
its order, a ``document`` and/or a ``work`` check). Adding a family is one
new file: ``toolkit/manifest/checks/<name>.py`` with its ``FAMILY``; it is
found by the package scan below, documented in the code catalogue
(``toolkit/catalogue``), and reports through ``CheckContext.report``.

    references  M2xx  ids and references (runs first: collects the works)
    schedule    M7xx  screenings: overlaps, dates, offsets
    files       M3xx  paths, existence, sha256
    media       M6xx  probe: duration, frame rate, resolution
    languages   M5xx  audience and burned-in languages
    tracks      M4xx  subtitle tracks: parse, language, end, QC
    sync        M8xx  subtitles against the speech in the audio (media checks only)
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import TYPE_CHECKING

from toolkit.diagnostics import Diagnostic
from toolkit.manifest.checks.context import CheckContext, CheckFamily
from toolkit.manifest.loader import Manifest

if TYPE_CHECKING:
    from toolkit.manifest.cache import ValidationCache

_NOT_FAMILIES = frozenset({"context"})


@cache
def families() -> tuple[CheckFamily, ...]:
    """Every check family in this package, in running order."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        if module.name in _NOT_FAMILIES:
            continue
        family = getattr(importlib.import_module(f"{__name__}.{module.name}"), "FAMILY", None)
        if isinstance(family, CheckFamily):
            found.append(family)
    return tuple(sorted(found, key=lambda family: family.order))


def check_semantics(
    manifest: Manifest, *, check_media: bool = True, jobs: int = 1, cache: ValidationCache | None = None
) -> list[Diagnostic]:
    """The semantic findings of a loaded manifest (schema findings are ``schema_check``'s).

    The subtitle tracks' checks come from CACHE where it has them (keyed by content; see
    ``toolkit.manifest.cache``), the rest run in JOBS processes; the findings are the
    same, in the same order, whatever JOBS and the cache hold.
    """
    from toolkit.manifest.checks.tracks import TrackRunner

    ctx = CheckContext(manifest, check_media=check_media)
    ctx.tracks = TrackRunner(jobs=jobs, cache=cache)
    for family in families():
        if family.document is not None:
            family.document(ctx)
    for work in ctx.works.values():
        for family in families():
            if family.work is not None:
                family.work(ctx, work)
    ctx.tracks.finish(ctx)
    return ctx.diagnostics


__all__ = ["CheckContext", "CheckFamily", "check_semantics", "families"]
