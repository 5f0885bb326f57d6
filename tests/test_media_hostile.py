"""Bad inputs to the media commands: one clear line, exit 2, no partial output, inputs untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli
from media_support import FACTORY, changed_mask, frame_at, packet_hashes

from toolkit.media.ffmpeg import (
    MINIMUM_VERSION,
    bundled_ffmpeg_path,
    resolve_ffmpeg,
    version_number,
)
from toolkit.media.probe import probe

# Every character that has broken an ffmpeg command line or filter string somewhere.
HOSTILE = "-odd name 'single' \"double\", [brackets] colon: semi; back\\slash é 中文 =eq"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def broken(tmp_path: Path) -> dict[str, Path]:
    data = FACTORY.clip.read_bytes()
    files = {
        "garbage": tmp_path / "garbage.mp4",
        "truncated": tmp_path / "truncated.mp4",
        "empty": tmp_path / "empty.mkv",
        "text": tmp_path / "notes.mkv",
    }
    files["garbage"].write_bytes(bytes(range(256)) * 64)
    files["truncated"].write_bytes(data[: len(data) // 2])  # the moov index is at the end
    files["empty"].write_bytes(b"")
    files["text"].write_text("1\n00:00:00,000 --> 00:00:01,000\nnot a video\n", encoding="utf-8")
    return files


@pytest.mark.parametrize("kind", ["garbage", "truncated", "empty", "text"])
@pytest.mark.parametrize("command", ["probe", "burn", "mux"])
def test_unreadable_video_is_one_clear_error(broken: dict[str, Path], kind: str, command: str) -> None:
    video = broken[kind]
    before = _digest(video)
    folder = video.parent
    existing = _listing(folder)
    args = {"probe": [], "burn": ["--subs", str(FACTORY.en), "-o", str(folder / "out.mp4")],
            "mux": ["--subs", str(FACTORY.en), "-o", str(folder / "out.mkv")]}[command]
    result = run_cli(command, str(video), *args)
    assert_clean_error(result, video.name)
    assert any(word in result.stderr for word in ("corrupt", "truncated", "empty", "not a", "no video stream"))
    assert _listing(folder) == existing  # no output, no temporary left behind
    assert _digest(video) == before


def test_truncated_matroska_is_refused_after_the_copy_runs_short(tmp_path: Path) -> None:
    """A Matroska file cut off still opens (its header says 3 s); the short copy is not delivered."""
    full = tmp_path / "full.mkv"
    run = run_cli("mux", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(full))
    assert run.code == 0, run.stderr
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    assert probe(cut).duration_ms > 2900  # the header does not know
    for command, output in (("burn", "cut-burned.mp4"), ("mux", "cut-muxed.mkv")):
        result = run_cli(command, str(cut), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / output),
                         *(["--preset", "ultrafast"] if command == "burn" else []))
        assert_clean_error(result, "cut.mkv", "truncated or corrupt")
        assert not (tmp_path / output).exists()
    assert _listing(tmp_path) == ["cut.mkv", "full.mkv"]


def test_subtitles_running_past_the_last_frame_are_not_taken_for_truncation(tmp_path: Path) -> None:
    """The container of such a file lasts as long as its last cue; its pictures do not."""
    late = FACTORY.text("late.en.srt", "1\n00:00:01,000 --> 00:00:02,000\nNow\n\n2\n01:30:00,000 --> 01:30:02,000\nLater\n")
    long_container = tmp_path / "long.mkv"
    assert run_cli("mux", str(FACTORY.clip), "--subs", str(late), "-o", str(long_container)).code == 0
    assert probe(long_container).duration_ms > 5_000_000 > probe(long_container).video.duration_ms
    again = run_cli("mux", str(long_container), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "again.mkv"))
    assert again.code == 0, again.stderr
    burned = run_cli("burn", str(long_container), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "b.mp4"),
                     "--preset", "ultrafast")
    assert burned.code == 0, burned.stderr


@pytest.mark.parametrize("command", ["probe", "burn", "mux"])
def test_audio_only_file_says_there_is_no_video(tmp_path: Path, command: str) -> None:
    args = {"probe": [], "burn": ["--subs", str(FACTORY.en), "-o", str(tmp_path / "o.mp4")],
            "mux": ["--subs", str(FACTORY.en), "-o", str(tmp_path / "o.mkv")]}[command]
    result = run_cli(command, str(FACTORY.audio_only), *args)
    assert_clean_error(result, "tone.m4a", "no video stream", "audio")
    assert list(tmp_path.iterdir()) == []


def test_missing_video_and_folder_as_video(tmp_path: Path) -> None:
    assert_clean_error(run_cli("probe", str(tmp_path / "absent.mp4")), "absent.mp4", "no such file")
    assert_clean_error(run_cli("probe", str(tmp_path)), "folder")


def test_output_never_overwrites_the_input(tmp_path: Path) -> None:
    video = tmp_path / "film.mp4"
    shutil.copy(FACTORY.clip, video)
    before = _digest(video)
    for command in ("burn", "mux"):
        result = run_cli(command, str(video), "--subs", f"en={FACTORY.en}", "-o", str(video))
        assert_clean_error(result, "overwrite the input")
    assert _digest(video) == before


def test_failing_encoder_leaves_no_partial_output(tmp_path: Path) -> None:
    result = run_cli("burn", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "o.mp4"),
                     "--codec", "no_such_encoder")
    assert_clean_error(result, "clip.mp4", "burning subtitles failed", "no_such_encoder")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------ hostile names


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("names") / HOSTILE
    folder.mkdir()
    shutil.copy(FACTORY.clip, folder / f"{HOSTILE}.mp4")
    shutil.copy(FACTORY.en, folder / f"{HOSTILE}.en.srt")
    shutil.copy(FACTORY.zh, folder / f"{HOSTILE}.zh-Hans.srt")
    return folder


def test_hostile_names_everywhere_including_the_filter_string(
    hostile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ASS script and fonts folder live in the temporary folder and reach ffmpeg
    # inside the filter string: put that folder under a hostile name too.
    scratch = hostile_dir / f"tmp {HOSTILE}"
    scratch.mkdir(exist_ok=True)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    name = f"{HOSTILE}"
    burned = f"{HOSTILE} burned.mp4"
    result = run_cli(
        "burn", f"./{name}.mp4", "--subs", f"./{name}.zh-Hans.srt", "--subs", f"./{name}.en.srt",
        "-o", f"./{burned}", "--preset", "ultrafast", "--crf", "0", cwd=hostile_dir,
    )
    assert result.code == 0, result.stderr
    assert changed_mask(frame_at(hostile_dir / f"{name}.mp4", 1.0), frame_at(hostile_dir / burned, 1.0)).sum() > 100

    muxed = f"{HOSTILE} muxed.mkv"
    # A bare name starting with "-": options first, then "--" before the video.
    result = run_cli("mux", "--subs", f"{name}.zh-Hans.srt", "-o", muxed, "--", f"{name}.mp4", cwd=hostile_dir)
    assert result.code == 0, result.stderr
    assert packet_hashes(hostile_dir / muxed, "video") == packet_hashes(FACTORY.clip, "video")

    out = hostile_dir / f"out {HOSTILE}"
    result = run_cli("extract", "--out-dir", str(out), "--", muxed, cwd=hostile_dir)
    assert result.code == 0, result.stderr
    assert _listing(out) == [f"{HOSTILE} muxed.zh-Hans.srt"]

    result = run_cli("probe", "--format", "json", "--", f"{name}.mp4", cwd=hostile_dir)
    assert result.code == 0 and '"width": 320' in result.stdout
    assert not list(scratch.iterdir())  # temporary folders cleaned up


# ------------------------------------------------------------ ffmpeg resolution


@pytest.fixture
def ffmpeg_without_libass(tmp_path: Path) -> Path:
    """A stand-in for a distribution ffmpeg built without libass: it lists no
    subtitles/ass filter and otherwise runs the real binary."""
    real = resolve_ffmpeg().path
    script = tmp_path / "bin with space" / "ffmpeg"
    script.parent.mkdir()
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do\n'
        '  if [ "$arg" = "-filters" ]; then\n'
        '    printf "Filters:\\n ... scale             V->V       Scale the input video size.\\n"\n'
        "    exit 0\n"
        "  fi\n"
        "done\n"
        f'exec "{real}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_ffmpeg_without_libass_cannot_burn_but_still_muxes(ffmpeg_without_libass: Path, tmp_path: Path) -> None:
    result = run_cli("burn", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "o.mp4"),
                     "--ffmpeg", str(ffmpeg_without_libass))
    assert_clean_error(result, "without libass", "--ffmpeg")
    result = run_cli("burn", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "o.mp4"),
                     env={"SCREENKIT_FFMPEG": str(ffmpeg_without_libass)})
    assert_clean_error(result, "without libass", "SCREENKIT_FFMPEG")
    assert not (tmp_path / "o.mp4").exists()
    muxed = tmp_path / "o.mkv"
    result = run_cli("mux", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(muxed),
                     "--ffmpeg", str(ffmpeg_without_libass))
    assert result.code == 0, result.stderr
    assert [s.language for s in probe(muxed).subtitles] == ["eng"]


def test_probe_version_says_which_ffmpeg(ffmpeg_without_libass: Path) -> None:
    real = run_cli("probe", "--version")
    assert real.code == 0
    assert bundled_ffmpeg_path() in real.stdout and "imageio-ffmpeg" in real.stdout
    assert "libass: yes" in real.stdout and "PyAV" in real.stdout
    fake = run_cli("probe", "--version", "--ffmpeg", str(ffmpeg_without_libass))
    assert str(ffmpeg_without_libass) in fake.stdout and "libass: NO" in fake.stdout
    verbose = run_cli("-v", "burn", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o",
                      str(ffmpeg_without_libass.parent / "v.mp4"),
                      "--preset", "ultrafast")
    assert verbose.code == 0 and "ffmpeg: " in verbose.stderr


def test_bad_ffmpeg_paths(tmp_path: Path) -> None:
    assert_clean_error(run_cli("probe", "--version", "--ffmpeg", str(tmp_path / "nope")), "no ffmpeg at this path")
    not_ffmpeg = tmp_path / "false-ffmpeg"
    not_ffmpeg.write_text("#!/bin/sh\nexit 1\n")
    not_ffmpeg.chmod(0o755)
    assert_clean_error(run_cli("probe", "--version", "--ffmpeg", str(not_ffmpeg)), "not a working ffmpeg")
    result = run_cli("probe", "--version", env={"SCREENKIT_FFMPEG": str(tmp_path / "gone")})
    assert_clean_error(result, "SCREENKIT_FFMPEG")


def _fake_ffmpeg(folder: Path, version_line: str) -> Path:
    """An executable named ffmpeg that answers -version with ``version_line`` and
    otherwise runs the real (bundled) binary."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do\n'
        f'  if [ "$arg" = "-version" ]; then echo "{version_line}"; exit 0; fi\n'
        "done\n"
        f'exec "{bundled_ffmpeg_path()}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def test_an_ffmpeg_on_path_is_never_picked_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Debian's ffmpeg comes with mpv and VLC: the default stays the pinned imageio-ffmpeg binary."""
    on_path = _fake_ffmpeg(tmp_path / "usr bin", "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2025")
    monkeypatch.delenv("SCREENKIT_FFMPEG", raising=False)
    monkeypatch.setenv("PATH", f"{on_path.parent}{os.pathsep}{os.environ['PATH']}")
    chosen = resolve_ffmpeg()
    assert (chosen.path, chosen.source) == (bundled_ffmpeg_path(), "imageio-ffmpeg")
    assert chosen.has_libass and version_number(chosen.version) >= MINIMUM_VERSION
    # Only when asked: --ffmpeg system / SCREENKIT_FFMPEG=system, and --ffmpeg outranks the variable.
    system = resolve_ffmpeg("system")
    assert (system.path, system.source, system.version) == (str(on_path), "--ffmpeg system", "ffmpeg 5.1.9-0+deb12u1")
    monkeypatch.setenv("SCREENKIT_FFMPEG", "system")
    assert resolve_ffmpeg().source == "SCREENKIT_FFMPEG system"
    assert resolve_ffmpeg(bundled_ffmpeg_path()).source == "--ffmpeg"


def test_imageio_ffmpeg_exe_variable_does_not_change_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    # imageio_ffmpeg.get_ffmpeg_exe() would return this; screenkit reads the wheel's own binary.
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", "/usr/bin/ffmpeg")
    monkeypatch.delenv("SCREENKIT_FFMPEG", raising=False)
    assert resolve_ffmpeg().path == bundled_ffmpeg_path()


@pytest.mark.parametrize(
    ("banner", "expected"),
    [
        ("ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021", "older than ffmpeg 5.1"),
        ("ffmpeg version weird-build", "cannot tell this ffmpeg's version"),
    ],
)
def test_an_ffmpeg_below_the_minimum_version_is_one_clear_line(
    tmp_path: Path, banner: str, expected: str
) -> None:
    old = _fake_ffmpeg(tmp_path / "old", banner)
    result = run_cli("mux", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "o.mkv"),
                     "--ffmpeg", str(old))
    assert_clean_error(result, str(old), expected, "--ffmpeg")
    assert not (tmp_path / "o.mkv").exists()
    result = run_cli("probe", "--version", env={"SCREENKIT_FFMPEG": str(old)})
    assert_clean_error(result, expected, "SCREENKIT_FFMPEG")


def test_system_without_ffmpeg_on_path_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_cli("probe", "--version", "--ffmpeg", "system")
    assert_clean_error(result, "no ffmpeg on PATH", "--ffmpeg system")


def test_version_numbers_of_real_banners() -> None:
    assert version_number("ffmpeg n9.0.2-17-g2a571b6068-20260930") == (9, 0, 2)
    assert version_number("ffmpeg 5.1.9-0+deb12u1") == (5, 1, 9)
    assert version_number("ffmpeg 7.1") == (7, 1)
    assert version_number("ffmpeg N-112233-gabcdef") is None


def test_bad_font_and_bad_subtitles(tmp_path: Path) -> None:
    not_a_font = tmp_path / "font.ttf"
    not_a_font.write_bytes(b"\x00" * 100)
    result = run_cli("burn", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "o.mp4"),
                     "--font", str(not_a_font))
    assert_clean_error(result, "font.ttf", "not a TrueType/OpenType font")
    broken = tmp_path / "broken.en.srt"
    broken.write_text("1\n00:00:00,000 --> later\nHello\n", encoding="utf-8")
    result = run_cli("burn", str(FACTORY.clip), "--subs", str(broken), "-o", str(tmp_path / "o.mp4"))
    assert_clean_error(result, "broken.en.srt")
    assert _listing(tmp_path) == ["broken.en.srt", "font.ttf"]
