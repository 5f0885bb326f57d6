"""bench/conformance_webvtt.py runs WPT-style pages against the reader, and can fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import load_bench_module

pytestmark = pytest.mark.skipif(shutil.which("node") is None and shutil.which("nodejs") is None,
                                reason="the runner executes the pages' scripts with node")

PAGE = """<!doctype html>
<title>WebVTT parser test: {name}</title>
<script>
var t = async_test('{name}');
t.step(function(){{
    var video = document.createElement('video');
    var track = document.createElement('track');
    assert_true('src' in track, 'track element not supported');
    track.src = 'support/{name}.vtt';
    track.onload = this.step_func(trackLoaded);
    track.onerror = this.step_func(trackError);
    video.appendChild(track);
    document.body.appendChild(video);
}});
function trackLoaded(event) {{
    var cues = event.target.parentNode.textTracks[0].cues;
    {{
{js}
    }}
    this.done();
}}
function trackError(e) {{ assert_unreached('got unexpected error event'); }}
</script>
"""


def _suite(root: Path, tests: dict[str, tuple[str, str]]) -> Path:
    (root / "tests" / "support").mkdir(parents=True)
    for name, (js, vtt) in tests.items():
        (root / "tests" / f"{name}.html").write_text(PAGE.format(name=name, js=js), encoding="utf-8")
        (root / "tests" / "support" / f"{name}.vtt").write_text(vtt, encoding="utf-8")
    return root


def test_the_runner_counts_passes_and_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runner = load_bench_module("conformance_webvtt")
    cue = "WEBVTT\n\nid one\n00:00:01.000 --> 00:00:02.500 line:.5 align:end\nHello\n"
    root = _suite(tmp_path / "wpt", {
        "good": ("assert_equals(cues.length, 1);\nassert_equals(cues[0].id, 'id one');\n"
                 "assert_equals(cues[0].endTime, 2.5);\nassert_equals(cues[0].line, 'auto');\n"
                 "assert_equals(cues[0].align, 'end');", cue),
        "wrong": ("assert_equals(cues[0].text, 'Goodbye');", cue),
        "zero": ("assert_equals(cues[0].line, 0);\nassert_true(cues[0].snapToLines);",
                 "WEBVTT\n\n00:00:01.000 --> 00:00:02.000 line:-0\nx\n"),
    })
    assert runner.main([str(root), "-v"]) == 1
    out = capsys.readouterr().out
    assert "passed 2 of 3 tests" in out
    assert "wrong" in out and "expected \"Goodbye\"" in out


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    assert load_bench_module("conformance_webvtt").main([str(tmp_path / "nowhere")]) == 2
