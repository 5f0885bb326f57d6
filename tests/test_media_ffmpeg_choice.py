"""Which ffmpeg runs, and that file names always reach it as files.

The pinned imageio-ffmpeg binary is the only one used unasked, so the media
path must work on a machine with no ffmpeg on PATH at all, and gives the same
bytes whether or not Debian's ffmpeg is installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli
from media_support import FACTORY, changed_mask, frame_at, packet_hashes

from toolkit.media.probe import probe

pytestmark = pytest.mark.slow


def test_the_whole_media_path_works_with_no_ffmpeg_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("SCREENKIT_FFMPEG", raising=False)
    monkeypatch.delenv("IMAGEIO_FFMPEG_EXE", raising=False)
    assert shutil.which("ffmpeg") is None and shutil.which("ffprobe") is None

    assert run_cli("probe", str(FACTORY.clip)).code == 0
    burned = tmp_path / "burned.mp4"
    result = run_cli("burn", str(FACTORY.clip), "--subs", f"zh-Hans={FACTORY.zh}", "--subs", f"en={FACTORY.en}",
                     "-o", str(burned), "--preset", "ultrafast")
    assert result.code == 0, result.stderr
    assert changed_mask(frame_at(FACTORY.clip, 1.0), frame_at(burned, 1.0), 40).sum() > 200
    for extension in ("mkv", "mp4"):
        muxed = tmp_path / f"muxed.{extension}"
        result = run_cli("mux", str(FACTORY.clip), "--subs", f"zh-Hans={FACTORY.zh}", "--subs", f"en={FACTORY.en}",
                         "-o", str(muxed))
        assert result.code == 0, result.stderr
        assert packet_hashes(muxed, "video") == packet_hashes(FACTORY.clip, "video")
        result = run_cli("extract", str(muxed), "--out-dir", str(tmp_path / f"x-{extension}"))
        assert result.code == 0, result.stderr
        assert sorted(p.name for p in (tmp_path / f"x-{extension}").iterdir()) == [
            "muxed.en.srt", "muxed.zh-Hans.srt"]

    event = tmp_path / "event"
    shutil.copytree(SAMPLES / "paris-showcase", event, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    out = tmp_path / "pkg"
    result = run_cli("package", str(event / "manifest.yaml"), "--out", str(out))
    assert result.code == 0, result.stderr
    copies = sorted(out.rglob("*.burned.*.mp4")) + sorted(out.rglob("*.subtitled.*"))
    assert copies and all(probe(copy, decode_check=False).video is not None for copy in copies)


@pytest.mark.parametrize("name", ["co:lon.mp4", "http:clip.mp4", "concat:a.mp4", "-dash.mp4"])
def test_names_that_look_like_protocols_or_options_are_files(tmp_path: Path, name: str) -> None:
    shutil.copy(FACTORY.clip, tmp_path / name)
    shutil.copy(FACTORY.en, tmp_path / "en.srt")
    stem = name.removesuffix(".mp4")
    # Relative names, as a user types them ("--" before one that starts with "-").
    result = run_cli("probe", "--", name, cwd=tmp_path)
    assert result.code == 0 and "320x180" in result.stdout, result.stderr
    result = run_cli("burn", "--subs", "en=en.srt", "-o", f"{stem}.burned.mp4", "--preset", "ultrafast", "--", name,
                     cwd=tmp_path)
    assert result.code == 0, result.stderr
    result = run_cli("mux", "--subs", "en=en.srt", "-o", f"{stem}.muxed.mkv", "--", name, cwd=tmp_path)
    assert result.code == 0, result.stderr
    result = run_cli("extract", "--out-dir", "subs", "--", f"{stem}.muxed.mkv", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert [p.name for p in (tmp_path / "subs").iterdir()] == [f"{stem}.muxed.en.srt"]
    assert probe(tmp_path / f"{stem}.burned.mp4").video is not None
