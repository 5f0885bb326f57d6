"""Writing the programme's files, each atomically (a temporary name, then a rename)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from toolkit.fsutil import write_bytes_atomic, write_text_atomic
from toolkit.programme.calendar import calendar_bytes
from toolkit.programme.model import Programme
from toolkit.programme.runsheet import render_sheet, sheet_name

CALENDAR_NAME = "programme.ics"


def write_programme(programme: Programme, out_dir: Path, *, pdf: bool = True) -> list[Path]:
    """``programme.ics`` and, per screen and day, ``runsheet.DAY.VENUE.SCREEN.html`` (and ``.pdf``).

    Every file is rendered before any is written, so a failure (no chromium)
    leaves the folder as it was.
    """
    pages = {sheet_name(*key): render_sheet(programme, key) for key in programme.sheets}
    ics = calendar_bytes(programme)
    pdfs: dict[str, bytes] = {}
    if pdf:
        from toolkit.report.browser import print_pdf

        with tempfile.TemporaryDirectory(prefix="screenkit-programme-") as scratch:
            for name, page in pages.items():
                html_file = Path(scratch) / f"{name}.html"
                html_file.write_text(page, encoding="utf-8")
                pdfs[name] = print_pdf(html_file, Path(scratch) / f"{name}.pdf", stamp=programme.stamp).read_bytes()
    written = [out_dir / CALENDAR_NAME]
    write_bytes_atomic(written[0], ics)
    for name, page in pages.items():
        target = out_dir / f"runsheet.{name}.html"
        write_text_atomic(target, page)
        written.append(target)
        if name in pdfs:
            target = out_dir / f"runsheet.{name}.pdf"
            write_bytes_atomic(target, pdfs[name])
            written.append(target)
    return written
