"""Fixes never desynchronise: properties over generated multi-lane tracks (hypothesis).

A track is a set of lanes (screen position x ASS layer; identical duplicates
are one event). After ``fix_track``: the words are the same, no start moved by
more than the minimum gap, no overlap inside a lane that is not reported as
left, no new overlap anywhere, and no line mixes two scripts that were on
separate lines (bilingual cues keep each language on its own lines).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.languages import parse_language
from toolkit.qc import FixResult, fix_track, lint_track, load_profile
from toolkit.qc.invariants import fix_violations
from toolkit.subtitles.model import Cue, Track

LATIN = st.sampled_from(["the", "film", "night", "Marc", "said", "we", "never", "going", "back", "there", "again"])
HAN = st.sampled_from(["你好", "电影", "今天", "我们", "去", "吧", "晚上", "城市", "潮水"])


@st.composite
def latin_line(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(LATIN, min_size=1, max_size=12)))


@st.composite
def han_line(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(HAN, min_size=1, max_size=12))) + draw(st.sampled_from(["", "，", "。", "？"]))


@st.composite
def cue_lines(draw: st.DrawFn) -> list[str]:
    kind = draw(st.sampled_from(["latin", "han", "bilingual", "bilingual"]))
    if kind == "latin":
        return draw(st.lists(latin_line(), min_size=1, max_size=3))
    if kind == "han":
        return draw(st.lists(han_line(), min_size=1, max_size=2))
    return [draw(han_line()), draw(latin_line())]


@st.composite
def lane_tracks(draw: st.DrawFn) -> tuple[Track, str]:
    fmt = draw(st.sampled_from(["srt", "ass"]))
    cues: list[Cue] = []
    start = 0
    for number in range(draw(st.integers(min_value=1, max_value=10))):
        # Small steps and long events make chains of overlapping cues.
        start += draw(st.integers(min_value=0, max_value=3000))
        length = draw(st.integers(min_value=0, max_value=6000))
        cue = Cue(
            start,
            start + length,
            draw(cue_lines()),
            alignment=draw(st.sampled_from([None, None, 8])),
            source_line=number + 1,
            style=draw(st.sampled_from(["Default", "Sign"])) if fmt == "ass" else None,
            layer=draw(st.sampled_from([0, 0, 1])) if fmt == "ass" else 0,
        )
        cues.append(cue)
        for copy in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # identical duplicates
            cues.append(cue.copy(source_line=1000 + 10 * number + copy))
    lang = draw(st.sampled_from(["zh-Hans", "en"]))
    track = Track(cues=cues, language=parse_language(lang), format=fmt, encoding="utf-8")
    return track, draw(st.sampled_from(["festival", "netflix"]))


def check_fix_invariants(before: Track, result: FixResult, min_gap: int) -> None:
    """The invariants of fix_track (toolkit/qc/invariants.py), for generated tracks and the corpus."""
    assert not fix_violations(before, result, min_gap), fix_violations(before, result, min_gap)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lane_tracks())
def test_fix_keeps_sync_words_lanes_and_scripts(case: tuple[Track, str]) -> None:
    track, profile_name = case
    profile = load_profile(profile_name, track.language)
    result = fix_track(track, profile)
    check_fix_invariants(track, result, profile.duration_ms("min_gap") or 0)
    # Identical duplicates stay identical: they are one event.
    groups: dict[int, list[Cue]] = {}
    for cue in result.track.cues:
        groups.setdefault((cue.source_line or 0) % 1000 if (cue.source_line or 0) < 1000 else ((cue.source_line or 0) - 1000) // 10 + 1, []).append(cue)
    for same in groups.values():
        assert len({(c.start, c.end, tuple(c.lines)) for c in same}) == 1, same


def test_three_identical_cues_at_one_time_are_one_event() -> None:
    cue = Cue(85300, 88000, ["片名"], source_line=1)
    track = Track([cue, cue.copy(source_line=2), cue.copy(source_line=3)], parse_language("zh-Hans"), format="srt")
    result = fix_track(track, load_profile("festival", track.language))
    assert [(c.start, c.end) for c in result.track.cues] == [(85300, 88000)] * 3
    assert not any(change.code.startswith("SK10") for change in result.fixes)


def test_top_sign_over_dialogue_is_not_an_overlap_and_extension_stops_before_it() -> None:
    track = Track(
        [
            Cue(1000, 1500, ["Short."], source_line=1),
            Cue(1800, 6000, ["A SIGN"], alignment=8, source_line=2),
            Cue(2500, 5000, ["Dialogue under the sign."], source_line=3),
        ],
        parse_language("en"),
        format="srt",
    )
    result = fix_track(track, load_profile("festival", track.language))
    times = [(c.start, c.end) for c in result.track.cues]
    # The short event grows, but only up to the minimum gap before the sign that starts next.
    assert times[0][0] == 1000 and 1500 < times[0][1] <= 1800 - 83
    assert times[1:] == [(1800, 6000), (2500, 5000)]


def test_unfixable_overlap_is_reported_not_moved() -> None:
    track = Track(
        [Cue(0, 2000, ["One."], source_line=1), Cue(100, 4000, ["Two."], source_line=2)], parse_language("en"), format="srt"
    )
    result = fix_track(track, load_profile("festival", track.language))
    assert [(c.start, c.end) for c in result.track.cues] == [(0, 2000), (100, 4000)]
    assert [(c.code, c.cue) for c in result.skipped] == [("SK103", 1)]


def test_ass_layers_are_lanes() -> None:
    track = Track(
        [
            Cue(0, 5000, ["{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}"], style="Sign", layer=0, source_line=1),
            Cue(0, 5000, ["Dialogue."], style="Default", layer=1, source_line=2),
            Cue(1000, 3000, ["Sign text"], style="Sign", layer=1, source_line=3),
        ],
        parse_language("en"),
        format="ass",
    )
    result = fix_track(track, load_profile("festival", track.language))
    assert [(c.start, c.end) for c in result.track.cues] == [(0, 5000), (0, 5000), (1000, 3000)]
    assert result.track.cues[0].lines == track.cues[0].lines  # a drawing is never restyled


def test_bilingual_rewrap_keeps_each_language_on_its_own_lines() -> None:
    lines = ["我们为什么那么好奇呢", "Because who would not want to know what happens to the people we love"]
    track = Track([Cue(0, 6000, lines, source_line=1)], parse_language("zh-Hans"), format="srt")
    result = fix_track(track, load_profile("festival", track.language))
    (cue,) = result.track.cues
    assert cue.lines[0] == "我们为什么那么好奇呢"
    # Wrapping the English would make a three-line event: each language keeps its line, and
    # the long English line stays reported (issue 22: never 3-4 lines with no finding).
    assert cue.lines == lines
    assert "SK201" in {d.code for d in lint_track(result.track, load_profile("festival", track.language))}


def test_the_invariant_check_catches_a_desynchronising_fix() -> None:
    track = Track(
        [Cue(0, 2000, ["One."], source_line=1), Cue(2500, 4000, ["我们", "Two."], source_line=2)],
        parse_language("en"),
        format="srt",
    )
    result = fix_track(track, load_profile("festival", track.language))
    assert fix_violations(track, result, 83) == []
    result.track.cues[1].start += 500  # what the old fix did to title cards
    result.track.cues[0].end = 3500
    result.track.cues[1].lines = ["我们Two."]
    problems = fix_violations(track, result, 83)
    assert any("start moved by 500" in p for p in problems)
    assert any("overlap in one lane, not reported" in p for p in problems)
    assert any("mixes the scripts" in p for p in problems)
