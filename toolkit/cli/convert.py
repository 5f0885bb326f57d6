from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.options import (
    check_format,
    encoding_option,
    format_option,
    input_format_option,
    to_format_option,
)
from toolkit.cli.output import emit_json, note
from toolkit.errors import ScreenkitError
from toolkit.fsutil import refuse_overwriting_input
from toolkit.subtitles import Track, format_from_path, read_track, write_track
from toolkit.subtitles.formats import get_format
from toolkit.subtitles.lossy import Loss

if TYPE_CHECKING:
    from toolkit.chinese.convert import CueChange


@click.command()
# Folders and missing files are reported by read_track, in the one-line error style.
@click.argument("source", metavar="IN", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", "target", required=True, type=click.Path(path_type=Path), help="File to write (UTF-8).")
@to_format_option
@input_format_option
@click.option("--from", "from_format", metavar="FORMAT", callback=check_format, hidden=True, help="Same as --input-format.")
@encoding_option
@click.option("--bom", is_flag=True, help="Start the UTF-8 output with a byte-order mark.")
@click.option("--script", "script", metavar="TAG",
              help="Convert Chinese text into zh-Hans, zh-Hant, zh-Hant-TW (Taiwan words) or zh-Hant-HK (OpenCC).")
@click.option("--lang", "lang", metavar="LANG",
              help="With --script: the input's language when its name does not say (default: told from the text).")
@click.option("--explain", "explain", is_flag=True,
              help="With --script: list each word screenkit's phrase layer (or a name rule) replaced, cue by cue.")
@click.option("--subs", "subs", multiple=True, metavar="LANG=FILE",
              help="DCP only, instead of IN: two tracks for bilingual subtitles (the Chinese block above).")
@click.option("--fps", "fps", metavar="RATE", help="DCP: frame rate (SMPTE EditRate; the checks' frames). Default 24.")
@click.option("--reel", type=int, default=1, show_default=True, help="DCP: reel number.")
@click.option("--title", metavar="TEXT", help="DCP: MovieTitle / ContentTitleText (default: IN's name).")
@click.option("--font", "font", type=click.Path(dir_okay=False, path_type=Path),
              help="DCP: font to subset (default: the packaged Noto Sans CJK face for the script).")
@click.option("--no-images", is_flag=True,
              help="DCP Interop: refuse instead of writing image subtitles when the font passes 640 KiB.")
@click.option("--video", "video", type=click.Path(dir_okay=False, path_type=Path),
              help="ASS: size the screening style for this video (PlayRes = its frame; default 1920x1080).")
@format_option
def convert(
    source: Path | None,
    target: Path,
    to_format: str | None,
    input_format: str | None,
    from_format: str | None,
    encoding: str | None,
    bom: bool,
    script: str | None,
    lang: str | None,
    explain: bool,
    subs: tuple[str, ...],
    fps: str | None,
    reel: int,
    title: str | None,
    font: Path | None,
    no_images: bool,
    video: Path | None,
    output_format: str,
) -> None:
    """Convert a subtitle file: SRT, WebVTT, ASS/SSA, DCP (Interop, SMPTE), IMSC, EBU-TT-D.

    \b
    Examples:
      screenkit convert film.zh.srt -o film.zh.vtt
      screenkit convert film.fr.srt -o dcp/film.fr.xml --to dcp-interop --title Film
      screenkit convert --subs zh-Hans=film.zh.srt --subs fr=film.fr.srt -o dcp/film.xml --to dcp-smpte
      screenkit convert film.fr.srt -o film.fr.ttml          (IMSC 1.1 Text)
      screenkit convert film.zh-Hans.srt -o film.zh-Hant-TW.srt --script zh-Hant-TW
    DCP subtitles are written with their font (subset to the characters used)
    beside the XML; an Interop track whose font would pass 640 KiB becomes
    image subtitles (one PNG per event). The input is never overwritten;
    every output is written to a temporary name and renamed when complete.
    """
    if source is None and not subs:
        raise ScreenkitError("give IN, or --subs LANG=FILE twice for bilingual DCP subtitles")
    if source is not None and subs:
        raise ScreenkitError("give IN or --subs, not both")
    inputs = [source] if source is not None else []
    refuse_overwriting_input(target, *inputs)
    chosen = format_from_path(target, to_format)
    to_dcp = get_format(chosen).capabilities.dcp
    if subs:
        from toolkit.cli.media import read_subtitle_argument

        if not to_dcp:
            raise ScreenkitError("--subs makes bilingual DCP subtitles: say --to dcp-interop or dcp-smpte")
        if len(subs) != 2:
            raise ScreenkitError("--subs twice: one Chinese track and one French or English track")
        tracks = [read_subtitle_argument(value, need_language=True, input_format=input_format) for value in subs]
        inputs = [track.path for track in tracks if track.path is not None]
    else:
        assert source is not None
        tracks = [read_track(source, fmt=input_format or from_format, encoding=encoding)]
    conversion = None
    if explain and not script:
        raise ScreenkitError("--explain lists what --script changed: give --script TAG")
    changes: list[CueChange] = []
    if script:
        if subs:
            raise ScreenkitError("--script converts IN: convert each track before --subs")
        tracks[0], conversion = _convert_script(tracks[0], script, lang, changes)
    refuse_overwriting_input(target, *inputs)
    dcp_options_given = fps or reel != 1 or title or font or no_images
    losses: list[Loss] = []
    notes: list[str] = []
    written = [target]
    if to_dcp:
        written, notes = _write_dcp(tracks, target, chosen, fps, reel, title, font, no_images)
    elif dcp_options_given:
        raise ScreenkitError("--fps, --reel, --title, --font and --no-images are for DCP subtitles (--to dcp-...)")
    else:
        if video is not None:
            if chosen not in ("ass", "ssa"):
                raise ScreenkitError("--video sizes an ASS/SSA script: use it with -o FILE.ass")
            if tracks[0].ass_header is None:  # an ASS source keeps its own styles
                from toolkit.media.probe import probe
                from toolkit.subtitles.ass import screening_header

                size = probe(video).video.display_size  # type: ignore[union-attr]  # probe() requires video
                if size is None:
                    raise ScreenkitError("the video stream has no frame size", path=video)
                tracks[0].ass_header = screening_header(*size, tracks[0].language)
        from toolkit.subtitles.lossy import adapt

        # What the target cannot carry is dropped, and said: one line per kind, with a count.
        tracks[0], losses = adapt(tracks[0], get_format(chosen))
        write_track(tracks[0], target, fmt=chosen, bom=bom)
    cues = sum(len(track) for track in tracks)
    report: dict[str, object] = {
        "input": str(source) if source is not None else [str(p) for p in inputs],
        "output": str(target),
        "format": chosen,
        "cues": cues,
        "source_encoding": tracks[0].encoding,
    }
    read_warnings = [w.format(str(t.path) if t.path else None) for t in tracks for w in t.warnings]
    report["warnings"] = read_warnings
    report["losses"] = [loss.to_dict() for loss in losses]
    if conversion is not None:
        report["script"] = {"from": conversion[0], "to": conversion[1], "opencc": conversion[2]}
        if explain:
            report["phrases"] = [
                {"cue": c.cue, "line": c.change.line + 1, "from": c.change.source, "to": c.change.target,
                 "rule": c.change.origin}
                for c in changes
            ]
    if to_dcp:  # several files: the XML, its font or PNGs, the MXF
        report["files"] = [str(path) for path in written]
        report["notes"] = notes
    if output_format == "json":
        emit_json(report)
        return
    for line in read_warnings:
        note(line)
    for loss in losses:
        note(f"{target}: warning: {loss.message}")
    names = " + ".join(str(p) for p in inputs)
    encodings = ", ".join(dict.fromkeys(str(t.encoding) for t in tracks))
    extra = f" + {len(written) - 1} file(s)" if len(written) > 1 else ""
    converted = f", {conversion[0]} -> {conversion[1]} ({conversion[2]})" if conversion else ""
    note(f"{names} ({encodings}) -> {target} ({chosen}, utf-8{extra}{converted}): {cues} cues")
    for line in notes:
        note(f"note: {line}")
    if explain:
        for c in changes:
            note(f"{source}: cue {c.cue}, line {c.change.line + 1}: {c.change.source} -> {c.change.target} ({c.change.origin})")
        if not changes:
            note("no phrase rule applied: OpenCC alone converted every line")


def _convert_script(
    track: Track, script: str, lang: str | None, changes: list[CueChange] | None = None
) -> tuple[Track, tuple[str, str, str] | None]:
    """The track in the script asked for, and (from, to, OpenCC configuration) when it changed."""
    from toolkit.chinese import config_for, convert_track, script_language
    from toolkit.languages import parse_language

    wanted = parse_language(script)
    if wanted.script is None:
        raise ScreenkitError(f"--script {script}: give zh-Hans, zh-Hant, zh-Hant-TW or zh-Hant-HK")
    given = parse_language(lang) if lang else track.language
    if given is not None and given.script is None:
        raise ScreenkitError(f"the input is {given.tag}, not Chinese: --script converts Chinese text", path=track.path)
    if given is None:
        given = script_language("".join(cue.plain_text for cue in track.cues))
    if given is None:
        raise ScreenkitError(
            "cannot tell whether the text is Simplified or Traditional Chinese; name it with --lang", path=track.path
        )
    config = config_for(given, wanted)
    converted = convert_track(track, wanted, source=given, changes=changes)
    return converted, ((given.tag, wanted.tag, config) if config else None)


def _write_dcp(
    tracks: list[Track], target: Path, chosen: str, fps: str | None, reel: int, title: str | None,
    font: Path | None, no_images: bool,
) -> tuple[list[Path], list[str]]:
    from fractions import Fraction

    from toolkit.dcp.deliver import DcpOptions, write_dcp
    from toolkit.subtitles.timecode import parse_fps

    rate = parse_fps(fps) if fps else (tracks[0].frame_rate or Fraction(24))
    stem = (tracks[0].path.name.split(".")[0] if tracks[0].path else target.stem.split(".")[0]) or "Untitled"
    options = DcpOptions(
        standard="smpte" if chosen == "dcp-smpte" else "interop",
        title=title or stem, reel=reel, fps=rate, font=font, images=not no_images,
    )
    if font is not None:
        from toolkit.fsutil import require_regular_file

        require_regular_file(font, kind="font file", missing="no such font file")  # a FIFO would block
    result = write_dcp(tracks, target, options)
    notes = list(result.notes)
    notes.insert(0, f"font: {result.font_source.name if result.font_source else '-'} subset to "
                    f"{result.font_bytes:,} bytes" if result.mode == "text" else "image subtitles (PNG per event)")
    return result.files, notes
