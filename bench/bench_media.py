"""Wall time of screenkit burn and mux against the equivalent hand-written ffmpeg commands.

Run: .venv/bin/python bench/bench_media.py [--burn-seconds 20] [--mux-seconds 120] [--repeat 3]

Inputs are generated with lavfi (testsrc2 + sine, 1280x720, 25 fps, H.264 +
AAC) into a temporary folder. Baselines, run by the same ffmpeg binary:

- burn: ``ffmpeg -i IN -filter_complex ass=filename=S.ass:fontsdir=F -c:v libx264
  -crf 18 -preset P -pix_fmt yuv420p -c:a copy OUT.mp4``, with the very ASS script
  and fonts screenkit made (same pixels, same encoder settings). screenkit adds
  probing, font choice, the script, progress parsing and probing the result.
- mux: ``ffmpeg -i IN -i zh.srt -i en.srt -map 0:v -map 0:a -map 1 -map 2 -c copy
  -metadata:s:s:N language=... title=... -disposition:s:N ... OUT.mkv``.

Each is measured in-process (the library call) and as the command line
(``python -m toolkit ...``, Python start-up included). Runs are interleaved
(baseline, library, CLI); the figures are the best (minimum) of --repeat runs,
the run least disturbed by other work on a shared machine, with the median
beside it. The ratio is screenkit / baseline (1.00 = the same time); the
overhead column is screenkit's fixed cost in milliseconds (probing the input
and the output, writing the subtitle files, starting ffmpeg once more).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.languages import EN, ZH_HANS  # noqa: E402
from toolkit.media.burn import burn  # noqa: E402
from toolkit.media.ffmpeg import resolve_ffmpeg  # noqa: E402
from toolkit.media.fonts import choose_font  # noqa: E402
from toolkit.media.mux import mux  # noqa: E402
from toolkit.subtitles import read_track  # noqa: E402
from toolkit.subtitles.timecode import format_srt  # noqa: E402

ZH_LINES = ("欢迎来到电影节", "今晚放映的是一部新片", "请关闭手机", "谢谢大家")
EN_LINES = ("Welcome to the festival", "Tonight we show a new film", "Please switch off your phone", "Thank you all")


def make_srt(path: Path, lines: tuple[str, ...], seconds: int) -> Path:
    parts = []
    for number, start in enumerate(range(500, seconds * 1000 - 2000, 2500)):
        parts.append(f"{number + 1}\n{format_srt(start)} --> {format_srt(start + 2000)}\n{lines[number % len(lines)]}\n")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def make_video(ffmpeg: str, path: Path, seconds: int) -> Path:
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )
    return path


def timed(work: Callable[[], object], *outputs: Path) -> float:
    # Deleting a previous output of hundreds of MB takes a while: do it outside the clock.
    for output in outputs:
        output.unlink(missing_ok=True)
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def run(args: list[str]) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", "-q", *args]


def report(name: str, baseline: list[float], library: list[float], command: list[float]) -> None:
    base, lib, com = min(baseline), min(library), min(command)
    print(
        f"| {name} | {base:.3f} s ({statistics.median(baseline):.3f}) "
        f"| {lib:.3f} s ({statistics.median(library):.3f}) | {lib / base:.3f} | {1000 * (lib - base):+.0f} ms "
        f"| {com:.3f} s ({statistics.median(command):.3f}) | {com / base:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--burn-seconds", type=int, default=20)
    parser.add_argument("--mux-seconds", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3, help="burn runs of each kind")
    parser.add_argument("--mux-repeat", type=int, default=15, help="mux runs of each kind (mux is short, noisier)")
    parser.add_argument("--preset", default="veryfast")
    args = parser.parse_args()

    tool = resolve_ffmpeg()
    work = Path(tempfile.mkdtemp(prefix="screenkit-bench-media-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        burn_input = make_video(tool.path, work / "burn-in.mp4", args.burn_seconds)
        mux_input = make_video(tool.path, work / "mux-in.mp4", args.mux_seconds)
        zh = make_srt(work / "film.zh-Hans.srt", ZH_LINES, args.mux_seconds)
        en = make_srt(work / "film.en.srt", EN_LINES, args.mux_seconds)
        tracks = [read_track(zh, language=ZH_HANS), read_track(en, language=EN)]

        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{tool.describe()}")
        print(f"burn: {args.burn_seconds} s 1280x720 H.264+AAC, zh-Hans over en, libx264 crf 18 preset {args.preset}")
        print(f"mux: {args.mux_seconds} s 1280x720 ({mux_input.stat().st_size / 1e6:.1f} MB) + 2 SRT tracks -> MKV")
        print(f"best (median) of {args.repeat} (burn) and {args.mux_repeat} (mux) interleaved runs\n")

        # The baseline renders the same script with the same fonts.
        first = burn(burn_input, tracks, work / "warm.mp4", crf=18, preset=args.preset)
        script = work / "same.ass"
        script.write_text(first.script, encoding="utf-8")
        fonts = work / "fonts"
        fonts.mkdir()
        for number, choice in enumerate({f.file for f in first.fonts}):
            (fonts / f"font{number}{choice.suffix}").symlink_to(choice)
        assert choose_font(ZH_HANS, "中").family == first.fonts[0].family
        hand_burn = [
            tool.path, "-hide_banner", "-nostdin", "-y", "-i", str(burn_input),
            "-filter_complex", f"[0:v]ass=filename={script}:fontsdir={fonts}[v]",
            "-map", "[v]", "-map", "0:a", "-c:v", "libx264", "-crf", "18", "-preset", args.preset,
            "-pix_fmt", "yuv420p", "-c:a", "copy", "-map_metadata", "0", str(work / "hand.mp4"),
        ]
        hand_mux = [
            tool.path, "-hide_banner", "-nostdin", "-y", "-i", str(mux_input), "-i", str(zh), "-i", str(en),
            "-map", "0:v", "-map", "0:a", "-map", "1", "-map", "2", "-c", "copy",
            "-metadata:s:s:0", "language=chi", "-metadata:s:s:0", "title=中文（简体）",
            "-metadata:s:s:1", "language=eng", "-metadata:s:s:1", "title=English",
            "-disposition:s:0", "default", "-disposition:s:1", "0", str(work / "hand.mkv"),
        ]
        results: dict[str, tuple[list[float], list[float], list[float]]] = {
            "burn": ([], [], []), "mux": ([], [], [])
        }
        for _ in range(args.repeat):
            base, lib, com = results["burn"]
            base.append(timed(lambda: run(hand_burn), work / "hand.mp4"))
            lib.append(timed(lambda: burn(burn_input, tracks, work / "lib.mp4", crf=18, preset=args.preset),
                             work / "lib.mp4"))
            com.append(timed(lambda: subprocess.run(
                cli("burn", str(burn_input), "--subs", str(zh), "--subs", str(en), "-o", str(work / "cli.mp4"),
                    "--crf", "18", "--preset", args.preset), check=True, env=env), work / "cli.mp4"))
        for _ in range(args.mux_repeat):
            base, lib, com = results["mux"]
            base.append(timed(lambda: run(hand_mux), work / "hand.mkv"))
            lib.append(timed(lambda: mux(mux_input, tracks, work / "lib.mkv", default=ZH_HANS), work / "lib.mkv"))
            com.append(timed(lambda: subprocess.run(
                cli("mux", str(mux_input), "--subs", str(zh), "--subs", str(en), "-o", str(work / "cli.mkv"),
                    "--default", "zh-Hans"), check=True, env=env), work / "cli.mkv"))
        print("| operation | hand-written ffmpeg | screenkit library | ratio | overhead | screenkit CLI | ratio |")
        print("|---|---|---|---|---|---|---|")
        for name, (base, lib, com) in results.items():
            report(name, base, lib, com)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
