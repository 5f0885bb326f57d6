"""WebVTT read as the WHATWG/W3C "WebVTT parser algorithm" says, one behaviour per test.

Written from the specification's steps (signature, header, collect a block,
collect a timestamp, parse the cue settings, region settings), not from any
test suite's files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st

from toolkit.errors import ScreenkitError
from toolkit.subtitles import parse_text, read_track, render_track
from toolkit.subtitles.timecode import format_vtt
from toolkit.subtitles.webvtt import (
    collect_timestamp,
    parse_document,
    parse_settings,
    parse_timing_line,
)

CUE = "00:00:01.000 --> 00:00:02.000"


def _cues(text: str) -> list[tuple[str, int, int, str]]:
    return [(cue.id, cue.start, cue.end, cue.text) for cue in parse_document(text).cues]


# --- signature ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["WEBVTT", "WEBVTT\n", "WEBVTT \n", "WEBVTT\t", "WEBVTT - a title\n\n"])
def test_a_signature_alone_is_an_empty_track(text: str) -> None:
    track = parse_text(text, "vtt")
    assert track.cues == []
    assert track.warnings == []


@pytest.mark.parametrize(
    "text",
    ["webvtt\n", "WEBVTTfoo\n", "WEBVTT\f\n", "WEBVTT\u00a0foo\n", "WEBVT\n", "WEBSRT\n\n" + CUE + "\nx\n",
     "\ufeffWEBVTT\n", " WEBVTT\n", CUE + "\nno signature\n", "WEBVTT\0\n"],
)
def test_anything_else_before_or_around_the_signature_is_not_webvtt(text: str) -> None:
    with pytest.raises(ScreenkitError) as caught:
        parse_text(text, "vtt")
    assert caught.value.line == 1


def test_the_decoder_removes_one_byte_order_mark_only(tmp_path: Path) -> None:
    one = tmp_path / "one.vtt"
    one.write_bytes(b"\xef\xbb\xbfWEBVTT\n\n" + CUE.encode() + b"\nHi\n")
    assert [cue.lines for cue in read_track(one).cues] == [["Hi"]]
    two = tmp_path / "two.vtt"
    two.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbfWEBVTT\n")
    with pytest.raises(ScreenkitError):
        read_track(two)


def test_an_empty_file_is_refused_at_line_1(tmp_path: Path) -> None:
    with pytest.raises(ScreenkitError) as caught:
        parse_text("", "vtt")
    assert caught.value.line == 1


# --- header and blocks -------------------------------------------------------------------


def test_header_lines_run_to_the_first_blank_line_or_timing_line() -> None:
    track = parse_text(f"WEBVTT\nKind: captions\n{CUE}\nHi\n", "vtt")
    assert track.header == "WEBVTT\nKind: captions"
    assert [cue.lines for cue in track.cues] == [["Hi"]]


def test_cr_lf_and_crlf_all_end_lines() -> None:
    text = f"WEBVTT\r\rcr\r{CUE}\rone\n\nlf\n{CUE}\ntwo\r\n\r\ncrlf\r\n{CUE}\r\nthree\r\n"
    assert [(cue.id, cue.text) for cue in parse_document(text).cues] == [("cr", "one"), ("lf", "two"), ("crlf", "three")]


def test_identifiers_keep_their_spaces() -> None:
    text = f"WEBVTT\n\n  two leading\n{CUE}\na\n\ntrailing  \n{CUE}\nb\n\n \n{CUE}\nc\n"
    assert [cue.id for cue in parse_document(text).cues] == ["  two leading", "trailing  ", " "]
    track = parse_text(text, "vtt")
    assert [cue.identifier for cue in track.cues] == ["  two leading", "trailing  ", " "]
    assert [cue.identifier for cue in parse_text(render_track(track, "vtt"), "vtt").cues] == ["  two leading", "trailing  ", " "]


def test_a_note_is_no_cue_and_style_or_region_count_only_before_the_first_cue() -> None:
    text = (f"WEBVTT\n\nNOTE a comment\nover two lines\n\nSTYLE\n::cue {{ color: red }}\n\n{CUE}\nHi\n\n"
            "STYLE\n::cue { color: blue }\n\nREGION\nid:late\n")
    document = parse_document(text)
    assert len(document.cues) == 1
    assert document.stylesheets == ["::cue { color: red }"]
    assert document.regions == []
    track = parse_text(text, "vtt")
    assert track.cues[0].before == ("NOTE a comment\nover two lines", "STYLE\n::cue { color: red }")
    assert [warning.line for warning in track.warnings] == [12, 15]  # the late STYLE and REGION: dropped, said


def test_text_after_a_blank_line_inside_a_cue_is_dropped_with_a_warning() -> None:
    track = parse_text(f"WEBVTT\n\n{CUE}\nline one\n\nstray line\n", "vtt")
    assert [cue.lines for cue in track.cues] == [["line one"]]
    assert [(warning.line, warning.kind) for warning in track.warnings] == [(6, "stray-text")]


def test_a_line_with_an_arrow_ends_the_cue_text() -> None:
    # "-->" can never be cue text: a line holding it starts the next block.
    assert [text for _, _, _, text in _cues(f"WEBVTT\n\n{CUE}\none\n{CUE}\ntwo\n")] == ["one", "two"]


# --- timestamps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ms"),
    [("00:00.000", 0), ("59:59.999", 3_599_999), ("00:00:01.500", 1500), ("0:00:01.000", 1000),
     ("123:00:00.000", 123 * 3_600_000), ("60:00:00.000", 216_000_000)],
)
def test_valid_timestamps(value: str, ms: int) -> None:
    assert collect_timestamp(value, 0) == (ms, len(value))


@pytest.mark.parametrize(
    "value",
    ["00:00:00.00", "00:00:00.0000"[:12] + "x", "00:0:00.000", "00:00:00", "00:00:00,000", "00:00:60.000",
     "00:60:00.000", "00::00:00.000", "00:00:000.000", "0000:00.000", ".000", "00:00.00", "00:00:0.000",
     "\u0660\u0660:00.000", "-00:00:01.000", "60:00.000"],  # 60 is past minutes: hours, so mm:ss must follow
)
def test_invalid_timestamps(value: str) -> None:
    parsed = collect_timestamp(value, 0)
    assert parsed is None or parsed[1] != len(value)


@given(st.integers(min_value=0, max_value=400 * 3_600_000))
def test_every_written_timestamp_reads_back(ms: int) -> None:
    assert collect_timestamp(format_vtt(ms), 0) == (ms, len(format_vtt(ms)))


@given(st.text(alphabet="0123456789:.-> \t\fx\0", max_size=40))
def test_a_timing_line_never_raises(line: str) -> None:
    parse_timing_line(line)


def test_a_bad_timing_line_skips_that_cue_only_with_one_warning_naming_its_line() -> None:
    text = f"WEBVTT\n\n{CUE}\nfirst\n\n00::00:00.000 --> 00:00:03.000\nbroken\n\n00:00:04.000 --> 00:00:05.000\nlast\n"
    track = parse_text(text, "vtt")
    assert [cue.lines for cue in track.cues] == [["first"], ["last"]]
    assert [(warning.line, warning.kind) for warning in track.warnings] == [(6, "dropped-cue")]
    assert "00::00:00.000" in track.warnings[0].message


def test_convert_goes_on_past_a_bad_cue(tmp_path: Path) -> None:
    source = tmp_path / "in.vtt"
    source.write_text(f"WEBVTT\n\n{CUE}\nfirst\n\n00:00:02.00 --> 00:00:03.000\nbroken\n", encoding="utf-8")
    result = run_cli("convert", str(source), "-o", str(tmp_path / "out.srt"))
    assert result.code == 0, result.stderr
    assert f"{source}:6: warning:" in result.stderr
    assert "first" in (tmp_path / "out.srt").read_text(encoding="utf-8")


def test_a_cue_that_ends_before_it_starts_is_kept_with_a_warning() -> None:
    track = parse_text("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nbackwards\n", "vtt")
    assert [(cue.start, cue.end) for cue in track.cues] == [(2000, 1000)]
    assert [warning.kind for warning in track.warnings] == ["end-before-start"]


# --- characters ----------------------------------------------------------------------------


def test_nul_becomes_the_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "nul.vtt"
    path.write_bytes(b"WEBVTT\n\n\x00id\n" + CUE.encode() + b"\nte\x00xt\n" + b"\x00" * 20 + b"\n")
    track = read_track(path)
    assert track.cues[0].identifier == "\ufffdid"
    assert track.cues[0].lines == ["te\ufffdxt", "\ufffd" * 20]


def test_vertical_tabs_are_text_not_binary_data(tmp_path: Path) -> None:
    path = tmp_path / "vt.vtt"
    path.write_bytes(b"WEBVTT\n\n" + CUE.encode() + b"\na\x0bb\n\n\x0b\x0b\x0b" + CUE.encode() + b"\nskipped\n")
    track = read_track(path)
    assert [cue.lines for cue in track.cues] == [["a\x0bb"]]  # \v is not whitespace: the second timing is bad
    assert [warning.kind for warning in track.warnings] == ["dropped-cue"]


# --- cue settings ---------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["line:.5", "line:5.", "line:1%%", "line:-0%", "line:101%", "line:1e2", "line:-",
                                     "line:50%,middle", "line:50%,", "line:0%0", "line:1-"])
def test_invalid_line_settings_leave_line_auto(setting: str) -> None:
    settings = parse_settings(setting)
    assert settings.line is None
    assert settings.applied == [] and settings.dropped == [setting]


@pytest.mark.parametrize(("setting", "line", "snap"), [("line:-0", 0.0, True), ("line:-3", -3.0, True),
                                                       ("line:1.5", 1.5, True), ("line:0%", 0.0, False),
                                                       ("line:100%,end", 100.0, False)])
def test_valid_line_settings(setting: str, line: float, snap: bool) -> None:
    settings = parse_settings(setting)
    assert settings.line == line and str(settings.line) == str(line)  # "-0" is 0, not -0
    assert settings.snap_to_lines is snap


def test_each_invalid_setting_is_dropped_alone() -> None:
    settings = parse_settings("line:.5 align:end size:101% size:40% position:10%,line-left vertical:RL bogus:1 x")
    assert settings.line is None
    assert settings.align == "end"
    assert settings.size == 40
    assert (settings.position, settings.position_align) == (10, "line-left")
    assert settings.vertical == ""
    assert settings.applied == ["align:end", "size:40%", "position:10%,line-left"]


def test_a_track_keeps_only_the_valid_settings_and_says_which_were_dropped() -> None:
    track = parse_text(f"WEBVTT\n\n{CUE} line:.5 align:end\nHi\n", "vtt")
    cue = track.cues[0]
    assert cue.settings == "align:end"
    assert cue.alignment == 3  # bottom right: the invalid line did not make it "top"
    assert [(warning.line, warning.kind) for warning in track.warnings] == [(3, "invalid-setting")]


def test_settings_split_on_tabs_and_form_feeds_too() -> None:
    assert parse_settings("align:start\tsize:50%\fline:0").applied == ["align:start", "size:50%", "line:0"]


def test_region_settings_and_the_last_region_of_an_id_wins() -> None:
    text = ("WEBVTT\n\nREGION\nid:r width:40% lines:2\nregionanchor:10%,20% viewportanchor:30%,40% scroll:up\n\n"
            f"REGION\nid:r\nlines:x\n\n{CUE} region:r\na\n\n{CUE} region:nowhere\nb\n")
    document = parse_document(text)
    first, second = document.regions
    assert (first.width, first.lines, first.region_anchor, first.viewport_anchor, first.scroll) == (
        40, 2, (10, 20), (30, 40), "up")
    assert second.lines == 3  # "lines:x" is ignored: the default stays
    assert document.cues[0].settings.region is second
    assert document.cues[1].settings.region is None


def test_written_vtt_with_arrows_in_text_reads_back_the_same() -> None:
    track = parse_text(f"WEBVTT\n\n{CUE}\nSwipe --&gt; to go\n", "vtt")
    assert track.cues[0].lines == ["Swipe --> to go"]
    again = parse_text(render_track(track, "vtt"), "vtt")
    assert again.cues[0].lines == ["Swipe --> to go"]


def test_lint_says_a_cue_ends_before_it_starts_and_fix_leaves_its_times(tmp_path: Path) -> None:
    source = tmp_path / "back.vtt"
    source.write_text("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nbackwards\n", encoding="utf-8")
    result = run_cli("lint", str(source))
    assert result.code == 1
    assert "SK109 [error] event ends 1000 ms before it starts" in result.stdout
    fixed = tmp_path / "fixed.vtt"
    run_cli("lint", "--fix", "-o", str(fixed), str(source))
    assert [(cue.start, cue.end) for cue in read_track(fixed).cues] == [(2000, 1000)]


def test_a_timestamp_of_thousands_of_digits_skips_its_cue_not_the_file() -> None:
    # Found by the fuzzer: int() refuses strings of over 4,300 digits (ValueError, exit 3).
    from toolkit.subtitles.webvtt import parse_vtt

    text = "WEBVTT\n\n00:16.320 --> " + "9" * 5000 + ":00.000\nlost\n\n00:01.000 --> 00:02.000\nkept\n"
    track = parse_vtt(text)
    assert [cue.lines for cue in track.cues] == [["kept"]]
    region = "WEBVTT\nRegion: id=r lines=" + "9" * 5000 + "\n\n00:01.000 --> 00:02.000 region:r\nkept\n"
    assert [cue.lines for cue in parse_vtt(region).cues] == [["kept"]]
