"""Bilingual tags (issue 22): film.zh-Hans+en.srt read from its name, --lang zh-Hant-TW+en, and
a zh/en/zh/en cue identified as Mandarin with English, never as Cantonese or Wu."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from toolkit.errors import ScreenkitError
from toolkit.languages import (
    EN,
    FR,
    ZH_HANS,
    ZH_HANT_TW,
    language_from_filename,
    languages_from_filename,
    parse_bilingual,
)
from toolkit.subtitles import read_track
from toolkit.subtitles.model import Cue

BILINGUAL = (
    "1\n00:00:01,000 --> 00:00:04,000\n我们明天早上去博物馆\nWe go to the museum tomorrow morning\n\n"
    "2\n00:00:05,000 --> 00:00:08,000\n那件漆器两千多年了\nThat lacquer piece is over two thousand years old\n\n"
    "3\n00:00:09,000 --> 00:00:12,000\n颜色还是那么鲜亮\nIts colours are still as bright as ever\n"
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("film.zh-Hans+en.srt", (ZH_HANS, EN)),
        ("film.zh-Hant-TW+fr.srt", (ZH_HANT_TW, FR)),
        ("film.zh-Hans.srt", (ZH_HANS, None)),
        ("film.en+fr.srt", None),  # two Latin languages: not a bilingual tag
        ("film.srt", None),
    ],
)
def test_bilingual_file_names(name: str, expected) -> None:
    assert languages_from_filename(name) == expected
    assert language_from_filename(name) == (expected[0] if expected else None)


def test_a_bilingual_name_is_read_as_bilingual(tmp_path) -> None:
    path = tmp_path / "film.zh-Hans+en.srt"
    path.write_text(BILINGUAL, encoding="utf-8")
    track = read_track(path)
    assert (track.language, track.secondary_language) == (ZH_HANS, EN)
    result = run_cli("lint", str(path), "--format", "json")
    assert json.loads(result.stdout)["files"][0]["language"] == "zh-Hans+en"


def test_lang_accepts_a_bilingual_pair(tmp_path) -> None:
    assert parse_bilingual("zh-Hant-TW+en") == (ZH_HANT_TW, EN)
    assert parse_bilingual("zh-hans+FR") == (ZH_HANS, FR)
    assert parse_bilingual("en") == (EN, None)
    for bad in ("en+fr", "zh-Hans+zh-Hant", "zh-Hans+xx"):
        with pytest.raises(ScreenkitError):
            parse_bilingual(bad)
    path = tmp_path / "film.srt"
    path.write_text(BILINGUAL.replace("我们", "我們").replace("那件", "那件"), encoding="utf-8")
    result = run_cli("lint", str(path), "--lang", "zh-Hant-TW+en", "--format", "json")
    assert result.code in (0, 1), result.stderr
    report = json.loads(result.stdout)["files"][0]
    assert report["language"] == "zh-Hant-TW+en" and report["language_source"] == "--lang"
    refused = run_cli("lint", str(path), "--lang", "en+fr")
    assert refused.code == 2 and "bilingual language" in refused.stderr


def test_a_zh_en_zh_en_cue_is_mandarin_with_english_never_a_chinese_variety() -> None:
    from toolkit.qc.langid import identify_track

    cues = [
        Cue(i * 5000, i * 5000 + 4000, ["我们明天早上去博物馆", "We go to the museum tomorrow", "你也一起来吧", "You come along too"])
        for i in range(6)
    ]
    found = identify_track(cues, " ".join(" ".join(cue.lines) for cue in cues))
    assert found.code == "zh" and found.secondary_code == "en"
    assert found.tag == "zh-Hans+en"


def test_an_identifier_naming_cantonese_for_han_text_means_chinese(monkeypatch) -> None:
    from toolkit.qc import langid

    class Fake:
        def classify(self, text: str) -> tuple[str, float]:
            return "yue", 0.8

    monkeypatch.setattr(langid, "_identifier", lambda: Fake())
    language, code, _ = langid.identify_language("我们明天早上去博物馆看看那件漆器")
    assert code == "zh" and language == ZH_HANS
