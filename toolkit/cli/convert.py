from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import (
    check_format,
    encoding_option,
    format_option,
    input_format_option,
    to_format_option,
)
from toolkit.cli.output import emit_json, note
from toolkit.fsutil import refuse_overwriting_input
from toolkit.subtitles import format_from_path, read_track, write_track


@click.command()
# Folders and missing files are reported by read_track, in the one-line error style.
@click.argument("source", metavar="IN", type=click.Path(path_type=Path))
@click.option("-o", "--output", "target", required=True, type=click.Path(path_type=Path), help="File to write (UTF-8).")
@to_format_option
@input_format_option
@click.option("--from", "from_format", metavar="FORMAT", callback=check_format, hidden=True, help="Same as --input-format.")
@encoding_option
@click.option("--bom", is_flag=True, help="Start the UTF-8 output with a byte-order mark.")
@format_option
def convert(
    source: Path,
    target: Path,
    to_format: str | None,
    input_format: str | None,
    from_format: str | None,
    encoding: str | None,
    bom: bool,
    output_format: str,
) -> None:
    """Convert a subtitle file between SRT, WebVTT and ASS/SSA.

    \b
    Example:
      screenkit convert film.zh.srt -o film.zh.vtt
    The input is never overwritten; the output is written to a temporary
    name and renamed when complete.
    """
    refuse_overwriting_input(target, source)
    chosen = format_from_path(target, to_format)
    track = read_track(source, fmt=input_format or from_format, encoding=encoding)
    write_track(track, target, fmt=chosen, bom=bom)
    report = {
        "input": str(source),
        "output": str(target),
        "format": chosen,
        "cues": len(track),
        "source_encoding": track.encoding,
    }
    if output_format == "json":
        emit_json(report)
    else:
        note(f"{source} ({track.encoding}) -> {target} ({chosen}, utf-8): {len(track)} cues")
