"""Simplified ↔ Traditional conversion with OpenCC: phrases, regions, what never changes."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.chinese import config_for, convert_text, convert_track, count_script
from toolkit.errors import ScreenkitError
from toolkit.languages import EN, ZH_HANS, ZH_HANT, ZH_HANT_HK, ZH_HANT_TW, parse_language
from toolkit.subtitles import read_track

SAMPLE_TRACKS = sorted(SAMPLES.glob("*/subtitles/*.zh-Hans.srt"))


@pytest.mark.parametrize(
    ("text", "config", "expected"),
    [
        ("她的头发很长", "s2t", "她的頭髮很長"),  # 发 → 髮 in 头发, not 發
        ("头发很干", "s2t", "頭髮很乾"),  # 干 → 乾 (dry), settled by the phrase
        ("他是干部", "s2t", "他是幹部"),  # 干 → 幹 in 干部
        ("出发去软件公司", "s2t", "出發去軟件公司"),  # 发 → 發 in 出发
        ("这个软件的视频", "s2twp", "這個軟體的影片"),  # Taiwan vocabulary
        ("鼠标和出租车", "s2twp", "滑鼠和計程車"),
        ("鼠标和出租车", "s2tw", "鼠標和出租車"),  # Taiwan glyphs, mainland words
        ("为什么在里面", "s2tw", "為什麼在裡面"),
        ("为什么在里面，台面", "s2hk", "為什麼在裏面，枱面"),  # Hong Kong glyph forms
    ],
)
def test_phrase_and_regional_conversion(text: str, config: str, expected: str) -> None:
    assert convert_text(text, config) == expected


@pytest.mark.parametrize(
    ("text", "config", "expected"),
    [
        ("頭髮很乾", "t2s", "头发很干"),
        ("他是幹部，乾隆年間", "t2s", "他是干部，乾隆年间"),  # 乾隆 keeps its 乾
        ("若干年後", "t2s", "若干年后"),
        ("這個軟體的影片", "tw2sp", "这个软件的视频"),  # Taiwan words back to mainland ones
        ("滑鼠和計程車", "tw2sp", "鼠标和出租车"),
        ("為什麼在裏面，枱面", "hk2s", "为什么在里面，台面"),
    ],
)
def test_back_to_simplified_puts_gan_the_right_way_round(text: str, config: str, expected: str) -> None:
    assert convert_text(text, config) == expected


def test_configuration_per_language_pair() -> None:
    assert config_for(ZH_HANS, ZH_HANT) == "s2t"
    assert config_for(ZH_HANS, ZH_HANT_TW) == "s2twp"
    assert config_for(ZH_HANS, ZH_HANT_HK) == "s2hk"
    assert config_for(ZH_HANT_TW, ZH_HANS) == "tw2sp"
    assert config_for(ZH_HANT_HK, ZH_HANS) == "hk2s"
    assert config_for(ZH_HANT, ZH_HANS) == "t2s"
    assert config_for(ZH_HANT, ZH_HANT_TW) == "t2tw"
    assert config_for(ZH_HANS, ZH_HANS) is None
    assert config_for(EN, ZH_HANT) is None


def test_markup_latin_digits_and_placeholders_are_never_converted() -> None:
    text = '<font color="#ffff00">软件</font>{\\an8} Li Bai 说 [T0] 2024年 台 ABC 发'
    out = convert_text(text, "s2twp")
    assert out == '<font color="#ffff00">軟體</font>{\\an8} Li Bai 說 [T0] 2024年 臺 ABC 發'


def test_protected_names_stay_as_written() -> None:
    assert convert_text("张艺谋的电影在台湾", "s2twp", protect=["张艺谋"]) == "张艺谋的電影在臺灣"
    assert convert_text("张艺谋的电影", "s2twp") == "張藝謀的電影"


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["头发", "软件", "干部", "里面", "<i>", "</i>", "{\\an8}", "Li", " ", "2024", "，", "。", "[T0]", "视频", "出租车"]),
            st.text(alphabet="汉字简体繁中文的了是在我你他她们", min_size=1, max_size=4),
        ),
        max_size=12,
    ),
    st.sampled_from(["s2t", "s2tw", "s2twp", "s2hk", "t2s", "tw2sp", "hk2s"]),
)
def test_conversion_changes_only_han_characters(parts: list[str], config: str) -> None:
    text = "".join(parts)
    out = convert_text(text, config)
    # Everything that is not Han (markup, Latin, digits, punctuation, spaces) is kept, in order.
    assert HAN.sub("", out) == HAN.sub("", text)


@pytest.mark.parametrize("path", SAMPLE_TRACKS, ids=[p.name for p in SAMPLE_TRACKS])
@pytest.mark.parametrize("region", ["zh-Hant", "zh-Hant-TW", "zh-Hant-HK"])
def test_sample_tracks_round_trip_through_traditional(path, region: str) -> None:
    track = read_track(path)
    assert track.language == ZH_HANS
    traditional = convert_track(track, parse_language(region))
    assert traditional.language.tag == region
    assert count_script("".join(c.plain_text for c in traditional.cues)).script in ("Hant", None)
    back = convert_track(traditional, ZH_HANS)
    assert [c.lines for c in back.cues] == [c.lines for c in track.cues]
    for a, b in zip(track.cues, traditional.cues, strict=True):
        assert (a.start, a.end, len(a.lines)) == (b.start, b.end, len(b.lines))


def test_converting_a_track_that_is_not_chinese_is_refused() -> None:
    track = read_track(SAMPLES / "paris-showcase" / "subtitles" / "lacquer-tray.en.srt")
    with pytest.raises(ScreenkitError, match="Chinese track"):
        convert_track(track, ZH_HANT)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("这是一个测试。他们说话", "Hans"),
        ("這是一個測試。他們說話", "Hant"),
        ("頭髮很乾，軟體", "Hant"),
        ("我是你的朋友", None),  # no telling character
        ("干涉若干", None),  # 干 in a Traditional phrase tells nothing
        ("这是這是这是這是", None),  # mixed: no clear majority
    ],
)
def test_script_counts_decide_only_on_clear_evidence(text: str, script: str | None) -> None:
    assert count_script(text).script == script


def test_cli_convert_script_writes_the_other_script_and_round_trips(tmp_path) -> None:
    import json

    from conftest import run_cli

    source = SAMPLES / "paris-showcase" / "subtitles" / "lacquer-tray.zh-Hans.srt"
    taiwan = tmp_path / "lacquer-tray.zh-Hant-TW.srt"
    result = run_cli("convert", str(source), "-o", str(taiwan), "--script", "zh-Hant-TW", "--format", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["script"] == {"from": "zh-Hans", "to": "zh-Hant-TW", "opencc": "s2twp"}
    assert read_track(taiwan).cues[0].lines == ["一九七二年，長沙東郊", "馬王堆一號漢墓被開啟"]
    back = tmp_path / "back.srt"
    assert run_cli("convert", str(taiwan), "-o", str(back), "--script", "zh-Hans").code == 0
    assert [c.lines for c in read_track(back).cues] == [c.lines for c in read_track(source).cues]  # tw2sp
    # The name says nothing: the script is told from the text (generic Traditional: t2s).
    unnamed = tmp_path / "unnamed.srt"
    unnamed.write_bytes(taiwan.read_bytes())
    result = run_cli("convert", str(unnamed), "-o", str(back), "--script", "zh-Hans", "--format", "json")
    assert result.code == 0 and json.loads(result.stdout)["script"]["opencc"] == "t2s"
    assert count_script("".join(c.plain_text for c in read_track(back).cues)).script == "Hans"


def test_cli_convert_script_refuses_text_that_is_not_chinese(tmp_path) -> None:
    from conftest import run_cli

    out = tmp_path / "x.srt"
    english = SAMPLES / "paris-showcase" / "subtitles" / "lacquer-tray.en.srt"
    result = run_cli("convert", str(english), "-o", str(out), "--script", "zh-Hant")
    assert result.code == 2 and "not Chinese" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    result = run_cli("convert", str(english), "-o", str(out), "--script", "fr")
    assert result.code == 2 and not out.exists()
