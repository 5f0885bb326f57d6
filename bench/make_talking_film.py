"""A two-minute talking film and wrongly timed copies of its track, for trying ``screenkit sync``.

Writes into DIR: ``film.mp4`` (black picture, AAC audio of espeak-ng reading
English sentences at irregular times; synthetic voiced bursts when espeak-ng
is not installed), ``film.en.srt`` (the true timing), ``film.en.late.srt``
(+2.5 s), ``film.en.25fps.srt`` (timed for a 25 fps copy, played at 24) and
``film.en.recut.srt`` (from the middle on 1.2 s late: a longer scene in the
copy it was made for), and ``manifest.yaml``: a one-work event whose English
track is the late one (for ``validate`` and ``package``). espeak-ng reads at
130-150 words a minute here, slow enough for Netflix's 20 characters a second.

    .venv/bin/python bench/make_talking_film.py build/talking
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sync_support import espeak_available, espeak_speech, moved, synthetic_speech  # noqa: E402

from toolkit.media.ffmpeg import resolve_ffmpeg  # noqa: E402
from toolkit.subtitles import write_track  # noqa: E402

SECONDS = 120.0

MANIFEST = """\
manifest_version: 1
event:
  id: talking
  title: {en: Talking Film Night}
  dates: {start: "2026-03-13", end: "2026-03-13"}
  time_zone: Europe/Paris
  venues:
    - {id: hall, name: Hall, city: Paris, country: FR, screens: [{id: one, name: One}]}
  audience_languages: {required: [en]}
  qc_profile: netflix
works:
  - id: talk
    title: {original: Talk}
    original_language: fr
    runtime: 120
    media: {path: film.mp4}
    subtitles:
      - {language: en, path: film.en.late.srt}
screenings: []
"""


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "build/talking")
    folder.mkdir(parents=True, exist_ok=True)
    if espeak_available():
        make, speech = espeak_speech, espeak_speech(folder / "speech.wav", seconds=SECONDS, words_per_minute=(130, 150))
    else:
        make, speech = synthetic_speech, synthetic_speech(folder / "speech.wav", seconds=SECONDS)
    subprocess.run(
        [resolve_ffmpeg().path, "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"color=black:size=320x180:rate=24:duration={SECONDS}", "-i", str(speech.path),
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(folder / "film.mp4")],
        check=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    (folder / "speech.wav").unlink()
    track = speech.track()
    write_track(track, folder / "film.en.srt")
    write_track(moved(track, shift_ms=2500), folder / "film.en.late.srt")
    write_track(moved(track, scale=24 / 25), folder / "film.en.25fps.srt")
    write_track(moved(track, shift_ms=1200, from_cue=len(track.cues) // 2), folder / "film.en.recut.srt")
    (folder / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    print(f"{folder}: film.mp4 ({len(track)} utterances, {'espeak-ng' if make is espeak_speech else 'synthetic'}) and 4 tracks, manifest.yaml")


if __name__ == "__main__":
    main()
