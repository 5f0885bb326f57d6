"""Burn one or two subtitle tracks into a video in a single encode."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from toolkit.errors import ScreenkitError
from toolkit.fsutil import atomic_path, refuse_overwriting_input
from toolkit.media.ass_script import build_script
from toolkit.media.ffmpeg import (
    FFmpeg,
    media_path,
    missing_glyphs,
    resolve_ffmpeg,
    run_ffmpeg,
    temp_dir,
)
from toolkit.media.fonts import FontChoice, choose_faces
from toolkit.media.probe import MediaInfo, probe
from toolkit.media.verify import Expected, verify_output
from toolkit.subtitles.model import Track
from toolkit.subtitles.screen import TrackFace, make_layout
from toolkit.text.widths import is_wide

DEFAULT_CRF = 18  # visually transparent for x264 on film material
DEFAULT_PRESET = "medium"
DEFAULT_CODEC = "libx264"
# Containers an H.264/H.265 screening copy goes into.
BURN_CONTAINERS = (".mp4", ".mkv", ".mov", ".m4v")

Progress = Callable[[float, float | None], None]  # (seconds done, total seconds or None)


@dataclass
class BurnResult:
    output: Path
    ffmpeg: FFmpeg
    fonts: list[FontChoice]  # one per track, in track order
    languages: list[str]
    command: list[str]
    warnings: list[str] = field(default_factory=list)
    script: str = ""


def _is_cjk_track(track: Track) -> bool:
    """Sized by its ideographs (not its capitals): a Chinese track, or one mostly in CJK characters."""
    if track.language is not None:
        return track.language.is_cjk
    text = "".join(cue.plain_text for cue in track.cues[:200])
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(map(is_wide, letters)) * 2 > len(letters)


def _track_label(track: Track, index: int) -> str:
    if track.language is not None:
        return track.language.tag
    return track.path.name if track.path else f"track {index + 1}"


def build_burn_command(
    ffmpeg: FFmpeg,
    video: Path,
    info: MediaInfo,
    script_path: Path,
    fonts_dir: Path,
    output: Path,
    *,
    codec: str,
    crf: int | None,
    preset: str | None,
) -> list[str]:
    """The ffmpeg command line, built with ffmpeg-python.

    The filter arguments go in as keywords (``filename=``, ``fontsdir=``):
    ffmpeg-python escapes keyword values for both levels of filter parsing,
    positional ones twice over (ffmpeg-notes.md).
    """
    import ffmpeg as ffmpeg_python

    source = ffmpeg_python.input(media_path(video))
    video_stream = source.video.filter(
        "ass", filename=os.fspath(script_path), fontsdir=os.fspath(fonts_dir)
    )
    streams = [video_stream]
    if info.audio:
        streams.append(source["a"])  # every audio stream, copied
    # bitexact: no random Matroska segment UID or muxing date, so the same inputs
    # give the same bytes (a package re-run must reproduce its checksums).
    options: dict[str, object] = {"c:v": codec, "c:a": "copy", "map_metadata": 0, "fflags": "+bitexact"}
    if codec in ("libx264", "libx265"):
        if crf is not None:
            options["crf"] = crf
        if preset is not None:
            options["preset"] = preset
    if video.suffix.lower() in (".mp4", ".m4v", ".mov") or output.suffix.lower() in (".mp4", ".m4v", ".mov"):
        # Players expect 4:2:0 in an MP4; the filter keeps the source's format otherwise.
        options["pix_fmt"] = "yuv420p"
    out = ffmpeg_python.output(*streams, media_path(output), **options)
    out = out.global_args("-hide_banner", "-nostdin", "-loglevel", "warning", "-progress", "pipe:1", "-nostats")
    return list(out.overwrite_output().compile(cmd=ffmpeg.path))


def burn(
    video: str | os.PathLike[str],
    tracks: Sequence[Track],
    output: str | os.PathLike[str],
    *,
    font: str | os.PathLike[str] | None = None,
    crf: int | None = DEFAULT_CRF,
    preset: str | None = DEFAULT_PRESET,
    codec: str = DEFAULT_CODEC,
    ffmpeg: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    info: MediaInfo | None = None,
) -> BurnResult:
    """Burn ``tracks`` (one, or two: the first on top) into ``video``, writing ``output`` atomically."""
    video, output = Path(video), Path(output)
    if not 1 <= len(tracks) <= 2:
        raise ScreenkitError(f"burn takes one or two subtitle tracks, not {len(tracks)}")
    if output.suffix.lower() not in BURN_CONTAINERS:
        raise ScreenkitError(
            f"cannot tell the output container from {output.suffix or '(no extension)'!r}: "
            f"use one of {', '.join(BURN_CONTAINERS)}",
            path=output,
        )
    if crf is not None and not 0 <= crf <= 51:
        raise ScreenkitError(f"--crf must be between 0 and 51, not {crf}")
    refuse_overwriting_input(output, video, *(t.path for t in tracks if t.path is not None))
    info = info if info is not None and info.path == video else probe(video)
    assert info.video is not None  # probe() raises when there is none
    frame_size = info.video.display_size
    if frame_size is None:
        raise ScreenkitError("the video stream has no frame size", path=video)
    sar = info.video.sample_aspect_ratio
    if sar is not None and info.video.rotation in (90, 270):
        sar = 1 / sar
    tool = resolve_ffmpeg(ffmpeg)
    tool.require_libass()

    faces = [choose_faces(track.language, font, _is_cjk_track(track)) for track in tracks]
    fonts = [choice.own for choice in faces]
    # ffmpeg turns rotated video upright before the filter: lay out for the upright frame.
    layout = make_layout(
        frame_size[0],
        frame_size[1],
        fonts[0].family,
        fonts[1].family if len(fonts) > 1 else None,
        pixel_aspect=sar,
        faces=[TrackFace(choice.metrics, _is_cjk_track(track)) for choice, track in zip(fonts, tracks, strict=True)],
        scripts=[(choice.latin.family, choice.cjk.family) for choice in faces],
    )
    script = build_script(layout, tracks[0], tracks[1] if len(tracks) > 1 else None, title=video.name)
    total = info.duration_ms / 1000 if info.duration_ms else None

    with temp_dir("screenkit-burn-") as work:
        work_dir = Path(work)
        script_path = work_dir / "subtitles.ass"
        script_path.write_text(script, encoding="utf-8")
        # Only the chosen font files, under plain names: libass loads every font
        # in fontsdir, and the user's font path never reaches the filter string.
        fonts_dir = work_dir / "fonts"
        fonts_dir.mkdir()
        for number, choice in enumerate(dict.fromkeys(f.file for track in faces for f in track.files)):
            link = fonts_dir / f"font{number}{choice.suffix.lower()}"
            try:
                link.symlink_to(choice.resolve())
            except OSError:
                link.write_bytes(choice.read_bytes())
        # A fontconfig that knows no font: libass sees only fontsdir, so a font
        # installed on this machine can never stand in for a missing glyph
        # (the copy would then differ from machine to machine); boxes are reported.
        fontconfig = work_dir / "fonts.conf"
        fontconfig.write_text(
            '<?xml version="1.0"?>\n<fontconfig>\n'
            f"  <cachedir>{xml_escape(os.fspath(work_dir / 'fontconfig-cache'))}</cachedir>\n</fontconfig>\n",
            encoding="utf-8",
        )
        with atomic_path(output) as temporary:
            command = build_burn_command(
                tool, video, info, script_path, fonts_dir, temporary, codec=codec, crf=crf, preset=preset
            )
            result = run_ffmpeg(
                command,
                progress=(lambda seconds: progress(seconds, total)) if progress else None,
                what="burning subtitles",
                path_for_errors=video,
                env={"FONTCONFIG_FILE": os.fspath(fontconfig)},
                output=output,
            )
            # The pictures are re-encoded (same length, within a frame); the audio is a stream copy.
            expected = Expected(video=1, audio=len(info.audio), copied=("audio",))
            verify_output(info, temporary, output, expected)
    missing = missing_glyphs(result.log)
    warnings = []
    if missing:
        sample = "".join(missing[:20]) + ("…" if len(missing) > 20 else "")
        warnings.append(
            f"no font has these characters, they show as boxes: {sample} "
            f"(fonts: {', '.join(f.describe() for f in fonts)}; pass --font FILE with a font that has them)"
        )
    return BurnResult(
        output=output,
        ffmpeg=tool,
        fonts=fonts,
        languages=[_track_label(track, i) for i, track in enumerate(tracks)],
        command=command,
        warnings=warnings,
        script=script,
    )
