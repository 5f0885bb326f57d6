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
    assert config_for(ZH_HANS, ZH_HANT) == "s2tw"  # standard glyph forms, without s2t's archaic 喫 and 爲
    assert config_for(ZH_HANS, ZH_HANT_TW) == "s2twp"
    assert config_for(ZH_HANS, ZH_HANT_HK) == "s2hk"
    assert config_for(ZH_HANT_TW, ZH_HANS) == "tw2sp"
    assert config_for(ZH_HANT_HK, ZH_HANS) == "hk2s"
    assert config_for(ZH_HANT, ZH_HANS) == "tw2s"
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
    from toolkit.chinese.convert import CueChange

    changes: list[CueChange] = []
    traditional = convert_track(track, parse_language(region), changes=changes)
    assert traditional.language.tag == region
    assert count_script("".join(c.plain_text for c in traditional.cues)).script in ("Hant", None)
    back = convert_track(traditional, ZH_HANS)
    # A regional word (空调 → 冷氣) does not come back as the mainland one: only the other cues round-trip.
    regional = {c.cue for c in changes if c.change.source != c.change.target and "phrases-hant" not in c.change.origin}
    assert len(regional) < len(track.cues) / 4
    keep = [i for i in range(len(track.cues)) if i + 1 not in regional]
    assert [back.cues[i].lines for i in keep] == [track.cues[i].lines for i in keep]
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
    assert read_track(taiwan).cues[0].lines == ["一九七二年，長沙東郊", "馬王堆一號漢墓被打開"]  # not s2twp's 開啟
    back = tmp_path / "back.srt"
    assert run_cli("convert", str(taiwan), "-o", str(back), "--script", "zh-Hans").code == 0
    assert [c.lines for c in read_track(back).cues] == [c.lines for c in read_track(source).cues]  # tw2sp
    # The name says nothing: the script is told from the text (generic Traditional: tw2s).
    unnamed = tmp_path / "unnamed.srt"
    unnamed.write_bytes(taiwan.read_bytes())
    result = run_cli("convert", str(unnamed), "-o", str(back), "--script", "zh-Hans", "--format", "json")
    assert result.code == 0 and json.loads(result.stdout)["script"]["opencc"] == "tw2s"
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


# --- issue 22: whole lines through OpenCC, screenkit's phrase layer, names, quotes ----------------

from pathlib import Path  # noqa: E402

from toolkit.chinese.convert import PHRASE_LAYERS, Change, phrase_layer  # noqa: E402

CASES = Path(__file__).parent / "data" / "chinese" / "phrase-cases.tsv"
REGION_CONFIG = {"zh-Hant": "s2tw", "zh-Hant-TW": "s2twp", "zh-Hant-HK": "s2hk"}


def _cases() -> list[tuple[str, str, str]]:
    rows = [line.split("\t") for line in CASES.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [(a, b, c) for a, b, c in rows[1:]]


@pytest.mark.parametrize(("tag", "source", "expected"), _cases(), ids=[f"{t}-{s}" for t, s, _ in _cases()])
def test_phrase_case_converts_as_written(tag: str, source: str, expected: str) -> None:
    assert convert_text(source, REGION_CONFIG[tag]) == expected


def _entries() -> list[tuple[str, str, str]]:
    """(config, source, origin) for every entry of every phrase file, through the target that uses it."""
    seen: dict[str, tuple[str, str, str]] = {}
    for config in REGION_CONFIG.values():
        for phrase in phrase_layer(config).values():
            seen.setdefault(phrase.origin, (config, phrase.source, phrase.origin))
    return sorted(seen.values(), key=lambda e: e[2])


@pytest.mark.parametrize(("config", "source", "origin"), _entries(), ids=[e[2] for e in _entries()])
def test_every_phrase_entry_is_used_by_a_sentence_of_the_test_data(config: str, source: str, origin: str) -> None:
    """Each entry has a sentence that converts through it (the explain notes say so) and comes out as written."""
    used = []
    for tag, sentence, expected in _cases():
        changes: list[Change] = []
        out = convert_text(sentence, REGION_CONFIG[tag], changes=changes)
        if any(change.origin == origin for change in changes):
            used.append((sentence, out == expected))
    assert used, f"no sentence in {CASES.name} uses {origin} ({source})"
    assert all(ok for _, ok in used)


def test_phrase_files_are_read_with_their_line_numbers() -> None:
    assert PHRASE_LAYERS["s2twp"] == ("hant", "tw")
    taiwan = phrase_layer("s2twp")
    assert taiwan["土豆"].target == "馬鈴薯" and taiwan["土豆"].origin.startswith("phrases-tw.tsv:")
    assert taiwan["个旧"].origin.startswith("phrases-hant.tsv:")  # the generic layer serves every region
    assert "土豆" not in phrase_layer("s2tw")  # generic zh-Hant: no regional words


@pytest.mark.parametrize("config", ["s2tw", "s2twp", "s2hk"])
def test_gejiu_is_not_read_into_yi_ge_jiu(config: str) -> None:
    out = convert_text("墙上挂着一个旧钟表", config)
    assert "一箇" not in out and "一個舊鐘錶" in out
    assert convert_text("她在个旧出生", config) == "她在個舊出生"  # the city is 個舊, never 箇舊


@pytest.mark.parametrize("config", ["s2tw", "s2twp", "s2hk"])
@pytest.mark.parametrize(
    ("source", "expected"),
    [("余先生", "余先生"), ("这是余老师的办公室", "余老師"), ("老余，你来一下", "老余，"), ("其余的人", "其餘的人"),
     ("业余老师", "業餘老師"), ("多余", "多餘")],
)
def test_surname_yu_keeps_its_form_and_surplus_does_not(config: str, source: str, expected: str) -> None:
    changes: list[Change] = []
    assert expected in convert_text(source, config, changes=changes)
    assert any("surname" in c.origin for c in changes) == (expected[0] == "余" or "余" in expected)


def test_generic_traditional_writes_chi_not_the_archaic_form() -> None:
    lines = ["我们去吃饭", "你吃过早饭了吗？", "他喜欢吃辣的", "我们先吃点东西吧", "吃一堑，长一智", "吃醋"]
    for line in lines:
        out = convert_text(line, config_for(ZH_HANS, ZH_HANT) or "")
        assert "喫" not in out and "吃" in out
    assert "爲" not in convert_text("为什么", "s2tw")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("打开门", "打開門"), ("法律程序", "法律程序"), ("我收到一条信息", "我收到一條訊息"),
        ("土豆", "馬鈴薯"), ("质量", "品質"), ("菠萝", "鳳梨"), ("悉尼", "雪梨"), ("宕机", "當機"),
        ("数字时代", "數位時代"), ("把U盘插上", "把隨身碟插上"), ("去做B超", "去做超音波"),
    ],
)
def test_taiwan_words_from_the_issue(source: str, expected: str) -> None:
    assert convert_text(source, "s2twp") == expected


def test_latin_letters_reach_opencc_with_the_han_around_them() -> None:
    assert convert_text("U盘", "s2twp") == "隨身碟"
    assert convert_text("B超", "s2twp") == "超音波"
    assert convert_text("<i>B超</i>", "s2twp") == "<i>超音波</i>"
    assert convert_text("B超", "s2hk") == "超聲波"


@pytest.mark.parametrize("config", ["s2twp", "s2hk"])
def test_quotes_become_the_regions_corner_brackets(config: str) -> None:
    out = convert_text("他说：“你好，‘朋友’。”", config)
    assert out.endswith("：「你好，『朋友』。」")
    assert convert_text(out, "tw2sp" if config == "s2twp" else "hk2s") == "他说：“你好，‘朋友’。”"


def test_generic_traditional_keeps_the_quotes_it_was_given() -> None:
    assert convert_text("“你好”", "s2tw") == "“你好”"  # zh-Hant has no regional quote style in the profiles


def test_converted_taiwan_track_passes_its_own_quote_check(tmp_path) -> None:
    from toolkit.qc import lint_track, load_profile

    path = tmp_path / "q.zh-Hans.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:04,000\n他说：“你好，‘朋友’。”\n", encoding="utf-8")
    taiwan = convert_track(read_track(path), ZH_HANT_TW)
    codes = {finding.code for finding in lint_track(taiwan, load_profile("netflix", ZH_HANT_TW))}
    assert "SK311" not in codes


def test_glossary_names_win_over_the_phrase_layer() -> None:
    assert convert_text("土豆先生来了", "s2twp", protect={"土豆先生": "土豆先生"}) == "土豆先生來了"
    changes: list[Change] = []
    convert_text("土豆先生来了", "s2twp", protect=["土豆先生"], changes=changes)
    assert [c.origin for c in changes] == ["glossary"]


def test_track_changes_name_cue_and_line(tmp_path) -> None:
    from toolkit.chinese.convert import CueChange

    path = tmp_path / "t.zh-Hans.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:04,000\n你好\n晚饭吃土豆\n", encoding="utf-8")
    changes: list[CueChange] = []
    out = convert_track(read_track(path), ZH_HANT_TW, changes=changes)
    assert out.cues[0].lines == ["你好", "晚飯吃馬鈴薯"]
    assert [(c.cue, c.change.line, c.change.source, c.change.target) for c in changes] == [(1, 1, "土豆", "馬鈴薯")]


def test_cli_convert_explain_lists_the_phrase_rules(tmp_path) -> None:
    import json

    from conftest import run_cli

    source = tmp_path / "t.zh-Hans.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:04,000\n晚饭吃土豆\n\n2\n00:00:05,000 --> 00:00:08,000\n余先生\n", encoding="utf-8")
    out = tmp_path / "t.zh-Hant-TW.srt"
    result = run_cli("convert", str(source), "-o", str(out), "--script", "zh-Hant-TW", "--explain")
    assert result.code == 0, result.stderr
    assert "cue 1, line 1: 土豆 -> 馬鈴薯 (phrases-tw.tsv:" in result.stderr
    assert "cue 2, line 1: 余 -> 余 (rule: 余 as a surname" in result.stderr
    result = run_cli("convert", str(source), "-o", str(out), "--script", "zh-Hant-TW", "--explain", "--format", "json")
    phrases = json.loads(result.stdout)["phrases"]
    assert phrases[0]["from"] == "土豆" and phrases[0]["cue"] == 1 and phrases[0]["rule"].startswith("phrases-tw.tsv:")
    assert run_cli("convert", str(source), "-o", str(out), "--explain").code == 2
