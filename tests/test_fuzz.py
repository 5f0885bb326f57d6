"""The fuzzing harness's short run: a few thousand mutated and generated inputs, no crash.

(The long run, over a million inputs, is recorded in BENCHMARKS.md. Slowness is measured
there, not here: a loaded machine must not fail the suite, so the limit here is generous.)
"""

from __future__ import annotations

from types import ModuleType

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
