"""bench/conformance_imsc.py: skips cleanly without its suite, and compares timelines strictly."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_bench_module

from toolkit.subtitles.model import Cue


def test_without_the_suite_or_imscjs_the_bench_says_so_and_exits_0(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench_module("conformance_imsc")
    assert bench.main(["--suite", str(tmp_path / "absent"), "--imscjs", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("skipped: ") and ("imscJS" in out or "node" in out)
    (tmp_path / "imsc").mkdir()
    (tmp_path / "sax").mkdir()
    assert bench.main(["--suite", str(tmp_path / "absent"), "--imscjs", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("skipped: ")


def test_timelines_agree_only_when_the_same_text_is_shown_at_the_same_times() -> None:
    bench = load_bench_module("conformance_imsc")
    oracle = bench.oracle_timeline([[0, ["a  b"]], [1, ["a b", "c"]], [2, []]])
    cues = [Cue(0, 2000, ["a b"]), Cue(1000, 2000, ["c"])]
    assert bench.screenkit_timeline(cues) == oracle == [(0, 1000, ("a b",)), (1000, 2000, ("a b", "c"))]
    assert bench.screenkit_timeline([Cue(0, 2000, ["a b"]), Cue(1000, 1900, ["c"])]) != oracle
    assert bench.screenkit_timeline([Cue(0, 2000, ["a b"])]) != oracle
