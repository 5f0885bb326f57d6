"""Generate the showcase's sample videos, deterministically, with the ffmpeg from imageio-ffmpeg.

Each work gets a 320x180, 25 fps H.264 video with a silent mono AAC track,
exactly as long as the work's runtime in manifest.yaml. The pictures are
static lavfi sources, so x264 compresses minutes of video to a few kilobytes.

    .venv/bin/python samples/paris-showcase/make_media.py            # (re)write all three
    .venv/bin/python samples/paris-showcase/make_media.py --check    # print sha256 of each

Re-running gives byte-identical files (single-threaded x264, bitexact flags,
no metadata); the sha256 values in manifest.yaml depend on that.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEDIA = HERE / "media"

# work id → (lavfi picture source, seconds); seconds match `runtime` in manifest.yaml.
WORKS: dict[str, tuple[str, int]] = {
    # Cinnabar lacquer red: a 5-minute documentary on a Han dynasty lacquered tray.
    "lacquer-tray": ("color=c=0x8b1a1a:s=320x180:r=25", 300),
    # Colour bars for the AI-generated animation.
    "tides-within": ("smptebars=s=320x180:r=25", 240),
    # Concrete grey for the film about urban anxiety.
    "city-static": ("color=c=0x5a5f66:s=320x180:r=25", 180),
}


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def make(work_id: str, source: str, seconds: int) -> Path:
    target = MEDIA / f"{work_id}.mp4"
    temporary = target.with_name(f".{target.name}.tmp.mp4")
    command = [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"{source}:d={seconds}",
        "-f", "lavfi", "-i", f"anullsrc=r=8000:cl=mono:d={seconds}",
        "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "veryslow", "-tune", "stillimage", "-crf", "35",
        "-pix_fmt", "yuv420p", "-g", "250", "-threads", "1",
        "-x264-params", "sliced-threads=0:lookahead-threads=1",
        "-c:a", "aac", "-b:a", "8k", "-ac", "1",
        "-t", str(seconds),
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart",
        str(temporary),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only print the sha256 of each file")
    args = parser.parse_args(argv)
    MEDIA.mkdir(exist_ok=True)
    for work_id, (source, seconds) in WORKS.items():
        path = MEDIA / f"{work_id}.mp4" if args.check else make(work_id, source, seconds)
        print(f"{path.relative_to(HERE)}  {path.stat().st_size:>7} bytes  sha256 {sha256(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
