"""Sync speed on 90 minutes of audio, as a ratio to decoding that audio with ffmpeg alone.

The audio is made cheaply in the run: 7 minutes of the tests' synthetic
speech (tests/sync_support.py) encoded once to AAC 48 kHz, then looped to
90 minutes by stream copy (no re-encoding). 7 minutes is longer than twice
the ±60 s search, so the loop adds no second peak. The track is the true
utterances, 1 800-odd cues, shifted by +2.5 s.

Baseline: the very ffmpeg command sync runs (decode the first audio stream to
16 kHz mono s16le on a pipe), its output discarded, measured in the same run.
Figures: ``screenkit sync`` as a library call (decode + VAD + alignment +
writing the track), plain, with --fps-search, and with --split; wall and CPU
time (this process and ffmpeg), best of N interleaved runs. Looping AAC by
stream copy repeats the encoder's priming samples at each loop (some 20-40 ms
per loop), so the later loops lie slightly later than the track says: the
offset found is the average (about -2.42 s, not -2.50) and --split finds
the steps. That is the bench's media, not sync: the tests measure accuracy.

    .venv/bin/python bench/bench_sync.py [--minutes 90] [--repeat 2]
"""

from __future__ import annotations

import argparse
import resource
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


def _cpu() -> float:
    """CPU seconds of this process and its finished children (ffmpeg): steadier than wall time on a busy machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(work: Callable[[], object]) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), _cpu()
    result = work()
    return time.perf_counter() - wall, _cpu() - cpu, result


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

        # Interleaved, best of N each: the machine's load drifts less between neighbours.
        runs: dict[str, list[tuple[float, float, object]]] = {}
        variants = (("sync", {}), ("sync --fps-search", {"fps_search": True}), ("sync --split", {"split": True}))
        for _ in range(options.repeat):
            runs.setdefault("decode", []).append(timed(decode))
            for label, flags in variants:
                runs.setdefault(label, []).append(timed(sync(**flags)))
        base_wall = min(run[0] for run in runs["decode"])
        base_cpu = min(run[1] for run in runs["decode"])
        print(f"baseline: ffmpeg decode to 16 kHz mono PCM: {base_wall:.2f} s wall, {base_cpu:.2f} s CPU")
        for label, _flags in variants:
            wall = min(run[0] for run in runs[label])
            cpu = min(run[1] for run in runs[label])
            result = runs[label][-1][2]
            print(
                f"{label:18} {wall:6.2f} s wall {wall / base_wall:5.2f}x, {cpu:6.2f} s CPU {cpu / base_cpu:5.2f}x decode  "
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
