"""Helpers for the manifest tests: a small valid event written to a folder, edited one rule at a time."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

BASE_YAML = """\
manifest_version: 1
event:
  id: test-event
  title: {en: Test Event, fr: Événement test}
  dates: {start: "2026-03-13", end: "2026-03-15"}
  time_zone: Europe/Paris
  venues:
    - id: hall
      name: Hall
      city: Paris
      country: FR
      screens:
        - {id: one, name: Screen One}
  audience_languages:
    required: [fr]
    optional: [en]
  screening_copy:
    resolutions:
      - {width: 320, height: 180}
    frame_rates: ["25"]
    burned_languages: [fr]
  qc_profile: festival
  changeover_minutes: 15
works:
  - id: alpha
    title: {original: Alpha}
    original_language: en
    runtime: 6
    media:
      path: media/alpha.mp4
    subtitles:
      - {language: fr, path: subs/alpha.fr.srt}
      - {language: en, path: subs/alpha.en.srt}
    deliverables:
      burn:
        - languages: [fr]
      mux: {tracks: [fr, en], default: fr, container: mkv}
  - id: beta
    title: {original: Bêta}
    original_language: fr
    runtime: 6
    media:
      path: media/beta.mp4
    subtitles:
      - {language: en, path: subs/beta.en.srt}
screenings:
  - id: first
    venue: hall
    screen: one
    start: "2026-03-14T19:00:00+01:00"
    works: [alpha, beta]
  - id: second
    venue: hall
    screen: one
    start: "2026-03-14T21:00:00+01:00"
    works: [beta]
"""

FRENCH_SRT = """\
1
00:00:00,500 --> 00:00:02,700
Le fleuve garde la mémoire.

2
00:00:03,000 --> 00:00:05,200
Chaque crue laisse une trace.
"""

ENGLISH_SRT = """\
1
00:00:00,500 --> 00:00:02,700
The river keeps its memory.

2
00:00:03,000 --> 00:00:05,200
Every flood leaves a mark here.
"""


@functools.cache
def _video_bytes(width: int, height: int, rate: int, seconds: int) -> bytes:
    """A real H.264 MP4 from lavfi (cached per process; a few KB)."""
    import tempfile

    from toolkit.media.ffmpeg import bundled_ffmpeg_path

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "v.mp4"
        subprocess.run(
            [
                bundled_ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", f"color=c=gray:s={width}x{height}:r={rate}:d={seconds}",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-t", str(seconds),
                str(target),
            ],
            check=True,
        )  # fmt: skip
        return target.read_bytes()


def real_video(path: Path, *, width: int = 320, height: int = 180, rate: int = 25, seconds: int = 6) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_video_bytes(width, height, rate, seconds))
    return path


def make_event(folder: Path, text: str = BASE_YAML, *, name: str = "manifest.yaml", videos: bool = False) -> Path:
    """Write the manifest and every file it names (placeholder or real videos, real subtitles)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "subs").mkdir(exist_ok=True)
    (folder / "subs" / "alpha.fr.srt").write_text(FRENCH_SRT, encoding="utf-8")
    (folder / "subs" / "alpha.en.srt").write_text(ENGLISH_SRT, encoding="utf-8")
    (folder / "subs" / "beta.en.srt").write_text(ENGLISH_SRT, encoding="utf-8")
    for work in ("alpha", "beta"):
        target = folder / "media" / f"{work}.mp4"
        if videos:
            real_video(target)
        else:
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(b"not probed with check_media=False")
    manifest = folder / name
    manifest.write_text(text, encoding="utf-8")
    return manifest


def edit(old: str, new: str, text: str = BASE_YAML, count: int = 1) -> str:
    """BASE_YAML with OLD replaced by NEW (OLD must occur)."""
    assert old in text, old
    return text.replace(old, new, count)


def position_of(text: str, needle: str, occurrence: int = 1, offset: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the OCCURRENCE-th NEEDLE in TEXT, plus OFFSET characters."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def only(diagnostics: list, code: str) -> list:
    return [d for d in diagnostics if d.code == code]
