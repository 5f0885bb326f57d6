"""Lint and fix the real-world corpus: no crash, words kept, no overlaps, output that parses again."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS

from toolkit.errors import ScreenkitError
from toolkit.qc import fix_track, lint_track, load_profile
from toolkit.qc import text as tx
from toolkit.subtitles import parse_text, read_track, render_track

FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in (".srt", ".vtt", ".ass", ".ssa"))


def words(cues: list) -> list[str]:
    return [word for cue in cues for word in tx.words(" ".join(cue.lines))]


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 50


@pytest.mark.parametrize("path", FILES, ids=[p.name[-60:] for p in FILES])
def test_real_file_lints_and_fixes_safely(path: Path) -> None:
    try:
        track = read_track(path)
    except ScreenkitError:
        return  # unreadable on purpose (the corpus has broken files); the reader's tests cover them
    profile = load_profile("festival", track.language)
    findings = lint_track(track, profile)
    assert all(f.location.path == str(path) for f in findings)
    result = fix_track(track, profile)
    ordered = sorted(track.cues, key=lambda cue: cue.start)
    assert words(result.track.cues) == words(ordered)
    for cue, following in zip(result.track.cues, result.track.cues[1:], strict=False):
        assert cue.end <= following.start
    if result.track.cues:
        again = parse_text(render_track(result.track, track.format or "srt"), track.format or "srt")
        assert len(again) == len(result.track)
