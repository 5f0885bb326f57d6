"""DCP subtitle XML read as the reference tools read it: ruby, image subtitles, files with none.

Each behaviour from the standards and libdcp's verifier notes (MISSING_SUBTITLE),
with files written here.
"""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from toolkit.dcp.events import DcpEvent, PlacedLine
from toolkit.dcp.xml import INTEROP, DcpHeader, render_interop
from toolkit.languages import FR
from toolkit.qc import load_profile
from toolkit.qc.registry import RULES
from toolkit.qc.rules import lint_track
from toolkit.subtitles import read_track

INTEROP_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<DCSubtitle Version="1.0">'
    "<SubtitleID>0b7e2a8c-6a53-4d53-9f3e-1f6b2f0c9a11</SubtitleID><MovieTitle>T</MovieTitle>"
    '<ReelNumber>1</ReelNumber><Language>French</Language><LoadFont Id="F" URI="font.ttf"/>'
)
SMPTE_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<SubtitleReel xmlns="http://www.smpte-ra.org/schemas/428-7/2014/DCST">'
    "<Id>urn:uuid:0b7e2a8c-6a53-4d53-9f3e-1f6b2f0c9a12</Id><ContentTitleText>T</ContentTitleText>"
    "<IssueDate>2026-01-01T00:00:00+00:00</IssueDate><ReelNumber>1</ReelNumber><Language>ja</Language>"
    "<EditRate>24 1</EditRate><TimeCodeRate>24</TimeCodeRate><StartTime>00:00:00:00</StartTime>"
    '<LoadFont ID="F">urn:uuid:0b7e2a8c-6a53-4d53-9f3e-1f6b2f0c9a13</LoadFont><SubtitleList>'
)


def test_interop_ruby_is_base_text_with_the_annotation_in_parentheses(tmp_path: Path) -> None:
    path = tmp_path / "ruby.xml"
    path.write_text(
        INTEROP_HEAD + '<Font Id="F" Size="42"><Subtitle SpotNumber="1" TimeIn="00:00:05:000" TimeOut="00:00:07:000">'
        '<Text VAlign="bottom" VPosition="10"><Ruby><Rb>Base</Rb><Rt Size="0.5">Annotate</Rt></Ruby>Hello world'
        "</Text></Subtitle></Font></DCSubtitle>",
        encoding="utf-8",
    )
    assert read_track(path).cues[0].lines == ["Base(Annotate)Hello world"]


def test_smpte_ruby_keeps_each_base_with_its_reading(tmp_path: Path) -> None:
    path = tmp_path / "ruby.xml"
    path.write_text(
        SMPTE_HEAD + '<Font ID="F" Size="42"><Subtitle SpotNumber="1" TimeIn="00:00:05:00" TimeOut="00:00:07:00">'
        '<Text Valign="bottom" Vposition="10"><Ruby><Rb>東京</Rb><Rt>とうきょう</Rt></Ruby>へ'
        "<Ruby><Rb>行</Rb></Ruby>く</Text></Subtitle></Font></SubtitleList></SubtitleReel>",
        encoding="utf-8",
    )
    assert read_track(path).cues[0].lines == ["東京(とうきょう)へ行く"]


def _image_file(tmp_path: Path) -> Path:
    events = [
        DcpEvent(5000, 7000, [PlacedLine("", "top", 80.0, "left", 10.0)], image="a.png"),
        DcpEvent(8000, 9000, [PlacedLine("", "top", 80.0, "left", 10.0)], image="b.png"),
    ]
    path = tmp_path / "images.xml"
    path.write_bytes(render_interop(events, DcpHeader(INTEROP, language="French")))
    return path


def test_image_subtitles_are_kept_as_image_cues(tmp_path: Path) -> None:
    track = read_track(_image_file(tmp_path))
    assert [cue.image for cue in track.cues] == ["a.png", "b.png"]
    assert all(cue.plain_text == "" for cue in track.cues)


def test_converting_image_subtitles_to_text_is_refused_with_a_count(tmp_path: Path) -> None:
    source = _image_file(tmp_path)
    for target in (tmp_path / "out.srt", tmp_path / "out.vtt", tmp_path / "smpte" / "out.xml"):
        args = ["convert", str(source), "-o", str(target)]
        if target.suffix == ".xml":
            args += ["--to", "dcp-smpte"]
        result = run_cli(*args)
        assert result.code == 2, result.stderr
        assert "2 image subtitles (<Image>, PNG)" in result.stderr
        assert not target.exists()


def test_image_subtitles_are_kept_where_the_target_carries_them(tmp_path: Path) -> None:
    source = _image_file(tmp_path)
    target = tmp_path / "copy" / "out.xml"
    missing = run_cli("convert", str(source), "-o", str(target), "--to", "dcp-interop")
    assert missing.code == 2 and "'a.png' not found beside the XML" in missing.stderr
    assert not target.exists()
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(b"\x89PNG " + name.encode())
    result = run_cli("convert", str(source), "-o", str(target), "--to", "dcp-interop")
    assert result.code == 0, result.stderr
    copied = read_track(target)
    assert [(cue.start, cue.end, cue.image) for cue in copied.cues] == [(5000, 7000, "a.png"), (8000, 9000, "b.png")]
    assert (target.parent / "b.png").read_bytes() == b"\x89PNG b.png"


def test_a_dcp_file_with_no_subtitles_is_a_lint_finding_and_no_conversion(tmp_path: Path) -> None:
    assert RULES["DCP114"].documentation and "MISSING_SUBTITLE" in RULES["DCP114"].documentation
    path = tmp_path / "none.xml"
    path.write_text(INTEROP_HEAD + '<Font Id="F" Size="42"></Font></DCSubtitle>', encoding="utf-8")
    (tmp_path / "font.ttf").write_bytes(b"")
    findings = lint_track(read_track(path), load_profile("cinema", FR))
    assert [d.code for d in findings if d.code == "DCP114"] == ["DCP114"]
    result = run_cli("lint", str(path))
    assert result.code == 1 and "DCP114" in result.stdout
    target = tmp_path / "out.srt"
    converted = run_cli("convert", str(path), "-o", str(target))
    assert converted.code == 2 and "holds no cues" in converted.stderr
    assert not target.exists()


def test_a_dcp_file_with_subtitles_has_no_dcp114(tmp_path: Path) -> None:
    path = tmp_path / "one.xml"
    path.write_text(
        INTEROP_HEAD + '<Font Id="F" Size="42"><Subtitle SpotNumber="1" TimeIn="00:00:05:000" TimeOut="00:00:07:000">'
        '<Text VAlign="bottom" VPosition="10">Bonjour</Text></Subtitle></Font></DCSubtitle>',
        encoding="utf-8",
    )
    assert "DCP114" not in [d.code for d in lint_track(read_track(path), load_profile("cinema", FR))]
