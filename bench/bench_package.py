"""Package overhead: `screenkit package` on the sample event vs the same work done by hand.

Baseline: the sum of the equivalent individual commands run one after another
(`screenkit validate`, `screenkit lint --fix` per track, `screenkit burn`,
`screenkit mux`, `screenkit convert` for sidecars, an ffmpeg still per burned
copy). Both sides run with --jobs 1 on the same machine in the same run, the
package from an empty folder each time.

    .venv/bin/python bench/bench_package.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "samples" / "paris-showcase"
SK = [sys.executable, "-m", "toolkit", "-q"]


def run(args: list[str]) -> None:
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr}")


def individual_commands(work_dir: Path) -> list[list[str]]:
    from toolkit.manifest import load_manifest
    from toolkit.media.ffmpeg import resolve_ffmpeg

    manifest = load_manifest(SAMPLE / "manifest.yaml")
    ffmpeg = resolve_ffmpeg().path
    commands = [[*SK, "validate", str(SAMPLE / "manifest.yaml")]]
    for work in manifest.data["works"]:
        wid = work["id"]
        video = SAMPLE / work["media"]["path"]
        tracks = {}
        for entry in work.get("subtitles", []):
            fixed = work_dir / f"{wid}.{entry['language']}.srt"
            tracks[entry["language"]] = fixed
            commands.append([*SK, "lint", str(SAMPLE / entry["path"]), "--fix", "-o", str(fixed)])
        deliverables = work.get("deliverables", {})
        for burn in deliverables.get("burn", []):
            label = "+".join(burn["languages"])
            out = work_dir / f"{wid}.burned.{label}.mp4"
            subs = [arg for tag in burn["languages"] for arg in ("--subs", f"{tag}={tracks[tag]}")]
            commands.append([*SK, "burn", str(video), *subs, "-o", str(out), "--crf", "20", "--preset", "veryfast"])
            commands.append([ffmpeg, "-v", "error", "-y", "-ss", "60", "-i", str(out), "-frames:v", "1", str(work_dir / f"{wid}.{label}.png")])
        if "mux" in deliverables:
            subs = [arg for tag, path in tracks.items() for arg in ("--subs", f"{tag}={path}")]
            commands.append([*SK, "mux", str(video), *subs, "-o", str(work_dir / f"{wid}.mkv")])
        for fmt in deliverables.get("sidecar", {}).get("formats", []):
            for tag, path in tracks.items():
                commands.append([*SK, "convert", str(path), "-o", str(work_dir / f"side.{wid}.{tag}.{fmt}")])
    return commands


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    package_times, manual_times = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "pkg"
            started = time.perf_counter()
            run([*SK, "package", str(SAMPLE / "manifest.yaml"), "--out", str(out), "--jobs", "1"])
            package_times.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as tmp:
            commands = individual_commands(Path(tmp))
            started = time.perf_counter()
            for command in commands:
                run(command)
            manual_times.append(time.perf_counter() - started)
        shutil.rmtree(ROOT / "build" / "bench", ignore_errors=True)
    package = statistics.median(package_times)
    manual = statistics.median(manual_times)
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(f"individual commands ({len(commands)} runs), median of {args.repeat}: {manual:.2f} s")
    print(f"screenkit package --jobs 1, median of {args.repeat}: {package:.2f} s")
    print(f"ratio package / individual commands: {package / manual:.2f}")


if __name__ == "__main__":
    main()
