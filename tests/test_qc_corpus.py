"""Lint and fix the real-world corpus: no crash, words kept, no overlaps, output that parses again."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS
from test_qc_lanes import check_fix_invariants

from toolkit.errors import ScreenkitError
from toolkit.qc import fix_track, lint_track, load_profile
from toolkit.qc.timing import capabilities_of
from toolkit.subtitles import SUBTITLE_EXTENSIONS, parse_text, read_track, render_track
from toolkit.text import widths as tx

FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in SUBTITLE_EXTENSIONS)


def _readable(path: Path) -> bool:
    # The corpus holds broken files on purpose; the reader's own tests cover those.
    try:
        read_track(path)
    except ScreenkitError:
        return False
    return True


READABLE = [path for path in FILES if _readable(path)]


def words(cues: list) -> list[str]:
    return [word for cue in cues for word in tx.words(" ".join(cue.lines))]


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 50
    assert len(READABLE) >= 0.8 * len(FILES)


@pytest.mark.parametrize("path", READABLE, ids=[p.name[-60:] for p in READABLE])
def test_real_file_lints_and_fixes_safely(path: Path) -> None:
    track = read_track(path)
    profile = load_profile("festival", track.language)
    findings = lint_track(track, profile)
    assert all(f.location.path == str(path) for f in findings)
    result = fix_track(track, profile)
    # SRT and WebVTT come out in time order; ASS and SSA events keep the file's order.
    caps = capabilities_of(track)
    ordered = track.cues if caps.any_order else sorted(track.cues, key=lambda cue: cue.start)
    assert words(result.track.cues) == words(ordered)
    # Sync, lanes, scripts: the invariants of the generated tracks hold on real files too.
    check_fix_invariants(track, result, profile.duration_ms("min_gap", track.frame_rate or profile.frame_rate) or 0)
    if result.track.cues:
        again = parse_text(render_track(result.track, track.format or "srt"), track.format or "srt")
        assert len(again) == len(result.track)
