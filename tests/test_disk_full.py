"""A full disk or a read-only folder: one line naming the output, exit 2, nothing partial left.

Each test writes into a small tmpfs (CI runs as root). ffmpeg 9.0.2 exits 0
over a Matroska file it could not finish on a full disk, so these also prove
that outputs are read back before they are renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES, assert_clean_error, run_cli
from media_support import FACTORY

pytestmark = pytest.mark.slow

FULL = "No space left on device"
Mount = Callable[..., Path]


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """mount(name, size, readonly=False) -> a tmpfs folder of that size, unmounted afterwards."""
    mounted: list[Path] = []

    def mount(name: str, size: int, readonly: bool = False) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        options = f"size={size}" + (",ro" if readonly else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            reason = f"cannot mount a tmpfs here (needs root; {done.stderr.strip()})"
            if os.environ.get("CI"):
                pytest.fail(f"{reason}: CI must run these as root")  # a CI without the facility fails, never skips
            pytest.skip(f"{reason}: CI runs these as root")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def _fill(folder: Path) -> None:
    """Leave no free byte on the file system of ``folder``."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        chunk = 65536
        while chunk:
            try:
                os.write(fd, b"\0" * chunk)
            except OSError:
                chunk //= 2
    finally:
        os.close(fd)


def _listing(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


def _assert_write_error(result: object, output: Path, reason: str = FULL) -> None:
    assert_clean_error(result, str(output), reason)  # type: ignore[arg-type]


@pytest.fixture
def full(tmpfs: Mount) -> Path:
    folder = tmpfs("full", 256 * 1024)
    _fill(folder)
    return folder


def test_convert_on_a_full_disk(full: Path) -> None:
    output = full / "film.en.vtt"
    _assert_write_error(run_cli("convert", str(FACTORY.en), "-o", str(output)), output)
    assert _listing(full) == ["filler"]


def test_lint_fix_on_a_full_disk(full: Path, tmp_path: Path) -> None:
    source = tmp_path / "messy.en.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello  world \n", encoding="utf-8")
    before = source.read_bytes()
    output = full / "fixed.en.srt"
    _assert_write_error(run_cli("lint", str(source), "--fix", "-o", str(output)), output)
    assert _listing(full) == ["filler"] and source.read_bytes() == before


def test_burn_runs_out_of_space_part_way(tmpfs: Mount) -> None:
    disk = tmpfs("small", 24 * 1024)
    output = disk / "burned.mp4"
    result = run_cli("burn", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(output),
                     "--preset", "ultrafast", "--crf", "10")
    _assert_write_error(result, output)
    assert _listing(disk) == []


@pytest.mark.parametrize("extension", ["mkv", "mp4"])
def test_mux_runs_out_of_space_part_way(tmpfs: Mount, extension: str) -> None:
    """ffmpeg exits 0 over the cut Matroska file; the read-back refuses it."""
    disk = tmpfs("small", FACTORY.clip.stat().st_size // 2)
    output = disk / f"muxed.{extension}"
    result = run_cli("mux", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(output))
    _assert_write_error(result, output)
    assert _listing(disk) == []


def test_extract_on_a_full_disk(full: Path, tmp_path: Path) -> None:
    muxed = tmp_path / "film.mkv"
    assert run_cli("mux", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "--subs", f"zh-Hans={FACTORY.zh}",
                   "-o", str(muxed)).code == 0
    out = full / "subs"
    result = run_cli("extract", str(muxed), "--out-dir", str(out))
    assert result.code == 2 and FULL in result.stderr and str(out) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert [name for name in _listing(full) if name != "subs"] == ["filler"]
    assert not out.exists() or _listing(out) == []


@pytest.mark.parametrize("command", ["convert", "mux"])
def test_a_read_only_folder(tmpfs: Mount, command: str) -> None:
    disk = tmpfs("readonly", 1024 * 1024, readonly=True)
    output = disk / ("film.vtt" if command == "convert" else "film.mkv")
    args = [str(FACTORY.en), "-o", str(output)] if command == "convert" else [
        str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(output)]
    _assert_write_error(run_cli(command, *args), output, "Read-only file system")


def _package_files(out: Path) -> dict[str, str]:
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and ".screenkit" not in path.relative_to(out).parts
    }


def test_package_on_a_full_disk_then_rerun_after_space_is_freed(tmpfs: Mount, tmp_path: Path) -> None:
    event = tmp_path / "event"
    shutil.copytree(SAMPLES / "paris-showcase", event, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    manifest = event / "manifest.yaml"
    reference = tmp_path / "reference"
    assert run_cli("package", str(manifest), "--out", str(reference)).code == 0
    expected = _package_files(reference)
    total = sum(path.stat().st_size for path in reference.rglob("*") if path.is_file())

    disk = tmpfs("disk", total // 2)
    out = disk / "pkg"
    result = run_cli("package", str(manifest), "--out", str(out))
    assert result.code == 2, (result.code, result.stderr)
    assert FULL in result.stderr and str(out) in result.stderr and "Traceback" not in result.stderr
    # Nothing partial: no temporary left, and every file there is the complete one.
    assert not [path for path in out.rglob("*") if ".part" in path.name]
    written = _package_files(out)
    assert written and all(expected.get(name) == digest for name, digest in written.items()), written

    subprocess.run(["mount", "-o", f"remount,size={total * 3}", str(disk)], check=True)
    again = run_cli("package", str(manifest), "--out", str(out))
    assert again.code == 0, again.stderr
    assert _package_files(out) == expected
    assert os.path.getsize(out / "checksums.sha256") > 0


def test_package_on_disks_of_every_small_size_names_the_path_and_leaves_no_report(tmpfs: Mount, tmp_path: Path) -> None:
    """The smallest event that packages, on disks of 1 to 12 pages: wherever the space runs out
    (the lock, a step, the state, the report), one line naming the file, exit 2, and no report.json
    of the run that was cut short."""
    from test_hostile_inputs import tiny_event

    manifest = tiny_event(tmp_path / "event")
    outcomes = set()
    for pages in range(1, 13):
        disk = tmpfs(f"disk{pages}", pages * 4096)
        out = disk / "pkg"
        result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
        left = [path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()] if out.exists() else []
        assert not [name for name in left if ".part" in name], (pages, left)
        if result.code == 0:
            outcomes.add("complete")
            assert "report.json" in left
            continue
        assert result.code == 2, (pages, result.code, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
        named = [line for line in result.stderr.splitlines() if FULL in line]
        assert named and all(f"{out}" in line.split(": ")[0] or f"{out}/" in line for line in named), result.stderr
        assert "report.json" not in left, (pages, left)
        outcomes.add("full")
    assert outcomes == {"complete", "full"}, outcomes  # some disks were too small, some large enough
