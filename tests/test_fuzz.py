"""The fuzzing harness's short run: a few thousand mutated and generated inputs, no crash.

(The long run, over a million inputs, is recorded in BENCHMARKS.md. Slowness is measured
there, not here: a loaded machine must not fail the suite, so the limit here is generous.)
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from conftest import load_bench_module

from toolkit.errors import ScreenkitError


def _harness() -> ModuleType:
    return load_bench_module("fuzz")


def test_short_run_finds_no_crash() -> None:
    fuzz = _harness()
    stats = fuzz.fuzz(2000, None, 12, 60.0, ["subtitles", "lint", "manifest", "check"], 0.05, 5.0)
    assert sum(stats.inputs.values()) == 2000 and all(stats.inputs.values())
    crashes = [f for f in stats.findings if f.kind == "crash"]
    assert not crashes, [(f.target, f.summary, f.data[:200], f.trace) for f in crashes]
    # Bad inputs were really made: most of them are refused, with a ScreenkitError.
    assert sum(stats.refused.values()) > 200


def test_the_harness_reports_a_crash_minimised() -> None:
    fuzz = _harness()

    def broken(data: bytes, hint: str) -> object:
        if b"BOOM" in data:
            raise KeyError("boom")
        raise ScreenkitError("refused")

    summary, trace, _seconds = fuzz.run_one(broken, b"x" * 500 + b"BOOM" + b"y" * 500, "srt")
    assert summary == "KeyError: 'boom'" and "KeyError" in trace

    def same(result: str | None, seconds: float) -> bool:
        return bool(result) and result.startswith("KeyError")

    assert fuzz.minimise(broken, b"x" * 500 + b"BOOM" + b"y" * 500, "srt", same) == b"BOOM"
    assert fuzz.run_one(broken, b"fine", "srt")[0] == ""  # a ScreenkitError is the expected answer


def test_every_registered_reader_has_seeds() -> None:
    from toolkit.subtitles.formats import format_names

    fuzz = _harness()
    assert {hint for _data, hint in fuzz.written_seeds()} == set(format_names())


def test_xml_mutations_reach_nesting_entities_and_numbers() -> None:
    import random

    fuzz = _harness()
    seed = next(data for data, hint in fuzz.written_seeds() if hint == "imsc")
    rng = random.Random(3)
    made = []
    for _ in range(300):
        out = bytearray(seed)
        fuzz.mutate_xml(out, rng)
        made.append(bytes(out))
    assert any(b"<!ENTITY" in m for m in made)
    assert any(m.count(b"<span>") > 100 or m.count(b"<div>") > 100 or m.count(b"<p>") > 100 for m in made)
    assert any(any(f'="{n}"'.encode() in m for n in ("NaN", "inf", "1e400", "-1")) for m in made)


def test_read_back_check_passes_a_faithful_writer_and_catches_a_lossy_one(tmp_path: Path) -> None:
    from dataclasses import replace

    from toolkit.subtitles.formats import get_format
    from toolkit.subtitles.model import Cue, Track

    fuzz = _harness()
    track = Track(cues=[Cue(1000, 2000, ["<i>one</i>"]), Cue(3000, 4000, ["two", "lines"])])
    for fmt in ("srt", "vtt", "ass", "imsc", "ebu-tt-d"):
        written = get_format(fmt).write(track).encode()
        assert fuzz.read_back_check(track, written, fmt) == [], fmt
    lossy = Track(cues=track.cues[:1])
    assert fuzz.read_back_check(track, get_format("srt").write(lossy).encode(), "srt")
    shifted = Track(cues=[Cue(1000, 2000, ["<i>one</i>"]), Cue(3100, 4000, ["two", "lines"])])
    assert fuzz.read_back_check(track, get_format("srt").write(shifted).encode(), "srt")
    # The readback target reports a writer that loses a cue as a read-back failure.
    runner = fuzz.Targets(tmp_path)
    runner.formats = [replace(get_format("srt"), write=lambda t: get_format("srt").write(Track(cues=t.cues[:1])))]
    source = get_format("srt").write(track).encode()
    with pytest.raises(fuzz.ReadBackFailure, match="srt -> srt"):
        runner.readback(source, "srt")
