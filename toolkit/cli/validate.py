"""``screenkit validate MANIFEST...``: schema and semantic checks of screening manifests."""

from __future__ import annotations

import click

from toolkit.cli.options import findings_format_option
from toolkit.cli.output import detail, emit_json, note
from toolkit.diagnostics import Diagnostic, Severity
from toolkit.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, ScreenkitError


def _counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    return {severity.value: sum(d.severity is severity for d in diagnostics) for severity in Severity}


@click.command()
@click.argument("manifests", metavar="MANIFEST...", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--no-media", is_flag=True, help="Do not probe or hash video files (they must still exist).")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(0, 256),
              help="Processes checking subtitle tracks (0: one per CPU). The findings do not depend on it.")
@click.option("--no-cache", is_flag=True, help="Check every subtitle track again, neither reading nor writing the cache.")
@findings_format_option
def validate(manifests: tuple[str, ...], no_media: bool, jobs: int, no_cache: bool, output_format: str) -> None:
    """Check screening manifests (YAML or JSON) against the schema and for what breaks a screening.

    \b
    Schema errors come first (most relevant first), then: ids and references,
    files inside the manifest's folder, sha256, subtitle tracks (parse,
    language, QC profile, end before the video), required languages, media
    duration / frame rate / resolution, and the schedule.
    \b
    Each subtitle track's findings are cached by its content (and the tag,
    the profile, the video's duration, screenkit's version) in screenkit's
    cache folder, so re-validating an unchanged catalogue is fast.
    \b
    Exit status: 0 nothing at error level, 1 errors found, 2 a manifest
    could not be read or parsed.
    \b
    Example:
      screenkit validate samples/paris-showcase/manifest.yaml --no-media
    """
    import os

    from toolkit.manifest import validate_manifest
    from toolkit.manifest.cache import ValidationCache

    cache = None if no_cache else ValidationCache()
    workers = jobs or os.cpu_count() or 1
    results: list[tuple[str, list[Diagnostic] | None, str | None]] = []
    for path in manifests:
        try:
            diagnostics = validate_manifest(path, check_media=not no_media, jobs=workers, cache=cache)
        except ScreenkitError as error:
            if len(manifests) == 1:
                raise
            results.append((path, None, str(error.with_path(path))))
            continue
        results.append((path, diagnostics, None))
        if cache is not None:
            detail(f"{path}: subtitle tracks: {cache.track_hits} from the cache, {cache.track_misses} checked")
            cache.track_hits = cache.track_misses = 0

    unreadable = any(failure is not None for _, _, failure in results)
    has_errors = any(d.is_error for _, diagnostics, _ in results for d in diagnostics or [])
    code = EXIT_USAGE if unreadable else EXIT_FINDINGS if has_errors else EXIT_OK

    if output_format == "json":
        emit_json(
            {
                "valid": code == EXIT_OK,
                "manifests": [
                    {
                        "path": path,
                        "readable": failure is None,
                        "error": failure,
                        "counts": _counts(diagnostics or []),
                        "diagnostics": [d.to_dict() for d in diagnostics or []],
                    }
                    for path, diagnostics, failure in results
                ],
            }
        )
    elif output_format == "junit":
        from toolkit.cli.junit import junit_report

        click.echo(junit_report("screenkit validate", results, passed="schema and semantic checks"))
    else:
        for path, diagnostics, failure in results:
            if failure is not None:
                click.echo(failure, err=True)
                continue
            assert diagnostics is not None
            for diagnostic in diagnostics:
                click.echo(diagnostic.format_text())
            counts = _counts(diagnostics)
            verdict = "invalid" if counts["error"] else "valid"
            note(f"{path}: {verdict} ({counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes)")
    raise SystemExit(code)
