"""Round trips on generated tracks: whatever text and timing a cue holds survives SRT, WebVTT and ASS."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.subtitles import Cue, Track, parse_text, render_track

# Letters of the three languages, punctuation with meaning in some format
# ("&", "<", ">" in WebVTT; "-" for dialogue), and U+00A0 inside a line.
ALPHABET = "abcXYZ éèçœÉ«»’?!:;.,-&<>\u00a0漆案潮汐城市，。？！“”0123456789"

line_text = (
    st.text(alphabet=ALPHABET, min_size=1, max_size=30)
    .map(str.strip)
    # A line of digits alone is an SRT index to every reader; a tag-like
    # "<i>" typed as text is markup. Neither is text a subtitler writes.
    .filter(lambda s: bool(s) and not s.isdigit() and "-->" not in s)
)
styled_line = st.tuples(line_text, st.sampled_from(["", "i", "b"])).map(
    lambda pair: f"<{pair[1]}>{pair[0]}</{pair[1]}>" if pair[1] else pair[0]
)


@st.composite
def tracks(draw: st.DrawFn) -> Track:
    count = draw(st.integers(min_value=1, max_value=6))
    start = draw(st.integers(min_value=0, max_value=10_000_000))
    cues = []
    for _ in range(count):
        start += draw(st.integers(min_value=0, max_value=60_000))
        length = draw(st.integers(min_value=0, max_value=7_000))
        lines = draw(st.lists(styled_line, min_size=1, max_size=2))
        alignment = draw(st.sampled_from([None, 8]))
        cues.append(Cue(start, start + length, lines, alignment=alignment))
        start += length
    return Track(cues=cues)


def _key(track: Track, precision: int = 1) -> list[tuple[int, int, list[str], int]]:
    return [
        (round(c.start / precision), round(c.end / precision), c.lines, c.alignment or 2) for c in track.cues
    ]


@settings(max_examples=60, deadline=None)
@given(tracks())
def test_srt_round_trip(track: Track) -> None:
    assert _key(parse_text(render_track(track, "srt"), "srt")) == _key(track)


@settings(max_examples=60, deadline=None)
@given(tracks())
def test_webvtt_round_trip(track: Track) -> None:
    assert _key(parse_text(render_track(track, "vtt"), "vtt")) == _key(track)


@settings(max_examples=60, deadline=None)
@given(tracks())
def test_ass_round_trip_to_the_centisecond(track: Track) -> None:
    back = parse_text(render_track(track, "ass"), "ass")
    assert [c.lines for c in back.cues] == [c.lines for c in track.cues]
    assert [(c.alignment or 2) for c in back.cues] == [(c.alignment or 2) for c in track.cues]
    for before, after in zip(track.cues, back.cues, strict=True):
        assert abs(after.start - before.start) <= 5 and abs(after.end - before.end) <= 5
