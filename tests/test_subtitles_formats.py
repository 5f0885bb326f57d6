"""The format registry: lookup by name, extension and content; a new format is one registration."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from toolkit.errors import ScreenkitError
from toolkit.subtitles import formats as registry
from toolkit.subtitles import read_track, render_track
from toolkit.subtitles.formats import Capabilities, SubtitleFormat
from toolkit.subtitles.model import Cue, Track

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello there.\n\n2\n00:00:03,000 --> 00:00:04,000\nGood night.\n"
SSA = (
    "[Script Info]\nScriptType: v4.00\n\n[V4 Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour, BackColour, "
    "Bold, Italic, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, AlphaLevel, Encoding\n"
    "Style: Default,Arial,20,16777215,65535,65535,0,0,0,1,2,2,2,10,10,10,0,0\n\n[Events]\n"
    "Format: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: Marked=0,0:00:01.00,0:00:02.00,Default,,0000,0000,0000,,Hola\n"
)


def test_every_builtin_format_is_registered_with_its_extensions() -> None:
    names = registry.format_names()
    assert {"srt", "vtt", "ass", "ssa"} <= set(names)
    for fmt in registry.formats():
        assert fmt.extensions and all(ext.startswith(".") and ext == ext.lower() for ext in fmt.extensions)
        assert registry.get_format(fmt.name) is fmt
    assert registry.get_format("WebVTT").name == "vtt"
    assert registry.get_format(".srt").name == "srt"
    with pytest.raises(ScreenkitError, match="unknown subtitle format 'docx'"):
        registry.get_format("docx")


def test_capabilities_say_what_each_format_carries() -> None:
    srt, vtt, ass, ssa = (registry.get_format(name).capabilities for name in ("srt", "vtt", "ass", "ssa"))
    assert ass.layers and not ssa.layers
    assert ass.drawings and ass.styles and ass.overrides and ass.any_order and ass.event_per_line
    assert vtt.cue_settings and vtt.comments and not vtt.drawings
    assert "s" not in vtt.inline and "font" not in vtt.inline and "s" in srt.inline
    assert not srt.comments and not srt.layers and srt.positions


def test_content_decides_between_ass_and_ssa_and_extension_breaks_ties() -> None:
    assert registry.sniff(SSA).name == "ssa"
    assert registry.sniff(SSA.replace("v4.00", "v4.00+").replace("[V4 Styles]", "[V4+ Styles]")).name == "ass"
    bare = "[Script Info]\nTitle: x\n"
    assert registry.sniff(bare, "a.ssa").name == "ssa"
    assert registry.sniff(bare, "a.ass").name == "ass"
    assert registry.sniff("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n", "a.srt").name == "vtt"
    assert registry.sniff("just some notes") is None


def test_ssa_file_stays_v4_and_a_txt_subtitle_is_read_by_content(tmp_path: Path) -> None:
    ssa = tmp_path / "film.ssa"
    ssa.write_text(SSA, encoding="utf-8")
    track = read_track(ssa)
    assert track.format == "ssa"
    written = render_track(track, "ssa")
    assert "[V4 Styles]" in written and "[V4+ Styles]" not in written and "ScriptType: v4.00\n" in written
    txt = tmp_path / "film.txt"
    txt.write_text(SRT, encoding="utf-8")
    assert read_track(txt).format == "srt"
    assert [c.plain_text for c in read_track(txt, fmt="srt")] == ["Hello there.", "Good night."]


def test_unknown_extension_is_refused_naming_input_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("no timing lines here\n", encoding="utf-8")
    with pytest.raises(ScreenkitError) as caught:
        read_track(path)
    assert "--input-format" in str(caught.value) and "--to" not in str(caught.value)


def test_lint_reads_txt_with_input_format(tmp_path: Path) -> None:
    path = tmp_path / "film.en.txt"
    path.write_text(SRT, encoding="utf-8")
    result = run_cli("lint", str(path), "--input-format", "srt", "--format", "json")
    assert result.code in (0, 1), result.stderr
    assert '"cues": 2' in result.stdout
    bad = run_cli("lint", str(path), "--input-format", "docx")
    assert bad.code == 2 and "unknown subtitle format 'docx'" in bad.stderr


def test_registering_a_new_format_is_one_entry(tmp_path: Path) -> None:
    """A toy 'start|end|text' format: read, written, found by extension and content, used by the CLI."""

    def read(text: str, path: str | None) -> Track:
        cues = []
        for number, row in enumerate(text.splitlines()[1:], start=2):
            start, end, body = row.split("|", 2)
            cues.append(Cue(int(start), int(end), body.split("/"), source_line=number))
        return Track(cues=cues)

    def write(track: Track) -> str:
        return "PIPES\n" + "".join(f"{c.start}|{c.end}|{'/'.join(c.lines)}\n" for c in track.cues)

    toy = SubtitleFormat(
        name="pipes-test",
        extensions=(".pipes",),
        read=read,
        write=write,
        sniff=lambda text: 100 if text.startswith("PIPES\n") else 0,
        capabilities=Capabilities(),
    )
    registry.register(toy)
    try:
        source = tmp_path / "a.pipes"
        source.write_text("PIPES\n1000|2000|Hello/there\n", encoding="utf-8")
        assert read_track(source).format == "pipes-test"
        target = tmp_path / "a.srt"
        result = run_cli("convert", str(source), "-o", str(target))
        assert result.code == 0, result.stderr
        assert "Hello\nthere" in target.read_text(encoding="utf-8")
        back = tmp_path / "b.pipes"
        assert run_cli("convert", str(target), "-o", str(back), "--to", "pipes-test").code == 0
        assert back.read_text(encoding="utf-8") == "PIPES\n1000|2000|Hello/there\n"
        with pytest.raises(ValueError, match="registered twice"):
            registry.register(SubtitleFormat("pipes-test", (".p2",), read, write, Capabilities()))
    finally:
        registry._REGISTRY.pop("pipes-test", None)
