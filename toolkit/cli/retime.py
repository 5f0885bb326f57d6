from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import (
    encoding_option,
    format_option,
    input_format_option,
    to_format_option,
)
from toolkit.cli.output import emit_json, note
from toolkit.errors import ScreenkitError
from toolkit.fsutil import refuse_overwriting_input
from toolkit.subtitles import format_from_path, read_track, write_track
from toolkit.subtitles import retime as retiming
from toolkit.subtitles.timecode import format_srt, parse_fps_pair, parse_offset


@click.command()
# Folders and missing files are reported by read_track, in the one-line error style.
@click.argument("source", metavar="IN", type=click.Path(path_type=Path))
@click.option("-o", "--output", "target", required=True, type=click.Path(path_type=Path), help="File to write.")
@click.option("--shift", "shift_by", metavar="±DURATION", help="Move every cue: -1.5s, +250ms, 00:00:01,200.")
@click.option("--fps", "fps_pair", metavar="FROM:TO", help="Retime for a copy at another frame rate: 25:24, 23.976:24.")
@click.option("--remove-offset", is_flag=True, help="Remove a programme offset (01:00:00:00, 10:00:00:00) once.")
@to_format_option
@input_format_option
@encoding_option
@format_option
def retime(
    source: Path,
    target: Path,
    shift_by: str | None,
    fps_pair: str | None,
    remove_offset: bool,
    to_format: str | None,
    input_format: str | None,
    encoding: str | None,
    output_format: str,
) -> None:
    """Shift a track, convert it between frame rates, or remove a timecode offset.

    \b
    Applied in this order: --remove-offset, --fps, --shift.
    Examples:
      screenkit retime film.fr.srt --shift -1.5s -o film.fr.shifted.srt
      screenkit retime film.en.srt --fps 25:24 -o film.en.24fps.srt
      screenkit retime reel.srt --remove-offset -o reel.zero.srt
    """
    if not (shift_by or fps_pair or remove_offset):
        raise ScreenkitError("nothing to do: give --shift, --fps or --remove-offset")
    offset_ms = parse_offset(shift_by) if shift_by else 0
    rates = parse_fps_pair(fps_pair) if fps_pair else None
    refuse_overwriting_input(target, source)
    chosen = format_from_path(target, to_format)
    track = read_track(source, fmt=input_format, encoding=encoding)
    removed = 0
    if remove_offset:
        track, removed = retiming.remove_offset(track)
    if rates:
        track = retiming.change_fps(track, *rates)
    if offset_ms:
        track = retiming.shift(track, offset_ms)
    write_track(track, target, fmt=chosen)
    report = {
        "input": str(source),
        "output": str(target),
        "cues": len(track),
        "removed_offset_ms": removed,
        "fps": [str(rate) for rate in rates] if rates else None,
        "shift_ms": offset_ms,
    }
    if output_format == "json":
        emit_json(report)
    else:
        done = []
        if remove_offset:
            done.append(f"offset {format_srt(removed)} removed" if removed else "no offset to remove")
        if rates:
            done.append(f"fps {fps_pair}")
        if offset_ms:
            done.append(f"shifted {offset_ms:+d} ms")
        note(f"{source} -> {target}: {len(track)} cues, " + ", ".join(done))

