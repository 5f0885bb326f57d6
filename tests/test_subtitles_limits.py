"""Subtitle readers with bounded cost: a line-length limit per format, refused at the line;
no line that makes a parser super-linear (pysubs2's section headings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli

from toolkit.errors import ScreenkitError
from toolkit.subtitles import read_track
from toolkit.subtitles.formats import get_format

ASS_HEAD = (
    "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\nFormat: Name, Fontname, Fontsize\nStyle: Default,Arial,20\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,Hello\n"
)


@pytest.mark.parametrize("tail", ["", "]", "A" * 10 + "]"])
def test_ass_line_opening_a_bracket_at_200_kb(tmp_path: Path, tail: str) -> None:
    path = tmp_path / "bracket.ass"
    path.write_text(ASS_HEAD + "[" + "a" * 200_000 + tail + "\n", encoding="utf-8")
    with pytest.raises(ScreenkitError) as caught:
        read_track(path)
    assert (caught.value.line, caught.value.column) == (11, 1)
    assert "not a section heading" in caught.value.message
    assert_clean_error(run_cli("lint", str(path)), "bracket.ass:11:1:", code=2)


def test_real_headings_still_read(tmp_path: Path) -> None:
    plain, garbage = tmp_path / "plain.ass", tmp_path / "garbage.ass"
    plain.write_text(ASS_HEAD, encoding="utf-8")
    garbage.write_text(ASS_HEAD.replace("[Events]", "[Aegisub Project Garbage]\nLast Style Storage: Default\n\n[Events]"), encoding="utf-8")
    assert len(read_track(plain).cues) == 1
    assert [(c.start, c.end, c.lines) for c in read_track(garbage).cues] == [(c.start, c.end, c.lines) for c in read_track(plain).cues]


@pytest.mark.parametrize(("name", "body"), [
    ("long.srt", "1\n00:00:01,000 --> 00:00:02,000\n{}\n"),
    ("long.vtt", "WEBVTT\n00:00:01.000 --> 00:00:02.000\n{}\n"),
])
def test_line_over_the_format_limit_is_refused_at_its_line(tmp_path: Path, name: str, body: str) -> None:
    limit = get_format(name.rsplit(".", 1)[1]).max_line_chars
    assert limit is not None
    path = tmp_path / name
    path.write_text(body.format("x" * (limit + 1)), encoding="utf-8")
    result = run_cli("lint", str(path))
    assert_clean_error(result, f"{name}:3:{limit + 1}:", f"at most {limit}", code=2)
    path.write_text(body.format("x " * (limit // 4)), encoding="utf-8")
    assert run_cli("lint", str(path)).code in (0, 1)  # long, under the limit: read and checked


def test_every_text_format_has_a_limit() -> None:
    from toolkit.subtitles.formats import format_names

    for name in format_names():
        spec = get_format(name)
        assert spec.max_line_chars is not None or spec.read_bytes is not None, name


def test_override_tags_with_thousands_of_digits(tmp_path: Path) -> None:
    """Found by bench/fuzz.py: {\\a<5000 digits>} made int() raise ValueError (exit 3)."""
    path = tmp_path / "digits.ass"
    digits = "9" * 5000
    path.write_text(ASS_HEAD.replace("Default,Hello", f"Default,{{\\a{digits}}}{{\\an{digits}}}{{\\p{'0' * 5000}}}Hello"), encoding="utf-8")
    assert len(read_track(path).cues) == 1  # read, not a crash
    assert run_cli("lint", str(path)).code in (0, 1)
