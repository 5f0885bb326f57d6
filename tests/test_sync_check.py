"""Sync as a check: validate (with media) and package measure each track against the work's audio."""

from __future__ import annotations

import json
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
from conftest import run_cli
from media_support import ffmpeg_exe
from sync_support import moved, synthetic_speech

from toolkit.subtitles import Track, write_track

SECONDS = 60
# Short lines: the shortest utterance (0.8 s) stays under Netflix's 17 characters a second.
FRENCH = ["Le fleuve.", "La mémoire.", "Une crue.", "Une trace."]
ENGLISH = ["The river.", "Its memory.", "A flood.", "A mark."]

MANIFEST = """\
manifest_version: 1
event:
  id: sync-event
  title: {{en: Sync Event}}
  dates: {{start: "2026-03-13", end: "2026-03-15"}}
  time_zone: Europe/Paris
  venues:
    - {{id: hall, name: Hall, city: Paris, country: FR, screens: [{{id: one, name: One}}]}}
  audience_languages: {{required: [fr, en]}}
  qc_profile: netflix
{extra}works:
  - id: talk
    title: {{original: Talk}}
    original_language: zh-Hans
    runtime: {seconds}
    media: {{path: talk.mp4}}
    subtitles:
      - {{language: fr, path: talk.fr.srt}}
      - {{language: en, path: talk.en.srt}}
screenings: []
"""


@cache
def _film(folder: Path) -> tuple[Path, Track]:
    speech = synthetic_speech(folder / "talk.wav", seconds=SECONDS, seed=7)
    film = folder / "talk.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"color=black:size=320x180:rate=25:duration={SECONDS}", "-i", str(speech.path),
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(film)],
        check=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    return film, speech.track()


@pytest.fixture(scope="module")
def event(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sync-event")
    _, track = _film(folder)
    french, english = moved(track, shift_ms=2500), track.copy()
    for number, cue in enumerate(french.cues):
        cue.lines = [FRENCH[number % 4]]
    for number, cue in enumerate(english.cues):
        cue.lines = [ENGLISH[number % 4]]
    write_track(french, folder / "talk.fr.srt")
    write_track(english, folder / "talk.en.srt")
    return folder


def _manifest(folder: Path, extra: str = "") -> Path:
    path = folder / f"manifest{abs(hash(extra))}.yaml"
    path.write_text(MANIFEST.format(extra=extra, seconds=SECONDS), encoding="utf-8")
    return path


def _sync_findings(manifest: Path, *options: str) -> list[dict[str, object]]:
    done = run_cli("validate", str(manifest), "--format", "json", *options)
    assert done.code in (0, 1), done.stderr
    report = json.loads(done.stdout)
    return [d for d in report["manifests"][0]["diagnostics"] if d["code"] == "M801"]


def test_validate_warns_about_the_late_track_only(event: Path) -> None:
    findings = _sync_findings(_manifest(event))
    assert len(findings) == 1
    finding = findings[0]
    assert finding["severity"] == "warning"
    assert finding["location"]["pointer"] == "works[0].subtitles[0].path"
    late = re.match(r"([\d.]+) s late on the speech in the audio", str(finding["message"]))
    assert late is not None, finding["message"]
    assert abs(float(late.group(1)) - 2.5) <= 0.05
    assert "screenkit sync" in str(finding["message"])


def test_the_tolerance_comes_from_the_event(event: Path) -> None:
    assert _sync_findings(_manifest(event, "  sync_tolerance_seconds: 3\n")) == []


def test_no_media_measures_nothing(event: Path) -> None:
    assert _sync_findings(_manifest(event), "--no-media") == []


def test_package_reports_sync_per_track(event: Path) -> None:
    out = event / "package"
    done = run_cli("package", str(_manifest(event)), "--out", str(out), "--format", "json")
    assert done.code == 0, done.stderr + done.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    tracks = {track["language"]: track for track in report["works"][0]["tracks"]}
    french, english = tracks["fr"]["sync"], tracks["en"]["sync"]
    assert french["measured"] is True and abs(french["offset_ms"] + 2500) <= 50
    assert english["measured"] is True and abs(english["offset_ms"]) <= 50
    assert french["tolerance_ms"] == english["tolerance_ms"] == 200
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "sync: 2.4" in html or "sync: 2.5" in html  # the late track's warning badge
    assert "in sync (0.0" in html


def test_an_unrelated_track_is_not_measurable_and_the_page_says_nothing(event: Path) -> None:
    other = synthetic_speech(event / "other.wav", seconds=SECONDS, seed=99).track()
    for number, cue in enumerate(other.cues):
        cue.lines = [ENGLISH[number % 4]]
    write_track(other, event / "talk.en.other.srt")
    manifest = _manifest(event)
    text = manifest.read_text(encoding="utf-8").replace("path: talk.en.srt", "path: talk.en.other.srt")
    manifest = manifest.with_name("manifest-other.yaml")
    manifest.write_text(text, encoding="utf-8")
    findings = _sync_findings(manifest)
    assert [finding["location"]["pointer"] for finding in findings] == ["works[0].subtitles[0].path"]  # type: ignore[index]
    out = event / "package-other"
    done = run_cli("package", str(manifest), "--out", str(out), "--format", "json")
    assert done.code == 0, done.stderr + done.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    english = {track["language"]: track for track in report["works"][0]["tracks"]}["en"]["sync"]
    assert english["measured"] is False and english["reason"] == "not measurable"
    assert "shuffled copies" in english["detail"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "not measur" not in html and "no speech" not in html and "no clear match" not in html
