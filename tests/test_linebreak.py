"""The one line breaker: Chinese between words with kinsoku, Latin at spaces, one width unit."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.chinese.words import boundaries, segment
from toolkit.languages import EN, ZH_HANS, ZH_HANT
from toolkit.linebreak import (
    NO_LINE_END,
    NO_LINE_START,
    LineRules,
    break_points,
    break_text,
    join_lines,
    rewrap,
    rules_for_profile,
    wrap,
)
from toolkit.qc import load_profile
from toolkit.qc import text as tx
from toolkit.subtitles import read_track

ZH = rules_for_profile(load_profile("netflix", ZH_HANS))  # 16 wide, 2 lines, half-width 0.5
LATIN = rules_for_profile(load_profile("netflix", EN))  # 42 wide


def test_netflix_width_unit_full_width_one_half_width_half() -> None:
    assert ZH.max_width == 16 and ZH.half_width == 0.5
    assert ZH.width("马王堆") == 3
    assert ZH.width("DCP 2024") == 4  # 8 half-width characters
    assert ZH.width("<i>漆案</i>") == 2  # markup never counts
    assert ZH.width("漆案，") == 2  # ， is dropped at line ends (SK308), so it does not count there


def test_names_are_not_split_the_way_character_breaking_did() -> None:
    # Breaking anywhere between characters put 马王堆 on two lines; jieba keeps it a word.
    text = "一九七二年长沙东郊的马王堆一号汉墓被打开了"
    lines = break_text(text, ZH)
    assert lines is not None and len(lines) == 2
    assert sum("马王堆" in line for line in lines) == 1
    cuts = list(itertools.accumulate(len(line) for line in lines))[:-1]
    assert all(cut in boundaries(text) for cut in cuts)


def test_traditional_is_segmented_through_simplified() -> None:
    assert segment("臺北電影節紀錄片") == ["臺北", "電影節", "紀錄片"]


def test_breaks_after_punctuation_and_never_before_closing_marks() -> None:
    assert break_text("一九七二年，长沙东郊马王堆一号汉墓被打开", ZH) == ["一九七二年，长沙东郊", "马王堆一号汉墓被打开"]
    lines = break_text("他轻声说：“我们明天早上一起去看看那件漆案吧。”", ZH)
    assert lines is not None
    assert all(line[0] not in NO_LINE_START and line[-1] not in NO_LINE_END for line in lines)


@pytest.mark.parametrize("mark", ["——", "……", "⋯⋯"])
def test_two_em_dash_and_six_dot_ellipsis_stay_whole(mark: str) -> None:
    text = f"两千一百多年过去了漆色依旧{mark}鲜亮如初一点也没有变"
    for width in range(8, 17):
        lines = break_text(text, dataclasses.replace(ZH, max_width=width))
        if lines:
            assert sum(mark in line for line in lines) == 1, lines


def test_latin_words_and_numbers_inside_chinese_are_never_split() -> None:
    text = "他说Supercalifragilistic是2024年最长的一个词12.5%"
    lines = wrap(text, dataclasses.replace(ZH, max_width=9, max_lines=None))
    assert "".join(lines) == text
    assert sum("Supercalifragilistic" in line for line in lines) == 1
    assert sum("2024" in line for line in lines) == 1
    assert sum("12.5%" in line for line in lines) == 1


def test_latin_text_breaks_at_spaces_balanced() -> None:
    text = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj"
    assert break_text(text, LATIN) == ["aaaa bbbb cccc dddd eeee", "ffff gggg hhhh iiii jjjj"]
    assert break_text("short enough", LATIN) == ["short enough"]


def test_markup_stays_with_its_text_and_is_not_counted() -> None:
    lines = break_text("<i>我们明天早上一起去爬山，你要不要一起来看看呢</i>", ZH)
    assert lines is not None and len(lines) == 2
    assert lines[0].startswith("<i>") and lines[-1].endswith("</i>")
    assert all(ZH.width(line) <= 16 for line in lines)


def test_glossary_names_are_kept_whole() -> None:
    text = "墓主是西汉长沙国丞相利苍的夫人辛追"
    narrow = dataclasses.replace(ZH, max_width=9)
    kept = dataclasses.replace(narrow, keep=("长沙国",))
    lines = break_text(text, kept)
    assert lines is not None and sum("长沙国" in line for line in lines) == 1


def test_rewrap_leaves_fitting_lines_and_two_speakers_alone() -> None:
    assert rewrap(["漆色依旧鲜亮"], ZH) is None
    assert rewrap(["-你今天去博物馆看了那件很有名的漆案吗", "-没有"], ZH) is None


def test_join_lines_adds_a_space_only_between_latin_ends() -> None:
    assert join_lines(["我们走", "吧"]) == "我们走吧"
    assert join_lines(["We go", "now"]) == "We go now"
    assert join_lines(["在Netflix", "上看"]) == "在Netflix上看"


# The sample's lacquer-tray track, each event's lines joined and broken again. "before" is what
# the character-count breaker made (a word cut in two), "after" what the word breaker makes.
LACQUER = [
    (24, 16, ["木胎在水里泡了两", "千年一干燥就会变形"], ["木胎在水里泡了", "两千年一干燥就会变形"]),
    (2, 10, ["墓主是西汉长", "沙国丞相的夫人"], ["墓主是西汉长沙", "国丞相的夫人"]),
    (5, 10, ["两千一百多年过", "去漆色依旧鲜亮"], ["两千一百多年", "过去漆色依旧鲜亮"]),
    (22, 10, ["它是日常的餐", "具也是一份祝福"], ["它是日常的餐具", "也是一份祝福"]),
    (30, 10, ["如今，这件漆案静", "静地陈列在展柜里"], ["如今，这件漆案", "静静地陈列在展柜里"]),
    (31, 10, ["杯盘都还在只是那", "位客人不会再来了"], ["杯盘都还在只是", "那位客人不会再来了"]),
]


@pytest.mark.parametrize(("number", "width", "before", "after"), LACQUER)
def test_lacquer_tray_before_and_after(number: int, width: int, before: list[str], after: list[str]) -> None:
    track = read_track(SAMPLES / "paris-showcase" / "subtitles" / "lacquer-tray.zh-Hans.srt")
    joined = join_lines(track.cues[number - 1].lines)
    assert "".join(before) == joined == "".join(after)
    assert break_text(joined, dataclasses.replace(ZH, max_width=width)) == after
    text_cuts = set(boundaries(joined))
    assert len(before[0]) not in text_cuts  # the old break fell inside a word
    assert len(after[0]) in text_cuts


# ------------------------------------------------------------------ properties

WORDS = [
    "马王堆", "长沙国", "丞相", "夫人", "漆案", "朱砂", "纪录片", "电影节", "我们", "明天", "早上",
    "一起", "爬山", "博物馆", "展柜", "云纹", "汉代", "修复", "漆树", "汁液", "祝福", "客人",
    "静静地", "陈列", "变形", "干燥", "打开", "鲜亮", "宴席", "结束", "的", "了", "在", "是",
]
LATIN_WORDS = ["Netflix", "DCP", "2024", "12.5%", "Cinematheque"]
CLOSING = ["，", "。", "！", "？", "、", "：", "⋯"]


@st.composite
def chinese_text(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Text made of whole words, punctuation after some, a quoted word now and then."""
    parts: list[str] = []
    for _ in range(draw(st.integers(3, 24))):
        kind = draw(st.integers(0, 9))
        word = draw(st.sampled_from(LATIN_WORDS if kind == 0 else WORDS))
        if kind == 1:
            parts.append("“" + word + "”")
        elif kind == 2:
            parts.append("「" + word + "」")
        else:
            parts.append(word)
        if draw(st.integers(0, 3)) == 0:
            parts.append(draw(st.sampled_from(CLOSING)))
    return "".join(parts), parts


@settings(max_examples=60, deadline=None)
@given(chinese_text(), st.sampled_from([8, 10, 12, 16]), st.sampled_from([2, 3, None]))
def test_breaks_fall_between_words_with_kinsoku_and_the_width_rule(
    generated: tuple[str, list[str]], width: int, max_lines: int | None
) -> None:
    text, _ = generated
    rules = LineRules(max_width=width, max_lines=max_lines, half_width=0.5, drop_at_line_end="，。")
    lines = break_text(text, rules)
    shown = lines if lines is not None else wrap(text, rules)
    assert "".join(shown) == text  # no character lost, added or moved
    cuts = list(itertools.accumulate(len(line) for line in shown))[:-1]
    assert set(cuts) <= boundaries(text)  # never inside a segmented word
    for line in shown:
        assert line[0] not in NO_LINE_START
        assert line[-1] not in NO_LINE_END
        for latin in LATIN_WORDS:
            assert text.count(latin) == sum(row.count(latin) for row in shown)  # never split
    if lines is not None:  # a layout that fits: the width rule holds on every line
        assert max_lines is None or len(lines) <= max_lines
        assert all(rules.width(line) <= width for line in lines)
    elif max_lines is not None:
        assert rules.width(text) > width


@settings(max_examples=40, deadline=None)
@given(chinese_text(), st.sampled_from([6, 9, 12]))
def test_kept_words_are_never_split(generated: tuple[str, list[str]], width: int) -> None:
    text, parts = generated
    rules = LineRules(max_width=width, max_lines=None, half_width=0.5, keep=tuple(WORDS))
    shown = wrap(text, rules)
    assert "".join(shown) == text
    word_ends = set(itertools.accumulate(len(part) for part in parts))
    cuts = set(itertools.accumulate(len(line) for line in shown[:-1]))
    inside = {end for part, end in zip(parts, itertools.accumulate(len(p) for p in parts), strict=True)
              if part in WORDS for end in range(end - len(part) + 1, end)}
    assert not cuts & inside
    assert cuts <= word_ends | boundaries(text)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["the", "lacquer", "tray", "Mawangdui", "2,100", "years,", "red"]), min_size=1, max_size=20))
def test_latin_lines_keep_every_word_and_fit(words: list[str]) -> None:
    text = " ".join(words)
    lines = wrap(text, LATIN)
    assert " ".join(lines).split() == words
    assert all(LATIN.width(line) <= 42 or " " not in line for line in lines)


def test_zh_hant_rules_come_from_the_profile() -> None:
    assert rules_for_profile(load_profile("netflix", ZH_HANT)) == ZH
    assert tx.text_width("漆案", ZH.half_width) == 2


def test_markup_keeps_its_order_when_a_block_precedes_a_closing_tag() -> None:
    # From the corpus (utf-8-001.txt): an override block just before a closing tag.
    text = '<font color="#ffffff">我们明天早上一起去爬山，你要不要一起来看看呢{\\p0}</font>'
    lines = break_text(text, ZH)
    assert lines is not None and len(lines) == 2
    from toolkit.subtitles.markup import TAG

    assert [tag for line in lines for tag in TAG.findall(line)] == TAG.findall(text)


def test_kept_latin_names_stay_on_one_line() -> None:
    text = "We watched the new film by Jia Zhangke at the Cinematheque last night"
    narrow = LineRules(max_width=38, max_lines=2)
    assert sum("Jia Zhangke" in line for line in wrap(text, narrow)) == 0  # balanced, it would split
    kept = wrap(text, dataclasses.replace(narrow, keep=("Jia Zhangke",)))
    assert " ".join(kept) == text
    assert sum("Jia Zhangke" in line for line in kept) == 1


def test_translation_wrap_keeps_glossary_names_whole() -> None:
    from toolkit.subtitles import Cue, Track
    from toolkit.translate.segment import assemble, plan_track

    track = Track(cues=[Cue(0, 4000, ["A long line about the lacquer tray found at the Han tomb"])])
    plan = plan_track(track, EN)
    translated = "一九七二年长沙东郊的马王堆一号汉墓被打开了"
    name = "马王堆一号"  # a made-up glossary form that the best break would cut
    plain = assemble(track, plan, [translated], ZH_HANS)
    assert "".join(plain.cues[0].lines) == translated
    assert not any(name in line for line in plain.cues[0].lines)
    kept = assemble(track, plan, [translated], ZH_HANS, keep=(name,))
    assert "".join(kept.cues[0].lines) == translated
    assert sum(name in line for line in kept.cues[0].lines) == 1


def test_text_too_wide_for_any_layout_is_refused_without_looking_for_one() -> None:
    # Two full lines of 42 with the space between them: the widest text that can fit.
    fitting = " ".join(["x" * 42, "y" * 42])
    assert break_text(fitting, LATIN) == ["x" * 42, "y" * 42]
    zh_fitting = "漆" * 15 + "，" + "案" * 16  # the ， at the first line's end does not count
    assert break_text(zh_fitting, ZH) == ["漆" * 15 + "，", "案" * 16]
    # Far wider than two lines: refused (the bound is checked before any piece is made).
    assert break_text(" ".join(["word"] * 40_000), LATIN) is None
    assert break_text("漆" * 150_000, ZH) is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text("abcdefgh", min_size=1, max_size=12), min_size=1, max_size=20))
def test_the_width_bound_never_refuses_text_that_fits(words: list[str]) -> None:
    # Without the bound (no line limit given) a layout into two lines that fits must be found
    # just as well with it: the bound only refuses what no layout can hold.
    text = " ".join(words)
    unbounded = dataclasses.replace(LATIN, max_lines=None)
    free = break_text(text, unbounded)
    bounded = break_text(text, LATIN)
    if free is not None and len(free) <= 2:
        assert bounded is not None and len(bounded) <= 2


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["展品", "来自", "长沙", "马王堆", "一号", "汉墓", "漆器", "的", "第"]), min_size=2, max_size=12),
    st.text("０１２３４５６７８９ＡＢＣＤ", min_size=2, max_size=6),
    st.integers(min_value=0, max_value=12),
)
def test_full_width_letters_and_digits_stay_together(words: list[str], run: str, at: int) -> None:
    text = "".join(words[:at]) + run + "".join(words[at:])
    start = text.index(run)
    inside = set(range(start + 1, start + len(run)))
    assert not inside & set(break_points(text))
    for line_count_rules in (ZH, dataclasses.replace(ZH, max_width=8)):
        lines = break_text(text, line_count_rules) or wrap(text, line_count_rules)
        assert any(run in line for line in lines), lines


# ------------------------------------------------------------------ issue 22: an editor's breaks


def _broken(text: str, rules: LineRules = ZH) -> list[str]:
    lines = break_text(text, rules)
    assert lines is not None and "".join(line.replace(" ", "") for line in lines) == text.replace(" ", "")
    return lines


@pytest.mark.parametrize(
    ("text", "never_starts"),
    [
        ("她是九十年代最受欢迎的歌手之一，也是一位演员", "的歌手"),
        ("秘书长上个月访问了联合国总部并且发表了讲话", "了联合国"),
        ("好吧，我们明天再谈这件事，你先回去好吧", "吧"),
    ],
)
def test_a_particle_never_starts_a_line(text: str, never_starts: str) -> None:
    lines = _broken(text)
    assert not any(line.startswith(never_starts) for line in lines[1:]), lines
    assert all(line[:1] not in "的了吧吗呢啊着过们" for line in lines[1:]), lines


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("秘书长将于12月16日在纽约会见各国代表团成员", "12月16日"),
        ("我们约好６月２７日在老地方的车站门口见面", "６月２７日"),
        ("这部电影获得了第92届奥斯卡最佳影片奖", "第92届"),
        ("主演是Leonardo DiCaprio和凯特·温丝莱特", "Leonardo DiCaprio"),
        ("请各位旅客到T2航站楼三号柜台办理登机手续", "T2航站楼"),
        ("他们在电视上看了世界杯决赛，一直看到凌晨", "世界杯决赛"),
        ("這是他一生中最重要的一本書《最偉大的作品》", "《最偉大的作品》"),
        ("主演是Leonardo DiCaprio和凯特·温丝莱特", "凯特·温丝莱特"),
    ],
)
def test_numbers_units_dates_latin_runs_titles_and_compounds_stay_whole(text: str, whole: str) -> None:
    lines = _broken(text)
    assert sum(whole in line for line in lines) == 1, lines


def test_a_preposition_or_conjunction_does_not_end_a_line() -> None:
    lines = _broken("虽然外面的天气很冷但是大家都准时来了")
    assert not lines[0].endswith(("但是", "虽然")), lines
    lines = _broken("因为路上堵车所以我们迟到了半个小时")
    assert not lines[0].endswith(("所以", "因为")), lines


def test_a_space_used_as_a_pause_is_the_preferred_break() -> None:
    assert _broken("马王堆一号汉墓出土的漆器 两千多年后依然鲜亮") == ["马王堆一号汉墓出土的漆器", "两千多年后依然鲜亮"]


@pytest.mark.parametrize(
    "text", ["-A级紧急情况 -总部", "-你去哪儿了 -我去买菜了", "-A级紧急情况 －总部", "-你先走吧。-不，我留下来陪你"]
)
def test_a_dialogue_dash_always_starts_a_line_and_two_speakers_are_two_lines(text: str) -> None:
    lines = break_text(text, ZH)
    assert lines is not None and len(lines) == 2, lines
    assert all(line[:1] in "-－" for line in lines), lines
    assert not any(line.rstrip().endswith(("-", "－")) for line in lines), lines


def test_a_dash_is_never_stranded_at_a_line_end() -> None:
    lines = _broken("他一直在等一个消息-那个消息终于在半夜里来了")
    assert not any(line.endswith("-") for line in lines), lines


def test_three_caption_lines_are_joined_with_spaces_never_glued() -> None:
    lines = rewrap(["亚当·卢瑟福", "科学记者", "BBC第四频道"], ZH)
    assert lines in (["亚当·卢瑟福 科学记者", "BBC第四频道"], ["亚当·卢瑟福", "科学记者 BBC第四频道"])
    assert not any("卢瑟福科学" in line or "记者BBC" in line for line in lines)
    # Two lines of one sentence are still joined the Chinese way, with nothing between them.
    assert join_lines(["一九七二年长沙东郊", "马王堆一号汉墓"]) == "一九七二年长沙东郊马王堆一号汉墓"
    assert join_lines(["亚当·卢瑟福", "科学记者", "BBC第四频道"], pause=True) == "亚当·卢瑟福 科学记者 BBC第四频道"
    assert join_lines(["他说，", "我们", "走吧"], pause=True) == "他说，我们 走吧"  # after ， no extra space


def test_the_judged_long_lines_are_broken_acceptably() -> None:
    """bench/data/chinese-breaks.txt: 104 long lines with an editor's acceptable breaks marked."""
    from conftest import load_bench_module

    bench = load_bench_module("bench_breaks")
    rows = bench.marked_rows()
    assert len(rows) >= 100
    judged = [bench.judge(text, marks, break_text(text, ZH)) for text, marks in rows]
    assert sum(judged) >= 0.9 * len(rows)
    # The judge itself: a break away from the marks is refused.
    text, marks = rows[0]
    assert not bench.judge(text, marks, [text[:1], text[1:]]) or 1 in marks


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["马王堆", "汉墓", "的", "了", "，", "。", "Leonardo", "DiCaprio", " ", "12月16日", "-", "《作品》", "T2"]),
            st.text(alphabet="漆案长沙东郊我们明天去看", min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=14,
    ),
    st.integers(min_value=1, max_value=3),
    st.sampled_from([6, 10, 16]),
)
def test_lints_cheap_fixable_check_agrees_with_the_breaker(parts: list[str], line_count: int, width: int) -> None:
    from toolkit.linebreak import rewrap_possible

    text = "".join(parts).strip()
    if not text:
        return
    size = max(1, len(text) // line_count)
    lines = [text[i : i + size] for i in range(0, len(text), size)] or [text]
    rules = dataclasses.replace(ZH, max_width=width)
    assert rewrap_possible(lines, rules) == (rewrap(lines, rules) is not None), lines
