"""Soft subtitle tracks: stream-copy a video and add tagged subtitle tracks.

What each container takes (ffmpeg-notes.md): MP4 needs ``mov_text`` and stores
ISO 639-2/T codes (zho, eng, fra); Matroska takes SRT/ASS/WebVTT and its
legacy language element wants 639-2/B (chi, eng, fre); WebM takes WebVTT only
(and VP8/VP9/AV1 video with Opus/Vorbis audio). Every subtitle track gets an
explicit disposition: Matroska otherwise marks the first one default.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.fsutil import atomic_path, refuse_overwriting_input
from toolkit.languages import Language
from toolkit.media.ffmpeg import (
    FFmpeg,
    media_path,
    resolve_ffmpeg,
    run_ffmpeg,
    temp_dir,
)
from toolkit.media.probe import TEXT_SUBTITLE_CODECS, MediaInfo, StreamInfo, probe
from toolkit.media.tx3g import (
    MIDDLE,
    TOP,
    mark_positions,
    set_text_track_headers,
    write_text_boxes,
    write_track_titles,
)
from toolkit.media.verify import Expected, verify_output
from toolkit.subtitles.formats import format_of
from toolkit.subtitles.io import render_track
from toolkit.subtitles.model import Cue, Track

CONTAINERS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mp4", ".mkv": "mkv", ".webm": "webm"}
WEBM_VIDEO = {"vp8", "vp9", "av1"}
WEBM_AUDIO = {"opus", "vorbis"}

Progress = Callable[[float, float | None], None]


@dataclass
class SubtitlePlan:
    """One subtitle stream of the output."""

    language: Language | None
    language_code: str | None  # as written into the container
    title: str | None
    codec: str  # the codec option for this output stream (copy, mov_text, ...)
    default: bool
    forced: bool
    source: str  # "new: path" or "kept: stream N"


@dataclass
class MuxResult:
    output: Path
    ffmpeg: FFmpeg
    container: str
    subtitles: list[SubtitlePlan]
    command: list[str]
    warnings: list[str] = field(default_factory=list)


def container_for(output: Path) -> str:
    kind = CONTAINERS.get(output.suffix.lower())
    if kind is None:
        raise ScreenkitError(
            f"cannot tell the container from {output.suffix or '(no extension)'!r}: "
            "use .mkv, .mp4 or .webm",
            path=output,
        )
    return kind


def _language_code(language: Language, container: str) -> str:
    return language.iso639_2t if container == "mp4" else language.iso639_2b


def _subtitle_codec_for(container: str, source_codec: str | None, new: bool) -> str:
    codec = source_codec or ""
    if container == "mp4":
        return "copy" if codec == "mov_text" and not new else "mov_text"
    if container == "webm":
        return "copy" if codec == "webvtt" or new else "webvtt"
    # Matroska: SRT/ASS/WebVTT as they come; MP4's mov_text becomes SRT.
    return "srt" if codec == "mov_text" else "copy"


def _check_container(info: MediaInfo, container: str, video: Path) -> None:
    if container != "webm":
        return
    codecs = {s.codec for s in info.streams if s.type == "video"}
    if not codecs <= WEBM_VIDEO:
        raise ScreenkitError(
            f"WebM takes VP8/VP9/AV1 video, this file has {', '.join(sorted(c or '?' for c in codecs))}: "
            "mux into .mkv or .mp4 instead (a stream copy never re-encodes)",
            path=video,
        )
    audio = {s.codec for s in info.audio}
    if not audio <= WEBM_AUDIO:
        raise ScreenkitError(
            f"WebM takes Opus/Vorbis audio, this file has {', '.join(sorted(c or '?' for c in audio))}: "
            "mux into .mkv or .mp4 instead",
            path=video,
        )


def _subtitle_file(track: Track, container: str, folder: Path, number: int) -> Path:
    """The track written in a format ffmpeg reads and the container takes."""
    if container == "webm":
        fmt = "vtt"
    elif container == "mkv" and (spec := format_of(track)) is not None and spec.capabilities.styles:
        fmt = "ass"  # keep styles: Matroska carries ASS (SSA as ASS) as it is
    else:
        fmt = "srt"  # MP4: ffmpeg converts SubRip to mov_text
    path = folder / f"track{number}.{fmt}"
    path.write_text(render_track(track, fmt), encoding="utf-8")
    return path


def flatten_overlaps(track: Track) -> tuple[Track, int]:
    """One cue at a time, showing what the viewer sees: where cues overlap, the
    stretch they share becomes one cue with both texts (earlier cue first).

    MP4's mov_text holds one sample at a time; given overlapping cues, ffmpeg
    cuts the earlier one to nothing (seen on a real ASS track: 30 of 1,216
    events lost). Returns the track and how many cues overlapped another.
    """
    cues = sorted(track.cues, key=lambda c: (c.start, c.end))
    overlapping = 0
    latest_end = -1
    for index, cue in enumerate(cues):
        with_later = index + 1 < len(cues) and cues[index + 1].start < cue.end
        overlapping += with_later or latest_end > cue.start
        latest_end = max(latest_end, cue.end)
    if not overlapping:
        return track, 0
    boundaries = sorted({t for cue in cues for t in (cue.start, cue.end)})
    flattened: list[Cue] = []
    active: list[Cue] = []
    position = 0
    for start, end in itertools.pairwise(boundaries):
        while position < len(cues) and cues[position].start <= start:
            active.append(cues[position])
            position += 1
        active = [cue for cue in active if cue.end > start]
        if not active:
            continue
        lines = [line for cue in active for line in cue.lines]
        previous = flattened[-1] if flattened else None
        if previous is not None and previous.end == start and previous.lines == lines:
            previous.end = end
        else:
            flattened.append(active[0].copy(start=start, end=end, lines=lines))
    return track.copy(cues=flattened), overlapping


def mux(
    video: str | os.PathLike[str],
    tracks: Sequence[Track],
    output: str | os.PathLike[str],
    *,
    default: Language | None = None,
    forced: Language | None = None,
    replace_subs: bool = False,
    ffmpeg: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    info: MediaInfo | None = None,
    title: str | None = None,
) -> MuxResult:
    """Copy ``video``'s streams into ``output`` and add ``tracks`` as tagged subtitle tracks.

    ``info``: the probe of ``video`` when the caller has it already. ``title``:
    the file's title (MP4: default the video's file name), written after the
    tracks so that no player takes a track's title for the file's.
    """
    video, output = Path(video), Path(output)
    container = container_for(output)
    for track in tracks:
        if track.language is None:
            raise ScreenkitError(
                "the language of this subtitle file is unknown: give it as LANG=FILE",
                path=track.path,
            )
    refuse_overwriting_input(output, video, *(t.path for t in tracks if t.path is not None))
    info = info if info is not None and info.path == video else probe(video)
    _check_container(info, container, video)
    tool = resolve_ffmpeg(ffmpeg)

    kept: list[StreamInfo] = [] if replace_subs else list(info.subtitles)
    for stream in kept:
        if stream.codec not in TEXT_SUBTITLE_CODECS and container != "mkv":
            raise ScreenkitError(
                f"the video has a {stream.codec} (image) subtitle track that {container.upper()} cannot "
                "carry: use --replace-subs to drop existing tracks, or mux into .mkv",
                path=video,
            )
    default_target = _pick_default(default, tracks, kept, video)
    plans: list[SubtitlePlan] = []
    for stream in kept:
        language = stream.screenkit_language
        is_default = stream.default if default is None else (default_target == ("kept", stream.index))
        plans.append(
            SubtitlePlan(
                language=language,
                # Re-tagged in the form the new container expects (chi in MKV -> zho in MP4).
                language_code=_language_code(language, container) if language else stream.language,
                title=stream.title,
                codec=_subtitle_codec_for(container, stream.codec, new=False),
                default=is_default,
                forced=stream.forced,
                source=f"kept: stream {stream.index}",
            )
        )
    for number, track in enumerate(tracks):
        assert track.language is not None
        plans.append(
            SubtitlePlan(
                language=track.language,
                language_code=_language_code(track.language, container),
                title=track.language.native_name,
                codec=_subtitle_codec_for(container, None, new=True),
                default=default_target == ("new", number),
                forced=forced is not None and track.language == forced,
                source=f"new: {track.path or f'track {number + 1}'}",
            )
        )

    warnings: list[str] = []
    if container == "mp4":
        flattened = []
        for track in tracks:
            single, count = flatten_overlaps(track)
            if count:
                warnings.append(
                    f"{_label(track)}: {count} overlapping cues merged into one-at-a-time "
                    "cues (MP4 mov_text shows one subtitle at a time)"
                )
            flattened.append(single)
        tracks = flattened
    # MP4: top and middle cues keep their place as tx3g text boxes (ffmpeg's encoder drops \an8).
    placed: list[list[int]] = []
    if container == "mp4":
        marked_tracks = []
        for track in tracks:
            marked, _ = mark_positions(track)
            placed.append([cue.alignment for cue in track.cues if cue.alignment in TOP | MIDDLE and cue.lines])
            marked_tracks.append(marked)
            warning = positions_warning(track, placed[-1])
            if warning:
                warnings.append(warning)
        tracks = marked_tracks
    total = info.duration_ms / 1000 if info.duration_ms else None
    with temp_dir("screenkit-mux-") as work:
        files = [_subtitle_file(t, container, Path(work), n) for n, t in enumerate(tracks)]
        with atomic_path(output) as temporary:
            file_title = (title or video.stem) if container == "mp4" else None
            command = build_mux_command(tool, video, info, kept, files, plans, container, temporary, file_title)
            run_ffmpeg(
                command,
                progress=(lambda seconds: progress(seconds, total)) if progress else None,
                what="muxing",
                path_for_errors=video,
                output=output,
            )
            size = info.video.display_size if info.video is not None else None
            for number, alignments in enumerate(placed):
                if alignments and size is not None:
                    write_text_boxes(temporary, len(kept) + number, alignments, size)
            if container == "mp4":
                write_track_titles(temporary, [plan.title for plan in plans])
                if size is not None:
                    set_text_track_headers(temporary, [plan.forced for plan in plans], size)
            expected = Expected(
                video=sum(s.type == "video" for s in info.streams), audio=len(info.audio), subtitles=len(plans)
            )
            written = verify_output(info, temporary, output, expected)
            warnings += _verify(written, plans, container, output)
    return MuxResult(output, tool, container, plans, command, warnings)


def _label(track: Track) -> str:
    """A track in a warning: its file's name (not its path: a package's report must not
    depend on the folder it is built in), else its language."""
    return track.path.name if track.path is not None else str(track.language.tag if track.language else "track")


def positions_warning(track: Track, alignments: list[int]) -> str | None:
    """What MP4 players will not show of a track: its cues placed at the top (or middle).

    The tx3g text box ('tbox') that places them is in the file, but libavcodec's
    mov_text decoder (5.1 and 9.0.2), and so mpv and VLC, ignore it: every cue
    lands at the bottom. Measured with both players on every cue of a track.
    """
    if not alignments:
        return None
    top = sum(alignment in TOP for alignment in alignments)
    middle = len(alignments) - top
    where = " and ".join(part for part in (f"{top} at the top" if top else "",
                                           f"{middle} in the middle" if middle else "") if part)
    return (
        f"{_label(track)}: {len(alignments)} cue(s) placed off the bottom ({where}) will show at "
        "the bottom in MP4 players (libavcodec, mpv and VLC ignore tx3g text boxes): for their positions, "
        "deliver an MKV copy or a burned one"
    )


def _pick_default(
    default: Language | None, tracks: Sequence[Track], kept: list[StreamInfo], video: Path
) -> tuple[str, int] | None:
    """Which one track becomes default: the first new track in that language, else a kept one."""
    if default is None:
        return None
    for number, track in enumerate(tracks):
        if track.language == default:
            return ("new", number)
    for stream in kept:
        if stream.screenkit_language == default:
            return ("kept", stream.index)
    raise ScreenkitError(f"--default {default.tag}: no subtitle track in that language", path=video)


def build_mux_command(
    tool: FFmpeg,
    video: Path,
    info: MediaInfo,
    kept: list[StreamInfo],
    files: list[Path],
    plans: list[SubtitlePlan],
    container: str,
    output: Path,
    title: str | None = None,
) -> list[str]:
    """The ffmpeg command: inputs and maps built with ffmpeg-python, per-stream tags spliced in.

    ffmpeg-python cannot repeat an option (a dict of keyword arguments), and
    each subtitle stream needs several ``-metadata:s:s:N`` (ffmpeg-notes.md),
    so those are inserted before the output name.
    """
    import ffmpeg as ffmpeg_python

    source = ffmpeg_python.input(media_path(video))
    inputs = [ffmpeg_python.input(media_path(path)) for path in files]
    streams = []
    if any(s.type == "video" for s in info.streams):
        streams.append(source["v"])
    if info.audio:
        streams.append(source["a"])
    streams.extend(source[f"s:{stream.type_index}"] for stream in kept)
    streams.extend(subtitle["s"] for subtitle in inputs)
    if container == "mkv" and any(s.type == "attachment" for s in info.streams):
        streams.append(source["t"])  # fonts attached to ASS tracks
    # bitexact: no random segment UIDs or muxing dates, so the same inputs give
    # the same bytes (a package re-run must be identical).
    out = ffmpeg_python.output(
        *streams, media_path(output), c="copy", map_metadata=0, map_chapters=0, fflags="+bitexact"
    ).global_args("-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-nostats")
    args = list(out.overwrite_output().compile(cmd=tool.path))
    per_stream: list[str] = ["-metadata", f"title={title}"] if title else []
    for index, plan in enumerate(plans):
        per_stream += [f"-c:s:{index}", plan.codec]
        if plan.language_code:
            per_stream += [f"-metadata:s:s:{index}", f"language={plan.language_code}"]
        if plan.title:
            per_stream += [f"-metadata:s:s:{index}", f"title={plan.title}"]
            if container == "mp4":  # players show an MP4 track's handler name
                per_stream += [f"-metadata:s:s:{index}", f"handler_name={plan.title}"]
        flags = [name for name, on in (("default", plan.default), ("forced", plan.forced)) if on]
        per_stream += [f"-disposition:s:{index}", "+".join(flags) if flags else "0"]
    position = args.index(media_path(output))
    return args[:position] + per_stream + args[position:]


def _verify(written: MediaInfo, plans: list[SubtitlePlan], container: str, output: Path) -> list[str]:
    """Read the result back: the tracks and flags asked for, or say what the container dropped."""
    got = written.subtitles
    if len(got) != len(plans):
        raise ScreenkitError(
            f"expected {len(plans)} subtitle tracks in the output, found {len(got)}", path=output
        )
    warnings = []
    for plan, stream in zip(plans, got, strict=True):
        if plan.forced and not stream.forced:
            warnings.append(
                f"{container.upper()} did not keep the forced flag of the {plan.title or plan.language_code} track"
            )
    return warnings
