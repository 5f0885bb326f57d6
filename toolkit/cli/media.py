"""``screenkit probe | burn | mux | extract``: thin wrappers over toolkit.media."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import click

from toolkit.cli.options import format_option, input_format_option
from toolkit.cli.output import detail, emit_json, note, progress_bar
from toolkit.errors import ScreenkitError
from toolkit.languages import Language, lookup, parse_language
from toolkit.subtitles import Track, read_track

_video_argument = click.argument("video", type=click.Path(path_type=Path))  # probe() explains problems
_ffmpeg_option = click.option(
    "--ffmpeg",
    "ffmpeg_path",
    metavar="PATH|system",
    type=click.Path(dir_okay=False, path_type=Path),
    help="ffmpeg to use instead of the one imageio-ffmpeg ships, on every machine the same "
    "('system': the ffmpeg on PATH; also $SCREENKIT_FFMPEG). Checked for version 5.1+ and libass.",
)
_output_option = click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)


def read_subtitle_argument(value: str, *, need_language: bool, input_format: str | None = None) -> Track:
    """``[LANG=]FILE`` → a Track with its language: from LANG=, the file name, or the text."""
    language: Language | None = None
    path = Path(value)
    prefix, separator, rest = value.partition("=")
    if separator and not path.exists():
        # A file name may contain '=': only a known tag before it means LANG=FILE.
        known = lookup(prefix)
        if known is None:
            parse_language(prefix)  # the error lists the accepted tags
        language, path = known, Path(rest)
    track = read_track(path, fmt=input_format, language=language)
    if track.language is None:
        from toolkit.qc.langid import identify_language

        detected, code, probability = identify_language(
            "\n".join(cue.plain_text for cue in track.cues[:400])
        )
        if detected is not None and probability >= 0.9:
            track.language = detected
            detail(f"{path}: language detected as {detected.tag} ({code}, p={probability:.2f})")
        elif need_language:
            raise ScreenkitError(
                f"cannot tell the language (detected {code or 'nothing'}, p={probability:.2f}): "
                "give it as LANG=FILE, e.g. --subs zh-Hans=FILE",
                path=path,
            )
    return track


def _bar_callback(bar: Any) -> Any:
    def update(seconds: float, total: float | None) -> None:
        bar.update(completed=min(seconds, total) if total else seconds)

    return update


# ---------------------------------------------------------------- probe


def _stream_line(stream: Any) -> str:
    parts = [f"#{stream.index}", stream.type, stream.codec or "?"]
    if stream.type == "video":
        parts.append(f"{stream.width}x{stream.height}")
        if stream.frame_rate is not None:
            rate = stream.frame_rate
            text = str(rate.numerator) if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator}"
            parts.append(f"{text} fps ({float(rate):.3f})" if rate.denominator != 1 else f"{text} fps")
        if stream.pixel_format:
            parts.append(stream.pixel_format)
        if stream.sample_aspect_ratio is not None:
            parts.append(f"SAR {stream.sample_aspect_ratio.numerator}:{stream.sample_aspect_ratio.denominator}")
        if stream.rotation:
            parts.append(f"rotated {stream.rotation}°")
        if stream.duration_ms is not None:
            parts.append(f"{stream.duration_ms / 1000:.3f} s")
    elif stream.type == "audio":
        if stream.channels:
            parts.append(f"{stream.channels} ch")
        if stream.sample_rate:
            parts.append(f"{stream.sample_rate} Hz")
    if stream.type in ("audio", "subtitle") and stream.language:
        parts.append(f"[{stream.language}]")
    if stream.title:
        parts.append(f'"{stream.title}"')
    if stream.filename:
        parts.append(stream.filename)
    if stream.type == "subtitle":
        flags = [name for name, on in (("default", stream.default), ("forced", stream.forced)) if on]
        parts.append(",".join(flags) if flags else "not default")
    return "  " + " ".join(parts)


@click.command()
@click.argument("video", required=False, type=click.Path(path_type=Path))
@click.option("--version", "show_tools", is_flag=True, help="Show which ffmpeg and prober are used, and exit.")
@_ffmpeg_option
@format_option
def probe(video: Path | None, show_tools: bool, ffmpeg_path: Path | None, output_format: str) -> None:
    """Show a video's container, duration, streams and subtitle tracks.

    \b
    Examples:
      screenkit probe film.mp4
      screenkit probe film.mkv --format json
      screenkit probe --version      (which ffmpeg is used, and whether it has libass)
    """
    from toolkit.media.ffmpeg import resolve_ffmpeg
    from toolkit.media.probe import probe as probe_media

    if show_tools:
        import av

        tool = resolve_ffmpeg(ffmpeg_path)
        report = {
            "ffmpeg": tool.path,
            "found_via": tool.source,
            "version": tool.version,
            "libass": tool.has_libass,
            "prober": f"PyAV {av.__version__}",
        }
        if output_format == "json":
            emit_json(report)
        else:
            click.echo(f"ffmpeg: {tool.describe()}; libass: {'yes' if tool.has_libass else 'NO (cannot burn)'}")
            click.echo(f"prober: {report['prober']}")
        return
    if video is None:
        raise ScreenkitError("give a VIDEO to probe (or --version)")
    info = probe_media(video)
    detail("prober: PyAV (libavformat)")
    if output_format == "json":
        emit_json(info.to_json())
        return
    duration = f"{info.duration_ms / 1000:.3f} s" if info.duration_ms is not None else "unknown duration"
    click.echo(f"{video}: {info.container}, {duration}, {info.size_bytes} bytes")
    for stream in info.streams:
        click.echo(_stream_line(stream))


# ---------------------------------------------------------------- burn


@click.command()
@_video_argument
@click.option("--subs", "subs", multiple=True, required=True, metavar="[LANG=]FILE",
              help="Subtitle file; twice for a bilingual copy (the first on top).")
@_output_option
@click.option("--font", type=click.Path(dir_okay=False, path_type=Path),
              help="Font file (default: a system font for the text's script, else the packaged Noto Sans CJK).")
@click.option("--crf", type=click.IntRange(0, 51), default=18, show_default=True, help="x264/x265 quality.")
@click.option("--preset", default="medium", show_default=True, help="x264/x265 speed preset.")
@click.option("--codec", default="libx264", show_default=True, help="Video encoder.")
@_ffmpeg_option
@input_format_option
@format_option
def burn(
    video: Path,
    subs: tuple[str, ...],
    output: Path,
    font: Path | None,
    crf: int,
    preset: str,
    codec: str,
    ffmpeg_path: Path | None,
    input_format: str | None,
    output_format: str,
) -> None:
    """Burn one or two subtitle tracks into VIDEO in one encode (audio copied).

    \b
    Examples:
      screenkit burn film.mp4 --subs film.zh-Hans.srt -o film.burned.mp4
      screenkit burn film.mp4 --subs zh-Hans=zh.srt --subs en=en.srt -o film.zh-en.mp4
    """
    from toolkit.media.burn import burn as burn_video
    from toolkit.media.probe import probe as probe_media

    if len(subs) > 2:
        raise ScreenkitError("--subs at most twice (one or two languages)")
    tracks = [read_subtitle_argument(value, need_language=False, input_format=input_format) for value in subs]
    info = probe_media(video)
    total = info.duration_ms / 1000 if info.duration_ms else None
    with progress_bar(f"burning {output.name}", total) as bar:
        result = burn_video(
            video, tracks, output, font=font, crf=crf, preset=preset, codec=codec,
            ffmpeg=ffmpeg_path, progress=_bar_callback(bar), info=info,
        )
    detail(f"ffmpeg: {result.ffmpeg.describe()}")
    detail("command: " + shlex.join(result.command), level=2)
    if output_format == "json":
        emit_json({
            "output": str(result.output),
            "languages": result.languages,
            "fonts": [{"family": f.family, "file": str(f.file), "source": f.source} for f in result.fonts],
            "ffmpeg": {"path": result.ffmpeg.path, "found_via": result.ffmpeg.source},
            "warnings": result.warnings,
        })
    else:
        fonts = ", ".join(f"{lang}: {font.describe()}" for lang, font in zip(result.languages, result.fonts, strict=True))
        note(f"{video} + {' / '.join(result.languages)} -> {output} (fonts: {fonts})")
    for warning in result.warnings:
        note(f"{output}: warning: {warning}")


# ---------------------------------------------------------------- mux


@click.command()
@_video_argument
@click.option("--subs", "subs", multiple=True, required=True, metavar="[LANG=]FILE",
              help="Subtitle file to add as a track (repeat).")
@_output_option
@click.option("--default", "default_language", metavar="LANG", help="Mark this language's track as default.")
@click.option("--forced", "forced_language", metavar="LANG", help="Mark this language's track as forced.")
@click.option("--replace-subs", is_flag=True, help="Drop the video's existing subtitle tracks.")
@_ffmpeg_option
@input_format_option
@format_option
def mux(
    video: Path,
    subs: tuple[str, ...],
    output: Path,
    default_language: str | None,
    forced_language: str | None,
    replace_subs: bool,
    ffmpeg_path: Path | None,
    input_format: str | None,
    output_format: str,
) -> None:
    """Add soft subtitle tracks to VIDEO (stream copy), tagged for each container.

    \b
    OUT.mkv: SRT/ASS tracks, ISO 639-2/B tags (chi, eng, fre)
    OUT.mp4: mov_text tracks, ISO 639-2/T tags (zho, eng, fra)
    OUT.webm: WebVTT tracks (VP8/VP9/AV1 video only)
    Example:
      screenkit mux film.mp4 --subs zh-Hans=zh.srt --subs en=en.srt -o film.mkv --default zh-Hans
    """
    from toolkit.media.mux import mux as mux_video
    from toolkit.media.probe import probe as probe_media

    default = parse_language(default_language) if default_language else None
    forced = parse_language(forced_language) if forced_language else None
    tracks = [read_subtitle_argument(value, need_language=True, input_format=input_format) for value in subs]
    info = probe_media(video)
    total = info.duration_ms / 1000 if info.duration_ms else None
    with progress_bar(f"muxing {output.name}", total) as bar:
        result = mux_video(
            video, tracks, output, default=default, forced=forced, replace_subs=replace_subs,
            ffmpeg=ffmpeg_path, progress=_bar_callback(bar), info=info,
        )
    detail(f"ffmpeg: {result.ffmpeg.describe()}")
    detail("command: " + shlex.join(result.command), level=2)
    if output_format == "json":
        emit_json({
            "output": str(result.output),
            "container": result.container,
            "subtitles": [
                {"language": p.language.tag if p.language else None, "code": p.language_code,
                 "title": p.title, "codec": p.codec, "default": p.default, "forced": p.forced,
                 "source": p.source}
                for p in result.subtitles
            ],
            "warnings": result.warnings,
        })
    else:
        tags = ", ".join(
            f"{p.language_code}{' default' if p.default else ''}{' forced' if p.forced else ''}"
            for p in result.subtitles
        )
        count = len(result.subtitles)
        note(f"{video} -> {output}: {count} subtitle track{'s' if count != 1 else ''} ({tags})")
    for warning in result.warnings:
        note(f"{output}: warning: {warning}")


# ---------------------------------------------------------------- extract


@click.command()
@_video_argument
@click.option("--out-dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the subtitle files ({stem}.{lang}.srt).")
@_ffmpeg_option
@format_option
def extract(video: Path, out_dir: Path, ffmpeg_path: Path | None, output_format: str) -> None:
    """Write VIDEO's text subtitle tracks out as files, one per track.

    \b
    Example:
      screenkit extract film.mkv --out-dir subs/   (subs/film.zh-Hans.srt, subs/film.en.srt)
    """
    from toolkit.media.extract import extract as extract_tracks

    written = extract_tracks(video, out_dir, ffmpeg=ffmpeg_path)
    if output_format == "json":
        emit_json({"video": str(video), "written": [str(path) for path in written]})
        return
    if not written:
        note(f"{video}: no text subtitle tracks")
    for path in written:
        click.echo(str(path))
