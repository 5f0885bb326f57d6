"""Encoding detection that is right or says it cannot tell: one test per failure of issue 10.

Every file is built here from text and a codec, so each test knows the right answer.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli

from toolkit.errors import ScreenkitError
from toolkit.subtitles import read_track
from toolkit.subtitles.encoding import _common_hanzi, decode


def srt(*texts: str) -> str:
    return "".join(
        f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{text}\n\n" for n, text in enumerate(texts, start=1)
    )


SPANISH_SSA = (
    "[Script Info]\nScriptType: v4.00\n\n[V4 Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour, BackColour, Bold, Italic, "
    "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, AlphaLevel, Encoding\n"
    "Style: Default,Arial,20,16777215,65535,65535,0,0,0,1,2,2,2,10,10,10,0,0\n\n[Events]\n"
    "Format: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: Marked=0,0:00:01.00,0:00:02.00,Default,,0000,0000,0000,,¡Jack! ¿Dónde estás?\n"
    "Dialogue: Marked=0,0:00:03.00,0:00:04.00,Default,,0000,0000,0000,,Aquí, en la cañada.\n"
    "Dialogue: Marked=0,0:00:05.00,0:00:06.00,Default,,0000,0000,0000,,¡Ánimo, Jack!\n"
)


def _write(tmp_path: Path, name: str, text: str, codec: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(codec))
    return path


def test_cp1252_spanish_ssa_is_not_read_as_big5(tmp_path: Path) -> None:
    track = read_track(_write(tmp_path, "film.ssa", SPANISH_SSA, "cp1252"))
    assert track.encoding == "cp1252"
    assert track.cues[0].plain_text == "¡Jack! ¿Dónde estás?"


def test_short_french_latin1_dense_in_accents_is_not_cp1257(tmp_path: Path) -> None:
    text = srt("Déjà été, là-bas.", "Ça règne à côté.")
    track = read_track(_write(tmp_path, "court.srt", text, "latin-1"))
    assert track.encoding == "cp1252"
    assert [c.plain_text for c in track.cues] == ["Déjà été, là-bas.", "Ça règne à côté."]


JAPANESE = ("こんにちは、元気ですか？", "今日はとても寒いですね。", "映画館で会いましょう。")
KOREAN = ("안녕하세요 잘 지냈어요", "오늘은 정말 춥네요", "극장에서 만나요 내일")


@pytest.mark.parametrize("codec", ["euc_jp", "shift_jis"])
@pytest.mark.parametrize("name", ["film.srt", "film.ja.srt"])
def test_japanese_is_read_as_japanese_never_chinese(tmp_path: Path, codec: str, name: str) -> None:
    track = read_track(_write(tmp_path, name, srt(*JAPANESE), codec))
    assert track.encoding == codec
    assert [c.plain_text for c in track.cues] == list(JAPANESE)


@pytest.mark.parametrize("name", ["film.srt", "film.ko.srt"])
def test_korean_euc_kr_is_read_as_korean_never_chinese(tmp_path: Path, name: str) -> None:
    try:
        track = read_track(_write(tmp_path, name, srt(*KOREAN), "euc_kr"))
    except ScreenkitError as error:  # refused is allowed: never decoded as Chinese
        assert "--encoding" in error.message and "euc_kr" in error.message
        return
    assert track.encoding == "euc_kr"
    assert [c.plain_text for c in track.cues] == list(KOREAN)


def test_gb18030_file_with_one_utf8_line_is_refused_naming_the_line(tmp_path: Path) -> None:
    lines = ["一九七二年，长沙东郊", "马王堆一号汉墓被打开", "墓主是西汉长沙国丞相的夫人"]
    data = srt(*lines).encode("gb18030")
    pasted = "漆是在湿气中变硬的".encode()
    data = data.replace("马王堆一号汉墓被打开".encode("gb18030"), pasted)
    path = tmp_path / "mixed.zh.srt"
    path.write_bytes(data)
    with pytest.raises(ScreenkitError) as caught:
        read_track(path)
    assert caught.value.line == 7 and "mixed encodings" in caught.value.message
    assert "UTF-8" in caught.value.message and "gb18030" in caught.value.message
    assert_clean_error(run_cli("lint", str(path)), f"{path}:7:", "mixed encodings")


def _ambiguous_pairs() -> list[bytes]:
    """Byte pairs that are everyday hanzi both in GBK and in Big5, with different characters."""
    common = _common_hanzi()
    found = []
    for lead, trail in itertools.product(range(0xB0, 0xC6), range(0xA1, 0xFE)):
        pair = bytes((lead, trail))
        try:
            gb, big5 = pair.decode("gb18030"), pair.decode("big5hkscs")
        except UnicodeDecodeError:
            continue
        if gb != big5 and gb in common and big5 in common:
            found.append(pair)
    return found


def test_ambiguous_bytes_are_refused_naming_both_candidates_and_encoding(tmp_path: Path) -> None:
    pairs = _ambiguous_pairs()
    assert len(pairs) > 100
    body = b"".join(pairs[:8]) + b"\n" + b"".join(pairs[8:16])
    data = b"1\n00:00:01,000 --> 00:00:02,000\n" + body + b"\n"
    path = tmp_path / "unknown.srt"
    path.write_bytes(data)
    result = run_cli("lint", str(path))
    assert_clean_error(result, str(path), "cannot tell the text encoding")
    assert "gb18030" in result.stderr and "big5hkscs" in result.stderr and "--encoding" in result.stderr
    # The user's answer is taken as given.
    assert read_track(path, encoding="big5hkscs").encoding == "big5hkscs"
    with pytest.raises(ScreenkitError, match=r"say --encoding (gb18030|big5hkscs) or --encoding (gb18030|big5hkscs)"):
        decode(data, path=str(path))


def test_declared_language_settles_a_close_call(tmp_path: Path) -> None:
    pairs = _ambiguous_pairs()
    body = b"".join(pairs[:8])
    data = b"1\n00:00:01,000 --> 00:00:02,000\n" + body + b"\n"
    assert decode(data, language="zh-Hant").encoding in ("big5hkscs", "gb18030")  # decided, not refused
