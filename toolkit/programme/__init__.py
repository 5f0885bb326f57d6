"""The programme of an event out of its manifest: an iCalendar file and printable run sheets.

Public interface: ``build_programme(manifest, package=None) -> Programme``,
``write_programme(programme, out_dir, pdf=True) -> list[Path]`` (the files
written), ``calendar_bytes(programme)`` and ``render_sheet(programme, key)``.
"""

from toolkit.programme.calendar import calendar_bytes, screening_uid
from toolkit.programme.model import Programme, Slot, build_programme
from toolkit.programme.runsheet import render_sheet, sheet_name
from toolkit.programme.write import write_programme

__all__ = [
    "Programme", "Slot", "build_programme", "calendar_bytes", "render_sheet", "screening_uid", "sheet_name",
    "write_programme",
]
