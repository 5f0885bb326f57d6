"""TTML / IMSC read by the intermediate synchronic document model (TTML 2 §11.3, IMSC 1.1).

Each test is a behaviour of the specification (and of imscJS, its reference
renderer): what is on screen, interval by interval. The public suite itself
(w3c/imsc-tests against imscJS) is measured by bench/conformance_imsc.py.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import ScreenkitError
from toolkit.subtitles.ttml import read_ttml
from toolkit.subtitles.ttml_read import OPEN_END_S

HEAD = ('<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" '
        'xmlns:ttp="http://www.w3.org/ns/ttml#parameter" xml:lang="en"{attrs}>')


def doc(body: str, head: str = "", attrs: str = "") -> bytes:
    return (HEAD.format(attrs=attrs) + f"<head>{head}</head><body>{body}</body></tt>").encode()


def shown(data: bytes) -> list[tuple[int, int, str]]:
    return [(c.start, c.end, c.plain_text) for c in read_ttml(data, "t.ttml").cues]


def test_a_paragraph_with_no_end_stays_to_the_end_of_the_document() -> None:
    track = read_ttml(doc('<div><p begin="1s">stays</p><p begin="2s" end="5s">later</p></div>'), "t.ttml")
    assert [(c.start, c.end, c.plain_text) for c in track.cues] == [
        (1000, 5000 + int(OPEN_END_S * 1000), "stays"), (2000, 5000, "later")]
    assert [w.kind for w in track.warnings] == ["open-end"]  # said, not silent


def test_untimed_content_is_on_screen_from_the_start() -> None:
    assert shown(doc("<div><p>always</p></div>")) == [(0, int(OPEN_END_S * 1000), "always")]


def test_timing_is_inherited_from_the_parents() -> None:
    # p's times are offsets from its div's begin; the div's end clips the p.
    assert shown(doc('<div begin="10s" end="12s"><p begin="1s" end="5s">x</p></div>')) == [(11000, 12000, "x")]


def test_span_timing_splits_the_cue_at_each_change_of_what_is_visible() -> None:
    body = '<div><p begin="0s" end="4s">A <span begin="1s" end="3s">B</span> <span begin="2s">C</span></p></div>'
    assert shown(doc(body)) == [(0, 1000, "A"), (1000, 2000, "A B"), (2000, 3000, "A B C"), (3000, 4000, "A C")]


def test_an_instant_that_changes_nothing_visible_leaves_one_cue() -> None:
    # The hidden span begins and ends inside the paragraph: the visible text never changes.
    body = ('<div><p begin="0s" end="4s">same<span begin="1s" end="2s" tts:visibility="hidden">'
            "x</span></p></div>")
    assert shown(doc(body)) == [(0, 4000, "same")]


def test_seq_children_follow_one_another_and_the_seq_end_applies() -> None:
    body = '<div timeContainer="seq" end="2.5s"><p dur="1s">one</p><p dur="1s">two</p><p dur="1s">three</p></div>'
    assert shown(doc(body)) == [(0, 1000, "one"), (1000, 2000, "two"), (2000, 2500, "three")]


def test_in_seq_untimed_text_takes_no_time_and_an_untimed_container_never_ends() -> None:
    # Text with no timing in a seq lasts no time (SMIL's implicit duration of a leaf in seq);
    # the span after it starts at once.
    body = '<div><p timeContainer="seq" end="3s">never<span dur="1s">one</span><span dur="1s">two</span></p></div>'
    assert shown(doc(body)) == [(0, 1000, "one"), (1000, 2000, "two")]
    # An untimed div lasts as long as its content (indefinitely): what follows it never begins.
    body = '<div timeContainer="seq"><p dur="1s">one</p><div><p>stays</p></div><p dur="1s">never</p></div>'
    assert shown(doc(body)) == [(0, 1000, "one"), (1000, 1000 + int(OPEN_END_S * 1000), "stays")]


def test_display_none_hides_content_inline_and_by_style() -> None:
    head = '<styling><style xml:id="gone" tts:display="none"/></styling>'
    body = ('<div><p begin="0s" end="1s">shown<span tts:display="none"> not</span></p>'
            '<p begin="1s" end="2s" style="gone">hidden</p></div>')
    assert shown(doc(body, head)) == [(0, 1000, "shown")]


def test_set_hides_and_shows_over_its_interval() -> None:
    body = '<div><p begin="0s" end="4s">blink<set begin="1s" end="2s" tts:display="none"/></p></div>'
    assert shown(doc(body)) == [(0, 1000, "blink"), (2000, 4000, "blink")]


def test_set_can_change_visibility_of_a_span() -> None:
    body = ('<div><p begin="0s" end="3s">a <span tts:visibility="hidden">b<set begin="1s" end="2s" '
            'tts:visibility="visible"/></span></p></div>')
    assert shown(doc(body)) == [(0, 1000, "a"), (1000, 2000, "a b"), (2000, 3000, "a")]


def test_region_timing_limits_what_is_shown_in_it() -> None:
    head = '<layout><region xml:id="r" begin="1s" end="3s"/></layout>'
    assert shown(doc('<div region="r"><p begin="0s" end="5s">x</p></div>', head)) == [(1000, 3000, "x")]


def test_with_regions_content_in_no_region_is_not_shown() -> None:
    head = '<layout><region xml:id="r"/></layout>'
    body = '<div><p begin="0s" end="1s">nowhere</p><p begin="0s" end="1s" region="r">here</p></div>'
    assert shown(doc(body, head)) == [(0, 1000, "here")]


def test_a_region_with_displayalign_before_is_the_top() -> None:
    head = '<layout><region xml:id="top" tts:displayAlign="before"/><region xml:id="low"/></layout>'
    cues = read_ttml(doc('<div><p region="top" end="1s">up</p><p region="low" end="1s">down</p></div>', head)).cues
    assert [(c.plain_text, c.is_top) for c in cues] == [("up", True), ("down", False)]


def test_default_white_space_collapses_the_indentation() -> None:
    body = '<div>\n  <p begin="0s" end="1s">\n    Two   words\n    <br/>\n    next line\n  </p>\n</div>'
    assert [c.lines for c in read_ttml(doc(body)).cues] == [["Two words", "next line"]]


def test_preserved_white_space_keeps_spaces_and_line_feeds() -> None:
    body = '<div><p begin="0s" end="1s" xml:space="preserve">  two  spaces\nnew line</p></div>'
    assert [c.lines for c in read_ttml(doc(body)).cues] == [["  two  spaces", "new line"]]


def test_styles_come_from_references_chains_and_regions() -> None:
    head = ('<styling><style xml:id="base" tts:fontStyle="italic"/><style xml:id="strong" style="base" '
            'tts:fontWeight="bold"/></styling><layout><region xml:id="r" tts:textDecoration="underline"/></layout>')
    cues = read_ttml(doc('<div region="r"><p end="1s"><span style="strong">styled</span></p></div>', head)).cues
    assert cues[0].lines == ["<b><i><u>styled</u></i></b>"]


@pytest.mark.parametrize(("attrs", "begin", "seconds"), [
    ("", "1.5s", 1.5), ("", "1500ms", 1.5), ("", "0.025m", 1.5), ("", "00:00:01.5", 1.5),
    (' ttp:frameRate="25"', "00:00:01:12", 1.48), (' ttp:frameRate="25"', "37f", 1.48),
    (' ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001"', "30f", 1.001),
    (' ttp:tickRate="10000"', "15000t", 1.5), (' ttp:frameRate="24"', "36t", 1.5),  # ticks default to frames
])
def test_time_expressions(attrs: str, begin: str, seconds: float) -> None:
    cues = read_ttml(doc(f'<div><p begin="{begin}" end="10s">x</p></div>', attrs=attrs)).cues
    assert cues[0].start == round(seconds * 1000)


@pytest.mark.parametrize("attrs", [' ttp:frameRate="0"', ' ttp:tickRate="0"', ' ttp:frameRateMultiplier="1 0"'])
def test_a_zero_rate_is_a_clear_error(attrs: str) -> None:
    with pytest.raises(ScreenkitError, match="ttp:") as caught:
        read_ttml(doc('<div><p begin="3f" end="5t">x</p></div>', attrs=attrs), "zero.ttml")
    assert caught.value.path == "zero.ttml" and caught.value.line == 1


def test_an_image_profile_document_is_refused_by_name(tmp_path: Path) -> None:
    data = doc("<div/>", attrs=' ttp:contentProfiles="http://www.w3.org/ns/ttml/profile/imsc1.1/image"')
    path = tmp_path / "pictures.ttml"
    path.write_bytes(data)
    result = run_cli("convert", str(path), "-o", str(tmp_path / "out.srt"))
    assert_clean_error(result, "pictures.ttml:1", "image-profile", code=2)
    assert not (tmp_path / "out.srt").exists()


def test_ruby_is_the_base_with_the_annotation_in_parentheses() -> None:
    body = ('<div><p end="1s"><span tts:ruby="container"><span tts:ruby="base">東南</span>'
            '<span tts:ruby="text">とうなん</span></span>の方角</p></div>')
    assert shown(doc(body)) == [(0, 1000, "東南(とうなん)の方角")]


# An invariant: whatever the spans' times, the cue on screen at each instant holds exactly the
# words whose spans are active then (a brute-force snapshot), and cues of one paragraph never overlap.

spans = st.lists(st.tuples(st.integers(0, 8), st.integers(1, 9)), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(spans)
def test_span_snapshots_match_brute_force(timings: list[tuple[int, int]]) -> None:
    words = [f"w{i}" for i in range(len(timings))]
    body = "".join(f'<span begin="{b}s" end="{b + d}s">{w} </span>' for (b, d), w in zip(timings, words, strict=True))
    cues = read_ttml(doc(f'<div><p begin="0s" end="20s">{body}</p></div>')).cues
    for a, b in pairwise(cues):
        assert a.end <= b.start
    for tenth in range(0, 200, 5):
        t = tenth * 100 + 50
        expected = " ".join(w for (b, d), w in zip(timings, words, strict=True) if b * 1000 <= t < (b + d) * 1000)
        on_screen = [c.plain_text for c in cues if c.start <= t < c.end]
        assert on_screen == ([expected] if expected else []), (t, timings)
