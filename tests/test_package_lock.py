"""One package run per folder: a second one refuses at once (or waits), a killed one's lock is taken over."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, assert_clean_error, run_cli

from toolkit.package.lock import package_lock

pytestmark = pytest.mark.slow


def _event(tmp_path: Path) -> Path:
    event = tmp_path / "event"
    shutil.copytree(SAMPLES / "paris-showcase", event, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return event / "manifest.yaml"


def _held(lock: Path) -> bool:
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _verify_checksums(out: Path) -> None:
    """What ``sha256sum -c checksums.sha256`` checks, and that it lists every file and no temporary one."""
    listed = {}
    for line in (out / "checksums.sha256").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_file() and path.relative_to(out).parts[0] != ".screenkit" and path.name != "checksums.sha256"
    }
    assert set(listed) == files
    assert not [name for name in files if ".part" in name]
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name


def test_two_runs_into_one_folder_one_refuses_and_the_other_verifies(tmp_path: Path) -> None:
    manifest = _event(tmp_path)
    out = tmp_path / "pkg"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen([sys.executable, "-m", "toolkit", "-q", "package", str(manifest), "--out", str(out)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lock = out / ".screenkit" / "lock"
    deadline = time.monotonic() + 120
    while not _held(lock) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert first.poll() is None, "the first run ended before the second could start"
    second = run_cli("package", str(manifest), "--out", str(out))
    assert_clean_error(second, f"{out} is being written by another screenkit (pid {first.pid})", "--wait")
    _, errors = first.communicate(timeout=300)
    assert first.returncode == 0, errors
    _verify_checksums(out)


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    manifest = _event(tmp_path)
    out = tmp_path / "pkg"
    lock = out / ".screenkit" / "lock"
    lock.parent.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, str(os.getpid()).encode())\n"
        "print('held', flush=True); time.sleep(600)\n")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert result.code == 0, result.stderr
    _verify_checksums(out)


def test_wait_blocks_until_the_other_run_is_done(tmp_path: Path) -> None:
    state = tmp_path / ".screenkit"
    state.mkdir()
    fd = os.open(state / "lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    releaser = threading.Timer(0.5, os.close, [fd])
    releaser.start()
    started = time.monotonic()
    with pytest.raises(Exception, match="being written by another screenkit"), package_lock(tmp_path, state):
        pass
    with package_lock(tmp_path, state, wait=True):
        waited = time.monotonic() - started
    releaser.join()
    assert waited >= 0.4
    assert (state / "lock").read_text().strip() == str(os.getpid())
