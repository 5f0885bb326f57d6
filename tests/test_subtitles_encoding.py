"""Encodings real deliveries arrive in: detected, reported, decoded to the right text; output UTF-8."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from conftest import SAMPLES, assert_clean_error, run_cli

from toolkit.subtitles import read_track
from toolkit.subtitles.encoding import decode

SUBTITLES = SAMPLES / "paris-showcase" / "subtitles"

ZH_HANT = (
    "1\n00:00:01,000 --> 00:00:03,000\n寧為太平犬，不做亂世人\n\n"
    "2\n00:00:04,000 --> 00:00:06,500\n潮汐之內，她終於學會了呼吸\n\n"
    "3\n00:00:07,000 --> 00:00:09,000\n這座城市沒有開關\n可是我有\n\n"
    "4\n00:00:10,000 --> 00:00:12,000\n漆器上寫著「君幸食」三個字\n\n"
)


ZH_HANS = (SUBTITLES / "city-static.zh-Hans.srt").read_text(encoding="utf-8")
FR = (SUBTITLES / "tides-within.fr.srt").read_text(encoding="utf-8")
EN = (SUBTITLES / "tides-within.en.srt").read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


CASES = [
    # (label, text, bytes, expected codec, expected BOM)
    ("utf8", ZH_HANS, ZH_HANS.encode("utf-8"), "utf-8", False),
    ("utf8-bom", FR, codecs.BOM_UTF8 + FR.encode("utf-8"), "utf-8", True),
    ("utf16le-bom", ZH_HANS, codecs.BOM_UTF16_LE + ZH_HANS.encode("utf-16-le"), "utf-16-le", True),
    ("utf16be-bom", FR, codecs.BOM_UTF16_BE + FR.encode("utf-16-be"), "utf-16-be", True),
    ("utf16le-nobom", ZH_HANS, ZH_HANS.encode("utf-16-le"), "utf-16-le", False),
    ("utf16be-nobom", FR, FR.encode("utf-16-be"), "utf-16-be", False),
    ("utf16le-nobom-en", EN, EN.encode("utf-16-le"), "utf-16-le", False),
    ("gbk", ZH_HANS, ZH_HANS.encode("gbk"), "gb18030", False),
    ("gb2312", ZH_HANS, ZH_HANS.encode("gb2312"), "gb18030", False),
    ("big5", ZH_HANT, ZH_HANT.encode("big5"), "big5hkscs", False),
    ("cp1252-fr", FR, FR.encode("cp1252"), "cp1252", False),
]


@pytest.mark.parametrize(("label", "text", "data", "codec", "bom"), CASES, ids=[c[0] for c in CASES])
def test_detects_and_decodes(tmp_path: Path, label: str, text: str, data: bytes, codec: str, bom: bool) -> None:
    track = read_track(_write(tmp_path, f"{label}.srt", data))
    assert track.encoding == codec
    assert track.had_bom is bom
    expected = read_track(_write(tmp_path, "reference.srt", text.encode("utf-8")))
    assert [c.lines for c in track.cues] == [c.lines for c in expected.cues]
    assert [(c.start, c.end) for c in track.cues] == [(c.start, c.end) for c in expected.cues]


def test_gb18030_sample_and_gbk_differ_from_big5_reading() -> None:
    # The same bytes read as Big5 would be nonsense: detection must not pick it.
    data = (SUBTITLES / "lacquer-tray.zh-Hans.srt").read_bytes()
    decoded = decode(data)
    assert decoded.encoding == "gb18030"
    assert "马王堆一号汉墓被打开" in decoded.text
    assert "\r\n" in decoded.text  # line ends are the parser's business, not the decoder's


def test_french_cp1252_keeps_typography() -> None:
    decoded = decode(FR.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert "«\u00a0d’accord\u00a0»" in decoded.text
    assert "C’est notre ancienne maison\u00a0?" in decoded.text


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_line_ends(tmp_path: Path, newline: str) -> None:
    data = ZH_HANS.replace("\n", newline).encode("utf-8")
    track = read_track(_write(tmp_path, "ends.srt", data))
    reference = read_track(SUBTITLES / "city-static.zh-Hans.srt")
    assert [c.lines for c in track.cues] == [c.lines for c in reference.cues]
    assert len(track) == 27


def test_forced_encoding_wins_over_detection(tmp_path: Path) -> None:
    path = _write(tmp_path, "latin.srt", "1\n00:00:01,000 --> 00:00:02,000\nÀ bientôt\n".encode("latin-1"))
    assert read_track(path, encoding="latin-1").cues[0].lines == ["À bientôt"]
    assert read_track(path, encoding="latin-1").encoding == "cp1252"


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (ZH_HANS.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_BE + FR.encode("utf-16-be"), "utf-16-be"),
        (FR.encode("cp1252"), "cp1252"),
        (ZH_HANT.encode("big5"), "big5hkscs"),
    ],
    ids=["gbk", "utf16be", "cp1252", "big5"],
)
def test_convert_reports_source_encoding_and_writes_utf8(tmp_path: Path, data: bytes, codec: str) -> None:
    source = _write(tmp_path, "in.srt", data)
    target = tmp_path / "out.srt"
    result = run_cli("convert", str(source), "-o", str(target), "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["source_encoding"] == codec
    out = target.read_bytes()
    assert not out.startswith(codecs.BOM_UTF8)
    text = out.decode("utf-8")  # raises if not UTF-8
    assert "\r" not in text
    assert [c.lines for c in read_track(target).cues] == [c.lines for c in read_track(source).cues]


def test_convert_writes_bom_only_when_asked(tmp_path: Path) -> None:
    source = SUBTITLES / "lacquer-tray.zh-Hans.srt"
    target = tmp_path / "with-bom.vtt"
    assert run_cli("convert", str(source), "-o", str(target), "--bom").code == 0
    data = target.read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + b"WEBVTT")
    assert "马王堆一号汉墓被打开" in data.decode("utf-8-sig")


def test_forced_wrong_encoding_is_a_clean_error(tmp_path: Path) -> None:
    source = _write(tmp_path, "zh.srt", ZH_HANS.encode("gb18030"))
    result = run_cli("convert", str(source), "-o", str(tmp_path / "out.srt"), "--encoding", "utf-8")
    # Line 3: the first line of Chinese text, where the GB18030 bytes begin.
    assert_clean_error(result, f"{source}:3:", "not valid utf-8")
    assert not (tmp_path / "out.srt").exists()


def test_unknown_encoding_name_is_a_clean_error(tmp_path: Path) -> None:
    result = run_cli("convert", str(SUBTITLES / "tides-within.fr.srt"), "-o", str(tmp_path / "o.srt"), "--encoding", "klingon")
    assert_clean_error(result, "unknown encoding 'klingon'")
