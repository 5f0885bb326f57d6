"""Sloppy files parse when the intent is clear; wrong data is a clean one-line error with file and line."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import SAMPLES, assert_clean_error, run_cli

from toolkit.errors import ScreenkitError
from toolkit.subtitles import parse_text, read_track
from toolkit.subtitles.timecode import format_srt

SUBTITLES = SAMPLES / "paris-showcase" / "subtitles"


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def _convert(tmp_path: Path, source: Path) -> tuple[object, Path]:
    target = tmp_path / "out" / "converted.vtt"
    return run_cli("convert", str(source), "-o", str(target)), target


# --- tolerance -----------------------------------------------------------------------

def test_missing_index_numbers() -> None:
    track = parse_text(
        "00:00:01,000 --> 00:00:02,000\nOne\n\n00:00:03,000 --> 00:00:04,000\nTwo\nlines\n", "srt"
    )
    assert [c.lines for c in track.cues] == [["One"], ["Two", "lines"]]


def test_extra_blank_lines_and_trailing_spaces() -> None:
    text = (
        "\n\n1  \n00:00:01,000 --> 00:00:02,500   \nOne   \n\n\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nTwo\t\n\n\n"
    )
    track = parse_text(text, "srt")
    assert [(c.start, c.end, c.lines) for c in track.cues] == [(1000, 2500, ["One"]), (3000, 4000, ["Two"])]


def test_dot_for_comma_and_short_fractions() -> None:
    track = parse_text("1\n00:00:01.5 --> 00:00:02.250\nx\n", "srt")
    assert (track.cues[0].start, track.cues[0].end) == (1500, 2250)


def test_missing_blank_line_between_cues() -> None:
    track = parse_text("1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n", "srt")
    assert [c.lines for c in track.cues] == [["One"], ["Two"]]


def test_index_number_as_text_is_kept_when_it_is_the_text() -> None:
    # A cue whose text is a number ("1984") followed by a blank line, then the next index.
    track = parse_text("1\n00:00:01,000 --> 00:00:02,000\n1984\n\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n", "srt")
    assert track.cues[0].lines == ["1984"]


def test_truncated_after_timing_line_parses_with_empty_last_cue(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.srt", "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:03,000 --> 00:00:04,000\n")
    track = read_track(path)
    assert len(track) == 2 and track.cues[1].lines == []


# --- strictness ----------------------------------------------------------------------

def test_end_before_start_is_an_error_with_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "backwards.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:05,000 --> 00:00:04,000\nTwo\n",
    )
    result, target = _convert(tmp_path, path)
    assert_clean_error(result, f"{path}:6:", "ends before it starts")
    assert not target.parent.exists() or not any(target.parent.iterdir())


@pytest.mark.parametrize(
    ("timing", "fragment"),
    [
        ("00:00:0x,000 --> 00:00:02,000", "bad timestamp '00:00:0x,000'"),
        ("00:61:00,000 --> 00:62:00,000", "minutes and seconds go to 59"),
        ("00:00:01,000 --> soon", "bad timestamp 'soon'"),
        ("00:00:01,000 -->", "bad timestamp"),
    ],
)
def test_unparsable_time_is_an_error_with_the_line(tmp_path: Path, timing: str, fragment: str) -> None:
    path = _write(tmp_path, "bad.srt", f"1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n{timing}\nTwo\n")
    result, _ = _convert(tmp_path, path)
    assert_clean_error(result, f"{path}:6:", fragment)


def test_truncated_inside_the_timing_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.srt", "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:03,000 --> 00:0")
    with pytest.raises(ScreenkitError) as caught:
        read_track(path)
    assert (caught.value.path, caught.value.line) == (str(path), 6)


def test_vtt_without_header_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "nohead.vtt", "00:01.000 --> 00:02.000\nHello\n")
    result, _ = _convert(tmp_path, path)
    assert_clean_error(result, f"{path}:1:", "must start with 'WEBVTT'")


def test_ass_event_ending_before_start(tmp_path: Path) -> None:
    text = (
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,fine\n"
        "Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,a note for the editor\n"
        "Dialogue: 0,0:00:05.00,0:00:03.00,Default,,0,0,0,,backwards\n"
    )
    path = _write(tmp_path, "backwards.ass", text)
    result, _ = _convert(tmp_path, path)
    assert_clean_error(result, f"{path}:8:", "ends before it starts")


# --- hostile -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["empty.srt", "empty.vtt", "empty.ass"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, b"")
    result, target = _convert(tmp_path, path)
    assert_clean_error(result, f"{path}:1:")
    assert not target.exists()


def test_blank_file_with_only_whitespace(tmp_path: Path) -> None:
    path = _write(tmp_path, "blank.srt", "\ufeff \n\n\t\n")
    assert_clean_error(_convert(tmp_path, path)[0], f"{path}:1:", "empty subtitle file")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_binary_garbage(tmp_path: Path, seed: int) -> None:
    data = random.Random(seed).randbytes(8192)
    path = _write(tmp_path, "garbage.srt", data)
    result, target = _convert(tmp_path, path)
    assert_clean_error(result, f"{path}:")
    assert not target.exists()


def test_png_named_srt(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    path = _write(tmp_path, "poster.srt", data)
    assert_clean_error(_convert(tmp_path, path)[0], f"{path}:1:")


def test_mixed_encodings_in_one_file(tmp_path: Path) -> None:
    utf8 = "1\n00:00:01,000 --> 00:00:03,000\nLes Marées intérieures\n\n".encode()
    latin = "2\n00:00:04,000 --> 00:00:06,000\nÇa se vend, ça ?\n\n".encode("cp1252")
    more = "3\n00:00:07,000 --> 00:00:09,000\nÉteins ton téléphone.\n".encode()
    path = _write(tmp_path, "mixed.srt", utf8 + latin + more)
    result, target = _convert(tmp_path, path)
    assert_clean_error(result, f"{path}:7:", "mixed encodings")
    assert not target.exists()


def test_not_a_subtitle_extension(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.docx", "1\n00:00:01,000 --> 00:00:02,000\nx\n")
    result, _ = _convert(tmp_path, path)
    assert_clean_error(result, str(path), "cannot tell the subtitle format")


def test_missing_input_and_folder_input(tmp_path: Path) -> None:
    assert_clean_error(_convert(tmp_path, tmp_path / "nope.srt")[0], "nope.srt", "no such file")
    folder = tmp_path / "folder.srt"
    folder.mkdir()
    assert_clean_error(_convert(tmp_path, folder)[0], "folder.srt")


def _generated(count: int) -> str:
    parts = []
    for number in range(count):
        start = number * 2000
        parts.append(
            f"{number + 1}\n{format_srt(start)} --> {format_srt(start + 1800)}\n"
            f"Line {number} of a long film\n<i>second line</i>\n"
        )
    return "\n".join(parts)


def test_fifty_thousand_cues_parse(tmp_path: Path) -> None:
    path = _write(tmp_path, "long.srt", _generated(50_000))
    track = read_track(path)
    assert len(track) == 50_000
    assert track.cues[-1].start == 49_999 * 2000
    assert track.cues[-1].lines == ["Line 49999 of a long film", "<i>second line</i>"]
    assert track.cues[31_337].source_line == 31_337 * 5 + 2


# --- awkward file names ----------------------------------------------------------------

@pytest.mark.parametrize(
    "name",
    [
        "with space.srt",
        "quote's \"double\".srt",
        "colon: title.srt",
        "漆案 Les Marées.srt",
        "-dash.srt",
        "--double-dash.srt",
    ],
)
def test_awkward_file_names(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes((SUBTITLES / "tides-within.fr.srt").read_bytes())
    target = tmp_path / ("-" + Path(name).stem + ".vtt")
    if name.startswith("-"):
        # Options end at "--"; "./-dash.srt" works as well.
        result = run_cli("convert", "-o", f"./{target.name}", "--", name, cwd=tmp_path)
    else:
        result = run_cli("convert", str(source), "-o", str(target))
    assert result.code == 0, result.stderr
    assert len(read_track(target)) == 29
    relative = run_cli("convert", f"./{name}", "-o", f"./{target.name}.srt", cwd=tmp_path)
    assert relative.code == 0, relative.stderr


def test_error_names_an_awkward_file_exactly(tmp_path: Path) -> None:
    path = _write(tmp_path, "colon: bad \"one\".srt", "1\n00:00:01,000 --> 00:00:0y,000\nx\n")
    assert_clean_error(_convert(tmp_path, path)[0], f"{path}:2: bad timestamp")


def test_webvtt_identifiers_notes_and_styles_are_not_text() -> None:
    text = (
        "WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\n"
        "intro\n00:00:01.000 --> 00:00:02.000\nFirst\n\n"
        "NOTE written by the\ntranslator\n\n"
        "second-cue\n00:00:03.000 --> 00:00:04.000 line:0\nSecond\nline\n"
    )
    track = parse_text(text, "vtt")
    assert [c.lines for c in track.cues] == [["First"], ["Second", "line"]]
    assert track.cues[1].alignment == 8
