"""Lint a Chinese editor trusts (issue 22): non-dialogue events, the right dash, tags that need
closing, each language of a bilingual cue on its own, the script line by line, and the new rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from qc_support import codes, fixed, make_track

from toolkit.qc import lint_track, load_profile
from toolkit.qc.kinds import DIALOGUE, NOTE, SIGN, SONG, event_kind, event_kinds
from toolkit.qc.registry import RULES, explain
from toolkit.subtitles import read_track
from toolkit.subtitles.model import Cue

ASS_HEAD = """[Script Info]
ScriptType: v4.00+
PlayResX: 1920
PlayResY: 1080

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,60,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1
Style: 注释,Arial,50,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1
Style: OP-CH,Arial,50,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1
Style: Top,Arial,50,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,8,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""


def _ass(tmp_path: Path, *events: str, name: str = "film.zh-Hans.ass"):
    path = tmp_path / name
    path.write_text(ASS_HEAD + "\n".join(events) + "\n", encoding="utf-8")
    return read_track(path)


def _lint(track, profile: str = "netflix") -> list[str]:
    return [d.code for d in lint_track(track, load_profile(profile, track.language))]


# ------------------------------------------------------------------ what an event is


@pytest.mark.parametrize(
    ("cue", "kind"),
    [
        (Cue(0, 1, ["他们走了"]), DIALOGUE),
        (Cue(0, 1, ["{\\pos(448,371)}本片真实地再现了"]), SIGN),
        (Cue(0, 1, ["{\\move(261,288,260,203)}判斷"]), SIGN),
        (Cue(0, 1, ["德国搪瓷厂"], style="注释"), SIGN),
        (Cue(0, 1, ["Give me fire"], style="OP-CH"), SONG),
        (Cue(0, 1, ["♪ 我的心 ♪"]), SONG),
        (Cue(0, 1, ["《洛基》"]), SIGN),
        (Cue(0, 1, ["2077年"]), SIGN),
        (Cue(0, 1, ["一九四二年冬"]), SIGN),
        (Cue(0, 1, ["2077年我们都老了"]), DIALOGUE),
        (Cue(0, 1, ["洛基", "第一季"], alignment=8), SIGN),
        (Cue(0, 1, ["（注：巴勒斯坦解放组织）"]), NOTE),
        (Cue(0, 1, ["像松鼠"], style="Dial_CH"), DIALOGUE),
    ],
)
def test_event_kinds(cue: Cue, kind: str) -> None:
    assert event_kind(cue) == kind


def test_a_top_style_is_not_a_top_card_by_itself(tmp_path: Path) -> None:
    track = _ass(tmp_path, "Dialogue: 0,0:00:01.00,0:00:03.00,Top,,0,0,0,,我们走吧", "Dialogue: 0,0:00:04.00,0:00:06.00,Default,,0,0,0,,{\\an8}洛基")
    assert event_kinds(track) == [DIALOGUE, SIGN]


def test_signs_titles_songs_and_notes_are_held_to_their_own_rules(tmp_path: Path) -> None:
    long_sign = "\\N".join(["犹太人被强迫登记所有亲属户口"] * 3)
    track = _ass(
        tmp_path,
        f"Dialogue: 0,0:00:01.00,0:00:20.00,注释,,0,0,0,,{long_sign}",  # 19 s, 3 lines, fast
        "Dialogue: 0,0:00:01.00,0:00:12.00,Default,,0,0,0,,{\\pos(942,635)}制 片\\N史蒂文·斯皮尔伯格\\N杰拉尔德·R·莫伦",
        "Dialogue: 0,0:00:02.00,0:00:11.00,OP-CH,,0,0,0,,{\\fad(150,150)}给我火焰 让我燃烧 直到世界尽头的那一天",
        "Dialogue: 0,0:00:13.00,0:00:16.00,Default,,0,0,0,,他们走了",
    )
    found = _lint(track)
    for code in ("SK101", "SK102", "SK103", "SK104", "SK105", "SK201", "SK202", "SK203"):
        assert code not in found, (code, found)
    # The same text as dialogue is flagged.
    dialogue = _ass(tmp_path, f"Dialogue: 0,0:00:01.00,0:00:20.00,Default,,0,0,0,,{long_sign}", name="d.zh-Hans.ass")
    assert {"SK102", "SK202"} <= set(_lint(dialogue))


def test_fix_leaves_signs_lines_and_times_alone(tmp_path: Path) -> None:
    from toolkit.qc import fix_track

    track = _ass(tmp_path, "Dialogue: 0,0:00:01.00,0:00:20.00,注释,,0,0,0,,一九四二年冬 克拉科夫犹太人区\\N波兰人与波兰犹太人这时已经被明确隔离")
    result = fix_track(track, load_profile("netflix", track.language))
    assert result.track.cues[0].lines == track.cues[0].lines
    assert (result.track.cues[0].start, result.track.cues[0].end) == (1000, 20000)


# ------------------------------------------------------------------ SK312, SK313, SK314


def test_full_width_dialogue_dashes_are_not_sk312_and_their_fix_never_merges_speakers() -> None:
    line = "－我国安全了 你们才有份 －你终于露出真面目了"
    track = make_track((0, 6000, line), lang="zh-Hans")
    found = codes(track, "netflix")
    assert "SK312" not in found and {"SK313", "SK314"} <= set(found)
    after, _ = fixed(track, "netflix")
    assert after.cues[0].lines == ["-我国安全了 你们才有份", "-你终于露出真面目了"]
    assert "——" not in "".join(after.cues[0].lines)


def test_the_connecting_dash_is_left_alone() -> None:
    track = make_track((0, 4000, "北京—上海的高铁"), lang="zh-Hans")
    assert "SK312" not in codes(track, "netflix")
    after, _ = fixed(track, "netflix")
    assert after.cues[0].lines == ["北京—上海的高铁"]


@pytest.mark.parametrize(("text", "expected"), [("他说--我不去", "他说——我不去"), ("他说 — 我不去", "他说——我不去"), ("我－－你", "我——你")])
def test_sk312_finds_and_fixes_the_english_dash(text: str, expected: str) -> None:
    track = make_track((0, 4000, text), lang="zh-Hans")
    assert "SK312" in codes(track, "netflix")
    assert fixed(track, "netflix")[0].cues[0].lines == [expected]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("-A级紧急情况 -总部", ["-A级紧急情况", "-总部"]),
        ("-你去哪儿了 -我去买菜了", ["-你去哪儿了", "-我去买菜了"]),
        ("-Where were you? -Shopping.", ["-Where were you?", "-Shopping."]),
    ],
)
def test_two_speakers_on_one_line_become_two_lines(text: str, lines: list[str]) -> None:
    lang = "en" if text.isascii() else "zh-Hans"
    track = make_track((0, 4000, text), lang=lang)
    assert "SK313" in codes(track, "netflix")
    assert fixed(track, "netflix")[0].cues[0].lines == lines


def test_two_speakers_in_a_bilingual_cue_are_reported_not_split_into_four_lines() -> None:
    track = make_track((0, 5000, "-她恋爱了 -她恨他\n-She was in love. -She hated him."), lang="zh-Hans")
    assert codes(track, "netflix").count("SK313") == 2
    after, _ = fixed(track, "netflix")
    assert len(after.cues[0].lines) == 2


def test_a_stray_double_dash_is_not_two_speakers() -> None:
    for text in ("- -Oh, God!", "我不知道 -2度", "-- 好"):
        assert "SK313" not in codes(make_track((0, 4000, text), lang="en" if text.isascii() else "zh-Hans"), "netflix")


# ------------------------------------------------------------------ SK315, SK316


def test_two_dot_leader_ellipsis_is_found_and_fixed() -> None:
    track = make_track((0, 4000, "好‥他知道"), lang="zh-Hans")
    assert "SK315" in codes(track, "netflix")
    assert fixed(track, "netflix")[0].cues[0].lines == ["好⋯他知道"]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("zh-Hans", '他说"走吧"', "他说“走吧”"),
        ("zh-Hant-TW", '他說"走吧"', "他說「走吧」"),
        ("zh-Hans", "他叫'老师傅'", "他叫‘老师傅’"),
    ],
)
def test_ascii_quotes_in_chinese_lines_are_found_and_fixed(lang: str, text: str, expected: str) -> None:
    track = make_track((0, 4000, text), lang=lang)
    assert "SK316" in codes(track, "netflix")
    assert fixed(track, "netflix")[0].cues[0].lines == [expected]


def test_an_odd_ascii_quote_is_reported_and_left() -> None:
    track = make_track((0, 4000, '时间已经所剩无几"'), lang="zh-Hans")
    assert "SK316" in codes(track, "netflix")
    assert fixed(track, "netflix")[0].cues[0].lines == ['时间已经所剩无几"']


def test_apostrophes_in_english_inside_chinese_are_not_quotes() -> None:
    assert "SK316" not in codes(make_track((0, 4000, "他说O'Hara不会来"), lang="zh-Hans"), "netflix")


# ------------------------------------------------------------------ SK401


def test_sk401_only_where_a_closing_tag_exists(tmp_path: Path) -> None:
    ass = _ass(tmp_path, "Dialogue: 0,0:00:01.00,0:00:04.00,Default,,0,0,0,,{\\b1}警告  曼哈顿全岛封锁")
    assert "<b>" in ass.cues[0].lines[0] and "SK401" not in _lint(ass)
    from toolkit.qc import fix_track

    after = fix_track(ass, load_profile("netflix", ass.language)).track.cues[0].lines[0]
    assert after.startswith("<b>") and "</b>" not in after  # nothing closed, nothing dropped
    srt = make_track((0, 4000, "<b>警告  曼哈顿全岛封锁"), lang="zh-Hans")
    assert "SK401" in codes(srt, "netflix")


# ------------------------------------------------------------------ SK203 per language, SK502 per line


def test_reading_speed_is_counted_per_language_in_a_bilingual_cue() -> None:
    # 15 Chinese characters in 1.8 s is 8.3 cps; 35 English characters 19.4 cps: each within its
    # limit, though the two together (26 cps under the Chinese count) would not be.
    track = make_track((0, 1800, "这件事我们明天再好好地谈一谈吧\nWe will talk about it tomorrow, ok?"), lang="zh-Hans")
    assert "SK203" not in codes(track, "netflix")
    fast = make_track((0, 1800, "这件事我们明天再好好地谈一谈吧好不好\nWe will talk about it tomorrow, ok?"), lang="zh-Hans")
    assert "SK203" in codes(fast, "netflix")


def test_simplified_lines_in_a_traditional_file_are_found_line_by_line() -> None:
    cues = [(i * 3000, i * 3000 + 2500, "我們明天會再來這裡看看") for i in range(12)]
    cues.append((40000, 42500, "你根本想象不到我能做什么"))
    track = make_track(*cues, lang="zh-Hant")
    found = lint_track(track, load_profile("netflix", track.language))
    flagged = [d.location.cue for d in found if d.code == "SK502"]
    assert flagged == [13]


def test_japanese_lines_are_not_read_as_traditional_chinese() -> None:
    cues = [(i * 3000, i * 3000 + 2500, "我们明天会再来这里看看") for i in range(12)]
    cues.append((40000, 42500, "練習したいなら　すればいいでしょう"))
    track = make_track(*cues, lang="zh-Hans")
    assert "SK502" not in codes(track, "netflix")


# ------------------------------------------------------------------ the registry


@pytest.mark.parametrize("code", ["SK313", "SK314", "SK315", "SK316"])
def test_new_rules_are_registered_documented_and_explained(code: str) -> None:
    rule = RULES[code]
    assert rule.documentation and rule.summary
    text = explain(code)
    assert text.startswith(f"{code} {rule.name}") and "Fix" in text
    if code != "SK313":
        assert rule.line_fix is not None


def test_two_speakers_stacked_in_ass_are_not_an_overlap(tmp_path: Path) -> None:
    track = _ass(
        tmp_path,
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,我的话题这就结束了吗",
        "Dialogue: 0,0:00:02.00,0:00:04.00,Default,,0,0,0,,像松鼠",  # starts while the first is up: stacked
        "Dialogue: 0,0:00:05.00,0:00:06.01,Default,,0,0,0,,你不认识他",
        "Dialogue: 0,0:00:06.00,0:00:08.00,Default,,0,0,0,,开脱衣舞俱乐部的",  # a 10 ms slip
    )
    found = [d for d in lint_track(track, load_profile("netflix", track.language)) if d.code == "SK103"]
    assert [d.location.cue for d in found] == [3]


def test_a_bilingual_cue_never_becomes_three_or_four_lines_without_a_finding() -> None:
    line_zh = "马王堆一号汉墓出土的这件漆案两千多年后依然鲜亮如初"
    line_en = "The lacquer tray found in Mawangdui tomb number one is still bright after two thousand years"
    track = make_track((0, 6000, f"{line_zh}\n{line_en}"), lang="zh-Hans")
    after, _ = fixed(track, "netflix")
    assert len(after.cues[0].lines) == 2  # each language keeps its line
    assert {"SK201"} <= set(codes(after, "netflix"))  # and the long lines are still reported
    four = make_track((0, 6000, "漆案\n依然鲜亮\nThe tray\nis bright"), lang="zh-Hans")
    assert "SK202" in codes(four, "netflix")
