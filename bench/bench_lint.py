"""Lint throughput on a generated 50,000-cue SRT, as a ratio to pysrt parsing the same file.

Baseline: ``pysrt.open`` of the file (parse only), measured in the same run.
Figures: screenkit's own parse (``read_track``), ``lint_track`` under the
festival profile, ``fix_track``, and the whole ``screenkit lint`` path
(read + lint). Best of N runs each.

    .venv/bin/python bench/bench_lint.py [--cues 50000] [--repeat 3] [--lang en|fr|zh-Hans|mixed]

``--lang mixed`` is a zh-Hans track with English and French in it, as real
Chinese deliveries are: half the cues a Chinese line over an English or French
one, a quarter Chinese only, the rest English or French alone.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toolkit.languages import parse_language
from toolkit.qc import fix_track, lint_track, load_profile
from toolkit.subtitles import read_track
from toolkit.subtitles.timecode import format_srt

WORDS = {
    "en": ["the", "night", "film", "city", "tide", "we", "were", "never", "going", "back", "there", "again", "Marc", "said", "she", "would", "wait"],
    "fr": ["la", "nuit", "le", "film", "ville", "marée", "nous", "ne", "sommes", "jamais", "revenus", "là-bas", "Marc", "a", "dit", "qu'elle", "attendrait"],
    "zh-Hans": list("我们今天晚上去电影院看电影他说她会等到明天早上城市里的潮水"),
}


def _mixed_lines(rng: random.Random) -> list[str]:
    def line(lang: str) -> str:
        joiner = "" if lang == "zh-Hans" else " "
        return joiner.join(rng.choice(WORDS[lang]) for _ in range(rng.randint(3, 7)))

    roll = rng.random()
    if roll < 0.5:
        return [line("zh-Hans"), line("en" if rng.random() < 0.6 else "fr")]
    if roll < 0.75:
        return [line("zh-Hans")] + ([line("zh-Hans")] if rng.random() < 0.3 else [])
    return [line("en" if rng.random() < 0.6 else "fr")]


def generate(path: Path, cues: int, lang: str, seed: int = 7) -> None:
    """A film-like track: 1.5-6 s events, gaps of 0-1.5 s, one or two lines, ~5% with problems."""
    rng = random.Random(seed)
    if lang == "mixed":
        start, out = 4000, []
        for number in range(1, cues + 1):
            length = rng.randint(1500, 6000)
            lines = _mixed_lines(rng)
            if rng.random() < 0.05:
                lines[0] = rng.choice(["-", "<i>", " "]) + lines[0] + rng.choice(["...", " ?", "  ok"])
            out.append(f"{number}\n{format_srt(start)} --> {format_srt(start + length)}\n" + "\n".join(lines) + "\n")
            start += length + rng.choice([0, 40, 83, 200, 500, 1500])
        path.write_text("\n".join(out), encoding="utf-8")
        return
    words = WORDS[lang]
    joiner = "" if lang.startswith("zh") else " "
    start = 4000
    out = []
    for number in range(1, cues + 1):
        length = rng.randint(1500, 6000)
        lines = [joiner.join(rng.choice(words) for _ in range(rng.randint(3, 7)))]
        if rng.random() < 0.4:
            lines.append(joiner.join(rng.choice(words) for _ in range(rng.randint(2, 6))))
        if rng.random() < 0.05:
            lines[0] = rng.choice(["- ", "<i>", " "]) + lines[0] + rng.choice(["...", " ?", "  ok"])
        out.append(f"{number}\n{format_srt(start)} --> {format_srt(start + length)}\n" + "\n".join(lines) + "\n")
        start += length + rng.choice([0, 40, 83, 200, 500, 1500])
    path.write_text("\n".join(out), encoding="utf-8")


def measure(steps: dict[str, Callable[[], Any]], repeat: int) -> tuple[dict[str, tuple[float, float]], dict[str, Any]]:
    """Best (wall, CPU) seconds per step. Steps run in rounds, interleaved, so that load
    from other processes on a shared machine falls on all of them alike; CPU time is the
    steadier figure there."""
    best: dict[str, tuple[float, float]] = {}
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name, function in steps.items():
            wall, cpu = time.perf_counter(), time.process_time()
            results[name] = function()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            old = best.get(name, (float("inf"), float("inf")))
            best[name] = (min(old[0], wall), min(old[1], cpu))
    return best, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="en", choices=[*sorted(WORDS), "mixed"])
    args = parser.parse_args()

    import pysrt

    with tempfile.TemporaryDirectory() as folder:
        tag = "zh-Hans" if args.lang == "mixed" else args.lang
        path = Path(folder) / f"bench.{tag}.srt"
        generate(path, args.cues, args.lang)
        language = parse_language(tag)
        profile = load_profile("festival", language)
        track = read_track(path)
        lint_track(track, profile)  # loads the language identifier's model once, outside the timing
        steps: dict[str, Callable[[], Any]] = {
            "pysrt.open (baseline)": lambda: pysrt.open(str(path), encoding="utf-8"),
            "screenkit read_track": lambda: read_track(path),
            "lint_track": lambda: lint_track(track, profile),
            "fix_track": lambda: fix_track(track, profile),
        }
        best, results = measure(steps, args.repeat)
        size = path.stat().st_size

    base_wall, base_cpu = best["pysrt.open (baseline)"]
    best["read_track + lint_track"] = tuple(a + b for a, b in zip(best["screenkit read_track"], best["lint_track"], strict=True))  # type: ignore[assignment]
    print(f"file: {args.cues} cues, {size / 1e6:.1f} MB, lang {args.lang}, profile festival; "
          f"{len(results['lint_track'])} findings, {len(results['fix_track'].changes)} fixes")
    print(f"python {sys.version.split()[0]}, best of {args.repeat} interleaved rounds")
    print(f"{'step':<26}{'wall s':>8}{'cpu s':>8}{'cues/s (cpu)':>14}{'x pysrt (cpu)':>15}{'x pysrt (wall)':>16}")
    for name in ("pysrt.open (baseline)", "screenkit read_track", "lint_track", "read_track + lint_track", "fix_track"):
        wall, cpu = best[name]
        print(f"{name:<26}{wall:>8.3f}{cpu:>8.3f}{args.cues / cpu:>14,.0f}{cpu / base_cpu:>15.2f}{wall / base_wall:>16.2f}")


if __name__ == "__main__":
    main()
