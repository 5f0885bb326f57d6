"""What sync must never change, whatever mapping it finds (toolkit/sync/apply.py lists the invariants):

1. the cues, in their order, with their text, lines, styles and positions;
2. the times other than by the mapping: start' = round(start * ratio) + offset of the
   cue's piece, the same for end, so durations are kept (ratio 1) or scaled by the ratio;
3. the order in time.
Tested on generated tracks with hypothesis and on every file of the shared corpus that parses.
"""

from __future__ import annotations

import tempfile
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import ScreenkitError
from toolkit.subtitles import SUBTITLE_EXTENSIONS, Cue, Track, read_track
from toolkit.sync import Piece, RatePair, SyncResult, rate_candidates, synced, write_synced
from toolkit.sync.apply import apply_mapping

RATES = rate_candidates()


def _mapping(track: Track, rate: RatePair, draw: st.DrawFn) -> SyncResult:
    """Up to four pieces, each with its own offset (order-breaking ones included: they must be refused)."""
    count = len(track.cues)
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=3))) if count > 1 else []
    bounds = [0, *cuts, count]
    pieces = [
        Piece(first, bounds[number + 1] - 1, draw(st.integers(0, 90_000)), 1.0, track.cues[first].start)
        for number, first in enumerate(bounds[:-1])
    ]
    return SyncResult(rate=rate, pieces=pieces, confidence=1.0, agreement=1.0, against="audio")


# Words as subtitles have them (Latin, accented, CJK, punctuation), spaces only inside a line.
_text = st.text(alphabet="abcxyzÀéçö中文字幕，。!?'-", min_size=1, max_size=12).map(lambda word: f"{word} {word}")


@st.composite
def tracks_and_mappings(draw: st.DrawFn) -> tuple[Track, SyncResult]:
    cues, at = [], draw(st.integers(0, 5000))
    for _ in range(draw(st.integers(1, 12))):
        at += draw(st.integers(0, 4000))
        length = draw(st.integers(0, 6000))
        lines = draw(st.lists(_text, min_size=1, max_size=3))
        alignment = draw(st.sampled_from([None, 2, 8]))
        cues.append(Cue(at, at + length, lines, alignment=alignment, style=draw(st.sampled_from([None, "Top"]))))
    track = Track(cues=cues, format="srt")
    return track, _mapping(track, draw(st.sampled_from(RATES)), draw)


def _assert_invariants(original: Track, mapped: Track, result: SyncResult) -> None:
    assert len(mapped.cues) == len(original.cues)
    offsets = [piece.offset_ms for piece in result.pieces for _ in range(piece.first_cue, piece.last_cue + 1)]
    ratio = result.ratio
    for before, after, offset in zip(original.cues, mapped.cues, offsets, strict=True):
        assert after.lines == before.lines
        assert (after.alignment, after.style, after.actor, after.source_line) == (
            before.alignment, before.style, before.actor, before.source_line,
        )  # fmt: skip
        assert after.start == round(Fraction(before.start) * ratio) + offset
        assert after.end == round(Fraction(before.end) * ratio) + offset
        if ratio == 1:
            assert after.duration == before.duration
        else:  # scaled by the ratio, to the millisecond of rounding at each end
            assert abs(after.duration - before.duration * ratio) <= 1
    for number in range(1, len(original.cues)):
        if original.cues[number].start >= original.cues[number - 1].start:
            assert mapped.cues[number].start >= mapped.cues[number - 1].start


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracks_and_mappings())
def test_a_mapping_changes_nothing_but_the_times(case: tuple[Track, SyncResult]) -> None:
    track, result = case
    snapshot = track.copy()
    try:
        mapped = synced(track, result)
    except ScreenkitError as error:
        # The only refusal: pieces that would put a cue before the one ahead of it.
        assert "before cue" in error.message and error.exit_code == 1
        return
    assert track == snapshot  # the input track is never modified
    _assert_invariants(track, mapped, result)
    # And what is written (atomically, read back before renaming) reads as the same cues.
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "synced.srt"
        write_synced(track, result, target)
        assert [cue.lines for cue in read_track(target).cues] == [cue.lines for cue in mapped.cues]


CORPUS_FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix.lower() in SUBTITLE_EXTENSIONS)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_tracks_keep_their_invariants(path: Path) -> None:
    try:
        track = read_track(path)
    except ScreenkitError:
        return  # unreadable files are the parser tests' business
    if not track.cues:
        return  # a file with no cues (a WebVTT header alone) has nothing to map
    half = len(track.cues) // 2
    for rate in (RATES[0], RatePair("25", "24"), RatePair("23.976", "25")):
        pieces = [Piece(0, len(track.cues) - 1, 2500, 1.0, 0)]
        if half:
            pieces = [Piece(0, half - 1, 2500, 1.0, 0), Piece(half, len(track.cues) - 1, 4000, 1.0, 0)]
        result = SyncResult(rate=rate, pieces=pieces, confidence=1.0, agreement=1.0, against="audio")
        mapped = apply_mapping(track, result)
        _assert_invariants(track, mapped, result)


# --------------------------------------------------------------------------- the confidence's decoys


@st.composite
def _spans(draw: st.DrawFn) -> list[tuple[int, int]]:
    at, spans = draw(st.integers(0, 500)), []
    for _ in range(draw(st.integers(2, 40))):
        length = draw(st.integers(1, 400))
        spans.append((at, at + length))
        at += length + draw(st.integers(0, 300))
    return spans


@given(_spans())
@settings(max_examples=60, deadline=None)
def test_decoys_keep_the_lengths_and_gaps_and_the_same_every_run(spans: list[tuple[int, int]]) -> None:
    from toolkit.sync.align import _decoys

    decoys = _decoys(spans, 4)
    assert decoys == _decoys(spans, 4)  # a fixed seed: the same confidence every run
    lengths = sorted(end - start for start, end in spans)
    gaps = sorted(b[0] - a[1] for a, b in pairwise(spans))
    for decoy in decoys:
        assert decoy[0][0] == spans[0][0]
        assert sorted(end - start for start, end in decoy) == lengths
        assert sorted(b[0] - a[1] for a, b in pairwise(decoy)) == gaps


@given(st.integers(1, 3_000_000))
@settings(max_examples=200, deadline=None)
def test_fft_sizes_are_5_smooth_and_large_enough(at_least: int) -> None:
    from toolkit.sync.align import _fft_size

    size = _fft_size(at_least)
    assert at_least <= size <= max(2, 2 * at_least)
    for prime in (2, 3, 5):
        while size % prime == 0:
            size //= prime
    assert size == 1


@given(_spans(), _spans(), st.integers(-300, 300))
@settings(max_examples=60, deadline=None)
def test_scores_by_fft_and_by_dot_product_agree(reference: list[tuple[int, int]], track: list[tuple[int, int]], offset: int) -> None:
    from toolkit.sync.align import Reference, _activity

    prepared = Reference(_activity(reference))
    wide = prepared.correlate(_activity(track), 400, -400)
    narrow = prepared.correlate(_activity(track), offset, offset)
    assert abs(float(wide.values[offset + 400]) - float(narrow.values[0])) < 1e-9
