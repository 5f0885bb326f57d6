"""Each rule: a cue that triggers it and one just inside the limit."""

from __future__ import annotations

import pytest
from qc_support import codes, make_track

from toolkit.diagnostics import Severity
from toolkit.qc import RULES, lint_track, load_profile

FRENCH_TEXT = "Je ne sais pas où il est parti ce matin, mais il reviendra sûrement avant le dîner."
ENGLISH_TEXT = "I do not know where he went this morning, but he will surely come back before dinner."
SIMPLIFIED = "这个时候我们应该说话，还没有开门，他们会来这里吗，请问现在几点了"
TRADITIONAL = "這個時候我們應該說話，還沒有開門，他們會來這裡嗎，請問現在幾點了"

# (code, profile, language, triggering cues, cues just inside the limit, lint keyword arguments)
CASES = [
    ("SK101", "festival", "en", [(0, 1999, "Hi.")], [(0, 2000, "Hi.")], {}),
    ("SK101", "cinema", "en", [(5000, 5604, "Hi.")], [(5000, 5605, "Hi.")], {}),  # 15 frames at 24 fps, ± half a frame
    ("SK102", "festival", "en", [(0, 7001, "Hi.")], [(0, 7000, "Hi.")], {}),
    ("SK103", "festival", "en", [(0, 2000, "One."), (1999, 4000, "Two.")], [(0, 2000, "One."), (2083, 4100, "Two.")], {}),
    ("SK104", "festival", "en", [(0, 2000, "One."), (2062, 4100, "Two.")], [(0, 2000, "One."), (2063, 4100, "Two.")], {}),
    ("SK105", "festival", "en", [(0, 2000, "One."), (2478, 4500, "Two.")], [(0, 2000, "One."), (2479, 4500, "Two.")], {}),
    ("SK105", "festival", "en", [(0, 2000, "One."), (2104, 4500, "Two.")], [(0, 2000, "One."), (2103, 4500, "Two.")], {}),
    ("SK105", "bbc", "en", [(0, 2000, "One."), (2999, 5000, "Two.")], [(0, 2000, "One."), (3001, 5000, "Two.")], {}),
    ("SK106", "festival", "en", [(3000, 5000, "Two."), (0, 2000, "One.")], [(0, 2000, "One."), (3000, 5000, "Two.")], {}),
    ("SK107", "festival", "en", [(0, 10001, "Hi.")], [(0, 10000, "Hi.")], {"video_duration_ms": 10000}),
    ("SK108", "cinema", "en", [(3999, 6000, "Hi.")], [(4000, 6000, "Hi.")], {}),
    ("SK109", "bbc", "en", [(1000, 1000, "Hi.")], [(1000, 1001, "Hi.")], {}),
    ("SK201", "festival", "en", [(0, 4000, "x" * 41)], [(0, 4000, "x" * 40)], {}),
    ("SK201", "festival", "en", [(0, 4000, "x" * 41)], [(0, 4000, "<i>" + "x" * 40 + "</i>")], {}),
    ("SK201", "festival", "zh-Hans", [(0, 4000, "字" * 17)], [(0, 4000, "字" * 16)], {}),
    # Netflix rule: half-width characters count 0.5 in Chinese (15 + 2 × 0.5 = 16).
    ("SK201", "festival", "zh-Hans", [(0, 4000, "字" * 16 + "ab")], [(0, 4000, "字" * 15 + "ab")], {}),
    ("SK201", "cinema", "en", [(5000, 9000, "x" * 53)], [(5000, 9000, "x" * 52)], {}),
    ("SK202", "festival", "en", [(0, 4000, "One\nTwo\nThree")], [(0, 4000, "One\nTwo")], {}),
    ("SK202", "cinema", "en", [(5000, 9000, "A\nB\nC\nD")], [(5000, 9000, "A\nB\nC")], {}),
    # 40 characters in 2 s is 20.0 cps, the festival limit; 41 is 20.5.
    ("SK203", "festival", "en", [(0, 2000, "x" * 41)], [(0, 2000, "x" * 40)], {}),
    ("SK203", "festival", "en", [(0, 2000, "a " * 20 + "b")], [(0, 2000, "a " * 19 + "ab")], {}),
    ("SK203", "netflix", "fr", [(0, 2000, "x" * 35)], [(0, 2000, "x" * 34)], {}),  # 17 cps
    ("SK203", "netflix-children", "fr", [(0, 2000, "x" * 27)], [(0, 2000, "x" * 26)], {}),  # 13 cps
    ("SK203", "festival", "zh-Hans", [(0, 2000, "字" * 19)], [(0, 2000, "字" * 18)], {}),  # 9 cps
    ("SK204", "bbc", "en", [(0, 2000, "one two three four five six seven")], [(0, 2000, "one two three four five six")], {}),
    ("SK301", "festival", "en", [(0, 2000, "<i></i>")], [(0, 2000, "<i>.</i>")], {}),
    ("SK302", "festival", "en", [(0, 2000, " Hello.")], [(0, 2000, "Hello.")], {}),
    ("SK302", "festival", "en", [(0, 2000, "<i>Hello. </i>")], [(0, 2000, "<i>Hello.</i>")], {}),
    ("SK303", "festival", "en", [(0, 2000, "Hello  there.")], [(0, 2000, "Hello there.")], {}),
    ("SK304", "festival", "en", [(0, 2000, "Hello , there.")], [(0, 2000, "Hello, there.")], {}),
    ("SK304", "festival", "fr", [(0, 2000, "Bon , d'accord.")], [(0, 2000, "Bon\u00a0? D'accord\u00a0!")], {}),
    ("SK305", "festival", "en", [(0, 2000, "Wait...")], [(0, 2000, "Wait…")], {}),
    ("SK306", "festival", "en", [(0, 2000, "- Hi.\n-Hello.")], [(0, 2000, "-Hi.\n-Hello.")], {}),
    ("SK306", "festival", "en", [(0, 2000, "—Hi.\n-Hello.")], [(0, 2000, "<i>-Hi.</i>\n-Hello.")], {}),
    ("SK306", "festival", "fr", [(0, 2000, "-Salut.\n- Bonjour.")], [(0, 2000, "- Salut.\n- Bonjour.")], {}),
    ("SK307", "festival", "zh-Hans", [(0, 2000, "你好,世界")], [(0, 2000, "你好，世界")], {}),
    ("SK307", "festival", "zh-Hans", [(0, 2000, "真的吗?")], [(0, 2000, "真的吗？")], {}),
    ("SK308", "festival", "zh-Hans", [(0, 2000, "你好，\n世界。")], [(0, 2000, "你好\n世界")], {}),
    ("SK309", "festival", "fr", [(0, 2000, "Quoi?")], [(0, 2000, "Quoi\u00a0?")], {}),
    ("SK309", "festival", "fr", [(0, 2000, "Il est 12h30: viens!")], [(0, 2000, "À 12:30, sur http://exemple.fr.")], {}),
    ("SK310", "festival", "fr", [(0, 2000, "Quoi ?")], [(0, 2000, "Quoi\u202f?")], {}),
    ("SK305", "netflix", "zh-Hans", [(0, 2000, "但你说……")], [(0, 2000, "但你说⋯")], {}),
    ("SK305", "netflix", "zh-Hant", [(0, 2000, "今天的天氣很⋯。")], [(0, 2000, "今天的天氣很⋯")], {}),
    ("SK311", "netflix", "zh-Hant-TW", [(0, 2000, "他說“走吧”")], [(0, 2000, "他說「走吧」，O’Hara")], {}),
    ("SK311", "netflix", "zh-Hant-HK", [(0, 2000, "他說『走吧』‘好’")], [(0, 2000, "他說「『走吧』」")], {}),
    ("SK311", "festival", "zh-Hans", [(0, 2000, "他说「走吧」")], [(0, 2000, "他说“走吧”")], {}),
    ("SK312", "festival", "zh-Hans", [(0, 2000, "他 — 走了")], [(0, 2000, "他——走了")], {}),
    ("SK312", "festival", "zh-Hans", [(0, 2000, "他－－走了")], [(0, 2000, "北京—上海的列车")], {}),  # the connecting dash
    ("SK313", "netflix", "zh-Hans", [(0, 2000, "-你去哪儿了 -我去买菜了")], [(0, 2000, "-你去哪儿了\n-我去买菜了")], {}),
    ("SK313", "netflix", "en", [(0, 2000, "-Where were you? -Shopping.")], [(0, 2000, "-Where were you?\n-Shopping.")], {}),
    ("SK314", "netflix", "zh-Hans", [(0, 2000, "－对\n－要派谁")], [(0, 2000, "-对\n-要派谁")], {}),
    ("SK315", "netflix", "zh-Hans", [(0, 2000, "好‥他知道")], [(0, 2000, "好⋯他知道")], {}),
    ("SK316", "netflix", "zh-Hans", [(0, 2000, '他说"走吧"')], [(0, 2000, "他说“走吧”")], {}),
    ("SK312", "netflix", "zh-Hant", [(0, 2000, "他--走了")], [(0, 2000, "-他走了\n-好")], {}),
    ("SK401", "festival", "en", [(0, 2000, "<i>Hello.")], [(0, 2000, "<i>Hello.\nThere.</i>")], {}),
    ("SK401", "festival", "en", [(0, 2000, "Hello.</b>")], [(0, 2000, "<b>Hello.</b>")], {}),
    ("SK402", "festival", "en", [(0, 2000, "<span>Hello.</span>")], [(0, 2000, '<font color="#ff0000">Hello.</font>')], {}),
    ("SK402", "festival", "en", [(0, 2000, "{\\fad(200,200)}Hello.")], [(0, 2000, "I <3 you.")], {}),
    ("SK403", "festival", "zh-Hans", [(0, 2000, "<i>你好</i>")], [(0, 2000, "你好")], {}),
]


@pytest.mark.parametrize(("code", "profile", "lang", "bad", "good", "kwargs"), CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_rule_triggers_and_just_inside_passes(code, profile, lang, bad, good, kwargs) -> None:
    assert code in codes(make_track(*bad, lang=lang), profile, **kwargs)
    assert code not in codes(make_track(*good, lang=lang), profile, **kwargs)


def test_every_rule_has_a_case() -> None:
    covered = {case[0] for case in CASES} | {"SK501", "SK502", "SK503"}
    # The DCP family reads DCP XML files: its cases are in test_dcp_rules.py.
    covered |= {code for code in RULES if code.startswith("DCP")}
    assert covered == set(RULES)


def test_italics_are_fine_in_english() -> None:
    assert "SK403" not in codes(make_track((0, 2000, "<i>Hello.</i>")))


def test_encoding_not_utf8() -> None:
    assert "SK501" in codes(make_track((0, 2000, "你好"), lang="zh-Hans", encoding="gb18030"))
    assert "SK501" not in codes(make_track((0, 2000, "你好"), lang="zh-Hans", encoding="utf-8"))


def test_language_mismatch_uses_the_identifier() -> None:
    english_declared_fr = make_track((0, 6000, ENGLISH_TEXT), lang="fr")
    assert "SK502" in codes(english_declared_fr)
    assert "SK502" not in codes(make_track((0, 6000, FRENCH_TEXT), lang="fr"))
    assert "SK502" not in codes(make_track((0, 6000, ENGLISH_TEXT), lang="en"))


def test_language_mismatch_between_chinese_scripts() -> None:
    assert "SK502" in codes(make_track((0, 6000, SIMPLIFIED), lang="zh-Hant"))
    assert "SK502" not in codes(make_track((0, 6000, TRADITIONAL), lang="zh-Hant"))
    assert "SK502" in codes(make_track((0, 6000, TRADITIONAL), lang="zh-Hans"))


def test_undeclared_language_is_reported_with_the_detected_one() -> None:
    track = make_track((0, 6000, FRENCH_TEXT), lang=None)
    found = lint_track(track, load_profile("festival", None))
    undeclared = [d for d in found if d.code == "SK503"]
    assert undeclared and "fr" in undeclared[0].message and undeclared[0].severity is Severity.INFO


def test_too_little_text_is_not_judged() -> None:
    assert "SK502" not in codes(make_track((0, 2000, "Okay."), lang="fr"))


def test_cinema_line_length_warns_then_errors() -> None:
    profile = load_profile("cinema", None)
    soft = lint_track(make_track((5000, 9000, "x" * 60)), profile)
    hard = lint_track(make_track((5000, 9000, "x" * 80)), profile)
    assert [d.severity for d in soft if d.code == "SK201"] == [Severity.WARNING]
    assert [d.severity for d in hard if d.code == "SK201"] == [Severity.ERROR]


def test_reading_speed_message_and_location() -> None:
    track = make_track((0, 2000, "Hello."), (62500, 64500, "x" * 47), lang="fr")
    found = [d for d in lint_track(track, load_profile("netflix", track.language)) if d.code == "SK203"]
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.message == "reading speed 23.5 cps > 17 (fr, netflix)"
    assert diagnostic.location.cue == 2
    assert diagnostic.location.time_ms == 62500
    assert diagnostic.location.line == 6  # the timing line of cue 2 in make_track's layout
    assert diagnostic.format_text() == "-:6: 00:01:02,500 SK203 [error] reading speed 23.5 cps > 17 (fr, netflix)"


def test_line_findings_point_at_the_text_line() -> None:
    track = make_track((0, 4000, "Fine.\n" + "x" * 45))
    (finding,) = [d for d in lint_track(track, load_profile("festival", track.language)) if d.code == "SK201"]
    assert finding.location.line == 2 + 2  # timing line 2, text lines 3 and 4


def test_profile_can_turn_a_rule_off_or_change_its_severity(tmp_path) -> None:
    import json

    document = json.loads((load_profile.__globals__["PROFILES_DIR"] / "festival.json").read_text(encoding="utf-8"))
    document["severity"] = {"SK203": "off", "SK303": "error"}
    path = tmp_path / "house.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    profile = load_profile(str(path), None)
    found = lint_track(make_track((0, 1000, "x" * 39 + "  y")), profile)
    assert "SK203" not in [d.code for d in found]
    assert [d.severity for d in found if d.code == "SK303"] == [Severity.ERROR]


def test_severities_and_fixability_are_declared_for_every_rule() -> None:
    for code, rule in RULES.items():
        assert code == rule.code and ((code[:2] == "SK" and len(code) == 5) or (code[:3] == "DCP" and len(code) == 6))
        assert isinstance(rule.severity, Severity)


def test_bilingual_chinese_english_track_is_still_chinese() -> None:
    cues = [
        (0, 4000, "那段历史从未消逝\nThat history never went away."),
        (5000, 9000, "它甚至尚未结束\nIt is not even over yet, not even close to it."),
        (10000, 14000, "我们还记得\nWe still remember every single word of it."),
    ]
    assert "SK502" not in codes(make_track(*cues, lang="zh-Hans"))
    assert "SK502" in codes(make_track(*[(a, b, t.split("\n")[1]) for a, b, t in cues], lang="zh-Hans"))


def test_fix_is_offered_only_where_the_fix_can_do_it() -> None:
    profile = load_profile("festival", None)
    wrappable = lint_track(make_track((0, 6000, "This line is far too long for a festival copy of the film")), profile)
    too_long_for_two_lines = lint_track(make_track((0, 9000, "x" * 90)), profile)
    dialogue = lint_track(make_track((0, 6000, "-This first speaker talks for far too long\n-Yes.")), profile)
    assert [d.fix for d in wrappable if d.code == "SK201"] == ["re-wrap the event's lines"]
    assert [d.fix for d in too_long_for_two_lines if d.code == "SK201"] == [None]
    assert [d.fix for d in dialogue if d.code == "SK201"] == [None]


def test_bilingual_ass_events_on_screen_together_are_not_overlaps() -> None:
    track = make_track((1000, 4000, "Kill me."), (1000, 4000, "杀了我"), (4500, 7000, "Now."), (4500, 7000, "现在"), fmt="ass")
    for cue, style in zip(track.cues, ["Eng", "Chs", "Eng", "Chs"], strict=True):
        cue.style = style
    assert "SK103" not in codes(track)
    track.cues[1].style = "Eng"  # the same style twice at once is an overlap
    assert "SK103" in codes(track)


def test_top_and_bottom_events_do_not_collide_in_srt() -> None:
    track = make_track((1000, 4000, "Dialogue."), (2000, 5000, "A SIGN ON THE WALL"))
    assert "SK103" in codes(track)
    track.cues[1].alignment = 8
    assert "SK103" not in codes(track)


def test_ass_events_may_come_in_any_order() -> None:
    assert "SK106" in codes(make_track((3000, 5000, "Two."), (0, 2000, "One.")))
    assert "SK106" not in codes(make_track((3000, 5000, "Two."), (0, 2000, "One."), fmt="ass"))


def test_undeclared_language_outside_screenkit_is_still_named() -> None:
    spanish = "No sé adónde fue esta mañana, pero seguramente volverá antes de la cena con sus amigos."
    found = lint_track(make_track((0, 6000, spanish), lang=None), load_profile("festival", None))
    assert [d.message for d in found if d.code == "SK503"] == [
        "language not declared (no --lang, none in the file name); the text reads as es"
    ]
