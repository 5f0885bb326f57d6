"""screenkit sync on composed films of 45 s, 1 and 3 minutes: put back and written, or refused.

Each film (espeak-ng clips at irregular times, tests/sync_support.py) is made
once per test session: a 64x64 black picture at 5 fps and AAC audio.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest
from conftest import run_cli
from media_support import ffmpeg_exe
from sync_support import Film, compose_film, moved

from toolkit.subtitles import Track, read_track, write_track

TOLERANCE_MS = 50
LENGTHS = [45.0, 60.0, 180.0]


@cache
def _film(seconds: float) -> tuple[Path, Film]:
    folder = Path(tempfile.mkdtemp(prefix=f"screenkit-sync-{seconds:g}-"))
    film = compose_film(seconds, "room", seed=5)
    wav = film.write_wav(folder / "speech.wav")
    video = folder / "film.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"color=black:size=64x64:rate=5:duration={seconds}", "-i", str(wav),
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "48k", "-shortest", str(video)],
        check=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    wav.unlink()
    return video, film


def _sync(tmp_path: Path, seconds: float, track: Track, *options: str) -> tuple[int, dict[str, object], Path]:
    video, _ = _film(seconds)
    source, out = tmp_path / "in.srt", tmp_path / "out.srt"
    write_track(track, source)
    done = run_cli("sync", str(video), "--subs", str(source), "-o", str(out), "--format", "json", *options)
    assert "Traceback" not in done.stderr
    return done.code, json.loads(done.stdout), out


def _assert_put_back(out: Path, film: Film) -> None:
    written = read_track(out)
    assert len(written.cues) == len(film.utterances)
    for cue, (start, end) in zip(written.cues, film.utterances, strict=True):
        assert abs(cue.start - start) <= TOLERANCE_MS, (cue.start, start)
        assert abs(cue.end - end) <= TOLERANCE_MS, (cue.end, end)


@pytest.mark.parametrize("seconds", LENGTHS)
def test_films_have_enough_lines(seconds: float) -> None:
    assert len(_film(seconds)[1].utterances) >= 8


@pytest.mark.parametrize("seconds", LENGTHS)
@pytest.mark.parametrize("shift_ms", [2500, -800])
def test_an_offset_is_put_back_and_written(tmp_path: Path, seconds: float, shift_ms: int) -> None:
    film = _film(seconds)[1]
    code, report, out = _sync(tmp_path, seconds, moved(film.track(), shift_ms=shift_ms))
    assert code == 0, report
    assert report["written"] is True and abs(int(report["offset_ms"]) + shift_ms) <= TOLERANCE_MS  # type: ignore[call-overload]
    _assert_put_back(out, film)


@pytest.mark.parametrize("seconds", LENGTHS)
def test_a_25_to_24_drift_is_put_back_and_written(tmp_path: Path, seconds: float) -> None:
    film = _film(seconds)[1]
    code, report, out = _sync(tmp_path, seconds, moved(film.track(), scale=24 / 25, shift_ms=300), "--fps-search")
    assert code == 0, report
    assert report["fps"] == "25:24" and report["written"] is True
    _assert_put_back(out, film)


@pytest.mark.parametrize("seconds", LENGTHS)
def test_a_two_part_shift_is_put_back_and_written(tmp_path: Path, seconds: float) -> None:
    film = _film(seconds)[1]
    cut = len(film.utterances) // 2
    code, report, out = _sync(tmp_path, seconds, moved(film.track(), shift_ms=1200, from_cue=cut), "--split")
    assert code == 0, report
    pieces = report["pieces"]
    assert isinstance(pieces, list) and len(pieces) == 2
    assert pieces[1]["first_cue"] - 1 == cut
    _assert_put_back(out, film)


@pytest.mark.parametrize("seconds", LENGTHS)
@pytest.mark.parametrize("options", [(), ("--fps-search",), ("--split",)])
def test_an_unrelated_track_is_refused(tmp_path: Path, seconds: float, options: tuple[str, ...]) -> None:
    other = compose_film(seconds, "room", seed=77).track()
    code, report, out = _sync(tmp_path, seconds, other, *options)
    assert code == 1 and report["written"] is False
    assert float(report["confidence"]) < float(report["min_confidence"])  # type: ignore[arg-type]
    assert not out.exists()


def test_one_offset_over_a_two_part_track_is_refused_with_a_hint(tmp_path: Path) -> None:
    """Half the track fits at one offset: the quarters' agreement tells it from a right answer."""
    film = _film(180.0)[1]
    assert len(film.utterances) >= 20
    cut = len(film.utterances) // 2
    code, report, out = _sync(tmp_path, 180.0, moved(film.track(), shift_ms=1200, from_cue=cut))
    assert code == 1 and report["written"] is False and not out.exists()
    assert any("--split" in warning for warning in report["warnings"])  # type: ignore[attr-defined]


def test_the_check_says_which_cues_lie_off_the_speech() -> None:
    from toolkit.sync.check import estimate

    video, film = _film(180.0)
    cut = len(film.utterances) // 2
    found = estimate(video, moved(film.track(), shift_ms=1200, from_cue=cut))
    assert found.off_speech is not None and found.off(200)
    first, last = found.off_speech
    # One side of the cut fits at the offset found; the quarter named lies wholly on the other.
    assert last <= cut or first > cut
    assert last - first + 1 <= len(film.utterances) // 4 + 1
    assert found.to_json()["off_speech_cues"] == [first, last]
    right = estimate(video, film.track())
    assert right.measured and right.off_speech is None and not right.off(200)
