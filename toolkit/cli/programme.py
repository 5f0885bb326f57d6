"""``screenkit programme MANIFEST``: the screenings as iCalendar and printable run sheets."""

from __future__ import annotations

import os
from pathlib import Path

import click

from toolkit.cli.output import emit_json, note
from toolkit.errors import EXIT_FINDINGS, EXIT_OK


@click.command()
@click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", default="programme", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write into (created).")
@click.option("--package", "package_dir", type=click.Path(file_okay=False, path_type=Path),
              help="A built package (screenkit package --out): copies and checksums from it.")
@click.option("--language", help="Language of titles (default: the event's first required audience language).")
@click.option("--no-pdf", is_flag=True, help="Write the run sheets as HTML only (no chromium needed).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report as human-readable text or one JSON document on stdout.")
def programme(
    manifest: Path, out_dir: Path, package_dir: Path | None, language: str | None, no_pdf: bool, output_format: str
) -> None:
    """Write the screenings as an iCalendar file and a projection run sheet per screen and day.

    \b
    programme.ics: one event per screening (venue, screen, running order,
    languages and how each is shown, intro and Q&A), in the event's time
    zone, with stable UIDs; DTSTAMP is $SOURCE_DATE_EPOCH, else the event's
    first day, so the same manifest gives the same bytes.
    runsheet.DAY.VENUE.SCREEN.html and .pdf (headless chromium): the running
    order with start and end times, each copy's file and sha256, audio,
    subtitles, changeovers and warnings.
    \b
    The manifest must pass the schema (exit 1 with the findings otherwise);
    schedule problems are warnings on the sheets.
    \b
    Example:
      screenkit programme samples/paris-showcase/manifest.yaml -o build/programme
    """
    from toolkit.manifest import load_manifest
    from toolkit.manifest.schema_check import schema_diagnostics
    from toolkit.programme import build_programme, write_programme

    loaded = load_manifest(manifest)
    errors = [d for d in schema_diagnostics(loaded) if d.is_error]
    if errors:
        for diagnostic in errors:
            click.echo(diagnostic.format_text(), err=True)
        note(f"{manifest}: not written: the manifest does not pass the schema ({len(errors)} errors)")
        raise SystemExit(EXIT_FINDINGS)
    built = build_programme(loaded, package=package_dir, language=language)
    written = write_programme(built, out_dir, pdf=not no_pdf)
    warnings = [(slot.screening_id, text) for slot in built.slots for text in slot.warnings]
    if output_format == "json":
        emit_json(
            {
                "screenings": len(built.slots),
                "files": [os.fspath(path) for path in written],
                "warnings": [{"screening": sid, "message": text} for sid, text in warnings],
            }
        )
    else:
        for path in written:
            click.echo(os.fspath(path))
        for screening_id, text in warnings:
            note(f"{manifest}: warning: {screening_id}: {text}")
    raise SystemExit(EXIT_OK)
