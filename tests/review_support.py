"""Helpers for the review tests: a copy of the sample event with a machine track, a real server."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import ROOT, SAMPLES

TOKEN = "test-token-not-secret"
MACHINE_LINE = "{language: fr, path: subtitles/tides-within.fr.srt, role: full, origin: human, reviewed: false}"
# The machine track as translate + a programmer would leave it, with a comment of theirs.
MACHINE_TRACK = "{language: fr, path: subtitles/tides-within.fr.srt, role: full, origin: machine, reviewed: false}  # draft from screenkit translate"
TRACK_KEY = "tides-within/2"


def make_event(tmp_path: Path) -> Path:
    """A copy of the Paris sample event in which tides-within's fr track is a machine draft."""
    event = tmp_path / "event"
    shutil.copytree(SAMPLES / "paris-showcase" / "subtitles", event / "subtitles")
    shutil.copytree(SAMPLES / "paris-showcase" / "media", event / "media")  # 0.6 MB
    text = (SAMPLES / "paris-showcase" / "manifest.yaml").read_text(encoding="utf-8")
    assert MACHINE_LINE in text
    manifest = event / "manifest.yaml"
    manifest.write_text(text.replace(MACHINE_LINE, MACHINE_TRACK), encoding="utf-8")
    return manifest


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str  # with the token
    base: str  # http://127.0.0.1:PORT
    token: str

    def get(self, path: str) -> Any:
        request = urllib.request.Request(self.base + path, headers={"X-Review-Token": self.token})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def post(self, path: str, payload: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(payload).encode(),
            headers={"X-Review-Token": self.token, "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def kill(self) -> None:
        """kill -9: no shutdown handler, no flush, nothing."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def start_server(*args: str, env: dict[str, str] | None = None) -> Server:
    """``python -m toolkit review ARGS --no-browser`` under uvicorn; returns once the URL is printed."""
    # A cache folder of its own unless the test gives one: approving remembers the reviewer's
    # name there (reviewer.txt), never in the user's own cache.
    cache_home = tempfile.mkdtemp(prefix="screenkit-review-cache-")
    full_env = {
        **os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PYTHONUNBUFFERED": "1",
        "XDG_CACHE_HOME": cache_home, **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "review", *args, "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("Review page: ") or not line:
            break
    match = re.match(r"Review page: (http://127\.0\.0\.1:(\d+))/\?token=(\S+)", line)
    if not match:
        process.kill()
        _, err = process.communicate(timeout=30)
        raise AssertionError(f"no URL printed: {line!r} {err}")
    server = Server(process, line.split(": ", 1)[1].strip(), match.group(1), match.group(3))
    for _ in range(100):
        try:
            server.get("/api/ping")
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    server.kill()
    raise AssertionError("the server did not answer")
