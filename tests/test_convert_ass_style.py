"""convert to ASS writes a screening style, not pysubs2's Arial 20 with no PlayRes."""

from __future__ import annotations

from pathlib import Path

import pysubs2
import pytest
from conftest import run_cli
from media_support import FACTORY


def _convert(tmp_path: Path, source: Path, *args: str) -> pysubs2.SSAFile:
    output = tmp_path / f"{source.stem}.ass"
    result = run_cli("convert", str(source), "-o", str(output), *args)
    assert result.code == 0, result.stderr
    return pysubs2.load(str(output))


@pytest.mark.parametrize(("source", "face"), [("zh", "Noto Sans CJK SC"), ("en", "Noto Sans")])
def test_a_screening_style_at_1080p_by_default(tmp_path: Path, source: str, face: str) -> None:
    subs = _convert(tmp_path, getattr(FACTORY, source))
    assert (subs.info["PlayResX"], subs.info["PlayResY"]) == ("1920", "1080")
    style = subs.styles["Default"]
    assert style.fontname == face
    # Relative to the height: the burn's size (3.4% of the frame for a capital or an ideograph).
    assert 50 <= style.fontsize <= 80
    # Inside the title-safe area (5% margins), outlined and shadowed.
    assert style.marginv >= 54 and style.marginl >= 96 and style.marginr >= 96
    assert style.outline > 0 and style.shadow > 0 and int(style.alignment) == 2


def test_traditional_chinese_gets_the_traditional_face(tmp_path: Path) -> None:
    source = tmp_path / "film.zh-Hant.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\n歡迎光臨\n", encoding="utf-8")
    assert _convert(tmp_path, source).styles["Default"].fontname == "Noto Sans CJK TC"


def test_video_sets_the_play_resolution_and_the_sizes_follow(tmp_path: Path) -> None:
    big = _convert(tmp_path, FACTORY.en)
    (tmp_path / "small").mkdir()
    small = _convert(tmp_path / "small", FACTORY.en, "--video", str(FACTORY.clip))
    assert (small.info["PlayResX"], small.info["PlayResY"]) == ("320", "180")
    ratio = small.styles["Default"].fontsize / big.styles["Default"].fontsize
    # 180/1080 of the size, but never under the 7 px floor kept for tiny proxy files.
    assert 180 / 1080 - 0.01 <= ratio <= 0.2
    assert small.styles["Default"].marginv >= 9


def test_an_ass_source_keeps_its_own_styles(tmp_path: Path) -> None:
    source = tmp_path / "styled.ass"
    source.write_text(
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 360\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize\nStyle: Default,Gentium,31\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hello\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.ass"
    assert run_cli("convert", str(source), "-o", str(output)).code == 0
    subs = pysubs2.load(str(output))
    assert subs.styles["Default"].fontname == "Gentium" and subs.info["PlayResY"] == "360"


def test_a_line_mixing_scripts_switches_face_and_reads_back_without_the_switches(tmp_path: Path) -> None:
    source = tmp_path / "film.fr.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,000\nLe film « 花样年华 », c’est beau\u202f!\n", encoding="utf-8")
    subs = _convert(tmp_path, source)
    assert subs.styles["Default"].fontname == "Noto Sans"
    assert subs.events[0].text == "Le film « {\\fnNoto Sans CJK SC}花样年华{\\fnNoto Sans} », c’est beau\u202f!"
    # The switches are screenkit's own: back to SRT they are gone (and nothing is said to be dropped).
    back = tmp_path / "back.fr.srt"
    result = run_cli("convert", str(tmp_path / "film.fr.ass"), "-o", str(back))
    assert result.code == 0 and "dropped" not in result.stderr, result.stderr
    assert "Le film « 花样年华 », c’est beau\u202f!" in back.read_text(encoding="utf-8")
