"""Generate the documentary expo's one tiny sample video (12 s, 320x180, 25 fps), deterministically.

    .venv/bin/python samples/documentary-expo/make_media.py
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "media" / "river-archive.mp4"
SECONDS = 12


def main() -> int:
    import imageio_ffmpeg

    temporary = TARGET.with_name(f".{TARGET.name}.tmp.mp4")
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"color=c=0x2f4f4f:s=320x180:r=25:d={SECONDS}",
        "-f", "lavfi", "-i", f"anullsrc=r=8000:cl=mono:d={SECONDS}",
        "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "veryslow", "-tune", "stillimage", "-crf", "35",
        "-pix_fmt", "yuv420p", "-g", "250", "-threads", "1",
        "-c:a", "aac", "-b:a", "8k", "-ac", "1", "-t", str(SECONDS),
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart", str(temporary),
    ]  # fmt: skip
    TARGET.parent.mkdir(exist_ok=True)
    try:
        subprocess.run(command, check=True)
        os.replace(temporary, TARGET)
    finally:
        temporary.unlink(missing_ok=True)
    print(f"{TARGET.relative_to(HERE)}  sha256 {hashlib.sha256(TARGET.read_bytes()).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
