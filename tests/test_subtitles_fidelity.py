"""Lossless where the format allows, honest where it does not; tolerant reading that says what it did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from toolkit.subtitles import parse_text, read_track, render_track
from toolkit.subtitles.formats import get_format
from toolkit.subtitles.lossy import adapt
from toolkit.subtitles.model import Cue, Track

VTT = """WEBVTT - broadcast feed
Kind: captions
Language: en

STYLE
::cue(.yellow) { color: yellow }

REGION
id:fred
width:40%

NOTE This file was made by hand;
it has notes between cues.

intro
00:00:01.000 --> 00:00:02.500 line:0 position:20% align:start
Hello &amp; welcome, <i>friends</i>

NOTE between the cues

00:00:03.000 --> 00:00:04.000 align:end size:50% line:85%
Second &lt;cue&gt;

3
00:00:00.500 --> 00:00:00.900
Earlier than the others

NOTE the end
"""

ASS = """[Script Info]
ScriptType: v4.00+
PlayResX: 1920
PlayResY: 1080

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,60,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1
Style: Sign,Arial,40,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,8,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:04.00,Default,,0,0,0,,{\\fad(200,200)}Hello {\\i1}there{\\i0}
Dialogue: 1,0:00:01.00,0:00:04.00,Sign,,0,0,0,,{\\pos(960,100)\\blur2}A SIGN
Dialogue: 0,0:00:01.00,0:00:04.00,Sign,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}
Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,{\\an8}{\\b1}Top{\\b0} line
"""


def test_vtt_to_vtt_keeps_header_identifiers_settings_and_blocks_byte_for_byte() -> None:
    written = render_track(parse_text(VTT, "vtt"), "vtt")
    for kept in (
        "WEBVTT - broadcast feed\nKind: captions\nLanguage: en\n",
        "STYLE\n::cue(.yellow) { color: yellow }\n",
        "REGION\nid:fred\nwidth:40%\n",
        "NOTE This file was made by hand;\nit has notes between cues.\n",
        "intro\n00:00:01.000 --> 00:00:02.500 line:0 position:20% align:start\n",
        "NOTE between the cues\n\n00:00:03.000 --> 00:00:04.000 align:end size:50% line:85%\n",
        "3\n00:00:00.500 --> 00:00:00.900\n",
        "NOTE the end\n",
        "Hello &amp; welcome, <i>friends</i>\n",
        "Second &lt;cue&gt;\n",
    ):
        assert kept in written, kept
    # Text writers emit cues in start-time order; blocks travel with their cue.
    assert written.index("Earlier than the others") < written.index("intro")
    # A second round trip changes nothing.
    assert render_track(parse_text(written, "vtt"), "vtt") == written


def test_ass_to_ass_keeps_layers_overrides_drawings_and_styles() -> None:
    track = parse_text(ASS, "ass")
    again = parse_text(render_track(track, "ass"), "ass")
    assert [(c.start, c.end, c.layer, c.style, c.lines, c.alignment) for c in again.cues] == [
        (c.start, c.end, c.layer, c.style, c.lines, c.alignment) for c in track.cues
    ]
    assert "{\\pos(960,100)\\blur2}A SIGN" in render_track(track, "ass")


ASS_EDITOR = (
    ASS.replace(
        "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,",
        "Comment: 0,0:00:04.50,0:00:04.90,Default,Ed,0,0,0,karaoke,template line\n"
        "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,25,30,44,Scroll up;10;20;5,",
    )
    + "Comment: 0,0:00:07.00,0:00:08.00,Default,,0,0,0,,end note\n"
    + "\n[Aegisub Project Garbage]\nVideo File: ep01.mkv\nScroll Position: 12\n"
)


def _events(text: str) -> list[tuple[object, ...]]:
    import pysubs2

    subs = pysubs2.SSAFile.from_string(text)
    return [
        (e.type, e.start, e.end, e.layer, e.style, e.name, e.marginl, e.marginr, e.marginv, e.effect, e.text)
        for e in subs.events
    ]


def test_ass_to_ass_keeps_comments_margins_effects_and_editor_sections() -> None:
    written = render_track(parse_text(ASS_EDITOR, "ass"), "ass")
    assert _events(written) == _events(ASS_EDITOR)
    assert "[Aegisub Project Garbage]" in written and "Video File: ep01.mkv" in written
    assert render_track(parse_text(written, "ass"), "ass") == written  # a second round trip changes nothing


def test_comments_move_with_their_event_and_survive_its_removal() -> None:
    from toolkit.languages import parse_language
    from toolkit.qc import fix_track, load_profile
    from toolkit.subtitles.retime import shift

    shifted = shift(parse_text(ASS_EDITOR, "ass"), 2000)
    comments = [e for e in _events(render_track(shifted, "ass")) if e[0] == "Comment"]
    assert [(e[1], e[2]) for e in comments] == [(6500, 6900), (9000, 10000)]
    # An empty event removed by the fix hands its comment on to the next event, same times.
    empty = ASS_EDITOR.replace(",Scroll up;10;20;5,{\\an8}{\\b1}Top{\\b0} line", ",Scroll up;10;20;5,")
    assert empty != ASS_EDITOR
    fixed = fix_track(parse_text(empty, "ass"), load_profile("festival", parse_language("en"))).track
    comments = [e for e in _events(render_track(fixed, "ass")) if e[0] == "Comment"]
    assert [(e[1], e[2], e[10]) for e in comments] == [(4500, 4900, "template line"), (7000, 8000, "end note")]


def test_ssa_to_ssa_stays_v4(tmp_path: Path) -> None:
    ssa = tmp_path / "film.ssa"
    ssa.write_text(
        ASS.replace("v4.00+", "v4.00").replace("[V4+ Styles]", "[V4 Styles]"), encoding="utf-8"
    )
    track = read_track(ssa)
    assert track.format == "ssa"
    out = tmp_path / "out.ssa"
    assert run_cli("convert", str(ssa), "-o", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert "[V4 Styles]" in text and "[V4+ Styles]" not in text and "ScriptType: v4.00\n" in text
    assert "Format: Marked," in text


def _convert(tmp_path: Path, source_text: str, source_name: str, target_name: str) -> tuple[dict, str]:
    source = tmp_path / source_name
    source.write_text(source_text, encoding="utf-8")
    target = tmp_path / target_name
    result = run_cli("convert", str(source), "-o", str(target), "--format", "json")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout), target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("kind", "count", "fragment"),
    [
        ("drawings", 1, "dropped 1 drawing event"),
        ("override-blocks", 2, "dropped 2 override blocks"),
        ("layers", 1, "1 event lost its layer (layer 1)"),
        ("styles", 1, "1 event lost its style (1 style: Sign)"),
        ("comments", 2, "dropped 2 Comment events"),
        ("event-fields", 1, "dropped the margins or effect of 1 event"),
    ],
)
def test_ass_to_srt_warns_once_per_kind_of_loss(tmp_path: Path, kind: str, count: int, fragment: str) -> None:
    report, text = _convert(tmp_path, ASS_EDITOR, "film.ass", "film.srt")
    losses = {loss["kind"]: loss for loss in report["losses"]}
    assert losses[kind]["count"] == count and fragment in losses[kind]["message"]
    assert "m 0 0 l" not in text and "\\fad" not in text and "\\pos" not in text  # nothing invisible shows
    assert "{\\an8}<b>Top</b> line" in text and "Hello <i>there</i>" in text  # what SRT can carry stays


def test_loss_lines_in_text_output(tmp_path: Path) -> None:
    source = tmp_path / "film.ass"
    source.write_text(ASS, encoding="utf-8")
    result = run_cli("convert", str(source), "-o", str(tmp_path / "film.vtt"))
    warnings = [line.split(": warning: ")[1] for line in result.stderr.splitlines() if ": warning: " in line]
    report = json.loads(run_cli("convert", str(source), "-o", str(tmp_path / "b.vtt"), "--format", "json").stdout)
    assert warnings == [loss["message"] for loss in report["losses"]]  # one line per kind of loss
    assert "dropped 1 drawing event (ASS vector drawings show as text elsewhere)" in warnings


def test_vtt_to_srt_warns_about_notes_identifiers_and_settings(tmp_path: Path) -> None:
    report, text = _convert(tmp_path, VTT, "film.vtt", "film.srt")
    losses = {loss["kind"]: loss["count"] for loss in report["losses"]}
    assert losses == {"comments": 5, "identifiers": 2, "cue-settings": 2}
    assert "{\\an7}Hello & welcome, <i>friends</i>" in text  # the top position survives


def test_srt_to_vtt_warns_about_tags_vtt_lacks(tmp_path: Path) -> None:
    srt = '1\n00:00:01,000 --> 00:00:02,000\n<s>gone</s> <font color="#ff0000">red</font> <i>kept</i>\n'
    report, text = _convert(tmp_path, srt, "film.srt", "film.vtt")
    assert {loss["kind"]: loss["count"] for loss in report["losses"]} == {"tag-s": 1, "tag-font": 1}
    assert "gone red <i>kept</i>" in text


def test_same_format_loses_nothing() -> None:
    track = parse_text(ASS, "ass")
    assert adapt(track, get_format("ass"))[1] == []


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_arrow_in_text_survives_a_round_trip(fmt: str) -> None:
    track = Track([Cue(1000, 2000, ["A --> B, then C -> D"]), Cue(3000, 4000, ["Next"])], format="srt")
    again = parse_text(render_track(track, fmt), fmt)
    assert [c.lines for c in again.cues] == [["A --> B, then C -> D"], ["Next"]]


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "ssa"])
@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
def test_cr_only_lf_and_crlf_read_alike(fmt: str, newline: str) -> None:
    base = parse_text(render_track(parse_text(ASS, "ass"), fmt), fmt)
    text = render_track(base, fmt).replace("\r\n", "\n").replace("\n", newline)
    track = parse_text(text, fmt)
    assert [(c.start, c.end, c.plain_text) for c in track.cues] == [(c.start, c.end, c.plain_text) for c in base.cues]


def test_negative_times_clamped_and_cue_before_zero_dropped_with_warnings(tmp_path: Path) -> None:
    path = tmp_path / "gaupol.en.srt"
    path.write_text(
        "1\n-00:00:03,000 --> -00:00:01,000\nGone\n\n2\n-00:00:00,500 --> 00:00:01,500\nClamped\n\n"
        "3\n00:00:02,000 --> 00:00:04,000\nKept\n",
        encoding="utf-8",
    )
    result = run_cli("lint", str(path), "--format", "json")
    report = json.loads(result.stdout)["files"][0]
    assert report["cues"] == 2
    assert report["warnings"] == [
        f"{path}:2: warning: cue ends before 00:00:00,000: dropped",
        f"{path}:6: warning: negative start time -00:00:00,500 clamped to 00:00:00,000",
    ]
    text = run_cli("lint", str(path))
    assert f"{path}:6: warning: negative start time" in text.stderr
