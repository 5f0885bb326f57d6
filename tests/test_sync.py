"""screenkit sync on speech the tests make: known offsets, a 25:24 drift, a two-part shift, an unrelated track."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, run_cli
from media_support import ffmpeg_exe
from sync_support import Speech, espeak_available, espeak_speech, moved, synthetic_speech

from toolkit.subtitles import Track, read_track, write_track
from toolkit.sync import align, speech_activity, synced
from toolkit.sync.activity import Activity
from toolkit.sync.align import piecewise_offsets

TOLERANCE_MS = 50  # the bar for every recovered offset
SECONDS = 60.0

VOICES = [
    "synthetic",
    pytest.param(
        "espeak",
        marks=pytest.mark.skipif(not espeak_available(), reason="Debian's espeak-ng is not installed (.ci/run installs it)"),
    ),
]


@cache
def _voice(name: str) -> tuple[Speech, Activity]:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="screenkit-sync-tests-"))
    make = synthetic_speech if name == "synthetic" else espeak_speech
    speech = make(folder / f"{name}.wav", seconds=SECONDS)
    return speech, speech_activity(speech.path)


@pytest.fixture(params=VOICES)
def voice(request: pytest.FixtureRequest) -> tuple[Speech, Activity]:
    return _voice(request.param)


def _assert_on_truth(result_track: Track, speech: Speech, skip: frozenset[int] = frozenset()) -> None:
    for index, (cue, (start, end)) in enumerate(zip(result_track.cues, speech.utterances, strict=True)):
        if index in skip:
            continue
        assert abs(cue.start - start) <= TOLERANCE_MS, (index, cue.start, start)
        assert abs(cue.end - end) <= TOLERANCE_MS, (index, cue.end, end)


@pytest.mark.parametrize("shift_ms", [2500, -800])
def test_a_shifted_track_is_put_back(voice: tuple[Speech, Activity], shift_ms: int) -> None:
    speech, activity = voice
    wrong = moved(speech.track(), shift_ms=shift_ms)
    result = align(wrong.cues, activity)
    assert abs(result.offset_ms + shift_ms) <= TOLERANCE_MS
    assert result.ratio == 1 and len(result.pieces) == 1
    assert result.confidence >= 0.5
    _assert_on_truth(synced(wrong, result), speech)


def test_a_25_to_24_drift_is_found_exactly(voice: tuple[Speech, Activity]) -> None:
    speech, activity = voice
    # Timed for a copy running at 25 fps: at 24 fps every frame comes 25/24 as late.
    wrong = moved(speech.track(), scale=24 / 25, shift_ms=300)
    result = align(wrong.cues, activity, fps_search=True)
    assert result.rate.label == "25:24"
    assert result.ratio == Fraction(25, 24)
    assert result.confidence >= 0.5
    _assert_on_truth(synced(wrong, result), speech)
    # Without the search the drift cannot be fitted by one offset: refused, not half-fixed.
    assert align(wrong.cues, activity).confidence < 0.5


def test_no_drift_is_not_taken_for_24_to_23976(voice: tuple[Speech, Activity]) -> None:
    speech, activity = voice
    result = align(moved(speech.track(), shift_ms=-800).cues, activity, fps_search=True)
    assert result.ratio == 1


def test_a_two_part_shift_is_split_at_the_right_cue(voice: tuple[Speech, Activity]) -> None:
    speech, activity = voice
    track = speech.track()
    cut = len(track.cues) // 2
    wrong = moved(track, shift_ms=1200, from_cue=cut)  # a scene 1.2 s longer in the copy the track was made for
    result = align(wrong.cues, activity, split=True)
    assert len(result.pieces) == 2
    first, second = result.pieces
    assert abs(second.first_cue - cut) <= 1
    assert second.start_ms == wrong.cues[second.first_cue].start
    assert abs(first.offset_ms) <= TOLERANCE_MS
    assert abs(second.offset_ms + 1200) <= TOLERANCE_MS
    assert result.confidence >= 0.5
    _assert_on_truth(synced(wrong, result), speech, skip=frozenset({cut - 1, cut}))
    # With a frame-rate search as well, the rates compete on the piecewise score: still 1:1.
    assert align(wrong.cues, activity, split=True, fps_search=True).ratio == 1


@pytest.mark.parametrize("options", [{}, {"fps_search": True}, {"split": True}, {"fps_search": True, "split": True}])
def test_an_unrelated_track_gets_a_low_confidence(voice: tuple[Speech, Activity], options: dict[str, bool]) -> None:
    speech, activity = voice
    for seed in (99, 5, 11):
        other = synthetic_speech(speech.path.with_name(f"other-{seed}.wav"), seconds=SECONDS, seed=seed)
        assert align(other.track().cues, activity, **options).confidence < 0.5, seed


def test_piecewise_offsets_on_activity_strings() -> None:
    """The dynamic programme alone: ten cues, the last four 3 s later than the reference."""
    rng = np.random.default_rng(1)
    spans, at = [], 100
    for _ in range(10):
        length = int(rng.integers(80, 250))
        spans.append((at, at + length))
        at += length + int(rng.integers(40, 260))
    reference = np.zeros(at + 1000, dtype=np.uint8)
    for start, end in spans:
        reference[start:end] = 1
    wrong = [(s, e) if i < 6 else (s + 300, e + 300) for i, (s, e) in enumerate(spans)]
    runs = piecewise_offsets(wrong, reference, max_offset=1000, penalty=400).runs
    assert runs == [(0, 5, 0), (6, 9, -300)]
    # A penalty larger than the whole gain keeps one offset.
    assert len(piecewise_offsets(wrong, reference, max_offset=1000, penalty=10**6).runs) == 1


# --------------------------------------------------------------------------- the command


@cache
def _film() -> tuple[Path, Speech]:
    """A real little film: black H.264 picture and AAC audio carrying the synthetic speech."""
    speech, _ = _voice("synthetic")
    film = speech.path.with_name("film.mp4")
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"color=black:size=64x64:rate=5:duration={SECONDS}", "-i", str(speech.path),
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "48k", "-shortest", str(film)],
        check=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    return film, speech


def test_cli_syncs_a_film_and_keeps_the_text(tmp_path: Path) -> None:
    film, speech = _film()
    source = tmp_path / "film.fr.srt"
    track = moved(speech.track(), shift_ms=2500)
    for number, cue in enumerate(track.cues):
        cue.lines = [f"Réplique {number}", "<i>deuxième ligne</i>"]
    write_track(track, source)
    before = source.read_bytes()
    out = tmp_path / "out" / "film.fr.synced.srt"
    done = run_cli("sync", str(film), "--subs", str(source), "-o", str(out))
    assert done.code == 0, done.stderr
    assert "offset -2.4" in done.stdout or "offset -2.5" in done.stdout
    assert source.read_bytes() == before
    written = read_track(out)
    assert [cue.lines for cue in written.cues] == [cue.lines for cue in track.cues]
    for cue, (start, _end) in zip(written.cues, speech.utterances, strict=True):
        assert abs(cue.start - start) <= TOLERANCE_MS


def test_cli_json_report_and_split(tmp_path: Path) -> None:
    film, speech = _film()
    source = tmp_path / "two.srt"
    cut = len(speech.utterances) // 2
    write_track(moved(speech.track(), shift_ms=-1500, from_cue=cut), source)
    out = tmp_path / "two.synced.vtt"
    done = run_cli("sync", str(film), "--subs", str(source), "--split", "-o", str(out), "--format", "json")
    assert done.code == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["written"] is True and report["output"] == str(out)
    assert report["pieces"][0]["first_cue"] == 1
    assert abs(report["pieces"][1]["first_cue"] - 1 - cut) <= 1
    assert abs(report["pieces"][1]["offset_ms"] - 1500) <= TOLERANCE_MS
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")


def test_cli_refuses_an_unrelated_track_and_writes_nothing(tmp_path: Path) -> None:
    film, _ = _film()
    other = synthetic_speech(tmp_path / "other.wav", seconds=SECONDS, seed=99)
    source = tmp_path / "other.srt"
    write_track(other.track(), source)
    out = tmp_path / "never.srt"
    done = run_cli("sync", str(film), "--subs", str(source), "-o", str(out), "--format", "json")
    assert done.code == 1
    assert json.loads(done.stdout)["written"] is False
    assert "not written" in done.stderr
    assert not out.exists()
    assert not any(path.name.startswith(".never") for path in tmp_path.iterdir())  # no temporary left


def test_cli_reference_track(tmp_path: Path) -> None:
    _, speech = _film()
    reference, source, out = tmp_path / "en.srt", tmp_path / "zh.srt", tmp_path / "zh.synced.srt"
    write_track(speech.track(), reference)
    write_track(moved(speech.track(), shift_ms=-800), source)
    done = run_cli("sync", "--reference", str(reference), "--subs", str(source), "-o", str(out))
    assert done.code == 0, done.stderr
    assert "offset +0.800 s against the reference" in done.stdout
    assert [(c.start, c.end) for c in read_track(out).cues] == speech.utterances


def test_cli_usage_errors(tmp_path: Path) -> None:
    film, speech = _film()
    source = tmp_path / "a.srt"
    write_track(speech.track(), source)
    both = run_cli("sync", str(film), "--reference", str(source), "--subs", str(source), "-o", str(tmp_path / "x.srt"))
    assert both.code == 2 and "not both" in both.stderr
    assert run_cli("sync", str(film), "--subs", str(source)).code == 2
    silent = tmp_path / "silent.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=black:size=64x64:rate=5:duration=1",
         "-c:v", "libx264", "-preset", "ultrafast", str(silent)],
        check=True, stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip
    done = run_cli("sync", str(silent), "--subs", str(source), "-o", str(tmp_path / "y.srt"))
    assert done.code == 2
    assert done.stderr.strip() == f"{silent}: no audio stream to sync against"
    missing = run_cli("sync", str(tmp_path / "nope.mp4"), "--subs", str(source), "-o", str(tmp_path / "z.srt"))
    assert missing.code == 2 and "Traceback" not in missing.stderr
    assert not (tmp_path / "y.srt").exists() and not (tmp_path / "z.srt").exists()


@pytest.mark.parametrize("argv", [["--help"], ["sync", "--help"]])
def test_help_does_not_import_the_sync_code(argv: list[str]) -> None:
    probe = (
        "import sys\n"
        "from toolkit.cli.main import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED=' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'webrtcvad') or m.startswith('toolkit.sync'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "LOADED="
