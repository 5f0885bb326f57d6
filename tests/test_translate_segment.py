"""Segmentation, split-back, tags, dialogue, glossary and wrapping, checked exactly with a fake translator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS
from tinymodel import FakeTranslator

from toolkit.errors import ScreenkitError
from toolkit.languages import EN, FR, ZH_HANS
from toolkit.linebreak import LineRules, break_points, wrap
from toolkit.subtitles import parse_text, read_track
from toolkit.translate.glossary import load_glossary, protect, restore
from toolkit.translate.job import output_name, run_job
from toolkit.translate.segment import line_rules, plan_track, split_proportionally


def srt(*cues: tuple[str, str, str]) -> str:
    blocks = [f"{n}\n{start} --> {end}\n{text}\n" for n, (start, end, text) in enumerate(cues, 1)]
    return "\n".join(blocks)


def translate_with(fake: FakeTranslator, tmp_path: Path, name: str, text: str, target=FR, source=EN, glossary=None):
    source_file = tmp_path / name
    source_file.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    report = run_job([source_file], [target], out, source=source, factory=lambda s, t: fake, glossary=glossary)
    result = report.files[0]
    assert result.error is None, result.error
    return read_track(result.outputs[target.tag]), report


THREE_CUES = srt(
    ("00:00:01,000", "00:00:02,000", "Aaaa bbbb cccc dddd"),
    ("00:00:02,100", "00:00:04,100", "eeee ffff gggg hhhh"),
    ("00:00:04,200", "00:00:05,200", "iiii jjjj kkkk llll."),
    ("00:00:09,000", "00:00:10,000", "Next sentence."),
)


def test_sentence_over_three_cues_is_translated_once_and_split_back_by_duration(tmp_path: Path) -> None:
    fake = FakeTranslator()
    track, _ = translate_with(fake, tmp_path, "film.en.srt", THREE_CUES)
    # One call, the sentence whole (not three fragments), the next sentence apart.
    assert fake.sent == [
        "Aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll.",
        "Next sentence.",
    ]
    # Durations 1 s, 2 s, 1 s: a quarter, a half and a quarter of the words.
    assert [cue.lines for cue in track.cues] == [
        ["AAAA BBBB CCCC"],
        ["DDDD EEEE FFFF GGGG HHHH IIII"],
        ["JJJJ KKKK LLLL."],
        ["NEXT SENTENCE."],
    ]


def test_cues_are_not_joined_across_a_long_gap_or_after_a_full_stop() -> None:
    track = parse_text(
        srt(
            ("00:00:01,000", "00:00:02,000", "It was late"),
            ("00:00:04,000", "00:00:05,000", "and cold."),  # 2 s gap: a new sentence
            ("00:00:05,100", "00:00:06,000", "We left."),
            ("00:00:06,100", "00:00:07,000", "Nobody saw us."),
        ),
        "srt",
    )
    plan = plan_track(track, EN)
    assert [segment.cues for segment in plan.segments] == [[0], [1], [2], [3]]


def test_cue_count_and_times_identical_on_a_real_file(tmp_path: Path) -> None:
    source = CORPUS / "cpetersen__srt" / "spec__fixtures__bsg-s01e01.srt"
    original = read_track(source)
    fake = FakeTranslator()
    out = tmp_path / "out"
    report = run_job([source], [FR], out, source=EN, factory=lambda s, t: fake)
    translated = read_track(report.files[0].outputs["fr"])
    assert len(translated) == len(original) > 100
    assert [(c.start, c.end) for c in translated] == [(c.start, c.end) for c in original]
    # Every word that went in came out, in order, in some cue.
    words_in = " ".join(c.plain_text.replace("\n", " ") for c in original).split()
    words_out = " ".join(c.plain_text.replace("\n", " ") for c in translated).split()
    assert [w.lstrip("-") for w in words_out if w.strip("-")] == [w.upper().lstrip("-") for w in words_in if w.strip("-")]


def test_italics_survive_on_single_joined_and_per_line_cues(tmp_path: Path) -> None:
    text = srt(
        ("00:00:01,000", "00:00:02,000", "<i>Where are you going?</i>"),
        ("00:00:03,000", "00:00:04,000", "<i>I went down to the river</i>"),
        ("00:00:04,100", "00:00:05,000", "<i>and waited.</i>"),
        ("00:00:06,000", "00:00:07,000", "<i>First line,</i>\n<i>second line.</i>"),
        ("00:00:08,000", "00:00:09,000", "{\\an8}<b>Top text.</b>"),
    )
    fake = FakeTranslator()
    track, _ = translate_with(fake, tmp_path, "film.en.srt", text)
    assert fake.sent == ["Where are you going?", "I went down to the river and waited.", "First line, second line.", "Top text."]
    assert track.cues[0].lines == ["<i>WHERE ARE YOU GOING?</i>"]
    joined = [track.cues[1].lines, track.cues[2].lines]
    assert all(lines[0].startswith("<i>") and lines[-1].endswith("</i>") for lines in joined)
    plain = " ".join(track.cues[1].plain_lines + track.cues[2].plain_lines)
    assert plain == "I WENT DOWN TO THE RIVER AND WAITED."
    assert track.cues[3].lines == ["<i>FIRST LINE, SECOND LINE.</i>"]
    assert track.cues[4].lines == ["<b>TOP TEXT.</b>"] and track.cues[4].alignment == 8


def test_dialogue_dashes_survive_and_each_speaker_is_translated_alone(tmp_path: Path) -> None:
    text = srt(
        ("00:00:01,000", "00:00:02,000", "- Who is it?\n- It's me."),
        ("00:00:03,000", "00:00:04,000", "<i>- Hi.</i>\n<i>- Hello.</i>"),
        ("00:00:05,000", "00:00:06,000", "– Déjà?\n– Oui."),
    )
    fake = FakeTranslator({"It's me.": "C'est moi."})
    track, _ = translate_with(fake, tmp_path, "film.en.srt", text)
    assert fake.sent == ["Who is it?", "It's me.", "Hi.", "Hello.", "Déjà?", "Oui."]
    assert track.cues[0].lines == ["- WHO IS IT?", "- C'est moi."]
    assert track.cues[1].lines == ["<i>- HI.</i>", "<i>- HELLO.</i>"]
    assert track.cues[2].lines == ["– DÉJÀ?", "– OUI."]


GLOSSARY = {
    "version": 1,
    "pairs": [{"from": "zh-Hans", "to": "en", "terms": [{"source": "熊猫", "target": "giant panda"}]}],
    "names": [{"zh-Hans": "秦岭", "en": "Qinling", "fr": "Qinling"}, "Jia Zhangke"],
}


def test_glossary_terms_survive_and_missing_ones_are_reported(tmp_path: Path) -> None:
    glossary_file = tmp_path / "glossary.json"
    glossary_file.write_text(json.dumps(GLOSSARY, ensure_ascii=False), encoding="utf-8")
    glossary = load_glossary(glossary_file)
    text = srt(
        ("00:00:01,000", "00:00:02,000", "我们明天去秦岭。"),
        ("00:00:04,000", "00:00:05,000", "熊猫在山里。"),
        ("00:00:07,000", "00:00:08,000", "秦岭很美。"),
        ("00:00:10,000", "00:00:11,000", "Jia Zhangke拍的。"),
    )
    fake = FakeTranslator(
        {
            "我们明天去[T0]。": "We go to [T0] tomorrow.",
            "[T0]在山里。": "The [T0] lives in the hills.",
            "[T0]很美。": "It is beautiful.",  # the model lost the name
            "[T0]拍的。": "Made by [ T0 ].",  # spaces inside the placeholder
        }
    )
    track, report = translate_with(fake, tmp_path, "film.zh.srt", text, target=EN, source=ZH_HANS, glossary=glossary)
    assert [cue.text for cue in track.cues] == [
        "We go to Qinling tomorrow.",
        "The giant panda lives in the hills.",
        "It is beautiful.",
        "Made by Jia Zhangke.",
    ]
    diagnostics = report.files[0].diagnostics
    assert [(d.code, d.location.cue) for d in diagnostics] == [("TR001", 3)]
    assert "秦岭" in diagnostics[0].message and "Qinling" in diagnostics[0].message


def test_glossary_latin_terms_match_whole_words_only() -> None:
    from toolkit.translate.glossary import Term

    guarded = protect("Li met Lily in Li's house.", [Term("Li", "Lǐ")])
    assert guarded.text == "[T0] met Lily in [T0]'s house."
    assert restore("[T0] a vu Lily chez [T0].", guarded.terms) == ("Lǐ a vu Lily chez Lǐ.", [])


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ({"version": 1, "names": [{"xx": "a", "en": "b"}]}, "names[0]"),
        ({"version": 1, "pairs": [{"from": "zh", "to": "en"}]}, "'terms' is a required property"),
        ({"version": 1, "names": [""]}, "names[0]"),
        ([1, 2], "(top)"),
    ],
)
def test_invalid_glossaries_are_refused_with_the_place(tmp_path: Path, document: object, fragment: str) -> None:
    path = tmp_path / "bad glossary.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ScreenkitError) as caught:
        load_glossary(path)
    assert fragment in str(caught.value) and "bad glossary.json" in str(caught.value)


def test_glossary_that_is_not_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text('{"version": 1,\n  "names": [oops]}', encoding="utf-8")
    with pytest.raises(ScreenkitError) as caught:
        load_glossary(path)
    assert str(caught.value).startswith(f"{path}:2:")


def test_chinese_output_wraps_at_16_full_width_characters(tmp_path: Path) -> None:
    long_zh = "我们爬上了那座很高很高的山，然后在Qinling山顶上看了很久很久的日出。"
    fake = FakeTranslator({"We climbed the mountain and watched the sunrise.": long_zh})
    text = srt(("00:00:01,000", "00:00:05,000", "We climbed the mountain\nand watched the sunrise."))
    track, _ = translate_with(fake, tmp_path, "film.en.srt", text, target=ZH_HANS)
    lines = track.cues[0].lines
    assert len(lines) == 3 or len(lines) == 2
    assert all(line_rules(ZH_HANS).width(line) <= 16 for line in lines), lines  # 16 full-width characters
    assert "".join(lines) == long_zh  # nothing lost, no spaces added
    assert any("Qinling" in line for line in lines)  # a Latin word is never broken


def test_cjk_wrapping_prefers_punctuation_and_balances_two_lines() -> None:
    zh = line_rules(ZH_HANS)
    assert wrap("我们明天早上一起去爬山，你要不要一起来看看呢", zh) == [
        "我们明天早上一起去爬山，",
        "你要不要一起来看看呢",
    ]
    words = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj"
    assert wrap(words, line_rules(EN)) == ["aaaa bbbb cccc dddd eeee", "ffff gggg hhhh iiii jjjj"]
    # Never inside a Latin word, even in Chinese text.
    narrow = LineRules(max_width=8, max_lines=2, half_width=0.5)
    assert wrap("他说Supercalifragilistic是一个很长很长很长的词", narrow)[0] in ("他说", "他说Supercalifragilistic")


def test_split_back_into_chinese_cues_cuts_between_characters_at_punctuation() -> None:
    pieces = split_proportionally("我们明天早上去秦岭，你也一起来吧。", [1000, 1000], cjk=True)
    assert pieces == ["我们明天早上去秦岭，", "你也一起来吧。"]


def test_split_back_never_loses_a_cue_when_words_run_short() -> None:
    assert split_proportionally("Oui.", [1000, 1000, 1000], cjk=False) == ["Oui.", "…", "…"]


def test_music_only_and_empty_cues_are_kept_untouched(tmp_path: Path) -> None:
    text = srt(("00:00:01,000", "00:00:02,000", "♪ ♪"), ("00:00:03,000", "00:00:04,000", "♪ La la la ♪"))
    fake = FakeTranslator()
    track, _ = translate_with(fake, tmp_path, "song.en.srt", text)
    assert fake.sent == ["La la la"]
    assert [cue.text for cue in track.cues] == ["♪ ♪", "♪ LA LA LA ♪"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("film.zh.srt", "film.fr.srt"), ("film.srt", "film.fr.srt"), ("My Film.zh-Hans.ass", "My Film.fr.ass"), ("a.b.en.vtt", "a.b.fr.vtt")],
)
def test_output_names_drop_the_source_language_part(name: str, expected: str) -> None:
    assert output_name(Path(name), None, FR) == expected


def test_styling_inside_a_sentence_is_reported_when_it_cannot_follow(tmp_path: Path) -> None:
    text = srt(("00:00:01,000", "00:00:02,000", "I <i>really</i> mean it."))
    fake = FakeTranslator()
    track, report = translate_with(fake, tmp_path, "film.en.srt", text)
    assert fake.sent == ["I really mean it."]
    assert track.cues[0].lines == ["I REALLY MEAN IT."]
    assert [(d.code, d.severity.value, d.location.cue) for d in report.files[0].diagnostics] == [("TR002", "info", 1)]


def test_a_file_already_in_the_target_language_is_not_translated(tmp_path: Path) -> None:
    source = tmp_path / "film.fr.srt"
    source.write_text(srt(("00:00:01,000", "00:00:02,000", "Bonjour.")), encoding="utf-8")
    fake = FakeTranslator()
    report = run_job([source], [FR], tmp_path / "out", source=None, factory=lambda s, t: fake)
    assert fake.calls == [] and report.files[0].outputs == {}
    assert [d.code for d in report.files[0].diagnostics] == ["TR003"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    ["Hello", "there", "-", "- ", "<i>", "</i>", "{\\an8}", "♪", "我们", "秦岭", "，", "。", "?", "...", " ", "Qinling", "\n", "x" * 30]
)


@settings(max_examples=80, deadline=None)
@given(
    texts=st.lists(st.lists(_PIECES, min_size=1, max_size=12).map("".join), min_size=1, max_size=8),
    gaps=st.lists(st.integers(min_value=0, max_value=2500), min_size=8, max_size=8),
    mode=st.sampled_from(["upper", "empty", "chinese", "long"]),
    target=st.sampled_from([EN, ZH_HANS]),
)
def test_any_track_keeps_its_cues_and_times(texts: list[str], gaps: list[int], mode: str, target) -> None:
    from toolkit.subtitles import Cue, Track
    from toolkit.translate.segment import assemble

    cues, start = [], 0
    for text, gap in zip(texts, gaps[: len(texts)], strict=True):
        lines = [line for line in text.split("\n")] or [""]
        cues.append(Cue(start, start + 1000, lines))
        start += 1000 + gap
    track = Track(cues=cues)
    plan = plan_track(track, EN)
    outputs = {
        "upper": lambda t: t.upper(),
        "empty": lambda t: "",
        "chinese": lambda t: "我们去了很远很远的地方，" * 3,
        "long": lambda t: " ".join([t] * 5),
    }[mode]
    result = assemble(track, plan, [outputs(text) for text in plan.texts], target)
    assert [(c.start, c.end) for c in result.cues] == [(c.start, c.end) for c in track.cues]
    for cue, original in zip(result.cues, track.cues, strict=True):
        if cue.plain_text.strip() and mode != "empty":
            # Re-wrapped: no line longer than the limit unless it is one unbreakable run.
            rules = line_rules(target)
            if sum(1 for line in original.lines if line.lstrip()[:1] in "-‐–—") >= 2:
                continue  # two speakers: a line each, never re-wrapped (a long one is lint's SK201)
            for line in cue.plain_lines:
                body = line.strip().lstrip("-‐–—♪ ").rstrip("♪ ")
                assert rules.width(line) <= rules.max_width + 2 or not break_points(body), line  # +2: dash and notes
        assert len(cue.lines) >= 1 or not original.text.strip()


def test_a_translated_two_speaker_cue_stays_two_lines() -> None:
    from toolkit.languages import ZH_HANS
    from toolkit.subtitles import Cue, Track
    from toolkit.translate.segment import assemble

    track = Track(cues=[Cue(0, 4000, ["-Where were you all night long, tell me now?", "-I was at the museum with the lacquer tray."])])
    plan = plan_track(track, EN)
    long = ["我整夜都在找你，你到底去了哪里，快告诉我", "我和那件漆案一起在博物馆里待了一整个晚上"]
    result = assemble(track, plan, long[: len(plan.texts)], ZH_HANS)
    assert len(result.cues[0].lines) == 2
    assert all(line.startswith("-") for line in result.cues[0].lines)
