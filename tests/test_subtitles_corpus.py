"""Every real-world subtitle file either parses or fails with a located ScreenkitError, nothing else."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import CORPUS, assert_clean_error, run_cli

from toolkit.errors import ScreenkitError
from toolkit.subtitles import SUBTITLE_EXTENSIONS, read_track

CORPUS_FILES = sorted(
    path for path in CORPUS.rglob("*") if path.is_file() and path.suffix.lower() in SUBTITLE_EXTENSIONS
)


def _sources() -> dict[str, dict[str, str]]:
    with (CORPUS / "SOURCES.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["local_path"]: row for row in csv.DictReader(handle, delimiter="\t")}


def test_the_corpus_is_there() -> None:
    assert len(CORPUS_FILES) >= 90
    listed = _sources()
    assert all(str(path.relative_to(CORPUS)) in listed for path in CORPUS_FILES)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_parses_or_fails_cleanly(path: Path) -> None:
    try:
        track = read_track(path)
    except ScreenkitError as error:
        assert error.path == str(path)
        assert error.line is not None and error.line >= 1
        assert error.exit_code == 2
        return
    # WebVTT: a signature-only file, or one whose every cue is invalid, is an empty track (as in a
    # browser); each skipped cue is a warning. ASS: a script with styles and no events is one too.
    assert len(track) >= 1 or track.format in ("vtt", "ass", "ssa")
    assert track.encoding
    for cue in track.cues:
        assert cue.start >= 0
        assert cue.start <= cue.end or track.format == "vtt"  # WebVTT keeps such a cue; no player shows it
        assert all("\n" not in line and "\r" not in line for line in cue.lines)


def _one(relative: str) -> Path:
    return CORPUS / relative


def test_gb2312_file_decodes_as_gb18030() -> None:
    track = read_track(_one("cdown__srt/srt_tools__tests__files__gb2312.srt"))
    assert track.encoding == "gb18030"
    assert track.cues[0].lines == ["宇宙守护神  保护我们远离邪恶"]


def test_gb18030_file_decodes() -> None:
    # A .txt in the corpus that is an SRT in GB18030.
    path = _one("mformigo__subtitle-tools/tests__Components__TextEncoding__Files__gb18030__gb18030-001-chi.txt")
    track = read_track(path, fmt="srt")
    assert track.encoding == "gb18030"
    assert track.cues[0].lines == ["阿甘正传"]
    assert track.cues[1].lines[0].startswith("你好，我叫弗勒斯，姓甘")


def test_traditional_text_in_gbk_is_not_taken_for_korean() -> None:
    # charset-normalizer alone says cp949 for this file.
    track = read_track(_one("simonrepp__titlekit/spec__transcoding__gb2312-ascii__in.srt"))
    assert track.encoding == "gb18030"
    assert track.cues[0].lines == ["寧為太平犬，不做亂世人"]


def test_windows_1252_and_utf8_versions_read_the_same() -> None:
    latin = read_track(_one("byroot__pysrt/tests__static__windows-1252.srt"))
    utf8 = read_track(_one("byroot__pysrt/tests__static__utf-8.srt"))
    assert latin.encoding == "cp1252"
    assert len(latin) == len(utf8) == 1332
    assert [c.lines for c in latin.cues] == [c.lines for c in utf8.cues]
    assert latin.cues[1].lines == ["CE FILM RELATE DES ÉVÉNEMENTS", "QUI ONT EXISTÉ."]


def test_french_cp1252_is_not_taken_for_central_european() -> None:
    # charset-normalizer alone says cp1250, which turns "è" into "č".
    track = read_track(_one("ngando59__ocr.jee-editeur-sous-titres/titanic-copie.srt"))
    assert track.encoding == "cp1252"
    assert track.cues[0].lines == ["13 mètres. Vous devriez le voir."]


def test_spanish_ssa_is_not_taken_for_big5() -> None:
    track = read_track(_one("mformigo__subtitle-tools/tests__Files__text__ssa__ssa03.ssa"))
    assert track.encoding == "cp1252"
    assert any("ñ" in cue.text or "¿" in cue.text for cue in track.cues)


@pytest.mark.parametrize("name", ["bom-utf-8", "bom-utf-16-le", "bom-utf-32-le", "no-indexes"])
def test_pysrt_fixtures_agree(name: str) -> None:
    track = read_track(_one(f"byroot__pysrt/tests__static__{name}.srt"))
    assert track.had_bom
    assert len(track) == 7
    assert track.cues[0].lines == ["About 2 months ago I found myself on", "the comment section of YouTube"]
    assert (track.cues[0].start, track.cues[0].end) == (6500, 9000)


def test_no_indexes_keeps_multi_line_cues() -> None:
    track = read_track(_one("byroot__pysrt/tests__static__no-indexes.srt"))
    assert track.cues[2].lines == [
        "And I",
        "posted underneath against",
        "this woman's tirades,",
        "against what is essentially",
        "the human race.",
    ]


def test_dots_in_timings() -> None:
    track = read_track(_one("mformigo__subtitle-tools/tests__Files__text__srt__dots-in-timings.srt"))
    assert len(track) == 3
    assert all(cue.end > cue.start > 0 for cue in track.cues)


def test_machine_translated_timing_lines_parse() -> None:
    # "00: 00: 00,807 -> 00: 00: 02,369" and later "- & gt;" for the arrow.
    track = read_track(_one("mformigo__subtitle-tools/tests__Files__text__srt__spaces-after-colons-and-single-dash-arrow.srt"))
    assert len(track) == 51
    assert (track.cues[0].start, track.cues[0].end) == (807, 2369)
    assert all(len(cue.lines) <= 3 for cue in track.cues)


def test_utf16_file_with_short_timestamps() -> None:
    # "00:01:39 --> 00:01:41,04": no milliseconds, two-digit fraction.
    track = read_track(_one("asticode__go-astisub/testdata__example-in-non-utf8.srt"))
    assert track.encoding == "utf-16-le"
    assert len(track) == 6


def test_ass_with_mixed_encodings_names_the_line() -> None:
    path = _one("mformigo__subtitle-tools/tests__Files__text__ass__ass04.ass")
    result = run_cli("convert", str(path), "-o", "/nonexistent-never-written/out.srt")
    assert_clean_error(result, f"{path}:122:", "mixed encodings")


@pytest.mark.parametrize(
    ("relative", "line", "fragment"),
    [
        ("glut23__webvtt-py/tests__subtitles__empty.vtt", 1, "empty"),
        ("cpetersen__srt/spec__fixtures__invalid.srt", 1, "no subtitle cues found"),
    ],
)
def test_malformed_on_purpose(relative: str, line: int, fragment: str) -> None:
    with pytest.raises(ScreenkitError) as caught:
        read_track(_one(relative))
    assert caught.value.line == line
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("relative", "line", "fragment"),
    [
        ("glut23__webvtt-py/tests__subtitles__invalid_timeframe.vtt", 6, "bad timestamp '00:00:1d.890'"),
        ("mozilla__vtt.js/tests__cue-times__incorrect-delimiter.vtt", 3, "bad timestamp '00.00.000'"),
    ],
)
def test_webvtt_bad_timing_skips_that_cue_only(relative: str, line: int, fragment: str) -> None:
    # The WebVTT parser algorithm skips the cue, not the file: one warning naming its line.
    track = read_track(_one(relative))
    skipped = [warning for warning in track.warnings if warning.kind == "dropped-cue"]
    assert [warning.line for warning in skipped] == [line]
    assert fragment in skipped[0].message


@pytest.mark.parametrize(
    ("relative", "line"),
    [("otsaloma__gaupol/data__samples__subrip.srt", (2, 7)), ("otsaloma__gaupol/data__samples__ass.ass", (24, 25))],
)
def test_gaupol_negative_times_are_clamped_with_a_warning_naming_the_line(relative: str, line: tuple[int, int]) -> None:
    """gaupol writes cues before zero: one that ends before zero is dropped, one that starts
    before it starts at zero, each with a warning naming its line; the file still reads."""
    track = read_track(_one(relative))
    assert track.cues and track.cues[0].start == 0 and all(cue.start >= 0 for cue in track.cues)
    assert [(w.line, w.kind) for w in track.warnings] == [(line[0], "dropped-negative"), (line[1], "negative-time")]


def test_chinese_ass_with_styles_and_utf16() -> None:
    path = _one("ChineseSubFinder__ChineseSubFinder/TestData__sub_parser__org__oslo.2021.1080p.web.h264-naisu.简体&英文.ass")
    track = read_track(path)
    assert track.encoding == "utf-16-le" and track.had_bom
    assert len(track) > 1000
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in cue.plain_text) for cue in track.cues)


def test_webvtt_cue_identifiers_stay_out_of_the_text() -> None:
    track = read_track(_one("glut23__webvtt-py/tests__subtitles__using_identifiers.vtt"))
    assert track.cues[0].lines == ["Caption text #1"]  # "second caption" is the next cue's identifier
    assert all(len(cue.lines) == 1 for cue in track.cues)
