"""Tiny media made with lavfi for the media tests, built once per test session, and pixel helpers."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import subprocess
import tempfile
from fractions import Fraction
from functools import cached_property
from pathlib import Path

import numpy as np

SRT_EN = """1
00:00:00,400 --> 00:00:01,400
Hello festival

2
00:00:02,000 --> 00:00:02,600
<i>Second line</i>
"""

SRT_ZH = """1
00:00:00,400 --> 00:00:02,400
欢迎来到电影节

2
00:00:02,600 --> 00:00:02,900
谢谢
"""

SRT_FR = """1
00:00:00,500 --> 00:00:01,500
Bonjour à tous, bienvenue au festival !
"""


def ffmpeg_exe() -> str:
    from toolkit.media.ffmpeg import bundled_ffmpeg_path

    return bundled_ffmpeg_path()


def lavfi(output: Path, *args: str) -> Path:
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args, str(output)],
        check=True, stdin=subprocess.DEVNULL, timeout=120,
    )
    return output


class MediaFactory:
    """Files are made on first use and shared by every test of the session."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="screenkit-media-tests-"))
        atexit.register(shutil.rmtree, self.root, True)

    def text(self, name: str, content: str) -> Path:
        path = self.root / name
        if not path.exists():
            path.write_text(content, encoding="utf-8")
        return path

    @cached_property
    def clip(self) -> Path:
        """3 s, 320x180, 25 fps H.264 + AAC mono."""
        return lavfi(
            self.root / "clip.mp4",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=3",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        )

    @cached_property
    def hd_clip(self) -> Path:
        """1 s, 1920x1080 (for glyph shapes at the real size)."""
        return lavfi(
            self.root / "hd.mp4",
            "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:duration=1",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        )

    @cached_property
    def ntsc_clip(self) -> Path:
        """1 s at 24000/1001 fps in Matroska, for exact frame rates."""
        return lavfi(
            self.root / "ntsc.mkv",
            "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=24000/1001:duration=1",
            "-c:v", "libx264", "-preset", "ultrafast",
        )

    @cached_property
    def anamorphic_clip(self) -> Path:
        """1 s PAL 16:9 DVD-style: 720x576 stored, pixels 64/45 wide."""
        return lavfi(
            self.root / "anamorphic.mp4",
            "-f", "lavfi", "-i", "color=c=black:size=720x576:rate=25:duration=1,setsar=64/45",
            "-c:v", "libx264", "-preset", "ultrafast",
        )

    @cached_property
    def rotated_clip(self) -> Path:
        """The clip with a 90-degree display rotation (as phones record): plays 180x320."""
        return lavfi(self.root / "rotated.mp4", "-display_rotation", "90", "-i", str(self.clip), "-c", "copy")

    @cached_property
    def webm_clip(self) -> Path:
        """2 s VP9 + Opus (what WebM takes)."""
        return lavfi(
            self.root / "clip.webm",
            "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=2",
            "-f", "lavfi", "-i", "sine=duration=2",
            "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k",
            "-c:a", "libopus", "-shortest",
        )

    @cached_property
    def tagged_mkv(self) -> Path:
        """The clip in Matroska with a title, a tagged audio track, a chapter and an attached font."""
        chapters = self.text("chapters.txt", ";FFMETADATA1\ntitle=Spring Tide\n\n[CHAPTER]\nTIMEBASE=1/1000\n"
                             "START=0\nEND=1500\ntitle=Opening\n")
        return lavfi(
            self.root / "tagged.mkv",
            "-i", str(self.clip), "-i", str(chapters), "-map", "0", "-map_metadata", "1", "-map_chapters", "1",
            "-c", "copy", "-metadata:s:a:0", "language=fre", "-metadata:s:a:0", "title=Version originale",
            "-attach", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "-metadata:s:t:0", "mimetype=application/x-truetype-font",
        )

    @cached_property
    def audio_only(self) -> Path:
        return lavfi(self.root / "tone.m4a", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac")

    @property
    def en(self) -> Path:
        return self.text("film.en.srt", SRT_EN)

    @property
    def zh(self) -> Path:
        return self.text("film.zh-Hans.srt", SRT_ZH)

    @property
    def fr(self) -> Path:
        return self.text("film.fr.srt", SRT_FR)


FACTORY = MediaFactory()


# ------------------------------------------------------------ reading media back


def frame_at(path: Path, seconds: float) -> np.ndarray:
    """The RGB frame shown at ``seconds`` (decoded, not seeked, so exact)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.time is not None and frame.time + 1e-6 >= seconds:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {seconds} s in {path}")


def packet_hashes(path: Path, kind: str) -> list[str]:
    """SHA-1 of each packet of the first stream of ``kind`` ("video"/"audio")."""
    import av

    with av.open(str(path)) as container:
        stream = next(s for s in container.streams if s.type == kind)
        return [
            hashlib.sha1(bytes(packet)).hexdigest()
            for packet in container.demux(stream)
            if packet.size
        ]


def changed_mask(a: np.ndarray, b: np.ndarray, threshold: int = 0) -> np.ndarray:
    return np.abs(a.astype(int) - b.astype(int)).max(axis=2) > threshold


def fill_mask(source: np.ndarray, burned: np.ndarray) -> np.ndarray:
    """Changed pixels that are text fill (white), without the outline and shadow that join glyphs."""
    return changed_mask(source, burned, 60) & (burned.min(axis=2) > 200)


def row_bands(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows that have any changed pixel: [(first, last), ...] top to bottom."""
    rows = np.flatnonzero(mask.any(axis=1))
    bands: list[tuple[int, int]] = []
    for row in rows:
        if bands and row == bands[-1][1] + 1:
            bands[-1] = (bands[-1][0], int(row))
        else:
            bands.append((int(row), int(row)))
    return bands


def glyph_shapes(mask: np.ndarray, size: int = 16) -> list[np.ndarray]:
    """Split the changed area into column segments (glyphs) and normalise each to size x size."""
    columns = np.flatnonzero(mask.any(axis=0))
    segments: list[tuple[int, int]] = []
    for column in columns:
        if segments and column <= segments[-1][1] + 1:
            segments[-1] = (segments[-1][0], int(column))
        else:
            segments.append((int(column), int(column)))
    shapes = []
    for left, right in segments:
        crop = mask[:, left : right + 1]
        rows = np.flatnonzero(crop.any(axis=1))
        crop = crop[rows[0] : rows[-1] + 1]
        if crop.shape[0] < 4 or crop.shape[1] < 4:
            continue  # specks of outline, not glyphs
        ys = (np.arange(size) * crop.shape[0] / size).astype(int)
        xs = (np.arange(size) * crop.shape[1] / size).astype(int)
        shapes.append(crop[np.ix_(ys, xs)])
    return shapes


def distinct_shapes(shapes: list[np.ndarray], tolerance: float = 0.12) -> int:
    """How many clusters of look-alike shapes (a row of tofu boxes is one)."""
    representatives: list[np.ndarray] = []
    for shape in shapes:
        if not any(np.mean(shape != other) <= tolerance for other in representatives):
            representatives.append(shape)
    return len(representatives)


def exact_rate(path: Path) -> Fraction:
    import av

    with av.open(str(path)) as container:
        return Fraction(container.streams.video[0].average_rate)
