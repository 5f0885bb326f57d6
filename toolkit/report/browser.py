"""Headless Chromium, to look at the report the way a person will."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from toolkit.errors import ScreenkitError, ToolMissingError

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    explicit = os.environ.get("SCREENKIT_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() or shutil.which(explicit) else None
    return next((found for name in _CANDIDATES if (found := shutil.which(name))), None)


def _run_headless(html_file: Path, flags: list[str], output: Path, what: str) -> None:
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
            "--virtual-time-budget=5000",
            f"--user-data-dir={profile}",
            *flags,
            html_file.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not output.is_file() or output.stat().st_size == 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ScreenkitError(f"chromium could not render the {what}: {last}", path=html_file)


def screenshot(html_file: Path, png_file: Path, *, width: int = 1280, height: int = 1600) -> Path:
    """Render ``html_file`` in headless Chromium and save a PNG screenshot."""
    flags = ["--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={png_file}"]
    _run_headless(html_file, flags, png_file, "report")
    return png_file


# Chromium (Skia) stamps the PDF's /CreationDate and /ModDate with the clock; the
# rest of the file is the same every run. The stamps are rewritten to a fixed
# time of the same length, so the cross-reference offsets stay right.
_PDF_DATE = re.compile(rb"D:\d{14}(?:Z|[+-]\d\d'\d\d')")


def print_pdf(html_file: Path, pdf_file: Path, *, stamp: datetime | None = None) -> Path:
    """Print ``html_file`` to PDF with headless Chromium (the page's @page size, no header or footer).

    The PDF's dates are set to STAMP (UTC; the epoch when not given): the same
    page gives the same bytes every run.
    """
    flags = ["--no-pdf-header-footer", f"--print-to-pdf={pdf_file}"]
    _run_headless(html_file, flags, pdf_file, "PDF")
    moment = (stamp or datetime(1970, 1, 1, tzinfo=timezone.utc)).astimezone(timezone.utc)
    fixed = moment.strftime("D:%Y%m%d%H%M%S+00'00'").encode("ascii")
    data = pdf_file.read_bytes()
    pdf_file.write_bytes(_PDF_DATE.sub(lambda match: fixed if len(match.group(0)) == len(fixed) else match.group(0), data))
    return pdf_file
