"""screenkit sync against ffsubsync on the calibration films: accuracy and CPU time side by side.

ffsubsync is never a dependency: the bench installs it into a throw-away
venv (``--venv``, default /tmp/screenkit-ffsubsync) with the ordinary pip,
after checking that the package registry answers, and runs its command line
there with the ffmpeg screenkit uses (``--ffmpeg-path``, ``--vad webrtc``,
as sync-notes.md advises). Films are bench/calibrate_sync.py's (composed by
tests/sync_support.py), encoded once to AAC in an .m4a that both tools read.

Cases: +2.5 s, -0.8 s (plain), a 25:24 drift (screenkit --fps-search;
ffsubsync fixes frame rates by default), a two-part cut (screenkit --split;
ffsubsync --split-penalty 7, alass's default) and a track of another film.
Per tool: median and worst start error over the cues (ms), the share of cues
within 50 ms, whether it wrote the track, and CPU seconds (the tool and its
ffmpeg; ffsubsync's includes starting its interpreter, about 1 s).

    .venv/bin/python bench/bench_ffsubsync.py [--lengths 45,180,600] [--venv DIR]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sync_support import BACKGROUNDS, Film, compose_film, moved  # noqa: E402

from toolkit.media.ffmpeg import resolve_ffmpeg  # noqa: E402
from toolkit.subtitles import Track, read_track, write_track  # noqa: E402
from toolkit.sync import DEFAULT_MIN_CONFIDENCE, measure, speech_activity, write_synced  # noqa: E402

TOLERANCE_MS = 50
CASES: tuple[tuple[str, Callable[[Film], Track], list[str], dict[str, bool]], ...] = (
    ("+2.5 s", lambda film: moved(film.track(), shift_ms=2500), [], {}),
    ("-0.8 s", lambda film: moved(film.track(), shift_ms=-800), [], {}),
    ("25:24 drift", lambda film: moved(film.track(), scale=24 / 25, shift_ms=300), [], {"fps_search": True}),
    (
        "two-part cut",
        lambda film: moved(film.track(), shift_ms=1200, from_cue=len(film.placed) // 2),
        ["--split-penalty", "7"],
        {"split": True},
    ),
    ("unrelated", lambda film: compose_film(film.seconds, film.background, seed=film.seed + 1000).track(), [], {}),
)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ensure_ffsubsync(venv: Path) -> Path:
    """The ffsubsync command of a throw-away venv, made on first use (exit 2 if the registry does not answer)."""
    command = venv / "bin" / "ffsubsync"
    if command.exists():
        return command
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    probe = subprocess.run([*pip, "download", "--no-deps", "-q", "-d", tempfile.mkdtemp(), "ffsubsync"], check=False)
    if probe.returncode != 0:
        sys.exit("the package registry does not answer: cannot install ffsubsync for the comparison")
    subprocess.run([*pip, "install", "-q", "ffsubsync"], check=True)
    return command


def _errors(track: Track, film: Film) -> list[int]:
    return [abs(cue.start - start) for cue, (start, _) in zip(track.cues, film.utterances, strict=True)]


def _summary(errors: list[int] | None, written: bool, cpu: float) -> str:
    if not written:
        return f"refused | {cpu:.2f}"
    if errors is None:
        return f"written (a track of another film) | {cpu:.2f}"
    within = sum(error <= TOLERANCE_MS for error in errors) / len(errors)
    return f"{statistics.median(errors):.0f} / {max(errors)} ms, {within:.0%} | {cpu:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="45,180,600")
    parser.add_argument("--backgrounds", default=",".join(BACKGROUNDS))
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "screenkit-ffsubsync")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    ffsubsync = ensure_ffsubsync(options.venv)
    version = subprocess.run([str(ffsubsync), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    ffmpeg = resolve_ffmpeg()
    print(f"ffsubsync {version or '?'} ({ffsubsync}); screenkit threshold {DEFAULT_MIN_CONFIDENCE}")
    print("| length | background | case | screenkit: median / worst error, within 50 ms | CPU s | ffsubsync: median / worst error, within 50 ms | CPU s |")
    print("|---|---|---|---|---|---|---|")
    totals = {"screenkit": 0.0, "ffsubsync": 0.0}
    with tempfile.TemporaryDirectory(prefix="screenkit-bench-ffs-") as scratch:
        folder = Path(scratch)
        for seconds in (float(value) for value in options.lengths.split(",")):
            for background in options.backgrounds.split(","):
                film = compose_film(seconds, background, seed=options.seed)
                wav = film.write_wav(folder / "film.wav")
                audio = folder / "film.m4a"
                subprocess.run(
                    [ffmpeg.path, "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav), "-ar", "48000",
                     "-c:a", "aac", "-b:a", "96k", str(audio)],
                    check=True, stdin=subprocess.DEVNULL,
                )  # fmt: skip
                wav.unlink()
                for name, make, ffs_flags, flags in CASES:
                    track = make(film)
                    source = folder / "in.srt"
                    write_track(track, source)
                    related = name != "unrelated"
                    # screenkit, in this process: decode + VAD + alignment + write.
                    out = folder / "screenkit.srt"
                    out.unlink(missing_ok=True)
                    start = _cpu()
                    result = measure(track, speech_activity(audio, ffmpeg=ffmpeg), **flags)
                    written = result.confidence >= DEFAULT_MIN_CONFIDENCE
                    if written:
                        write_synced(track, result, out)
                    ours_cpu = _cpu() - start
                    ours = _errors(read_track(out), film) if written and related else None
                    # ffsubsync, its command line in its venv.
                    theirs_out = folder / "ffsubsync.srt"
                    theirs_out.unlink(missing_ok=True)
                    start = _cpu()
                    done = subprocess.run(
                        [str(ffsubsync), str(audio), "-i", str(source), "-o", str(theirs_out),
                         "--ffmpeg-path", ffmpeg.path, "--vad", "webrtc", *ffs_flags],
                        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
                    )  # fmt: skip
                    theirs_cpu = _cpu() - start
                    theirs_written = done.returncode == 0 and theirs_out.exists()
                    theirs = _errors(read_track(theirs_out), film) if theirs_written and related else None
                    totals["screenkit"] += ours_cpu
                    totals["ffsubsync"] += theirs_cpu
                    label = f"{seconds:g} s" if seconds < 60 else f"{seconds / 60:g} min"
                    print(
                        f"| {label} | {background} | {name} | {_summary(ours, written, ours_cpu)} | "
                        f"{_summary(theirs, theirs_written, theirs_cpu)} |",
                        flush=True,
                    )
    print(
        f"CPU in all: screenkit {totals['screenkit']:.1f} s, ffsubsync {totals['ffsubsync']:.1f} s "
        f"({totals['screenkit'] / totals['ffsubsync']:.2f}x)"
    )


if __name__ == "__main__":
    main()
