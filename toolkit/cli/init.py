"""``screenkit init FOLDER``: a draft manifest from a folder (and ``--lineup SHEET``)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import click

from toolkit.cli.output import note
from toolkit.errors import EXIT_USAGE, ScreenkitError


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 'es' if word.endswith('ss') else 's'}"


def _existing_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest being replaced (with --force), for its time zone and venues; None if unreadable."""
    if not path.is_file():
        return None
    try:
        import yaml

        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except Exception:  # a broken old manifest only means nothing is taken from it
        return None
    if not isinstance(data, dict):
        return None
    event = data.get("event")
    if isinstance(event, dict) and re.search(r"^\s*time_zone:.*#\s*placeholder", text, re.MULTILINE):
        event.pop("time_zone", None)  # an earlier draft's placeholder is no one's choice
    return data


def _zone(given: str | None, existing: dict[str, Any] | None, output: Path) -> tuple[str | None, str | None]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    source = "--timezone"
    if given is None and existing is not None:
        event = existing.get("event")
        zone = event.get("time_zone") if isinstance(event, dict) else None
        if isinstance(zone, str):
            given, source = zone, f"the existing {output.name}"
    if given is None:
        return None, None
    try:
        ZoneInfo(given)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScreenkitError(f"--timezone: unknown time zone {given!r} (an IANA name: Europe/Paris, Asia/Shanghai)") from None
    return given, source


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Manifest to write (default: FOLDER/manifest.yaml).")
@click.option("--lineup", type=click.Path(path_type=Path), help="Works and screenings from a spreadsheet: .xlsx, .ods or .csv.")
@click.option("--sheet", help="The lineup's sheet (default: the first).")
@click.option("--columns", metavar="FIELD=COLUMN,...", help="Lineup columns by letter or header text: title=B,date=Jour.")
@click.option("--timezone", "timezone", metavar="ZONE", help="The event's IANA time zone, e.g. Europe/Paris (lineup times are read in it).")
@click.option("--force", is_flag=True, help="Replace the manifest if it exists.")
def init(
    folder: Path,
    output: Path | None,
    lineup: Path | None,
    sheet: str | None,
    columns: str | None,
    timezone: str | None,
    force: bool,
) -> None:
    """Write a draft manifest from a folder of videos and subtitle files.

    \b
    Every video is probed (duration, frame rate, size, audio languages), every
    subtitle file read (format, encoding) and its language identified from the
    text (bilingual tracks too; a language in the file name wins). Tracks are
    paired with videos by name: film.fr.srt belongs to film.mp4. Every guess is
    marked with a YAML comment saying what it was guessed from. What could not
    be placed is said on stderr.
    \b
    With --lineup, works (title, director, country, year, runtime, languages)
    and screenings (venue, screen, date and time) come from a spreadsheet whose
    header row names its columns in English, French or Chinese.
    \b
    Exit status: 0 written, 2 bad input or the manifest exists (use --force).
    \b
    Example:
      screenkit init screenings/ --lineup lineup.xlsx --timezone Europe/Paris
    """
    from toolkit.fsutil import write_text_atomic
    from toolkit.init import LineupErrors, build, parse_columns, read_lineup, scan

    target = output if output is not None else folder / "manifest.yaml"
    if target.exists() and not force:
        raise ScreenkitError("exists; screenkit init does not overwrite it (use --force, or -o another file)", path=target)
    if target.is_dir():
        raise ScreenkitError("is a folder; give the manifest's file name", path=target)
    if not folder.is_dir():
        raise ScreenkitError("not a folder" if folder.exists() else "no such folder", path=folder)
    base = os.path.relpath(folder.resolve(), target.resolve().parent)
    if base == ".." or base.startswith(".." + os.sep):
        raise ScreenkitError(
            "the manifest must be in FOLDER or a folder above it (its paths are relative to its folder)", path=target
        )
    mapping = parse_columns(columns)
    if mapping and lineup is None:
        raise click.UsageError("--columns is for --lineup")
    existing = _existing_manifest(target)
    zone_name, zone_source = _zone(timezone, existing, target)
    lineup_data = None
    if lineup is not None:
        from zoneinfo import ZoneInfo

        try:
            lineup_data = read_lineup(
                lineup, zone=ZoneInfo(zone_name) if zone_name else None, source=str(lineup), sheet=sheet, columns=mapping
            )
        except LineupErrors as errors:
            for line in errors.lines:
                click.echo(line, err=True)
            count = len(errors.lines)
            click.echo(f"{lineup}: {count} error{'s' if count != 1 else ''}; nothing written", err=True)
            raise SystemExit(EXIT_USAGE) from None
        for line in lineup_data.notes:
            note(line)
    found = scan(folder, skip={target.resolve()} | ({lineup.resolve()} if lineup else set()))
    if not found.videos and lineup_data is None:
        raise ScreenkitError("no videos found (.mp4, .mkv, .mov, .webm...): nothing to draft", path=folder)
    sources = str(folder) + (f" and {lineup}" if lineup else "")
    draft = build(
        found, target, lineup=lineup_data, zone=zone_name, zone_source=zone_source, existing=existing, sources=sources
    )
    for line in draft.notes:
        note(line)
    write_text_atomic(target, draft.text)
    note(
        f"{target}: {_plural(draft.works, 'work')}, {_plural(draft.tracks, 'subtitle track')}, "
        f"{_plural(draft.screenings, 'screening')}; {_plural(draft.guesses, 'guess')} marked # to check"
    )
