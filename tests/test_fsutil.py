"""Atomic outputs: complete or absent, never partial, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from toolkit.fsutil import atomic_path, write_text_atomic


def test_output_gets_the_permissions_a_plain_open_would_give(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    atomic = tmp_path / "atomic.txt"
    write_text_atomic(atomic, "x")
    assert stat.S_IMODE(atomic.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "copy.mkv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        assert temporary.suffix == ".mkv"  # ffmpeg chooses the container from it
        temporary.write_text("half")
        raise RuntimeError("encoder died")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["copy.mkv"]


def test_the_files_of_one_output_are_renamed_together(tmp_path: Path) -> None:
    from toolkit.fsutil import write_files_atomic

    files = [(tmp_path / "film.xml", b"<xml/>"), (tmp_path / "film.ttf", b"font"), (tmp_path / "a.png", b"png")]
    write_files_atomic(files)
    assert sorted(os.listdir(tmp_path)) == ["a.png", "film.ttf", "film.xml"]
    assert all(path.read_bytes() == data for path, data in files)


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_a_rename_failing_part_way_leaves_none_of_the_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    import errno

    from toolkit.errors import ScreenkitError
    from toolkit.fsutil import write_files_atomic

    real_replace = os.replace
    calls = []

    def replace(source: str, target: str, **descriptors: int) -> None:
        calls.append(target)
        if len(calls) == failing:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, target, **descriptors)

    monkeypatch.setattr(os, "replace", replace)
    files = [(tmp_path / "film.xml", b"<xml/>"), (tmp_path / "film.ttf", b"font"), (tmp_path / "film.2.otf", b"cjk")]
    with pytest.raises(ScreenkitError, match="Input/output error"):
        write_files_atomic(files)
    assert os.listdir(tmp_path) == []  # no temporary, and none of the files renamed before the failure
