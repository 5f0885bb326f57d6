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
