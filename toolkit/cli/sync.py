"""``screenkit sync``: measure a track's offset against a video's speech (or another track) and fix it."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import (
    encoding_option,
    format_option,
    input_format_option,
    to_format_option,
)
from toolkit.cli.output import emit_json, note, progress_bar
from toolkit.errors import EXIT_FINDINGS, ScreenkitError
from toolkit.fsutil import refuse_overwriting_input
from toolkit.subtitles import format_from_path, read_track
from toolkit.subtitles.timecode import format_srt


def _seconds(ms: int) -> str:
    return f"{ms / 1000:+.3f} s"


def _positive_seconds(_ctx: click.Context, _param: click.Parameter, value: float | None) -> float | None:
    if value is not None and value <= 0:
        raise click.BadParameter("must be more than 0 seconds")
    return value


@click.command()
@click.argument("video", required=False, type=click.Path(path_type=Path))
@click.option("--subs", "subs", required=True, type=click.Path(path_type=Path), help="The track to sync.")
@click.option(
    "--reference", type=click.Path(path_type=Path),
    help="Align to this track of the same work (timed to the picture) instead of VIDEO's audio.",
)  # fmt: skip
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option("--dry-run", is_flag=True, help="Measure and report only; write nothing.")
@click.option("--fps-search", is_flag=True, help="Also try the frame-rate ratios of 23.976, 24, 25 and 30 fps.")
@click.option("--split", is_flag=True, help="Allow piecewise offsets (a cut, an added scene, a reel break).")
@click.option(
    "--split-penalty", type=float, default=4.0, show_default=True, metavar="SECONDS", callback=_positive_seconds,
    help="How much better-matched subtitle time a split must buy (lower splits more readily).",
)  # fmt: skip
@click.option(
    "--max-offset", type=float, default=None, metavar="SECONDS", callback=_positive_seconds,
    help="Largest offset searched, either way (default: a third of the film, 10-60 s).",
)  # fmt: skip
@click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="0..1",
    help="Refuse to write below this confidence (default 0.5).",
)  # fmt: skip
@click.option(
    "--ffmpeg", "ffmpeg_path", metavar="PATH|system", type=click.Path(dir_okay=False, path_type=Path),
    help="ffmpeg to decode the audio with (default: the one imageio-ffmpeg ships; also $SCREENKIT_FFMPEG).",
)  # fmt: skip
@to_format_option
@input_format_option
@encoding_option
@format_option
def sync(
    video: Path | None,
    subs: Path,
    reference: Path | None,
    target: Path | None,
    dry_run: bool,
    fps_search: bool,
    split: bool,
    split_penalty: float,
    max_offset: float | None,
    min_confidence: float | None,
    ffmpeg_path: Path | None,
    to_format: str | None,
    input_format: str | None,
    encoding: str | None,
    output_format: str,
) -> None:
    """Find the offset (and frame-rate ratio, and pieces) that lays a track over the speech in
    VIDEO's audio, or over a --reference track, and write the retimed track.

    Refuses to write, exit 1, when the confidence is below --min-confidence.

    \b
    Examples:
      screenkit sync film.mp4 --subs film.fr.srt -o film.fr.synced.srt
      screenkit sync film.mkv --subs film.en.srt --fps-search -o film.en.synced.srt
      screenkit sync --reference film.en.srt --subs film.zh.srt --split -o film.zh.synced.srt
    """
    from toolkit import sync as syncing

    if (video is None) == (reference is None):
        raise ScreenkitError("give VIDEO to sync against its audio, or --reference FILE, not both")
    if target is None and not dry_run:
        raise ScreenkitError("give -o OUT, or --dry-run to measure only")
    if target is not None:
        refuse_overwriting_input(target, *[p for p in (subs, reference, video) if p is not None])
        chosen_format = format_from_path(target, to_format)
    track = read_track(subs, fmt=input_format, encoding=encoding)
    if reference is not None:
        activity, against = syncing.reference_activity(reference=read_track(reference, fmt=input_format))
    else:
        from toolkit.media.ffmpeg import resolve_ffmpeg

        ffmpeg = resolve_ffmpeg(ffmpeg_path)
        with progress_bar("listening", None) as bar:
            activity, against = syncing.reference_activity(
                media=video, ffmpeg=ffmpeg, progress=lambda seconds: bar.update(completed=seconds)
            )
    result = syncing.measure(
        track,
        activity,
        against,
        fps_search=fps_search,
        split=split,
        max_offset_ms=None if max_offset is None else round(max_offset * 1000),
        split_penalty_ms=round(split_penalty * 1000),
    )
    threshold = syncing.DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
    accepted = result.confidence >= threshold
    written = False
    if accepted and target is not None and not dry_run:
        syncing.write_synced(track, result, target, fmt=chosen_format)
        written = True
    if output_format == "json":
        emit_json(
            {
                "input": str(subs),
                "output": str(target) if written else None,
                "cues": len(track),
                **result.to_json(),
                "min_confidence": threshold,
                "written": written,
            }
        )
    else:
        _print_text(subs, target, result, threshold, written, len(track))
    if not accepted:
        note(
            f"{subs}: confidence {result.confidence:.2f} is below {threshold:.2f}: not written. "
            "The cues fit the speech no better than shuffled copies of them: is it the right film? If the track drifts "
            "try --fps-search; if the film was cut or has reel breaks, --split."
        )
        raise SystemExit(EXIT_FINDINGS)


def _print_text(subs: Path, target: Path | None, result: object, threshold: float, written: bool, cues: int) -> None:
    from toolkit.sync import SyncResult

    assert isinstance(result, SyncResult)
    against = "the audio" if result.against == "audio" else "the reference"
    click.echo(
        f"{subs}: offset {_seconds(result.offset_ms)} against {against} "
        f"(confidence {result.confidence:.2f}, {result.agreement:.0%} of subtitle time on "
        f"{'speech' if result.against == 'audio' else 'reference cues'})"
    )
    if result.ratio != 1:
        click.echo(f"  frame rate {result.rate.label}: times x {float(result.ratio):.6f}")
    if len(result.pieces) > 1:
        for number, piece in enumerate(result.pieces, 1):
            click.echo(
                f"  piece {number}: cues {piece.first_cue + 1}-{piece.last_cue + 1} from "
                f"{format_srt(piece.start_ms)}: {_seconds(piece.offset_ms)} (confidence {piece.confidence:.2f})"
            )
    for warning in result.warnings:
        click.echo(f"  warning: {warning}")
    if written:
        note(f"{subs} -> {target}: {cues} cues")
