"""Every writer's file reads back as the cues it was written from; nothing comes out silently empty."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from media_support import ffmpeg_exe

from toolkit.errors import ScreenkitError
from toolkit.subtitles import SUBTITLE_EXTENSIONS, parse_text, read_track, render_track
from toolkit.subtitles.formats import formats
from toolkit.subtitles.model import Cue, Track
from toolkit.subtitles.readback import has_text, read_back_check

TEXT_WRITERS = [spec.name for spec in formats() if spec.write_file is None]
CORPUS_FILES = sorted(
    path for path in CORPUS.rglob("*") if path.is_file() and path.suffix.lower() in SUBTITLE_EXTENSIONS
)


def _readable(path: Path) -> Track | None:
    try:
        return read_track(path)
    except ScreenkitError:
        return None


def test_every_text_format_has_a_writer_here() -> None:
    assert {"srt", "vtt", "ass", "ssa", "imsc", "ebu-tt-d"} <= set(TEXT_WRITERS)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_the_corpus_reads_back_through_every_writer(path: Path) -> None:
    track = _readable(path)
    if track is None:
        pytest.skip("refused with a located error (test_subtitles_corpus)")
    for fmt in TEXT_WRITERS:
        data = render_track(track, fmt).encode("utf-8")
        assert read_back_check(track, data, fmt) == [], fmt


def test_a_difference_is_reported() -> None:
    track = Track(cues=[Cue(1000, 2000, ["Hello"]), Cue(3000, 4000, ["World"])], format="srt")
    data = render_track(track, "srt").encode("utf-8")
    assert read_back_check(track, data, "srt") == []
    assert read_back_check(track, data.replace(b"World", b"Earth"), "srt") != []
    assert read_back_check(track, data.replace(b"00:00:03,000", b"00:00:03,500"), "srt") != []
    assert read_back_check(track, data.split(b"\n\n2\n")[0], "srt") != []
    assert read_back_check(track, b"not subtitles", "srt") != []


_PIECES = ["a", "Zoë", "中文", " ", "-->", "->", "&gt;", "&amp;", "<", ">", "<i>", "</i>", "<b>", "</b>",
           "{\\an8}", "{\\an4}", "{", "}", "\\N", "\\h", "1", "10:00:00,000 --> 10:00:01,000", "NOTE", "WEBVTT",
           "\u00a0"]
_LINE = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=5).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(1, 4000), st.lists(_LINE, min_size=1, max_size=3)),
                min_size=1, max_size=4),
       st.sampled_from(["srt", "vtt", "ass"]))
def test_any_text_reads_back_through_every_writer(cues: list[tuple[int, int, list[str]]], source: str) -> None:
    built = Track(cues=[Cue(start, start + length, lines) for start, length, lines in cues])
    track = parse_text(render_track(built, source), source)
    for fmt in TEXT_WRITERS:
        assert read_back_check(track, render_track(track, fmt).encode("utf-8"), fmt) == [], fmt


def test_has_text() -> None:
    assert has_text(Track(cues=[Cue(0, 1, ["<i></i>", "hi"])]))
    assert not has_text(Track(cues=[Cue(0, 1, ["<i> </i>"]), Cue(0, 1, ["{\\p1}m 0 0 l 10 0{\\p0}"])]))


# --- convert --------------------------------------------------------------------------------


def test_convert_refuses_when_nothing_of_the_text_survives(tmp_path: Path) -> None:
    source = tmp_path / "signs.ass"
    source.write_text(
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.srt"
    result = run_cli("convert", str(source), "-o", str(target))
    assert result.code == 2
    assert "nothing of it can be shown as srt" in result.stderr
    assert not target.exists()


def test_convert_refuses_an_input_with_no_cues(tmp_path: Path) -> None:
    source = tmp_path / "empty.vtt"
    source.write_text("WEBVTT\n\n00:00:01.00 --> 00:00:02.000\nbad\n", encoding="utf-8")
    target = tmp_path / "out.srt"
    result = run_cli("convert", str(source), "-o", str(target))
    assert result.code == 2
    assert "no cues (1 invalid cues skipped)" in result.stderr
    assert not target.exists()


def test_a_writer_that_loses_text_is_an_internal_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.subtitles.srt as srt

    source = tmp_path / "in.vtt"
    source.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n", encoding="utf-8")
    monkeypatch.setattr(srt, "_srt_text", lambda cue: "")  # a broken writer
    target = tmp_path / "out.srt"
    result = run_cli("convert", str(source), "-o", str(target))
    assert result.code == 3
    assert "does not read back" in result.stderr
    assert not target.exists()


# --- SRT as ffmpeg's SubRip decoder reads it -------------------------------------------------


def _ffmpeg_dialogue(srt: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / "ffmpeg.ass"
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(srt), str(out)],
                   check=True, capture_output=True)
    return [line.split(",", 9)[9] for line in out.read_text(encoding="utf-8").splitlines()
            if line.startswith("Dialogue:")]


def test_arrows_in_srt_text_read_the_same_in_ffmpeg_and_screenkit(tmp_path: Path) -> None:
    track = Track(cues=[Cue(1000, 2000, ["Swipe --> to go", "10:00:00,000 --> 10:00:01,000"])])
    srt = tmp_path / "arrows.srt"
    srt.write_text(render_track(track, "srt"), encoding="utf-8")
    assert "--&gt;" not in srt.read_text(encoding="utf-8")
    # ffmpeg: one event whose text has both lines, the arrows as written (the joiner is invisible).
    (dialogue,) = _ffmpeg_dialogue(srt, tmp_path)
    shown = dialogue.replace("\u2060", "").split("\\N")
    assert shown == ["Swipe --> to go", "10:00:00,000 --> 10:00:01,000"]
    # screenkit: the same characters.
    assert read_track(srt).cues[0].lines == ["Swipe --> to go", "10:00:00,000 --> 10:00:01,000"]


def test_the_first_position_tag_wins_in_ffmpeg_and_screenkit(tmp_path: Path) -> None:
    source = tmp_path / "in.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\n{\\an4}left{\\an6} or right\n", encoding="utf-8")
    assert read_track(source).cues[0].alignment == 4
    target = tmp_path / "out.srt"
    assert run_cli("convert", str(source), "-o", str(target), "--to", "srt").code == 0
    written = target.read_text(encoding="utf-8")
    assert "{\\an4}" in written and "{\\an6}" not in written
    (dialogue,) = _ffmpeg_dialogue(target, tmp_path)
    assert dialogue.startswith("{\\an4}")  # what libass draws: middle left
    assert parse_text(f"[Script Info]\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, "
                      f"MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{dialogue}\n",
                      "ass").cues[0].alignment == 4
    # ffmpeg's SubRip decoder, given the source itself, keeps the first tag too: the same event.
    assert _ffmpeg_dialogue(source, tmp_path) == [dialogue] == ["{\\an4}left or right"]


# --- ASS with fonts and styles, no events ---------------------------------------------------


def test_an_ass_script_without_events_is_an_empty_track() -> None:
    import pysubs2

    text = ("[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\nFormat: Name, Fontname, Fontsize\n"
            "Style: Default,Arial,20\n\n[Fonts]\n\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n")
    assert len(pysubs2.SSAFile.from_string(text).events) == 0
    track = parse_text(text, "ass")
    assert track.cues == [] and "Default" in track.ass_header.styles
    with pytest.raises(ScreenkitError):
        parse_text("just some words\n", "ass")  # not a script at all


def test_a_cue_ending_before_it_starts_is_dropped_outside_webvtt_and_said(tmp_path: Path) -> None:
    source = tmp_path / "in.vtt"
    source.write_text("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nbackwards\n\n00:00:03.000 --> 00:00:04.000\nok\n",
                      encoding="utf-8")
    target = tmp_path / "out.srt"
    result = run_cli("convert", str(source), "-o", str(target))
    assert result.code == 0, result.stderr
    assert "dropped 1 cue ending before it starts" in result.stderr
    assert [cue.lines for cue in read_track(target).cues] == [["ok"]]


@pytest.mark.parametrize("fmt", ["ass", "ssa", "ebu-tt-d", "imsc", "srt", "vtt"])
def test_control_characters_are_not_visible_text_and_never_make_a_file_unreadable(fmt: str) -> None:
    # Found by the fuzzer: SRT text holding \x1a read back without it from TTML (XML cannot
    # hold it), and an ASS file holding it was refused as binary data.
    track = Track(cues=[Cue(1000, 3000, ["Encore ce bruit.\x1a"]), Cue(4000, 5000, ["a\x07b"])], format="srt")
    data = render_track(track, fmt).encode("utf-8")
    assert read_back_check(track, data, fmt) == []
    assert "\x1a" not in data.decode("utf-8") or fmt in ("srt", "vtt")


# A script whose Default style is top-aligned (Alignment 8), as some fansubs are.
TOP_DEFAULT_STYLE = (
    "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
    "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
    "MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,40,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,1,8,15,15,15,0\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
)


@pytest.mark.parametrize("fmt", ["ass", "ssa"])
def test_a_bottom_cue_in_a_top_style_reads_back_at_the_bottom(fmt: str) -> None:
    # Found by the fuzzer on a fansub whose every style is top-aligned (Alignment 8): {\an2}
    # was left out as the default, and the cue read back where its style puts it.
    source = TOP_DEFAULT_STYLE + (
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\an2}Down here\n"
        "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,Up there\n"
    )
    track = parse_text(source, fmt="ass")
    assert [cue.is_top for cue in track.cues] == [False, True]
    assert read_back_check(track, render_track(track, fmt).encode("utf-8"), fmt) == []


def test_an_event_of_an_unknown_style_is_placed_as_default_is() -> None:
    # Found by the fuzzer: an event naming a style the script lacks is drawn in Default (libass);
    # read as unplaced, it was written into Default (top-aligned here) and read back on top.
    source = TOP_DEFAULT_STYLE + (
        "Dialogue: 0,0:00:01.00,0:00:02.00,Defa,,0,0,0,,Where Default puts it\n"
    )
    track = parse_text(source, fmt="ass")
    assert track.cues[0].is_top
    assert read_back_check(track, render_track(track, "ass").encode("utf-8"), "ass") == []
