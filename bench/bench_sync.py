"""Sync speed on 90 minutes of audio, as a ratio to decoding that audio with ffmpeg alone.

The audio is made cheaply in the run: 7 minutes of the tests' synthetic
speech (tests/sync_support.py) encoded once to AAC 48 kHz, then looped to
90 minutes by stream copy (no re-encoding). 7 minutes is longer than twice
the ±60 s search, so the loop adds no second peak. The track is the true
utterances, 1 800-odd cues, shifted by +2.5 s.

Baseline: the very ffmpeg command sync runs (decode the first audio stream to
16 kHz mono s16le on a pipe), its output discarded, measured in the same run.
Figures: ``screenkit sync`` as a library call (decode + VAD + alignment +
writing the track), plain, with --fps-search, and with --split. Best of N.

    .venv/bin/python bench/bench_sync.py [--minutes 90] [--repeat 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sync_support import moved, synthetic_speech  # noqa: E402

from toolkit.media.ffmpeg import resolve_ffmpeg  # noqa: E402
from toolkit.subtitles import Cue, Track  # noqa: E402
from toolkit.sync import measure, speech_activity, write_synced  # noqa: E402
from toolkit.sync.audio import decode_command  # noqa: E402

BASE_SECONDS = 420.0


def make_audio(folder: Path, minutes: float) -> tuple[Path, Track]:
    ffmpeg = resolve_ffmpeg().path
    speech = synthetic_speech(folder / "base.wav", seconds=BASE_SECONDS, seed=3)
    base = folder / "base.m4a"
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i", str(speech.path),
         "-ar", "48000", "-c:a", "aac", "-b:a", "96k", str(base)],
        check=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    loops = int(minutes * 60 // BASE_SECONDS)
    film = folder / "film.m4a"
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-stream_loop", str(loops - 1), "-i", str(base),
         "-c", "copy", str(film)],
        check=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    cues = []
    for loop in range(loops):
        at = round(loop * BASE_SECONDS * 1000)
        cues.extend(Cue(start + at, end + at, [f"Line {len(cues) + 1}"]) for start, end in speech.utterances)
    return film, moved(Track(cues=cues, format="srt"), shift_ms=2500)


def best_of(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=90.0)
    parser.add_argument("--repeat", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="screenkit-bench-sync-") as scratch:
        folder = Path(scratch)
        start = time.perf_counter()
        film, track = make_audio(folder, options.minutes)
        print(f"made {options.minutes:g} min of AAC audio and {len(track)} cues in {time.perf_counter() - start:.1f} s")
        ffmpeg = resolve_ffmpeg()

        def decode() -> None:
            subprocess.run(decode_command(ffmpeg, film), check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)

        def sync(**flags: bool) -> Callable[[], object]:
            def run() -> object:
                result = measure(track, speech_activity(film, ffmpeg=ffmpeg), **flags)
                write_synced(track, result, folder / "out.srt")
                return result

            return run

        baseline, _ = best_of(options.repeat, decode)
        print(f"baseline: ffmpeg decode to 16 kHz mono PCM: {baseline:.2f} s")
        for label, flags in (("sync", {}), ("sync --fps-search", {"fps_search": True}), ("sync --split", {"split": True})):
            seconds, result = best_of(options.repeat, sync(**flags))
            print(
                f"{label:18} {seconds:6.2f} s  {seconds / baseline:5.2f}x decode  "
                f"(offset {result.offset_ms:+d} ms, ratio {result.ratio}, pieces {len(result.pieces)}, "  # type: ignore[attr-defined]
                f"confidence {result.confidence:.2f})"  # type: ignore[attr-defined]
            )
        start = time.perf_counter()
        activity = speech_activity(film, ffmpeg=ffmpeg)
        listened = time.perf_counter() - start
        start = time.perf_counter()
        measure(track, activity)
        print(f"of which decode + VAD {listened:.2f} s, alignment alone {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
