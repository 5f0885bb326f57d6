"""``screenkit doctor``: which ffmpeg, fonts, models and browser each capability uses here."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import format_option
from toolkit.cli.output import emit_json


@click.command()
@click.option("--ffmpeg", "ffmpeg_path", metavar="PATH|system", type=click.Path(dir_okay=False, path_type=Path),
              help="Check this ffmpeg instead of the default (also: $SCREENKIT_FFMPEG).")
@format_option
def doctor(ffmpeg_path: Path | None, output_format: str) -> None:
    """Say, per capability, what screenkit uses on this machine (and what is missing).

    \b
    Example:
      screenkit doctor
      screenkit doctor --ffmpeg system --format json
    """
    from toolkit.doctor import run_checks, to_json

    checks = run_checks(ffmpeg_path)
    if output_format == "json":
        emit_json({"ok": all(check.ok for check in checks), "checks": to_json(checks)})
        return
    width = max(len(check.capability) for check in checks)
    for check in checks:
        click.echo(f"{'ok ' if check.ok else 'NO '} {check.capability:<{width}}  {check.detail}")
