"""Headless Chromium, to look at the report the way a person will."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.errors import ScreenkitError, ToolMissingError

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    explicit = os.environ.get("SCREENKIT_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() or shutil.which(explicit) else None
    return next((found for name in _CANDIDATES if (found := shutil.which(name))), None)


def screenshot(html_file: Path, png_file: Path, *, width: int = 1280, height: int = 1600) -> Path:
    """Render ``html_file`` in headless Chromium and save a PNG screenshot."""
    browser = find_chromium()
    if browser is None:
        raise ToolMissingError("no chromium found (install Debian's chromium, or set SCREENKIT_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="screenkit-chromium-") as profile:
        # The flags keep Chromium off the network (this machine has none) and
        # out of the user's profile; --no-sandbox because CI runs as root.
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={png_file}",
            html_file.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not png_file.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ScreenkitError(f"chromium could not render the report: {last}", path=html_file)
    return png_file
